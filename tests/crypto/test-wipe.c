/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Erasure, on success, on failure (wrong code, invalid point, altered
 * message) and on abort (an object dropped halfway), seen two ways:
 *
 * - the wipe observer: every kind of secret is reported wiped;
 * - the secret check: every watched secret's storage (a local at the end
 *   of its scope, an object's field when the object is finalized, a heap
 *   block before it is freed) is read by the recorder itself, and must be
 *   all zero.  That check does not go through sl_crypto_wipe(): a wipe of
 *   the wrong buffer, a short one or a missing one fails it.  Each test
 *   ends with it (fixture_teardown), and the tests check that the watches
 *   they drive did fire.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "crypto-test-util.h"
#include "handshake-test-util.h"

typedef struct
{
  SlWipeRecorder rec;
} Fixture;

static void
fixture_setup (Fixture * f, gconstpointer data)
{
  sl_wipe_recorder_start (&f->rec);
}

static void
fixture_teardown (Fixture * f, gconstpointer data)
{
  sl_wipe_recorder_assert_clean (&f->rec);
  sl_wipe_recorder_stop (&f->rec);
}

#define LABELS(...) ((const char *const[]) { __VA_ARGS__, NULL })

#define HANDSHAKE_KEYS SL_WIPE_X25519_PRIVATE, SL_WIPE_X25519_KEY, \
  SL_WIPE_X25519_SHARED, \
  SL_WIPE_IKM, SL_WIPE_CHAINING_KEY, SL_WIPE_TRAFFIC_KEYS, \
  SL_WIPE_CONFIRM_A, SL_WIPE_CONFIRM_B, SL_WIPE_SAS_BYTES, SL_WIPE_HS_DTLS_KEY
#define CODE_KEYS SL_WIPE_CODE, SL_WIPE_PASSWORD_HASH, SL_WIPE_SPAKE2_W, \
  SL_WIPE_SPAKE2_SCALAR, SL_WIPE_SPAKE2_K, SL_WIPE_SPAKE2_TT, \
  SL_WIPE_SPAKE2_KEKA
#define SESSION_KEYS SL_WIPE_SEND_IV, SL_WIPE_RECV_IV, SL_WIPE_DTLS_KEY
/* Watched storages a handshake without a code ends; with a code, also
 * CODE_STORAGES. */
#define HANDSHAKE_STORAGES SL_WIPE_X25519_PRIVATE, SL_WIPE_X25519_SHARED, \
  SL_WIPE_SPAKE2_KEKA, SL_WIPE_IKM, SL_WIPE_CHAINING_KEY, \
  SL_WIPE_TRAFFIC_KEYS, SL_WIPE_SPAKE2_W, SL_WIPE_SAS, SESSION_KEYS
#define CODE_STORAGES SL_WIPE_CODE, SL_WIPE_PASSWORD_HASH, \
  SL_WIPE_SPAKE2_SCALAR, SL_WIPE_SPAKE2_K, SL_WIPE_SPAKE2_TT

static SlHandshake *
new_with_code (SlRole role, const char *code)
{
  g_autoptr (GError) error = NULL;
  SlHandshake *hs = sl_handshake_new (role, SL_TEST_CALL_ID,
      role == SL_ROLE_CALLER ? SL_TEST_ID_A : SL_TEST_ID_B,
      role == SL_ROLE_CALLER ? SL_TEST_ID_B : SL_TEST_ID_A, code, &error);

  g_assert_no_error (error);
  return hs;
}

static void
test_success (Fixture * f, gconstpointer data)
{
  gboolean with_code = GPOINTER_TO_INT (data);
  SlHandshake *a = new_with_code (SL_ROLE_CALLER, with_code ? "31-41" : NULL);
  SlHandshake *b = new_with_code (SL_ROLE_CALLEE, with_code ? "3141" : NULL);
  SlSession *sa, *sb;
  g_autoptr (GError) err_a = NULL;
  g_autoptr (GError) err_b = NULL;

  sl_test_drive (a, b, NULL, NULL, &err_a, &err_b);
  g_assert_no_error (err_a);
  g_assert_no_error (err_b);

  /* take_session promises every handshake secret is gone by now. */
  sa = sl_handshake_take_session (a);
  sb = sl_handshake_take_session (b);
  if (with_code)
    sl_wipe_recorder_assert (&f->rec, LABELS (HANDSHAKE_KEYS, CODE_KEYS));
  else
    sl_wipe_recorder_assert (&f->rec, LABELS (HANDSHAKE_KEYS));
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_SEND_IV), ==, 0);

  /* Hang-up: the traffic keys go, then the SAS with the handshake. */
  g_object_unref (sa);
  sl_session_clear (sb);
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_SEND_IV), ==, 2);
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_DTLS_KEY), ==, 2);
  g_object_unref (sb);
  g_object_unref (a);
  g_object_unref (b);
  sl_wipe_recorder_assert (&f->rec, LABELS (SESSION_KEYS, SL_WIPE_SAS));
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_SAS), ==, 2);

  /* Where the secrets lived: both sessions' fields, both SAS strings, the
   * locals of both sides' key derivation. */
  if (with_code)
    sl_wipe_recorder_assert_ended (&f->rec, LABELS (HANDSHAKE_STORAGES,
            CODE_STORAGES));
  else
    sl_wipe_recorder_assert_ended (&f->rec, LABELS (HANDSHAKE_STORAGES));
  g_assert_cmpuint (sl_wipe_recorder_ended (&f->rec, SL_WIPE_DTLS_KEY), ==, 2);
  g_assert_cmpuint (sl_wipe_recorder_ended (&f->rec, SL_WIPE_SAS), ==, 2);
  g_assert_cmpuint (sl_wipe_recorder_ended (&f->rec, SL_WIPE_X25519_SHARED),
      ==, 2);
}

static void
test_wrong_code (Fixture * f, gconstpointer data)
{
  g_autoptr (SlHandshake) a = new_with_code (SL_ROLE_CALLER, "1111");
  g_autoptr (SlHandshake) b = new_with_code (SL_ROLE_CALLEE, "2222");
  g_autoptr (GError) err_a = NULL;
  g_autoptr (GError) err_b = NULL;

  sl_test_drive (a, b, NULL, NULL, &err_a, &err_b);
  g_assert_error (err_a, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_assert_error (err_b, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);

  /* A had derived its keys (and built a session) before B's Alert. */
  sl_wipe_recorder_assert (&f->rec, LABELS (HANDSHAKE_KEYS, CODE_KEYS,
          SESSION_KEYS, SL_WIPE_SAS));
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_X25519_PRIVATE),
      ==, 2);
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_X25519_KEY),
      ==, 2);
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_CHAINING_KEY),
      ==, 2);
  sl_wipe_recorder_assert_ended (&f->rec, LABELS (HANDSHAKE_STORAGES,
          CODE_STORAGES));
}

static GBytes *
flip_reveal (guint step, GBytes * msg, gpointer user_data)
{
  gsize len;
  guint8 *copy = g_memdup2 (g_bytes_get_data (msg, &len), g_bytes_get_size
      (msg));

  if (step == SL_STEP_REVEAL)
    copy[len - 1] ^= 0x10;
  return g_bytes_new_take (copy, len);
}

static void
test_altered_message (Fixture * f, gconstpointer data)
{
  guint8 w[32];
  g_autoptr (SlHandshake) a = NULL;
  g_autoptr (SlHandshake) b = NULL;
  g_autoptr (GError) err_a = NULL;
  g_autoptr (GError) err_b = NULL;

  memset (w, 0x11, sizeof w);
  a = sl_test_handshake (SL_ROLE_CALLER, SL_TEST_CALL_ID, w);
  b = sl_test_handshake (SL_ROLE_CALLEE, SL_TEST_CALL_ID, w);
  sl_test_drive (a, b, flip_reveal, NULL, &err_a, &err_b);
  g_assert_error (err_b, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_assert_error (err_a, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  sl_wipe_recorder_assert (&f->rec, LABELS (HANDSHAKE_KEYS,
          SL_WIPE_SPAKE2_W, SL_WIPE_SPAKE2_SCALAR, SL_WIPE_SPAKE2_K,
          SL_WIPE_SPAKE2_TT, SL_WIPE_SPAKE2_KEKA, SESSION_KEYS));
  g_object_unref (g_steal_pointer (&a));
  g_object_unref (g_steal_pointer (&b));
  sl_wipe_recorder_assert_ended (&f->rec, LABELS (HANDSHAKE_STORAGES,
          SL_WIPE_SPAKE2_SCALAR, SL_WIPE_SPAKE2_K, SL_WIPE_SPAKE2_TT));
}

/* A Reply whose SPAKE2 share is not on the curve: A fails half-way
 * through its key derivation and must still wipe what it had. */
static void
test_bad_point (Fixture * f, gconstpointer data)
{
  guint8 w[32], body[1 + 32 + 32 + 65 + 64];
  g_autoptr (SlHandshake) a = NULL;
  g_autoptr (GBytes) commit = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GBytes) alert = NULL;
  g_autoptr (GError) error = NULL;
  guint8 *msg;

  memset (w, 0x22, sizeof w);
  a = sl_test_handshake (SL_ROLE_CALLER, SL_TEST_CALL_ID, w);
  commit = sl_handshake_start (a, NULL);

  /* flags | certificate hash | pubB | pB | continuity proofs */
  memset (body, 0, sizeof body);
  body[0] = 1;
  memset (body + 33, 0x09, 32);
  body[65] = 0x04;
  memset (body + 66, 0xff, 64);
  msg = g_malloc (18 + sizeof body);
  msg[0] = SL_HANDSHAKE_VERSION;
  msg[1] = SL_WIRE_HS_REPLY;
  g_assert_true (sl_crypto_call_id_from_hex (SL_TEST_CALL_ID, msg + 2));
  memcpy (msg + 18, body, sizeof body);
  reply = g_bytes_new_take (msg, 18 + sizeof body);

  g_assert_false (sl_handshake_process (a, reply, &alert, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
  sl_wipe_recorder_assert (&f->rec, LABELS (SL_WIPE_X25519_PRIVATE,
          SL_WIPE_X25519_KEY, SL_WIPE_X25519_SHARED, SL_WIPE_SPAKE2_W,
          SL_WIPE_SPAKE2_SCALAR, SL_WIPE_SPAKE2_K, SL_WIPE_IKM));
  g_object_unref (g_steal_pointer (&a));
  sl_wipe_recorder_assert_ended (&f->rec, LABELS (SL_WIPE_X25519_PRIVATE,
          SL_WIPE_X25519_SHARED, SL_WIPE_SPAKE2_K, SL_WIPE_SPAKE2_KEKA,
          SL_WIPE_IKM, SL_WIPE_SPAKE2_W, SL_WIPE_SPAKE2_SCALAR));
}

/* Objects dropped in every intermediate state. */
static void
test_abort (Fixture * f, gconstpointer data)
{
  guint8 w[32];
  guint stop;

  memset (w, 0x33, sizeof w);
  for (stop = 0; stop < 3; stop++) {
    SlHandshake *a = sl_test_handshake (SL_ROLE_CALLER, SL_TEST_CALL_ID, w);
    SlHandshake *b = sl_test_handshake (SL_ROLE_CALLEE, SL_TEST_CALL_ID, w);
    g_autoptr (GBytes) commit = sl_handshake_start (a, NULL);
    g_autoptr (GBytes) reply = NULL;
    g_autoptr (GBytes) reveal = NULL;

    sl_wipe_recorder_reset (&f->rec);
    if (stop >= 1)
      g_assert_true (sl_handshake_process (b, commit, &reply, NULL));
    if (stop >= 2)
      g_assert_true (sl_handshake_process (a, reply, &reveal, NULL));
    g_object_unref (a);
    g_object_unref (b);

    switch (stop) {
      case 0:                  /* A committed, B untouched (still has w) */
        sl_wipe_recorder_assert (&f->rec, LABELS (SL_WIPE_X25519_KEY,
                SL_WIPE_SPAKE2_W, SL_WIPE_SPAKE2_SCALAR));
        break;
      case 1:                  /* both hold key shares */
        sl_wipe_recorder_assert (&f->rec, LABELS (SL_WIPE_X25519_KEY,
                SL_WIPE_SPAKE2_W, SL_WIPE_SPAKE2_SCALAR));
        g_assert_cmpuint (sl_wipe_recorder_count (&f->rec,
                SL_WIPE_SPAKE2_SCALAR), >=, 2);
        break;
      case 2:                  /* A holds a session waiting for Confirm */
        sl_wipe_recorder_assert (&f->rec, LABELS (HANDSHAKE_KEYS,
                SL_WIPE_SPAKE2_K, SESSION_KEYS, SL_WIPE_SAS));
        sl_wipe_recorder_assert_ended (&f->rec, LABELS (SESSION_KEYS,
                SL_WIPE_SAS, SL_WIPE_TRAFFIC_KEYS));
        break;
      default:
        g_assert_not_reached ();
    }
    /* Both objects' fields, B's SPAKE2 state (A's went with its keys
     * once it had B's Reply). */
    g_assert_cmpuint (sl_wipe_recorder_ended (&f->rec, SL_WIPE_SPAKE2_W),
        >=, 2);
    sl_wipe_recorder_assert_ended (&f->rec, LABELS (SL_WIPE_SPAKE2_SCALAR));
  }

  /* Explicit abort and clear do the same without dropping the object. */
  {
    g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER,
        SL_TEST_CALL_ID, w);
    g_autoptr (GBytes) commit = sl_handshake_start (a, NULL);
    g_autoptr (GBytes) alert = NULL;

    sl_wipe_recorder_reset (&f->rec);
    alert = sl_handshake_abort (a, SL_CRYPTO_ERROR_INTERNAL);
    g_assert_nonnull (alert);
    sl_wipe_recorder_assert (&f->rec, LABELS (SL_WIPE_X25519_KEY,
            SL_WIPE_SPAKE2_SCALAR));
  }
}

/* The slow path through the async constructor wipes its copy of the code
 * and the password hash in the worker thread. */
static void
on_new (GObject * source, GAsyncResult * result, gpointer user_data)
{
  SlHandshake **out = user_data;

  *out = sl_handshake_new_finish (result, NULL);
  g_assert_nonnull (*out);
}

static void
test_async_code (Fixture * f, gconstpointer data)
{
  SlHandshake *hs = NULL;

  sl_handshake_new_async (SL_ROLE_CALLER, SL_TEST_CALL_ID, SL_TEST_ID_A,
      SL_TEST_ID_B, "5555", NULL, on_new, &hs);
  while (hs == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The task data (with the code copy) is freed with the task. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  sl_wipe_recorder_assert (&f->rec, LABELS (SL_WIPE_CODE,
          SL_WIPE_PASSWORD_HASH, SL_WIPE_SPAKE2_W));
  sl_wipe_recorder_assert_ended (&f->rec, LABELS (SL_WIPE_CODE,
          SL_WIPE_PASSWORD_HASH, SL_WIPE_SPAKE2_W));
  g_object_unref (hs);
}

/* The caller's plaintext after sl_session_seal(), whatever the outcome:
 * read here, in the caller's own buffer. */
static void
assert_zero (const guint8 * buf, gsize len, const char *what)
{
  gsize i;

  for (i = 0; i < len; i++)
    if (buf[i] != 0)
      g_error ("%s: byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
          " still holds the plaintext", what, i, len);
}

static void
test_records (Fixture * f, gconstpointer data)
{
  static const char text[] = "v=0 o=- 1 1 IN IP4 127.0.0.1";
  guint8 key[32], iv[12], call[16];
  g_autoptr (SlSession) s = NULL;
  g_autoptr (SlSession) r = NULL;
  g_autoptr (GBytes) rec = NULL;
  g_autoptr (GBytes) bad = NULL;
  g_autofree guint8 *big = NULL;
  GBytes *plain;
  guint8 msg[sizeof text];
  guint8 *copy;
  gsize len;

  memset (key, 1, sizeof key);
  memset (iv, 2, sizeof iv);
  memset (call, 3, sizeof call);
  s = sl_session_new_internal (SL_ROLE_CALLER, call, key, iv, key, iv, key,
      NULL);
  r = sl_session_new_internal (SL_ROLE_CALLEE, call, key, iv, key, iv, key,
      NULL);

  memcpy (msg, text, sizeof msg);
  rec = sl_session_seal (s, SL_WIRE_RECORD_SDP_OFFER, msg, sizeof msg, NULL);
  g_assert_nonnull (rec);
  assert_zero (msg, sizeof msg, "sealed");
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_SEAL_PLAINTEXT),
      ==, 1);

  /* Refused: a type that is not a record's, too long, keys erased. */
  memcpy (msg, text, sizeof msg);
  g_assert_null (sl_session_seal (s, 0x01, msg, sizeof msg, NULL));
  assert_zero (msg, sizeof msg, "refused type");
  big = g_malloc (SL_RECORD_MAX_PLAINTEXT + 1);
  memset (big, 0x5a, SL_RECORD_MAX_PLAINTEXT + 1);
  g_assert_null (sl_session_seal (s, SL_WIRE_RECORD_CONTROL, big,
          SL_RECORD_MAX_PLAINTEXT + 1, NULL));
  assert_zero (big, SL_RECORD_MAX_PLAINTEXT + 1, "refused length");

  plain = sl_session_open (r, rec, NULL, NULL);
  g_assert_nonnull (plain);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
      text, sizeof text);
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_OPEN_PLAINTEXT),
      ==, 0);
  g_bytes_unref (plain);
  g_assert_cmpuint (sl_wipe_recorder_count (&f->rec, SL_WIPE_OPEN_PLAINTEXT),
      ==, 1);

  /* A record that fails authentication: its scratch plaintext is wiped. */
  copy = g_memdup2 (g_bytes_get_data (rec, &len), g_bytes_get_size (rec));
  copy[len - 1] ^= 1;
  copy[9] = 1;
  bad = g_bytes_new_take (copy, len);
  g_assert_null (sl_session_open (r, bad, NULL, NULL));
  sl_wipe_recorder_assert (&f->rec, LABELS (SL_WIPE_SEAL_PLAINTEXT,
          SL_WIPE_OPEN_PLAINTEXT, SL_WIPE_OPEN_FAILED));
  sl_wipe_recorder_assert_ended (&f->rec, LABELS (SL_WIPE_OPEN_PLAINTEXT,
          SL_WIPE_OPEN_FAILED));

  sl_session_clear (s);
  memcpy (msg, text, sizeof msg);
  g_assert_null (sl_session_seal (s, SL_WIRE_RECORD_CONTROL, msg, sizeof msg,
          NULL));
  assert_zero (msg, sizeof msg, "keys erased");

  g_object_unref (g_steal_pointer (&s));
  g_object_unref (g_steal_pointer (&r));
  sl_wipe_recorder_assert_ended (&f->rec, LABELS (SESSION_KEYS));
  g_assert_cmpuint (sl_wipe_recorder_ended (&f->rec, SL_WIPE_SEND_IV), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, d) \
  g_test_add (path, Fixture, d, fixture_setup, fn, fixture_teardown)
  ADD ("/wipe/success/no-code", test_success, GINT_TO_POINTER (0));
  ADD ("/wipe/success/code", test_success, GINT_TO_POINTER (1));
  ADD ("/wipe/failure/wrong-code", test_wrong_code, NULL);
  ADD ("/wipe/failure/altered-message", test_altered_message, NULL);
  ADD ("/wipe/failure/bad-point", test_bad_point, NULL);
  ADD ("/wipe/abort", test_abort, NULL);
  ADD ("/wipe/async-code", test_async_code, NULL);
  ADD ("/wipe/records", test_records, NULL);
#undef ADD

  return g_test_run ();
}
