/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The client's error domain and its mapping to the exit statuses that the
 * `sightline` command documents in --help and README.md.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-client-error.h"

G_DEFINE_QUARK (sl_client_error, sl_client_error);

/**
 * sl_client_error_exit_status:
 * @error: (nullable): why a call or the program ended, or %NULL for success
 *
 * The call layer turns crypto errors into %SL_CLIENT_ERROR_SECURITY, so
 * only this domain needs mapping.
 *
 * Returns: the exit status the `sightline` command uses for @error
 */
int
sl_client_error_exit_status (const GError * error)
{
  if (error == NULL)
    return SL_EXIT_OK;
  if (error->domain != SL_CLIENT_ERROR)
    return SL_EXIT_FAILURE;
  switch (error->code) {
    case SL_CLIENT_ERROR_CONFIG:
      return SL_EXIT_USAGE;
    case SL_CLIENT_ERROR_REJECTED:
      return SL_EXIT_REJECTED;
    case SL_CLIENT_ERROR_BUSY:
      return SL_EXIT_BUSY;
    case SL_CLIENT_ERROR_NO_ANSWER:
      return SL_EXIT_NO_ANSWER;
    case SL_CLIENT_ERROR_SECURITY:
      return SL_EXIT_SECURITY;
    case SL_CLIENT_ERROR_SERVER:
      return SL_EXIT_SERVER;
    case SL_CLIENT_ERROR_MEDIA:
    case SL_CLIENT_ERROR_PROTOCOL:
      return SL_EXIT_MEDIA;
    case SL_CLIENT_ERROR_PEER_LOST:
      return SL_EXIT_PEER_LOST;
    case SL_CLIENT_ERROR_CANCELLED:
      return SL_EXIT_CANCELLED;
    default:
      return SL_EXIT_FAILURE;
  }
}
