/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Sealed records: round trips at every bucket boundary, refusal of every
 * single-bit flip, truncation, replay, reordering beyond the window,
 * records from another call or the wrong direction, bad padding inside an
 * authentic record, and the DTLS fingerprint binding MAC.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "crypto-test-util.h"
#include "sl-crypto-private.h"

#define HEADER 10
#define TAG 16

typedef struct
{
  guint8 call_id[SL_CALL_ID_LEN];
  guint8 key_a2b[32], iv_a2b[12], key_b2a[32], iv_b2a[12], dtls[32];
  SlSession *a;                 /* the caller */
  SlSession *b;                 /* the callee */
} Fixture;

static SlSession *
session_for (Fixture * f, SlRole role, const guint8 * call_id)
{
  gboolean caller = role == SL_ROLE_CALLER;
  g_autoptr (GError) error = NULL;
  SlSession *s = sl_session_new_internal (role, call_id,
      caller ? f->key_a2b : f->key_b2a, caller ? f->iv_a2b : f->iv_b2a,
      caller ? f->key_b2a : f->key_a2b, caller ? f->iv_b2a : f->iv_a2b,
      f->dtls, &error);

  g_assert_no_error (error);
  return s;
}

static void
fixture_setup (Fixture * f, gconstpointer data)
{
  g_assert_true (sl_crypto_random (f->call_id, sizeof f->call_id, NULL));
  g_assert_true (sl_crypto_random (f->key_a2b, 32, NULL));
  g_assert_true (sl_crypto_random (f->key_b2a, 32, NULL));
  g_assert_true (sl_crypto_random (f->iv_a2b, 12, NULL));
  g_assert_true (sl_crypto_random (f->iv_b2a, 12, NULL));
  g_assert_true (sl_crypto_random (f->dtls, 32, NULL));
  f->a = session_for (f, SL_ROLE_CALLER, f->call_id);
  f->b = session_for (f, SL_ROLE_CALLEE, f->call_id);
}

static void
fixture_teardown (Fixture * f, gconstpointer data)
{
  g_clear_object (&f->a);
  g_clear_object (&f->b);
}

static GBytes *
seal_text (SlSession * s, SlWireType type, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *buf = (guint8 *) g_strdup (text);
  GBytes *record = sl_session_seal (s, type, buf, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static void
assert_opens (SlSession * s, GBytes * record, const char *text, SlWireType type)
{
  g_autoptr (GError) error = NULL;
  SlWireType got_type = 0;
  g_autoptr (GBytes) plain = sl_session_open (s, record, &got_type, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plain);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
      text, strlen (text));
  g_assert_cmpint (got_type, ==, type);
}

static void
test_round_trip (Fixture * f, gconstpointer data)
{
  static const gsize sizes[] = { 0, 1, 64, 255, 256, 257, 1024, 1025, 4096,
    16384, 32769, SL_RECORD_MAX_PLAINTEXT
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    gsize len = sizes[i];
    g_autofree guint8 *msg = g_malloc (len + 1);
    g_autofree guint8 *copy = NULL;
    g_autoptr (GBytes) record = NULL;
    g_autoptr (GBytes) plain = NULL;
    g_autoptr (GError) error = NULL;
    SlSession *from = i % 2 ? f->a : f->b;
    SlSession *to = i % 2 ? f->b : f->a;
    SlWireType type = 0;
    gsize j;

    for (j = 0; j < len; j++)
      msg[j] = (guint8) (j * 7 + 1);
    copy = g_memdup2 (msg, len + 1);

    record = sl_session_seal (from, SL_WIRE_RECORD_CONTROL, msg, len, &error);
    g_assert_no_error (error);
    /* The caller's buffer is wiped. */
    for (j = 0; j < len; j++)
      g_assert_cmpuint (msg[j], ==, 0);
    g_assert_cmpuint (g_bytes_get_size (record), ==,
        HEADER + sl_session_padded_size (len) + TAG);

    plain = sl_session_open (to, record, &type, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
        copy, len);
    g_assert_cmpint (type, ==, SL_WIRE_RECORD_CONTROL);
  }
}

static void
test_buckets (void)
{
  gsize len;

  /* 4 + 2^k bytes: the length field, then data and zeros. */
  g_assert_cmpuint (sl_session_padded_size (0), ==, 4 + 256);
  g_assert_cmpuint (sl_session_padded_size (256), ==, 4 + 256);
  g_assert_cmpuint (sl_session_padded_size (257), ==, 4 + 512);
  g_assert_cmpuint (sl_session_padded_size (1024), ==, 4 + 1024);
  g_assert_cmpuint (sl_session_padded_size (1025), ==, 4 + 2048);
  g_assert_cmpuint (sl_session_padded_size (4096), ==, 4 + 4096);
  g_assert_cmpuint (sl_session_padded_size (65536), ==, 4 + 65536);
  for (len = 0; len <= SL_RECORD_MAX_PLAINTEXT; len += 97) {
    gsize padded = sl_session_padded_size (len);

    g_assert_cmpuint (padded, >=, len + 4);
    g_assert_true (len <= 256 || padded < 2 * len + 4);
  }
}

static void
test_seal_refusals (Fixture * f, gconstpointer data)
{
  guint8 buf[16];
  g_autofree guint8 *big = g_malloc0 (SL_RECORD_MAX_PLAINTEXT + 1);
  g_autoptr (GError) error = NULL;

  memset (buf, 0x55, sizeof buf);
  g_assert_null (sl_session_seal (f->a, SL_WIRE_HS_ALERT, buf, sizeof buf,
          &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
  g_assert_cmpuint (buf[0] | buf[15], ==, 0);
  g_clear_error (&error);

  big[0] = 1;
  g_assert_null (sl_session_seal (f->a, SL_WIRE_RECORD_SDP_OFFER, big,
          SL_RECORD_MAX_PLAINTEXT + 1, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
  g_assert_cmpuint (big[0], ==, 0);
  g_clear_error (&error);

  g_assert_false (sl_session_is_cleared (f->a));
  sl_session_clear (f->a);
  sl_session_clear (f->a);
  g_assert_true (sl_session_is_cleared (f->a));
  memset (buf, 0x55, sizeof buf);
  g_assert_null (sl_session_seal (f->a, SL_WIRE_RECORD_SDP_OFFER, buf,
          sizeof buf, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INTERNAL);
  g_assert_cmpuint (buf[0] | buf[15], ==, 0);
}

static void
assert_refused (SlSession * s, const guint8 * data, gsize len)
{
  g_autoptr (GBytes) bad = g_bytes_new (data, len);
  g_autoptr (GError) error = NULL;

  g_assert_null (sl_session_open (s, bad, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == SL_CRYPTO_ERROR);
  /* Authentication comes first: a flipped sequence number that names a
   * record already received is tampering, never a "copy". */
  g_assert_true (error->code == SL_CRYPTO_ERROR_AUTH ||
      error->code == SL_CRYPTO_ERROR_MALFORMED);
}

static void
test_bit_flips (Fixture * f, gconstpointer data)
{
  static const char *const texts[] = { "a=candidate:1 1 udp 2122260223 "
        "127.0.0.1 40000 typ host",
    "", NULL
  };
  guint t;

  for (t = 0; texts[t] != NULL; t++) {
    g_autoptr (GBytes) record = seal_text (f->a, SL_WIRE_RECORD_ICE_CANDIDATE,
        texts[t]);
    gsize len;
    const guint8 *orig = g_bytes_get_data (record, &len);
    g_autofree guint8 *copy = g_memdup2 (orig, len);
    gsize bit;

    for (bit = 0; bit < 8 * len; bit++) {
      copy[bit / 8] ^= (guint8) (1 << (bit % 8));
      assert_refused (f->b, copy, len);
      copy[bit / 8] ^= (guint8) (1 << (bit % 8));
    }
    /* Truncated anywhere, or extended. */
    for (bit = 0; bit < len; bit++)
      assert_refused (f->b, copy, bit);
    {
      g_autofree guint8 *longer = g_malloc0 (len + 1);

      memcpy (longer, orig, len);
      assert_refused (f->b, longer, len + 1);
    }
    /* None of it changed the receiver: the real record still opens. */
    assert_opens (f->b, record, texts[t], SL_WIRE_RECORD_ICE_CANDIDATE);
  }
}

static void
test_replay_and_window (Fixture * f, gconstpointer data)
{
  GBytes *records[130];
  g_autoptr (GError) error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (records); i++) {
    g_autofree char *text = g_strdup_printf ("message %u", i);

    records[i] = seal_text (f->a, SL_WIRE_RECORD_CONTROL, text);
    g_assert_cmpuint (((const guint8 *) g_bytes_get_data (records[i],
                NULL))[9], ==, i);
  }

  /* In order, then a replay. */
  assert_opens (f->b, records[0], "message 0", SL_WIRE_RECORD_CONTROL);
  g_assert_null (sl_session_open (f->b, records[0], NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_REPLAY);
  g_clear_error (&error);

  /* Reordered inside the window: accepted once each. */
  assert_opens (f->b, records[5], "message 5", SL_WIRE_RECORD_CONTROL);
  assert_opens (f->b, records[3], "message 3", SL_WIRE_RECORD_CONTROL);
  assert_opens (f->b, records[4], "message 4", SL_WIRE_RECORD_CONTROL);
  g_assert_null (sl_session_open (f->b, records[3], NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_REPLAY);
  g_clear_error (&error);

  /* Jump to 100: 37..99 are still in the window, 36 and older are not. */
  assert_opens (f->b, records[100], "message 100", SL_WIRE_RECORD_CONTROL);
  assert_opens (f->b, records[37], "message 37", SL_WIRE_RECORD_CONTROL);
  g_assert_null (sl_session_open (f->b, records[36], NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  g_assert_null (sl_session_open (f->b, records[1], NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  g_assert_null (sl_session_open (f->b, records[37], NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_REPLAY);
  g_clear_error (&error);

  /* Moving on to 129 slides the window: 65 falls out, 66 is still in. */
  assert_opens (f->b, records[129], "message 129", SL_WIRE_RECORD_CONTROL);
  g_assert_null (sl_session_open (f->b, records[65], NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);
  assert_opens (f->b, records[66], "message 66", SL_WIRE_RECORD_CONTROL);
  assert_opens (f->b, records[128], "message 128", SL_WIRE_RECORD_CONTROL);

  for (i = 0; i < G_N_ELEMENTS (records); i++)
    g_bytes_unref (records[i]);
}

/* A relay rewrites the sequence number of a new record to one already
 * received, or one older than the window: the record fails its
 * integrity check (the message of docs/SECURITY.md), it is not reported
 * as a copy or as late, and the receiver is unchanged. */
static void
test_tampered_seq (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) r0 = seal_text (f->a, SL_WIRE_RECORD_CONTROL, "zero");
  g_autoptr (GBytes) r1 = seal_text (f->a, SL_WIRE_RECORD_CONTROL, "one");
  g_autoptr (GBytes) r2 = NULL;
  g_autoptr (GError) error = NULL;
  const guint64 seqs[] = { 0, 1, G_GUINT64_CONSTANT (1) << 40 };
  gsize len;
  guint i, k;

  for (i = 0; i < 100; i++) {
    g_clear_pointer (&r2, g_bytes_unref);
    r2 = seal_text (f->a, SL_WIRE_RECORD_CONTROL, "later");
  }
  assert_opens (f->b, r0, "zero", SL_WIRE_RECORD_CONTROL);
  assert_opens (f->b, r1, "one", SL_WIRE_RECORD_CONTROL);
  assert_opens (f->b, r2, "later", SL_WIRE_RECORD_CONTROL);
  /* 0 and 1 are now seen and also out of the window (behind 101). */
  for (k = 0; k < G_N_ELEMENTS (seqs); k++) {
    g_autoptr (GBytes) fresh = seal_text (f->a, SL_WIRE_RECORD_CONTROL, "x");
    const guint8 *bytes = g_bytes_get_data (fresh, &len);
    g_autofree guint8 *copy = g_memdup2 (bytes, len);
    g_autoptr (GBytes) forged = NULL;

    for (i = 0; i < 8; i++)
      copy[2 + i] = (guint8) (seqs[k] >> (56 - 8 * i));
    forged = g_bytes_new (copy, len);
    g_assert_null (sl_session_open (f->b, forged, NULL, &error));
    g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
    g_assert_cmpstr (error->message, ==, "A message in this call failed its "
        "integrity check: it was altered or does not belong to this call.");
    g_clear_error (&error);
    /* The genuine record still opens. */
    assert_opens (f->b, fresh, "x", SL_WIRE_RECORD_CONTROL);
  }
  /* And a genuine copy is a copy. */
  g_assert_null (sl_session_open (f->b, r2, NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_REPLAY);
  g_assert_cmpstr (error->message, ==, "A message in this call was received "
      "twice; the copy was dropped.");
}

static void
test_cross_call_and_direction (Fixture * f, gconstpointer data)
{
  guint8 other_id[SL_CALL_ID_LEN];
  g_autoptr (SlSession) other_b = NULL;
  g_autoptr (GBytes) record = seal_text (f->a, SL_WIRE_RECORD_SDP_OFFER, "v=0");
  g_autoptr (GError) error = NULL;

  /* Same keys, another call id: the associated data differs. */
  memcpy (other_id, f->call_id, sizeof other_id);
  other_id[0] ^= 1;
  other_b = session_for (f, SL_ROLE_CALLEE, other_id);
  g_assert_null (sl_session_open (other_b, record, NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_assert_true (strstr (error->message, "integrity") != NULL);
  g_clear_error (&error);

  /* Reflected back to its sender. */
  g_assert_null (sl_session_open (f->a, record, NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_clear_error (&error);

  assert_opens (f->b, record, "v=0", SL_WIRE_RECORD_SDP_OFFER);

  sl_session_clear (f->b);
  g_assert_null (sl_session_open (f->b, record, NULL, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INTERNAL);
}

/* Authentic records whose inside is wrong: sealed here with the raw AEAD
 * and the session's nonce and associated data layout. */
static GBytes *
raw_record (Fixture * f, guint64 seq, const guint8 * inner, gsize inner_len)
{
  guint8 *out = g_malloc (HEADER + inner_len + TAG);
  guint8 ad[26], nonce[12];
  guint i;

  out[0] = SL_RECORD_VERSION;
  out[1] = SL_WIRE_RECORD_CONTROL;
  for (i = 0; i < 8; i++)
    out[2 + i] = (guint8) (seq >> (56 - 8 * i));
  ad[0] = out[0];
  ad[1] = out[1];
  memcpy (ad + 2, f->call_id, 16);
  memcpy (ad + 18, out + 2, 8);
  memcpy (nonce, f->iv_a2b, 12);
  for (i = 0; i < 8; i++)
    nonce[4 + i] ^= out[2 + i];
  g_assert_true (sl_crypto_aead_seal (f->key_a2b, nonce, ad, sizeof ad, inner,
          inner_len, out + HEADER, out + HEADER + inner_len, NULL));
  return g_bytes_new_take (out, HEADER + inner_len + TAG);
}

static void
test_bad_padding (Fixture * f, gconstpointer data)
{
  guint8 inner[4 + 512];
  guint64 seq = 0;
  guint c;

  for (c = 0; c < 5; c++) {
    g_autoptr (GBytes) record = NULL;
    g_autoptr (GError) error = NULL;
    gsize inner_len = 4 + 256;

    memset (inner, 0, sizeof inner);
    inner[3] = 10;
    switch (c) {
      case 0:                  /* length beyond the bucket */
        inner[2] = 1;
        inner[3] = 1;
        break;
      case 1:                  /* non-zero padding */
        inner[4 + 200] = 1;
        break;
      case 2:                  /* not a bucket size */
        inner_len = 4 + 300;
        break;
      case 3:                  /* a bucket too big for the length */
        inner_len = 4 + 512;
        break;
      case 4:                  /* too short for the length field */
        inner_len = 3;
        break;
      default:
        g_assert_not_reached ();
    }
    record = raw_record (f, seq++, inner, inner_len);
    g_assert_null (sl_session_open (f->b, record, NULL, &error));
    g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
  }

  /* The well-formed version of the same thing opens. */
  {
    g_autoptr (GBytes) record = NULL;
    g_autoptr (GBytes) plain = NULL;

    memset (inner, 0, sizeof inner);
    inner[3] = 3;
    memcpy (inner + 4, "abc", 3);
    record = raw_record (f, seq++, inner, 4 + 256);
    plain = sl_session_open (f->b, record, NULL, NULL);
    g_assert_nonnull (plain);
    g_assert_cmpmem (g_bytes_get_data (plain, NULL), 3, "abc", 3);
  }
}

static void
test_dtls_binding (Fixture * f, gconstpointer data)
{
  const char *fp_a = "sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  const char *fp_b = "sha-256 10:32:54:76:98:BA:DC:FE:10:32:54:76:98:BA:DC:FE:"
      "10:32:54:76:98:BA:DC:FE:10:32:54:76:98:BA:DC:FE";
  g_autofree char *fp_a_lower = g_ascii_strdown (fp_a, -1);
  g_autofree char *fp_a_spaced = g_strdup_printf ("  SHA-256   %s \n",
      fp_a + 8);
  guint8 mac_a[32], mac_b[32], other[32];
  g_autoptr (GError) error = NULL;

  sl_session_dtls_binding_mac (f->a, TRUE, fp_a, fp_b, mac_a);
  sl_session_dtls_binding_mac (f->b, FALSE, fp_a, fp_b, mac_b);
  g_assert_false (memcmp (mac_a, mac_b, 32) == 0);

  g_assert_true (sl_session_dtls_binding_verify (f->b, TRUE, fp_a, fp_b,
          mac_a, 32, &error));
  g_assert_no_error (error);
  g_assert_true (sl_session_dtls_binding_verify (f->a, FALSE, fp_a, fp_b,
          mac_b, 32, &error));
  g_assert_no_error (error);

  /* Normalisation: case and white space do not matter. */
  sl_session_dtls_binding_mac (f->a, TRUE, fp_a_lower, fp_b, other);
  g_assert_cmpmem (other, 32, mac_a, 32);
  sl_session_dtls_binding_mac (f->a, TRUE, fp_a_spaced, fp_b, other);
  g_assert_cmpmem (other, 32, mac_a, 32);

  /* A different fingerprint, swapped order or role, bad size: refused. */
  g_assert_false (sl_session_dtls_binding_verify (f->b, TRUE, fp_b, fp_b,
          mac_a, 32, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (sl_session_dtls_binding_verify (f->b, TRUE, fp_b, fp_a,
          mac_a, 32, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (sl_session_dtls_binding_verify (f->b, FALSE, fp_a, fp_b,
          mac_a, 32, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (sl_session_dtls_binding_verify (f->b, TRUE, fp_a, fp_b,
          mac_a, 31, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
  g_clear_error (&error);
  mac_a[5] ^= 4;
  g_assert_false (sl_session_dtls_binding_verify (f->b, TRUE, fp_a, fp_b,
          mac_a, 32, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/buckets", test_buckets);
#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/session/round-trip", test_round_trip);
  ADD ("/session/seal-refusals", test_seal_refusals);
  ADD ("/session/bit-flips", test_bit_flips);
  ADD ("/session/replay-and-window", test_replay_and_window);
  ADD ("/session/tampered-seq", test_tampered_seq);
  ADD ("/session/cross-call-and-direction", test_cross_call_and_direction);
  ADD ("/session/bad-padding", test_bad_padding);
  ADD ("/session/dtls-binding", test_dtls_binding);
#undef ADD

  return g_test_run ();
}
