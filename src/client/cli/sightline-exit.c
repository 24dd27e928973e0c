/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The `sightline` command's exit statuses, from how its call ended.  They
 * are the command's promise to scripts (--help, README.md); the engine
 * only knows the call's outcome codes.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline-exit.h"

#include "sightline/sl-call-error.h"

/**
 * sightline_exit_status:
 * @error: (nullable): why the call ended, %NULL for a normal end
 *
 * Returns: the exit status for @error
 */
int
sightline_exit_status (const GError * error)
{
  if (error == NULL)
    return SL_EXIT_OK;
  if (error->domain != SL_CALL_ERROR)
    return SL_EXIT_FAILURE;
  switch (error->code) {
    case SL_CALL_ERROR_CONFIG:
      return SL_EXIT_USAGE;
    case SL_CALL_ERROR_REJECTED:
      return SL_EXIT_REJECTED;
    case SL_CALL_ERROR_BUSY:
      return SL_EXIT_BUSY;
    case SL_CALL_ERROR_NO_ANSWER:
      return SL_EXIT_NO_ANSWER;
    case SL_CALL_ERROR_SECURITY:
      return SL_EXIT_SECURITY;
    case SL_CALL_ERROR_SERVER:
      return SL_EXIT_SERVER;
    case SL_CALL_ERROR_MEDIA:
    case SL_CALL_ERROR_PROTOCOL:
      return SL_EXIT_MEDIA;
    case SL_CALL_ERROR_PEER_LOST:
      return SL_EXIT_PEER_LOST;
    case SL_CALL_ERROR_CANCELLED:
      return SL_EXIT_CANCELLED;
    case SL_CALL_ERROR_POLICY:
      return SL_EXIT_POLICY;
    default:
      return SL_EXIT_FAILURE;
  }
}
