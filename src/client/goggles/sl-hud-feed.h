/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sightline/sl-call.h"
#include "sightline/sl-signal-client.h"

G_BEGIN_DECLS

/* How many chat lines the HUD keeps. */
#define SL_HUD_CHAT_KEEP 8

#define SL_TYPE_HUD_FEED (sl_hud_feed_get_type ())
G_DECLARE_FINAL_TYPE (SlHudFeed, sl_hud_feed, SL, HUD_FEED, GObject)

SlHudFeed * sl_hud_feed_new            (void);

void        sl_hud_feed_set_element    (SlHudFeed      *self,
                                        GstElement     *hud);

void        sl_hud_feed_watch_call     (SlHudFeed      *self,
                                        SlCall         *call,
                                        SlSignalClient *signal);

void        sl_hud_feed_forget_call    (SlHudFeed      *self);

void        sl_hud_feed_set_notice     (SlHudFeed      *self,
                                        const char     *notice);

void        sl_hud_feed_set_call_state (SlHudFeed      *self,
                                        const char     *nick);

void        sl_hud_feed_set_paused     (SlHudFeed      *self,
                                        gboolean        mic_muted,
                                        gboolean        camera_paused);

void        sl_hud_feed_add_chat       (SlHudFeed      *self,
                                        const char     *who,
                                        const char     *text);

G_END_DECLS
