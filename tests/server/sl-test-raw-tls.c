/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A TLS 1.3 device at the record level, for tests only.  OpenSSL (a
 * client SSL over memory BIOs) runs the handshake with the device's
 * certificate and decrypts whatever the server sends, so alerts are
 * OpenSSL's reading of the server's bytes.  The client's application
 * traffic secret comes from OpenSSL's key log (acceptable in a test, never
 * in src/); records the device sends are sealed here per RFC 8446 section
 * 5.2 with TLS_AES_128_GCM_SHA256, the only suite the client offers.
 * Blocking socket calls with poll() timeouts: run it on a thread of its
 * own or between main-loop waits.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-test-raw-tls.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>

#define SECRET_LEN 32
#define KEY_LEN 16
#define IV_LEN 12
#define TAG_LEN 16

struct _SlTestRawTls
{
  GSocketConnection *tcp;
  int fd;
  SSL_CTX *ctx;
  SSL *ssl;
  BIO *rbio;                    /* what the server sent, for OpenSSL */
  BIO *wbio;                    /* what OpenSSL sends during the handshake */
  guint8 secret[SECRET_LEN];    /* client application traffic secret */
  gboolean have_secret;
  guint8 key[KEY_LEN];
  guint8 iv[IV_LEN];
  guint64 seq;
  EVP_CIPHER_CTX *aead;
  int alert;                    /* last alert received, -1 for none */
};

static int keylog_index = -1;

static void
keylog_cb (const SSL * ssl, const char *line)
{
  SlTestRawTls *self = SSL_get_ex_data (ssl, keylog_index);
  const char *hex;
  guint i;

  if (!g_str_has_prefix (line, "CLIENT_TRAFFIC_SECRET_0 "))
    return;
  hex = strrchr (line, ' ') + 1;
  g_assert_cmpuint (strlen (hex), ==, 2 * SECRET_LEN);
  for (i = 0; i < SECRET_LEN; i++)
    self->secret[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 |
        g_ascii_xdigit_value (hex[2 * i + 1]));
  self->have_secret = TRUE;
}

static void
message_cb (int write_p, int version, int content_type, const void *buf,
    size_t len, SSL * ssl, void *arg)
{
  SlTestRawTls *self = arg;

  if (!write_p && content_type == SSL3_RT_ALERT && len == 2)
    self->alert = ((const guint8 *) buf)[1];
}

/* HKDF-Expand-Label (RFC 8446 section 7.1) with SHA-256, empty context. */
static void
expand_label (const guint8 * secret, const char *label, guint8 * out,
    gsize out_len)
{
  EVP_KDF *kdf = EVP_KDF_fetch (NULL, "HKDF", NULL);
  EVP_KDF_CTX *kctx = EVP_KDF_CTX_new (kdf);
  guint8 info[64];
  gsize label_len = strlen (label), n = 0;
  int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  OSSL_PARAM params[5], *p = params;

  info[n++] = (guint8) (out_len >> 8);
  info[n++] = (guint8) out_len;
  info[n++] = (guint8) (6 + label_len);
  memcpy (info + n, "tls13 ", 6);
  n += 6;
  memcpy (info + n, label, label_len);
  n += label_len;
  info[n++] = 0;
  *p++ = OSSL_PARAM_construct_int (OSSL_KDF_PARAM_MODE, &mode);
  *p++ = OSSL_PARAM_construct_utf8_string (OSSL_KDF_PARAM_DIGEST,
      (char *) "SHA256", 0);
  *p++ = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_KEY,
      (void *) secret, SECRET_LEN);
  *p++ = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_INFO, info, n);
  *p = OSSL_PARAM_construct_end ();
  g_assert_cmpint (EVP_KDF_derive (kctx, out, out_len, params), ==, 1);
  EVP_KDF_CTX_free (kctx);
  EVP_KDF_free (kdf);
}

static void
derive_keys (SlTestRawTls * self)
{
  expand_label (self->secret, "key", self->key, KEY_LEN);
  expand_label (self->secret, "iv", self->iv, IV_LEN);
  self->seq = 0;
  /* Keyed once; each record only sets its nonce (a flood seals fast). */
  g_assert_cmpint (EVP_EncryptInit_ex (self->aead, EVP_aes_128_gcm (), NULL,
          self->key, NULL), ==, 1);
}

/**
 * sl_test_raw_tls_update_keys:
 * @self: a device
 *
 * Moves the sending direction to the next traffic secret, as a KeyUpdate
 * the device has just sealed announces.
 */
void
sl_test_raw_tls_update_keys (SlTestRawTls * self)
{
  guint8 next[SECRET_LEN];

  expand_label (self->secret, "traffic upd", next, SECRET_LEN);
  memcpy (self->secret, next, SECRET_LEN);
  derive_keys (self);
}

/**
 * sl_test_raw_tls_seal:
 * @self: a device whose handshake is done
 * @content_type: the inner content type
 * @data: (array length=len): the content, at most 2^14 + 1 bytes here so
 *   that tests can also send one byte too many
 * @len: its length, may be 0
 * @out: room for @len + 22 bytes
 *
 * Seals one record with the next sequence number.
 *
 * Returns: the record's length
 */
gsize
sl_test_raw_tls_seal (SlTestRawTls * self, guint8 content_type,
    const void *data, gsize len, guint8 * out)
{
  gsize inner = len + 1, total = inner + TAG_LEN;
  guint8 nonce[IV_LEN];
  int n = 0, i;

  g_assert_true (self->have_secret);
  g_assert_cmpuint (len, <=, 16385);
  memcpy (nonce, self->iv, IV_LEN);
  for (i = 0; i < 8; i++)
    nonce[IV_LEN - 1 - i] ^= (guint8) (self->seq >> (8 * i));
  self->seq++;
  out[0] = SL_TEST_TLS_APPLICATION_DATA;
  out[1] = 3;
  out[2] = 3;
  out[3] = (guint8) (total >> 8);
  out[4] = (guint8) total;
  if (len > 0)
    memcpy (out + 5, data, len);
  out[5 + len] = content_type;
  g_assert_cmpint (EVP_EncryptInit_ex (self->aead, NULL, NULL, NULL, nonce),
      ==, 1);
  g_assert_cmpint (EVP_EncryptUpdate (self->aead, NULL, &n, out, 5), ==, 1);
  g_assert_cmpint (EVP_EncryptUpdate (self->aead, out + 5, &n, out + 5,
          (int) inner), ==, 1);
  g_assert_cmpint (EVP_EncryptFinal_ex (self->aead, out + 5 + n, &n), ==, 1);
  g_assert_cmpint (EVP_CIPHER_CTX_ctrl (self->aead, EVP_CTRL_GCM_GET_TAG,
          TAG_LEN, out + 5 + inner), ==, 1);
  return 5 + total;
}

/**
 * sl_test_raw_tls_send:
 * @self: a device
 * @data: (array length=len): bytes for the socket, as they are
 * @len: their length
 *
 * Returns: %FALSE once the server has closed the connection
 */
gboolean
sl_test_raw_tls_send (SlTestRawTls * self, const void *data, gsize len)
{
  gsize off = 0;

  while (off < len) {
    ssize_t n = send (self->fd, (const guint8 *) data + off, len - off,
        MSG_NOSIGNAL);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      /* GSocket keeps its descriptor non-blocking: wait here. */
      struct pollfd pfd = { self->fd, POLLOUT, 0 };

      poll (&pfd, 1, 1000);
      continue;
    }
    if (n <= 0)
      return FALSE;
    off += (gsize) n;
  }
  return TRUE;
}

gboolean
sl_test_raw_tls_send_record (SlTestRawTls * self, guint8 content_type,
    const void *data, gsize len)
{
  g_autofree guint8 *record = g_malloc (len + 22);
  gsize n = sl_test_raw_tls_seal (self, content_type, data, len, record);

  return sl_test_raw_tls_send (self, record, n);
}

/**
 * sl_test_raw_tls_ws_text:
 * @text: a message of at most 125 bytes
 * @out: room for its length + 6 bytes
 *
 * Writes a masked WebSocket text frame (RFC 6455), as a client must.
 *
 * Returns: the frame's length
 */
gsize
sl_test_raw_tls_ws_text (const char *text, guint8 * out)
{
  static const guint8 mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
  gsize len = strlen (text), i;

  g_assert_cmpuint (len, <=, 125);
  out[0] = 0x81;
  out[1] = (guint8) (0x80 | len);
  memcpy (out + 2, mask, 4);
  for (i = 0; i < len; i++)
    out[6 + i] = (guint8) text[i] ^ mask[i % 4];
  return 6 + len;
}

gboolean
sl_test_raw_tls_send_text (SlTestRawTls * self, const char *text)
{
  guint8 frame[131];
  gsize n = sl_test_raw_tls_ws_text (text, frame);

  return sl_test_raw_tls_send_record (self, SL_TEST_TLS_APPLICATION_DATA,
      frame, n);
}

/* Feeds OpenSSL what the socket has within @timeout_ms; FALSE at the end
 * of the stream or on timeout. */
static gboolean
receive (SlTestRawTls * self, guint timeout_ms)
{
  struct pollfd pfd = { self->fd, POLLIN, 0 };
  guint8 buf[16384];
  ssize_t n;

  if (poll (&pfd, 1, (int) timeout_ms) <= 0)
    return FALSE;
  do
    n = recv (self->fd, buf, sizeof buf, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return TRUE;
  if (n <= 0)
    return FALSE;
  BIO_write (self->rbio, buf, (int) n);
  return TRUE;
}

static gboolean
flush_handshake (SlTestRawTls * self)
{
  char buf[4096];
  int n;

  while ((n = BIO_read (self->wbio, buf, sizeof buf)) > 0) {
    if (!sl_test_raw_tls_send (self, buf, (gsize) n))
      return FALSE;
  }
  return TRUE;
}

/**
 * sl_test_raw_tls_connect:
 * @server: the server
 * @pki: its CA, which issued @device_id
 * @device_id: the device
 * @error: return location for an error
 *
 * Connects and completes the TLS handshake (not the WebSocket upgrade).
 *
 * Returns: (transfer full) (nullable): the device
 */
SlTestRawTls *
sl_test_raw_tls_connect (SlTestServer * server, SlTestPki * pki,
    const char *device_id, GError ** error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autofree char *crt = g_strdup_printf ("%s/devices/%s.crt",
      sl_test_pki_get_dir (pki), device_id);
  g_autofree char *key = g_strdup_printf ("%s/devices/%s.key",
      sl_test_pki_get_dir (pki), device_id);
  g_autofree char *ca = sl_test_pki_path (pki, "ca.crt");
  SlTestRawTls *self;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  int ret;

  if (keylog_index < 0)
    keylog_index = SSL_get_ex_new_index (0, NULL, NULL, NULL, NULL);
  self = g_new0 (SlTestRawTls, 1);
  self->alert = -1;
  self->tcp = g_socket_client_connect_to_host (client, "127.0.0.1",
      sl_test_server_get_port (server), NULL, error);
  if (self->tcp == NULL) {
    sl_test_raw_tls_free (self);
    return NULL;
  }
  self->fd = g_socket_get_fd (g_socket_connection_get_socket (self->tcp));
  self->aead = EVP_CIPHER_CTX_new ();
  self->ctx = SSL_CTX_new (TLS_client_method ());
  g_assert_nonnull (self->ctx);
  SSL_CTX_set_min_proto_version (self->ctx, TLS1_3_VERSION);
  g_assert_cmpint (SSL_CTX_set_ciphersuites (self->ctx,
          "TLS_AES_128_GCM_SHA256"), ==, 1);
  g_assert_cmpint (SSL_CTX_use_certificate_file (self->ctx, crt,
          SSL_FILETYPE_PEM), ==, 1);
  g_assert_cmpint (SSL_CTX_use_PrivateKey_file (self->ctx, key,
          SSL_FILETYPE_PEM), ==, 1);
  g_assert_cmpint (SSL_CTX_load_verify_locations (self->ctx, ca, NULL), ==, 1);
  SSL_CTX_set_verify (self->ctx, SSL_VERIFY_PEER, NULL);
  SSL_CTX_set_keylog_callback (self->ctx, keylog_cb);
  self->ssl = SSL_new (self->ctx);
  SSL_set_ex_data (self->ssl, keylog_index, self);
  SSL_set_msg_callback (self->ssl, message_cb);
  SSL_set_msg_callback_arg (self->ssl, self);
  self->rbio = BIO_new (BIO_s_mem ());
  self->wbio = BIO_new (BIO_s_mem ());
  SSL_set_bio (self->ssl, self->rbio, self->wbio);
  SSL_set_connect_state (self->ssl);

  while ((ret = SSL_do_handshake (self->ssl)) != 1) {
    int err = SSL_get_error (self->ssl, ret);
    gint64 left = (deadline - g_get_monotonic_time ()) / 1000;

    if (err != SSL_ERROR_WANT_READ || !flush_handshake (self) || left <= 0 ||
        !receive (self, (guint) left)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "TLS handshake failed (alert %d)", self->alert);
      ERR_clear_error ();
      sl_test_raw_tls_free (self);
      return NULL;
    }
  }
  if (!flush_handshake (self) || !self->have_secret) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "no client Finished or no traffic secret");
    sl_test_raw_tls_free (self);
    return NULL;
  }
  derive_keys (self);
  return self;
}

/**
 * sl_test_raw_tls_read_until:
 * @self: a device
 * @want: text to wait for
 * @timeout_ms: how long to wait
 *
 * Reads application data (WebSocket frames unparsed) until @want appears
 * in what was read by this call.
 *
 * Returns: whether it appeared in time
 */
gboolean
sl_test_raw_tls_read_until (SlTestRawTls * self, const char *want,
    guint timeout_ms)
{
  g_autoptr (GString) got = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  char buf[4096];

  for (;;) {
    int n = SSL_read (self->ssl, buf, sizeof buf);
    gint64 left;

    if (n > 0) {
      g_string_append_len (got, buf, n);
      if (strstr (got->str, want))
        return TRUE;
      continue;
    }
    ERR_clear_error ();
    left = (deadline - g_get_monotonic_time ()) / 1000;
    if (SSL_get_error (self->ssl, n) != SSL_ERROR_WANT_READ || left <= 0 ||
        !receive (self, (guint) left))
      return FALSE;
  }
}

/**
 * sl_test_raw_tls_request:
 * @self: a device after its handshake
 * @path: the WebSocket path, e.g. "/v2/ws"
 * @status_line: the answer to wait for, e.g. "HTTP/1.1 101"
 * @error: return location for an error
 *
 * Sends a WebSocket upgrade request for @path and waits (10 s at most)
 * for @status_line.
 *
 * Returns: whether the server answered with @status_line
 */
gboolean
sl_test_raw_tls_request (SlTestRawTls * self, const char *path,
    const char *status_line, GError ** error)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\n"
      "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n", path);

  if (!sl_test_raw_tls_send_record (self, SL_TEST_TLS_APPLICATION_DATA,
          request, strlen (request)) ||
      !sl_test_raw_tls_read_until (self, status_line, 10000)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no '%s' answer to "
        "the upgrade to %s", status_line, path);
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_test_raw_tls_upgrade_to:
 * @self: a device after its handshake
 * @path: the WebSocket path, "/v1/ws" or "/v2/ws"
 * @error: return location for an error
 *
 * Sends the WebSocket upgrade and waits for the server's 101; the device
 * is then online.
 *
 * Returns: whether the upgrade succeeded
 */
gboolean
sl_test_raw_tls_upgrade_to (SlTestRawTls * self, const char *path,
    GError ** error)
{
  return sl_test_raw_tls_request (self, path, "HTTP/1.1 101", error);
}

/**
 * sl_test_raw_tls_upgrade:
 * @self: a device after its handshake
 * @error: return location for an error
 *
 * Upgrades on /v1/ws (sl_test_raw_tls_upgrade_to()).
 *
 * Returns: whether the upgrade succeeded
 */
gboolean
sl_test_raw_tls_upgrade (SlTestRawTls * self, GError ** error)
{
  return sl_test_raw_tls_upgrade_to (self, "/v1/ws", error);
}

/**
 * sl_test_raw_tls_wait_end:
 * @self: a device
 * @timeout_ms: how long to wait
 * @out_alert: (out) (optional): the alert description the server sent, or
 *   -1 if none
 *
 * Reads (and drops) what the server sends until it closes the TCP
 * connection.
 *
 * Returns: %TRUE if the server closed the connection within @timeout_ms
 */
gboolean
sl_test_raw_tls_wait_end (SlTestRawTls * self, guint timeout_ms, int *out_alert)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  gboolean ended = FALSE;
  char buf[4096];

  for (;;) {
    gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
    struct pollfd pfd = { self->fd, POLLIN, 0 };
    ssize_t n;

    /* OpenSSL reads what arrived (an alert is noted by the message
     * callback); after an alert it reads nothing more. */
    while (SSL_read (self->ssl, buf, sizeof buf) > 0);
    ERR_clear_error ();
    if (left <= 0 || poll (&pfd, 1, (int) left) <= 0)
      break;
    do
      n = recv (self->fd, buf, sizeof buf, 0);
    while (n < 0 && errno == EINTR);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      ended = TRUE;             /* the end of the stream, or a reset */
      break;
    }
    if (n > 0)
      BIO_write (self->rbio, buf, (int) n);
  }
  if (out_alert)
    *out_alert = self->alert;
  return ended;
}

void
sl_test_raw_tls_free (SlTestRawTls * self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->ssl, SSL_free);       /* frees both BIOs */
  g_clear_pointer (&self->ctx, SSL_CTX_free);
  g_clear_pointer (&self->aead, EVP_CIPHER_CTX_free);
  if (self->tcp)
    g_io_stream_close (G_IO_STREAM (self->tcp), NULL, NULL);
  g_clear_object (&self->tcp);
  OPENSSL_cleanse (self->secret, sizeof self->secret);
  OPENSSL_cleanse (self->key, sizeof self->key);
  g_free (self);
}
