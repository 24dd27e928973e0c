/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

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

/**
 * SlGogglesOutput:
 * @SL_GOGGLES_OUTPUT_WINDOW: a full-screen window (X11 or Wayland).
 * @SL_GOGGLES_OUTPUT_PNG: PNG snapshots of exactly what the wearer would
 *   see, every second and once more when the call ends.
 */
typedef enum
{
  SL_GOGGLES_OUTPUT_WINDOW,
  SL_GOGGLES_OUTPUT_PNG,
} SlGogglesOutput;

/**
 * SlGogglesOptions:
 * @output: where the view goes
 * @png_path: the snapshot file, with %SL_GOGGLES_OUTPUT_PNG
 * @width: the view's width, 0 for the display's (1280 without one)
 * @height: the view's height, 0 for the display's (720 without one)
 * @opacity: of the expert's video, 0 to 1
 * @placement: one of slseethrough's presets
 * @scale: of the expert's video, 0.01 to 2
 * @mode: optical or video see-through
 * @framerate: frames per second of the composition
 *
 * Plain data.
 */
typedef struct
{
  SlGogglesOutput  output;
  char            *png_path;
  guint            width;
  guint            height;
  double           opacity;
  char            *placement;
  double           scale;
  SlSeeThroughMode mode;
  guint            framerate;
} SlGogglesOptions;

SlGogglesOptions * sl_goggles_options_new      (void);
void               sl_goggles_options_free     (SlGogglesOptions *self);

gboolean           sl_goggles_options_set_output (SlGogglesOptions *self,
                                                  const char       *spec,
                                                  GError          **error);

gboolean           sl_goggles_options_set_size (SlGogglesOptions *self,
                                                const char       *spec,
                                                GError          **error);

gboolean           sl_goggles_check_placement  (const char       *name,
                                                GError          **error);

gboolean           sl_goggles_check_mode       (const char       *name,
                                                SlSeeThroughMode *out,
                                                GError          **error);

gboolean           sl_goggles_check_opacity    (const char       *text,
                                                double           *out,
                                                GError          **error);

gboolean           sl_goggles_check_scale      (const char       *text,
                                                double           *out,
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlGogglesOptions, sl_goggles_options_free)

G_END_DECLS
