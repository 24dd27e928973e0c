/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sightline/sl-media-options.h"

G_BEGIN_DECLS

/* Names of elements inside the branches. */
#define SL_BRANCH_ENCODER  "encoder"
#define SL_BRANCH_MARK     "mark"
#define SL_BRANCH_DETECT   "detect"
#define SL_BRANCH_GATE     "gate"
#define SL_BRANCH_SNAPSHOT "snapshot"
#define SL_BRANCH_CAMERA_TEE "camera-tee"
/* The send branches' pause points: a valve before the video encoder (the
 * local display's tee branch keeps the capture) and a volume before the
 * audio encoder, so that muting keeps the pipeline and the RTP streams. */
#define SL_BRANCH_PAUSE    "pause"
#define SL_BRANCH_MUTE     "mute"
/* The video-send bin's pad for a display's camera input, when the display
 * shares the capture. */
#define SL_BRANCH_CAMERA_PAD "camera"

/* Frame marks (latency measurement): the low 24 bits of the capture time
 * in milliseconds of CLOCK_MONOTONIC, which every process on a machine
 * shares, so the receiver computes the latency without a side channel. */
#define SL_MARK_BITS 24

gboolean     sl_media_mark_latency         (GstMessage *message,
                                            double     *latency_ms);

char *       sl_media_resolve_video_source (const SlMediaOptions *opts);
char *       sl_media_resolve_audio_source (const SlMediaOptions *opts);

GstElement * sl_media_make_video_send      (const SlMediaOptions *opts,
                                            SlVideoCodec          codec,
                                            GstElement           *source,
                                            gboolean              camera_pad,
                                            GError              **error);

GstElement * sl_media_make_audio_send      (const SlMediaOptions *opts,
                                            GstElement           *source,
                                            GError              **error);

GstElement * sl_media_make_video_receive   (const SlMediaOptions *opts,
                                            SlVideoCodec          codec,
                                            gboolean              to_display,
                                            GError              **error);

GstElement * sl_media_make_audio_receive   (const SlMediaOptions *opts,
                                            gboolean              to_display,
                                            GError              **error);

GstElement * sl_media_make_camera          (const SlMediaOptions *opts,
                                            GError              **error);

SlVideoCodec sl_media_codec_from_sdp       (const char     *sdp,
                                            gboolean       *found);

G_END_DECLS
