/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_CLIENT_ERROR (sl_client_error_quark ())
GQuark sl_client_error_quark (void);

/**
 * SlClientError:
 * @SL_CLIENT_ERROR_CONFIG: bad option, unreadable file, missing element.
 * @SL_CLIENT_ERROR_REJECTED: the peer declined the call.
 * @SL_CLIENT_ERROR_BUSY: the peer is in another call.
 * @SL_CLIENT_ERROR_NO_ANSWER: nobody answered before the ring timeout, or
 *   the peer is not online.
 * @SL_CLIENT_ERROR_SECURITY: wrong security code, interception, a sealed
 *   message that failed its check, or a DTLS fingerprint mismatch.
 * @SL_CLIENT_ERROR_SERVER: the signalling server cannot be reached or
 *   refused us.
 * @SL_CLIENT_ERROR_MEDIA: the media path failed (ICE, DTLS, pipeline).
 * @SL_CLIENT_ERROR_PEER_LOST: the peer stopped answering heartbeats.
 * @SL_CLIENT_ERROR_PROTOCOL: the peer or server sent something invalid.
 * @SL_CLIENT_ERROR_CANCELLED: the user ended the call before it was set up.
 *
 * Error codes for %SL_CLIENT_ERROR; each maps to one exit status of the
 * `sightline` command (see sl_client_error_exit_status()).
 */
typedef enum
{
  SL_CLIENT_ERROR_CONFIG,
  SL_CLIENT_ERROR_REJECTED,
  SL_CLIENT_ERROR_BUSY,
  SL_CLIENT_ERROR_NO_ANSWER,
  SL_CLIENT_ERROR_SECURITY,
  SL_CLIENT_ERROR_SERVER,
  SL_CLIENT_ERROR_MEDIA,
  SL_CLIENT_ERROR_PEER_LOST,
  SL_CLIENT_ERROR_PROTOCOL,
  SL_CLIENT_ERROR_CANCELLED,
} SlClientError;

/* Exit statuses of the sightline command. */
#define SL_EXIT_OK          0
#define SL_EXIT_FAILURE     1
#define SL_EXIT_USAGE       2
#define SL_EXIT_REJECTED    3
#define SL_EXIT_BUSY        4
#define SL_EXIT_NO_ANSWER   5
#define SL_EXIT_SECURITY    6
#define SL_EXIT_SERVER      7
#define SL_EXIT_MEDIA       8
#define SL_EXIT_PEER_LOST   9
#define SL_EXIT_CANCELLED  10

int      sl_client_error_exit_status (const GError *error);

G_END_DECLS
