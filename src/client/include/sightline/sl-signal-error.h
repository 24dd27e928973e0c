/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SL_SIGNAL_ERROR (sl_signal_error_quark ())
GQuark sl_signal_error_quark (void);

/**
 * SlSignalError:
 * @SL_SIGNAL_ERROR_CONFIG: a bad server URL, or a certificate, key or CA
 *   file that cannot be loaded.
 * @SL_SIGNAL_ERROR_UNREACHABLE: the server cannot be reached, or stopped
 *   answering; retried.
 * @SL_SIGNAL_ERROR_CLOSED: the server closed the connection; retried.
 * @SL_SIGNAL_ERROR_REFUSED: the server refused this device for good (a TLS
 *   alert about its certificate, revoked while connected, or replaced by a
 *   newer connection of the same device); not retried.
 * @SL_SIGNAL_ERROR_NOT_CONNECTED: a message was sent while not connected.
 *
 * Errors of the connection to the signalling server (#SlSignalClient).
 */
typedef enum
{
  SL_SIGNAL_ERROR_CONFIG,
  SL_SIGNAL_ERROR_UNREACHABLE,
  SL_SIGNAL_ERROR_CLOSED,
  SL_SIGNAL_ERROR_REFUSED,
  SL_SIGNAL_ERROR_NOT_CONNECTED,
} SlSignalError;

G_END_DECLS
