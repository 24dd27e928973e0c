/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SIGHTLINE_BIN (gst_sightline_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstSightlineBin, gst_sightline_bin, GST, SIGHTLINE_BIN,
                      GstBin)

GST_ELEMENT_REGISTER_DECLARE (sightlinebin);

G_END_DECLS
