/* Sightline see-through overlay: what slseethrough and slhud tell each other
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * slhud is a separate element downstream of slseethrough, and both must
 * agree on the frame's layout without the application wiring them up (so
 * that a plain gst-launch-1.0 line works):
 *
 *  - downstream, on every buffer, one GstVideoRegionOfInterestMeta per
 *    remote video (roi_type "sightline-remote-video"): the HUD keeps its
 *    panels off those rectangles.  A standard meta rather than a private
 *    one, so that scaling elements in between transform it like any ROI.
 *  - upstream of that, a custom downstream query "GstSlHudReserve" that
 *    slseethrough sends before each frame: a HUD answers how many rows it
 *    wants free at the top and bottom, and slseethrough's presets and side
 *    tiles stay out of them.  Without a HUD nobody answers and nothing is
 *    reserved.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslregions.h"

/**
 * gst_sl_regions_add:
 * @buffer: a writable output buffer
 * @rect: the video's rectangle in output pixels (may lie partly outside)
 * @frame_width: output width
 * @frame_height: output height
 * @slot: the pad's slot (tile order)
 * @pad_name: the pad's name
 * @drawn: whether the video was drawn on this frame (not paused, had a
 *     frame)
 *
 * Attaches the part of @rect inside the frame; nothing when none is.
 */
void
gst_sl_regions_add (GstBuffer * buffer, const GstVideoRectangle * rect,
    gint frame_width, gint frame_height, guint slot, const gchar * pad_name,
    gboolean drawn)
{
  gint64 x0 = CLAMP ((gint64) rect->x, 0, frame_width);
  gint64 y0 = CLAMP ((gint64) rect->y, 0, frame_height);
  gint64 x1 = CLAMP ((gint64) rect->x + rect->w, 0, frame_width);
  gint64 y1 = CLAMP ((gint64) rect->y + rect->h, 0, frame_height);
  GstVideoRegionOfInterestMeta *meta;

  if (x1 <= x0 || y1 <= y0)
    return;
  meta = gst_buffer_add_video_region_of_interest_meta (buffer,
      GST_SL_REMOTE_VIDEO_ROI, (guint) x0, (guint) y0, (guint) (x1 - x0),
      (guint) (y1 - y0));
  meta->id = (gint) slot;
  gst_video_region_of_interest_meta_add_param (meta,
      gst_structure_new (GST_SL_REMOTE_VIDEO_ROI, "slot", G_TYPE_UINT, slot,
          "pad", G_TYPE_STRING, pad_name, "drawn", G_TYPE_BOOLEAN, drawn,
          NULL));
}

/**
 * gst_sl_regions_get:
 * @buffer: a buffer
 * @frame_width: its frame width
 * @frame_height: its frame height
 * @rects: (out caller-allocates) (array length=max_rects): the rectangles
 * @max_rects: room in @rects
 *
 * Reads the remote video rectangles, clipped to the frame, in the order
 * they were attached; other ROI metas are ignored.
 *
 * Returns: how many were stored
 */
guint
gst_sl_regions_get (GstBuffer * buffer, gint frame_width, gint frame_height,
    GstVideoRectangle * rects, guint max_rects)
{
  GQuark type = g_quark_from_static_string (GST_SL_REMOTE_VIDEO_ROI);
  gpointer state = NULL;
  GstMeta *meta;
  guint n = 0;

  while (n < max_rects && (meta = gst_buffer_iterate_meta_filtered (buffer,
              &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) meta;
    gint64 x0 = MIN ((gint64) roi->x, frame_width);
    gint64 y0 = MIN ((gint64) roi->y, frame_height);
    gint64 x1 = MIN ((gint64) roi->x + roi->w, frame_width);
    gint64 y1 = MIN ((gint64) roi->y + roi->h, frame_height);

    if (roi->roi_type != type || x1 <= x0 || y1 <= y0)
      continue;
    rects[n].x = (gint) x0;
    rects[n].y = (gint) y0;
    rects[n].w = (gint) (x1 - x0);
    rects[n].h = (gint) (y1 - y0);
    n++;
  }
  return n;
}

/**
 * gst_sl_hud_reserve_query_new:
 * @width: the frame width the answer is for
 * @height: the frame height
 *
 * Returns: (transfer full): a custom query a HUD downstream answers
 */
GstQuery *
gst_sl_hud_reserve_query_new (gint width, gint height)
{
  return gst_query_new_custom (GST_QUERY_CUSTOM,
      gst_structure_new (GST_SL_HUD_RESERVE_QUERY, "width", G_TYPE_INT, width,
          "height", G_TYPE_INT, height, NULL));
}

/**
 * gst_sl_hud_reserve_query_parse_request:
 * @query: any query
 * @width: (out): the frame width asked about
 * @height: (out): the frame height
 *
 * Returns: whether @query is a reserve query with a valid size
 */
gboolean
gst_sl_hud_reserve_query_parse_request (GstQuery * query, gint * width,
    gint * height)
{
  const GstStructure *s;

  if (GST_QUERY_TYPE (query) != GST_QUERY_CUSTOM)
    return FALSE;
  s = gst_query_get_structure (query);
  if (!s || !gst_structure_has_name (s, GST_SL_HUD_RESERVE_QUERY) ||
      !gst_structure_get_int (s, "width", width) ||
      !gst_structure_get_int (s, "height", height))
    return FALSE;
  return *width > 0 && *height > 0;
}

/**
 * gst_sl_hud_reserve_query_set_result:
 * @query: a reserve query
 * @top: rows wanted free at the top
 * @bottom: rows wanted free at the bottom
 */
void
gst_sl_hud_reserve_query_set_result (GstQuery * query, gint top, gint bottom)
{
  GstStructure *s = gst_query_writable_structure (query);

  gst_structure_set (s, "top", G_TYPE_INT, top, "bottom", G_TYPE_INT, bottom,
      NULL);
}

/**
 * gst_sl_hud_reserve_query_parse_result:
 * @query: an answered reserve query
 * @top: (out): rows wanted free at the top, at least 0
 * @bottom: (out): rows at the bottom, at least 0
 *
 * Returns: whether the query holds an answer
 */
gboolean
gst_sl_hud_reserve_query_parse_result (GstQuery * query, gint * top,
    gint * bottom)
{
  const GstStructure *s = gst_query_get_structure (query);

  if (!s || !gst_structure_get_int (s, "top", top) ||
      !gst_structure_get_int (s, "bottom", bottom))
    return FALSE;
  *top = MAX (*top, 0);
  *bottom = MAX (*bottom, 0);
  return TRUE;
}
