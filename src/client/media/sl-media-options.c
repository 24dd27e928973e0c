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

#include "sl-media-options.h"
#include "sightline/sl-media-error.h"

#include <gst/gst.h>

G_DEFINE_BOXED_TYPE (SlMediaOptions, sl_media_options, sl_media_options_copy,
    sl_media_options_free);

/**
 * sl_media_options_new:
 *
 * Returns: (transfer full): options with the defaults: 640x480 at 30 fps,
 *   1500 kbit/s VP8, 32 kbit/s Opus, 30 ms jitterbuffer, no display; a
 *   goggles view would be optical, 80% opaque, centred, at the display's
 *   size (1280x720 without one); ICE ports from the kernel's ephemeral
 *   range, with a new port memory
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
  /* slseethrough's own defaults. */
  self->goggles_opacity = 0.8;
  self->goggles_placement = g_strdup ("center");
  self->goggles_scale = 1.0;
  self->goggles_mode = SL_SEE_THROUGH_OPTICAL;
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
  copy->png_path = g_strdup (self->png_path);
  copy->ice_addresses = g_strdupv (self->ice_addresses);
  copy->stun_server = g_strdup (self->stun_server);
  copy->turn_servers = g_strdupv (self->turn_servers);
  copy->goggles_placement = g_strdup (self->goggles_placement);
  copy->camera_source = g_strdup (self->camera_source);
  if (self->goggles_view)
    copy->goggles_view = g_object_ref (self->goggles_view);
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
  g_free (self->png_path);
  g_strfreev (self->ice_addresses);
  g_free (self->stun_server);
  g_strfreev (self->turn_servers);
  g_free (self->goggles_placement);
  g_free (self->camera_source);
  g_clear_object (&self->goggles_view);
  g_clear_object (&self->ice_ports);
  g_free (self);
}

/**
 * sl_media_options_set_display:
 * @self: options
 * @spec: "window", "none", "png:PATH", "goggles" or "goggles-png:PATH"
 * @error: set when @spec is none of these
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_options_set_display (SlMediaOptions * self, const char *spec,
    GError ** error)
{
  const char *path = NULL;

  if (g_strcmp0 (spec, "window") == 0) {
    self->display = SL_DISPLAY_WINDOW;
  } else if (g_strcmp0 (spec, "none") == 0) {
    self->display = SL_DISPLAY_NONE;
  } else if (g_strcmp0 (spec, "goggles") == 0) {
    self->display = SL_DISPLAY_GOGGLES;
  } else if (spec != NULL && g_str_has_prefix (spec, "png:") && spec[4]) {
    self->display = SL_DISPLAY_PNG;
    path = spec + 4;
  } else if (spec != NULL && g_str_has_prefix (spec, "goggles-png:")
      && spec[12]) {
    self->display = SL_DISPLAY_GOGGLES_PNG;
    path = spec + 12;
  } else {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Unknown display \"%s\": use window, none, png:PATH, goggles or "
        "goggles-png:PATH", spec ? spec : "");
    return FALSE;
  }
  if (path) {
    g_free (self->png_path);
    self->png_path = g_strdup (path);
  }
  return TRUE;
}

/**
 * sl_media_display_is_goggles:
 * @display: a display mode
 *
 * Returns: %TRUE for the goggles view, in a window or as PNG
 */
gboolean
sl_media_display_is_goggles (SlDisplayMode display)
{
  return display == SL_DISPLAY_GOGGLES || display == SL_DISPLAY_GOGGLES_PNG;
}

/**
 * sl_media_options_set_goggles_size:
 * @self: options
 * @spec: "WIDTHxHEIGHT", each from 16 to 7680
 * @error: set when @spec is not a size
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_options_set_goggles_size (SlMediaOptions * self, const char *spec,
    GError ** error)
{
  guint64 w = 0, h = 0;
  char *end = NULL;

  if (spec != NULL && g_ascii_isdigit (*spec)) {
    w = g_ascii_strtoull (spec, &end, 10);
    if (end && (*end == 'x' || *end == 'X') && g_ascii_isdigit (end[1]))
      h = g_ascii_strtoull (end + 1, &end, 10);
  }
  if (end == NULL || *end != '\0' || w < 16 || h < 16 || w > 7680 || h > 7680) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Bad goggles size \"%s\": use WIDTHxHEIGHT, e.g. 1280x720 "
        "(16 to 7680 pixels each)", spec ? spec : "");
    return FALSE;
  }
  self->goggles_width = (guint) w;
  self->goggles_height = (guint) h;
  return TRUE;
}

/* The slseethrough presets ("custom" needs a rectangle: not offered). */
static const char *const placements[] = { "center", "top-left", "top-right",
  "bottom-left", "bottom-right", "top", "bottom", "left", "right", NULL
};

/**
 * sl_media_check_placement:
 * @name: a placement name
 * @error: set when @name is none of slseethrough's presets
 *
 * Returns: %TRUE when @name is a placement
 */
gboolean
sl_media_check_placement (const char *name, GError ** error)
{
  if (name && g_strv_contains (placements, name))
    return TRUE;
  {
    g_autofree char *list = g_strjoinv (", ", (char **) placements);

    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Unknown placement \"%s\": use one of %s", name ? name : "", list);
  }
  return FALSE;
}

/**
 * sl_media_check_see_through_mode:
 * @name: "optical" or "video"
 * @out: (out): the mode
 * @error: set for other names
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_check_see_through_mode (const char *name, SlSeeThroughMode * out,
    GError ** error)
{
  if (g_strcmp0 (name, "optical") == 0) {
    *out = SL_SEE_THROUGH_OPTICAL;
  } else if (g_strcmp0 (name, "video") == 0) {
    *out = SL_SEE_THROUGH_VIDEO;
  } else {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Unknown see-through mode \"%s\": use optical or video",
        name ? name : "");
    return FALSE;
  }
  return TRUE;
}

static gboolean
parse_number (const char *what, const char *text, double min, double max,
    double *out, GError ** error)
{
  char *end = NULL;
  double v = text ? g_ascii_strtod (text, &end) : 0;

  /* "nan" parses but fails both comparisons. */
  if (text == NULL || end == text || *end != '\0' || !(v >= min && v <= max)) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Bad %s \"%s\": give a number from %g to %g", what,
        text ? text : "", min, max);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

/**
 * sl_media_check_opacity:
 * @text: a number from 0 to 1
 * @out: (out): the opacity
 * @error: set when @text is not such a number
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_check_opacity (const char *text, double *out, GError ** error)
{
  return parse_number ("opacity", text, 0.0, 1.0, out, error);
}

/**
 * sl_media_check_scale:
 * @text: a number from 0.01 to 2 (slseethrough's range)
 * @out: (out): the scale
 * @error: set when @text is not such a number
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_check_scale (const char *text, double *out, GError ** error)
{
  return parse_number ("scale", text, 0.01, 2.0, out, error);
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
