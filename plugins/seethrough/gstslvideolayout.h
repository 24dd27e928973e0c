/* Sightline see-through overlay: where the remote videos go
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstSlPlacement:
 *
 * Where a remote video goes in the output frame.  The anchored presets fit
 * the remote video into the video area (the frame minus the bands a HUD
 * downstream reserves) keeping its display aspect ratio, multiply that size
 * by the scale and align the result to the named edge or corner of the
 * area; custom fits the video into an explicit box (x, y, width, height).
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

/**
 * GstSlPadPlacement:
 * @GST_SL_PAD_PLACEMENT_AUTO: the element's rule: its own placement for a
 *     single video, tiles for two or three
 *
 * A remote pad's own placement: auto, or one of #GstSlPlacement (value + 1)
 * that takes the pad out of the element's rule.
 */
typedef enum
{
  GST_SL_PAD_PLACEMENT_AUTO,
  GST_SL_PAD_PLACEMENT_CENTER,
  GST_SL_PAD_PLACEMENT_TOP_LEFT,
  GST_SL_PAD_PLACEMENT_TOP_RIGHT,
  GST_SL_PAD_PLACEMENT_BOTTOM_LEFT,
  GST_SL_PAD_PLACEMENT_BOTTOM_RIGHT,
  GST_SL_PAD_PLACEMENT_TOP,
  GST_SL_PAD_PLACEMENT_BOTTOM,
  GST_SL_PAD_PLACEMENT_LEFT,
  GST_SL_PAD_PLACEMENT_RIGHT,
  GST_SL_PAD_PLACEMENT_CUSTOM,
} GstSlPadPlacement;

#define GST_TYPE_SL_PAD_PLACEMENT (gst_sl_pad_placement_get_type ())
GType gst_sl_pad_placement_get_type (void);

/**
 * GstSlTile:
 * @GST_SL_TILE_NONE: not a tile: the geometry's placement applies
 * @GST_SL_TILE_LEFT: the band left of the clear centre
 * @GST_SL_TILE_RIGHT: the band right of the clear centre
 * @GST_SL_TILE_TOP: the band above the clear centre
 *
 * The cells of the tiling rule for two or three remote videos.
 */
typedef enum
{
  GST_SL_TILE_NONE,
  GST_SL_TILE_LEFT,
  GST_SL_TILE_RIGHT,
  GST_SL_TILE_TOP,
} GstSlTile;

/* How many remote videos slseethrough draws at most. */
#define GST_SL_MAX_REMOTES 3

/**
 * GstSlGeometry:
 * @placement: anchor preset or custom (when @tile is none)
 * @tile: the cell of the tiling rule, or none
 * @x: left edge of the custom box
 * @y: top edge of the custom box
 * @width: custom box width, 0 = from @height and the video's aspect ratio
 *     (both 0: the video's own size)
 * @height: custom box height, 0 = likewise
 * @scale: factor on the fitted size (presets, tiles: at most 1) or on the
 *     custom box
 * @reserve_top: rows at the top that presets and side tiles leave free
 * @reserve_bottom: rows at the bottom likewise
 *
 * What decides the rectangle a remote video is drawn in.
 */
typedef struct
{
  GstSlPlacement placement;
  GstSlTile      tile;
  gint           x;
  gint           y;
  gint           width;
  gint           height;
  gdouble        scale;
  gint           reserve_top;
  gint           reserve_bottom;
} GstSlGeometry;

gboolean  gst_sl_geometry_equal          (const GstSlGeometry      *a,
                                          const GstSlGeometry      *b);

GstSlTile gst_sl_tile_for_rank           (guint                     rank,
                                          guint                     count);

void      gst_sl_keepout                 (gint                      width,
                                          gint                      height,
                                          GstVideoRectangle        *rect);

void      gst_sl_geometry_get_size       (const GstSlGeometry      *geometry,
                                          const GstVideoInfo       *in,
                                          const GstVideoInfo       *out,
                                          gint                     *width,
                                          gint                     *height);

void      gst_sl_geometry_get_position   (const GstSlGeometry      *geometry,
                                          const GstVideoInfo       *in,
                                          const GstVideoInfo       *out,
                                          gint                      width,
                                          gint                      height,
                                          gint                     *x,
                                          gint                     *y);

gboolean  gst_sl_camera_crop             (const GstVideoInfo       *in,
                                          const GstVideoInfo       *out,
                                          GstVideoRectangle        *crop);

G_END_DECLS
