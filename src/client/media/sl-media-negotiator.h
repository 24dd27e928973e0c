/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>

G_BEGIN_DECLS

#define SL_TYPE_MEDIA_NEGOTIATOR (sl_media_negotiator_get_type ())
G_DECLARE_FINAL_TYPE (SlMediaNegotiator, sl_media_negotiator, SL,
                      MEDIA_NEGOTIATOR, GObject)

SlMediaNegotiator * sl_media_negotiator_new         (GstElement *webrtc,
                                                     gboolean    offerer);

void                sl_media_negotiator_offer       (SlMediaNegotiator *self);

GstSDPMessage *     sl_media_negotiator_take_remote (SlMediaNegotiator *self,
                                                     const char        *sdp,
                                                     GError           **error);

void                sl_media_negotiator_set_remote  (SlMediaNegotiator *self,
                                                     GstSDPMessage     *msg);

gboolean            sl_media_negotiator_add_candidate (SlMediaNegotiator *self,
                                                       guint              mline,
                                                       const char        *candidate,
                                                       GError           **error);

const char *        sl_media_negotiator_get_local_fingerprint  (SlMediaNegotiator *self);
const char *        sl_media_negotiator_get_remote_fingerprint (SlMediaNegotiator *self);

void                sl_media_negotiator_drain       (SlMediaNegotiator   *self,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            sl_media_negotiator_drain_finish (SlMediaNegotiator  *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
gboolean            sl_media_negotiator_drain_sync  (SlMediaNegotiator   *self,
                                                     GError             **error);

G_END_DECLS
