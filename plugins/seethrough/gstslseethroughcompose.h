/* Sightline see-through overlay: composing one output frame
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>
#include <gst/video/gstvideoaggregator.h>

#include "gstslblend.h"
#include "gstslseethroughpad.h"

G_BEGIN_DECLS

GstFlowReturn gst_sl_seethrough_compose (GstVideoAggregator     *vagg,
                                         GstBuffer              *outbuf,
                                         GstSlSeethroughPad     *camera,
                                         const GstSlBlendParams *params,
                                         gdouble                 opacity);

G_END_DECLS
