/* Sightline call HUD element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

#include "gstslhudstate.h"

G_BEGIN_DECLS

#define GST_TYPE_SL_HUD (gst_sl_hud_get_type ())
G_DECLARE_FINAL_TYPE (GstSlHud, gst_sl_hud, GST, SL_HUD, GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (slhud);

G_END_DECLS
