/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include "sl-media-link.h"

G_BEGIN_DECLS

/**
 * SlIcePairFunc:
 * @local_type: (nullable): "host", "srflx", "prflx" or "relay"
 * @remote_type: (nullable): the same for the peer's side of the pair
 * @user_data: as given
 *
 * Called on the link's main context with the selected ICE pair, or with
 * %NULL types when ICE has selected none.
 */
typedef void (*SlIcePairFunc) (const char *local_type,
                               const char *remote_type,
                               gpointer    user_data);

void         sl_media_transport_enable_recovery (GstElement    *webrtc);

void         sl_media_transport_query_pair      (GstElement    *webrtc,
                                                 SlMediaLink   *link,
                                                 SlIcePairFunc  func,
                                                 gpointer       user_data,
                                                 GDestroyNotify destroy);

GstWebRTCDTLSTransport * sl_media_transport_dtls (GstElement *webrtc);

gboolean     sl_media_transport_check_peer      (GstElement    *webrtc,
                                                 const char    *fingerprint,
                                                 GError       **error);

void         sl_media_transport_finish_stop     (GstElement    *webrtc);

const char * sl_ice_candidate_type              (const char    *candidate);

G_END_DECLS
