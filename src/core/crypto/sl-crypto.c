/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The crypto module's foundation: its error domain, secret erasure (with an
 * observer so tests can see every wipe), randomness, call ids, and thin
 * wrappers over OpenSSL 3's EVP interfaces for SHA-256, HMAC, HKDF, scrypt,
 * X25519 and ChaCha20-Poly1305.  Only non-deprecated OpenSSL 3.0 calls.
 *
 * Every wrapper empties OpenSSL's thread-local error queue when it turns a
 * failure into a GError, so that a later, unrelated OpenSSL user (GLib's
 * TLS backend, GStreamer's DTLS) never sees our stale errors.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-crypto.h"
#include "sl-crypto-private.h"
#include "sl-openssl.h"

#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include <openssl/rand.h>

GQuark
sl_crypto_error_quark (void)
{
  return g_quark_from_static_string ("sl-crypto-error-quark");
}

/* The observer is a process global set by tests; handshakes may wipe from
 * GTask threads at the same time.  A recursive lock, held across the call,
 * lets an observer be replaced safely while another thread reports and lets
 * the observer itself call sl_crypto_wipe(). */
static GRecMutex observer_lock;

/* One of the two test callbacks: the wipe observer, the secret check. */
typedef struct
{
  gint active;
  SlWipeObserver func;
  gpointer data;
} Hook;

static Hook wipe_hook;
static Hook check_hook;

static void
hook_set (Hook * hook, SlWipeObserver func, gpointer data, const char *what)
{
#ifdef SL_TEST_HOOKS
  g_rec_mutex_lock (&observer_lock);
  hook->func = func;
  hook->data = data;
  g_atomic_int_set (&hook->active, func != NULL);
  g_rec_mutex_unlock (&observer_lock);
#else
  if (func != NULL)
    g_warning ("%s is not compiled in (-Dtest_hooks=false)", what);
#endif
}

static void
hook_call (Hook * hook, const char *label, gconstpointer mem, gsize len)
{
  /* The common case (no test hook) costs one atomic read. */
  if (!g_atomic_int_get (&hook->active))
    return;

  g_rec_mutex_lock (&observer_lock);
  if (hook->func != NULL)
    hook->func (label, mem, mem != NULL ? len : 0, hook->data);
  g_rec_mutex_unlock (&observer_lock);
}

#ifdef SL_TEST_HOOKS
static GMutex random_lock;
static SlTestRandomFunc test_random;
static gpointer test_random_data;
#endif

/* OpenSSL frees its per-thread state keys in an atexit() handler.  A
 * program with GStreamer has threads of its own that used OpenSSL (DTLS
 * runs on the streaming threads of the pool), and gst_deinit() asks the
 * idle ones to quit without waiting for them: one that finishes while
 * exit() runs the handlers calls OpenSSL's thread destructor on the freed
 * state and the process dies with SIGSEGV after a good call (seen on the
 * goggles' nicesrc thread, test-goggles).  Without the handler the state
 * stays valid until the process is gone; the kernel reclaims it. */
/**
 * sl_crypto_init_process:
 *
 * Call first in main() of a program with threads (a client): sets OpenSSL
 * up without its exit-time cleanup.
 */
void
sl_crypto_init_process (void)
{
  OPENSSL_init_crypto (OPENSSL_INIT_NO_ATEXIT, NULL);
}

/**
 * sl_crypto_set_wipe_observer:
 * @observer: (nullable): called after each wipe; NULL removes it
 * @user_data: passed to @observer
 *
 * Registers the process-wide wipe observer (tests only).  Builds made with
 * -Dtest_hooks=false ignore it.
 */
void
sl_crypto_set_wipe_observer (SlWipeObserver observer, gpointer user_data)
{
  hook_set (&wipe_hook, observer, user_data, "Wipe observation");
}

/**
 * sl_crypto_wipe:
 * @label: which secret this is (one of the SL_WIPE_* labels)
 * @mem: (nullable): the secret
 * @len: its size
 *
 * Overwrites @len bytes at @mem with zeros in a way the compiler cannot
 * remove (OPENSSL_cleanse), then tells the wipe observer, if any.
 */
void
sl_crypto_wipe (const char *label, gpointer mem, gsize len)
{
  if (mem != NULL && len > 0)
    OPENSSL_cleanse (mem, len);
  hook_call (&wipe_hook, label, mem, len);
}

/* Watching secrets.  The wipe observer sees what sl_crypto_wipe() was
 * given, so it cannot tell a wipe of the wrong buffer, a short wipe or a
 * missing one on some path.  A watched secret is checked where its
 * storage ends instead, independently of the wipe: a local at the end of
 * its scope (SL_SECRET_LOCAL), an object's field when GObject finalizes
 * it (its qdata goes last, after every subclass finalize), a heap block
 * just before it is freed.  The test's check reads the memory itself. */

/**
 * sl_crypto_set_secret_check:
 * @check: (nullable): called with each watched secret's memory at the end
 *   of its storage, still valid; NULL removes it
 * @user_data: passed to @check
 *
 * Registers the process-wide secret check (tests only).  Builds made with
 * -Dtest_hooks=false ignore it.
 */
void
sl_crypto_set_secret_check (SlWipeObserver check, gpointer user_data)
{
  hook_set (&check_hook, check, user_data, "Secret checking");
}

/**
 * sl_crypto_secret_end:
 * @label: which secret (one of the SL_WIPE_* labels)
 * @mem: the secret's storage, about to go out of scope or be freed
 * @len: its size
 *
 * Hands @mem to the secret check, if any, before the storage goes.  Call
 * it apart from the wipe (after it), so that the check sees whether the
 * secret really is gone.
 */
void
sl_crypto_secret_end (const char *label, gconstpointer mem, gsize len)
{
  hook_call (&check_hook, label, mem, len);
}

typedef struct
{
  const char *label;
  gconstpointer mem;
  gsize len;
} Watch;

static void
watches_end (gpointer data)
{
  GArray *watches = data;
  guint i;

  for (i = 0; i < watches->len; i++) {
    Watch *w = &g_array_index (watches, Watch, i);

    sl_crypto_secret_end (w->label, w->mem, w->len);
  }
  g_array_unref (watches);
}

/**
 * sl_crypto_watch_in_object:
 * @object: the #GObject whose instance holds the secret
 * @label: which secret (one of the SL_WIPE_* labels)
 * @mem: the secret, inside @object's instance
 * @len: its size
 *
 * Has @mem checked when @object is finalized (only while a secret check
 * is registered: the call costs one atomic read otherwise).
 */
void
sl_crypto_watch_in_object (gpointer object, const char *label,
    gconstpointer mem, gsize len)
{
  static GQuark key;
  GArray *watches;
  Watch w = { label, mem, len };

  if (!g_atomic_int_get (&check_hook.active))
    return;

  if (key == 0)
    key = g_quark_from_static_string ("sl-crypto-secret-watches");
  watches = g_object_get_qdata (object, key);
  if (watches == NULL) {
    watches = g_array_new (FALSE, FALSE, sizeof (Watch));
    g_object_set_qdata_full (object, key, watches, watches_end);
  }
  g_array_append_val (watches, w);
}

/**
 * sl_crypto_random:
 * @buf: (out caller-allocates): where to write
 * @len: how many bytes
 * @error: return location for a #GError
 *
 * Fills @buf from OpenSSL's private DRBG (seeded by the kernel).
 *
 * Returns: FALSE with %SL_CRYPTO_ERROR_INTERNAL when no randomness is
 *   available; @buf is then zeroed.
 */
gboolean
sl_crypto_random (guint8 * buf, gsize len, GError ** error)
{
  g_return_val_if_fail (buf != NULL || len == 0, FALSE);

#ifdef SL_TEST_HOOKS
  g_mutex_lock (&random_lock);
  if (test_random != NULL) {
    test_random (buf, len, test_random_data);
    g_mutex_unlock (&random_lock);
    return TRUE;
  }
  g_mutex_unlock (&random_lock);
#endif

  while (len > 0) {
    int chunk = len > INT_MAX ? INT_MAX : (int) len;

    if (RAND_priv_bytes (buf, chunk) != 1) {
      OPENSSL_cleanse (buf, len);
      sl_crypto_set_internal_error (error, "random numbers");
      return FALSE;
    }
    buf += chunk;
    len -= (gsize) chunk;
  }
  return TRUE;
}

#ifdef SL_TEST_HOOKS
void
sl_crypto_set_test_random (SlTestRandomFunc func, gpointer user_data)
{
  g_mutex_lock (&random_lock);
  test_random = func;
  test_random_data = user_data;
  g_mutex_unlock (&random_lock);
}
#endif

/**
 * sl_crypto_call_id_from_hex:
 * @hex: (nullable): 32 lowercase hexadecimal characters
 * @out: (out caller-allocates): the 16 bytes
 *
 * Parses a call id as carried in signalling.  Strict: anything but exactly
 * 32 characters from [0-9a-f] is refused (and @out left alone).
 *
 * Returns: TRUE if @hex is a valid call id
 */
gboolean
sl_crypto_call_id_from_hex (const char *hex, guint8 out[SL_CALL_ID_LEN])
{
  guint8 tmp[SL_CALL_ID_LEN];
  guint i;

  g_return_val_if_fail (out != NULL, FALSE);

  if (hex == NULL)
    return FALSE;

  for (i = 0; i < 2 * SL_CALL_ID_LEN; i++) {
    char c = hex[i];
    guint v;

    if (c >= '0' && c <= '9')
      v = (guint) (c - '0');
    else if (c >= 'a' && c <= 'f')
      v = (guint) (c - 'a' + 10);
    else
      return FALSE;             /* also stops at an early NUL */

    if (i % 2 == 0)
      tmp[i / 2] = (guint8) (v << 4);
    else
      tmp[i / 2] |= (guint8) v;
  }
  if (hex[2 * SL_CALL_ID_LEN] != '\0')
    return FALSE;

  memcpy (out, tmp, sizeof tmp);
  return TRUE;
}

/**
 * sl_crypto_call_id_new:
 *
 * Makes a fresh call id from the CSPRNG.
 *
 * Returns: (transfer full) (nullable): 32 lowercase hex characters, or NULL
 *   if the system has no randomness (logged as critical)
 */
char *
sl_crypto_call_id_new (void)
{
  guint8 id[SL_CALL_ID_LEN];
  g_autoptr (GError) local_error = NULL;
  char *hex;
  guint i;

  if (!sl_crypto_random (id, sizeof id, &local_error)) {
    g_critical ("Cannot make a call id: %s", local_error->message);
    return NULL;
  }

  hex = g_malloc (2 * SL_CALL_ID_LEN + 1);
  for (i = 0; i < SL_CALL_ID_LEN; i++) {
    static const char digits[] = "0123456789abcdef";

    hex[2 * i] = digits[id[i] >> 4];
    hex[2 * i + 1] = digits[id[i] & 0x0f];
  }
  hex[2 * SL_CALL_ID_LEN] = '\0';
  return hex;
}

/**
 * sl_crypto_equal:
 * @a: first buffer
 * @b: second buffer
 * @len: bytes to compare
 *
 * Compares in time that depends only on @len (CRYPTO_memcmp).
 *
 * Returns: TRUE if the buffers are equal
 */
gboolean
sl_crypto_equal (const guint8 * a, const guint8 * b, gsize len)
{
  g_return_val_if_fail (len == 0 || (a != NULL && b != NULL), FALSE);

  if (len == 0)
    return TRUE;
  return CRYPTO_memcmp (a, b, len) == 0;
}

void
sl_crypto_set_internal_error (GError ** error, const char *what)
{
  unsigned long code = ERR_peek_last_error ();

  if (code != 0) {
    char reason[256];

    ERR_error_string_n (code, reason, sizeof reason);
    g_debug ("OpenSSL failure in %s: %s", what, reason);
  }
  ERR_clear_error ();
  g_set_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INTERNAL,
      "A security operation failed on this device (%s). Try the call again.",
      what);
}

/* Algorithm objects are fetched once: a fetch walks the provider store
 * under a lock, which would cost more than sealing a small record. */
static gpointer
fetch_cipher (gpointer data)
{
  return EVP_CIPHER_fetch (NULL, "ChaCha20-Poly1305", NULL);
}

static gpointer
fetch_sha256 (gpointer data)
{
  return EVP_MD_fetch (NULL, "SHA256", NULL);
}

static gpointer
fetch_hmac (gpointer data)
{
  return EVP_MAC_fetch (NULL, "HMAC", NULL);
}

static gpointer
fetch_kdf (gpointer name)
{
  return EVP_KDF_fetch (NULL, name, NULL);
}

const EVP_CIPHER *
sl_crypto_aead_cipher (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, fetch_cipher, NULL);
}

const EVP_MD *
sl_crypto_sha256_md (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, fetch_sha256, NULL);
}

static EVP_MAC *
hmac_mac (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, fetch_hmac, NULL);
}

static EVP_KDF *
hkdf_kdf (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, fetch_kdf, (gpointer) "HKDF");
}

static EVP_KDF *
scrypt_kdf (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, fetch_kdf, (gpointer) "SCRYPT");
}

gboolean
sl_crypto_sha256 (const guint8 * data, gsize len, guint8 out[SL_SHA256_LEN],
    GError ** error)
{
  const EVP_MD *md = sl_crypto_sha256_md ();
  unsigned int out_len = 0;

  if (md == NULL || !EVP_Digest (data, len, out, &out_len, md, NULL) ||
      out_len != SL_SHA256_LEN) {
    sl_crypto_set_internal_error (error, "SHA-256");
    return FALSE;
  }
  return TRUE;
}

gboolean
sl_crypto_hmac_sha256 (const guint8 * key, gsize key_len,
    const guint8 * data, gsize len, guint8 out[SL_SHA256_LEN], GError ** error)
{
  g_autoptr (EVP_MAC_CTX) ctx = NULL;
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_DIGEST, (char *) "SHA256",
        0),
    OSSL_PARAM_construct_end (),
  };
  size_t out_len = 0;

  g_return_val_if_fail (key != NULL && key_len > 0, FALSE);

  if (hmac_mac () == NULL || (ctx = EVP_MAC_CTX_new (hmac_mac ())) == NULL ||
      !EVP_MAC_init (ctx, key, key_len, params) ||
      !EVP_MAC_update (ctx, data, len) ||
      !EVP_MAC_final (ctx, out, &out_len, SL_SHA256_LEN) ||
      out_len != SL_SHA256_LEN) {
    OPENSSL_cleanse (out, SL_SHA256_LEN);
    sl_crypto_set_internal_error (error, "HMAC-SHA256");
    return FALSE;
  }
  return TRUE;
}

static gboolean
hkdf_run (int mode, const guint8 * key, gsize key_len, const guint8 * salt,
    gsize salt_len, const guint8 * info, gsize info_len, guint8 * out,
    gsize out_len, GError ** error)
{
  g_autoptr (EVP_KDF_CTX) ctx = NULL;
  OSSL_PARAM params[6];
  guint n = 0;

  params[n++] = OSSL_PARAM_construct_int (OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_utf8_string (OSSL_KDF_PARAM_DIGEST,
      (char *) "SHA256", 0);
  params[n++] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_KEY,
      (void *) key, key_len);
  /* An absent salt means HashLen zero bytes (RFC 5869 section 2.2). */
  if (salt_len > 0)
    params[n++] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT,
        (void *) salt, salt_len);
  if (info_len > 0)
    params[n++] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_INFO,
        (void *) info, info_len);
  params[n] = OSSL_PARAM_construct_end ();

  if (hkdf_kdf () == NULL || (ctx = EVP_KDF_CTX_new (hkdf_kdf ())) == NULL ||
      EVP_KDF_derive (ctx, out, out_len, params) != 1) {
    OPENSSL_cleanse (out, out_len);
    sl_crypto_set_internal_error (error, "HKDF");
    return FALSE;
  }
  return TRUE;
}

gboolean
sl_crypto_hkdf_extract (const guint8 * salt, gsize salt_len,
    const guint8 * ikm, gsize ikm_len, guint8 prk[SL_SHA256_LEN],
    GError ** error)
{
  return hkdf_run (EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, ikm_len, salt,
      salt_len, NULL, 0, prk, SL_SHA256_LEN, error);
}

gboolean
sl_crypto_hkdf_expand (const guint8 * prk, gsize prk_len,
    const guint8 * info, gsize info_len, guint8 * out, gsize out_len,
    GError ** error)
{
  g_return_val_if_fail (out_len > 0 && out_len <= 255 * SL_SHA256_LEN, FALSE);

  return hkdf_run (EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, prk_len, NULL, 0,
      info, info_len, out, out_len, error);
}

gboolean
sl_crypto_scrypt (const guint8 * pass, gsize pass_len, const guint8 * salt,
    gsize salt_len, guint64 n, guint32 r, guint32 p, guint8 * out,
    gsize out_len, GError ** error)
{
  g_autoptr (EVP_KDF_CTX) ctx = NULL;
  uint64_t cost = n;
  uint32_t block = r, par = p;
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_PASSWORD, (void *) pass,
        pass_len),
    OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT, (void *) salt,
        salt_len),
    OSSL_PARAM_construct_uint64 (OSSL_KDF_PARAM_SCRYPT_N, &cost),
    OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_R, &block),
    OSSL_PARAM_construct_uint32 (OSSL_KDF_PARAM_SCRYPT_P, &par),
    OSSL_PARAM_construct_end (),
  };

  if (scrypt_kdf () == NULL ||
      (ctx = EVP_KDF_CTX_new (scrypt_kdf ())) == NULL ||
      EVP_KDF_derive (ctx, out, out_len, params) != 1) {
    OPENSSL_cleanse (out, out_len);
    sl_crypto_set_internal_error (error, "scrypt");
    return FALSE;
  }
  return TRUE;
}

gboolean
sl_crypto_x25519_public (const guint8 priv[SL_X25519_LEN],
    guint8 pub[SL_X25519_LEN], GError ** error)
{
  g_autoptr (EVP_PKEY) key = NULL;
  size_t len = SL_X25519_LEN;

  key = EVP_PKEY_new_raw_private_key (EVP_PKEY_X25519, NULL, priv,
      SL_X25519_LEN);
  if (key == NULL || !EVP_PKEY_get_raw_public_key (key, pub, &len) ||
      len != SL_X25519_LEN) {
    sl_crypto_set_internal_error (error, "X25519 key generation");
    return FALSE;
  }
  return TRUE;
}

EVP_PKEY *
sl_crypto_x25519_keygen (guint8 pub[SL_X25519_LEN], GError ** error)
{
  guint8 priv[SL_X25519_LEN];
  SL_SECRET_LOCAL (SL_WIPE_X25519_PRIVATE, priv);
  g_autoptr (EVP_PKEY) key = NULL;
  size_t len = SL_X25519_LEN;

  if (!sl_crypto_random (priv, sizeof priv, error))
    return NULL;
  /* Importing computes the public key: the one base-point multiplication
   * of key generation. */
  key = EVP_PKEY_new_raw_private_key (EVP_PKEY_X25519, NULL, priv, sizeof priv);
  sl_crypto_wipe (SL_WIPE_X25519_PRIVATE, priv, sizeof priv);
  if (key == NULL || !EVP_PKEY_get_raw_public_key (key, pub, &len) ||
      len != SL_X25519_LEN) {
    sl_crypto_set_internal_error (error, "X25519 key generation");
    return NULL;
  }
  return g_steal_pointer (&key);
}

void
sl_crypto_x25519_key_free (EVP_PKEY ** key)
{
  if (*key == NULL)
    return;
  g_clear_pointer (key, EVP_PKEY_free);
  sl_crypto_wipe (SL_WIPE_X25519_KEY, NULL, 0);
}

gboolean
sl_crypto_x25519 (const guint8 priv[SL_X25519_LEN],
    const guint8 peer[SL_X25519_LEN], guint8 out[SL_X25519_LEN],
    GError ** error)
{
  g_autoptr (EVP_PKEY) key = NULL;

  key = EVP_PKEY_new_raw_private_key (EVP_PKEY_X25519, NULL, priv,
      SL_X25519_LEN);
  if (key == NULL) {
    sl_crypto_set_internal_error (error, "X25519");
    return FALSE;
  }
  return sl_crypto_x25519_derive (key, peer, out, error);
}

gboolean
sl_crypto_x25519_derive (EVP_PKEY * key, const guint8 peer[SL_X25519_LEN],
    guint8 out[SL_X25519_LEN], GError ** error)
{
  static const guint8 zeros[SL_X25519_LEN] = { 0 };
  g_autoptr (EVP_PKEY) peer_key = NULL;
  g_autoptr (EVP_PKEY_CTX) ctx = NULL;
  size_t len = SL_X25519_LEN;

  peer_key = EVP_PKEY_new_raw_public_key (EVP_PKEY_X25519, NULL, peer,
      SL_X25519_LEN);
  if (peer_key == NULL ||
      (ctx = EVP_PKEY_CTX_new_from_pkey (NULL, key, NULL)) == NULL ||
      EVP_PKEY_derive_init (ctx) != 1 ||
      EVP_PKEY_derive_set_peer (ctx, peer_key) != 1) {
    sl_crypto_set_internal_error (error, "X25519");
    return FALSE;
  }

  /* OpenSSL refuses the all-zero result of a small-order peer key; check
   * again ourselves so the refusal does not depend on the provider. */
  if (EVP_PKEY_derive (ctx, out, &len) != 1 || len != SL_X25519_LEN ||
      CRYPTO_memcmp (out, zeros, SL_X25519_LEN) == 0) {
    OPENSSL_cleanse (out, SL_X25519_LEN);
    ERR_clear_error ();
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "The other device sent an invalid key.");
    return FALSE;
  }
  return TRUE;
}

EVP_CIPHER_CTX *
sl_crypto_aead_ctx_new (const guint8 * key, gboolean encrypt, GError ** error)
{
  g_autoptr (EVP_CIPHER_CTX) ctx = EVP_CIPHER_CTX_new ();
  const EVP_CIPHER *cipher = sl_crypto_aead_cipher ();

  if (ctx == NULL || cipher == NULL ||
      !EVP_CipherInit_ex2 (ctx, cipher, key, NULL, encrypt ? 1 : 0, NULL)) {
    sl_crypto_set_internal_error (error, "ChaCha20-Poly1305 set-up");
    return NULL;
  }
  return g_steal_pointer (&ctx);
}

/* Re-initialising with only a nonce keeps the key schedule, so a record
 * costs no key set-up: this is what keeps sealing close to the raw cipher. */
gboolean
sl_crypto_aead_ctx_seal (EVP_CIPHER_CTX * ctx, const guint8 * nonce,
    const guint8 * ad, gsize ad_len, const guint8 * in, gsize len,
    guint8 * out, guint8 * tag)
{
  int n = 0;

  if (len > INT_MAX || ad_len > INT_MAX)
    return FALSE;
  if (!EVP_EncryptInit_ex2 (ctx, NULL, NULL, nonce, NULL))
    return FALSE;
  if (ad_len > 0 && !EVP_EncryptUpdate (ctx, NULL, &n, ad, (int) ad_len))
    return FALSE;
  if (len > 0 && !EVP_EncryptUpdate (ctx, out, &n, in, (int) len))
    return FALSE;
  if (!EVP_EncryptFinal_ex (ctx, out + (len > 0 ? n : 0), &n))
    return FALSE;
  return EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_AEAD_GET_TAG, SL_AEAD_TAG_LEN,
      tag) == 1;
}

gboolean
sl_crypto_aead_ctx_open (EVP_CIPHER_CTX * ctx, const guint8 * nonce,
    const guint8 * ad, gsize ad_len, const guint8 * in, gsize len,
    const guint8 * tag, guint8 * out)
{
  int n = 0;

  if (len > INT_MAX || ad_len > INT_MAX)
    return FALSE;
  if (!EVP_DecryptInit_ex2 (ctx, NULL, NULL, nonce, NULL))
    return FALSE;
  if (ad_len > 0 && !EVP_DecryptUpdate (ctx, NULL, &n, ad, (int) ad_len))
    return FALSE;
  if (len > 0 && !EVP_DecryptUpdate (ctx, out, &n, in, (int) len))
    return FALSE;
  if (!EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_AEAD_SET_TAG, SL_AEAD_TAG_LEN,
          (void *) tag))
    return FALSE;
  return EVP_DecryptFinal_ex (ctx, out + (len > 0 ? n : 0), &n) == 1;
}

gboolean
sl_crypto_aead_seal (const guint8 key[SL_AEAD_KEY_LEN],
    const guint8 nonce[SL_AEAD_NONCE_LEN], const guint8 * ad, gsize ad_len,
    const guint8 * in, gsize len, guint8 * out, guint8 tag[SL_AEAD_TAG_LEN],
    GError ** error)
{
  g_autoptr (EVP_CIPHER_CTX) ctx = sl_crypto_aead_ctx_new (key, TRUE, error);

  if (ctx == NULL)
    return FALSE;
  if (!sl_crypto_aead_ctx_seal (ctx, nonce, ad, ad_len, in, len, out, tag)) {
    sl_crypto_set_internal_error (error, "ChaCha20-Poly1305");
    return FALSE;
  }
  return TRUE;
}

gboolean
sl_crypto_aead_open (const guint8 key[SL_AEAD_KEY_LEN],
    const guint8 nonce[SL_AEAD_NONCE_LEN], const guint8 * ad, gsize ad_len,
    const guint8 * in, gsize len, const guint8 tag[SL_AEAD_TAG_LEN],
    guint8 * out, GError ** error)
{
  g_autoptr (EVP_CIPHER_CTX) ctx = sl_crypto_aead_ctx_new (key, FALSE, error);

  if (ctx == NULL)
    return FALSE;
  if (!sl_crypto_aead_ctx_open (ctx, nonce, ad, ad_len, in, len, tag, out)) {
    OPENSSL_cleanse (out, len);
    ERR_clear_error ();
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH,
        "A message failed its integrity check.");
    return FALSE;
  }
  return TRUE;
}

/* Frees a GLib string that held the code, wiping it first. */
void
sl_crypto_free_string (char *secret)
{
  sl_crypto_free_secret_string (SL_WIPE_CODE, secret);
}

/* Frees a NUL-terminated secret (@label says which), wiping it first. */
void
sl_crypto_free_secret_string (const char *label, char *secret)
{
  gsize len;

  if (secret == NULL)
    return;
  len = strlen (secret);
  sl_crypto_wipe (label, secret, len);
  sl_crypto_secret_end (label, secret, len);
  g_free (secret);
}

/* A char * that holds the code: g_autoptr wipes it on every path. */
typedef char SlSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSecretString, sl_crypto_free_string);

char *
sl_crypto_normalise_code (const char *code, GError ** error)
{
  g_autoptr (SlSecretString) nfkc = NULL;
  g_autoptr (SlSecretString) folded = NULL;
  g_autoptr (SlSecretString) norm = NULL;
  char *out, *w;
  const char *p;
  glong chars;

  if (code == NULL || !g_utf8_validate (code, -1, NULL)) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INVALID_CODE,
        "The security code is not valid text.");
    return NULL;
  }

  /* NFKC before and after case folding: folding can produce sequences
   * that are not normalised, and both devices must get the same bytes. */
  nfkc = g_utf8_normalize (code, -1, G_NORMALIZE_NFKC);
  if (nfkc != NULL)
    folded = g_utf8_casefold (nfkc, -1);
  if (folded != NULL)
    norm = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
  if (norm == NULL) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INVALID_CODE,
        "The security code is not valid text.");
    return NULL;
  }

  /* Written in place rather than through a GString, whose reallocations
   * would leave copies of the code in freed memory. */
  out = g_malloc (strlen (norm) + 1);
  w = out;
  chars = 0;
  for (p = norm; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    const char *next = g_utf8_next_char (p);

    if (c == '-' || g_unichar_isspace (c))
      continue;
    memcpy (w, p, (gsize) (next - p));
    w += next - p;
    chars++;
  }
  *w = '\0';

  if (chars == 0) {
    sl_crypto_free_string (out);
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INVALID_CODE,
        "The security code is empty.");
    return NULL;
  }
  if (chars > SL_CODE_MAX_CHARS) {
    sl_crypto_free_string (out);
    g_set_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INVALID_CODE,
        "The security code is too long (at most %d characters).",
        SL_CODE_MAX_CHARS);
    return NULL;
  }
  return out;
}
