/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sl-protocol.h"

G_BEGIN_DECLS

/* Longest chat message, in bytes of UTF-8. */
#define SL_PEER_MAX_CHAT 4000
/* Largest data-channel message we accept. */
#define SL_PEER_MAX_MESSAGE 8192
/* Largest ICE candidate string. */
#define SL_PEER_MAX_CANDIDATE 1024

/* Messages on the call's data channel, protected by DTLS once the call is
 * secured: chat, chat-ack, ping, pong, bind, hangup, sas,
 * media-state (mic-muted, camera-paused). */
extern const SlProtocolFamily sl_peer_channel_family;

/* Plaintext of sealed records that are not SDP: candidate (an ICE
 * candidate record), hello (a CONTROL record with the callee's video
 * codecs) and sas (a CONTROL record: the user said the SAS differ). */
extern const SlProtocolFamily sl_peer_record_family;

G_END_DECLS
