/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_PKI_ERROR (sl_pki_error_quark ())
GQuark sl_pki_error_quark (void);

/**
 * SlPkiError:
 * @SL_PKI_ERROR_INVALID: a name, address, time or option is not acceptable
 *   (bad device id, display name, role, DNS name or IP address).
 * @SL_PKI_ERROR_PARSE: data is not a PEM/DER certificate, key or CRL.
 * @SL_PKI_ERROR_NOT_DEVICE: a certificate is not a Sightline device
 *   certificate (no client-auth usage, or its subject lacks the device id,
 *   display name or role, or they are malformed).
 * @SL_PKI_ERROR_VERIFY: a signature does not verify against the CA, or the
 *   key does not match the certificate.
 * @SL_PKI_ERROR_INTERNAL: OpenSSL failed (out of memory, no randomness).
 *
 * Errors of the X.509 helpers.  Messages are written for operators.
 */
typedef enum
{
  SL_PKI_ERROR_INVALID,
  SL_PKI_ERROR_PARSE,
  SL_PKI_ERROR_NOT_DEVICE,
  SL_PKI_ERROR_VERIFY,
  SL_PKI_ERROR_INTERNAL,
} SlPkiError;

/**
 * SlPkiUsage:
 * @SL_PKI_USAGE_DEVICE: a device (TLS client) certificate
 * @SL_PKI_USAGE_SERVER: the signalling server's (TLS server) certificate
 */
typedef enum
{
  SL_PKI_USAGE_DEVICE,
  SL_PKI_USAGE_SERVER,
} SlPkiUsage;

/**
 * SlPkiIdentity:
 * @device_id: the subject's commonName, a device id
 * @display_name: the subject's name attribute (OID 2.5.4.41)
 * @role: the subject's title attribute (OID 2.5.4.12), e.g. "goggles"
 * @serial: the serial number, lowercase hexadecimal without leading zeros
 * @not_after: the end of validity, Unix time
 *
 * What a device certificate says about its device.
 */
typedef struct
{
  char *device_id;
  char *display_name;
  char *role;
  char *serial;
  gint64 not_after;
} SlPkiIdentity;

void            sl_pki_identity_free   (SlPkiIdentity *identity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlPkiIdentity, sl_pki_identity_free)

/**
 * SlPkiRevoked:
 * @serial: lowercase hexadecimal serial number
 * @revoked_at: Unix time of the revocation
 *
 * One entry of a revocation list.
 */
typedef struct
{
  const char *serial;
  gint64 revoked_at;
} SlPkiRevoked;

gboolean        sl_pki_check_device_id    (const char  *device_id,
                                           GError     **error);
gboolean        sl_pki_check_display_name (const char  *name,
                                           GError     **error);
gboolean        sl_pki_check_role         (const char  *role,
                                           GError     **error);
gboolean        sl_pki_check_dns_name     (const char  *name,
                                           GError     **error);

GBytes *        sl_pki_generate_key       (GError     **error);

GBytes *        sl_pki_make_ca            (GBytes      *key_pem,
                                           const char  *common_name,
                                           gint64       not_before,
                                           gint64       not_after,
                                           GError     **error);

GBytes *        sl_pki_issue              (GBytes      *ca_cert_pem,
                                           GBytes      *ca_key_pem,
                                           GBytes      *subject_key_pem,
                                           SlPkiUsage   usage,
                                           const char  *common_name,
                                           const char  *display_name,
                                           const char  *role,
                                           const char *const *dns_names,
                                           const char *const *ip_addresses,
                                           gint64       not_before,
                                           gint64       not_after,
                                           char       **out_serial,
                                           GError     **error);

GBytes *        sl_pki_make_crl           (GBytes             *ca_cert_pem,
                                           GBytes             *ca_key_pem,
                                           const SlPkiRevoked *revoked,
                                           guint               n_revoked,
                                           gint64              now,
                                           guint               valid_days,
                                           GError            **error);

GHashTable *    sl_pki_load_crl           (GBytes      *crl_pem,
                                           GBytes      *ca_cert_pem,
                                           GError     **error);

gboolean        sl_pki_check_key_pair     (GBytes      *cert_pem,
                                           GBytes      *key_pem,
                                           GError     **error);

SlPkiIdentity * sl_pki_identity_from_der  (const guint8 *der,
                                           gsize         len,
                                           GError      **error);

SlPkiIdentity * sl_pki_identity_from_pem  (GBytes      *cert_pem,
                                           GError     **error);

gboolean        sl_pki_parse_time         (const char  *text,
                                           gint64      *out_time,
                                           GError     **error);

G_END_DECLS
