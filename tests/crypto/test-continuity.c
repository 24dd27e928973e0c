/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Key continuity: the store file (atomic, 0600, rs1/rs2 rotation, keyed by
 * device id and certificate, damaged files set aside, forget) and the
 * handshake with retained secrets: same secret, a secret on one side
 * only, different secrets, the rs2 fallback after a lost update, a
 * changed certificate, a relay without the secret, and a relay that
 * forwards a device's proofs but cannot mix in the secret.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "crypto-test-util.h"
#include "handshake-test-util.h"
#include "sl-continuity-store.h"

static const guint8 cert_a[SL_CERT_HASH_LEN] = { 0xa1, 0xa2, 0xa3 };
static const guint8 cert_b[SL_CERT_HASH_LEN] = { 0xb1, 0xb2, 0xb3 };
static const guint8 cert_other[SL_CERT_HASH_LEN] = { 0xcc };

typedef struct
{
  char *dir;
  SlContinuityStore *store_a;   /* device A's store (it remembers B) */
  SlContinuityStore *store_b;
  guint problems;
  guint retained_wipes;
  gboolean retained_dirty;
} Fixture;

static void
on_wipe (const char *label, const guint8 * mem, gsize len, gpointer data)
{
  Fixture *f = data;
  gsize i;

  if (!g_str_equal (label, "retained secret"))
    return;
  f->retained_wipes++;
  for (i = 0; i < len; i++)
    f->retained_dirty |= mem[i] != 0;
}

static void
on_problem (SlContinuityStore * store, GError * error, Fixture * f)
{
  g_test_message ("store problem: %s", error->message);
  f->problems++;
}

static void
fixture_setup (Fixture * f, gconstpointer data)
{
  g_autofree char *pa = NULL;
  g_autofree char *pb = NULL;

  f->dir = g_dir_make_tmp ("sl-continuity-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  pa = g_build_filename (f->dir, "a", "continuity", "goggles-7f3a.store", NULL);
  pb = g_build_filename (f->dir, "b", "continuity", "expert-pc-19c2.store",
      NULL);
  f->store_a = sl_continuity_store_new (pa);
  f->store_b = sl_continuity_store_new (pb);
  g_signal_connect (f->store_a, "problem", G_CALLBACK (on_problem), f);
  g_signal_connect (f->store_b, "problem", G_CALLBACK (on_problem), f);
  sl_crypto_set_wipe_observer (on_wipe, f);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture * f, gconstpointer data)
{
  sl_crypto_set_wipe_observer (NULL, NULL);
  g_clear_object (&f->store_a);
  g_clear_object (&f->store_b);
  remove_tree (f->dir);
  g_free (f->dir);
}

static void
secret (guint8 out[SL_RETAINED_SECRET_LEN], guint8 fill)
{
  memset (out, fill, SL_RETAINED_SECRET_LEN);
}

static void
remember (SlContinuityStore * store, const char *peer, const guint8 * cert,
    guint8 fill)
{
  guint8 rs[SL_RETAINED_SECRET_LEN];
  g_autoptr (SlContinuityUpdate) u = NULL;
  g_autoptr (GError) error = NULL;

  secret (rs, fill);
  u = sl_continuity_update_new (peer, cert, rs);
  g_assert_true (sl_continuity_store_apply (store, u, &error));
  g_assert_no_error (error);
}

/* --- the store --------------------------------------------------------- */

static void
test_store_round_trip (Fixture * f, gconstpointer data)
{
  const char *path = sl_continuity_store_get_path (f->store_a);
  g_autofree char *dir = g_path_get_dirname (path);
  SlRetainedSecrets s;
  guint8 rs[SL_RETAINED_SECRET_LEN];
  gboolean changed = TRUE;
  GStatBuf st;

  g_assert_false (sl_continuity_store_lookup (f->store_a, SL_TEST_ID_B,
          cert_b, &s, &changed));
  g_assert_false (changed);
  g_assert_true (sl_continuity_store_check (f->store_a, NULL));

  remember (f->store_a, SL_TEST_ID_B, cert_b, 0x11);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_true (sl_continuity_store_lookup (f->store_a, SL_TEST_ID_B,
          cert_b, &s, NULL));
  g_assert_cmpuint (s.n, ==, 1);
  secret (rs, 0x11);
  g_assert_cmpmem (s.rs[0], 32, rs, 32);
  sl_retained_secrets_clear (&s);

  /* Newest first; the one before it kept as rs2; older ones forgotten. */
  remember (f->store_a, SL_TEST_ID_B, cert_b, 0x22);
  remember (f->store_a, "third", cert_other, 0x99);
  remember (f->store_a, SL_TEST_ID_B, cert_b, 0x33);
  g_assert_true (sl_continuity_store_lookup (f->store_a, SL_TEST_ID_B,
          cert_b, &s, NULL));
  g_assert_cmpuint (s.n, ==, 2);
  secret (rs, 0x33);
  g_assert_cmpmem (s.rs[0], 32, rs, 32);
  secret (rs, 0x22);
  g_assert_cmpmem (s.rs[1], 32, rs, 32);
  sl_retained_secrets_clear (&s);
  g_assert_cmpuint (s.n, ==, 0);

  /* Keyed by the certificate too. */
  g_assert_false (sl_continuity_store_lookup (f->store_a, SL_TEST_ID_B,
          cert_other, &s, &changed));
  g_assert_true (changed);
  g_assert_cmpuint (s.n, ==, 0);
  remember (f->store_a, SL_TEST_ID_B, cert_other, 0x44);
  g_assert_true (sl_continuity_store_lookup (f->store_a, SL_TEST_ID_B,
          cert_other, &s, NULL));
  g_assert_cmpuint (s.n, ==, 1);
  sl_retained_secrets_clear (&s);
  g_assert_true (sl_continuity_store_lookup (f->store_a, "third",
          cert_other, &s, NULL));
  sl_retained_secrets_clear (&s);

  /* Written atomically: nothing but the store in its folder. */
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (d))) {
      g_assert_cmpstr (name, ==, "goggles-7f3a.store");
      n++;
    }
    g_assert_cmpuint (n, ==, 1);
  }
  g_assert_cmpuint (f->problems, ==, 0);
  g_assert_cmpuint (f->retained_wipes, >, 0);
  g_assert_false (f->retained_dirty);
}

static void
test_store_forget (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  SlRetainedSecrets s;
  gboolean found = FALSE;

  remember (f->store_a, SL_TEST_ID_B, cert_b, 0x11);
  remember (f->store_a, "third", cert_other, 0x22);
  g_assert_true (sl_continuity_store_forget (f->store_a, SL_TEST_ID_B, &found,
          &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_false (sl_continuity_store_lookup (f->store_a, SL_TEST_ID_B,
          cert_b, &s, NULL));
  g_assert_true (sl_continuity_store_lookup (f->store_a, "third", cert_other,
          &s, NULL));
  sl_retained_secrets_clear (&s);
  g_assert_true (sl_continuity_store_forget (f->store_a, SL_TEST_ID_B, &found,
          &error));
  g_assert_false (found);
  g_assert_false (sl_continuity_store_forget (f->store_a, "../etc", &found,
          &error));
  g_assert_error (error, SL_CONTINUITY_ERROR, SL_CONTINUITY_ERROR_INVALID);
}

/* Every way a store file can be wrong: reported, set aside (kept, not
 * deleted), and the store starts empty; never a crash. */
static void
test_store_damaged (Fixture * f, gconstpointer data)
{
  const char *hex =
      "1111111111111111111111111111111111111111111111111111111111111111";
  g_autofree char *good =
      g_strdup_printf ("sightline-continuity 1\n" "expert %s %s - 1700000000\n",
      hex, hex);
  const char *path = sl_continuity_store_get_path (f->store_a);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *upper = g_ascii_strup (good, -1);
  const char *bad[] = {
    "", "\n", "sightline-continuity 2\n", "garbage",
    "sightline-continuity 1\nexpert 11 22 - 1\n",
    "sightline-continuity 1\nexpert\n",
    "sightline-continuity 1\n\n",
  };
  g_autofree char *trunc = g_strndup (good, strlen (good) - 1);
  g_autofree char *dup = g_strdup_printf ("%sexpert %s %s %s 1\n", good, hex,
      hex, hex);
  g_autofree char *extra = g_strdup_printf ("sightline-continuity 1\n"
      "expert %s %s - 17 x\n", hex, hex);
  g_autofree char *badid = g_strdup_printf ("sightline-continuity 1\n"
      "Expert/.. %s %s - 17\n", hex, hex);
  g_autofree char *badtime = g_strdup_printf ("sightline-continuity 1\n"
      "expert %s %s - -17\n", hex, hex);
  g_autofree char *nul = g_strdup (good);
  const char *more[] = { upper, trunc, dup, extra, badid, badtime };
  guint i, n_bad = G_N_ELEMENTS (bad) + G_N_ELEMENTS (more) + 1;

  nul[30] = '\0';
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* The well-formed one is accepted. */
  g_assert_true (g_file_set_contents (path, good, -1, NULL));
  g_assert_true (sl_continuity_store_check (f->store_a, NULL));

  for (i = 0; i < n_bad; i++) {
    g_autoptr (GError) error = NULL;
    const char *text = i < G_N_ELEMENTS (bad) ? bad[i] :
        i < n_bad - 1 ? more[i - G_N_ELEMENTS (bad)] : nul;
    gssize len = i == n_bad - 1 ? (gssize) strlen (good) : -1;
    SlRetainedSecrets s;

    g_assert_true (g_file_set_contents (path, text, len, NULL));
    if (i % 2 == 0) {
      g_assert_false (sl_continuity_store_check (f->store_a, &error));
      g_assert_error (error, SL_CONTINUITY_ERROR, SL_CONTINUITY_ERROR_DAMAGED);
      g_assert_nonnull (strstr (error->message, "set aside as"));
    } else {
      guint before = f->problems;
      guint8 cert[SL_CERT_HASH_LEN];

      /* In a call: counts as empty and is reported. */
      memset (cert, 0x11, sizeof cert);
      g_assert_false (sl_continuity_store_lookup (f->store_a, "expert", cert,
              &s, NULL));
      g_assert_cmpuint (f->problems, ==, before + 1);
    }
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  /* Every damaged file was kept beside the store. */
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (d)))
      n += g_str_has_prefix (name, "goggles-7f3a.store.damaged-");
    g_assert_cmpuint (n, ==, n_bad);
  }
  /* A new store starts. */
  remember (f->store_a, SL_TEST_ID_B, cert_b, 0x55);
  g_assert_true (sl_continuity_store_check (f->store_a, NULL));
}

/* --- the handshake ------------------------------------------------------ */

typedef struct
{
  SlContinuity a, b;
  char *sas_a, *sas_b;
  GError *err_a, *err_b;
  SlContinuityUpdate *up_a, *up_b;
} Call;

static void
call_clear (Call * c)
{
  g_free (c->sas_a);
  g_free (c->sas_b);
  g_clear_error (&c->err_a);
  g_clear_error (&c->err_b);
  g_clear_pointer (&c->up_a, sl_continuity_update_free);
  g_clear_pointer (&c->up_b, sl_continuity_update_free);
}

/* One honest call between A and B with their stores; B may present
 * another certificate. */
static void
run_call (Fixture * f, const guint8 * cert_of_b, Call * c)
{
  g_autofree char *call_id = sl_crypto_call_id_new ();
  g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER, call_id, NULL);
  g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE, call_id, NULL);

  memset (c, 0, sizeof *c);
  sl_handshake_set_continuity (a, f->store_a, cert_a);
  sl_handshake_set_continuity (b, f->store_b, cert_of_b);
  sl_test_drive (a, b, NULL, NULL, &c->err_a, &c->err_b);
  c->a = sl_handshake_get_continuity (a);
  c->b = sl_handshake_get_continuity (b);
  c->sas_a = g_strdup (sl_handshake_get_sas (a));
  c->sas_b = g_strdup (sl_handshake_get_sas (b));
  c->up_a = sl_handshake_take_continuity_update (a);
  c->up_b = sl_handshake_take_continuity_update (b);
}

static void
assert_completed (Call * c)
{
  g_assert_no_error (c->err_a);
  g_assert_no_error (c->err_b);
  g_assert_nonnull (c->sas_a);
  g_assert_cmpstr (c->sas_a, ==, c->sas_b);
  g_assert_nonnull (c->up_a);
  g_assert_nonnull (c->up_b);
}

static void
apply (SlContinuityStore * store, SlContinuityUpdate * up)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sl_continuity_store_apply (store, up, &error));
  g_assert_no_error (error);
}

/* The first verified call leaves both devices with the same secret; the
 * next call proves it on both sides. */
static void
test_handshake_match (Fixture * f, gconstpointer data)
{
  Call c;

  run_call (f, cert_b, &c);
  assert_completed (&c);
  g_assert_cmpint (c.a, ==, SL_CONTINUITY_NONE);
  g_assert_cmpint (c.b, ==, SL_CONTINUITY_NONE);
  g_assert_cmpstr (sl_continuity_update_get_peer_id (c.up_a), ==, SL_TEST_ID_B);
  apply (f->store_a, c.up_a);
  apply (f->store_b, c.up_b);
  call_clear (&c);

  run_call (f, cert_b, &c);
  assert_completed (&c);
  g_assert_cmpint (c.a, ==, SL_CONTINUITY_MATCH);
  g_assert_cmpint (c.b, ==, SL_CONTINUITY_MATCH);
  call_clear (&c);
  g_assert_false (f->retained_dirty);
}

/* One side lost its store (or forgot the peer): the side that still
 * remembers sees a mismatch, the other nothing; the call completes. */
static void
test_handshake_one_side (Fixture * f, gconstpointer data)
{
  Call c;

  run_call (f, cert_b, &c);
  apply (f->store_a, c.up_a);
  apply (f->store_b, c.up_b);
  call_clear (&c);
  g_assert_true (sl_continuity_store_forget (f->store_b, SL_TEST_ID_A, NULL,
          NULL));
  run_call (f, cert_b, &c);
  assert_completed (&c);
  g_assert_cmpint (c.a, ==, SL_CONTINUITY_MISMATCH);
  g_assert_cmpint (c.b, ==, SL_CONTINUITY_NONE);
  call_clear (&c);
}

/* Both remember the other, with different secrets. */
static void
test_handshake_different (Fixture * f, gconstpointer data)
{
  Call c;

  remember (f->store_a, SL_TEST_ID_B, cert_b, 0x11);
  remember (f->store_b, SL_TEST_ID_A, cert_a, 0x12);
  run_call (f, cert_b, &c);
  assert_completed (&c);
  g_assert_cmpint (c.a, ==, SL_CONTINUITY_MISMATCH);
  g_assert_cmpint (c.b, ==, SL_CONTINUITY_MISMATCH);
  call_clear (&c);
}

/* A's update of call 2 was stored, B's was lost: call 3 still proves
 * continuity through A's rs2, and both are in step again afterwards. */
static void
test_handshake_rs2 (Fixture * f, gconstpointer data)
{
  Call c;
  guint i;

  for (i = 0; i < 4; i++) {
    run_call (f, cert_b, &c);
    assert_completed (&c);
    g_assert_cmpint (c.a, ==, i == 0 ? SL_CONTINUITY_NONE :
        SL_CONTINUITY_MATCH);
    g_assert_cmpint (c.b, ==, c.a);
    apply (f->store_a, c.up_a);
    if (i != 1)
      apply (f->store_b, c.up_b);
    call_clear (&c);
  }
}

/* B comes back with another certificate: A does not use the old secret
 * and says why; B still remembers A, whose proofs are now random. */
static void
test_handshake_cert_changed (Fixture * f, gconstpointer data)
{
  Call c;

  run_call (f, cert_b, &c);
  apply (f->store_a, c.up_a);
  apply (f->store_b, c.up_b);
  call_clear (&c);
  run_call (f, cert_other, &c);
  assert_completed (&c);
  g_assert_cmpint (c.a, ==, SL_CONTINUITY_CERT_CHANGED);
  g_assert_cmpint (c.b, ==, SL_CONTINUITY_MISMATCH);
  /* Verified again, the entry follows the new certificate. */
  apply (f->store_a, c.up_a);
  apply (f->store_b, c.up_b);
  call_clear (&c);
  run_call (f, cert_other, &c);
  g_assert_cmpint (c.a, ==, SL_CONTINUITY_MATCH);
  g_assert_cmpint (c.b, ==, SL_CONTINUITY_MATCH);
  call_clear (&c);
}

/* A relay that swaps keys and holds no retained secret (its own
 * handshakes towards A and B, stores empty): both devices complete with
 * different SAS, and both see the mismatch, never a match. */
static void
test_relay_without_secret (Fixture * f, gconstpointer data)
{
  guint trial;
  Call c;

  run_call (f, cert_b, &c);
  apply (f->store_a, c.up_a);
  apply (f->store_b, c.up_b);
  call_clear (&c);

  for (trial = 0; trial < 50; trial++) {
    g_autofree char *call_id = sl_crypto_call_id_new ();
    g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER, call_id,
        NULL);
    g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE, call_id,
        NULL);
    g_autoptr (SlHandshake) ra = sl_test_handshake (SL_ROLE_CALLEE, call_id,
        NULL);
    g_autoptr (SlHandshake) rb = sl_test_handshake (SL_ROLE_CALLER, call_id,
        NULL);
    g_autoptr (GError) err_a = NULL;
    g_autoptr (GError) err_b = NULL;

    sl_handshake_set_continuity (a, f->store_a, cert_a);
    sl_handshake_set_continuity (b, f->store_b, cert_b);
    /* The relay claims the devices' certificate hashes. */
    sl_handshake_set_continuity (ra, NULL, cert_b);
    sl_handshake_set_continuity (rb, NULL, cert_a);
    sl_test_drive (a, ra, NULL, NULL, &err_a, NULL);
    sl_test_drive (rb, b, NULL, NULL, NULL, &err_b);
    g_assert_no_error (err_a);
    g_assert_no_error (err_b);
    g_assert_cmpint (sl_handshake_get_continuity (a), ==,
        SL_CONTINUITY_MISMATCH);
    g_assert_cmpint (sl_handshake_get_continuity (b), ==,
        SL_CONTINUITY_MISMATCH);
    g_assert_cmpstr (sl_handshake_get_sas (a), !=, sl_handshake_get_sas (b));
  }
}

/* A relay that copies B's proofs into its own Reply to A (their
 * transcripts agree up to there) makes A find a match, but the relay
 * cannot mix in the secret: A's keys differ from the relay's and the
 * handshake fails at A.  If the secret were not mixed into the keys, the
 * relay would complete a call A counts as continuity-verified. */
static void
test_relay_forwarded_proofs (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_crypto_call_id_new ();
  g_autoptr (SlHandshake) a = sl_test_handshake (SL_ROLE_CALLER, call_id, NULL);
  g_autoptr (SlHandshake) b = sl_test_handshake (SL_ROLE_CALLEE, call_id, NULL);
  g_autoptr (SlHandshake) ra = sl_test_handshake (SL_ROLE_CALLEE, call_id,
      NULL);
  g_autoptr (GBytes) commit = NULL;
  g_autoptr (GBytes) reply_b = NULL;
  g_autoptr (GBytes) reply_r = NULL;
  g_autoptr (GBytes) reveal = NULL;
  g_autoptr (GBytes) to_a = NULL;
  g_autoptr (GBytes) none = NULL;
  g_autoptr (GError) err_r = NULL;
  g_autoptr (GError) err_a = NULL;
  const guint8 *rb;
  gsize len;
  Call c;

  run_call (f, cert_b, &c);
  apply (f->store_a, c.up_a);
  apply (f->store_b, c.up_b);
  call_clear (&c);

  sl_handshake_set_continuity (a, f->store_a, cert_a);
  sl_handshake_set_continuity (b, f->store_b, cert_b);
  sl_handshake_set_continuity (ra, NULL, cert_b);
  commit = sl_handshake_start (a, NULL);
  g_assert_true (sl_handshake_process (b, commit, &reply_b, NULL));
  /* B's proofs are the last 64 bytes of its Reply. */
  rb = g_bytes_get_data (reply_b, &len);
  sl_handshake_set_test_proofs (ra, rb + len - 64);
  g_assert_true (sl_handshake_process (ra, commit, &reply_r, NULL));
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (reply_r, NULL) +
      len - 64, 64, rb + len - 64, 64);

  g_assert_true (sl_handshake_process (a, reply_r, &reveal, NULL));
  /* The relay cannot check A's MAC (A mixed in the secret)... */
  g_assert_false (sl_handshake_process (ra, reveal, &to_a, &err_r));
  g_assert_error (err_r, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  /* ...and its Alert fails A's call, which never completes. */
  g_assert_false (sl_handshake_process (a, to_a, &none, &err_a));
  g_assert_error (err_a, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_assert_false (sl_handshake_is_complete (a));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/continuity/store/round-trip", test_store_round_trip);
  ADD ("/continuity/store/forget", test_store_forget);
  ADD ("/continuity/store/damaged", test_store_damaged);
  ADD ("/continuity/handshake/match", test_handshake_match);
  ADD ("/continuity/handshake/one-side", test_handshake_one_side);
  ADD ("/continuity/handshake/different", test_handshake_different);
  ADD ("/continuity/handshake/rs2", test_handshake_rs2);
  ADD ("/continuity/handshake/cert-changed", test_handshake_cert_changed);
  ADD ("/continuity/relay/without-secret", test_relay_without_secret);
  ADD ("/continuity/relay/forwarded-proofs", test_relay_forwarded_proofs);
#undef ADD

  return g_test_run ();
}
