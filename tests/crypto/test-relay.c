/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A hostile relay (the signalling server, or anyone on its path) that runs
 * its own handshakes towards both devices and swaps every key and SPAKE2
 * share for its own: without a code the two SAS differ in every one of
 * 1,000 trials; with a code and a wrong guess both devices fail every time.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "crypto-test-util.h"
#include "handshake-test-util.h"
#include "sl-spake2.h"

#define RELAY_TRIALS 1000

static guint8 w_true[32];
static guint8 w_guess[32];

/* A man in the middle with its own handshakes towards A (as B) and towards
 * B (as A), same ids and call id, its own keys and code guess. */
typedef struct
{
  SlHandshake *a, *b, *ra, *rb;
  GError *err_a, *err_b;
} Relay;

static void
relay_run (Relay * r, gboolean forge_confirm)
{
  g_autoptr (GBytes) commit_a = sl_handshake_start (r->a, NULL);
  g_autoptr (GBytes) commit_r = sl_handshake_start (r->rb, NULL);
  g_autoptr (GBytes) reply_r = NULL;
  g_autoptr (GBytes) reply_b = NULL;
  g_autoptr (GBytes) reveal_a = NULL;
  g_autoptr (GBytes) reveal_r = NULL;
  g_autoptr (GBytes) to_a = NULL;
  g_autoptr (GBytes) to_rb = NULL;
  g_autoptr (GBytes) none = NULL;

  g_assert_true (sl_handshake_process (r->ra, commit_a, &reply_r, NULL));
  g_assert_true (sl_handshake_process (r->b, commit_r, &reply_b, NULL));
  g_assert_true (sl_handshake_process (r->a, reply_r, &reveal_a, NULL));
  g_assert_true (sl_handshake_process (r->rb, reply_b, &reveal_r, NULL));

  /* Towards A: the relay's answer to A's Reveal, or a forged Confirm. */
  if (!sl_handshake_process (r->ra, reveal_a, &to_a, NULL) && forge_confirm) {
    guint8 forged[2 + SL_CALL_ID_LEN + 32];

    g_clear_pointer (&to_a, g_bytes_unref);
    forged[0] = SL_HANDSHAKE_VERSION;
    forged[1] = SL_WIRE_HS_CONFIRM;
    g_assert_true (sl_crypto_call_id_from_hex (SL_TEST_CALL_ID, forged + 2));
    g_assert_true (sl_crypto_random (forged + 18, 32, NULL));
    to_a = g_bytes_new (forged, sizeof forged);
  }
  sl_handshake_process (r->a, to_a, &none, &r->err_a);
  g_clear_pointer (&none, g_bytes_unref);

  /* Towards B: the relay's Reveal; B's answer goes back to the relay. */
  if (sl_handshake_process (r->b, reveal_r, &to_rb, &r->err_b))
    g_assert_true (sl_handshake_process (r->rb, to_rb, &none, NULL));
}

static void
relay_init (Relay * r, const char *call_id, const guint8 * w_ab,
    const guint8 * w_relay)
{
  memset (r, 0, sizeof *r);
  r->a = sl_test_handshake (SL_ROLE_CALLER, call_id, w_ab);
  r->b = sl_test_handshake (SL_ROLE_CALLEE, call_id, w_ab);
  r->ra = sl_test_handshake (SL_ROLE_CALLEE, call_id, w_relay);
  r->rb = sl_test_handshake (SL_ROLE_CALLER, call_id, w_relay);
}

static void
relay_clear (Relay * r)
{
  g_clear_object (&r->a);
  g_clear_object (&r->b);
  g_clear_object (&r->ra);
  g_clear_object (&r->rb);
  g_clear_error (&r->err_a);
  g_clear_error (&r->err_b);
}

/* Without a code the relay completes both handshakes, but the two SAS
 * never match. */
static void
test_relay_no_code (void)
{
  guint i;

  for (i = 0; i < RELAY_TRIALS; i++) {
    g_autofree char *call_id = sl_crypto_call_id_new ();
    Relay r;

    relay_init (&r, call_id, NULL, NULL);
    relay_run (&r, FALSE);
    g_assert_no_error (r.err_a);
    g_assert_no_error (r.err_b);
    g_assert_true (sl_handshake_is_complete (r.a));
    g_assert_true (sl_handshake_is_complete (r.b));
    g_assert_cmpstr (sl_handshake_get_sas (r.a), ==,
        sl_handshake_get_sas (r.ra));
    g_assert_cmpstr (sl_handshake_get_sas (r.b), ==,
        sl_handshake_get_sas (r.rb));
    if (g_strcmp0 (sl_handshake_get_sas (r.a), sl_handshake_get_sas (r.b)) == 0)
      g_error ("trial %u: the relay matched the SAS %s", i,
          sl_handshake_get_sas (r.a));
    relay_clear (&r);
  }
}

/* With a code and a wrong guess, both honest sides fail every time,
 * whether the relay forwards its Alert or forges a Confirm. */
static void
test_relay_with_code (void)
{
  guint i;

  for (i = 0; i < RELAY_TRIALS; i++) {
    Relay r;

    relay_init (&r, SL_TEST_CALL_ID, w_true, w_guess);
    relay_run (&r, i % 2 == 1);
    g_assert_error (r.err_a, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
    g_assert_error (r.err_b, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
    g_assert_false (sl_handshake_is_complete (r.a));
    g_assert_false (sl_handshake_is_complete (r.b));
    relay_clear (&r);
  }
}

/* The same through the public constructor (real password hashing), and
 * the one case a relay can win: guessing the code.  Even then the SAS
 * differ, so users who compare it still notice. */
static void
test_relay_with_real_codes (void)
{
  const char *guesses[] = { "0000", "1234", "9876" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (guesses); i++) {
    g_autofree char *call_id = sl_crypto_call_id_new ();
    gboolean right = i == 2;
    Relay r;

    memset (&r, 0, sizeof r);
    r.a = sl_handshake_new (SL_ROLE_CALLER, call_id, SL_TEST_ID_A,
        SL_TEST_ID_B, "9876", NULL);
    r.b = sl_handshake_new (SL_ROLE_CALLEE, call_id, SL_TEST_ID_B,
        SL_TEST_ID_A, "98-76", NULL);
    r.ra = sl_handshake_new (SL_ROLE_CALLEE, call_id, SL_TEST_ID_B,
        SL_TEST_ID_A, guesses[i], NULL);
    r.rb = sl_handshake_new (SL_ROLE_CALLER, call_id, SL_TEST_ID_A,
        SL_TEST_ID_B, guesses[i], NULL);
    relay_run (&r, FALSE);
    if (right) {
      g_assert_no_error (r.err_a);
      g_assert_no_error (r.err_b);
      g_assert_cmpstr (sl_handshake_get_sas (r.a), !=,
          sl_handshake_get_sas (r.b));
    } else {
      g_assert_error (r.err_a, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
      g_assert_error (r.err_b, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
    }
    relay_clear (&r);
  }
}

int
main (int argc, char **argv)
{
  guint8 id[SL_CALL_ID_LEN];

  g_test_init (&argc, &argv, NULL);

  /* Precomputed password scalars (the slow hash once, not per trial). */
  g_assert_true (sl_crypto_call_id_from_hex (SL_TEST_CALL_ID, id));
  g_assert_true (sl_crypto_password_scalar ("4711-0815", id, w_true, NULL));
  g_assert_true (sl_crypto_password_scalar ("0000-0000", id, w_guess, NULL));

  g_test_add_func ("/relay/no-code", test_relay_no_code);
  g_test_add_func ("/relay/with-code", test_relay_with_code);
  g_test_add_func ("/relay/real-codes", test_relay_with_real_codes);

  return g_test_run ();
}
