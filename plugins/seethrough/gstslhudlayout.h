/* Sightline call HUD: panels and rendering
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

#include "gstslhudstate.h"

G_BEGIN_DECLS

/**
 * GstSlHudPanel:
 * @GST_SL_HUD_PANEL_SECURITY: SAS and security badge(s), top-right
 * @GST_SL_HUD_PANEL_CALL: call state, notice, mute states, who is in the
 *     call, top-left
 * @GST_SL_HUD_PANEL_CHAT: the newest chat lines, bottom-left
 * @GST_SL_HUD_PANEL_LINK: link quality, bottom-right
 *
 * The HUD's panels, most important first: the order they are placed in.
 */
typedef enum
{
  GST_SL_HUD_PANEL_SECURITY,
  GST_SL_HUD_PANEL_CALL,
  GST_SL_HUD_PANEL_CHAT,
  GST_SL_HUD_PANEL_LINK,
  GST_SL_HUD_N_PANELS,
} GstSlHudPanel;

gint                        gst_sl_hud_font_px       (gint                     width,
                                                      gint                     height,
                                                      gdouble                  font_scale);

gint                        gst_sl_hud_reserve_rows  (gint                     width,
                                                      gint                     height,
                                                      gdouble                  font_scale,
                                                      guint                    lines);

GstVideoOverlayComposition *gst_sl_hud_layout_render (const GstSlHudState     *state,
                                                      gint                     width,
                                                      gint                     height,
                                                      const GstVideoRectangle *videos,
                                                      guint                    n_videos,
                                                      guint32                 *shown);

G_END_DECLS
