/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * TLS 1.3 record protection (RFC 8446 section 5) for an established
 * connection, keyed from the application traffic secrets OpenSSL derived
 * in the handshake.
 *
 * Why: an OpenSSL SSL object stays at about 14 KiB for the life of a
 * connection (the object itself, the peer certificate with its parsed key,
 * the session, per-direction AEAD contexts), and OpenSSL 3.0 cannot drop
 * any of it.  The server holds thousands of idle devices, so once the
 * handshake is done SlTlsStream frees the SSL and protects records here
 * with a few hundred bytes of keys per connection, as kernel TLS does.
 * OpenSSL still runs every handshake and every check of the certificate.
 *
 * Only what a server needs after the handshake: application data, alerts
 * and KeyUpdate; the AEAD is one of the three TLS 1.3 suites OpenSSL
 * offers.  Each record is encrypted with a cipher context shared by the
 * thread and keyed for that record, so an idle connection keeps no
 * context.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-openssl.h"
#include "sl-tls-private.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#define TAG_LEN 16

typedef struct
{
  const char *name;             /* RFC 8446 name, as OpenSSL reports it */
  const char *cipher;
  const char *digest;
  gsize key_len;
  gsize hash_len;
} Suite;

static const Suite suites[] = {
  {"TLS_AES_128_GCM_SHA256", "AES-128-GCM", "SHA256", 16, 32},
  {"TLS_AES_256_GCM_SHA384", "AES-256-GCM", "SHA384", 32, 48},
  {"TLS_CHACHA20_POLY1305_SHA256", "ChaCha20-Poly1305", "SHA256", 32, 32},
};

typedef struct
{
  guint8 secret[SL_TLS_MAX_SECRET];
  guint8 key[32];
  guint8 iv[12];
  guint64 seq;
} Direction;

struct _SlTlsRecord
{
  const Suite *suite;
  Direction rx;
  Direction tx;
  /* Received bytes: [0, used) is ciphertext not yet opened, except the
   * opened record's content [win, win + win_len) still to be read.  Freed
   * whenever empty, so that an idle connection holds no buffer. */
  guint8 *in;
  gsize in_cap;
  gsize in_start;               /* where the next record starts */
  gsize in_used;
  gsize win;
  gsize win_len;
  gboolean owe_key_update;
  gboolean closed;
};

/* HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context. */
static gboolean
expand_label (const Suite * suite, const guint8 * secret,
    const char *label, guint8 * out, gsize out_len)
{
  static gsize fetched;
  EVP_KDF *kdf;
  g_autoptr (EVP_KDF_CTX) ctx = NULL;
  guint8 info[2 + 1 + 255 + 1];
  gsize label_len = strlen ("tls13 ") + strlen (label), n = 0;
  int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  OSSL_PARAM params[5];
  gboolean ok;

  /* Fetched once: a fetch takes OpenSSL's provider lock, and every
   * connection derives four keys. */
  if (g_once_init_enter (&fetched))
    g_once_init_leave (&fetched, (gsize) EVP_KDF_fetch (NULL, "HKDF", NULL));
  kdf = (EVP_KDF *) fetched;
  info[n++] = (guint8) (out_len >> 8);
  info[n++] = (guint8) out_len;
  info[n++] = (guint8) label_len;
  memcpy (info + n, "tls13 ", 6);
  memcpy (info + n + 6, label, strlen (label));
  n += label_len;
  info[n++] = 0;                /* no context */

  params[0] = OSSL_PARAM_construct_int (OSSL_KDF_PARAM_MODE, &mode);
  params[1] = OSSL_PARAM_construct_utf8_string (OSSL_KDF_PARAM_DIGEST,
      (char *) suite->digest, 0);
  params[2] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_KEY,
      (void *) secret, suite->hash_len);
  params[3] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_INFO, info, n);
  params[4] = OSSL_PARAM_construct_end ();
  ok = kdf != NULL && (ctx = EVP_KDF_CTX_new (kdf)) != NULL &&
      EVP_KDF_derive (ctx, out, out_len, params) == 1;
  if (!ok)
    OPENSSL_cleanse (out, out_len);
  return ok;
}

static gboolean
direction_key (const Suite * suite, Direction * dir)
{
  dir->seq = 0;
  return expand_label (suite, dir->secret, "key", dir->key, suite->key_len) &&
      expand_label (suite, dir->secret, "iv", dir->iv, sizeof dir->iv);
}

/**
 * sl_tls_record_new:
 * @suite_name: the negotiated cipher suite (SSL_CIPHER_standard_name())
 * @rx_secret: the peer's application traffic secret
 * @tx_secret: ours
 * @secret_len: their length (the suite's hash length)
 * @error: return location for an %SL_TLS_ERROR_SETUP error
 *
 * Copies the secrets (the caller wipes its own) and derives the first
 * keys of both directions.
 *
 * Returns: (transfer full) (nullable): the record layer; free it with
 *   sl_tls_record_free(), which wipes it
 */
SlTlsRecord *
sl_tls_record_new (const char *suite_name, const guint8 * rx_secret,
    const guint8 * tx_secret, gsize secret_len, GError ** error)
{
  SlTlsRecord *rec = g_new0 (SlTlsRecord, 1);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (suites); i++)
    if (g_strcmp0 (suites[i].name, suite_name) == 0)
      rec->suite = &suites[i];
  if (rec->suite == NULL || secret_len != rec->suite->hash_len) {
    g_set_error (error, SL_TLS_ERROR, SL_TLS_ERROR_SETUP,
        "unexpected TLS 1.3 cipher suite %s", suite_name ? suite_name : "?");
    sl_tls_record_free (rec);
    return NULL;
  }
  memcpy (rec->rx.secret, rx_secret, secret_len);
  memcpy (rec->tx.secret, tx_secret, secret_len);
  if (!direction_key (rec->suite, &rec->rx) ||
      !direction_key (rec->suite, &rec->tx)) {
    ERR_clear_error ();
    sl_tls_record_free (rec);
    g_set_error_literal (error, SL_TLS_ERROR, SL_TLS_ERROR_SETUP,
        "cannot derive the TLS record keys");
    return NULL;
  }
  return rec;
}

static void
release_input (SlTlsRecord * rec)
{
  if (rec->in)
    OPENSSL_cleanse (rec->in, rec->in_cap);
  g_clear_pointer (&rec->in, g_free);
  rec->in_cap = rec->in_start = rec->in_used = 0;
  rec->win = rec->win_len = 0;
}

/* Wipes every key, secret and received byte. */
void
sl_tls_record_free (SlTlsRecord * rec)
{
  if (rec == NULL)
    return;
  release_input (rec);
  OPENSSL_cleanse (rec, sizeof *rec);
  g_free (rec);
}

/* The next generation of one direction's secret and keys (KeyUpdate,
 * RFC 8446 section 7.2); the old ones are wiped. */
static gboolean
key_update (SlTlsRecord * rec, gboolean tx)
{
  Direction *dir = tx ? &rec->tx : &rec->rx;
  guint8 next[SL_TLS_MAX_SECRET];
  gboolean ok;

  ok = expand_label (rec->suite, dir->secret, "traffic upd", next,
      rec->suite->hash_len);
  if (ok) {
    memcpy (dir->secret, next, rec->suite->hash_len);
    ok = direction_key (rec->suite, dir);
  }
  OPENSSL_cleanse (next, sizeof next);
  ERR_clear_error ();
  return ok;
}

static void
cipher_ctx_free (gpointer ctx)
{
  EVP_CIPHER_CTX_free (ctx);
}

/* One context per thread and suite, keyed anew for every record. */
static EVP_CIPHER_CTX *
shared_ctx (const Suite * suite, const EVP_CIPHER ** cipher)
{
  static GPrivate ctx_key[G_N_ELEMENTS (suites)] = {
    G_PRIVATE_INIT (cipher_ctx_free), G_PRIVATE_INIT (cipher_ctx_free),
    G_PRIVATE_INIT (cipher_ctx_free),
  };
  static gsize fetched[G_N_ELEMENTS (suites)];
  guint i = (guint) (suite - suites);
  EVP_CIPHER_CTX *ctx = g_private_get (&ctx_key[i]);

  if (g_once_init_enter (&fetched[i])) {
    EVP_CIPHER *c = EVP_CIPHER_fetch (NULL, suite->cipher, NULL);

    /* Kept for the life of the process, as OpenSSL keeps its own. */
    g_once_init_leave (&fetched[i], (gsize) c);
  }
  *cipher = (const EVP_CIPHER *) fetched[i];
  if (ctx == NULL && *cipher != NULL) {
    ctx = EVP_CIPHER_CTX_new ();
    g_private_set (&ctx_key[i], ctx);
  }
  return ctx;
}

static void
record_nonce (const Direction * dir, guint8 nonce[12])
{
  guint i;

  memcpy (nonce, dir->iv, 12);
  for (i = 0; i < 8; i++)
    nonce[4 + i] ^= (guint8) (dir->seq >> (56 - 8 * i));
}

/**
 * sl_tls_record_seal:
 * @rec: an initialised record state
 * @content_type: 23 (application data), 21 (alert) or 22 (handshake)
 * @data: at most %SL_TLS_MAX_PLAINTEXT bytes to protect
 * @len: their length
 * @out: room for sl_tls_record_sealed_len(@len) bytes
 *
 * Writes one TLS 1.3 record (TLSCiphertext with the content type inside,
 * no padding) and advances the sending sequence number.
 *
 * Returns: whether it worked (it only fails when OpenSSL does)
 */
gsize
sl_tls_record_sealed_len (gsize len)
{
  return 5 + len + 1 + TAG_LEN;
}

gboolean
sl_tls_record_seal (SlTlsRecord * rec, guint8 content_type,
    const guint8 * data, gsize len, guint8 * out)
{
  const EVP_CIPHER *cipher = NULL;
  EVP_CIPHER_CTX *ctx = shared_ctx (rec->suite, &cipher);
  gsize body = len + 1 + TAG_LEN;
  guint8 nonce[12];
  int n = 0, m = 0;
  gboolean ok;

  g_return_val_if_fail (len <= SL_TLS_MAX_PLAINTEXT, FALSE);

  out[0] = 23;                  /* opaque_type: application_data */
  out[1] = 3;
  out[2] = 3;
  out[3] = (guint8) (body >> 8);
  out[4] = (guint8) body;
  memcpy (out + 5, data, len);
  out[5 + len] = content_type;
  record_nonce (&rec->tx, nonce);
  ok = ctx != NULL &&
      EVP_EncryptInit_ex (ctx, cipher, NULL, rec->tx.key, nonce) == 1 &&
      EVP_EncryptUpdate (ctx, NULL, &n, out, 5) == 1 &&
      EVP_EncryptUpdate (ctx, out + 5, &n, out + 5, (int) len + 1) == 1 &&
      EVP_EncryptFinal_ex (ctx, out + 5 + n, &m) == 1 &&
      EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_AEAD_GET_TAG, TAG_LEN,
      out + 5 + len + 1) == 1;
  if (!ok) {
    ERR_clear_error ();
    OPENSSL_cleanse (out + 5, len + 1);
    return FALSE;
  }
  rec->tx.seq++;
  return TRUE;
}

/* Checks and removes the protection of one whole record (header and
 * body) in place, strips its padding and advances the receiving sequence
 * number; the content starts at @record + 5. */
static gboolean
open_record (SlTlsRecord * rec, guint8 * record, gsize record_len,
    guint8 * content_type, gsize * plain_len, GError ** error)
{
  const EVP_CIPHER *cipher = NULL;
  EVP_CIPHER_CTX *ctx = shared_ctx (rec->suite, &cipher);
  gsize body = record_len - 5, len;
  guint8 nonce[12];
  int n = 0, m = 0;
  gboolean ok;

  if (record_len < 5 + TAG_LEN + 1 || record[0] != 23) {
    g_set_error_literal (error, SL_TLS_ERROR, SL_TLS_ERROR_FAILED,
        "malformed TLS record");
    return FALSE;
  }
  len = body - TAG_LEN;
  record_nonce (&rec->rx, nonce);
  ok = ctx != NULL &&
      EVP_DecryptInit_ex (ctx, cipher, NULL, rec->rx.key, nonce) == 1 &&
      EVP_DecryptUpdate (ctx, NULL, &n, record, 5) == 1 &&
      EVP_DecryptUpdate (ctx, record + 5, &n, record + 5, (int) len) == 1 &&
      EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_AEAD_SET_TAG, TAG_LEN,
      record + 5 + len) == 1 &&
      EVP_DecryptFinal_ex (ctx, record + 5 + n, &m) == 1;
  if (!ok) {
    ERR_clear_error ();
    OPENSSL_cleanse (record + 5, len);
    g_set_error_literal (error, SL_TLS_ERROR, SL_TLS_ERROR_FAILED,
        "a TLS record failed its integrity check");
    return FALSE;
  }
  rec->rx.seq++;
  /* TLSInnerPlaintext: content, content type, zeros. */
  while (len > 0 && record[5 + len - 1] == 0)
    len--;
  if (len == 0 || len - 1 > SL_TLS_MAX_PLAINTEXT) {
    OPENSSL_cleanse (record + 5, body - TAG_LEN);
    g_set_error_literal (error, SL_TLS_ERROR, SL_TLS_ERROR_FAILED,
        len == 0 ? "a TLS record without a content type" :
        "a TLS record over the size limit");
    return FALSE;
  }
  *content_type = record[5 + len - 1];
  *plain_len = len - 1;
  return TRUE;
}

/* --- receiving ----------------------------------------------------------- */

/* The length of the whole record at in_start, or 0 while incomplete. */
static gsize
complete_record (SlTlsRecord * rec)
{
  const guint8 *h = rec->in + rec->in_start;
  gsize avail = rec->in_used - rec->in_start, len;

  if (avail < 5)
    return 0;
  len = 5 + ((gsize) h[3] << 8 | h[4]);
  return avail >= len ? len : 0;
}

/**
 * sl_tls_record_rx_space:
 * @rec: a record layer
 * @room: (out): how many bytes may be written at the returned place
 *
 * Returns: (transfer none): where to put bytes received from the socket
 *   (then call sl_tls_record_rx_commit())
 */
guint8 *
sl_tls_record_rx_space (SlTlsRecord * rec, gsize * room)
{
  /* Enough for the largest record the peer may send, and for several
   * small ones per recv(). */
  const gsize want = 5 + SL_TLS_MAX_PLAINTEXT + 256;

  if (rec->in_start > 0 && rec->win_len == 0) {
    memmove (rec->in, rec->in + rec->in_start, rec->in_used - rec->in_start);
    rec->in_used -= rec->in_start;
    rec->in_start = 0;
    OPENSSL_cleanse (rec->in + rec->in_used, rec->in_cap - rec->in_used);
  }
  if (rec->in_cap < want + rec->in_start) {
    guint8 *bigger = g_malloc0 (want + rec->in_start);

    if (rec->in) {
      memcpy (bigger, rec->in, rec->in_used);
      OPENSSL_cleanse (rec->in, rec->in_cap);
      g_free (rec->in);
    }
    rec->in = bigger;
    rec->in_cap = want + rec->in_start;
  }
  *room = rec->in_cap - rec->in_used;
  return rec->in + rec->in_used;
}

void
sl_tls_record_rx_commit (SlTlsRecord * rec, gsize n)
{
  rec->in_used += n;
  if (rec->in_used == 0)
    release_input (rec);
}

/* Whether sl_tls_record_read() has something without another recv(). */
gboolean
sl_tls_record_rx_pending (SlTlsRecord * rec)
{
  return rec->win_len > 0 || (rec->in && complete_record (rec) > 0);
}

static gboolean
record_error (GError ** error, const char *what)
{
  g_set_error (error, SL_TLS_ERROR, SL_TLS_ERROR_FAILED, "TLS: %s", what);
  return FALSE;
}

/* Post-handshake messages: only KeyUpdate is expected from a client
 * (no tickets, no post-handshake authentication were offered). */
static gboolean
handle_handshake (SlTlsRecord * rec, const guint8 * msg, gsize len,
    GError ** error)
{
  while (len > 0) {
    gsize body;

    if (len < 4)
      return record_error (error, "truncated handshake message");
    body = (gsize) msg[1] << 16 | (gsize) msg[2] << 8 | msg[3];
    if (msg[0] != 24 || body != 1 || len < 5 || msg[4] > 1)
      return record_error (error, "unexpected handshake message");
    if (!key_update (rec, FALSE))
      return record_error (error, "cannot derive the next keys");
    /* A key change must end the record (RFC 8446 section 5.1). */
    if (len != 5)
      return record_error (error, "data after KeyUpdate in one record");
    if (msg[4] == 1)
      rec->owe_key_update = TRUE;
    len -= 5;
    msg += 5;
  }
  return TRUE;
}

/* Opens the next whole record; TRUE when it was one, FALSE with
 * G_IO_ERROR_WOULD_BLOCK when more bytes are needed. */
static gboolean
next_record (SlTlsRecord * rec, GError ** error)
{
  guint8 *record = rec->in ? rec->in + rec->in_start : NULL;
  gsize avail = rec->in_used - rec->in_start, len;
  guint8 type = 0;
  gsize plain = 0;

  if (avail >= 5 && (record[0] != 23 || record[1] != 3 || record[2] != 3 ||
          ((gsize) record[3] << 8 | record[4]) > SL_TLS_MAX_PLAINTEXT + 256))
    return record_error (error, "malformed record header");
  len = rec->in ? complete_record (rec) : 0;
  if (len == 0) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
        "no whole record yet");
    return FALSE;
  }
  if (!open_record (rec, record, len, &type, &plain, error))
    return FALSE;
  rec->in_start += len;
  switch (type) {
    case 23:
      rec->win = (gsize) (record + 5 - rec->in);
      rec->win_len = plain;
      return TRUE;
    case 21:
      if (plain == 2 && record[6] == 0) {
        rec->closed = TRUE;     /* close_notify */
        return TRUE;
      }
      return record_error (error, plain == 2 && record[5] == 2 ?
          "the peer sent a fatal alert" : "the peer sent an alert");
    case 22:
      if (!handle_handshake (rec, record + 5, plain, error))
        return FALSE;
      OPENSSL_cleanse (record + 5, plain);
      return TRUE;
    default:
      return record_error (error, "unexpected record type");
  }
}

/**
 * sl_tls_record_read:
 * @rec: a record layer
 * @buffer: where to put application data
 * @count: room in @buffer (more than 0)
 * @error: return location for an error: %G_IO_ERROR_WOULD_BLOCK when no
 *   whole record has been received, an %SL_TLS_ERROR_FAILED one when the
 *   peer sent something wrong (the connection must end)
 *
 * Returns: the number of bytes read, 0 once the peer sent close_notify,
 *   or -1
 */
gssize
sl_tls_record_read (SlTlsRecord * rec, guint8 * buffer, gsize count,
    GError ** error)
{
  for (;;) {
    if (rec->win_len > 0) {
      gsize n = MIN (count, rec->win_len);

      memcpy (buffer, rec->in + rec->win, n);
      OPENSSL_cleanse (rec->in + rec->win, n);
      rec->win += n;
      rec->win_len -= n;
      if (rec->win_len == 0 && rec->in_start == rec->in_used)
        release_input (rec);
      return (gssize) n;
    }
    if (rec->closed)
      return 0;
    if (!next_record (rec, error))
      return -1;
  }
}

/* Whether the peer asked for our KeyUpdate and it is not sent yet. */
gboolean
sl_tls_record_owes_key_update (SlTlsRecord * rec)
{
  return rec->owe_key_update;
}

/**
 * sl_tls_record_take_key_update:
 * @rec: a record layer
 * @out: room for sl_tls_record_sealed_len(5) bytes
 * @out_len: (out): the length of the record written to @out
 *
 * When the peer asked for it, seals our KeyUpdate and moves our sending
 * direction to its next keys.  The record must be sent before anything
 * sealed afterwards.
 *
 * Returns: whether a record was written
 */
gboolean
sl_tls_record_take_key_update (SlTlsRecord * rec, guint8 * out, gsize * out_len)
{
  static const guint8 msg[5] = { 24, 0, 0, 1, 0 };      /* update_not_requested */

  if (!rec->owe_key_update)
    return FALSE;
  rec->owe_key_update = FALSE;
  if (!sl_tls_record_seal (rec, 22, msg, sizeof msg, out))
    return FALSE;
  *out_len = sl_tls_record_sealed_len (sizeof msg);
  /* Should the derivation fail, the next records are sealed with keys the
   * peer no longer accepts and it ends the connection. */
  key_update (rec, TRUE);
  return TRUE;
}
