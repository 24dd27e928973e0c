/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sl-media-options.h"

G_BEGIN_DECLS

/* Names of elements inside the branches, looked up by the media session. */
#define SL_BRANCH_ENCODER  "encoder"
#define SL_BRANCH_MARK     "mark"
#define SL_BRANCH_DETECT   "detect"
#define SL_BRANCH_GATE     "gate"
#define SL_BRANCH_SNAPSHOT "snapshot"
#define SL_BRANCH_CAMERA_TEE "camera-tee"
/* The video-send bin's pad for the goggles view, when it shares the
 * capture. */
#define SL_BRANCH_CAMERA_PAD "camera"

/* Frame marks (latency measurement): the low 24 bits of the capture time
 * in milliseconds of CLOCK_MONOTONIC, which every process on a machine
 * shares, so the receiver computes the latency without a side channel. */
#define SL_MARK_BITS 24

gboolean     sl_media_mark_latency         (GstMessage *message,
                                            double     *latency_ms);

void         sl_media_probe_devices        (void);
char *       sl_media_resolve_video_source (const SlMediaOptions *opts);
char *       sl_media_resolve_audio_source (const SlMediaOptions *opts);

GstElement * sl_media_make_video_send      (const SlMediaOptions *opts,
                                            SlVideoCodec          codec,
                                            GError              **error);

GstElement * sl_media_make_audio_send      (const SlMediaOptions *opts,
                                            GError              **error);

GstElement * sl_media_make_video_receive   (const SlMediaOptions *opts,
                                            SlVideoCodec          codec,
                                            GError              **error);

GstElement * sl_media_make_audio_receive   (const SlMediaOptions *opts,
                                            GError              **error);

gboolean     sl_media_camera_is_shared     (const SlMediaOptions *opts);
gboolean     sl_media_camera_is_test       (const SlMediaOptions *opts);
GstElement * sl_media_make_camera          (const SlMediaOptions *opts,
                                            GError              **error);

G_END_DECLS
