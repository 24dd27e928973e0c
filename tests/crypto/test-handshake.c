/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The handshake between caller A and callee B: agreement with and without
 * a code, wrong codes, every single-bit flip and truncation of every
 * message, invalid points, out-of-order and cross-call messages, Alerts.
 * The hostile relay is in test-relay.c.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gio/gio.h>

#include "crypto-test-util.h"
#include "handshake-test-util.h"
#include "sl-key-schedule.h"
#include "sl-spake2.h"

static guint8 w_true[32];

static void
assert_sas_format (const char *sas)
{
  guint i;

  g_assert_nonnull (sas);
  g_assert_cmpuint (strlen (sas), ==, 14);
  for (i = 0; i < 14; i++) {
    if (i == 4 || i == 9)
      g_assert_cmpint (sas[i], ==, ' ');
    else
      g_assert_true (g_ascii_isdigit (sas[i]));
  }
}

/* Both sides complete with the same SAS, and their sessions talk. */
static void
assert_agree (SlHandshake * a, SlHandshake * b)
{
  g_autoptr (SlSession) sa = NULL;
  g_autoptr (SlSession) sb = NULL;
  g_autoptr (GBytes) r1 = NULL;
  g_autoptr (GBytes) r2 = NULL;
  g_autoptr (GBytes) p1 = NULL;
  g_autoptr (GBytes) p2 = NULL;
  guint8 m1[] = "offer", m2[] = "answer", mac[32];

  g_assert_true (sl_handshake_is_complete (a));
  g_assert_true (sl_handshake_is_complete (b));
  assert_sas_format (sl_handshake_get_sas (a));
  g_assert_cmpstr (sl_handshake_get_sas (a), ==, sl_handshake_get_sas (b));

  sa = sl_handshake_take_session (a);
  sb = sl_handshake_take_session (b);
  g_assert_nonnull (sa);
  g_assert_nonnull (sb);
  g_assert_null (sl_handshake_take_session (a));

  r1 = sl_session_seal (sa, SL_WIRE_RECORD_SDP_OFFER, m1, 5, NULL);
  r2 = sl_session_seal (sb, SL_WIRE_RECORD_SDP_ANSWER, m2, 6, NULL);
  p1 = sl_session_open (sb, r1, NULL, NULL);
  p2 = sl_session_open (sa, r2, NULL, NULL);
  g_assert_nonnull (p1);
  g_assert_nonnull (p2);
  g_assert_cmpmem (g_bytes_get_data (p1, NULL), g_bytes_get_size (p1),
      "offer", 5);
  g_assert_cmpmem (g_bytes_get_data (p2, NULL), g_bytes_get_size (p2),
      "answer", 6);

  sl_session_dtls_binding_mac (sa, TRUE, "sha-256 AA", "sha-256 BB", mac);
  g_assert_true (sl_session_dtls_binding_verify (sb, TRUE, "sha-256 AA",
          "sha-256 BB", mac, sizeof mac, NULL));
}

static void
test_no_code (void)
{
  g_autoptr (SlHandshake) a = NULL;
  g_autoptr (SlHandshake) b = NULL;
  g_autoptr (GError) err_a = NULL;
  g_autoptr (GError) err_b = NULL;

  a = sl_handshake_new (SL_ROLE_CALLER, SL_TEST_CALL_ID, SL_TEST_ID_A,
      SL_TEST_ID_B, NULL, &err_a);
  b = sl_handshake_new (SL_ROLE_CALLEE, SL_TEST_CALL_ID, SL_TEST_ID_B,
      SL_TEST_ID_A, NULL, &err_b);
  g_assert_no_error (err_a);
  g_assert_false (sl_handshake_uses_code (a));
  g_assert_cmpint (sl_handshake_get_role (a), ==, SL_ROLE_CALLER);
  g_assert_cmpint (sl_handshake_get_role (b), ==, SL_ROLE_CALLEE);
  g_assert_null (sl_handshake_get_sas (a));
  g_assert_null (sl_handshake_take_session (a));

  sl_test_drive (a, b, NULL, NULL, &err_a, &err_b);
  g_assert_no_error (err_a);
  g_assert_no_error (err_b);
  assert_agree (a, b);

  sl_handshake_clear (a);
  g_assert_null (sl_handshake_get_sas (a));
}

static void
test_same_code (void)
{
  g_autoptr (SlHandshake) a = NULL;
  g_autoptr (SlHandshake) b = NULL;
  g_autoptr (GError) err_a = NULL;
  g_autoptr (GError) err_b = NULL;

  /* Typed differently, the same after normalisation. */
  a = sl_handshake_new (SL_ROLE_CALLER, SL_TEST_CALL_ID, SL_TEST_ID_A,
      SL_TEST_ID_B, "4711-0815", &err_a);
  b = sl_handshake_new (SL_ROLE_CALLEE, SL_TEST_CALL_ID, SL_TEST_ID_B,
      SL_TEST_ID_A, " 4711 0815 ", &err_b);
  g_assert_no_error (err_a);
  g_assert_no_error (err_b);
  g_assert_true (sl_handshake_uses_code (a));

  sl_test_drive (a, b, NULL, NULL, &err_a, &err_b);
  g_assert_no_error (err_a);
  g_assert_no_error (err_b);
  assert_agree (a, b);
}

static void
test_wrong_code (void)
{
  g_autoptr (SlHandshake) a = NULL;
  g_autoptr (SlHandshake) b = NULL;
  g_autoptr (GError) err_a = NULL;
  g_autoptr (GError) err_b = NULL;

  a = sl_handshake_new (SL_ROLE_CALLER, SL_TEST_CALL_ID, SL_TEST_ID_A,
      SL_TEST_ID_B, "4711-0815", NULL);
  b = sl_handshake_new (SL_ROLE_CALLEE, SL_TEST_CALL_ID, SL_TEST_ID_B,
      SL_TEST_ID_A, "4711-0816", NULL);
  sl_test_drive (a, b, NULL, NULL, &err_a, &err_b);

  g_assert_error (err_a, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_assert_error (err_b, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_assert_nonnull (strstr (err_a->message, "security codes do not match"));
  g_assert_nonnull (strstr (err_b->message, "security codes do not match"));
  g_assert_false (sl_handshake_is_complete (a));
  g_assert_false (sl_handshake_is_complete (b));
  g_assert_null (sl_handshake_take_session (a));
  g_assert_null (sl_handshake_get_sas (b));
}

static void
test_code_on_one_side (void)
{
  guint i;

  for (i = 0; i < 2; i++) {
    g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
        SL_TEST_CALL_ID, i == 0 ? w_true : NULL);
    g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
        SL_TEST_CALL_ID, i == 0 ? NULL : w_true);
    g_autoptr (GError) err_a = NULL;
    g_autoptr (GError) err_b = NULL;

    sl_test_drive (a, b, NULL, NULL, &err_a, &err_b);
    g_assert_error (err_a, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
    g_assert_nonnull (strstr (err_a->message, "the other did not"));
    g_assert_error (err_b, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
    g_assert_false (sl_handshake_is_complete (b));
  }
}

static void
on_new (GObject * source, GAsyncResult * result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static SlHandshake *
new_async_wait (const char *code, GCancellable * cancellable, GError ** error)
{
  GAsyncResult *result = NULL;
  SlHandshake *hs;

  sl_handshake_new_async (SL_ROLE_CALLEE, SL_TEST_CALL_ID, SL_TEST_ID_B,
      SL_TEST_ID_A, code, cancellable, on_new, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  hs = sl_handshake_new_finish (result, error);
  g_object_unref (result);
  return hs;
}

static void
test_async (void)
{
  g_autoptr (SlHandshake) a = NULL;
  g_autoptr (SlHandshake) b = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) err_a = NULL;

  b = new_async_wait ("2468", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sl_handshake_uses_code (b));
  a = sl_handshake_new (SL_ROLE_CALLER, SL_TEST_CALL_ID, SL_TEST_ID_A,
      SL_TEST_ID_B, "2468", NULL);
  sl_test_drive (a, b, NULL, NULL, &err_a, &error);
  g_assert_no_error (err_a);
  g_assert_no_error (error);
  assert_agree (a, b);

  g_assert_null (new_async_wait (" - ", NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INVALID_CODE);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (new_async_wait ("2468", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_bad_arguments (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (sl_handshake_new (SL_ROLE_CALLER, "not-a-call-id",
          SL_TEST_ID_A, SL_TEST_ID_B, NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (sl_handshake_new (SL_ROLE_CALLER, NULL, SL_TEST_ID_A,
          SL_TEST_ID_B, NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (sl_handshake_new (SL_ROLE_CALLER, SL_TEST_CALL_ID,
          SL_TEST_ID_A, SL_TEST_ID_B, "", &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INVALID_CODE);
}

typedef struct
{
  guint step;
  gsize bit;                    /* G_MAXSIZE: truncate to @cut instead */
  gsize cut;
  gsize seen_len;
} Mutation;

static GBytes *
mutate (guint step, GBytes * msg, gpointer user_data)
{
  Mutation *m = user_data;
  gsize len;
  const guint8 *data = g_bytes_get_data (msg, &len);
  guint8 *copy;

  if (step != m->step)
    return g_bytes_ref (msg);
  m->seen_len = len;
  if (m->bit == G_MAXSIZE) {
    copy = g_malloc0 (m->cut + 1);
    memcpy (copy, data, MIN (len, m->cut));
    return g_bytes_new_take (copy, m->cut);
  }
  if (m->bit >= 8 * len)
    return g_bytes_ref (msg);
  copy = g_memdup2 (data, len);
  copy[m->bit / 8] ^= (guint8) (1 << (m->bit % 8));
  return g_bytes_new_take (copy, len);
}

static void
assert_refused_run (const guint8 * w, Mutation * m)
{
  g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
      SL_TEST_CALL_ID, w);
  g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
      SL_TEST_CALL_ID, w);
  g_autoptr (GError) err_a = NULL;
  g_autoptr (GError) err_b = NULL;

  sl_test_drive (a, b, mutate, m, &err_a, &err_b);
  if (sl_handshake_is_complete (a) || sl_handshake_is_complete (b))
    g_error ("step %u bit %" G_GSIZE_FORMAT " cut %" G_GSIZE_FORMAT
        ": a damaged message was accepted", m->step, m->bit, m->cut);
  g_assert_nonnull (err_a);
  g_assert_nonnull (err_b);
  g_assert_true (err_a->domain == SL_CRYPTO_ERROR);
  g_assert_true (err_a->code == SL_CRYPTO_ERROR_AUTH ||
      err_a->code == SL_CRYPTO_ERROR_MALFORMED ||
      err_a->code == SL_CRYPTO_ERROR_OUT_OF_ORDER);
}

static void
test_bit_flips (gconstpointer data)
{
  const guint8 *w = GPOINTER_TO_INT (data) ? w_true : NULL;
  guint step;

  for (step = SL_STEP_COMMIT; step <= SL_STEP_CONFIRM; step++) {
    Mutation m = { step, 0, 0, 0 };
    gsize len;

    /* A first run to learn the message size. */
    assert_refused_run (w, &m);
    len = m.seen_len;
    g_assert_cmpuint (len, >, 0);
    for (m.bit = 1; m.bit < 8 * len; m.bit++)
      assert_refused_run (w, &m);

    m.bit = G_MAXSIZE;
    for (m.cut = 0; m.cut < len; m.cut++)
      assert_refused_run (w, &m);
    m.cut = len + 1;
    assert_refused_run (w, &m);
  }
}

/* The message sizes of docs/SECURITY.md. */
static GBytes *
record_sizes (guint step, GBytes * msg, gpointer user_data)
{
  gsize *sizes = user_data;

  sizes[step] = g_bytes_get_size (msg);
  return g_bytes_ref (msg);
}

static void
test_wire_sizes (void)
{
  guint with_code;

  for (with_code = 0; with_code < 2; with_code++) {
    const guint8 *w = with_code ? w_true : NULL;
    g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
        SL_TEST_CALL_ID, w);
    g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
        SL_TEST_CALL_ID, w);
    gsize sizes[4] = { 0 };

    sl_test_drive (a, b, record_sizes, sizes, NULL, NULL);
    g_assert_cmpuint (sizes[SL_STEP_COMMIT], ==, 83);
    g_assert_cmpuint (sizes[SL_STEP_REPLY], ==, 147 + with_code * 65);
    g_assert_cmpuint (sizes[SL_STEP_REVEAL], ==, 146 + with_code * 65);
    g_assert_cmpuint (sizes[SL_STEP_CONFIRM], ==, 50);
  }
}

static GBytes *
message (guint8 type, const char *call_id, const guint8 * body, gsize len)
{
  guint8 *buf = g_malloc (18 + len);

  buf[0] = SL_HANDSHAKE_VERSION;
  buf[1] = type;
  g_assert_true (sl_crypto_call_id_from_hex (call_id, buf + 2));
  if (len > 0)
    memcpy (buf + 18, body, len);
  return g_bytes_new_take (buf, 18 + len);
}

static void
expect_refusal (SlHandshake * hs, GBytes * msg, gint code,
    gboolean expect_alert)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) reply = NULL;

  g_assert_false (sl_handshake_process (hs, msg, &reply, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, code);
  if (expect_alert) {
    g_assert_nonnull (reply);
    g_assert_cmpuint (g_bytes_get_size (reply), ==, 19);
    g_assert_cmpuint (((const guint8 *) g_bytes_get_data (reply, NULL))[1],
        ==, SL_WIRE_HS_ALERT);
    g_assert_cmpuint (((const guint8 *) g_bytes_get_data (reply, NULL))[18],
        ==, code);
  } else {
    g_assert_null (reply);
  }
}

static void
test_out_of_order (void)
{
  g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (SlHandshake) b2 = sl_test_handshake (SL_ROLE_CALLEE,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (GBytes) commit = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GBytes) confirm = NULL;
  g_autoptr (GError) error = NULL;
  guint8 body[32] = { 0 };

  g_assert_null (sl_handshake_start (b, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);

  commit = sl_handshake_start (a, NULL);
  g_assert_null (sl_handshake_start (a, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);

  /* A Commit sent back to the caller. */
  {
    g_autoptr (SlHandshake) a2 = sl_test_handshake (SL_ROLE_CALLER,
        SL_TEST_CALL_ID, NULL);
    g_autoptr (GBytes) c2 = sl_handshake_start (a2, NULL);

    expect_refusal (a2, c2, SL_CRYPTO_ERROR_OUT_OF_ORDER, TRUE);
  }

  /* A Confirm before anything else. */
  confirm = message (SL_WIRE_HS_CONFIRM, SL_TEST_CALL_ID, body, 32);
  expect_refusal (b2, confirm, SL_CRYPTO_ERROR_OUT_OF_ORDER, TRUE);
  /* A failed handshake refuses everything, without an Alert. */
  expect_refusal (b2, commit, SL_CRYPTO_ERROR_OUT_OF_ORDER, FALSE);

  /* The same Commit twice. */
  g_assert_true (sl_handshake_process (b, commit, &reply, NULL));
  expect_refusal (b, commit, SL_CRYPTO_ERROR_OUT_OF_ORDER, TRUE);

  /* Unknown types, including a sealed record. */
  {
    g_autoptr (SlHandshake) b3 = sl_test_handshake (SL_ROLE_CALLEE,
        SL_TEST_CALL_ID, NULL);
    g_autoptr (GBytes) rec = message (SL_WIRE_RECORD_SDP_OFFER,
        SL_TEST_CALL_ID, body, 32);

    expect_refusal (b3, rec, SL_CRYPTO_ERROR_MALFORMED, TRUE);
  }
}

static void
test_wrong_call (void)
{
  g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
      "ffeeddccbbaa99887766554433221100", NULL);
  g_autoptr (GBytes) commit = sl_handshake_start (a, NULL);

  expect_refusal (b, commit, SL_CRYPTO_ERROR_MALFORMED, TRUE);
}

static void
test_alerts (void)
{
  guint reason;

  for (reason = 0; reason <= SL_CRYPTO_ERROR_INTERNAL + 1; reason++) {
    g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
        SL_TEST_CALL_ID, NULL);
    g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
        SL_TEST_CALL_ID, NULL);
    g_autoptr (GBytes) commit = sl_handshake_start (a, NULL);
    g_autoptr (GBytes) reply = NULL;
    g_autoptr (GBytes) alert = NULL;
    guint8 r = (guint8) reason;

    g_assert_true (sl_handshake_process (b, commit, &reply, NULL));
    if (reason <= SL_CRYPTO_ERROR_INTERNAL) {
      alert = sl_handshake_abort (b, reason);
      g_assert_false (sl_handshake_is_complete (b));
      expect_refusal (a, alert, reason, FALSE);
    } else {
      alert = message (SL_WIRE_HS_ALERT, SL_TEST_CALL_ID, &r, 1);
      expect_refusal (a, alert, SL_CRYPTO_ERROR_MALFORMED, FALSE);
    }
  }

  /* A damaged Alert is itself refused, with an Alert. */
  {
    g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
        SL_TEST_CALL_ID, NULL);
    guint8 two[2] = { 0, 0 };
    g_autoptr (GBytes) alert = message (SL_WIRE_HS_ALERT, SL_TEST_CALL_ID,
        two, 2);

    expect_refusal (b, alert, SL_CRYPTO_ERROR_MALFORMED, TRUE);
  }
}

/* After completion only an Alert matters. */
static void
test_after_complete (void)
{
  g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (GBytes) stray = NULL;
  g_autoptr (GBytes) alert = NULL;
  guint8 body[33] = { 0 };

  sl_test_drive (a, b, NULL, NULL, NULL, NULL);
  g_assert_true (sl_handshake_is_complete (b));

  stray = message (SL_WIRE_HS_COMMIT, SL_TEST_CALL_ID, body, 33);
  expect_refusal (b, stray, SL_CRYPTO_ERROR_OUT_OF_ORDER, FALSE);
  g_assert_true (sl_handshake_is_complete (b));
  g_assert_nonnull (sl_handshake_get_sas (b));

  alert = sl_handshake_abort (a, SL_CRYPTO_ERROR_AUTH);
  expect_refusal (b, alert, SL_CRYPTO_ERROR_AUTH, FALSE);
  g_assert_false (sl_handshake_is_complete (b));
  g_assert_null (sl_handshake_take_session (b));
}

/* Invalid points and keys from a malicious peer that builds its messages
 * by hand (so that its commitment matches them). */
static void
test_invalid_points (void)
{
  guint8 zero_scalar[32] = { 0 };
  g_autoptr (SlSpake2) wn = sl_spake2_new (FALSE, w_true, zero_scalar, NULL);
  g_autoptr (SlSpake2) wm = sl_spake2_new (TRUE, w_true, zero_scalar, NULL);
  guint8 bad_points[5][65];
  guint i;

  /* Off-curve, wrong prefix, all zero, and w*N / w*M (K at infinity). */
  memset (bad_points, 0, sizeof bad_points);
  memcpy (bad_points[0], sl_spake2_get_share (wn), 65);
  bad_points[0][64] ^= 1;
  memcpy (bad_points[1], sl_spake2_get_share (wn), 65);
  bad_points[1][0] = 0x03;
  memcpy (bad_points[3], sl_spake2_get_share (wn), 65);
  memcpy (bad_points[4], sl_spake2_get_share (wm), 65);

  /* B's Reply (flags | cert hash | pubB | pB | proofs) with a bad pB,
   * seen by A. */
  for (i = 0; i < 4; i++) {
    g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
        SL_TEST_CALL_ID, w_true);
    g_autoptr (GBytes) commit = sl_handshake_start (a, NULL);
    g_autoptr (GBytes) reply = NULL;
    guint8 body[1 + 32 + 32 + 65 + 64] = { 0 };

    body[0] = 1;
    memset (body + 33, 0x09, 32);
    memcpy (body + 65, bad_points[i], 65);
    reply = message (SL_WIRE_HS_REPLY, SL_TEST_CALL_ID, body, sizeof body);
    expect_refusal (a, reply, SL_CRYPTO_ERROR_MALFORMED, TRUE);
  }

  /* A small-order X25519 key in the Reply. */
  {
    g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
        SL_TEST_CALL_ID, NULL);
    g_autoptr (GBytes) commit = sl_handshake_start (a, NULL);
    g_autoptr (GBytes) reply = NULL;
    guint8 body[1 + 32 + 32 + 64] = { 0 };

    reply = message (SL_WIRE_HS_REPLY, SL_TEST_CALL_ID, body, sizeof body);
    expect_refusal (a, reply, SL_CRYPTO_ERROR_MALFORMED, TRUE);
  }

  /* A's Commit and Reveal with a bad pA, seen by B (w*M this time). */
  for (i = 0; i < 4; i++) {
    guint idx = i == 3 ? 4 : i;
    g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
        SL_TEST_CALL_ID, w_true);
    g_autoptr (GBytes) commit = NULL;
    g_autoptr (GBytes) reveal = NULL;
    g_autoptr (GBytes) reply = NULL;
    guint8 cbody[1 + 32 + 32], rbody[32 + 65 + 64 + 32];
    guint8 pre[19 + 16 + 32 + 65];

    memcpy (pre, "sightline-v2 commit", 19);
    g_assert_true (sl_crypto_call_id_from_hex (SL_TEST_CALL_ID, pre + 19));
    memset (pre + 35, 0x09, 32);
    memcpy (pre + 67, bad_points[idx], 65);
    memset (cbody, 0, sizeof cbody);
    cbody[0] = 1;
    g_assert_true (sl_crypto_sha256 (pre, sizeof pre, cbody + 33, NULL));
    commit = message (SL_WIRE_HS_COMMIT, SL_TEST_CALL_ID, cbody, sizeof cbody);
    g_assert_true (sl_handshake_process (b, commit, &reply, NULL));

    memcpy (rbody, pre + 35, 32 + 65);
    memset (rbody + 97, 0, 64 + 32);
    reveal = message (SL_WIRE_HS_REVEAL, SL_TEST_CALL_ID, rbody, sizeof rbody);
    expect_refusal (b, reveal, SL_CRYPTO_ERROR_MALFORMED, TRUE);
  }
}

/* A Reveal whose keys differ from the Commit: the commitment check. */
static void
test_commitment (void)
{
  g_autoptr (SlHandshake) a1 = sl_test_handshake (SL_ROLE_CALLER,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (SlHandshake) a2 = sl_test_handshake (SL_ROLE_CALLER,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (SlHandshake) b2 = sl_test_handshake (SL_ROLE_CALLEE,
      SL_TEST_CALL_ID, NULL);
  g_autoptr (GBytes) commit1 = sl_handshake_start (a1, NULL);
  g_autoptr (GBytes) commit2 = sl_handshake_start (a2, NULL);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GBytes) reply2 = NULL;
  g_autoptr (GBytes) reveal2 = NULL;
  g_autoptr (GBytes) alert = NULL;
  g_autoptr (GError) error = NULL;

  /* B saw a1's Commit but gets a2's Reveal (made after seeing B's keys).
   * The MAC check would refuse it too (the transcripts differ), with the
   * same code: the message says which check refused it. */
  g_assert_true (sl_handshake_process (b, commit1, &reply, NULL));
  g_assert_true (sl_handshake_process (b2, commit2, &reply2, NULL));
  g_assert_true (sl_handshake_process (a2, reply, &reveal2, NULL));
  g_assert_false (sl_handshake_process (b, reveal2, &alert, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "The caller's keys do not match what "
      "it announced: someone may have intercepted the call.");
  g_assert_nonnull (alert);
}

static void
test_sas_format (void)
{
  guint8 zero[8] = { 0 }, ones[8], one[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
  g_autofree char *s0 = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;

  memset (ones, 0xff, sizeof ones);
  s0 = sl_sas_format (zero);
  s1 = sl_sas_format (ones);
  s2 = sl_sas_format (one);
  g_assert_cmpstr (s0, ==, "0000 0000 0000");
  /* 2^64 - 1 = 18446744073709551615; mod 10^12 = 073709551615. */
  g_assert_cmpstr (s1, ==, "0737 0955 1615");
  g_assert_cmpstr (s2, ==, "0000 0000 0001");
}

int
main (int argc, char **argv)
{
  guint8 id[SL_CALL_ID_LEN];

  g_test_init (&argc, &argv, NULL);

  g_assert_true (sl_crypto_call_id_from_hex (SL_TEST_CALL_ID, id));
  g_assert_true (sl_crypto_password_scalar ("4711-0815", id, w_true, NULL));

  g_test_add_func ("/handshake/no-code", test_no_code);
  g_test_add_func ("/handshake/same-code", test_same_code);
  g_test_add_func ("/handshake/wrong-code", test_wrong_code);
  g_test_add_func ("/handshake/code-on-one-side", test_code_on_one_side);
  g_test_add_func ("/handshake/async", test_async);
  g_test_add_func ("/handshake/bad-arguments", test_bad_arguments);
  g_test_add_data_func ("/handshake/bit-flips/no-code", GINT_TO_POINTER (0),
      test_bit_flips);
  g_test_add_data_func ("/handshake/bit-flips/code", GINT_TO_POINTER (1),
      test_bit_flips);
  g_test_add_func ("/handshake/wire-sizes", test_wire_sizes);
  g_test_add_func ("/handshake/out-of-order", test_out_of_order);
  g_test_add_func ("/handshake/wrong-call", test_wrong_call);
  g_test_add_func ("/handshake/alerts", test_alerts);
  g_test_add_func ("/handshake/after-complete", test_after_complete);
  g_test_add_func ("/handshake/invalid-points", test_invalid_points);
  g_test_add_func ("/handshake/commitment", test_commitment);
  g_test_add_func ("/handshake/sas-format", test_sas_format);

  return g_test_run ();
}
