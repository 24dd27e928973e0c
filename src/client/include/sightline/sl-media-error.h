/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SL_MEDIA_ERROR (sl_media_error_quark ())
GQuark sl_media_error_quark (void);

/**
 * SlMediaError:
 * @SL_MEDIA_ERROR_CONFIG: a bad option, a source or sink description that
 *   does not parse, an element that is missing, an address ICE cannot use.
 * @SL_MEDIA_ERROR_FAILED: the pipeline, ICE or DTLS failed.
 * @SL_MEDIA_ERROR_SECURITY: the peer's DTLS certificate does not match the
 *   fingerprint of its session description, or the description carries
 *   none that can be checked.
 * @SL_MEDIA_ERROR_PROTOCOL: the peer sent a session description, candidate
 *   or stream that cannot be used.
 * @SL_MEDIA_ERROR_CLOSED: the data channel is not open.
 *
 * Errors of a call's media (#SlMediaSession and its helpers).
 */
typedef enum
{
  SL_MEDIA_ERROR_CONFIG,
  SL_MEDIA_ERROR_FAILED,
  SL_MEDIA_ERROR_SECURITY,
  SL_MEDIA_ERROR_PROTOCOL,
  SL_MEDIA_ERROR_CLOSED,
} SlMediaError;

G_END_DECLS
