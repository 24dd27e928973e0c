/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SIGHTLINE_BRIDGE (gst_sightline_bridge_get_type ())
G_DECLARE_FINAL_TYPE (GstSightlineBridge, gst_sightline_bridge, GST,
                      SIGHTLINE_BRIDGE, GObject)

GstSightlineBridge * gst_sightline_bridge_new       (GstElement *bin);

GstPad *     gst_sightline_bridge_add_input      (GstSightlineBridge *self,
                                                  const char         *kind,
                                                  GstPadTemplate     *templ);
void         gst_sightline_bridge_remove_input   (GstSightlineBridge *self,
                                                  GstPad             *pad);

GstElement * gst_sightline_bridge_make_capture   (GstSightlineBridge *self,
                                                  const char         *kind);
GstElement * gst_sightline_bridge_make_display   (GstSightlineBridge *self);

void         gst_sightline_bridge_detach         (GstSightlineBridge *self);
void         gst_sightline_bridge_end            (GstSightlineBridge *self);

G_END_DECLS
