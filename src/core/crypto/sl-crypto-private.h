/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Internal functions of the crypto module, exported by the static core
 * library for the crypto tests, the fuzzers and the benchmark.  Application
 * code uses sl-crypto.h, sl-handshake.h and sl-session.h only.
 */

#pragma once

#include <string.h>

#include <glib-object.h>

#include "sl-crypto.h"
#include "sl-handshake.h"
#include "sl-session.h"

G_BEGIN_DECLS

#define SL_X25519_LEN       32
#define SL_P256_POINT_LEN   65
#define SL_P256_SCALAR_LEN  32
#define SL_SHA256_LEN       32
#define SL_AEAD_KEY_LEN     32
#define SL_AEAD_NONCE_LEN   12
#define SL_AEAD_TAG_LEN     16
#define SL_CODE_MAX_CHARS   64

/* scrypt cost for the security code (N = 2^14, r = 8, p = 1). */
#define SL_SCRYPT_N         16384
#define SL_SCRYPT_R         8
#define SL_SCRYPT_P         1

/* Labels passed to the wipe observer, one per kind of secret. */
#define SL_WIPE_CODE                "code"
#define SL_WIPE_PASSWORD_HASH       "password hash"
#define SL_WIPE_SPAKE2_W            "spake2 w"
#define SL_WIPE_SPAKE2_SCALAR       "spake2 scalar"
#define SL_WIPE_SPAKE2_K            "spake2 K"
#define SL_WIPE_SPAKE2_TT           "spake2 TT"
#define SL_WIPE_SPAKE2_KEKA         "spake2 Ke||Ka"
#define SL_WIPE_X25519_PRIVATE      "x25519 private"
#define SL_WIPE_X25519_KEY          "x25519 key object"
#define SL_WIPE_X25519_SHARED       "x25519 shared"
#define SL_WIPE_IKM                 "ikm"
#define SL_WIPE_CHAINING_KEY        "chaining key"
#define SL_WIPE_TRAFFIC_KEYS        "handshake traffic keys"
#define SL_WIPE_CONFIRM_A           "confirm key a"
#define SL_WIPE_CONFIRM_B           "confirm key b"
#define SL_WIPE_SAS_BYTES           "sas bytes"
#define SL_WIPE_HS_DTLS_KEY         "handshake dtls binding key"
#define SL_WIPE_SAS                 "sas"
#define SL_WIPE_SEND_IV             "send iv"
#define SL_WIPE_RECV_IV             "recv iv"
#define SL_WIPE_DTLS_KEY            "dtls binding key"
#define SL_WIPE_SEAL_PLAINTEXT      "seal plaintext"
#define SL_WIPE_OPEN_PLAINTEXT      "open plaintext"
#define SL_WIPE_OPEN_FAILED         "open failed buffer"
#define SL_WIPE_RETAINED_SECRET     "retained secret"
#define SL_WIPE_STORE_TEXT          "continuity store text"
#define SL_WIPE_DEVICE_KEY_FILE     "device key file"

/* Secret watches (see sl_crypto_set_secret_check()): one line per secret.
 *
 *   guint8 ikm[48];
 *   SL_SECRET_LOCAL (SL_WIPE_IKM, ikm);    zeroes ikm now; checked at the
 *                                          end of its scope
 *   sl_crypto_watch_in_object (self, SL_WIPE_SAS, self->x, sizeof self->x);
 *                                          checked when self is finalized
 *   sl_crypto_secret_end (label, buf, len); checked now (heap block, right
 *                                          after its wipe, before g_free)
 */
void      sl_crypto_secret_end    (const char    *label,
                                   gconstpointer  mem,
                                   gsize          len);

void      sl_crypto_watch_in_object (gpointer       object,
                                     const char    *label,
                                     gconstpointer  mem,
                                     gsize          len);

/* Wipes (@label), checks and frees a NUL-terminated secret string. */
void      sl_crypto_free_secret_string (const char *label,
                                        char       *secret);

typedef struct
{
  const char *label;
  gpointer mem;
  gsize len;
} SlSecretScope;

static inline SlSecretScope
sl_secret_scope_begin (const char *label, gpointer mem, gsize len)
{
  SlSecretScope scope = { label, mem, len };

  /* Starts from zero, so that only secret bytes left behind can fail the
   * check, never stack garbage. */
  memset (mem, 0, len);
  return scope;
}

static inline void
sl_secret_scope_end (SlSecretScope * scope)
{
  sl_crypto_secret_end (scope->label, scope->mem, scope->len);
}

/* Declare right after the local @var: cleanups run in reverse order, so
 * this one runs while @var still exists, after every wipe in the scope.
 * (Only the cleanup reads the scope variable: clang calls it unused.) */
#define SL_SECRET_LOCAL(label, var) \
  G_GNUC_UNUSED SlSecretScope G_PASTE (sl_secret_scope_, var) \
      __attribute__ ((cleanup (sl_secret_scope_end))) = \
      sl_secret_scope_begin ((label), &(var), sizeof (var))

/* Primitives: thin wrappers over OpenSSL's EVP interfaces. */
gboolean  sl_crypto_sha256        (const guint8 *data,
                                   gsize         len,
                                   guint8        out[SL_SHA256_LEN],
                                   GError      **error);

gboolean  sl_crypto_hmac_sha256   (const guint8 *key,
                                   gsize         key_len,
                                   const guint8 *data,
                                   gsize         len,
                                   guint8        out[SL_SHA256_LEN],
                                   GError      **error);

gboolean  sl_crypto_hkdf_extract  (const guint8 *salt,
                                   gsize         salt_len,
                                   const guint8 *ikm,
                                   gsize         ikm_len,
                                   guint8        prk[SL_SHA256_LEN],
                                   GError      **error);

gboolean  sl_crypto_hkdf_expand   (const guint8 *prk,
                                   gsize         prk_len,
                                   const guint8 *info,
                                   gsize         info_len,
                                   guint8       *out,
                                   gsize         out_len,
                                   GError      **error);

gboolean  sl_crypto_scrypt        (const guint8 *pass,
                                   gsize         pass_len,
                                   const guint8 *salt,
                                   gsize         salt_len,
                                   guint64       n,
                                   guint32       r,
                                   guint32       p,
                                   guint8       *out,
                                   gsize         out_len,
                                   GError      **error);

/* The public key of a raw X25519 private key. */
gboolean  sl_crypto_x25519_public (const guint8  priv[SL_X25519_LEN],
                                   guint8        pub[SL_X25519_LEN],
                                   GError      **error);

/* X25519(priv, peer): refuses a peer key that gives the all-zero secret
 * (SL_CRYPTO_ERROR_MALFORMED). */
gboolean  sl_crypto_x25519        (const guint8  priv[SL_X25519_LEN],
                                   const guint8  peer[SL_X25519_LEN],
                                   guint8        out[SL_X25519_LEN],
                                   GError      **error);

/* One-shot ChaCha20-Poly1305 (RFC 8439).  @out holds @len bytes. */
gboolean  sl_crypto_aead_seal     (const guint8  key[SL_AEAD_KEY_LEN],
                                   const guint8  nonce[SL_AEAD_NONCE_LEN],
                                   const guint8 *ad,
                                   gsize         ad_len,
                                   const guint8 *in,
                                   gsize         len,
                                   guint8       *out,
                                   guint8        tag[SL_AEAD_TAG_LEN],
                                   GError      **error);

gboolean  sl_crypto_aead_open     (const guint8  key[SL_AEAD_KEY_LEN],
                                   const guint8  nonce[SL_AEAD_NONCE_LEN],
                                   const guint8 *ad,
                                   gsize         ad_len,
                                   const guint8 *in,
                                   gsize         len,
                                   const guint8  tag[SL_AEAD_TAG_LEN],
                                   guint8       *out,
                                   GError      **error);

/* (transfer full): the code after NFKC, case folding and removal of
 * white space and '-'; SL_CRYPTO_ERROR_INVALID_CODE when that is empty or
 * longer than SL_CODE_MAX_CHARS characters.  Free with sl_crypto_free_string
 * (it is a secret). */
char *    sl_crypto_normalise_code (const char *code,
                                    GError    **error);

/* Wipes (label "code") and frees a NUL-terminated secret string. */
void      sl_crypto_free_string   (char *secret);

/* Session construction by the handshake.  The key buffers are copied (and
 * the copies wiped as soon as OpenSSL holds them); the caller wipes its own. */
SlSession * sl_session_new_internal (SlRole        role,
                                     const guint8  call_id[SL_CALL_ID_LEN],
                                     const guint8  send_key[SL_AEAD_KEY_LEN],
                                     const guint8  send_iv[SL_AEAD_NONCE_LEN],
                                     const guint8  recv_key[SL_AEAD_KEY_LEN],
                                     const guint8  recv_iv[SL_AEAD_NONCE_LEN],
                                     const guint8  dtls_key[SL_SHA256_LEN],
                                     GError      **error);

/* The padded size (length field included) of a record carrying @len bytes:
 * 4 + the smallest bucket of 256, 512, ..., 65536 that holds @len. */
gsize     sl_session_padded_size  (gsize len);

/* Test and fuzzing hooks: only in builds with -Dtest_hooks=true. */
#ifdef SL_TEST_HOOKS
typedef void (*SlTestRandomFunc) (guint8 *buf, gsize len, gpointer user_data);

/* Replaces the CSPRNG for this process (NULL restores it): fuzzers use it
 * for reproducible keys. */
void      sl_crypto_set_test_random (SlTestRandomFunc func,
                                     gpointer         user_data);

/* A handshake with a precomputed password scalar (32 bytes, big-endian, as
 * sl_crypto_password_scalar() makes it; NULL: no code), skipping the slow
 * hash so tests and fuzzers can run many handshakes. */
SlHandshake * sl_handshake_new_with_scalar (SlRole        role,
                                            const char   *call_id_hex,
                                            const char   *local_id,
                                            const char   *peer_id,
                                            const guint8 *w,
                                            GError      **error);

/* Makes the handshake send these 64 bytes as its continuity proofs, as a
 * relay that copies another device's proofs would. */
void          sl_handshake_set_test_proofs (SlHandshake  *self,
                                            const guint8  proofs[64]);
#endif

G_END_DECLS
