/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SlDisplayMode:
 * @SL_DISPLAY_NONE: decode and count, show nothing.
 * @SL_DISPLAY_WINDOW: a window (autovideosink) and the default speaker.
 * @SL_DISPLAY_PNG: keep the last received frame and write it as PNG.
 * @SL_DISPLAY_GOGGLES: reserved for the see-through plugin (later issue).
 */
typedef enum
{
  SL_DISPLAY_NONE,
  SL_DISPLAY_WINDOW,
  SL_DISPLAY_PNG,
  SL_DISPLAY_GOGGLES,
} SlDisplayMode;

typedef enum
{
  SL_VIDEO_CODEC_VP8,
  SL_VIDEO_CODEC_H264,
} SlVideoCodec;

/**
 * SlMediaOptions:
 *
 * Everything that shapes a call's media.  Plain data; copy with
 * sl_media_options_copy().  %NULL source descriptions mean "a camera or
 * microphone when present, test sources otherwise"; "test" forces test
 * sources; anything else is a gst-launch description of a source bin.
 * @stock makes the benchmarks' baseline: GStreamer's default encoder and
 * jitterbuffer settings instead of the low-latency ones.
 */
typedef struct
{
  char         *video_source;
  char         *audio_source;
  guint         width;
  guint         height;
  guint         framerate;
  guint         video_kbps;
  guint         audio_kbps;
  guint         latency_ms;
  SlVideoCodec  codec;
  SlDisplayMode display;
  char         *png_path;
  char        **ice_addresses;
  char         *stun_server;
  char        **turn_servers;
  gboolean      relay_only;
  gboolean      mark_frames;
  gboolean      stock;
} SlMediaOptions;

#define SL_TYPE_MEDIA_OPTIONS (sl_media_options_get_type ())
GType            sl_media_options_get_type  (void);

SlMediaOptions * sl_media_options_new       (void);
SlMediaOptions * sl_media_options_copy      (const SlMediaOptions *self);
void             sl_media_options_free      (SlMediaOptions       *self);

gboolean         sl_media_options_set_display (SlMediaOptions *self,
                                               const char     *spec,
                                               GError        **error);

gboolean         sl_media_options_set_codec (SlMediaOptions *self,
                                             const char     *name,
                                             GError        **error);

const char *     sl_video_codec_to_string   (SlVideoCodec codec);

gboolean         sl_video_codec_available   (SlVideoCodec codec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlMediaOptions, sl_media_options_free)

G_END_DECLS
