/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Key continuity inside one handshake (docs/SECURITY.md, "Key
 * continuity"): private to the crypto module.  The handshake embeds one
 * SlHsContinuity; these functions never see the rest of it.
 */

#pragma once

#include <glib.h>

#include "sl-crypto-private.h"
#include "sl-continuity-store.h"

G_BEGIN_DECLS

/* Two continuity proofs, one per retained-secret slot (rs1, rs2). */
#define SL_HS_PROOFS_LEN (2 * SL_SHA256_LEN)

typedef struct
{
  SlContinuityStore *store;
  guint8 own_cert[SL_CERT_HASH_LEN];
  guint8 peer_cert[SL_CERT_HASH_LEN];
  SlRetainedSecrets secrets;    /* ours for the peer, until the keys exist */
  SlContinuity result;
  guint8 h_commit[SL_SHA256_LEN];       /* transcript hash after the Commit */
  guint8 h_reply[SL_SHA256_LEN];        /* ... and after the Reply */
  SlContinuityUpdate *update;
#ifdef SL_TEST_HOOKS
  gboolean forced_proofs;
  guint8 proofs[SL_HS_PROOFS_LEN];
#endif
} SlHsContinuity;

/* Takes a reference to @store (nullable); @own_cert NULL means zeros. */
void     sl_hs_continuity_set    (SlHsContinuity    *c,
                                  SlContinuityStore *store,
                                  const guint8      *own_cert);

/* Looks up our secrets for @peer_id under @peer_cert and writes our
 * proofs of them over @h: HMAC-SHA256(rs, "sightline-v2 rs-id " role ||
 * @h) per slot, random bytes for an empty slot, so that nobody on the path
 * learns how many secrets a device holds. */
gboolean sl_hs_continuity_prove  (SlHsContinuity    *c,
                                  gboolean           caller,
                                  const char        *peer_id,
                                  const guint8      *peer_cert,
                                  const guint8       h[SL_SHA256_LEN],
                                  guint8            *out,
                                  GError           **error);

/* Checks the peer's proofs (over @peer_h) against our secrets: *@out_rs
 * points to the secret both hold, or is NULL.  Both sides find the same
 * pair: the first match in the order (caller's slot, callee's slot) =
 * (1,1), (1,2), (2,1), (2,2). */
gboolean sl_hs_continuity_match  (SlHsContinuity    *c,
                                  gboolean           caller,
                                  const guint8      *peer_proofs,
                                  const guint8       peer_h[SL_SHA256_LEN],
                                  const guint8     **out_rs,
                                  GError           **error);

/* With a store: keeps this call's new retained secret for the peer. */
void     sl_hs_continuity_finish (SlHsContinuity    *c,
                                  const char        *peer_id,
                                  const guint8       retained[SL_RETAINED_SECRET_LEN]);

/* Wipes the secrets and the update. */
void     sl_hs_continuity_wipe   (SlHsContinuity    *c);

/* Wipes, and drops the store. */
void     sl_hs_continuity_clear  (SlHsContinuity    *c);

G_END_DECLS
