/* Sightline call HUD: how the panels reach the frame
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

G_BEGIN_DECLS

#define GST_SL_HUD_OVERLAY_FEATURE \
    GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION

GstCaps  *gst_sl_hud_overlay_transform_caps      (GstPadDirection             direction,
                                                  GstCaps                    *caps,
                                                  GstCaps                    *filter);

gboolean  gst_sl_hud_overlay_downstream_takes_meta (GstPad                   *srcpad);

void      gst_sl_hud_overlay_attach              (GstBuffer                  *buffer,
                                                  GstVideoOverlayComposition *composition);

G_END_DECLS
