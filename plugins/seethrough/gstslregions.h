/* Sightline see-through overlay: what slseethrough and slhud tell each other
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GST_SL_REMOTE_VIDEO_ROI:
 *
 * The roi_type of the #GstVideoRegionOfInterestMeta slseethrough attaches
 * to each output buffer for every remote video: where it is drawn (or kept
 * free for it while paused).  Its "sightline-remote-video" parameter holds
 * slot (uint), pad (string) and drawn (boolean).
 */
#define GST_SL_REMOTE_VIDEO_ROI "sightline-remote-video"

/**
 * GST_SL_HUD_RESERVE_QUERY:
 *
 * Name of the custom downstream query slseethrough sends so that a HUD
 * can ask for rows at the top and bottom of the frame.  Request fields:
 * width, height (int, slseethrough's output size); answer: top, bottom
 * (int, rows).
 */
#define GST_SL_HUD_RESERVE_QUERY "GstSlHudReserve"

/* Room for this many remote video rectangles on one buffer. */
#define GST_SL_MAX_REGIONS 8

void      gst_sl_regions_add                     (GstBuffer               *buffer,
                                                  const GstVideoRectangle *rect,
                                                  gint                     frame_width,
                                                  gint                     frame_height,
                                                  guint                    slot,
                                                  const gchar             *pad_name,
                                                  gboolean                 drawn);

guint     gst_sl_regions_get                     (GstBuffer               *buffer,
                                                  gint                     frame_width,
                                                  gint                     frame_height,
                                                  GstVideoRectangle       *rects,
                                                  guint                    max_rects);

GstQuery *gst_sl_hud_reserve_query_new           (gint                     width,
                                                  gint                     height);

gboolean  gst_sl_hud_reserve_query_parse_request (GstQuery                *query,
                                                  gint                    *width,
                                                  gint                    *height);

void      gst_sl_hud_reserve_query_set_result    (GstQuery                *query,
                                                  gint                     top,
                                                  gint                     bottom);

gboolean  gst_sl_hud_reserve_query_parse_result  (GstQuery                *query,
                                                  gint                    *top,
                                                  gint                    *bottom);

G_END_DECLS
