/* Sightline see-through overlay: composing one output frame
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The remote videos in z-order, each at the rectangle its pad's geometry
 * gives: the first over the camera (video see-through) or black, the
 * others over what is already drawn.  Each video's rectangle, drawn or
 * kept free (paused, no frame yet), goes downstream as a region of
 * interest on the output buffer, so that a HUD can keep off it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslseethroughcompose.h"
#include "gstslregions.h"

GST_DEBUG_CATEGORY_STATIC (gst_sl_seethrough_compose_debug);
#define GST_CAT_DEFAULT gst_sl_seethrough_compose_debug

static gsize debug_initialised;

/* A prepared frame the blender can use, or NULL. */
static GstVideoFrame *
usable_frame (GstSlSeethroughPad * pad, const GstVideoInfo * out_info,
    gboolean need_out_size)
{
  GstVideoFrame *frame;

  if (!pad)
    return NULL;
  frame = gst_video_aggregator_pad_get_prepared_frame
      (GST_VIDEO_AGGREGATOR_PAD (pad));
  if (!frame)
    return NULL;
  if (GST_VIDEO_FRAME_FORMAT (frame) != GST_VIDEO_INFO_FORMAT (out_info) ||
      (need_out_size &&
          (GST_VIDEO_FRAME_WIDTH (frame) != GST_VIDEO_INFO_WIDTH (out_info) ||
              GST_VIDEO_FRAME_HEIGHT (frame) !=
              GST_VIDEO_INFO_HEIGHT (out_info)))) {
    /* a frame converted before a renegotiation; the next one will fit */
    GST_DEBUG_OBJECT (pad, "prepared frame does not fit the output, skipped");
    return NULL;
  }
  return frame;
}

/* The remote pads in z-order (the aggregator keeps its sink pads sorted),
 * each with a reference. */
static guint
remotes_in_zorder (GstVideoAggregator * vagg,
    GstSlSeethroughPad * pads[GST_SL_MAX_REMOTES])
{
  GList *l;
  guint n = 0;

  GST_OBJECT_LOCK (vagg);
  for (l = GST_ELEMENT (vagg)->sinkpads; l && n < GST_SL_MAX_REMOTES;
      l = l->next) {
    GstSlSeethroughPad *pad = l->data;

    if (gst_sl_seethrough_pad_get_role (pad) == GST_SL_SEETHROUGH_PAD_REMOTE)
      pads[n++] = gst_object_ref (pad);
  }
  GST_OBJECT_UNLOCK (vagg);
  return n;
}

/* Draws one remote pad (@first: over the background, else over what is
 * drawn).  @known: its rectangle is in @rect (its size is known);
 * @drawn: it was drawn.  Returns FALSE when blending failed. */
static gboolean
draw_remote (GstVideoAggregator * vagg, GstSlSeethroughPad * pad,
    GstVideoFrame * out, const GstVideoFrame * cframe,
    GstSlBlendParams * params, gdouble element_opacity, gboolean * first,
    GstVideoRectangle * rect, gboolean * known, gboolean * drawn)
{
  const GstVideoInfo *rinfo = &GST_VIDEO_AGGREGATOR_PAD (pad)->info;
  GstVideoFrame *rframe = usable_frame (pad, &vagg->info, FALSE);
  GstSlPadSettings settings;
  GstSlGeometry geometry;

  *known = *drawn = FALSE;
  if (!rinfo->finfo || GST_VIDEO_INFO_WIDTH (rinfo) <= 0)
    return TRUE;
  gst_sl_seethrough_pad_get_settings (pad, &settings);
  gst_sl_seethrough_pad_get_geometry (pad, &geometry);
  if (rframe) {
    rect->w = GST_VIDEO_FRAME_WIDTH (rframe);
    rect->h = GST_VIDEO_FRAME_HEIGHT (rframe);
  } else {
    gst_sl_geometry_get_size (&geometry, rinfo, &vagg->info, &rect->w,
        &rect->h);
  }
  gst_sl_geometry_get_position (&geometry, rinfo, &vagg->info, rect->w,
      rect->h, &rect->x, &rect->y);
  *known = TRUE;
  if (!rframe)
    return TRUE;

  params->opacity = gst_sl_blend_opacity_byte
      (gst_sl_seethrough_pad_settings_opacity (&settings, element_opacity));
  /* the converter cannot invent alpha: only an input with alpha has it */
  params->use_src_alpha = GST_VIDEO_INFO_HAS_ALPHA (rinfo) &&
      GST_VIDEO_INFO_HAS_ALPHA (&vagg->info);
  if (*first)
    *drawn = gst_sl_blend_frame (out, rframe, rect->x, rect->y, cframe, params);
  else
    *drawn = gst_sl_blend_frame_over (out, rframe, rect->x, rect->y, params);
  if (*drawn)
    *first = FALSE;
  return *drawn;
}

/**
 * gst_sl_seethrough_compose:
 * @vagg: the slseethrough element
 * @outbuf: the output buffer, writable
 * @camera: (nullable): the camera pad, in video see-through mode only
 * @params: luma key and edge boost settings (opacity is per pad)
 * @opacity: the element's opacity, for pads that have none
 *
 * Composes one output frame from the pads' prepared frames and attaches
 * the remote video rectangles.
 *
 * Returns: %GST_FLOW_OK, or an error flow after posting an error message
 */
GstFlowReturn
gst_sl_seethrough_compose (GstVideoAggregator * vagg, GstBuffer * outbuf,
    GstSlSeethroughPad * camera, const GstSlBlendParams * params,
    gdouble opacity)
{
  GstSlSeethroughPad *remotes[GST_SL_MAX_REMOTES];
  GstVideoRectangle rects[GST_SL_MAX_REMOTES];
  gboolean known[GST_SL_MAX_REMOTES], drawn[GST_SL_MAX_REMOTES];
  GstSlBlendParams p = *params;
  GstVideoFrame *cframe, out;
  gboolean first = TRUE, ok = TRUE;
  guint n, i;

  if (g_once_init_enter (&debug_initialised)) {
    GST_DEBUG_CATEGORY_INIT (gst_sl_seethrough_compose_debug,
        "slseethroughcompose", 0, "Sightline see-through composition");
    g_once_init_leave (&debug_initialised, TRUE);
  }

  cframe = usable_frame (camera, &vagg->info, TRUE);
  if (!gst_video_frame_map (&out, &vagg->info, outbuf, GST_MAP_WRITE)) {
    GST_ELEMENT_ERROR (vagg, RESOURCE, WRITE, (NULL),
        ("could not map the output buffer"));
    return GST_FLOW_ERROR;
  }
  n = remotes_in_zorder (vagg, remotes);
  for (i = 0; i < n; i++) {
    known[i] = drawn[i] = FALSE;
    if (ok)
      ok = draw_remote (vagg, remotes[i], &out, cframe, &p, opacity, &first,
          &rects[i], &known[i], &drawn[i]);
  }
  /* nothing drawn yet: the background alone */
  if (ok && first)
    ok = gst_sl_blend_frame (&out, NULL, 0, 0, cframe, &p);
  gst_video_frame_unmap (&out);

  for (i = 0; i < n; i++) {
    if (ok && known[i])
      gst_sl_regions_add (outbuf, &rects[i], GST_VIDEO_INFO_WIDTH (&vagg->info),
          GST_VIDEO_INFO_HEIGHT (&vagg->info),
          gst_sl_seethrough_pad_get_slot (remotes[i]),
          GST_OBJECT_NAME (remotes[i]), drawn[i]);
    gst_object_unref (remotes[i]);
  }

  if (!ok) {
    GST_ELEMENT_ERROR (vagg, STREAM, FORMAT, (NULL),
        ("cannot blend %s frames",
            gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (&vagg->info))));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  return GST_FLOW_OK;
}
