/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SL_CALL_ERROR (sl_call_error_quark ())
GQuark sl_call_error_quark (void);

/**
 * SlCallError:
 * @SL_CALL_ERROR_CONFIG: a bad option or request (a security code that is
 *   not valid, calling yourself), a missing element.
 * @SL_CALL_ERROR_REJECTED: the peer declined the call.
 * @SL_CALL_ERROR_BUSY: the peer is in another call.
 * @SL_CALL_ERROR_NO_ANSWER: nobody answered before the ring timeout, the
 *   peer is not online, or it hung up before the call was set up.
 * @SL_CALL_ERROR_SECURITY: wrong security code, interception, a sealed
 *   message that failed its check, a DTLS fingerprint mismatch, a SAS
 *   reported wrong.
 * @SL_CALL_ERROR_SERVER: the signalling server was lost or refused the
 *   call during set-up.
 * @SL_CALL_ERROR_MEDIA: the media path failed (ICE, DTLS, pipeline).
 * @SL_CALL_ERROR_PEER_LOST: the peer stopped answering heartbeats.
 * @SL_CALL_ERROR_PROTOCOL: the peer or server sent something invalid.
 * @SL_CALL_ERROR_CANCELLED: the user ended the call before it was set up.
 * @SL_CALL_ERROR_POLICY: the operator's call policy does not allow this
 *   call (the server's `policy-denied`).
 *
 * How a call ended, when not normally (sl_call_get_error()).  The nicks
 * of #SL_TYPE_CALL_ERROR ("busy", "peer-lost"...) name them in messages
 * for programs.
 */
typedef enum
{
  SL_CALL_ERROR_CONFIG,
  SL_CALL_ERROR_REJECTED,
  SL_CALL_ERROR_BUSY,
  SL_CALL_ERROR_NO_ANSWER,
  SL_CALL_ERROR_SECURITY,
  SL_CALL_ERROR_SERVER,
  SL_CALL_ERROR_MEDIA,
  SL_CALL_ERROR_PEER_LOST,
  SL_CALL_ERROR_PROTOCOL,
  SL_CALL_ERROR_CANCELLED,
  SL_CALL_ERROR_POLICY,
} SlCallError;

#define SL_TYPE_CALL_ERROR (sl_call_error_get_type ())
GType        sl_call_error_get_type (void);

const char * sl_call_error_nick     (const GError *error);

G_END_DECLS
