/* Sightline see-through overlay: sink pad
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>
#include <gst/video/gstvideoaggregator.h>

G_BEGIN_DECLS

/**
 * GstSlPlacement:
 *
 * Where the remote video goes in the output frame.  The anchored presets fit
 * the remote video into the output frame keeping its display aspect ratio,
 * multiply that size by #GstSlSeethrough:scale and align the result to the
 * named edge or corner; custom uses #GstSlSeethrough:x, y, width and height.
 */
typedef enum
{
  GST_SL_PLACEMENT_CENTER,
  GST_SL_PLACEMENT_TOP_LEFT,
  GST_SL_PLACEMENT_TOP_RIGHT,
  GST_SL_PLACEMENT_BOTTOM_LEFT,
  GST_SL_PLACEMENT_BOTTOM_RIGHT,
  GST_SL_PLACEMENT_TOP,
  GST_SL_PLACEMENT_BOTTOM,
  GST_SL_PLACEMENT_LEFT,
  GST_SL_PLACEMENT_RIGHT,
  GST_SL_PLACEMENT_CUSTOM,
} GstSlPlacement;

#define GST_TYPE_SL_PLACEMENT (gst_sl_placement_get_type ())
GType gst_sl_placement_get_type (void);

typedef enum
{
  GST_SL_SEETHROUGH_PAD_REMOTE,
  GST_SL_SEETHROUGH_PAD_CAMERA,
} GstSlSeethroughPadRole;

/**
 * GstSlGeometry:
 * @placement: anchor preset or custom
 * @width: custom width in output pixels, 0 = the remote video's width
 * @height: custom height in output pixels, 0 = the remote video's height
 * @scale: factor applied to the fitted (presets) or custom size
 *
 * What decides the size the remote video is scaled to.
 */
typedef struct
{
  GstSlPlacement placement;
  gint           width;
  gint           height;
  gdouble        scale;
} GstSlGeometry;

#define GST_TYPE_SL_SEETHROUGH_PAD (gst_sl_seethrough_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstSlSeethroughPad, gst_sl_seethrough_pad, GST,
    SL_SEETHROUGH_PAD, GstVideoAggregatorConvertPad)

GstSlSeethroughPad     *gst_sl_seethrough_pad_new          (GstPadTemplate         *templ,
                                                            GstSlSeethroughPadRole  role);

GstSlSeethroughPadRole  gst_sl_seethrough_pad_get_role     (GstSlSeethroughPad     *pad);

void                    gst_sl_seethrough_pad_set_geometry (GstSlSeethroughPad     *pad,
                                                            const GstSlGeometry    *geometry);

void                    gst_sl_seethrough_pad_set_skip     (GstSlSeethroughPad     *pad,
                                                            gboolean                skip);

void                    gst_sl_geometry_get_size           (const GstSlGeometry    *geometry,
                                                            const GstVideoInfo     *in,
                                                            const GstVideoInfo     *out,
                                                            gint                   *width,
                                                            gint                   *height);

void                    gst_sl_geometry_get_position       (const GstSlGeometry    *geometry,
                                                            gint                    custom_x,
                                                            gint                    custom_y,
                                                            gint                    out_width,
                                                            gint                    out_height,
                                                            gint                    width,
                                                            gint                    height,
                                                            gint                   *x,
                                                            gint                   *y);

G_END_DECLS
