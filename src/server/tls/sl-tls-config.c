/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The signalling server's TLS settings, shared by every connection: one
 * OpenSSL SSL_CTX with the server certificate and key, TLS 1.3 only,
 * client certificates required and verified against a store that holds
 * the operator CA and nothing else (never the system roots).
 *
 * OpenSSL runs the whole connection (sl-tls-stream.c).  No session cache
 * and no tickets (devices reconnect
 * rarely; a full handshake is cheap next to an idle connection kept for
 * hours, and nothing can be resumed past a revocation).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-tls-private.h"
#include "sl-tls-stream.h"

#include <openssl/err.h>
#include <openssl/x509.h>


struct _SlTlsConfig
{
  GObject parent_instance;

  SSL_CTX *ctx;
  SlTlsRevokedFunc revoked;
  gpointer revoked_data;
};

G_DEFINE_FINAL_TYPE (SlTlsConfig, sl_tls_config, G_TYPE_OBJECT);
G_DEFINE_QUARK (sl - tls - error - quark, sl_tls_error);

static gpointer
config_error (GError ** error, const char *what, const char *file)
{
  unsigned long e = ERR_get_error ();
  char reason[256] = "";

  if (e != 0)
    ERR_error_string_n (e, reason, sizeof reason);
  ERR_clear_error ();
  g_set_error (error, SL_TLS_ERROR, SL_TLS_ERROR_SETUP, "%s %s%s%s", what,
      file, reason[0] ? ": " : "", reason);
  return NULL;
}

/* --- verification ------------------------------------------------------ */

static SlTlsError
classify_x509 (int err)
{
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return SL_TLS_ERROR_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return SL_TLS_ERROR_NOT_YET_VALID;
    case X509_V_ERR_CERT_REVOKED:
      return SL_TLS_ERROR_REVOKED;
    case X509_V_ERR_INVALID_PURPOSE:
      return SL_TLS_ERROR_NOT_DEVICE;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      return SL_TLS_ERROR_UNKNOWN_CA;
    default:
      return SL_TLS_ERROR_BAD_CERTIFICATE;
  }
}

/* OpenSSL has checked the chain against the operator CA and the validity
 * period (or reports why not); the leaf must also name a device that is
 * not revoked.  The identity is read here, once, and kept instead of the
 * certificate. */
static int
verify_cb (int ok, X509_STORE_CTX * ctx)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (ctx,
      SSL_get_ex_data_X509_STORE_CTX_idx ());
  SlTlsStream *stream = SSL_get_ex_data (ssl, sl_tls_config_stream_index ());
  g_autoptr (GError) error = NULL;
  g_autoptr (SlPkiIdentity) identity = NULL;

  if (!ok) {
    int err = X509_STORE_CTX_get_error (ctx);

    sl_tls_stream_refuse (stream, classify_x509 (err),
        g_strdup (X509_verify_cert_error_string (err)));
    return 0;
  }
  if (X509_STORE_CTX_get_error_depth (ctx) != 0 ||
      sl_tls_stream_has_identity (stream))
    return 1;
  identity = sl_pki_identity_from_x509 (X509_STORE_CTX_get_current_cert
      (ctx), &error);
  if (identity == NULL) {
    sl_tls_stream_refuse (stream, SL_TLS_ERROR_NOT_DEVICE,
        g_strdup (error ? error->message : "unreadable certificate"));
    X509_STORE_CTX_set_error (ctx, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  if (sl_tls_config_is_revoked (sl_tls_stream_get_config (stream),
          identity->serial)) {
    sl_tls_stream_refuse (stream, SL_TLS_ERROR_REVOKED,
        g_strdup_printf ("certificate of '%s' is revoked",
            identity->device_id));
    X509_STORE_CTX_set_error (ctx, X509_V_ERR_CERT_REVOKED);
    return 0;
  }
  sl_tls_stream_take_identity (stream, g_steal_pointer (&identity));
  return 1;
}

/* --- errors ------------------------------------------------------------ */

/**
 * sl_tls_error_reason:
 * @error: an error from a handshake
 *
 * Returns: the refusal reason for metrics and logs, e.g. "unknown-ca",
 *   "tls-version" or "handshake-failed" for errors of other domains
 */
const char *
sl_tls_error_reason (const GError * error)
{
  static const char *const names[] = {
    "no-certificate", "unknown-ca", "expired", "not-yet-valid",
    "bad-certificate", "revoked", "not-device", "tls-version", "not-tls",
    "handshake-aborted", "handshake-failed", "tls-setup",
  };

  if (error && error->domain == SL_TLS_ERROR && error->code >= 0 &&
      (gsize) error->code < G_N_ELEMENTS (names))
    return names[error->code];
  return "handshake-failed";
}

SlTlsError
sl_tls_config_classify_reason (int reason)
{
  switch (reason) {
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
      return SL_TLS_ERROR_NO_CERTIFICATE;
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_VERSION_TOO_LOW:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
    case SSL_R_WRONG_SSL_VERSION:
      return SL_TLS_ERROR_VERSION;
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_UNKNOWN_PROTOCOL:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
      return SL_TLS_ERROR_NOT_TLS;
    case SSL_R_CERTIFICATE_VERIFY_FAILED:
      return SL_TLS_ERROR_BAD_CERTIFICATE;
    case SSL_R_UNEXPECTED_EOF_WHILE_READING:
      return SL_TLS_ERROR_ABORTED;
    default:
      return SL_TLS_ERROR_FAILED;
  }
}

/* --- settings ---------------------------------------------------------- */

/**
 * sl_tls_config_new_server:
 * @cert_file: the server certificate (chain), PEM
 * @key_file: its private key, PEM
 * @ca_file: the operator CA certificate, PEM: the only issuer of device
 *   certificates the server accepts
 * @error: return location for an %SL_TLS_ERROR_SETUP error
 *
 * Returns: (transfer full) (nullable): the settings
 */
SlTlsConfig *
sl_tls_config_new_server (const char *cert_file, const char *key_file,
    const char *ca_file, GError ** error)
{
  g_autoptr (SlTlsConfig) self = g_object_new (SL_TYPE_TLS_CONFIG, NULL);
  STACK_OF (X509_NAME) * names;
  X509_STORE *store;

  g_return_val_if_fail (cert_file && key_file && ca_file, NULL);

  self->ctx = SSL_CTX_new (TLS_server_method ());
  if (self->ctx == NULL)
    return config_error (error, "cannot create a TLS context", "");
  if (!SSL_CTX_set_min_proto_version (self->ctx, TLS1_3_VERSION) ||
      !SSL_CTX_set_max_proto_version (self->ctx, TLS1_3_VERSION))
    return config_error (error, "cannot restrict to TLS 1.3", "");
  if (SSL_CTX_use_certificate_chain_file (self->ctx, cert_file) != 1)
    return config_error (error, "server certificate", cert_file);
  if (SSL_CTX_use_PrivateKey_file (self->ctx, key_file, SSL_FILETYPE_PEM) != 1)
    return config_error (error, "server key", key_file);
  if (SSL_CTX_check_private_key (self->ctx) != 1)
    return config_error (error, "the key does not match", cert_file);

  /* A store of our own: SSL_CTX_new's default one would be fine too, but
   * starting empty makes it obvious that no system root can ever vouch
   * for a device. */
  store = X509_STORE_new ();
  if (store == NULL || X509_STORE_load_file (store, ca_file) != 1) {
    X509_STORE_free (store);
    return config_error (error, "CA certificate", ca_file);
  }
  SSL_CTX_set_cert_store (self->ctx, store);
  /* Tells clients which CA we trust (certificate_authorities). */
  names = SSL_load_client_CA_file (ca_file);
  if (names == NULL)
    return config_error (error, "CA certificate", ca_file);
  SSL_CTX_set_client_CA_list (self->ctx, names);
  SSL_CTX_set_verify (self->ctx,
      SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
  /* Device certificates are issued by the operator CA itself. */
  SSL_CTX_set_verify_depth (self->ctx, 0);

  SSL_CTX_set_session_cache_mode (self->ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets (self->ctx, 0);
  /* A device that drops the TCP connection without close_notify has
   * simply gone (WebSocket frames carry their own ends); this also keeps
   * the refusal reason "handshake-aborted" for those that leave early. */
  SSL_CTX_set_options (self->ctx, SSL_OP_NO_TICKET |
      SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
      SSL_OP_IGNORE_UNEXPECTED_EOF);
  /* Idle devices are most of them: OpenSSL frees its record buffers
   * between records (and wipes what it decrypted), and reads ahead so
   * that a burst of records costs one recv(). */
  SSL_CTX_set_mode (self->ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_AUTO_RETRY);
  SSL_CTX_set_options (self->ctx, SSL_OP_CLEANSE_PLAINTEXT);
  SSL_CTX_set_read_ahead (self->ctx, 1);
  /* A device's certificate is about 1 KiB: refuse a Certificate message
   * of more than 16 KiB before buffering it (OpenSSL's default is 100
   * KiB, before the device has proved anything). */
  SSL_CTX_set_max_cert_list (self->ctx, 16 * 1024);
  return g_steal_pointer (&self);
}

/**
 * sl_tls_config_set_revoked_func:
 * @self: the settings
 * @func: (nullable): asked about every device certificate
 * @user_data: for @func; must outlive the settings or be replaced
 *
 * Sets how handshakes learn that a certificate is revoked (the server's
 * revocation list, which it reloads on its own).
 */
void
sl_tls_config_set_revoked_func (SlTlsConfig * self, SlTlsRevokedFunc func,
    gpointer user_data)
{
  g_return_if_fail (SL_IS_TLS_CONFIG (self));
  self->revoked = func;
  self->revoked_data = user_data;
}

/**
 * sl_tls_config_is_revoked:
 * @self: the settings
 * @serial: a certificate serial, lowercase hexadecimal
 *
 * Returns: whether the revocation function says @serial is revoked
 */
gboolean
sl_tls_config_is_revoked (SlTlsConfig * self, const char *serial)
{
  g_return_val_if_fail (SL_IS_TLS_CONFIG (self), TRUE);
  return self->revoked && self->revoked (serial, self->revoked_data);
}

SSL_CTX *
sl_tls_config_get_ssl_ctx (SlTlsConfig * self)
{
  return self->ctx;
}

int
sl_tls_config_stream_index (void)
{
  static gsize index = 0;

  /* Stored plus one: 0 means "not yet". */
  if (g_once_init_enter (&index)) {
    int i = SSL_get_ex_new_index (0, NULL, NULL, NULL, NULL);

    g_assert (i >= 0);
    g_once_init_leave (&index, (gsize) i + 1);
  }
  return (int) index - 1;
}

static void
sl_tls_config_finalize (GObject * object)
{
  SlTlsConfig *self = SL_TLS_CONFIG (object);

  SSL_CTX_free (self->ctx);
  G_OBJECT_CLASS (sl_tls_config_parent_class)->finalize (object);
}

static void
sl_tls_config_class_init (SlTlsConfigClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_tls_config_finalize;
}

static void
sl_tls_config_init (SlTlsConfig * self)
{
}
