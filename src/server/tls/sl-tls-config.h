/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SlTlsRevokedFunc:
 * @serial: the serial of a device certificate that otherwise verified,
 *   lowercase hexadecimal without leading zeros
 * @user_data: user data
 *
 * Asked during every handshake.
 *
 * Returns: whether the certificate is revoked
 */
typedef gboolean (*SlTlsRevokedFunc) (const char *serial,
                                      gpointer    user_data);

#define SL_TYPE_TLS_CONFIG (sl_tls_config_get_type ())
G_DECLARE_FINAL_TYPE (SlTlsConfig, sl_tls_config, SL, TLS_CONFIG, GObject)

SlTlsConfig * sl_tls_config_new_server         (const char       *cert_file,
                                                const char       *key_file,
                                                const char       *ca_file,
                                                GError          **error);

void          sl_tls_config_set_revoked_func   (SlTlsConfig      *self,
                                                SlTlsRevokedFunc  func,
                                                gpointer          user_data);

gboolean      sl_tls_config_is_revoked         (SlTlsConfig      *self,
                                                const char       *serial);

G_END_DECLS
