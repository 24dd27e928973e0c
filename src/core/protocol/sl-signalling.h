/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sl-protocol.h"

G_BEGIN_DECLS

/* The WebSocket paths of the signalling protocol: the path names the
 * version a device speaks (docs/PROTOCOL.md, "Versions").  Version 1 is
 * two-party calls; version 2 adds group calls. */
#define SL_SIGNALLING_PATH "/v1/ws"
#define SL_SIGNALLING_PATH_V2 "/v2/ws"
#define SL_SIGNALLING_VERSION_MAX 2

/* Devices in one call, counting those still ringing: the configurable
 * limit (max_call_participants) is at most this. */
#define SL_SIGNALLING_MAX_CALL_PARTICIPANTS 8

/* Opaque blobs (handshake messages, sealed records) decode to at most this
 * many bytes; the server never decodes them, it checks the encoded
 * length, SL_SIGNALLING_MAX_BLOB_LEN. */
#define SL_SIGNALLING_MAX_BLOB_BYTES 70000
#define SL_SIGNALLING_MAX_BLOB_LEN 93336
/* The largest client-to-server message: a relay with the largest blob. */
#define SL_SIGNALLING_MAX_CLIENT_MESSAGE 98304
/* The largest server-to-client message (a roster of 16384 devices). */
#define SL_SIGNALLING_MAX_SERVER_MESSAGE (4 * 1024 * 1024)
#define SL_SIGNALLING_MAX_ROSTER 16384
#define SL_SIGNALLING_MAX_DEPTH 8

/* WebSocket close codes (docs/PROTOCOL.md, "Close codes"). */
#define SL_CLOSE_NORMAL 1000
#define SL_CLOSE_SHUTDOWN 1001
#define SL_CLOSE_UNSUPPORTED_DATA 1003
#define SL_CLOSE_POLICY 1008
#define SL_CLOSE_TOO_BIG 1009
#define SL_CLOSE_REPLACED 4001
#define SL_CLOSE_REVOKED 4003
#define SL_CLOSE_IDLE 4008

/* Codes of `error` messages beyond the SlProtocolError names. */
#define SL_SIGNALLING_ERROR_RATE_LIMITED "rate-limited"
#define SL_SIGNALLING_ERROR_NOT_IN_CALL "not-in-call"
#define SL_SIGNALLING_ERROR_BAD_STATE "bad-state"
#define SL_SIGNALLING_ERROR_CALL_ID_IN_USE "call-id-in-use"
#define SL_SIGNALLING_ERROR_OFFLINE "offline"
#define SL_SIGNALLING_ERROR_SELF_CALL "self-call"
#define SL_SIGNALLING_ERROR_TURN_UNAVAILABLE "turn-unavailable"
#define SL_SIGNALLING_ERROR_POLICY_DENIED "policy-denied"
#define SL_SIGNALLING_ERROR_CALL_FULL "call-full"
#define SL_SIGNALLING_ERROR_ALREADY_MEMBER "already-member"
#define SL_SIGNALLING_ERROR_GROUP_UNSUPPORTED "group-unsupported"
#define SL_SIGNALLING_ERROR_NOT_PARTICIPANT "not-participant"

/* Messages a version 1 device sends to the server. */
extern const SlProtocolFamily sl_signalling_to_server;
/* Messages the server sends to a version 1 device. */
extern const SlProtocolFamily sl_signalling_to_client;
/* The same for version 2 (group calls). */
extern const SlProtocolFamily sl_signalling_v2_to_server;
extern const SlProtocolFamily sl_signalling_v2_to_client;

const SlProtocolFamily * sl_signalling_to_server_for (guint version);
const SlProtocolFamily * sl_signalling_to_client_for (guint version);

SlMessage * sl_signalling_new_error (guint       version,
                                     const char *code,
                                     const char *message,
                                     const char *call_id,
                                     const char *ref_type,
                                     const char *peer);

/* Member tables other code checks values against before building. */
extern const SlMemberSpec sl_signalling_device_id_member;
extern const SlMemberSpec sl_signalling_display_name_member;
extern const SlMemberSpec sl_signalling_role_member;

G_END_DECLS
