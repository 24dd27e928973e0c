/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SPAKE2-P256-SHA256-HKDF-HMAC (RFC 9382) on OpenSSL 3.0's EC_POINT calls.
 *
 *   A: pA = x*G + w*M        B: pB = y*G + w*N
 *   A: K = x*(pB - w*N)      B: K = y*(pA - w*M)       (cofactor 1)
 *   TT = len(A)||A || len(B)||B || len(pA)||pA || len(pB)||pB
 *        || len(K)||K || len(w)||w      (8-byte little-endian lengths)
 *   Ke || Ka = SHA-256(TT)
 *
 * x*G and w*M are separate single-scalar multiplications: OpenSSL's
 * two-scalar EC_POINT_mul uses a wNAF that is not constant time.  Peer
 * shares must be 65-byte uncompressed encodings because EC_POINT_oct2point
 * would also accept the one-byte encoding of the point at infinity.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-spake2.h"
#include "sl-openssl.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

struct _SlSpake2
{
  gboolean is_a;
  gboolean spent;
  guint8 w[SL_P256_SCALAR_LEN];
  guint8 scalar[SL_P256_SCALAR_LEN];
  guint8 share[SL_P256_POINT_LEN];
};

/* RFC 9382 section 4, SEC1 compressed. */
static const guint8 spake2_m[33] = {
  0x02, 0x88, 0x6e, 0x2f, 0x97, 0xac, 0xe4, 0x6e, 0x55, 0xba, 0x9d, 0xd7,
  0x24, 0x25, 0x79, 0xf2, 0x99, 0x3b, 0x64, 0xe1, 0x6e, 0xf3, 0xdc, 0xab,
  0x95, 0xaf, 0xd4, 0x97, 0x33, 0x3d, 0x8f, 0xa1, 0x2f,
};

static const guint8 spake2_n[33] = {
  0x03, 0xd8, 0xbb, 0xd6, 0xc6, 0x39, 0xc6, 0x29, 0x37, 0xb0, 0x4d, 0x99,
  0x7f, 0x38, 0xc3, 0x77, 0x07, 0x19, 0xc6, 0x29, 0xd7, 0x01, 0x4d, 0x49,
  0xa2, 0x4b, 0x4f, 0x98, 0xba, 0xa1, 0x29, 0x2b, 0x49,
};

static const char code_salt_label[] = "sightline-v1 code";

typedef struct
{
  EC_GROUP *group;
  EC_POINT *m;
  EC_POINT *n;
} Curve;

/* The group and the two constants never change and OpenSSL only reads
 * them during arithmetic, so one copy serves every thread. */
static gpointer
curve_init (gpointer data)
{
  static Curve curve;

  curve.group = EC_GROUP_new_by_curve_name (NID_X9_62_prime256v1);
  if (curve.group == NULL)
    return NULL;
  curve.m = EC_POINT_new (curve.group);
  curve.n = EC_POINT_new (curve.group);
  if (curve.m == NULL || curve.n == NULL ||
      !EC_POINT_oct2point (curve.group, curve.m, spake2_m, sizeof spake2_m,
          NULL) ||
      !EC_POINT_oct2point (curve.group, curve.n, spake2_n, sizeof spake2_n,
          NULL)) {
    ERR_clear_error ();
    return NULL;
  }
  return &curve;
}

static const Curve *
curve_get (GError ** error)
{
  static GOnce once = G_ONCE_INIT;
  const Curve *curve = g_once (&once, curve_init, NULL);

  if (curve == NULL)
    sl_crypto_set_internal_error (error, "P-256 set-up");
  return curve;
}

/* A BIGNUM for a secret scalar, marked for constant-time arithmetic. */
static BIGNUM *
secret_bn (const guint8 * bytes, gsize len)
{
  BIGNUM *bn = BN_secure_new ();

  if (bn == NULL)
    return NULL;
  BN_set_flags (bn, BN_FLG_CONSTTIME);
  if (BN_bin2bn (bytes, (int) len, bn) == NULL) {
    BN_clear_free (bn);
    return NULL;
  }
  return bn;
}

/* Reduces @len big-endian bytes modulo the group order into @out.  With 48
 * input bytes the bias is about 2^-128. */
static gboolean
reduce_mod_order (const Curve * curve, const guint8 * in, gsize len,
    guint8 out[SL_P256_SCALAR_LEN])
{
  g_autoptr (BN_CTX) bn_ctx = BN_CTX_secure_new ();
  g_autoptr (BIGNUM) wide = secret_bn (in, len);
  g_autoptr (BIGNUM) reduced = BN_secure_new ();

  if (bn_ctx == NULL || wide == NULL || reduced == NULL)
    return FALSE;
  BN_set_flags (reduced, BN_FLG_CONSTTIME);
  return BN_mod (reduced, wide, EC_GROUP_get0_order (curve->group), bn_ctx) &&
      BN_bn2binpad (reduced, out, SL_P256_SCALAR_LEN) == SL_P256_SCALAR_LEN;
}

gboolean
sl_crypto_password_scalar (const char *code,
    const guint8 call_id[SL_CALL_ID_LEN], guint8 w[SL_P256_SCALAR_LEN],
    GError ** error)
{
  const Curve *curve = curve_get (error);
  char *norm;
  guint8 salt[sizeof code_salt_label - 1 + SL_CALL_ID_LEN];
  guint8 hash[48];
  SL_SECRET_LOCAL (SL_WIPE_PASSWORD_HASH, hash);
  gboolean ok;

  if (curve == NULL)
    return FALSE;
  norm = sl_crypto_normalise_code (code, error);
  if (norm == NULL)
    return FALSE;

  memcpy (salt, code_salt_label, sizeof code_salt_label - 1);
  memcpy (salt + sizeof code_salt_label - 1, call_id, SL_CALL_ID_LEN);

  ok = sl_crypto_scrypt ((const guint8 *) norm, strlen (norm), salt,
      sizeof salt, SL_SCRYPT_N, SL_SCRYPT_R, SL_SCRYPT_P, hash, sizeof hash,
      error);
  sl_crypto_free_string (norm);
  if (ok && !reduce_mod_order (curve, hash, sizeof hash, w)) {
    OPENSSL_cleanse (w, SL_P256_SCALAR_LEN);
    sl_crypto_set_internal_error (error, "password scalar");
    ok = FALSE;
  }
  sl_crypto_wipe (SL_WIPE_PASSWORD_HASH, hash, sizeof hash);
  return ok;
}

/* Decodes a peer share: exactly 0x04 || x || y, on the curve, not the
 * point at infinity. */
static EC_POINT *
decode_share (const Curve * curve, const guint8 * enc, gsize len,
    BN_CTX * bn_ctx)
{
  g_autoptr (EC_POINT) point = NULL;

  if (enc == NULL || len != SL_P256_POINT_LEN || enc[0] != 0x04)
    return NULL;
  point = EC_POINT_new (curve->group);
  if (point == NULL ||
      !EC_POINT_oct2point (curve->group, point, enc, len, bn_ctx) ||
      EC_POINT_is_at_infinity (curve->group, point) ||
      EC_POINT_is_on_curve (curve->group, point, bn_ctx) != 1) {
    ERR_clear_error ();
    return NULL;
  }
  return g_steal_pointer (&point);
}

gboolean
sl_spake2_point_is_valid (const guint8 * enc, gsize len)
{
  g_autoptr (GError) local_error = NULL;
  const Curve *curve = curve_get (&local_error);
  g_autoptr (EC_POINT) point = NULL;

  if (curve == NULL)
    return FALSE;
  point = decode_share (curve, enc, len, NULL);
  return point != NULL;
}

static gboolean
encode_point (const Curve * curve, const EC_POINT * point,
    guint8 out[SL_P256_POINT_LEN], BN_CTX * bn_ctx)
{
  return EC_POINT_point2oct (curve->group, point,
      POINT_CONVERSION_UNCOMPRESSED, out, SL_P256_POINT_LEN, bn_ctx) ==
      SL_P256_POINT_LEN;
}

static gboolean
compute_share (SlSpake2 * self, const Curve * curve)
{
  g_autoptr (BN_CTX) bn_ctx = BN_CTX_secure_new ();
  g_autoptr (BIGNUM) scalar = secret_bn (self->scalar, sizeof self->scalar);
  g_autoptr (BIGNUM) w = secret_bn (self->w, sizeof self->w);
  g_autoptr (EC_POINT) share = EC_POINT_new (curve->group);
  g_autoptr (EC_POINT) mask = EC_POINT_new (curve->group);

  return bn_ctx != NULL && scalar != NULL && w != NULL && share != NULL &&
      mask != NULL &&
      EC_POINT_mul (curve->group, share, scalar, NULL, NULL, bn_ctx) &&
      EC_POINT_mul (curve->group, mask, NULL, self->is_a ? curve->m : curve->n,
      w, bn_ctx) &&
      EC_POINT_add (curve->group, share, share, mask, bn_ctx) &&
      encode_point (curve, share, self->share, bn_ctx);
}

static void
spake2_wipe (SlSpake2 * self)
{
  sl_crypto_wipe (SL_WIPE_SPAKE2_W, self->w, sizeof self->w);
  sl_crypto_wipe (SL_WIPE_SPAKE2_SCALAR, self->scalar, sizeof self->scalar);
  self->spent = TRUE;
}

SlSpake2 *
sl_spake2_new (gboolean is_a, const guint8 w[SL_P256_SCALAR_LEN],
    const guint8 * scalar, GError ** error)
{
  const Curve *curve = curve_get (error);
  g_autoptr (SlSpake2) self = NULL;

  g_return_val_if_fail (w != NULL, NULL);

  if (curve == NULL)
    return NULL;

  self = g_new0 (SlSpake2, 1);
  self->is_a = is_a;
  memcpy (self->w, w, sizeof self->w);

  if (scalar != NULL) {
    memcpy (self->scalar, scalar, sizeof self->scalar);
  } else {
    guint8 wide[48];
    SL_SECRET_LOCAL (SL_WIPE_SPAKE2_SCALAR, wide);
    gboolean ok;

    if (!sl_crypto_random (wide, sizeof wide, error))
      return NULL;
    ok = reduce_mod_order (curve, wide, sizeof wide, self->scalar);
    sl_crypto_wipe (SL_WIPE_SPAKE2_SCALAR, wide, sizeof wide);
    if (!ok) {
      sl_crypto_set_internal_error (error, "SPAKE2 scalar");
      return NULL;
    }
  }

  if (!compute_share (self, curve)) {
    sl_crypto_set_internal_error (error, "SPAKE2 share");
    return NULL;
  }
  return g_steal_pointer (&self);
}

const guint8 *
sl_spake2_get_share (SlSpake2 * self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->share;
}

static guint8 *
put_le64_field (guint8 * p, const guint8 * data, gsize len)
{
  guint64 n = len;
  guint i;

  for (i = 0; i < 8; i++)
    *p++ = (guint8) (n >> (8 * i));
  if (len > 0)
    memcpy (p, data, len);
  return p + len;
}

/* Computes K; FALSE with MALFORMED for an invalid peer share or K at
 * infinity (a peer that knows w can force it; nobody else can). */
static gboolean
compute_k (SlSpake2 * self, const Curve * curve, const guint8 * peer,
    gsize peer_len, guint8 k_enc[SL_P256_POINT_LEN], GError ** error)
{
  g_autoptr (BN_CTX) bn_ctx = BN_CTX_secure_new ();
  g_autoptr (BIGNUM) scalar = secret_bn (self->scalar, sizeof self->scalar);
  g_autoptr (BIGNUM) w = secret_bn (self->w, sizeof self->w);
  g_autoptr (EC_POINT) peer_point = NULL;
  g_autoptr (EC_POINT) mask = EC_POINT_new (curve->group);
  g_autoptr (EC_POINT) k = EC_POINT_new (curve->group);

  if (bn_ctx == NULL || scalar == NULL || w == NULL || mask == NULL ||
      k == NULL) {
    sl_crypto_set_internal_error (error, "SPAKE2");
    return FALSE;
  }

  peer_point = decode_share (curve, peer, peer_len, bn_ctx);
  if (peer_point == NULL) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "The other device sent an invalid security-code share.");
    return FALSE;
  }

  /* peer - w*(peer's constant), then times our scalar. */
  if (!EC_POINT_mul (curve->group, mask, NULL,
          self->is_a ? curve->n : curve->m, w, bn_ctx) ||
      !EC_POINT_invert (curve->group, mask, bn_ctx) ||
      !EC_POINT_add (curve->group, peer_point, peer_point, mask, bn_ctx)) {
    sl_crypto_set_internal_error (error, "SPAKE2");
    return FALSE;
  }
  if (EC_POINT_is_at_infinity (curve->group, peer_point)) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "The other device sent an invalid security-code share.");
    return FALSE;
  }
  if (!EC_POINT_mul (curve->group, k, NULL, peer_point, scalar, bn_ctx)) {
    sl_crypto_set_internal_error (error, "SPAKE2");
    return FALSE;
  }
  if (EC_POINT_is_at_infinity (curve->group, k)) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "The other device sent an invalid security-code share.");
    return FALSE;
  }
  if (!encode_point (curve, k, k_enc, bn_ctx)) {
    sl_crypto_set_internal_error (error, "SPAKE2");
    return FALSE;
  }
  return TRUE;
}

gboolean
sl_spake2_finish (SlSpake2 * self, const char *id_a, const char *id_b,
    const guint8 * peer_share, gsize peer_share_len,
    guint8 hash_tt[SL_SHA256_LEN], guint8 * k_out, GByteArray * tt_out,
    GError ** error)
{
  const Curve *curve;
  guint8 k[SL_P256_POINT_LEN];
  SL_SECRET_LOCAL (SL_WIPE_SPAKE2_K, k);
  const guint8 *pa, *pb;
  gsize id_a_len, id_b_len, tt_len;
  guint8 *tt, *p;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (id_a != NULL && id_b != NULL, FALSE);

  if (self->spent) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INTERNAL,
        "The security-code exchange was already used.");
    return FALSE;
  }
  curve = curve_get (error);
  if (curve == NULL || !compute_k (self, curve, peer_share, peer_share_len, k,
          error)) {
    sl_crypto_wipe (SL_WIPE_SPAKE2_K, k, sizeof k);
    spake2_wipe (self);
    return FALSE;
  }

  pa = self->is_a ? self->share : peer_share;
  pb = self->is_a ? peer_share : self->share;
  id_a_len = strlen (id_a);
  id_b_len = strlen (id_b);
  tt_len = 6 * 8 + id_a_len + id_b_len + 3 * SL_P256_POINT_LEN +
      SL_P256_SCALAR_LEN;

  /* Exact size, no reallocation: TT holds K and w. */
  tt = g_malloc (tt_len);
  p = put_le64_field (tt, (const guint8 *) id_a, id_a_len);
  p = put_le64_field (p, (const guint8 *) id_b, id_b_len);
  p = put_le64_field (p, pa, SL_P256_POINT_LEN);
  p = put_le64_field (p, pb, SL_P256_POINT_LEN);
  p = put_le64_field (p, k, SL_P256_POINT_LEN);
  p = put_le64_field (p, self->w, SL_P256_SCALAR_LEN);
  g_assert ((gsize) (p - tt) == tt_len);

  ok = sl_crypto_sha256 (tt, tt_len, hash_tt, error);
  if (ok && k_out != NULL)
    memcpy (k_out, k, sizeof k);
  if (ok && tt_out != NULL)
    g_byte_array_append (tt_out, tt, (guint) tt_len);

  sl_crypto_wipe (SL_WIPE_SPAKE2_TT, tt, tt_len);
  sl_crypto_secret_end (SL_WIPE_SPAKE2_TT, tt, tt_len);
  g_free (tt);
  sl_crypto_wipe (SL_WIPE_SPAKE2_K, k, sizeof k);
  spake2_wipe (self);
  return ok;
}

void
sl_spake2_free (SlSpake2 * self)
{
  if (self == NULL)
    return;
  spake2_wipe (self);
  sl_crypto_secret_end (SL_WIPE_SPAKE2_W, self->w, sizeof self->w);
  sl_crypto_secret_end (SL_WIPE_SPAKE2_SCALAR, self->scalar,
      sizeof self->scalar);
  g_free (self);
}
