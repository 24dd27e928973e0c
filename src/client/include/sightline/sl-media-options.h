/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sightline/sl-ice-ports.h"

G_BEGIN_DECLS

/**
 * SlDisplayMode:
 * @SL_DISPLAY_NONE: decode and count, show nothing.
 * @SL_DISPLAY_WINDOW: a window (autovideosink).
 * @SL_DISPLAY_PNG: keep the last received frame and write it as PNG when
 *   the call ends.
 *
 * What happens to received video when the call is given no display bin
 * and no video sink description.
 */
typedef enum
{
  SL_DISPLAY_NONE,
  SL_DISPLAY_WINDOW,
  SL_DISPLAY_PNG,
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
 * sl_media_options_copy().
 *
 * Sources: %NULL descriptions mean "a camera or microphone when present,
 * test sources otherwise"; "test" forces test sources; anything else is a
 * gst-launch description of a source bin.  @camera_source is a second
 * capture for a display bin's "camera" input (%NULL: the outgoing video's
 * capture feeds it too).
 *
 * Received media: @video_sink and @audio_sink are gst-launch descriptions
 * of sinks (%NULL: by @display, and the default speaker when @play_audio
 * and one exists).
 *
 * @stock makes the benchmarks' baseline: GStreamer's default encoder and
 * jitterbuffer settings instead of the low-latency ones.  @ice_ports is the
 * port memory all calls made with these options (and their copies) share;
 * sl_media_options_new() makes one for the kernel's ephemeral range.
 */
typedef struct
{
  char         *video_source;
  char         *audio_source;
  char         *camera_source;
  guint         width;
  guint         height;
  guint         framerate;
  guint         video_kbps;
  guint         audio_kbps;
  guint         latency_ms;
  SlVideoCodec  codec;
  SlDisplayMode display;
  char         *png_path;
  char         *video_sink;
  char         *audio_sink;
  gboolean      play_audio;
  char        **ice_addresses;
  char         *stun_server;
  char        **turn_servers;
  gboolean      relay_only;
  gboolean      mark_frames;
  gboolean      stock;
  SlIcePorts   *ice_ports;
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
