/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * X.509 for the operator's CA (sightline-ca) and the signalling server:
 * P-256 keys, the CA certificate, device and server certificates, the
 * revocation list, and reading a device's identity back from its
 * certificate.  Everything crosses the module boundary as PEM/DER bytes so
 * that no OpenSSL type leaks out of src/core/crypto/.
 *
 * A device certificate's subject is CN=<device id>, name=<display name>
 * (OID 2.5.4.41), title=<role> (OID 2.5.4.12), O=Sightline; it carries
 * the clientAuth extended key usage.  The server's carries serverAuth and
 * its DNS names and IP addresses as subjectAltName.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-pki.h"
#include "sl-protocol.h"
#include "sl-pki-x509.h"
#include "sl-signalling.h"

#include <gio/gio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

G_DEFINE_QUARK (sl - pki - error - quark, sl_pki_error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_CRL, X509_CRL_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_REVOKED, X509_REVOKED_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_NAME, X509_NAME_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_EXTENSION, X509_EXTENSION_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_INTEGER, ASN1_INTEGER_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_TIME, ASN1_TIME_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (GENERAL_NAMES, GENERAL_NAMES_free)
/* Serial numbers: 128 random bits, top bit clear so they stay positive. */
#define SERIAL_BYTES 16
     static gboolean
         openssl_error (GError ** error, SlPkiError code, const char *what)
{
  unsigned long e = ERR_get_error ();
  char reason[256] = "";

  if (e != 0)
    ERR_error_string_n (e, reason, sizeof reason);
  ERR_clear_error ();
  g_set_error (error, SL_PKI_ERROR, code, "%s%s%s", what,
      reason[0] ? ": " : "", reason);
  return FALSE;
}

void
sl_pki_identity_free (SlPkiIdentity * identity)
{
  if (identity == NULL)
    return;
  g_free (identity->device_id);
  g_free (identity->display_name);
  g_free (identity->role);
  g_free (identity->serial);
  g_free (identity);
}

/* --- name checks ------------------------------------------------------- */

static gboolean
check_member (const SlMemberSpec * member, const char *what,
    const char *value, GError ** error)
{
  const char *problem;

  if (value == NULL || value[0] == '\0') {
    g_set_error (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
        "the %s must not be empty", what);
    return FALSE;
  }
  problem = sl_protocol_check_string (member, value, strlen (value));
  if (problem) {
    g_autofree char *cut = g_strndup (value, 80);
    g_autofree char *shown = g_strescape (cut, NULL);

    if (g_str_equal (problem, "is too long"))
      g_set_error (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
          "the %s \"%s\" is longer than %" G_GSIZE_FORMAT " bytes", what,
          shown, member->max_len);
    else
      g_set_error (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
          "the %s \"%s\" %s", what, shown, problem);
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_pki_check_device_id:
 * @device_id: a candidate device id
 * @error: return location for an %SL_PKI_ERROR_INVALID error
 *
 * Returns: whether @device_id follows the signalling protocol's device id
 *   syntax (1 to 63 characters from a-z, 0-9, '.', '_', '-')
 */
gboolean
sl_pki_check_device_id (const char *device_id, GError ** error)
{
  return check_member (&sl_signalling_device_id_member, "device id",
      device_id, error);
}

/**
 * sl_pki_check_display_name:
 * @name: a candidate display name
 * @error: return location for an %SL_PKI_ERROR_INVALID error
 *
 * Returns: whether @name is 1 to 64 bytes of UTF-8 without control
 *   characters
 */
gboolean
sl_pki_check_display_name (const char *name, GError ** error)
{
  return check_member (&sl_signalling_display_name_member, "display name",
      name, error);
}

/**
 * sl_pki_check_role:
 * @role: a candidate role such as "goggles" or "expert"
 * @error: return location for an %SL_PKI_ERROR_INVALID error
 *
 * Returns: whether @role is 1 to 32 characters from a-z, 0-9 and '-'
 */
gboolean
sl_pki_check_role (const char *role, GError ** error)
{
  return check_member (&sl_signalling_role_member, "role", role, error);
}

/**
 * sl_pki_check_dns_name:
 * @name: a candidate DNS name for a server certificate
 * @error: return location for an %SL_PKI_ERROR_INVALID error
 *
 * Returns: whether @name is a host name (labels of letters, digits and
 *   '-', at most 253 characters; a leading "*." wildcard is allowed)
 */
gboolean
sl_pki_check_dns_name (const char *name, GError ** error)
{
  const char *p = name;
  gsize label = 0;

  if (name == NULL || name[0] == '\0' || strlen (name) > 253)
    goto bad;
  if (g_str_has_prefix (p, "*."))
    p += 2;
  for (; *p; p++) {
    if (*p == '.') {
      if (label == 0 || p[-1] == '-')
        goto bad;
      label = 0;
    } else if (g_ascii_isalnum (*p) || (*p == '-' && label > 0)) {
      if (++label > 63)
        goto bad;
    } else {
      goto bad;
    }
  }
  if (label == 0 || p[-1] == '-')
    goto bad;
  return TRUE;

bad:
  {
    g_autofree char *shown = g_strescape (name ? name : "", NULL);
    g_set_error (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
        "\"%s\" is not a valid DNS name", shown);
  }
  return FALSE;
}

/* --- PEM in and out ---------------------------------------------------- */

static GBytes *
bio_to_bytes (BIO * bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);

  return g_bytes_new (data, (gsize) MAX (len, 0));
}

static BIO *
bytes_to_bio (GBytes * bytes)
{
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  return BIO_new_mem_buf (data, (int) MIN (len, (gsize) G_MAXINT));
}

static EVP_PKEY *
read_key (GBytes * pem, GError ** error)
{
  g_autoptr (BIO) bio = bytes_to_bio (pem);
  EVP_PKEY *key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);

  if (key == NULL)
    openssl_error (error, SL_PKI_ERROR_PARSE, "not a PEM private key");
  return key;
}

static X509 *
read_cert (GBytes * pem, GError ** error)
{
  g_autoptr (BIO) bio = bytes_to_bio (pem);
  X509 *cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);

  if (cert == NULL)
    openssl_error (error, SL_PKI_ERROR_PARSE, "not a PEM certificate");
  return cert;
}

static GBytes *
write_cert (X509 * cert, GError ** error)
{
  g_autoptr (BIO) bio = BIO_new (BIO_s_mem ());

  if (!PEM_write_bio_X509 (bio, cert)) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot write certificate");
    return NULL;
  }
  return bio_to_bytes (bio);
}

/**
 * sl_pki_generate_key:
 * @error: return location for an %SL_PKI_ERROR_INTERNAL error
 *
 * Returns: (transfer full) (nullable): a new ECDSA P-256 private key,
 *   PKCS#8 PEM; the caller writes it with mode 0600 and wipes it
 */
GBytes *
sl_pki_generate_key (GError ** error)
{
  g_autoptr (EVP_PKEY) key = EVP_EC_gen ("P-256");
  g_autoptr (BIO) bio = NULL;

  if (key == NULL) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot generate a key");
    return NULL;
  }
  bio = BIO_new (BIO_s_mem ());
  if (!PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL)) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot write the key");
    return NULL;
  }
  return bio_to_bytes (bio);
}

/* --- certificates ------------------------------------------------------ */

static gboolean
set_random_serial (X509 * cert, char **out_serial, GError ** error)
{
  guint8 raw[SERIAL_BYTES];
  g_autoptr (BIGNUM) bn = NULL;
  g_autoptr (ASN1_INTEGER) serial = NULL;
  char *hex;

  if (RAND_bytes (raw, sizeof raw) != 1)
    return openssl_error (error, SL_PKI_ERROR_INTERNAL, "no randomness");
  raw[0] &= 0x7f;
  raw[0] |= 0x40;               /* a fixed length keeps serials comparable */
  bn = BN_bin2bn (raw, sizeof raw, NULL);
  serial = bn ? BN_to_ASN1_INTEGER (bn, NULL) : NULL;
  if (serial == NULL || !X509_set_serialNumber (cert, serial))
    return openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot set serial");
  if (out_serial) {
    hex = BN_bn2hex (bn);
    *out_serial = g_ascii_strdown (hex, -1);
    OPENSSL_free (hex);
  }
  return TRUE;
}

static gboolean
set_validity (X509 * cert, gint64 not_before, gint64 not_after, GError ** error)
{
  g_autoptr (ASN1_TIME) nb = ASN1_TIME_set (NULL, (time_t) not_before);
  g_autoptr (ASN1_TIME) na = ASN1_TIME_set (NULL, (time_t) not_after);

  if (not_after <= not_before) {
    g_set_error_literal (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
        "the end of validity must come after its start");
    return FALSE;
  }
  if (nb == NULL || na == NULL || !X509_set1_notBefore (cert, nb) ||
      !X509_set1_notAfter (cert, na))
    return openssl_error (error, SL_PKI_ERROR_INVALID,
        "cannot set the validity period");
  return TRUE;
}

static gboolean
add_ext (X509 * cert, X509 * issuer, int nid, const char *value,
    GError ** error)
{
  X509V3_CTX ctx;
  g_autoptr (X509_EXTENSION) ext = NULL;

  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, issuer, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL || !X509_add_ext (cert, ext, -1))
    return openssl_error (error, SL_PKI_ERROR_INTERNAL,
        "cannot add an extension");
  return TRUE;
}

static gboolean
add_name (X509_NAME * name, int nid, const char *value, GError ** error)
{
  if (!X509_NAME_add_entry_by_NID (name, nid, MBSTRING_UTF8,
          (const unsigned char *) value, -1, -1, 0))
    return openssl_error (error, SL_PKI_ERROR_INVALID,
        "cannot build the subject name");
  return TRUE;
}

/**
 * sl_pki_make_ca:
 * @key_pem: the CA's private key (from sl_pki_generate_key())
 * @common_name: the CA's name, e.g. "Sightline operator CA"
 * @not_before: start of validity, Unix time
 * @not_after: end of validity, Unix time
 * @error: return location for an %SL_PKI_ERROR
 *
 * Returns: (transfer full) (nullable): the self-signed CA certificate, PEM
 */
GBytes *
sl_pki_make_ca (GBytes * key_pem, const char *common_name,
    gint64 not_before, gint64 not_after, GError ** error)
{
  g_autoptr (EVP_PKEY) key = read_key (key_pem, error);
  g_autoptr (X509) cert = NULL;
  X509_NAME *name;

  if (key == NULL)
    return NULL;
  if (common_name == NULL || common_name[0] == '\0' ||
      strlen (common_name) > 64) {
    g_set_error_literal (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
        "the CA name must be 1 to 64 bytes");
    return NULL;
  }
  cert = X509_new ();
  name = X509_get_subject_name (cert);
  if (!X509_set_version (cert, X509_VERSION_3) ||
      !set_random_serial (cert, NULL, error) ||
      !set_validity (cert, not_before, not_after, error) ||
      !add_name (name, NID_organizationName, "Sightline", error) ||
      !add_name (name, NID_commonName, common_name, error) ||
      !X509_set_issuer_name (cert, name) || !X509_set_pubkey (cert, key))
    return NULL;
  if (!add_ext (cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0",
          error) ||
      !add_ext (cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign",
          error) ||
      !add_ext (cert, cert, NID_subject_key_identifier, "hash", error))
    return NULL;
  if (!X509_sign (cert, key, EVP_sha256 ())) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot sign");
    return NULL;
  }
  return write_cert (cert, error);
}

static gboolean
build_san (const char *const *dns_names, const char *const *ips,
    GString * out, GError ** error)
{
  guint i;

  for (i = 0; dns_names && dns_names[i]; i++) {
    if (!sl_pki_check_dns_name (dns_names[i], error))
      return FALSE;
    g_string_append_printf (out, "%sDNS:%s", out->len ? "," : "", dns_names[i]);
  }
  for (i = 0; ips && ips[i]; i++) {
    g_autoptr (GInetAddress) addr = g_inet_address_new_from_string (ips[i]);
    g_autofree char *canonical = NULL;

    if (addr == NULL) {
      g_autofree char *shown = g_strescape (ips[i], NULL);
      g_set_error (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
          "\"%s\" is not an IP address", shown);
      return FALSE;
    }
    canonical = g_inet_address_to_string (addr);
    g_string_append_printf (out, "%sIP:%s", out->len ? "," : "", canonical);
  }
  if (out->len == 0) {
    g_set_error_literal (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
        "a server certificate needs at least one DNS name or IP address");
    return FALSE;
  }
  return TRUE;
}

static gboolean
fill_subject (X509 * cert, SlPkiUsage usage, const char *common_name,
    const char *display_name, const char *role, const char *const *dns_names,
    const char *const *ips, GError ** error)
{
  X509_NAME *name = X509_get_subject_name (cert);

  if (usage == SL_PKI_USAGE_DEVICE) {
    if (!sl_pki_check_device_id (common_name, error) ||
        !sl_pki_check_display_name (display_name, error) ||
        !sl_pki_check_role (role, error))
      return FALSE;
    return add_name (name, NID_organizationName, "Sightline", error) &&
        add_name (name, NID_title, role, error) &&
        add_name (name, NID_name, display_name, error) &&
        add_name (name, NID_commonName, common_name, error) &&
        add_ext (cert, NULL, NID_ext_key_usage, "clientAuth", error);
  } else {
    g_autoptr (GString) san = g_string_new (NULL);

    if (!build_san (dns_names, ips, san, error))
      return FALSE;
    return add_name (name, NID_organizationName, "Sightline", error) &&
        add_name (name, NID_commonName, common_name, error) &&
        add_ext (cert, NULL, NID_ext_key_usage, "serverAuth", error) &&
        add_ext (cert, NULL, NID_subject_alt_name, san->str, error);
  }
}

/**
 * sl_pki_issue:
 * @ca_cert_pem: the CA certificate
 * @ca_key_pem: the CA private key
 * @subject_key_pem: the new certificate's private key
 * @usage: device or server
 * @common_name: devices: the device id; servers: a name for the server
 * @display_name: (nullable): devices: the display name
 * @role: (nullable): devices: the role
 * @dns_names: (nullable) (array zero-terminated=1): servers: DNS names
 * @ip_addresses: (nullable) (array zero-terminated=1): servers: addresses
 * @not_before: start of validity, Unix time
 * @not_after: end of validity, Unix time
 * @out_serial: (out) (optional): the serial, lowercase hexadecimal
 * @error: return location for an %SL_PKI_ERROR
 *
 * Issues a device or server certificate signed by the CA.  Names are
 * checked first: a bad device id, display name, role, DNS name or address
 * gives %SL_PKI_ERROR_INVALID naming it.
 *
 * Returns: (transfer full) (nullable): the certificate, PEM
 */
GBytes *
sl_pki_issue (GBytes * ca_cert_pem, GBytes * ca_key_pem,
    GBytes * subject_key_pem, SlPkiUsage usage, const char *common_name,
    const char *display_name, const char *role,
    const char *const *dns_names, const char *const *ip_addresses,
    gint64 not_before, gint64 not_after, char **out_serial, GError ** error)
{
  g_autoptr (X509) ca = NULL;
  g_autoptr (EVP_PKEY) ca_key = NULL;
  g_autoptr (EVP_PKEY) key = NULL;
  g_autoptr (X509) cert = NULL;
  g_autofree char *serial = NULL;

  if (!(ca = read_cert (ca_cert_pem, error)) ||
      !(ca_key = read_key (ca_key_pem, error)) ||
      !(key = read_key (subject_key_pem, error)))
    return NULL;
  if (X509_check_private_key (ca, ca_key) != 1) {
    openssl_error (error, SL_PKI_ERROR_VERIFY,
        "the CA key does not belong to the CA certificate");
    return NULL;
  }

  cert = X509_new ();
  if (!X509_set_version (cert, X509_VERSION_3) ||
      !set_random_serial (cert, &serial, error) ||
      !set_validity (cert, not_before, not_after, error) ||
      !fill_subject (cert, usage, common_name, display_name, role, dns_names,
          ip_addresses, error))
    return NULL;
  if (!X509_set_issuer_name (cert, X509_get_subject_name (ca)) ||
      !X509_set_pubkey (cert, key)) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot fill certificate");
    return NULL;
  }
  if (!add_ext (cert, ca, NID_basic_constraints, "critical,CA:FALSE", error)
      || !add_ext (cert, ca, NID_key_usage, "critical,digitalSignature", error)
      || !add_ext (cert, ca, NID_subject_key_identifier, "hash", error)
      || !add_ext (cert, ca, NID_authority_key_identifier, "keyid:always",
          error))
    return NULL;
  if (!X509_sign (cert, ca_key, EVP_sha256 ())) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot sign");
    return NULL;
  }
  if (out_serial)
    *out_serial = g_steal_pointer (&serial);
  return write_cert (cert, error);
}

/**
 * sl_pki_check_key_pair:
 * @cert_pem: a certificate
 * @key_pem: a private key
 * @error: return location for an %SL_PKI_ERROR
 *
 * Returns: whether @key_pem is the private key of @cert_pem
 */
gboolean
sl_pki_check_key_pair (GBytes * cert_pem, GBytes * key_pem, GError ** error)
{
  g_autoptr (X509) cert = read_cert (cert_pem, error);
  g_autoptr (EVP_PKEY) key = NULL;

  if (cert == NULL || !(key = read_key (key_pem, error)))
    return FALSE;
  if (X509_check_private_key (cert, key) != 1)
    return openssl_error (error, SL_PKI_ERROR_VERIFY,
        "the key does not belong to the certificate");
  return TRUE;
}

/* --- revocation list --------------------------------------------------- */

static ASN1_INTEGER *
serial_from_hex (const char *hex)
{
  BIGNUM *bn = NULL;
  ASN1_INTEGER *serial;

  if (!BN_hex2bn (&bn, hex))
    return NULL;
  serial = BN_to_ASN1_INTEGER (bn, NULL);
  BN_free (bn);
  return serial;
}

static char *
serial_to_hex (const ASN1_INTEGER * serial)
{
  g_autoptr (BIGNUM) bn = ASN1_INTEGER_to_BN (serial, NULL);
  char *hex;
  char *result;

  if (bn == NULL)
    return NULL;
  hex = BN_bn2hex (bn);
  result = g_ascii_strdown (hex, -1);
  OPENSSL_free (hex);
  return result;
}

/**
 * sl_pki_make_crl:
 * @ca_cert_pem: the CA certificate
 * @ca_key_pem: the CA private key
 * @revoked: (array length=n_revoked): the revoked serials
 * @n_revoked: their number
 * @now: the list's issue time, Unix time
 * @valid_days: days until the list's nextUpdate
 * @error: return location for an %SL_PKI_ERROR
 *
 * Returns: (transfer full) (nullable): a signed X.509 v2 CRL, PEM
 */
GBytes *
sl_pki_make_crl (GBytes * ca_cert_pem, GBytes * ca_key_pem,
    const SlPkiRevoked * revoked, guint n_revoked, gint64 now,
    guint valid_days, GError ** error)
{
  g_autoptr (X509) ca = NULL;
  g_autoptr (EVP_PKEY) key = NULL;
  g_autoptr (X509_CRL) crl = NULL;
  g_autoptr (ASN1_TIME) last = ASN1_TIME_set (NULL, (time_t) now);
  g_autoptr (ASN1_TIME) next = ASN1_TIME_set (NULL,
      (time_t) (now + (gint64) valid_days * 86400));
  g_autoptr (BIO) bio = NULL;
  guint i;

  if (!(ca = read_cert (ca_cert_pem, error)) ||
      !(key = read_key (ca_key_pem, error)))
    return NULL;
  if (X509_check_private_key (ca, key) != 1) {
    openssl_error (error, SL_PKI_ERROR_VERIFY,
        "the CA key does not belong to the CA certificate");
    return NULL;
  }
  crl = X509_CRL_new ();
  if (!X509_CRL_set_version (crl, X509_CRL_VERSION_2) ||
      !X509_CRL_set_issuer_name (crl, X509_get_subject_name (ca)) ||
      !X509_CRL_set1_lastUpdate (crl, last) ||
      !X509_CRL_set1_nextUpdate (crl, next)) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot build the CRL");
    return NULL;
  }
  for (i = 0; i < n_revoked; i++) {
    g_autoptr (X509_REVOKED) entry = X509_REVOKED_new ();
    g_autoptr (ASN1_INTEGER) serial = serial_from_hex (revoked[i].serial);
    g_autoptr (ASN1_TIME) when = ASN1_TIME_set (NULL,
        (time_t) revoked[i].revoked_at);

    if (serial == NULL || when == NULL ||
        !X509_REVOKED_set_serialNumber (entry, serial) ||
        !X509_REVOKED_set_revocationDate (entry, when)) {
      g_set_error (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
          "bad serial number \"%s\"", revoked[i].serial);
      return NULL;
    }
    if (!X509_CRL_add0_revoked (crl, entry)) {
      openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot build the CRL");
      return NULL;
    }
    entry = NULL;               /* the CRL owns it now */
  }
  X509_CRL_sort (crl);
  if (!X509_CRL_sign (crl, key, EVP_sha256 ())) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot sign the CRL");
    return NULL;
  }
  bio = BIO_new (BIO_s_mem ());
  if (!PEM_write_bio_X509_CRL (bio, crl)) {
    openssl_error (error, SL_PKI_ERROR_INTERNAL, "cannot write the CRL");
    return NULL;
  }
  return bio_to_bytes (bio);
}

/**
 * sl_pki_load_crl:
 * @crl_pem: a CRL, PEM
 * @ca_cert_pem: the CA certificate that must have signed it
 * @error: return location for an %SL_PKI_ERROR
 *
 * Returns: (transfer full) (nullable): the set of revoked serials
 *   (lowercase hexadecimal strings as keys), or %NULL if the list is
 *   malformed, from another issuer or badly signed
 */
GHashTable *
sl_pki_load_crl (GBytes * crl_pem, GBytes * ca_cert_pem, GError ** error)
{
  g_autoptr (X509) ca = read_cert (ca_cert_pem, error);
  g_autoptr (BIO) bio = NULL;
  g_autoptr (X509_CRL) crl = NULL;
  g_autoptr (GHashTable) set = NULL;
  STACK_OF (X509_REVOKED) * entries;
  EVP_PKEY *ca_key;
  int i;

  if (ca == NULL)
    return NULL;
  bio = bytes_to_bio (crl_pem);
  crl = PEM_read_bio_X509_CRL (bio, NULL, NULL, NULL);
  if (crl == NULL) {
    openssl_error (error, SL_PKI_ERROR_PARSE, "not a PEM revocation list");
    return NULL;
  }
  ca_key = X509_get0_pubkey (ca);
  if (X509_NAME_cmp (X509_CRL_get_issuer (crl),
          X509_get_subject_name (ca)) != 0 || ca_key == NULL ||
      X509_CRL_verify (crl, ca_key) != 1) {
    openssl_error (error, SL_PKI_ERROR_VERIFY,
        "the revocation list was not signed by the CA");
    return NULL;
  }
  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  entries = X509_CRL_get_REVOKED (crl);
  for (i = 0; entries && i < sk_X509_REVOKED_num (entries); i++) {
    X509_REVOKED *entry = sk_X509_REVOKED_value (entries, i);
    char *hex = serial_to_hex (X509_REVOKED_get0_serialNumber (entry));

    if (hex)
      g_hash_table_add (set, hex);
  }
  return g_steal_pointer (&set);
}

/* --- identity ---------------------------------------------------------- */

static char *
name_entry (X509_NAME * name, int nid)
{
  int index = X509_NAME_get_index_by_NID (name, nid, -1);
  unsigned char *utf8 = NULL;
  int len;
  char *result;

  /* Exactly one entry: two CNs would make the identity ambiguous. */
  if (index < 0 || X509_NAME_get_index_by_NID (name, nid, index) >= 0)
    return NULL;
  len = ASN1_STRING_to_UTF8 (&utf8,
      X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, index)));
  if (len < 0)
    return NULL;
  result = g_strndup ((const char *) utf8, (gsize) len);
  if (strlen (result) != (gsize) len) {
    g_clear_pointer (&result, g_free);  /* embedded NUL */
  }
  OPENSSL_free (utf8);
  return result;
}

static SlPkiIdentity *
identity_from_cert (X509 * cert, GError ** error)
{
  g_autoptr (SlPkiIdentity) id = g_new0 (SlPkiIdentity, 1);
  X509_NAME *subject = X509_get_subject_name (cert);
  g_autoptr (GError) local_error = NULL;
  struct tm tm;

  if (!(X509_get_extension_flags (cert) & EXFLAG_XKUSAGE) ||
      !(X509_get_extended_key_usage (cert) & XKU_SSL_CLIENT)) {
    g_set_error_literal (error, SL_PKI_ERROR, SL_PKI_ERROR_NOT_DEVICE,
        "the certificate is not for TLS clients");
    return NULL;
  }
  id->device_id = name_entry (subject, NID_commonName);
  id->display_name = name_entry (subject, NID_name);
  id->role = name_entry (subject, NID_title);
  if (!sl_pki_check_device_id (id->device_id, &local_error) ||
      !sl_pki_check_display_name (id->display_name, &local_error) ||
      !sl_pki_check_role (id->role, &local_error)) {
    g_set_error (error, SL_PKI_ERROR, SL_PKI_ERROR_NOT_DEVICE,
        "not a Sightline device certificate: %s", local_error->message);
    return NULL;
  }
  id->serial = serial_to_hex (X509_get0_serialNumber (cert));
  if (id->serial == NULL || !ASN1_TIME_to_tm (X509_get0_notAfter (cert), &tm)) {
    openssl_error (error, SL_PKI_ERROR_PARSE, "unreadable certificate");
    return NULL;
  }
  id->not_after = (gint64) timegm (&tm);
  return g_steal_pointer (&id);
}

/**
 * sl_pki_identity_from_x509:
 * @cert: a device certificate OpenSSL has already parsed (and verified)
 * @error: return location for an %SL_PKI_ERROR
 *
 * For the server's TLS handshake: parsing the certificate again (as
 * sl_pki_identity_from_der() must) costs as much as the rest of the
 * certificate checks with OpenSSL 3.0's key decoders.
 *
 * Returns: (transfer full) (nullable): the identity
 */
SlPkiIdentity *
sl_pki_identity_from_x509 (X509 * cert, GError ** error)
{
  g_return_val_if_fail (cert != NULL, NULL);
  return identity_from_cert (cert, error);
}

/**
 * sl_pki_identity_from_der:
 * @der: (array length=len): a device certificate, DER
 * @len: its length
 * @error: return location for an %SL_PKI_ERROR
 *
 * Reads the device's identity.  Does not verify the certificate: the
 * caller has (the server's TLS layer checks chain and validity).
 *
 * Returns: (transfer full) (nullable): the identity
 */
SlPkiIdentity *
sl_pki_identity_from_der (const guint8 * der, gsize len, GError ** error)
{
  const unsigned char *p = der;
  g_autoptr (X509) cert = NULL;

  if (len > G_MAXINT || !(cert = d2i_X509 (NULL, &p, (long) len)) ||
      p != der + len) {
    openssl_error (error, SL_PKI_ERROR_PARSE, "not a DER certificate");
    return NULL;
  }
  return identity_from_cert (cert, error);
}

/**
 * sl_pki_identity_from_pem:
 * @cert_pem: a device certificate, PEM
 * @error: return location for an %SL_PKI_ERROR
 *
 * Returns: (transfer full) (nullable): the identity
 */
SlPkiIdentity *
sl_pki_identity_from_pem (GBytes * cert_pem, GError ** error)
{
  g_autoptr (X509) cert = read_cert (cert_pem, error);

  return cert ? identity_from_cert (cert, error) : NULL;
}

/**
 * sl_pki_parse_time:
 * @text: "now", "now+N" / "now-N" (N followed by s, m, h or d), a Unix time
 *   ("@1700000000") or an ISO 8601 time with a zone
 *   ("2026-01-31T12:00:00Z")
 * @out_time: (out): Unix time
 * @error: return location for an %SL_PKI_ERROR_INVALID error
 *
 * Returns: whether @text was understood
 */
gboolean
sl_pki_parse_time (const char *text, gint64 * out_time, GError ** error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (g_strcmp0 (text, "now") == 0) {
    *out_time = now;
    return TRUE;
  }
  if (text && g_str_has_prefix (text, "now") && (text[3] == '+' ||
          text[3] == '-')) {
    char *end = NULL;
    guint64 n = g_ascii_strtoull (text + 4, &end, 10);
    gint64 unit = 0;

    if (end && end != text + 4 && end[0] && !end[1]) {
      unit = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 :
          end[0] == 'd' ? 86400 : 0;
    }
    if (unit && n <= (guint64) (G_MAXINT32)) {
      *out_time = now + (text[3] == '+' ? 1 : -1) * (gint64) n *unit;
      return TRUE;
    }
  } else if (text && text[0] == '@') {
    gint64 v;

    if (g_ascii_string_to_signed (text + 1, 10, 0, G_MAXINT64 / 2, &v, NULL)) {
      *out_time = v;
      return TRUE;
    }
  } else if (text) {
    g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

    if (dt) {
      *out_time = g_date_time_to_unix (dt);
      return TRUE;
    }
  }
  {
    g_autofree char *shown = g_strescape (text ? text : "", NULL);
    g_set_error (error, SL_PKI_ERROR, SL_PKI_ERROR_INVALID,
        "\"%s\" is not a time (use now, now+30d, @UNIXTIME or "
        "2026-01-31T12:00:00Z)", shown);
  }
  return FALSE;
}
