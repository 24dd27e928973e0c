/* Sightline see-through overlay: where the remote videos go
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure functions from a pad's geometry and the negotiated formats to the
 * rectangle its remote video is drawn in, and from the camera's and the
 * output's aspect ratios to the camera crop.  Every rule that decides a
 * rectangle lives here, so the pads (size of the conversion), the element
 * (position of the blend, the rectangles it reports downstream) and the
 * documentation agree:
 *
 *  - presets fit the video's display aspect ratio into the video area, the
 *    frame minus the rows a HUD downstream reserves at the top and bottom
 *    (each at most a quarter of the height), scale it and align it to an
 *    edge or corner of the area;
 *  - custom fits the video into the box (x, y, width × scale,
 *    height × scale), centred, never stretched;
 *  - tiles (two or three videos) fit the video into a cell beside or above
 *    the clear centre, the middle 50% × 50% of the frame, and never enter
 *    it;
 *  - I420/YV12 outputs: presets and tiles use even sizes and positions
 *    inside even-aligned boxes, so that rounding a position down to a
 *    chroma block never moves a video out of its box.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslvideolayout.h"

#include <math.h>

/* The converted remote frame is allocated per frame: keep it bounded. */
#define MAX_SCALE_OF_OUTPUT 2

GType
gst_sl_placement_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_PLACEMENT_CENTER, "Centred", "center"},
    {GST_SL_PLACEMENT_TOP_LEFT, "Top-left corner", "top-left"},
    {GST_SL_PLACEMENT_TOP_RIGHT, "Top-right corner", "top-right"},
    {GST_SL_PLACEMENT_BOTTOM_LEFT, "Bottom-left corner", "bottom-left"},
    {GST_SL_PLACEMENT_BOTTOM_RIGHT, "Bottom-right corner", "bottom-right"},
    {GST_SL_PLACEMENT_TOP, "Top edge, centred horizontally", "top"},
    {GST_SL_PLACEMENT_BOTTOM, "Bottom edge, centred horizontally", "bottom"},
    {GST_SL_PLACEMENT_LEFT, "Left edge, centred vertically", "left"},
    {GST_SL_PLACEMENT_RIGHT, "Right edge, centred vertically", "right"},
    {GST_SL_PLACEMENT_CUSTOM, "Fitted into the box x, y, width, height",
        "custom"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlPlacement", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_sl_pad_placement_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_PAD_PLACEMENT_AUTO, "The element's rule (placement or tiles)",
        "auto"},
    {GST_SL_PAD_PLACEMENT_CENTER, "Centred", "center"},
    {GST_SL_PAD_PLACEMENT_TOP_LEFT, "Top-left corner", "top-left"},
    {GST_SL_PAD_PLACEMENT_TOP_RIGHT, "Top-right corner", "top-right"},
    {GST_SL_PAD_PLACEMENT_BOTTOM_LEFT, "Bottom-left corner", "bottom-left"},
    {GST_SL_PAD_PLACEMENT_BOTTOM_RIGHT, "Bottom-right corner",
        "bottom-right"},
    {GST_SL_PAD_PLACEMENT_TOP, "Top edge, centred horizontally", "top"},
    {GST_SL_PAD_PLACEMENT_BOTTOM, "Bottom edge, centred horizontally",
        "bottom"},
    {GST_SL_PAD_PLACEMENT_LEFT, "Left edge, centred vertically", "left"},
    {GST_SL_PAD_PLACEMENT_RIGHT, "Right edge, centred vertically", "right"},
    {GST_SL_PAD_PLACEMENT_CUSTOM, "Fitted into the pad's box x, y, width, "
          "height", "custom"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlPadPlacement", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/**
 * gst_sl_geometry_equal:
 * @a: a geometry
 * @b: another
 *
 * Returns: whether both give the same rectangles
 */
gboolean
gst_sl_geometry_equal (const GstSlGeometry * a, const GstSlGeometry * b)
{
  return a->placement == b->placement && a->tile == b->tile &&
      a->x == b->x && a->y == b->y && a->width == b->width &&
      a->height == b->height && a->scale == b->scale &&
      a->reserve_top == b->reserve_top &&
      a->reserve_bottom == b->reserve_bottom;
}

/**
 * gst_sl_tile_for_rank:
 * @rank: position of the video among the tiled ones (0 = first)
 * @count: how many videos are tiled
 *
 * Returns: none for a single video; left, right for two; left, right,
 * top for three
 */
GstSlTile
gst_sl_tile_for_rank (guint rank, guint count)
{
  static const GstSlTile order[] = {
    GST_SL_TILE_LEFT, GST_SL_TILE_RIGHT, GST_SL_TILE_TOP,
  };

  if (count < 2 || rank >= G_N_ELEMENTS (order))
    return GST_SL_TILE_NONE;
  return order[rank];
}

/**
 * gst_sl_keepout:
 * @width: frame width
 * @height: frame height
 * @rect: (out): the clear centre of the wearer's view, the middle 50% ×
 *     50%: x from width/4, y from height/4 (integer division)
 *
 * Tiled videos and the HUD never draw there.
 */
void
gst_sl_keepout (gint width, gint height, GstVideoRectangle * rect)
{
  rect->x = width / 4;
  rect->y = height / 4;
  rect->w = width - 2 * (width / 4);
  rect->h = height - 2 * (height / 4);
}

/* floor (v / 2), also for negative v */
static gint
half_floor (gint64 v)
{
  return v >= 0 ? (gint) (v / 2) : (gint) - ((-v + 1) / 2);
}

/* floor to even, also for negative v */
static gint
even_floor (gint v)
{
  return v - (v & 1);
}

/* Chroma samples cover 2×2 blocks: positions must be even. */
static gboolean
needs_even (const GstVideoInfo * out)
{
  return out->finfo && (GST_VIDEO_FORMAT_INFO_W_SUB (out->finfo, 1) > 0 ||
      GST_VIDEO_FORMAT_INFO_H_SUB (out->finfo, 1) > 0);
}

/* Shrinks @b to even edges inside itself. */
static void
box_even_inside (GstVideoRectangle * b)
{
  gint x1 = b->x + b->w, y1 = b->y + b->h;

  b->x += b->x & 1;
  b->y += b->y & 1;
  b->w = MAX (0, even_floor (x1 - b->x));
  b->h = MAX (0, even_floor (y1 - b->y));
}

/* The display aspect ratio of @in in output pixels, or FALSE. */
static gboolean
display_ratio (const GstVideoInfo * in, const GstVideoInfo * out,
    guint * dar_n, guint * dar_d)
{
  gint in_w = GST_VIDEO_INFO_WIDTH (in), in_h = GST_VIDEO_INFO_HEIGHT (in);

  if (in_w <= 0 || in_h <= 0)
    return FALSE;
  return gst_video_calculate_display_ratio (dar_n, dar_d, in_w, in_h,
      MAX (GST_VIDEO_INFO_PAR_N (in), 1), MAX (GST_VIDEO_INFO_PAR_D (in), 1),
      MAX (GST_VIDEO_INFO_PAR_N (out), 1), MAX (GST_VIDEO_INFO_PAR_D (out), 1));
}

/* The largest size of @in's aspect ratio inside box_w × box_h. */
static void
fit (const GstVideoInfo * in, const GstVideoInfo * out, gint64 box_w,
    gint64 box_h, gdouble * w, gdouble * h)
{
  guint dar_n, dar_d;

  if (box_w <= 0 || box_h <= 0 || !display_ratio (in, out, &dar_n, &dar_d)) {
    *w = box_w;
    *h = box_h;
  } else if ((guint64) box_w * dar_d >= (guint64) box_h * dar_n) {
    /* box wider than the video: full height */
    *h = box_h;
    *w = gst_util_uint64_scale_int_round (box_h, dar_n, dar_d);
  } else {
    *w = box_w;
    *h = gst_util_uint64_scale_int_round (box_w, dar_d, dar_n);
  }
}

/* The rows reserved for a HUD, each at most a quarter of the height. */
static void
reserves (const GstSlGeometry * g, gint out_h, gint * top, gint * bottom)
{
  *top = CLAMP (g->reserve_top, 0, out_h / 4);
  *bottom = CLAMP (g->reserve_bottom, 0, out_h / 4);
}

static void
set_rect (GstVideoRectangle * r, gint x, gint y, gint w, gint h)
{
  r->x = x;
  r->y = y;
  r->w = w;
  r->h = h;
}

/* Presets: the frame minus the reserves; tiles: their cell. */
static void
area_box (const GstSlGeometry * g, const GstVideoInfo * out,
    GstVideoRectangle * box)
{
  gint W = GST_VIDEO_INFO_WIDTH (out), H = GST_VIDEO_INFO_HEIGHT (out);
  gint top, bottom;

  reserves (g, H, &top, &bottom);
  switch (g->tile) {
    case GST_SL_TILE_LEFT:
      set_rect (box, 0, top, W / 4, H - top - bottom);
      break;
    case GST_SL_TILE_RIGHT:
      set_rect (box, W - W / 4, top, W / 4, H - top - bottom);
      break;
    case GST_SL_TILE_TOP:
      set_rect (box, W / 4, 0, W - 2 * (W / 4), H / 4);
      break;
    case GST_SL_TILE_NONE:
    default:
      set_rect (box, 0, top, W, H - top - bottom);
      break;
  }
  if (needs_even (out))
    box_even_inside (box);
}

/* The custom box's size before fitting, scaled and bounded. */
static void
custom_box_size (const GstSlGeometry * g, const GstVideoInfo * in,
    const GstVideoInfo * out, gdouble * w, gdouble * h)
{
  gint in_w = GST_VIDEO_INFO_WIDTH (in), in_h = GST_VIDEO_INFO_HEIGHT (in);
  gint out_w = GST_VIDEO_INFO_WIDTH (out), out_h = GST_VIDEO_INFO_HEIGHT (out);
  guint dar_n, dar_d;
  gboolean dar = display_ratio (in, out, &dar_n, &dar_d);

  if (g->width > 0 && g->height > 0) {
    *w = g->width;
    *h = g->height;
  } else if (g->width > 0) {
    *w = g->width;
    *h = dar ? (gdouble) gst_util_uint64_scale_int_round (g->width, dar_d,
        dar_n) : (gdouble) MAX (in_h, 1);
  } else if (g->height > 0) {
    *h = g->height;
    *w = dar ? (gdouble) gst_util_uint64_scale_int_round (g->height, dar_n,
        dar_d) : (gdouble) MAX (in_w, 1);
  } else {
    *w = in_w;
    *h = in_h;
  }
  *w *= g->scale;
  *h *= g->scale;
  if (out_w > 0 && out_h > 0) {
    /* shrink both sides alike so the aspect ratio survives the bound */
    gdouble f = MIN ((gdouble) MAX_SCALE_OF_OUTPUT * out_w / MAX (*w, 1.0),
        (gdouble) MAX_SCALE_OF_OUTPUT * out_h / MAX (*h, 1.0));

    if (f < 1.0) {
      *w *= f;
      *h *= f;
    }
  }
}

static gint
to_pixels (gdouble v)
{
  return (gint) CLAMP (floor (v + 0.5), 1, G_MAXINT / 8);
}

/**
 * gst_sl_geometry_get_size:
 * @geometry: the placement settings
 * @in: the remote video's input info
 * @out: the output info
 * @width: (out): drawn width, at least 1
 * @height: (out): drawn height, at least 1
 *
 * Presets fit @in's display aspect ratio into the video area, tiles into
 * their cell, custom into its box; presets and custom then apply the scale,
 * tiles a scale of at most 1.  The result is shrunk, keeping its aspect
 * ratio, to at most twice the output size and rounded; I420/YV12 outputs
 * round preset and tile sizes down to even.
 */
void
gst_sl_geometry_get_size (const GstSlGeometry * geometry,
    const GstVideoInfo * in, const GstVideoInfo * out, gint * width,
    gint * height)
{
  gint out_w = GST_VIDEO_INFO_WIDTH (out), out_h = GST_VIDEO_INFO_HEIGHT (out);
  gdouble w, h, f;

  if (geometry->tile == GST_SL_TILE_NONE &&
      geometry->placement == GST_SL_PLACEMENT_CUSTOM) {
    custom_box_size (geometry, in, out, &w, &h);
    if (geometry->width > 0 && geometry->height > 0)
      fit (in, out, to_pixels (w), to_pixels (h), &w, &h);
    *width = to_pixels (w);
    *height = to_pixels (h);
    return;
  }

  if (out_w <= 0 || out_h <= 0) {
    *width = MAX (GST_VIDEO_INFO_WIDTH (in), 1);
    *height = MAX (GST_VIDEO_INFO_HEIGHT (in), 1);
    return;
  }
  {
    GstVideoRectangle box;

    area_box (geometry, out, &box);
    fit (in, out, box.w, box.h, &w, &h);
  }
  f = geometry->tile == GST_SL_TILE_NONE ? geometry->scale :
      MIN (geometry->scale, 1.0);
  w *= f;
  h *= f;
  f = MIN ((gdouble) MAX_SCALE_OF_OUTPUT * out_w / MAX (w, 1.0),
      (gdouble) MAX_SCALE_OF_OUTPUT * out_h / MAX (h, 1.0));
  if (f < 1.0) {
    w *= f;
    h *= f;
  }
  *width = to_pixels (w);
  *height = to_pixels (h);
  if (needs_even (out)) {
    /* floor: the size stays inside the even-aligned box */
    *width = MAX (1, even_floor ((gint) floor (w)));
    *height = MAX (1, even_floor ((gint) floor (h)));
  }
}

/* Offset that centres @size in @room, even for chroma-subsampled outputs. */
static gint
centre_offset (gint room, gint size, gboolean even)
{
  gint off = half_floor ((gint64) room - size);

  return even ? even_floor (off) : off;
}

/**
 * gst_sl_geometry_get_position:
 * @geometry: the placement settings
 * @in: the remote video's input info
 * @out: the output info
 * @width: width of the drawn video
 * @height: height of the drawn video
 * @x: (out): left edge in the output (may be negative)
 * @y: (out): top edge in the output (may be negative)
 *
 * Presets align the video to the named edge or corner of the video area,
 * centring along the other direction with floor ((room − size) / 2); side
 * tiles are flush with the frame's edge and centred vertically in their
 * cell, the top tile flush with the top and centred horizontally; custom
 * centres the video in its box (at (x, y) exactly when only one side or
 * none of the box is given).
 */
void
gst_sl_geometry_get_position (const GstSlGeometry * geometry,
    const GstVideoInfo * in, const GstVideoInfo * out, gint width,
    gint height, gint * x, gint * y)
{
  gboolean even = needs_even (out);
  GstVideoRectangle a;
  gint left, right, top, bottom, cx, cy;

  if (geometry->tile == GST_SL_TILE_NONE &&
      geometry->placement == GST_SL_PLACEMENT_CUSTOM) {
    gdouble bw, bh;

    *x = geometry->x;
    *y = geometry->y;
    if (geometry->width > 0 && geometry->height > 0) {
      custom_box_size (geometry, in, out, &bw, &bh);
      *x += centre_offset (to_pixels (bw), width, FALSE);
      *y += centre_offset (to_pixels (bh), height, FALSE);
    }
    return;
  }

  area_box (geometry, out, &a);
  left = a.x;
  right = a.x + a.w - width;
  top = a.y;
  bottom = a.y + a.h - height;
  cx = a.x + centre_offset (a.w, width, even);
  cy = a.y + centre_offset (a.h, height, even);

  switch (geometry->tile) {
    case GST_SL_TILE_LEFT:
      *x = left;
      *y = cy;
      return;
    case GST_SL_TILE_RIGHT:
      *x = right;
      *y = cy;
      return;
    case GST_SL_TILE_TOP:
      *x = cx;
      *y = top;
      return;
    case GST_SL_TILE_NONE:
    default:
      break;
  }

  switch (geometry->placement) {
    case GST_SL_PLACEMENT_TOP_LEFT:
      *x = left;
      *y = top;
      break;
    case GST_SL_PLACEMENT_TOP_RIGHT:
      *x = right;
      *y = top;
      break;
    case GST_SL_PLACEMENT_BOTTOM_LEFT:
      *x = left;
      *y = bottom;
      break;
    case GST_SL_PLACEMENT_BOTTOM_RIGHT:
      *x = right;
      *y = bottom;
      break;
    case GST_SL_PLACEMENT_TOP:
      *x = cx;
      *y = top;
      break;
    case GST_SL_PLACEMENT_BOTTOM:
      *x = cx;
      *y = bottom;
      break;
    case GST_SL_PLACEMENT_LEFT:
      *x = left;
      *y = cy;
      break;
    case GST_SL_PLACEMENT_RIGHT:
      *x = right;
      *y = cy;
      break;
    case GST_SL_PLACEMENT_CENTER:
    default:
      *x = cx;
      *y = cy;
      break;
  }
}

/**
 * gst_sl_camera_crop:
 * @in: the camera's input info
 * @out: the output info
 * @crop: (out): the part of the camera frame that fills the output
 *
 * Crop to fill: the largest centred rectangle of the camera frame with the
 * output's display aspect ratio (pixel aspect ratios of both included), so
 * that scaling it to the output size scales both directions alike.
 *
 * Returns: %FALSE when either size is unknown (@crop is the whole frame)
 */
gboolean
gst_sl_camera_crop (const GstVideoInfo * in, const GstVideoInfo * out,
    GstVideoRectangle * crop)
{
  gint in_w = GST_VIDEO_INFO_WIDTH (in), in_h = GST_VIDEO_INFO_HEIGHT (in);
  gint out_w = GST_VIDEO_INFO_WIDTH (out), out_h = GST_VIDEO_INFO_HEIGHT (out);
  guint64 pn = (guint64) MAX (GST_VIDEO_INFO_PAR_N (in), 1);
  guint64 pd = (guint64) MAX (GST_VIDEO_INFO_PAR_D (in), 1);
  guint64 opn = (guint64) MAX (GST_VIDEO_INFO_PAR_N (out), 1);
  guint64 opd = (guint64) MAX (GST_VIDEO_INFO_PAR_D (out), 1);
  guint64 lhs, rhs, v;

  set_rect (crop, 0, 0, in_w, in_h);
  if (in_w <= 0 || in_h <= 0 || out_w <= 0 || out_h <= 0)
    return FALSE;

  /* in wider than out when in_w·pn / (in_h·pd) > out_w·opn / (out_h·opd) */
  lhs = (guint64) in_w *pn * out_h * opd;
  rhs = (guint64) out_w *opn * in_h * pd;
  if (lhs > rhs) {
    /* keep the height: width = in_h · (out_w·opn / (out_h·opd)) · pd / pn */
    v = gst_util_uint64_scale_round ((guint64) in_h * out_w, opn * pd,
        (guint64) out_h * opd * pn);
    crop->w = (gint) CLAMP (v, 1, (guint64) in_w);
    crop->x = (in_w - crop->w) / 2;
  } else if (lhs < rhs) {
    v = gst_util_uint64_scale_round ((guint64) in_w * out_h, opd * pn,
        (guint64) out_w * opn * pd);
    crop->h = (gint) CLAMP (v, 1, (guint64) in_h);
    crop->y = (in_h - crop->h) / 2;
  }
  return TRUE;
}
