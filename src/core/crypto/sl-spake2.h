/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SPAKE2 on P-256 with SHA-256 (RFC 9382, M and N from its section 4),
 * internal to the crypto module.  Not a GObject: one short-lived state per
 * handshake, freed (and wiped) as soon as the shared key exists.
 */

#pragma once

#include <glib.h>

#include "sl-crypto-private.h"

G_BEGIN_DECLS

typedef struct _SlSpake2 SlSpake2;

/* The password scalar w: scrypt (N = 2^14, r = 8, p = 1) of the normalised
 * @code, salted with "sightline-v1 code" || @call_id, 48 bytes reduced mod
 * the P-256 group order, written big-endian to @w. */
gboolean   sl_crypto_password_scalar (const char   *code,
                                      const guint8  call_id[SL_CALL_ID_LEN],
                                      guint8        w[SL_P256_SCALAR_LEN],
                                      GError      **error);

/* (transfer full): party A (@is_a) or B with password scalar @w (copied).
 * @scalar is the ephemeral x or y for known-answer tests; NULL draws it
 * from the CSPRNG.  Computes the own share (pA or pB) at once. */
SlSpake2 * sl_spake2_new             (gboolean      is_a,
                                      const guint8  w[SL_P256_SCALAR_LEN],
                                      const guint8 *scalar,
                                      GError      **error);

/* The own share, 65 bytes uncompressed (0x04 || x || y). */
const guint8 * sl_spake2_get_share   (SlSpake2     *self);

/* Checks the peer's share (exactly 65 bytes, uncompressed, on the curve,
 * not the point at infinity: else SL_CRYPTO_ERROR_MALFORMED), computes K
 * (refusing infinity), the transcript TT with identities @id_a and @id_b,
 * and writes Hash(TT) = Ke || Ka to @hash_tt.  @k_out and @tt_out (nullable)
 * receive copies of K and TT for known-answer tests.  Wipes the scalars, w,
 * K and TT before returning, on success and failure: the state is spent. */
gboolean   sl_spake2_finish          (SlSpake2     *self,
                                      const char   *id_a,
                                      const char   *id_b,
                                      const guint8 *peer_share,
                                      gsize         peer_share_len,
                                      guint8        hash_tt[SL_SHA256_LEN],
                                      guint8       *k_out,
                                      GByteArray   *tt_out,
                                      GError      **error);

/* Wipes and frees; NULL is allowed. */
void       sl_spake2_free            (SlSpake2     *self);

/* TRUE if @enc is a valid share encoding (see sl_spake2_finish()). */
gboolean   sl_spake2_point_is_valid  (const guint8 *enc,
                                      gsize         len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSpake2, sl_spake2_free)

G_END_DECLS
