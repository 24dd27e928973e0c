/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Transcript hash and key schedule of the Sightline handshake.  Each key
 * has its own HKDF label so that no two uses share key material; the
 * transcript hash is the HKDF salt, so any change to any handshake message
 * changes every key, the confirmation MACs and the SAS.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-key-schedule.h"
#include "sl-openssl.h"

#include <stddef.h>
#include <string.h>

struct _SlTranscript
{
  EVP_MD_CTX *ctx;
  gboolean finished;
};

static const char protocol_label[] = "sightline-v2";

SlTranscript *
sl_transcript_new (const guint8 call_id[SL_CALL_ID_LEN], const char *id_a,
    const char *id_b, GError ** error)
{
  g_autoptr (SlTranscript) self = g_new0 (SlTranscript, 1);

  self->ctx = EVP_MD_CTX_new ();
  if (self->ctx == NULL ||
      !EVP_DigestInit_ex2 (self->ctx, sl_crypto_sha256_md (), NULL)) {
    sl_crypto_set_internal_error (error, "transcript");
    return NULL;
  }
  if (!sl_transcript_add (self, (const guint8 *) protocol_label,
          sizeof protocol_label - 1, error) ||
      !sl_transcript_add (self, call_id, SL_CALL_ID_LEN, error) ||
      !sl_transcript_add (self, (const guint8 *) id_a, strlen (id_a), error) ||
      !sl_transcript_add (self, (const guint8 *) id_b, strlen (id_b), error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
sl_transcript_add (SlTranscript * self, const guint8 * msg, gsize len,
    GError ** error)
{
  guint8 prefix[4];

  g_return_val_if_fail (self != NULL && !self->finished, FALSE);

  if (len > G_MAXUINT32) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "A call set-up message is too long.");
    return FALSE;
  }
  prefix[0] = (guint8) (len >> 24);
  prefix[1] = (guint8) (len >> 16);
  prefix[2] = (guint8) (len >> 8);
  prefix[3] = (guint8) len;
  if (!EVP_DigestUpdate (self->ctx, prefix, sizeof prefix) ||
      (len > 0 && !EVP_DigestUpdate (self->ctx, msg, len))) {
    sl_crypto_set_internal_error (error, "transcript");
    return FALSE;
  }
  return TRUE;
}

gboolean
sl_transcript_peek (SlTranscript * self, guint8 out[SL_SHA256_LEN],
    GError ** error)
{
  g_autoptr (EVP_MD_CTX) copy = EVP_MD_CTX_new ();
  unsigned int len = 0;

  g_return_val_if_fail (self != NULL && !self->finished, FALSE);

  if (copy == NULL || !EVP_MD_CTX_copy_ex (copy, self->ctx) ||
      !EVP_DigestFinal_ex (copy, out, &len) || len != SL_SHA256_LEN) {
    sl_crypto_set_internal_error (error, "transcript");
    return FALSE;
  }
  return TRUE;
}

gboolean
sl_transcript_finish (SlTranscript * self, guint8 out[SL_SHA256_LEN],
    GError ** error)
{
  unsigned int len = 0;

  g_return_val_if_fail (self != NULL && !self->finished, FALSE);

  self->finished = TRUE;
  if (!EVP_DigestFinal_ex (self->ctx, out, &len) || len != SL_SHA256_LEN) {
    sl_crypto_set_internal_error (error, "transcript");
    return FALSE;
  }
  return TRUE;
}

void
sl_transcript_free (SlTranscript * self)
{
  if (self == NULL)
    return;
  EVP_MD_CTX_free (self->ctx);
  g_free (self);
}

static const struct
{
  const char *info;
  gsize offset;
  gsize len;
} schedule[] = {
  {"sightline-v2 key a2b", offsetof (SlKeySchedule, key_a2b), SL_AEAD_KEY_LEN},
  {"sightline-v2 iv a2b", offsetof (SlKeySchedule, iv_a2b), SL_AEAD_NONCE_LEN},
  {"sightline-v2 key b2a", offsetof (SlKeySchedule, key_b2a), SL_AEAD_KEY_LEN},
  {"sightline-v2 iv b2a", offsetof (SlKeySchedule, iv_b2a), SL_AEAD_NONCE_LEN},
  {"sightline-v2 confirm a", offsetof (SlKeySchedule, confirm_a),
      SL_SHA256_LEN},
  {"sightline-v2 confirm b", offsetof (SlKeySchedule, confirm_b),
      SL_SHA256_LEN},
  {"sightline-v2 sas", offsetof (SlKeySchedule, sas), SL_SAS_BYTES},
  {"sightline-v2 dtls binding", offsetof (SlKeySchedule, dtls_binding),
      SL_SHA256_LEN},
  {"sightline-v2 retained secret", offsetof (SlKeySchedule, retained),
      SL_SHA256_LEN},
};

gboolean
sl_key_schedule_derive (const guint8 th3[SL_SHA256_LEN], const guint8 * ikm,
    gsize ikm_len, SlKeySchedule * out, GError ** error)
{
  guint8 prk[SL_SHA256_LEN];
  SL_SECRET_LOCAL (SL_WIPE_CHAINING_KEY, prk);
  gboolean ok;
  guint i;

  ok = sl_crypto_hkdf_extract (th3, SL_SHA256_LEN, ikm, ikm_len, prk, error);
  for (i = 0; ok && i < G_N_ELEMENTS (schedule); i++)
    ok = sl_crypto_hkdf_expand (prk, sizeof prk,
        (const guint8 *) schedule[i].info, strlen (schedule[i].info),
        (guint8 *) out + schedule[i].offset, schedule[i].len, error);

  sl_crypto_wipe (SL_WIPE_CHAINING_KEY, prk, sizeof prk);
  if (!ok)
    sl_key_schedule_wipe (out);
  return ok;
}

void
sl_key_schedule_wipe (SlKeySchedule * ks)
{
  sl_crypto_wipe (SL_WIPE_TRAFFIC_KEYS, ks->key_a2b, sizeof ks->key_a2b);
  sl_crypto_wipe (SL_WIPE_TRAFFIC_KEYS, ks->iv_a2b, sizeof ks->iv_a2b);
  sl_crypto_wipe (SL_WIPE_TRAFFIC_KEYS, ks->key_b2a, sizeof ks->key_b2a);
  sl_crypto_wipe (SL_WIPE_TRAFFIC_KEYS, ks->iv_b2a, sizeof ks->iv_b2a);
  sl_crypto_wipe (SL_WIPE_CONFIRM_A, ks->confirm_a, sizeof ks->confirm_a);
  sl_crypto_wipe (SL_WIPE_CONFIRM_B, ks->confirm_b, sizeof ks->confirm_b);
  sl_crypto_wipe (SL_WIPE_SAS_BYTES, ks->sas, sizeof ks->sas);
  sl_crypto_wipe (SL_WIPE_HS_DTLS_KEY, ks->dtls_binding,
      sizeof ks->dtls_binding);
  sl_crypto_wipe (SL_WIPE_RETAINED_SECRET, ks->retained, sizeof ks->retained);
}

char *
sl_sas_format (const guint8 sas[SL_SAS_BYTES])
{
  guint64 v = 0;
  guint i;

  for (i = 0; i < SL_SAS_BYTES; i++)
    v = (v << 8) | sas[i];
  /* 2^64 mod 10^12 is tiny against 2^64: the bias is below 2^-24. */
  v %= G_GUINT64_CONSTANT (1000000000000);

  return g_strdup_printf ("%04u %04u %04u",
      (guint) (v / G_GUINT64_CONSTANT (100000000)),
      (guint) (v / 10000 % 10000), (guint) (v % 10000));
}
