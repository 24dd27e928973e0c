/* Sightline see-through overlay element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/video/gstvideoaggregator.h>

G_BEGIN_DECLS

/**
 * GstSlSeethroughMode:
 * @GST_SL_SEETHROUGH_MODE_OPTICAL: additive display, the remote video is
 *     drawn over black (black is transparent on the goggles)
 * @GST_SL_SEETHROUGH_MODE_VIDEO: the wearer's camera is the background
 */
typedef enum
{
  GST_SL_SEETHROUGH_MODE_OPTICAL,
  GST_SL_SEETHROUGH_MODE_VIDEO,
} GstSlSeethroughMode;

#define GST_TYPE_SL_SEETHROUGH_MODE (gst_sl_seethrough_mode_get_type ())
GType gst_sl_seethrough_mode_get_type (void);

#define GST_TYPE_SL_SEETHROUGH (gst_sl_seethrough_get_type ())
G_DECLARE_FINAL_TYPE (GstSlSeethrough, gst_sl_seethrough, GST, SL_SEETHROUGH,
    GstVideoAggregator)

GST_ELEMENT_REGISTER_DECLARE (slseethrough);

G_END_DECLS
