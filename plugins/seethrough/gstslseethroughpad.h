/* Sightline see-through overlay: sink pad
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>
#include <gst/video/gstvideoaggregator.h>

#include "gstslvideolayout.h"

G_BEGIN_DECLS

typedef enum
{
  GST_SL_SEETHROUGH_PAD_REMOTE,
  GST_SL_SEETHROUGH_PAD_CAMERA,
} GstSlSeethroughPadRole;

/**
 * GstSlPadSettings:
 * @placement: auto, or the pad's own placement
 * @x: the pad's custom box: left edge
 * @y: top edge
 * @width: width, 0 = from the height and the aspect ratio
 * @height: height, likewise
 * @scale: the pad's scale (with its own placement)
 * @opacity: the pad's opacity, negative = the element's
 * @paused: the participant paused the camera: nothing is drawn
 *
 * What the application set on a remote pad.
 */
typedef struct
{
  GstSlPadPlacement placement;
  gint              x;
  gint              y;
  gint              width;
  gint              height;
  gdouble           scale;
  gdouble           opacity;
  gboolean          paused;
} GstSlPadSettings;

#define GST_TYPE_SL_SEETHROUGH_PAD (gst_sl_seethrough_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstSlSeethroughPad, gst_sl_seethrough_pad, GST,
    SL_SEETHROUGH_PAD, GstVideoAggregatorConvertPad)

GstSlSeethroughPad     *gst_sl_seethrough_pad_new          (GstPadTemplate         *templ,
                                                            const gchar            *name,
                                                            GstSlSeethroughPadRole  role,
                                                            guint                   slot);

GstSlSeethroughPadRole  gst_sl_seethrough_pad_get_role     (GstSlSeethroughPad     *pad);

guint                   gst_sl_seethrough_pad_get_slot     (GstSlSeethroughPad     *pad);

void                    gst_sl_seethrough_pad_get_settings (GstSlSeethroughPad     *pad,
                                                            GstSlPadSettings       *settings);

gdouble                 gst_sl_seethrough_pad_settings_opacity (const GstSlPadSettings *settings,
                                                                gdouble                 element_opacity);

void                    gst_sl_seethrough_pad_set_geometry (GstSlSeethroughPad     *pad,
                                                            const GstSlGeometry    *geometry);

void                    gst_sl_seethrough_pad_get_geometry (GstSlSeethroughPad     *pad,
                                                            GstSlGeometry          *geometry);

void                    gst_sl_seethrough_pad_set_skip     (GstSlSeethroughPad     *pad,
                                                            gboolean                skip);

G_END_DECLS
