/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A device's own certificate, key and operator CA, checked before it
 * connects: a key that does not match, a certificate outside its validity
 * or from another CA, or a file that cannot be read would otherwise only
 * show as a TLS failure, retried as "server unreachable".  The checks are
 * OpenSSL's (X509_check_private_key, the validity times, X509_verify with
 * the CA's key); the server checks all of this again in its handshake.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-device-identity.h"
#include "sl-crypto-private.h"
#include "sl-openssl.h"
#include "sl-pki.h"

#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
    G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
    G_DEFINE_QUARK (sl - device - identity - error - quark,
    sl_device_identity_error);

     void sl_device_identity_free (SlDeviceIdentity * identity)
{
  if (identity == NULL)
    return;
  g_free (identity->device_id);
  g_free (identity);
}

static GBytes *
read_file (const char *path, const char *what, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, &local_error)) {
    g_set_error (error, SL_DEVICE_IDENTITY_ERROR,
        SL_DEVICE_IDENTITY_ERROR_UNREADABLE, "Cannot read the %s: %s", what,
        local_error->message);
    return NULL;
  }
  return g_bytes_new_take (text, len);
}

static X509 *
parse_cert (GBytes * pem, const char *path, GError ** error)
{
  gsize len;
  const void *data = g_bytes_get_data (pem, &len);
  g_autoptr (BIO) bio = BIO_new_mem_buf (data, (int) MIN (len,
          (gsize) G_MAXINT));
  X509 *cert = bio ? PEM_read_bio_X509 (bio, NULL, NULL, NULL) : NULL;

  ERR_clear_error ();
  if (cert == NULL)
    g_set_error (error, SL_DEVICE_IDENTITY_ERROR,
        SL_DEVICE_IDENTITY_ERROR_INVALID, "%s is not a PEM certificate", path);
  return cert;
}

static char *
format_time (const ASN1_TIME * t)
{
  struct tm tm;
  char buf[64];

  if (!ASN1_TIME_to_tm (t, &tm) || strftime (buf, sizeof buf,
          "%Y-%m-%d %H:%M UTC", &tm) == 0)
    return g_strdup ("(unknown)");
  return g_strdup (buf);
}

static gboolean
check_validity (X509 * cert, const char *path, gint64 now, GError ** error)
{
  time_t t = (time_t) now;
  g_autofree char *when = NULL;

  /* X509_cmp_time: -1 when the certificate's time is before @t. */
  if (X509_cmp_time (X509_get0_notAfter (cert), &t) <= 0) {
    when = format_time (X509_get0_notAfter (cert));
    g_set_error (error, SL_DEVICE_IDENTITY_ERROR,
        SL_DEVICE_IDENTITY_ERROR_EXPIRED, "The device certificate %s expired "
        "on %s: ask the operator for a new one", path, when);
    return FALSE;
  }
  if (X509_cmp_time (X509_get0_notBefore (cert), &t) >= 0) {
    when = format_time (X509_get0_notBefore (cert));
    g_set_error (error, SL_DEVICE_IDENTITY_ERROR,
        SL_DEVICE_IDENTITY_ERROR_NOT_YET_VALID, "The device certificate %s "
        "is not valid before %s: check this device's clock", path, when);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_issuer (X509 * cert, const char *cert_path, const char *ca_file,
    GError ** error)
{
  g_autoptr (GBytes) ca_pem = read_file (ca_file, "operator CA", error);
  g_autoptr (X509) ca = NULL;
  EVP_PKEY *ca_key;
  gboolean ok;

  if (ca_pem == NULL || !(ca = parse_cert (ca_pem, ca_file, error)))
    return FALSE;
  ca_key = X509_get0_pubkey (ca);
  ok = ca_key != NULL && X509_NAME_cmp (X509_get_issuer_name (cert),
      X509_get_subject_name (ca)) == 0 && X509_verify (cert, ca_key) == 1;
  ERR_clear_error ();
  if (!ok)
    g_set_error (error, SL_DEVICE_IDENTITY_ERROR,
        SL_DEVICE_IDENTITY_ERROR_UNTRUSTED, "The device certificate %s was "
        "not issued by the operator CA %s", cert_path, ca_file);
  return ok;
}

static gboolean
check_key (GBytes * cert_pem, const char *cert_file, const char *key_file,
    GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  GBytes *key_pem = read_file (key_file, "device key", error);
  gsize len = 0;
  gpointer data;
  gboolean ok;

  if (key_pem == NULL)
    return FALSE;
  ok = sl_pki_check_key_pair (cert_pem, key_pem, &local_error);
  /* The long-term key: wiped as soon as it was compared. */
  data = g_bytes_unref_to_data (key_pem, &len);
  sl_crypto_wipe (SL_WIPE_DEVICE_KEY_FILE, data, len);
  g_free (data);
  if (!ok && g_error_matches (local_error, SL_PKI_ERROR, SL_PKI_ERROR_PARSE)) {
    g_set_error (error, SL_DEVICE_IDENTITY_ERROR,
        SL_DEVICE_IDENTITY_ERROR_INVALID, "%s is not a PEM private key",
        key_file);
  } else if (!ok) {
    g_set_error (error, SL_DEVICE_IDENTITY_ERROR,
        SL_DEVICE_IDENTITY_ERROR_KEY_MISMATCH, "The private key %s does not "
        "belong to the device certificate %s", key_file, cert_file);
  }
  return ok;
}

/**
 * sl_device_identity_load:
 * @cert_file: this device's certificate (PEM)
 * @key_file: (nullable): its private key (PEM): checked against it
 * @ca_file: (nullable): the operator CA (PEM): must have issued it
 * @now: the time to check the validity at, Unix time; negative: no
 *   validity check (forgetting a peer works with an expired certificate)
 * @error: an %SL_DEVICE_IDENTITY_ERROR with a message for users
 *
 * Returns: (transfer full) (nullable): what the certificate says about
 *   this device, once every check passed
 */
SlDeviceIdentity *
sl_device_identity_load (const char *cert_file, const char *key_file,
    const char *ca_file, gint64 now, GError ** error)
{
  g_autoptr (GBytes) cert_pem = NULL;
  g_autoptr (X509) cert = NULL;
  g_autoptr (SlPkiIdentity) pki = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (SlDeviceIdentity) self = NULL;
  unsigned char *der = NULL;
  int der_len;

  g_return_val_if_fail (cert_file != NULL, NULL);

  cert_pem = read_file (cert_file, "device certificate", error);
  if (cert_pem == NULL || !(cert = parse_cert (cert_pem, cert_file, error)))
    return NULL;
  pki = sl_pki_identity_from_pem (cert_pem, &local_error);
  if (pki == NULL) {
    g_set_error (error, SL_DEVICE_IDENTITY_ERROR,
        SL_DEVICE_IDENTITY_ERROR_INVALID, "%s is not a Sightline device "
        "certificate: %s", cert_file, local_error->message);
    return NULL;
  }
  if ((key_file != NULL && !check_key (cert_pem, cert_file, key_file, error))
      || (ca_file != NULL && !check_issuer (cert, cert_file, ca_file, error))
      || (now >= 0 && !check_validity (cert, cert_file, now, error)))
    return NULL;

  self = g_new0 (SlDeviceIdentity, 1);
  self->device_id = g_strdup (pki->device_id);
  self->not_after = pki->not_after;
  der_len = i2d_X509 (cert, &der);
  if (der_len <= 0 || !sl_crypto_sha256 (der, (gsize) der_len,
          self->cert_hash, error)) {
    OPENSSL_free (der);
    if (error && *error == NULL)
      sl_crypto_set_internal_error (error, "certificate hash");
    return NULL;
  }
  OPENSSL_free (der);
  return g_steal_pointer (&self);
}
