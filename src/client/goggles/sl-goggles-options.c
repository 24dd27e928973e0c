/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The goggles view's settings with slseethrough's defaults, and the checks
 * that keep a user's values within what the elements accept (command line,
 * standard-input commands).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-goggles-options.h"
#include "sightline/sl-goggles-error.h"

/**
 * sl_goggles_options_new:
 *
 * Returns: (transfer full): a full-screen view, optical, 80% opaque,
 *   centred (slseethrough's own defaults), at the display's size, 30
 *   frames per second
 */
SlGogglesOptions *
sl_goggles_options_new (void)
{
  SlGogglesOptions *self = g_new0 (SlGogglesOptions, 1);

  self->output = SL_GOGGLES_OUTPUT_WINDOW;
  self->opacity = 0.8;
  self->placement = g_strdup ("center");
  self->scale = 1.0;
  self->mode = SL_SEE_THROUGH_OPTICAL;
  self->framerate = 30;
  return self;
}

void
sl_goggles_options_free (SlGogglesOptions * self)
{
  if (self == NULL)
    return;
  g_free (self->png_path);
  g_free (self->placement);
  g_free (self);
}

/**
 * sl_goggles_options_set_output:
 * @self: options
 * @spec: "goggles" (a full-screen window) or "goggles-png:PATH"
 * @error: set for anything else
 *
 * Returns: %TRUE on success
 */
gboolean
sl_goggles_options_set_output (SlGogglesOptions * self, const char *spec,
    GError ** error)
{
  if (g_strcmp0 (spec, "goggles") == 0) {
    self->output = SL_GOGGLES_OUTPUT_WINDOW;
  } else if (spec != NULL && g_str_has_prefix (spec, "goggles-png:")
      && spec[12]) {
    self->output = SL_GOGGLES_OUTPUT_PNG;
    g_free (self->png_path);
    self->png_path = g_strdup (spec + 12);
  } else {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Unknown goggles output \"%s\": use goggles or goggles-png:PATH",
        spec ? spec : "");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_goggles_options_set_size:
 * @self: options
 * @spec: "WIDTHxHEIGHT", each from 16 to 7680
 * @error: set when @spec is not a size
 *
 * Returns: %TRUE on success
 */
gboolean
sl_goggles_options_set_size (SlGogglesOptions * self, const char *spec,
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
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Bad goggles size \"%s\": use WIDTHxHEIGHT, e.g. 1280x720 "
        "(16 to 7680 pixels each)", spec ? spec : "");
    return FALSE;
  }
  self->width = (guint) w;
  self->height = (guint) h;
  return TRUE;
}

/* The slseethrough presets ("custom" needs a rectangle: not offered). */
static const char *const placements[] = { "center", "top-left", "top-right",
  "bottom-left", "bottom-right", "top", "bottom", "left", "right", NULL
};

/**
 * sl_goggles_check_placement:
 * @name: a placement name
 * @error: set when @name is none of slseethrough's presets
 *
 * Returns: %TRUE when @name is a placement
 */
gboolean
sl_goggles_check_placement (const char *name, GError ** error)
{
  if (name && g_strv_contains (placements, name))
    return TRUE;
  {
    g_autofree char *list = g_strjoinv (", ", (char **) placements);

    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Unknown placement \"%s\": use one of %s", name ? name : "", list);
  }
  return FALSE;
}

/**
 * sl_goggles_check_mode:
 * @name: "optical" or "video"
 * @out: (out): the mode
 * @error: set for other names
 *
 * Returns: %TRUE on success
 */
gboolean
sl_goggles_check_mode (const char *name, SlSeeThroughMode * out,
    GError ** error)
{
  if (g_strcmp0 (name, "optical") == 0) {
    *out = SL_SEE_THROUGH_OPTICAL;
  } else if (g_strcmp0 (name, "video") == 0) {
    *out = SL_SEE_THROUGH_VIDEO;
  } else {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
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
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Bad %s \"%s\": give a number from %g to %g", what,
        text ? text : "", min, max);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

/**
 * sl_goggles_check_opacity:
 * @text: a number from 0 to 1
 * @out: (out): the opacity
 * @error: set when @text is not such a number
 *
 * Returns: %TRUE on success
 */
gboolean
sl_goggles_check_opacity (const char *text, double *out, GError ** error)
{
  return parse_number ("opacity", text, 0.0, 1.0, out, error);
}

/**
 * sl_goggles_check_scale:
 * @text: a number from 0.01 to 2 (slseethrough's range)
 * @out: (out): the scale
 * @error: set when @text is not such a number
 *
 * Returns: %TRUE on success
 */
gboolean
sl_goggles_check_scale (const char *text, double *out, GError ** error)
{
  return parse_number ("scale", text, 0.01, 2.0, out, error);
}
