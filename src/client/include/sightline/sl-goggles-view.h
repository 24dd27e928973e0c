/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sightline/sl-call.h"
#include "sightline/sl-goggles-options.h"
#include "sightline/sl-signal-client.h"

G_BEGIN_DECLS

#define SL_TYPE_GOGGLES_VIEW (sl_goggles_view_get_type ())
G_DECLARE_FINAL_TYPE (SlGogglesView, sl_goggles_view, SL, GOGGLES_VIEW,
                      GObject)

SlGogglesView * sl_goggles_view_new          (const SlGogglesOptions *opts,
                                              GError                **error);

guint           sl_goggles_view_get_width    (SlGogglesView *self);
guint           sl_goggles_view_get_height   (SlGogglesView *self);
guint           sl_goggles_view_get_snapshots (SlGogglesView *self);

void            sl_goggles_view_set_notice   (SlGogglesView *self,
                                              const char    *notice);

/* A call's display: made when the call asks for one. */
GstElement *    sl_goggles_view_make_bin     (SlGogglesView *self,
                                              GError       **error);
void            sl_goggles_view_release_bin  (SlGogglesView *self);

/* The call shown. */
void            sl_goggles_view_watch_call   (SlGogglesView  *self,
                                              SlCall         *call,
                                              SlSignalClient *signal);
void            sl_goggles_view_forget_call  (SlGogglesView  *self);
void            sl_goggles_view_set_paused   (SlGogglesView *self,
                                              gboolean       mic_muted,
                                              gboolean       camera_paused);

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
