/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sl-media-meter.h"
#include "sightline/sl-media-options.h"

G_BEGIN_DECLS

#define SL_TYPE_MEDIA_SENDER (sl_media_sender_get_type ())
G_DECLARE_FINAL_TYPE (SlMediaSender, sl_media_sender, SL, MEDIA_SENDER,
                      GObject)

SlMediaSender * sl_media_sender_new          (const SlMediaOptions *opts,
                                              GstBin               *pipeline,
                                              GstElement           *webrtc,
                                              SlMediaMeter         *meter,
                                              GstElement           *display,
                                              GstElement           *video_source,
                                              GstElement           *audio_source,
                                              GError              **error);

gboolean        sl_media_sender_add_branches (SlMediaSender *self,
                                              SlVideoCodec   codec,
                                              gboolean       running,
                                              GError       **error);

void            sl_media_sender_request_keyframe (SlMediaSender *self);

void            sl_media_sender_set_paused   (SlMediaSender *self,
                                              gboolean       mic_muted,
                                              gboolean       camera_paused);

G_END_DECLS
