/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Private to src/core/crypto/ (and the crypto tests): the OpenSSL types the
 * module uses, with g_autoptr cleanups, and the helpers that take OpenSSL
 * objects.  Nothing outside crypto/ may include this header (scripts/lint).
 */

#pragma once

#include <glib.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_CIPHER_CTX, EVP_CIPHER_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MAC_CTX, EVP_MAC_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_KDF_CTX, EVP_KDF_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_KDF, EVP_KDF_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BN_CTX, BN_CTX_free)
/* Every BIGNUM we hold is secret or derived from one: always clear. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_clear_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EC_POINT, EC_POINT_clear_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EC_GROUP, EC_GROUP_free)

/* Sets an SL_CRYPTO_ERROR_INTERNAL error naming @what, logs OpenSSL's
 * reason at debug level and empties OpenSSL's error queue. */
void                sl_crypto_set_internal_error (GError     **error,
                                                  const char  *what);

/* (transfer none): ChaCha20-Poly1305 and SHA-256, fetched once per process. */
const EVP_CIPHER *  sl_crypto_aead_cipher        (void);
const EVP_MD *      sl_crypto_sha256_md          (void);

/* One AEAD operation on a context that already holds the key (see
 * sl_crypto_aead_ctx_new()).  @out may equal @in. */
gboolean            sl_crypto_aead_ctx_seal      (EVP_CIPHER_CTX *ctx,
                                                  const guint8   *nonce,
                                                  const guint8   *ad,
                                                  gsize           ad_len,
                                                  const guint8   *in,
                                                  gsize           len,
                                                  guint8         *out,
                                                  guint8         *tag);

gboolean            sl_crypto_aead_ctx_open      (EVP_CIPHER_CTX *ctx,
                                                  const guint8   *nonce,
                                                  const guint8   *ad,
                                                  gsize           ad_len,
                                                  const guint8   *in,
                                                  gsize           len,
                                                  const guint8   *tag,
                                                  guint8         *out);

/* (transfer full) (nullable): a fresh X25519 key whose private half comes
 * from sl_crypto_random() (so fuzzers can make it reproducible); that raw
 * copy is wiped before this returns.  OpenSSL clears the key when it is
 * freed: use sl_crypto_x25519_key_free(). */
EVP_PKEY *          sl_crypto_x25519_keygen      (guint8   pub[32],
                                                  GError **error);

/* X25519(@key, @peer); refuses the all-zero result (MALFORMED). */
gboolean            sl_crypto_x25519_derive      (EVP_PKEY     *key,
                                                  const guint8  peer[32],
                                                  guint8        out[32],
                                                  GError      **error);

/* Frees *@key (OpenSSL clears the private key) and reports it to the wipe
 * observer as SL_WIPE_X25519_KEY; NULL is allowed. */
void                sl_crypto_x25519_key_free    (EVP_PKEY **key);

/* (transfer full) (nullable): a context keyed with @key for sealing
 * (@encrypt TRUE) or opening. */
EVP_CIPHER_CTX *    sl_crypto_aead_ctx_new       (const guint8 *key,
                                                  gboolean      encrypt,
                                                  GError      **error);

G_END_DECLS
