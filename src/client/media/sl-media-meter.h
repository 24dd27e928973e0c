/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sl-media-receiver.h"
#include "sightline/sl-media-stats.h"

G_BEGIN_DECLS

#define SL_TYPE_MEDIA_METER (sl_media_meter_get_type ())
G_DECLARE_FINAL_TYPE (SlMediaMeter, sl_media_meter, SL, MEDIA_METER, GObject)

SlMediaMeter *  sl_media_meter_new         (GstElement      *webrtc,
                                            SlMediaReceiver *receiver);

void            sl_media_meter_start       (SlMediaMeter *self);
void            sl_media_meter_stop        (SlMediaMeter *self);

void            sl_media_meter_watch_mark  (SlMediaMeter *self,
                                            GstElement   *mark);
GstBusSyncReply sl_media_meter_on_bus_sync (GstBus       *bus,
                                            GstMessage   *message,
                                            gpointer      meter);

void            sl_media_meter_fill        (SlMediaMeter *self,
                                            SlMediaStats *out);

GArray *        sl_media_meter_get_latencies   (SlMediaMeter *self);
void            sl_media_meter_reset_latencies (SlMediaMeter *self);

G_END_DECLS
