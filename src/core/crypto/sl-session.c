/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:sl-session
 * @short_description: sealed records of one call
 *
 * The traffic keys a completed #SlHandshake hands over.  Every signalling
 * message after the handshake travels as one record:
 *
 *   version (1) = 0x01 | type (1) >= 0x10 | seq (8, big-endian)
 *   | ChaCha20-Poly1305 ciphertext | tag (16)
 *
 * nonce = direction IV XOR (0x00000000 || seq); associated data =
 * version || type || call_id (16) || seq (8).  The plaintext inside is
 * len (4) || data || zeros, where data and zeros fill the smallest of 256,
 * 512, ..., 65536 bytes that holds the data.  Each direction has
 * its own key, IV and sequence; the receiver accepts each sequence number
 * once, within a 64-record window.
 *
 * A session is not thread-safe: seal and open it from one thread.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-session.h"
#include "sl-crypto-private.h"
#include "sl-openssl.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#define RECORD_HEADER_LEN   10
#define RECORD_AD_LEN       (2 + SL_CALL_ID_LEN + 8)
#define LENGTH_FIELD_LEN    4
#define MIN_BUCKET          256
#define REPLAY_WINDOW       64
#define MAX_RECORD_LEN (RECORD_HEADER_LEN + LENGTH_FIELD_LEN + \
    SL_RECORD_MAX_PLAINTEXT + SL_AEAD_TAG_LEN)

struct _SlSession
{
  GObject parent_instance;

  SlRole role;
  guint8 call_id[SL_CALL_ID_LEN];
  EVP_CIPHER_CTX *seal_ctx;
  EVP_CIPHER_CTX *open_ctx;
  guint8 send_iv[SL_AEAD_NONCE_LEN];
  guint8 recv_iv[SL_AEAD_NONCE_LEN];
  guint8 dtls_key[SL_SHA256_LEN];

  guint64 send_seq;
  gboolean send_exhausted;
  gboolean recv_any;
  guint64 recv_highest;
  guint64 recv_window;          /* bit i: recv_highest - i was accepted */
  gboolean cleared;
};

G_DEFINE_FINAL_TYPE (SlSession, sl_session, G_TYPE_OBJECT);

static void
put_be64 (guint8 * p, guint64 v)
{
  guint i;

  for (i = 0; i < 8; i++)
    p[i] = (guint8) (v >> (56 - 8 * i));
}

static guint64
get_be64 (const guint8 * p)
{
  guint64 v = 0;
  guint i;

  for (i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return v;
}

static guint32
get_be32 (const guint8 * p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) |
      ((guint32) p[2] << 8) | p[3];
}

static void
make_nonce (const guint8 iv[SL_AEAD_NONCE_LEN], guint64 seq,
    guint8 nonce[SL_AEAD_NONCE_LEN])
{
  guint8 seq_bytes[8];
  guint i;

  put_be64 (seq_bytes, seq);
  memcpy (nonce, iv, SL_AEAD_NONCE_LEN);
  for (i = 0; i < 8; i++)
    nonce[4 + i] ^= seq_bytes[i];
}

static void
make_ad (const SlSession * self, const guint8 header[RECORD_HEADER_LEN],
    guint8 ad[RECORD_AD_LEN])
{
  ad[0] = header[0];
  ad[1] = header[1];
  memcpy (ad + 2, self->call_id, SL_CALL_ID_LEN);
  memcpy (ad + 2 + SL_CALL_ID_LEN, header + 2, 8);
}

gsize
sl_session_padded_size (gsize len)
{
  gsize bucket = MIN_BUCKET;

  while (bucket < len)
    bucket <<= 1;
  return LENGTH_FIELD_LEN + bucket;
}

/* TRUE if @len bytes at @p are all zero.  Not constant time, which is
 * fine: the record was authenticated before. */
static gboolean
all_zero (const guint8 * p, gsize len)
{
  static const guint8 zeros[256];

  while (len > 0) {
    gsize n = MIN (len, sizeof zeros);

    if (memcmp (p, zeros, n) != 0)
      return FALSE;
    p += n;
    len -= n;
  }
  return TRUE;
}

SlSession *
sl_session_new_internal (SlRole role, const guint8 call_id[SL_CALL_ID_LEN],
    const guint8 send_key[SL_AEAD_KEY_LEN],
    const guint8 send_iv[SL_AEAD_NONCE_LEN],
    const guint8 recv_key[SL_AEAD_KEY_LEN],
    const guint8 recv_iv[SL_AEAD_NONCE_LEN],
    const guint8 dtls_key[SL_SHA256_LEN], GError ** error)
{
  g_autoptr (SlSession) self = g_object_new (SL_TYPE_SESSION, NULL);

  self->role = role;
  memcpy (self->call_id, call_id, SL_CALL_ID_LEN);
  memcpy (self->send_iv, send_iv, SL_AEAD_NONCE_LEN);
  memcpy (self->recv_iv, recv_iv, SL_AEAD_NONCE_LEN);
  memcpy (self->dtls_key, dtls_key, SL_SHA256_LEN);

  /* The raw keys go straight into OpenSSL's contexts, which clear them
   * when freed; the session keeps no other copy. */
  self->seal_ctx = sl_crypto_aead_ctx_new (send_key, TRUE, error);
  if (self->seal_ctx == NULL)
    return NULL;
  self->open_ctx = sl_crypto_aead_ctx_new (recv_key, FALSE, error);
  if (self->open_ctx == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sl_session_seal:
 * @self: a #SlSession
 * @type: the record type (>= %SL_WIRE_RECORD_SDP_OFFER)
 * @plaintext: (nullable) (array length=len): the message; wiped before
 *   this returns, whatever the outcome
 * @len: its size, at most %SL_RECORD_MAX_PLAINTEXT
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the record to send, or NULL with
 *   @error set (%SL_CRYPTO_ERROR_MALFORMED for a bad @type or @len,
 *   %SL_CRYPTO_ERROR_INTERNAL after sl_session_clear())
 */
GBytes *
sl_session_seal (SlSession * self, SlWireType type, guint8 * plaintext,
    gsize len, GError ** error)
{
  guint8 ad[RECORD_AD_LEN];
  guint8 nonce[SL_AEAD_NONCE_LEN];
  gsize padded, total;
  guint8 *out, *inner;

  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  g_return_val_if_fail (plaintext != NULL || len == 0, NULL);

  if (self->cleared) {
    sl_crypto_wipe (SL_WIPE_SEAL_PLAINTEXT, plaintext, len);
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INTERNAL,
        "The keys of this call were already erased.");
    return NULL;
  }
  if ((guint) type < 0x10 || (guint) type > 0xff) {
    sl_crypto_wipe (SL_WIPE_SEAL_PLAINTEXT, plaintext, len);
    g_set_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "Record type 0x%02x is not a sealed-record type.", (guint) type);
    return NULL;
  }
  if (len > SL_RECORD_MAX_PLAINTEXT) {
    sl_crypto_wipe (SL_WIPE_SEAL_PLAINTEXT, plaintext, len);
    g_set_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "The message is too large to send (at most %d bytes).",
        SL_RECORD_MAX_PLAINTEXT);
    return NULL;
  }
  if (self->send_exhausted) {
    sl_crypto_wipe (SL_WIPE_SEAL_PLAINTEXT, plaintext, len);
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INTERNAL,
        "This call has sent too many messages; start a new call.");
    return NULL;
  }

  padded = sl_session_padded_size (len);
  total = RECORD_HEADER_LEN + padded + SL_AEAD_TAG_LEN;
  out = g_malloc (total);
  out[0] = SL_RECORD_VERSION;
  out[1] = (guint8) type;
  put_be64 (out + 2, self->send_seq);

  inner = out + RECORD_HEADER_LEN;
  inner[0] = (guint8) (len >> 24);
  inner[1] = (guint8) (len >> 16);
  inner[2] = (guint8) (len >> 8);
  inner[3] = (guint8) len;
  if (len > 0)
    memcpy (inner + LENGTH_FIELD_LEN, plaintext, len);
  memset (inner + LENGTH_FIELD_LEN + len, 0, padded - LENGTH_FIELD_LEN - len);
  sl_crypto_wipe (SL_WIPE_SEAL_PLAINTEXT, plaintext, len);

  make_ad (self, out, ad);
  make_nonce (self->send_iv, self->send_seq, nonce);
  /* Encrypted in place: the only plaintext copy is overwritten. */
  if (!sl_crypto_aead_ctx_seal (self->seal_ctx, nonce, ad, sizeof ad, inner,
          padded, inner, inner + padded)) {
    sl_crypto_wipe (SL_WIPE_SEAL_PLAINTEXT, inner, padded);
    sl_crypto_secret_end (SL_WIPE_SEAL_PLAINTEXT, inner, padded);
    g_free (out);
    sl_crypto_set_internal_error (error, "sealing a message");
    return NULL;
  }

  if (self->send_seq == G_MAXUINT64)
    self->send_exhausted = TRUE;
  else
    self->send_seq++;
  return g_bytes_new_take (out, total);
}

/* The plaintext buffer starts with its big-endian length field; the data
 * handed out follows it. */
static void
opened_free (gpointer buf)
{
  gsize len = LENGTH_FIELD_LEN + get_be32 (buf);

  sl_crypto_wipe (SL_WIPE_OPEN_PLAINTEXT, buf, len);
  sl_crypto_secret_end (SL_WIPE_OPEN_PLAINTEXT, buf, len);
  g_free (buf);
}

/* A decrypted buffer that is not handed out (bad tag or padding). */
static void
failed_free (guint8 * buf, gsize len)
{
  sl_crypto_wipe (SL_WIPE_OPEN_FAILED, buf, len);
  sl_crypto_secret_end (SL_WIPE_OPEN_FAILED, buf, len);
  g_free (buf);
}

static gboolean
check_replay (SlSession * self, guint64 seq, GError ** error)
{
  guint64 age;

  if (!self->recv_any || seq > self->recv_highest)
    return TRUE;
  age = self->recv_highest - seq;
  if (age >= REPLAY_WINDOW) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER,
        "A message in this call arrived far too late and was dropped.");
    return FALSE;
  }
  if (self->recv_window & (G_GUINT64_CONSTANT (1) << age)) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_REPLAY,
        "A message in this call was received twice; the copy was dropped.");
    return FALSE;
  }
  return TRUE;
}

static void
mark_received (SlSession * self, guint64 seq)
{
  if (!self->recv_any) {
    self->recv_any = TRUE;
    self->recv_highest = seq;
    self->recv_window = 1;
  } else if (seq > self->recv_highest) {
    guint64 shift = seq - self->recv_highest;

    self->recv_window = shift >= REPLAY_WINDOW ? 1 :
        (self->recv_window << shift) | 1;
    self->recv_highest = seq;
  } else {
    self->recv_window |= G_GUINT64_CONSTANT (1) << (self->recv_highest - seq);
  }
}

/**
 * sl_session_open:
 * @self: a #SlSession
 * @record: a record from the peer
 * @out_type: (out) (optional): its type
 * @error: return location for a #GError
 *
 * Authenticates and decrypts one record.  Nothing about the session
 * changes unless the record is authentic.
 *
 * Returns: (transfer full) (nullable): the plaintext, wiped when its last
 *   reference is dropped; NULL with %SL_CRYPTO_ERROR_MALFORMED (not a
 *   record), %SL_CRYPTO_ERROR_AUTH (altered, truncated, from another call
 *   or direction), %SL_CRYPTO_ERROR_REPLAY or
 *   %SL_CRYPTO_ERROR_OUT_OF_ORDER (older than the replay window)
 */
GBytes *
sl_session_open (SlSession * self, GBytes * record, SlWireType * out_type,
    GError ** error)
{
  const guint8 *data;
  gsize size, ct_len;
  guint8 ad[RECORD_AD_LEN];
  guint8 nonce[SL_AEAD_NONCE_LEN];
  guint64 seq;
  guint32 len;
  guint8 *buf;

  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  if (self->cleared) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INTERNAL,
        "The keys of this call were already erased.");
    return NULL;
  }

  data = g_bytes_get_data (record, &size);
  if (size < RECORD_HEADER_LEN || data[0] != SL_RECORD_VERSION
      || data[1] < 0x10) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "A message in this call is not a valid sealed message.");
    return NULL;
  }
  /* Lengths are checked loosely here so that a truncated record fails
   * authentication (AUTH) rather than a format check. */
  if (size < RECORD_HEADER_LEN + LENGTH_FIELD_LEN + SL_AEAD_TAG_LEN ||
      size > MAX_RECORD_LEN) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "A message in this call has an impossible length.");
    return NULL;
  }

  seq = get_be64 (data + 2);
  ct_len = size - RECORD_HEADER_LEN - SL_AEAD_TAG_LEN;
  buf = g_malloc (ct_len);
  make_ad (self, data, ad);
  make_nonce (self->recv_iv, seq, nonce);
  if (!sl_crypto_aead_ctx_open (self->open_ctx, nonce, ad, sizeof ad,
          data + RECORD_HEADER_LEN, ct_len, data + size - SL_AEAD_TAG_LEN,
          buf)) {
    failed_free (buf, ct_len);
    ERR_clear_error ();
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH,
        "A message in this call failed its integrity check: it was altered "
        "or does not belong to this call.");
    return NULL;
  }

  /* The replay check comes after authentication: a sequence number a
   * relay altered is tampering (AUTH above), not a copy.  Only an
   * authentic record can be a replay. */
  if (!check_replay (self, seq, error)) {
    sl_crypto_wipe (SL_WIPE_OPEN_FAILED, buf, ct_len);
    g_free (buf);
    return NULL;
  }
  /* Authentic and new: its sequence number is used up even if the padding
   * below is wrong. */
  mark_received (self, seq);

  len = get_be32 (buf);
  if (len > SL_RECORD_MAX_PLAINTEXT || sl_session_padded_size (len) != ct_len) {
    failed_free (buf, ct_len);
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "A message in this call has invalid padding.");
    return NULL;
  }
  if (!all_zero (buf + LENGTH_FIELD_LEN + len, ct_len - LENGTH_FIELD_LEN - len)) {
    failed_free (buf, ct_len);
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "A message in this call has invalid padding.");
    return NULL;
  }

  if (out_type != NULL)
    *out_type = (SlWireType) data[1];
  return g_bytes_new_with_free_func (buf + LENGTH_FIELD_LEN, len, opened_free,
      buf);
}

/* "sha-256 ab:cd" -> "sha-256 AB:CD": the hash name in lower case, the
 * value in upper case, surrounding white space dropped, so that the two
 * sides MAC the same bytes however their SDP stacks print fingerprints. */
static char *
normalise_fingerprint (const char *fingerprint)
{
  g_autofree char *copy = g_strstrip (g_strdup (fingerprint));
  char *space = copy + strcspn (copy, " \t");

  if (*space == '\0')
    return g_ascii_strup (copy, -1);

  *space = '\0';
  {
    g_autofree char *name = g_ascii_strdown (copy, -1);
    g_autofree char *value = g_ascii_strup (g_strstrip (space + 1), -1);

    return g_strconcat (name, " ", value, NULL);
  }
}

static void
append_field (GByteArray * msg, const char *s)
{
  gsize len = strlen (s);
  guint8 prefix[4] = {
    (guint8) (len >> 24), (guint8) (len >> 16), (guint8) (len >> 8),
    (guint8) len
  };

  g_byte_array_append (msg, prefix, sizeof prefix);
  g_byte_array_append (msg, (const guint8 *) s, (guint) len);
}

static gboolean
binding_mac (SlSession * self, gboolean from_caller, const char *caller_fp,
    const char *callee_fp, guint8 out[SL_DTLS_BINDING_MAC_LEN], GError ** error)
{
  g_autoptr (GByteArray) msg = g_byte_array_new ();
  g_autofree char *fp1 = normalise_fingerprint (caller_fp);
  g_autofree char *fp2 = normalise_fingerprint (callee_fp);
  const char *who = from_caller ? "caller" : "callee";

  g_byte_array_append (msg, (const guint8 *) who, (guint) strlen (who));
  append_field (msg, fp1);
  append_field (msg, fp2);
  return sl_crypto_hmac_sha256 (self->dtls_key, sizeof self->dtls_key,
      msg->data, msg->len, out, error);
}

/**
 * sl_session_dtls_binding_mac:
 * @self: a #SlSession that is not cleared
 * @from_caller: TRUE for the caller's MAC, FALSE for the callee's
 * @caller_fingerprint: the caller's DTLS fingerprint ("sha-256 AB:...")
 * @callee_fingerprint: the callee's
 * @out: (out caller-allocates): the MAC
 *
 * HMAC-SHA256 under the handshake's "dtls binding" key of
 * "caller"/"callee" || u32 len || fp_caller || u32 len || fp_callee.
 * On an internal failure @out is all zero, which no peer will accept.
 */
void
sl_session_dtls_binding_mac (SlSession * self, gboolean from_caller,
    const char *caller_fingerprint, const char *callee_fingerprint,
    guint8 out[SL_DTLS_BINDING_MAC_LEN])
{
  g_autoptr (GError) local_error = NULL;

  g_return_if_fail (out != NULL);
  memset (out, 0, SL_DTLS_BINDING_MAC_LEN);
  g_return_if_fail (SL_IS_SESSION (self) && !self->cleared);
  g_return_if_fail (caller_fingerprint != NULL && callee_fingerprint != NULL);

  if (!binding_mac (self, from_caller, caller_fingerprint, callee_fingerprint,
          out, &local_error))
    g_warning ("Cannot compute the media binding: %s", local_error->message);
}

/**
 * sl_session_dtls_binding_verify:
 * @self: a #SlSession
 * @from_caller: whose MAC @mac claims to be
 * @caller_fingerprint: the caller's DTLS fingerprint
 * @callee_fingerprint: the callee's
 * @mac: (array length=mac_len): the MAC received from the peer
 * @mac_len: its size
 * @error: return location for a #GError
 *
 * Returns: TRUE if @mac is right; else FALSE with %SL_CRYPTO_ERROR_AUTH
 *   (%SL_CRYPTO_ERROR_MALFORMED for a wrong size)
 */
gboolean
sl_session_dtls_binding_verify (SlSession * self, gboolean from_caller,
    const char *caller_fingerprint, const char *callee_fingerprint,
    const guint8 * mac, gsize mac_len, GError ** error)
{
  guint8 expected[SL_DTLS_BINDING_MAC_LEN];

  g_return_val_if_fail (SL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (caller_fingerprint != NULL, FALSE);
  g_return_val_if_fail (callee_fingerprint != NULL, FALSE);

  if (self->cleared) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INTERNAL,
        "The keys of this call were already erased.");
    return FALSE;
  }
  if (mac == NULL || mac_len != SL_DTLS_BINDING_MAC_LEN) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "The media binding message is damaged.");
    return FALSE;
  }
  if (!binding_mac (self, from_caller, caller_fingerprint, callee_fingerprint,
          expected, error))
    return FALSE;
  if (CRYPTO_memcmp (expected, mac, SL_DTLS_BINDING_MAC_LEN) != 0) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH,
        "The media connection does not belong to this call: someone may be "
        "intercepting it.");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_session_clear:
 * @self: a #SlSession
 *
 * Wipes the IVs and the DTLS binding key and frees the cipher contexts
 * (OpenSSL clears their keys).  Seal and open fail afterwards.  Safe to
 * call more than once.
 */
void
sl_session_clear (SlSession * self)
{
  g_return_if_fail (SL_IS_SESSION (self));

  if (self->cleared)
    return;
  self->cleared = TRUE;
  g_clear_pointer (&self->seal_ctx, EVP_CIPHER_CTX_free);
  g_clear_pointer (&self->open_ctx, EVP_CIPHER_CTX_free);
  sl_crypto_wipe (SL_WIPE_SEND_IV, self->send_iv, sizeof self->send_iv);
  sl_crypto_wipe (SL_WIPE_RECV_IV, self->recv_iv, sizeof self->recv_iv);
  sl_crypto_wipe (SL_WIPE_DTLS_KEY, self->dtls_key, sizeof self->dtls_key);
}

gboolean
sl_session_is_cleared (SlSession * self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), TRUE);

  return self->cleared;
}

static void
sl_session_dispose (GObject * object)
{
  sl_session_clear (SL_SESSION (object));

  G_OBJECT_CLASS (sl_session_parent_class)->dispose (object);
}

static void
sl_session_class_init (SlSessionClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_session_dispose;
}

static void
sl_session_init (SlSession * self)
{
  sl_crypto_watch_in_object (self, SL_WIPE_SEND_IV, self->send_iv,
      sizeof self->send_iv);
  sl_crypto_watch_in_object (self, SL_WIPE_RECV_IV, self->recv_iv,
      sizeof self->recv_iv);
  sl_crypto_watch_in_object (self, SL_WIPE_DTLS_KEY, self->dtls_key,
      sizeof self->dtls_key);
}
