/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define SL_TYPE_MEDIA_CHANNEL (sl_media_channel_get_type ())
G_DECLARE_FINAL_TYPE (SlMediaChannel, sl_media_channel, SL, MEDIA_CHANNEL,
                      GObject)

SlMediaChannel * sl_media_channel_new       (GstElement      *webrtc,
                                             gboolean         offerer);

gboolean         sl_media_channel_create    (SlMediaChannel  *self,
                                             GError         **error);

gboolean         sl_media_channel_send_text (SlMediaChannel  *self,
                                             const char      *text,
                                             GError         **error);

void             sl_media_channel_close     (SlMediaChannel  *self);

G_END_DECLS
