/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The handshake's running transcript hash and its key schedule, internal to
 * the crypto module (docs/SECURITY.md lists every label).
 */

#pragma once

#include <glib.h>

#include "sl-crypto-private.h"

G_BEGIN_DECLS

#define SL_SAS_BYTES 8

/* Everything HKDF-Expand makes from the chaining key. */
typedef struct
{
  guint8 key_a2b[SL_AEAD_KEY_LEN];
  guint8 iv_a2b[SL_AEAD_NONCE_LEN];
  guint8 key_b2a[SL_AEAD_KEY_LEN];
  guint8 iv_b2a[SL_AEAD_NONCE_LEN];
  guint8 confirm_a[SL_SHA256_LEN];
  guint8 confirm_b[SL_SHA256_LEN];
  guint8 sas[SL_SAS_BYTES];
  guint8 dtls_binding[SL_SHA256_LEN];
  guint8 retained[SL_SHA256_LEN];
} SlKeySchedule;

typedef struct _SlTranscript SlTranscript;

/* (transfer full): a transcript that has absorbed the prologue
 * len||"sightline-v2" len||call_id len||id_a len||id_b (u32 lengths). */
SlTranscript * sl_transcript_new    (const guint8  call_id[SL_CALL_ID_LEN],
                                     const char   *id_a,
                                     const char   *id_b,
                                     GError      **error);

/* Absorbs u32 length || @msg. */
gboolean       sl_transcript_add    (SlTranscript *self,
                                     const guint8 *msg,
                                     gsize         len,
                                     GError      **error);

/* Writes the hash of what was absorbed so far and goes on. */
gboolean       sl_transcript_peek   (SlTranscript *self,
                                     guint8        out[SL_SHA256_LEN],
                                     GError      **error);

/* Writes the hash so far; the transcript accepts nothing afterwards. */
gboolean       sl_transcript_finish (SlTranscript *self,
                                     guint8        out[SL_SHA256_LEN],
                                     GError      **error);

void           sl_transcript_free   (SlTranscript *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlTranscript, sl_transcript_free)

/* prk = HKDF-Extract(salt = @th3, @ikm), then each key with
 * HKDF-Expand(prk, "sightline-v2 " label).  prk is wiped before this
 * returns; on failure so is @out. */
gboolean       sl_key_schedule_derive (const guint8   th3[SL_SHA256_LEN],
                                       const guint8  *ikm,
                                       gsize          ikm_len,
                                       SlKeySchedule *out,
                                       GError       **error);

/* Wipes every field, each under its own label. */
void           sl_key_schedule_wipe   (SlKeySchedule *ks);

/* (transfer full): "0427 9931 1185": the SAS bytes as a big-endian u64
 * mod 10^12 in three zero-padded groups. */
char *         sl_sas_format          (const guint8 sas[SL_SAS_BYTES]);

G_END_DECLS
