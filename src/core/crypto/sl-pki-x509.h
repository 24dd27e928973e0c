/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The one OpenSSL-typed entry point of sl-pki.c, for the server's TLS
 * (src/server/tls/), which reads the device identity from the certificate
 * OpenSSL has just verified instead of parsing it a second time.  Only
 * files allowed to include OpenSSL headers may include this one
 * (scripts/lint).
 */

#pragma once

#include <openssl/x509.h>

#include "sl-pki.h"

G_BEGIN_DECLS

SlPkiIdentity * sl_pki_identity_from_x509 (X509    *cert,
                                           GError **error);

G_END_DECLS
