/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Media options with their low-latency defaults, shared by the command
 * line, the call engine, the tests and the benchmarks.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-media-options.h"
#include "sightline/sl-media-error.h"

#include <gst/gst.h>

G_DEFINE_BOXED_TYPE (SlMediaOptions, sl_media_options, sl_media_options_copy,
    sl_media_options_free);

/**
 * sl_media_options_new:
 *
 * Returns: (transfer full): options with the defaults: 640x480 at 30 fps,
 *   1500 kbit/s VP8, 32 kbit/s Opus, 30 ms jitterbuffer, no display; ICE
 *   ports from the kernel's ephemeral range, with a new port memory
 */
SlMediaOptions *
sl_media_options_new (void)
{
  SlMediaOptions *self = g_new0 (SlMediaOptions, 1);

  self->width = 640;
  self->height = 480;
  self->framerate = 30;
  self->video_kbps = 1500;
  self->audio_kbps = 32;
  /* Small enough for loopback and LAN calls; a 200 ms default is what
   * webrtcbin uses and what the benchmarks compare against. */
  self->latency_ms = 30;
  self->codec = SL_VIDEO_CODEC_VP8;
  self->display = SL_DISPLAY_NONE;
  self->ice_ports = sl_ice_ports_new_default ();
  return self;
}

/**
 * sl_media_options_copy:
 * @self: options
 *
 * Returns: (transfer full): a deep copy
 */
SlMediaOptions *
sl_media_options_copy (const SlMediaOptions * self)
{
  SlMediaOptions *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->video_source = g_strdup (self->video_source);
  copy->audio_source = g_strdup (self->audio_source);
  copy->camera_source = g_strdup (self->camera_source);
  copy->png_path = g_strdup (self->png_path);
  copy->video_sink = g_strdup (self->video_sink);
  copy->audio_sink = g_strdup (self->audio_sink);
  copy->ice_addresses = g_strdupv (self->ice_addresses);
  copy->stun_server = g_strdup (self->stun_server);
  copy->turn_servers = g_strdupv (self->turn_servers);
  if (self->ice_ports)
    copy->ice_ports = g_object_ref (self->ice_ports);
  return copy;
}

void
sl_media_options_free (SlMediaOptions * self)
{
  if (self == NULL)
    return;
  g_free (self->video_source);
  g_free (self->audio_source);
  g_free (self->camera_source);
  g_free (self->png_path);
  g_free (self->video_sink);
  g_free (self->audio_sink);
  g_strfreev (self->ice_addresses);
  g_free (self->stun_server);
  g_strfreev (self->turn_servers);
  g_clear_object (&self->ice_ports);
  g_free (self);
}

/**
 * sl_media_options_set_display:
 * @self: options
 * @spec: "window", "none" or "png:PATH"
 * @error: set when @spec is none of these
 *
 * A window also plays received audio on the default speaker.
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_options_set_display (SlMediaOptions * self, const char *spec,
    GError ** error)
{
  if (g_strcmp0 (spec, "window") == 0) {
    self->display = SL_DISPLAY_WINDOW;
    self->play_audio = TRUE;
  } else if (g_strcmp0 (spec, "none") == 0) {
    self->display = SL_DISPLAY_NONE;
  } else if (spec != NULL && g_str_has_prefix (spec, "png:") && spec[4]) {
    self->display = SL_DISPLAY_PNG;
    g_free (self->png_path);
    self->png_path = g_strdup (spec + 4);
  } else {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Unknown display \"%s\": use window, none or png:PATH",
        spec ? spec : "");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_media_options_set_codec:
 * @self: options
 * @name: "vp8" or "h264"
 * @error: set for other names
 *
 * H.264 is a preference: it is used only when both devices can encode and
 * decode it, VP8 otherwise.
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_options_set_codec (SlMediaOptions * self, const char *name,
    GError ** error)
{
  if (g_ascii_strcasecmp (name, "vp8") == 0) {
    self->codec = SL_VIDEO_CODEC_VP8;
  } else if (g_ascii_strcasecmp (name, "h264") == 0) {
    self->codec = SL_VIDEO_CODEC_H264;
  } else {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Unknown video codec \"%s\": use vp8 or h264", name);
    return FALSE;
  }
  return TRUE;
}

const char *
sl_video_codec_to_string (SlVideoCodec codec)
{
  return codec == SL_VIDEO_CODEC_H264 ? "h264" : "vp8";
}

static gboolean
have_elements (const char *const *names)
{
  for (; *names; names++) {
    g_autoptr (GstElementFactory) f = gst_element_factory_find (*names);
    if (f == NULL)
      return FALSE;
  }
  return TRUE;
}

/**
 * sl_video_codec_available:
 * @codec: a codec
 *
 * Returns: %TRUE when this machine has the encoder, decoder, payloader and
 *   depayloader that a call with @codec needs
 */
gboolean
sl_video_codec_available (SlVideoCodec codec)
{
  static const char *const vp8[] =
      { "vp8enc", "vp8dec", "rtpvp8pay", "rtpvp8depay", NULL };
  static const char *const h264[] = { "openh264enc", "openh264dec",
    "rtph264pay", "rtph264depay", "h264parse", NULL
  };

  return have_elements (codec == SL_VIDEO_CODEC_H264 ? h264 : vp8);
}
