/* Sightline see-through overlay: sink pad
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The "remote" and "camera" pads of slseethrough.  Both convert their input
 * to the output format through GstVideoAggregatorConvertPad; the remote pad
 * also scales to the size its placement asks for, the camera pad to the
 * output size.  The element pushes the geometry into the pad (see
 * gst_sl_seethrough_pad_set_geometry()) instead of the pad reading the
 * element's properties, because create_conversion_info() runs with the pad's
 * object lock held and the element takes its own lock before the pad's.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslseethroughpad.h"

#include <math.h>

GST_DEBUG_CATEGORY_STATIC (gst_sl_seethrough_pad_debug);
#define GST_CAT_DEFAULT gst_sl_seethrough_pad_debug

/* The converted remote frame is allocated per frame: keep it bounded. */
#define MAX_SCALE_OF_OUTPUT 2

struct _GstSlSeethroughPad
{
  GstVideoAggregatorConvertPad parent;

  GstSlSeethroughPadRole role;

  /* under the pad's object lock */
  GstSlGeometry geometry;
  gboolean skip;
};

G_DEFINE_TYPE (GstSlSeethroughPad, gst_sl_seethrough_pad,
    GST_TYPE_VIDEO_AGGREGATOR_CONVERT_PAD);

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
    {GST_SL_PLACEMENT_CUSTOM, "Explicit rectangle (x, y, width, height)",
        "custom"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlPlacement", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* floor (v / 2), also for negative v */
static gint
half_floor (gint64 v)
{
  return v >= 0 ? (gint) (v / 2) : (gint) - ((-v + 1) / 2);
}

/**
 * gst_sl_geometry_get_size:
 * @geometry: the placement settings
 * @in: the remote video's input info
 * @out: the output info
 * @width: (out): scaled width, at least 1
 * @height: (out): scaled height, at least 1
 *
 * Presets fit @in's display aspect ratio into @out (the whole width or the
 * whole height), custom takes the explicit size; either is then multiplied
 * by the scale, shrunk (keeping its aspect ratio) to at most twice the
 * output size, and rounded.
 */
void
gst_sl_geometry_get_size (const GstSlGeometry * geometry,
    const GstVideoInfo * in, const GstVideoInfo * out, gint * width,
    gint * height)
{
  gint in_w = GST_VIDEO_INFO_WIDTH (in), in_h = GST_VIDEO_INFO_HEIGHT (in);
  gint out_w = GST_VIDEO_INFO_WIDTH (out), out_h = GST_VIDEO_INFO_HEIGHT (out);
  gint64 bw, bh;
  gdouble w, h;
  guint dar_n, dar_d;

  if (geometry->placement == GST_SL_PLACEMENT_CUSTOM) {
    bw = geometry->width > 0 ? geometry->width : in_w;
    bh = geometry->height > 0 ? geometry->height : in_h;
  } else if (out_w <= 0 || out_h <= 0 || in_w <= 0 || in_h <= 0 ||
      !gst_video_calculate_display_ratio (&dar_n, &dar_d, in_w, in_h,
          MAX (GST_VIDEO_INFO_PAR_N (in), 1), MAX (GST_VIDEO_INFO_PAR_D (in),
              1), MAX (GST_VIDEO_INFO_PAR_N (out), 1),
          MAX (GST_VIDEO_INFO_PAR_D (out), 1))) {
    bw = in_w;
    bh = in_h;
  } else if ((guint64) out_w * dar_d >= (guint64) out_h * dar_n) {
    /* output wider than the remote video: full height */
    bh = out_h;
    bw = gst_util_uint64_scale_int_round (out_h, dar_n, dar_d);
  } else {
    bw = out_w;
    bh = gst_util_uint64_scale_int_round (out_w, dar_d, dar_n);
  }

  w = bw * geometry->scale;
  h = bh * geometry->scale;
  if (out_w > 0 && out_h > 0) {
    /* shrink both sides alike so the aspect ratio survives the bound */
    gdouble f = MIN ((gdouble) MAX_SCALE_OF_OUTPUT * out_w / MAX (w, 1.0),
        (gdouble) MAX_SCALE_OF_OUTPUT * out_h / MAX (h, 1.0));

    if (f < 1.0) {
      w *= f;
      h *= f;
    }
  }
  *width = (gint) CLAMP (floor (w + 0.5), 1, G_MAXINT / 8);
  *height = (gint) CLAMP (floor (h + 0.5), 1, G_MAXINT / 8);
}

/**
 * gst_sl_geometry_get_position:
 * @geometry: the placement settings
 * @custom_x: x used by the custom placement
 * @custom_y: y used by the custom placement
 * @out_width: output width
 * @out_height: output height
 * @width: width of the scaled remote video
 * @height: height of the scaled remote video
 * @x: (out): left edge in the output (may be negative)
 * @y: (out): top edge in the output (may be negative)
 *
 * Centring uses floor ((out − size) / 2).
 */
void
gst_sl_geometry_get_position (const GstSlGeometry * geometry, gint custom_x,
    gint custom_y, gint out_width, gint out_height, gint width, gint height,
    gint * x, gint * y)
{
  gint left = 0, right = out_width - width;
  gint top = 0, bottom = out_height - height;
  gint cx = half_floor ((gint64) out_width - width);
  gint cy = half_floor ((gint64) out_height - height);

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
    case GST_SL_PLACEMENT_CUSTOM:
      *x = custom_x;
      *y = custom_y;
      break;
    case GST_SL_PLACEMENT_CENTER:
    default:
      *x = cx;
      *y = cy;
      break;
  }
}

/**
 * gst_sl_seethrough_pad_new:
 * @templ: the "remote" or "camera" template
 * @role: what the pad carries
 *
 * Returns: (transfer floating): a new sink pad named after @templ
 */
GstSlSeethroughPad *
gst_sl_seethrough_pad_new (GstPadTemplate * templ, GstSlSeethroughPadRole role)
{
  GstSlSeethroughPad *pad;

  g_return_val_if_fail (GST_IS_PAD_TEMPLATE (templ), NULL);

  pad = g_object_new (GST_TYPE_SL_SEETHROUGH_PAD, "name",
      GST_PAD_TEMPLATE_NAME_TEMPLATE (templ), "direction", GST_PAD_SINK,
      "template", templ, NULL);
  pad->role = role;
  return pad;
}

GstSlSeethroughPadRole
gst_sl_seethrough_pad_get_role (GstSlSeethroughPad * pad)
{
  g_return_val_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad),
      GST_SL_SEETHROUGH_PAD_REMOTE);

  return pad->role;
}

/**
 * gst_sl_seethrough_pad_set_geometry:
 * @pad: a remote pad
 * @geometry: (transfer none): the new settings, copied
 *
 * Rebuilds the converter before the next frame if the size may change.
 */
void
gst_sl_seethrough_pad_set_geometry (GstSlSeethroughPad * pad,
    const GstSlGeometry * geometry)
{
  gboolean changed;

  g_return_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad));
  g_return_if_fail (geometry != NULL);

  GST_OBJECT_LOCK (pad);
  changed = pad->geometry.placement != geometry->placement ||
      pad->geometry.width != geometry->width ||
      pad->geometry.height != geometry->height ||
      pad->geometry.scale != geometry->scale;
  pad->geometry = *geometry;
  GST_OBJECT_UNLOCK (pad);

  if (changed && pad->role == GST_SL_SEETHROUGH_PAD_REMOTE)
    gst_video_aggregator_convert_pad_update_conversion_info
        (GST_VIDEO_AGGREGATOR_CONVERT_PAD (pad));
}

/**
 * gst_sl_seethrough_pad_set_skip:
 * @pad: a pad
 * @skip: %TRUE when the element will not draw this pad's frames
 *
 * Skipped pads still consume their buffers in sync with the other pad but
 * are neither mapped nor converted.
 */
void
gst_sl_seethrough_pad_set_skip (GstSlSeethroughPad * pad, gboolean skip)
{
  g_return_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad));

  GST_OBJECT_LOCK (pad);
  pad->skip = skip;
  GST_OBJECT_UNLOCK (pad);
}

static gboolean
gst_sl_seethrough_pad_prepare_frame (GstVideoAggregatorPad * vpad,
    GstVideoAggregator * vagg, GstBuffer * buffer,
    GstVideoFrame * prepared_frame)
{
  GstSlSeethroughPad *pad = GST_SL_SEETHROUGH_PAD (vpad);
  gboolean skip;

  GST_OBJECT_LOCK (pad);
  skip = pad->skip;
  GST_OBJECT_UNLOCK (pad);

  if (skip)
    return TRUE;

  return
      GST_VIDEO_AGGREGATOR_PAD_CLASS
      (gst_sl_seethrough_pad_parent_class)->prepare_frame (vpad, vagg, buffer,
      prepared_frame);
}

/* Called with the pad's object lock held. */
static void
gst_sl_seethrough_pad_create_conversion_info (GstVideoAggregatorConvertPad *
    cpad, GstVideoAggregator * vagg, GstVideoInfo * conversion_info)
{
  GstSlSeethroughPad *pad = GST_SL_SEETHROUGH_PAD (cpad);
  GstVideoAggregatorPad *vpad = GST_VIDEO_AGGREGATOR_PAD (cpad);
  gint width, height;

  GST_VIDEO_AGGREGATOR_CONVERT_PAD_CLASS
      (gst_sl_seethrough_pad_parent_class)->create_conversion_info (cpad, vagg,
      conversion_info);
  if (!conversion_info->finfo)
    return;

  if (pad->role == GST_SL_SEETHROUGH_PAD_CAMERA) {
    width = GST_VIDEO_INFO_WIDTH (&vagg->info);
    height = GST_VIDEO_INFO_HEIGHT (&vagg->info);
  } else {
    gst_sl_geometry_get_size (&pad->geometry, &vpad->info, &vagg->info,
        &width, &height);
  }

  if (GST_VIDEO_INFO_WIDTH (conversion_info) != width ||
      GST_VIDEO_INFO_HEIGHT (conversion_info) != height) {
    GstVideoInfo tmp;

    /* same format, colorimetry and rates, only the size changes */
    gst_video_info_set_interlaced_format (&tmp,
        GST_VIDEO_INFO_FORMAT (conversion_info),
        conversion_info->interlace_mode, width, height);
    tmp.chroma_site = conversion_info->chroma_site;
    tmp.colorimetry = conversion_info->colorimetry;
    tmp.par_n = conversion_info->par_n;
    tmp.par_d = conversion_info->par_d;
    tmp.fps_n = conversion_info->fps_n;
    tmp.fps_d = conversion_info->fps_d;
    tmp.flags = conversion_info->flags;
    *conversion_info = tmp;
  }
  GST_DEBUG_OBJECT (pad, "converting to %dx%d %s", width, height,
      gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (conversion_info)));
}

static void
gst_sl_seethrough_pad_class_init (GstSlSeethroughPadClass * klass)
{
  GstVideoAggregatorPadClass *vpad_class = GST_VIDEO_AGGREGATOR_PAD_CLASS
      (klass);
  GstVideoAggregatorConvertPadClass *cpad_class =
      GST_VIDEO_AGGREGATOR_CONVERT_PAD_CLASS (klass);

  vpad_class->prepare_frame =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_pad_prepare_frame);
  cpad_class->create_conversion_info =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_pad_create_conversion_info);

  GST_DEBUG_CATEGORY_INIT (gst_sl_seethrough_pad_debug, "slseethroughpad", 0,
      "Sightline see-through overlay pad");
  gst_type_mark_as_plugin_api (GST_TYPE_SL_SEETHROUGH_PAD, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SL_PLACEMENT, 0);
}

static void
gst_sl_seethrough_pad_init (GstSlSeethroughPad * pad)
{
  pad->geometry.placement = GST_SL_PLACEMENT_CENTER;
  pad->geometry.scale = 1.0;
}
