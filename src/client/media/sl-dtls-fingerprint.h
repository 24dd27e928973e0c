/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *   sl_dtls_fingerprint_from_pem  (const char  *pem,
                                        GError     **error);

char *   sl_dtls_fingerprint_from_sdp  (const char  *sdp,
                                        GError     **error);

char *   sl_dtls_fingerprint_normalise (const char  *fingerprint);

gboolean sl_dtls_fingerprint_equal     (const char  *a,
                                        const char  *b);

G_END_DECLS
