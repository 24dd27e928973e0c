/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_DTLS_TUNING_ERROR (sl_dtls_tuning_error_quark ())
GQuark sl_dtls_tuning_error_quark (void);

/**
 * SlDtlsTuningError:
 * @SL_DTLS_TUNING_ERROR_NOT_INTERPOSED: GStreamer's dtls plugin does not
 *   (or will not) call our `SSL_new`: DTLS handshakes keep GStreamer's
 *   defaults.  The message says what to do (usually: LD_PRELOAD
 *   libsightline-dtls.so).
 *
 * Error codes for %SL_DTLS_TUNING_ERROR.
 */
typedef enum
{
  SL_DTLS_TUNING_ERROR_NOT_INTERPOSED,
} SlDtlsTuningError;

gboolean  sl_dtls_tuning_install  (GError **error);

G_END_DECLS
