/* Sightline see-through blending kernels
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstSlBlendParams:
 * @opacity: A = round (opacity × 255)
 * @luma_key: whether the luma key is applied
 * @key_threshold: T, luma below which the remote pixel is fully transparent
 * @key_softness: S, width of the linear ramp above @key_threshold
 * @edge_boost: whether edge boost is applied
 * @edge_strength: round (strength × 255)
 * @use_src_alpha: whether the remote frame's own alpha channel is honoured
 *
 * The exact per-pixel formulas are documented in docs/GOGGLES.md and in the
 * element documentation of slseethrough.
 */
typedef struct
{
  guint8   opacity;
  gboolean luma_key;
  guint8   key_threshold;
  guint8   key_softness;
  gboolean edge_boost;
  guint8   edge_strength;
  gboolean use_src_alpha;
} GstSlBlendParams;

guint8   gst_sl_blend_opacity_byte    (gdouble                  opacity);

gboolean gst_sl_blend_supports_format (GstVideoFormat format);

gboolean gst_sl_blend_frame           (GstVideoFrame           *out,
                                       const GstVideoFrame     *remote,
                                       gint                     x,
                                       gint                     y,
                                       const GstVideoFrame     *camera,
                                       const GstSlBlendParams  *params);

gboolean gst_sl_blend_frame_over      (GstVideoFrame           *out,
                                       const GstVideoFrame     *remote,
                                       gint                     x,
                                       gint                     y,
                                       const GstSlBlendParams  *params);

G_END_DECLS
