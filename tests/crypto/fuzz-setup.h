/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Deterministic set-ups shared by the fuzz targets (tests/fuzz/) and the
 * seed generator (make-seeds.c), so that the seed corpus holds messages
 * that are exactly right for the state the fuzzer puts a handshake in:
 * with the same random stream, the keys are the same in both programs.
 *
 * fuzz-handshake input: byte 0 picks the case (bit 0: with a code; the
 * rest, mod SL_FUZZ_N_STATES: the state), the other bytes are one message
 * for the handshake in that state.
 *
 * fuzz-record input: byte 0 picks the mode (see SlFuzzRecordMode), the
 * rest is the data for that mode.
 */

#pragma once

#include <string.h>

#include <glib.h>

#include "crypto-test-util.h"
#include "sl-crypto-private.h"

G_BEGIN_DECLS

#define SL_FUZZ_CALL_ID "0123456789abcdef0123456789abcdef"
#define SL_FUZZ_SEED "sightline fuzz v1"

typedef enum
{
  SL_FUZZ_A_INIT,               /* caller, not started */
  SL_FUZZ_A_AWAIT_REPLY,
  SL_FUZZ_A_AWAIT_CONFIRM,
  SL_FUZZ_B_AWAIT_COMMIT,
  SL_FUZZ_B_AWAIT_REVEAL,
  SL_FUZZ_A_COMPLETE,
  SL_FUZZ_B_COMPLETE,
  SL_FUZZ_N_STATES,
} SlFuzzState;

static const char *const sl_fuzz_state_names[SL_FUZZ_N_STATES] = {
  "a-init", "a-await-reply", "a-await-confirm", "b-await-commit",
  "b-await-reveal", "a-complete", "b-complete",
};

typedef struct
{
  SlTestRandom rng;
  SlHandshake *a;
  SlHandshake *b;
  SlHandshake *target;
  SlHandshake *other;
  /* The honest message the target expects next (an Alert for the states
   * that expect none). */
  GBytes *next;
} SlFuzzHandshake;

static inline void
sl_fuzz_step (SlHandshake * hs, GBytes ** msg)
{
  GBytes *reply = NULL;

  g_assert_true (sl_handshake_process (hs, *msg, &reply, NULL));
  g_bytes_unref (*msg);
  *msg = reply;
}

/* Puts a fresh pair in @state; the keys come from a fixed random stream
 * that stays installed until sl_fuzz_handshake_clear(). */
static inline void
sl_fuzz_handshake_setup (SlFuzzHandshake * fz, gboolean code,
    SlFuzzState state)
{
  guint8 w[SL_P256_SCALAR_LEN];
  GBytes *msg = NULL;

  memset (fz, 0, sizeof *fz);
  memset (w, 0x11, sizeof w);
  sl_test_random_reset (&fz->rng, SL_FUZZ_SEED);
  sl_crypto_set_test_random (sl_test_random_fill, &fz->rng);

  fz->a = sl_handshake_new_with_scalar (SL_ROLE_CALLER, SL_FUZZ_CALL_ID,
      "fuzz-a", "fuzz-b", code ? w : NULL, NULL);
  fz->b = sl_handshake_new_with_scalar (SL_ROLE_CALLEE, SL_FUZZ_CALL_ID,
      "fuzz-b", "fuzz-a", code ? w : NULL, NULL);
  g_assert_true (fz->a != NULL && fz->b != NULL);

  /* Always the honest order, so each state sees the same keys. */
  if (state != SL_FUZZ_A_INIT && state != SL_FUZZ_B_AWAIT_COMMIT) {
    msg = sl_handshake_start (fz->a, NULL);
    if (state != SL_FUZZ_A_AWAIT_REPLY)
      sl_fuzz_step (fz->b, &msg);
    if (state != SL_FUZZ_A_AWAIT_REPLY && state != SL_FUZZ_B_AWAIT_REVEAL)
      sl_fuzz_step (fz->a, &msg);
    if (state == SL_FUZZ_A_COMPLETE || state == SL_FUZZ_B_COMPLETE)
      sl_fuzz_step (fz->b, &msg);
    if (state == SL_FUZZ_A_COMPLETE || state == SL_FUZZ_B_COMPLETE)
      sl_fuzz_step (fz->a, &msg);
  }

  switch (state) {
    case SL_FUZZ_A_INIT:
    case SL_FUZZ_A_AWAIT_REPLY:
    case SL_FUZZ_A_AWAIT_CONFIRM:
    case SL_FUZZ_A_COMPLETE:
      fz->target = fz->a;
      fz->other = fz->b;
      break;
    default:
      fz->target = fz->b;
      fz->other = fz->a;
      break;
  }

  /* The honest next message: to know it, run the other side once more on
   * a throw-away basis only where it does not change the target. */
  switch (state) {
    case SL_FUZZ_B_AWAIT_COMMIT:
      fz->next = sl_handshake_start (fz->a, NULL);
      break;
    case SL_FUZZ_A_AWAIT_REPLY:
    case SL_FUZZ_A_AWAIT_CONFIRM:
    case SL_FUZZ_B_AWAIT_REVEAL:
      g_assert_true (sl_handshake_process (fz->other, msg, &fz->next, NULL));
      break;
    default:{
      SlHandshake *aborter = state == SL_FUZZ_A_INIT ? fz->b : fz->other;

      /* An Alert from a throw-away copy would do as well; the other side
       * is not needed again in these states. */
      fz->next = sl_handshake_abort (aborter, SL_CRYPTO_ERROR_AUTH);
      break;
    }
  }
  g_clear_pointer (&msg, g_bytes_unref);
  g_assert_true (fz->next != NULL);
}

static inline void
sl_fuzz_handshake_clear (SlFuzzHandshake * fz)
{
  g_clear_object (&fz->a);
  g_clear_object (&fz->b);
  g_clear_pointer (&fz->next, g_bytes_unref);
  sl_crypto_set_test_random (NULL, NULL);
}

/* Fixed traffic keys for the record fuzzer. */
typedef enum
{
  SL_FUZZ_RECORD_OPEN,          /* the data is one record */
  SL_FUZZ_RECORD_INNER,         /* seq (8) || plaintext inside a record */
  SL_FUZZ_RECORD_SEQUENCE,      /* records, each behind a u16 length */
  SL_FUZZ_RECORD_ROUND_TRIP,    /* type (1) || message, sealed then opened */
  SL_FUZZ_RECORD_N_MODES,
} SlFuzzRecordMode;

typedef struct
{
  guint8 call_id[SL_CALL_ID_LEN];
  guint8 key[SL_AEAD_KEY_LEN];
  guint8 iv[SL_AEAD_NONCE_LEN];
  guint8 dtls[SL_SHA256_LEN];
  SlSession *a;                 /* seals with key_a2b */
  SlSession *b;                 /* opens with key_a2b */
} SlFuzzRecord;

static inline void
sl_fuzz_record_setup (SlFuzzRecord * fz)
{
  guint8 key_b2a[SL_AEAD_KEY_LEN], iv_b2a[SL_AEAD_NONCE_LEN];

  memset (fz, 0, sizeof *fz);
  g_assert_true (sl_crypto_call_id_from_hex (SL_FUZZ_CALL_ID, fz->call_id));
  memset (fz->key, 0x5a, sizeof fz->key);
  memset (fz->iv, 0xa5, sizeof fz->iv);
  memset (fz->dtls, 0x3c, sizeof fz->dtls);
  memset (key_b2a, 0x77, sizeof key_b2a);
  memset (iv_b2a, 0x88, sizeof iv_b2a);
  fz->a = sl_session_new_internal (SL_ROLE_CALLER, fz->call_id, fz->key,
      fz->iv, key_b2a, iv_b2a, fz->dtls, NULL);
  fz->b = sl_session_new_internal (SL_ROLE_CALLEE, fz->call_id, key_b2a,
      iv_b2a, fz->key, fz->iv, fz->dtls, NULL);
  g_assert_true (fz->a != NULL && fz->b != NULL);
}

/* (transfer full): an authentic record around any @inner bytes, as the
 * caller's session would frame it with sequence number @seq. */
static inline GBytes *
sl_fuzz_record_raw (SlFuzzRecord * fz, guint64 seq, const guint8 * inner,
    gsize len)
{
  guint8 *out = g_malloc (10 + len + SL_AEAD_TAG_LEN);
  guint8 ad[2 + SL_CALL_ID_LEN + 8], nonce[SL_AEAD_NONCE_LEN];
  guint i;

  out[0] = SL_RECORD_VERSION;
  out[1] = SL_WIRE_RECORD_CONTROL;
  for (i = 0; i < 8; i++)
    out[2 + i] = (guint8) (seq >> (56 - 8 * i));
  ad[0] = out[0];
  ad[1] = out[1];
  memcpy (ad + 2, fz->call_id, SL_CALL_ID_LEN);
  memcpy (ad + 2 + SL_CALL_ID_LEN, out + 2, 8);
  memcpy (nonce, fz->iv, sizeof nonce);
  for (i = 0; i < 8; i++)
    nonce[4 + i] ^= out[2 + i];
  g_assert_true (sl_crypto_aead_seal (fz->key, nonce, ad, sizeof ad, inner,
          len, out + 10, out + 10 + len, NULL));
  return g_bytes_new_take (out, 10 + len + SL_AEAD_TAG_LEN);
}

static inline void
sl_fuzz_record_clear (SlFuzzRecord * fz)
{
  g_clear_object (&fz->a);
  g_clear_object (&fz->b);
}

G_END_DECLS
