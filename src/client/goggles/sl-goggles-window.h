/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sightline/sl-goggles-options.h"

G_BEGIN_DECLS

/* The name of the sink inside the view's bin. */
#define SL_GOGGLES_SINK "goggles-sink"

#define SL_TYPE_GOGGLES_WINDOW (sl_goggles_window_get_type ())
G_DECLARE_FINAL_TYPE (SlGogglesWindow, sl_goggles_window, SL, GOGGLES_WINDOW,
                      GObject)

SlGogglesWindow * sl_goggles_window_open        (const SlGogglesOptions *opts,
                                                 guint                  *width,
                                                 guint                  *height,
                                                 GError                **error);

const char *      sl_goggles_window_sink        (SlGogglesWindow *self);

void              sl_goggles_window_attach      (SlGogglesWindow *self,
                                                 GstElement      *sink);

G_END_DECLS
