/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sightline/sl-media-options.h"

G_BEGIN_DECLS

#define SL_TYPE_MEDIA_RECEIVER (sl_media_receiver_get_type ())
G_DECLARE_FINAL_TYPE (SlMediaReceiver, sl_media_receiver, SL, MEDIA_RECEIVER,
                      GObject)

SlMediaReceiver * sl_media_receiver_new          (const SlMediaOptions *opts,
                                                  GstBin               *pipeline,
                                                  GstElement           *display);

gboolean          sl_media_receiver_add_stream   (SlMediaReceiver *self,
                                                  GstPad          *pad,
                                                  GError         **error);

void              sl_media_receiver_open_gates   (SlMediaReceiver *self);

void              sl_media_receiver_get_counts   (SlMediaReceiver *self,
                                                  guint64         *decoded,
                                                  guint64         *rendered,
                                                  guint64         *audio);

gint64            sl_media_receiver_get_first_frame_us (SlMediaReceiver *self);

gboolean          sl_media_receiver_write_snapshot (SlMediaReceiver *self,
                                                    const char      *path,
                                                    GError         **error);

void              sl_media_receiver_stop         (SlMediaReceiver *self);

G_END_DECLS
