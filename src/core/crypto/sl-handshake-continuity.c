/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Key continuity inside one handshake, after ZRTP's retained secrets (RFC
 * 6189 sections 4.3 and 4.9): each side proves the secrets it kept from
 * the last verified call with the peer, bound to this call's transcript,
 * and the secret both sides hold is mixed into the key schedule.  A proof
 * tells nothing about the secret (HMAC), cannot be replayed into another
 * call (it covers the transcript, which holds the call id and fresh key
 * material), and a relay that forwards a device's proofs without holding
 * the secret ends up with keys that differ from the device's.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-handshake-continuity.h"

#include <string.h>

static const char proof_caller[] = "sightline-v2 rs-id caller";
static const char proof_callee[] = "sightline-v2 rs-id callee";

void
sl_hs_continuity_set (SlHsContinuity * c, SlContinuityStore * store,
    const guint8 * own_cert)
{
  g_set_object (&c->store, store);
  if (own_cert != NULL)
    memcpy (c->own_cert, own_cert, SL_CERT_HASH_LEN);
  else
    memset (c->own_cert, 0, SL_CERT_HASH_LEN);
}

static gboolean
proof (const guint8 rs[SL_RETAINED_SECRET_LEN], gboolean from_caller,
    const guint8 h[SL_SHA256_LEN], guint8 out[SL_SHA256_LEN], GError ** error)
{
  guint8 buf[sizeof proof_caller - 1 + SL_SHA256_LEN];
  const char *label = from_caller ? proof_caller : proof_callee;

  G_STATIC_ASSERT (sizeof proof_caller == sizeof proof_callee);
  memcpy (buf, label, sizeof proof_caller - 1);
  memcpy (buf + sizeof proof_caller - 1, h, SL_SHA256_LEN);
  return sl_crypto_hmac_sha256 (rs, SL_RETAINED_SECRET_LEN, buf, sizeof buf,
      out, error);
}

static gboolean
proofs (const SlRetainedSecrets * own, gboolean from_caller,
    const guint8 h[SL_SHA256_LEN], guint8 * out, GError ** error)
{
  guint k;

  for (k = 0; k < 2; k++) {
    guint8 *slot = out + k * SL_SHA256_LEN;

    if (k < own->n) {
      if (!proof (own->rs[k], from_caller, h, slot, error))
        return FALSE;
    } else if (!sl_crypto_random (slot, SL_SHA256_LEN, error)) {
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
match_proofs (const SlRetainedSecrets * own, gboolean own_is_caller,
    const guint8 * peer_proofs, const guint8 peer_h[SL_SHA256_LEN],
    gint * out_index, GError ** error)
{
  gboolean match[2][2] = { {FALSE, FALSE}, {FALSE, FALSE} };
  guint k, l, i, j;

  *out_index = -1;
  /* Every comparison is made, in constant time, whatever matches. */
  for (k = 0; k < own->n; k++) {
    guint8 expected[SL_SHA256_LEN];

    if (!proof (own->rs[k], !own_is_caller, peer_h, expected, error))
      return FALSE;
    for (l = 0; l < 2; l++)
      match[k][l] = sl_crypto_equal (expected, peer_proofs + l * SL_SHA256_LEN,
          SL_SHA256_LEN);
  }
  for (i = 0; i < 2 && *out_index < 0; i++) {
    for (j = 0; j < 2 && *out_index < 0; j++) {
      k = own_is_caller ? i : j;
      l = own_is_caller ? j : i;
      if (match[k][l])
        *out_index = (gint) k;
    }
  }
  return TRUE;
}

gboolean
sl_hs_continuity_prove (SlHsContinuity * c, gboolean caller,
    const char *peer_id, const guint8 * peer_cert,
    const guint8 h[SL_SHA256_LEN], guint8 * out, GError ** error)
{
  gboolean cert_changed = FALSE;

  memcpy (c->peer_cert, peer_cert, SL_CERT_HASH_LEN);
  if (c->store != NULL)
    sl_continuity_store_lookup (c->store, peer_id, peer_cert, &c->secrets,
        &cert_changed);
  /* Until the peer's proofs say otherwise. */
  if (c->secrets.n > 0)
    c->result = SL_CONTINUITY_MISMATCH;
  else if (cert_changed)
    c->result = SL_CONTINUITY_CERT_CHANGED;
  else
    c->result = SL_CONTINUITY_NONE;
#ifdef SL_TEST_HOOKS
  if (c->forced_proofs) {
    memcpy (out, c->proofs, SL_HS_PROOFS_LEN);
    return TRUE;
  }
#endif
  return proofs (&c->secrets, caller, h, out, error);
}

gboolean
sl_hs_continuity_match (SlHsContinuity * c, gboolean caller,
    const guint8 * peer_proofs, const guint8 peer_h[SL_SHA256_LEN],
    const guint8 ** out_rs, GError ** error)
{
  gint index = -1;

  *out_rs = NULL;
  if (!match_proofs (&c->secrets, caller, peer_proofs, peer_h, &index, error))
    return FALSE;
  if (index >= 0) {
    c->result = SL_CONTINUITY_MATCH;
    *out_rs = c->secrets.rs[index];
  }
  return TRUE;
}

void
sl_hs_continuity_finish (SlHsContinuity * c, const char *peer_id,
    const guint8 retained[SL_RETAINED_SECRET_LEN])
{
  if (c->store == NULL)
    return;
  g_clear_pointer (&c->update, sl_continuity_update_free);
  c->update = sl_continuity_update_new (peer_id, c->peer_cert, retained);
}

void
sl_hs_continuity_wipe (SlHsContinuity * c)
{
  sl_retained_secrets_clear (&c->secrets);
  g_clear_pointer (&c->update, sl_continuity_update_free);
}

void
sl_hs_continuity_clear (SlHsContinuity * c)
{
  sl_hs_continuity_wipe (c);
  g_clear_object (&c->store);
}
