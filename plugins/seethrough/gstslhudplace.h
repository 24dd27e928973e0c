/* Sightline call HUD: where the panels go
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

G_BEGIN_DECLS

/* Lines one panel can hold at most. */
#define GST_SL_HUD_MAX_PANEL_LINES 20

/**
 * GstSlHudCorner:
 *
 * The corner a panel prefers.
 */
typedef enum
{
  GST_SL_HUD_CORNER_TOP_LEFT,
  GST_SL_HUD_CORNER_TOP_RIGHT,
  GST_SL_HUD_CORNER_BOTTOM_LEFT,
  GST_SL_HUD_CORNER_BOTTOM_RIGHT,
} GstSlHudCorner;

/**
 * GstSlHudPanelRequest:
 * @corner: the preferred corner
 * @n_lines: lines of text, at most %GST_SL_HUD_MAX_PANEL_LINES
 * @line_w: natural width of each line's text
 * @line_h: height of each line
 * @line_min_w: width below which a line may not be ellipsised (the part
 *     that must stay readable, e.g. up to the end of a SAS), 0 for any
 * @line_keep: how long each line is kept when room runs out: the lowest
 *     value goes first, among equals the last line
 *
 * A panel to place, measured but not drawn.
 */
typedef struct
{
  GstSlHudCorner corner;
  guint          n_lines;
  gint           line_w[GST_SL_HUD_MAX_PANEL_LINES];
  gint           line_h[GST_SL_HUD_MAX_PANEL_LINES];
  gint           line_min_w[GST_SL_HUD_MAX_PANEL_LINES];
  guint8         line_keep[GST_SL_HUD_MAX_PANEL_LINES];
} GstSlHudPanelRequest;

/**
 * GstSlHudPanelPlacement:
 * @placed: whether the panel is shown
 * @rect: the panel, backing included
 * @lines: bit i set when line i is shown
 * @text_w: the width lines are ellipsised to
 *
 * Where a panel goes and what of it is shown.
 */
typedef struct
{
  gboolean          placed;
  GstVideoRectangle rect;
  guint32           lines;
  gint              text_w;
} GstSlHudPanelPlacement;

/**
 * GstSlHudPlaceParams:
 * @width: frame width
 * @height: frame height
 * @margin: distance kept from the frame's edges
 * @spacing: distance kept between a panel and a video or another panel
 * @pad: room around the text inside a panel
 * @gap: room between two lines
 * @min_text_w: a panel whose text would be narrower is not shown
 * @width_step: how much narrower each try is
 * @keepout: the clear centre, never covered
 * @videos: (array length=n_videos): the remote videos, never covered
 * @n_videos: how many
 *
 * The frame the panels share.
 */
typedef struct
{
  gint                     width;
  gint                     height;
  gint                     margin;
  gint                     spacing;
  gint                     pad;
  gint                     gap;
  gint                     min_text_w;
  gint                     width_step;
  GstVideoRectangle        keepout;
  const GstVideoRectangle *videos;
  guint                    n_videos;
} GstSlHudPlaceParams;

gint gst_sl_hud_panel_height  (const GstSlHudPlaceParams  *params,
                               const gint                 *line_h,
                               guint                       n_lines);

void gst_sl_hud_place_panels  (const GstSlHudPlaceParams  *params,
                               const GstSlHudPanelRequest *requests,
                               guint                       n_requests,
                               GstSlHudPanelPlacement     *placements);

G_END_DECLS
