/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "call/sl-call.h"
#include "media/sl-media-options.h"
#include "signal/sl-signal-client.h"

G_BEGIN_DECLS

/* Names inside the view's bin. */
#define SL_GOGGLES_SEETHROUGH "seethrough"
#define SL_GOGGLES_HUD        "hud"
#define SL_GOGGLES_SINK       "goggles-sink"

/* Every this many milliseconds goggles-png:PATH is rewritten. */
#define SL_GOGGLES_SNAPSHOT_MS 1000

#define SL_TYPE_GOGGLES_VIEW (sl_goggles_view_get_type ())
G_DECLARE_FINAL_TYPE (SlGogglesView, sl_goggles_view, SL, GOGGLES_VIEW,
                      GObject)

SlGogglesView * sl_goggles_view_new          (const SlMediaOptions *opts,
                                              GError              **error);

guint           sl_goggles_view_get_width    (SlGogglesView *self);
guint           sl_goggles_view_get_height   (SlGogglesView *self);
guint           sl_goggles_view_get_snapshots (SlGogglesView *self);

/* Used by the media session. */
GstElement *    sl_goggles_view_make_bin     (SlGogglesView *self,
                                              guint          framerate,
                                              GError       **error);
gboolean        sl_goggles_view_link_input   (GstElement    *bin,
                                              const char    *pad_name,
                                              GstPad        *src,
                                              gboolean       test_label,
                                              GError       **error);
void            sl_goggles_view_release_bin  (SlGogglesView *self);

/* What the HUD shows. */
void            sl_goggles_view_watch_call   (SlGogglesView  *self,
                                              SlCall         *call,
                                              SlSignalClient *signal);
void            sl_goggles_view_forget_call  (SlGogglesView  *self);
void            sl_goggles_view_set_call_state (SlGogglesView *self,
                                                const char    *nick);
void            sl_goggles_view_add_chat     (SlGogglesView *self,
                                              const char    *who,
                                              const char    *text);

/* Runtime changes: stdin commands and hotkeys. */
gboolean        sl_goggles_view_is_command   (const char    *line);
gboolean        sl_goggles_view_run_command  (SlGogglesView *self,
                                              const char    *line,
                                              GError       **error);
gboolean        sl_goggles_view_handle_key   (SlGogglesView *self,
                                              const char    *key);

G_END_DECLS
