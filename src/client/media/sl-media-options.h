/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-ice-ports.h"

G_BEGIN_DECLS

/**
 * SlDisplayMode:
 * @SL_DISPLAY_NONE: decode and count, show nothing.
 * @SL_DISPLAY_WINDOW: a window (autovideosink) and the default speaker.
 * @SL_DISPLAY_PNG: keep the last received frame and write it as PNG.
 * @SL_DISPLAY_GOGGLES: the goggles view (see-through composition and HUD
 *   from the `sightline` GStreamer plugin) full screen.
 * @SL_DISPLAY_GOGGLES_PNG: the goggles view written as PNG snapshots of
 *   exactly what the wearer would see.
 */
typedef enum
{
  SL_DISPLAY_NONE,
  SL_DISPLAY_WINDOW,
  SL_DISPLAY_PNG,
  SL_DISPLAY_GOGGLES,
  SL_DISPLAY_GOGGLES_PNG,
} SlDisplayMode;

/**
 * SlSeeThroughMode:
 * @SL_SEE_THROUGH_OPTICAL: remote video over black (additive displays).
 * @SL_SEE_THROUGH_VIDEO: remote video over the wearer's camera.
 *
 * Values match the slseethrough element's "mode" property.
 */
typedef enum
{
  SL_SEE_THROUGH_OPTICAL,
  SL_SEE_THROUGH_VIDEO,
} SlSeeThroughMode;

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
 *
 * The goggles_* members shape the goggles view; @camera_source is the
 * wearer's camera behind video see-through (%NULL: the capture that feeds
 * the outgoing video).  @goggles_view is the running SlGogglesView the
 * call's pipeline draws into (a reference; %NULL without a goggles
 * display).  @ice_ports is the port memory all calls made with these
 * options (and their copies) share; sl_media_options_new() makes one for
 * the kernel's ephemeral range.
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
  guint         goggles_width;
  guint         goggles_height;
  double        goggles_opacity;
  char         *goggles_placement;
  double        goggles_scale;
  SlSeeThroughMode goggles_mode;
  char         *camera_source;
  GObject      *goggles_view;
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

gboolean         sl_media_options_set_goggles_size (SlMediaOptions *self,
                                                    const char     *spec,
                                                    GError        **error);

gboolean         sl_media_check_placement   (const char *name,
                                             GError    **error);

gboolean         sl_media_check_see_through_mode (const char       *name,
                                                  SlSeeThroughMode *out,
                                                  GError          **error);

gboolean         sl_media_check_opacity     (const char *text,
                                             double     *out,
                                             GError    **error);

gboolean         sl_media_check_scale       (const char *text,
                                             double     *out,
                                             GError    **error);

gboolean         sl_media_display_is_goggles (SlDisplayMode display);

const char *     sl_video_codec_to_string   (SlVideoCodec codec);

gboolean         sl_video_codec_available   (SlVideoCodec codec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlMediaOptions, sl_media_options_free)

G_END_DECLS
