/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The real sightline-ca binary: key modes, no silent overwrite, clear
 * errors for bad names, clashing ids and unreadable files, certificates
 * that say what they should, and a revocation list the server accepts. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sl-pki.h"
#include "sl-test-pki.h"

typedef struct
{
  SlTestPki *pki;
} Fixture;

static void
setup (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  g_clear_object (&f->pki);
}

/* Runs sightline-ca; returns its exit status and standard error. */
static int
ca (Fixture * f, char **out_err, const char *first, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  const char *a;
  va_list ap;
  int status = -1;

  va_start (ap, first);
  for (a = first; a; a = va_arg (ap, const char *))
      g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_assert_true (sl_test_pki_run_ca (f->pki, (const char *const *)
          args->pdata, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (out_err)
    *out_err = g_steal_pointer (&err);
  return status;
}

static void
assert_mode (SlTestPki * pki, const char *name, guint mode)
{
  g_autofree char *path = sl_test_pki_path (pki, name);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static GBytes *
read_bytes (SlTestPki * pki, const char *name)
{
  g_autofree char *path = sl_test_pki_path (pki, name);
  char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

static void
test_init_and_modes (Fixture * f, gconstpointer data)
{
  g_autofree char *err = NULL;
  g_autoptr (GBytes) before = read_bytes (f->pki, "ca.key");
  g_autoptr (GBytes) after = NULL;

  assert_mode (f->pki, "ca.key", 0600);
  assert_mode (f->pki, "server/server.key", 0600);
  /* A second init refuses and leaves the CA alone. */
  g_assert_cmpint (ca (f, &err, "init", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already holds a CA"));
  after = read_bytes (f->pki, "ca.key");
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_issue_device (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) crt = NULL;
  g_autoptr (GBytes) ca_pem = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (SlPkiIdentity) id = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpint (ca (f, NULL, "issue-device", "--id", "goggles-7",
          "--name", "Goggles \xc3\x9c" "ber 7", "--role", "goggles", "--days",
          "30", NULL), ==, 0);
  assert_mode (f->pki, "devices/goggles-7.key", 0600);
  crt = read_bytes (f->pki, "devices/goggles-7.crt");
  key = read_bytes (f->pki, "devices/goggles-7.key");
  g_assert_true (sl_pki_check_key_pair (crt, key, &error));
  id = sl_pki_identity_from_pem (crt, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id->device_id, ==, "goggles-7");
  g_assert_cmpstr (id->display_name, ==, "Goggles \xc3\x9c" "ber 7");
  g_assert_cmpstr (id->role, ==, "goggles");
  g_assert_cmpint (id->not_after, >, now + 29 * 86400);
  g_assert_cmpint (id->not_after, <, now + 31 * 86400);
  /* Signed by this CA: its revocation list verifies against the same CA,
   * a different CA's does not. */
  ca_pem = read_bytes (f->pki, "ca.crt");
  {
    g_autoptr (GBytes) crl = read_bytes (f->pki, "crl.pem");
    g_autoptr (GHashTable) set = sl_pki_load_crl (crl, ca_pem, &error);
    g_autoptr (SlTestPki) other = sl_test_pki_new (&error);
    g_autoptr (GBytes) other_ca = read_bytes (other, "ca.crt");
    g_autoptr (GHashTable) none = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (set), ==, 0);
    none = sl_pki_load_crl (crl, other_ca, &error);
    g_assert_null (none);
    g_assert_error (error, SL_PKI_ERROR, SL_PKI_ERROR_VERIFY);
  }
}

static void
test_bad_names (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const char *id, *name, *role, *fragment;
    int status;
  } cases[] = {
    {"Bad Id", "x", "goggles", "device id \"Bad Id\"", 1},
    {"-lead", "x", "goggles", "device id", 1},
    {"ok-1", "tab\there", "goggles", "display name", 1},
    {"ok-1", "", "goggles", "--name is required", 2},
    {"ok-1", "x", "Goggles", "role \"Goggles\"", 1},
    {"ok-1", "x", "", "--role is required", 2},
    {"ok-1",
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "goggles", "longer than 64 bytes", 1},
    {"../evil", "x", "goggles", "device id", 1},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *err = NULL;
    g_autofree char *key = g_strdup_printf ("devices/%s.key", cases[i].id);
    g_autofree char *path = sl_test_pki_path (f->pki, key);

    g_assert_cmpint (ca (f, &err, "issue-device", "--id", cases[i].id,
            "--name", cases[i].name, "--role", cases[i].role, NULL), ==,
        cases[i].status);
    if (!strstr (err, cases[i].fragment))
      g_error ("case %u: '%s' lacks '%s'", i, err, cases[i].fragment);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpint (ca (f, NULL, "issue-server", "--dns", "bad_name!", NULL),
      ==, 1);
  g_assert_cmpint (ca (f, NULL, "issue-server", "--ip", "300.1.2.3",
          "--force", NULL), ==, 1);
  g_assert_cmpint (ca (f, NULL, "issue-device", "--id", "x", NULL), ==, 2);
  g_assert_cmpint (ca (f, NULL, "issue-device", "--id", "x", "--name", "x",
          "--role", "x", "--days", "0", NULL), ==, 2);
  g_assert_cmpint (ca (f, NULL, "no-such-command", NULL), ==, 2);
}

static void
test_clash_and_overwrite (Fixture * f, gconstpointer data)
{
  g_autofree char *err = NULL;
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) still = NULL;
  g_autoptr (GBytes) renewed = NULL;

  g_assert_cmpint (ca (f, NULL, "issue-device", "--id", "e-1", "--name",
          "E", "--role", "expert", NULL), ==, 0);
  first = read_bytes (f->pki, "devices/e-1.key");

  /* Same id while its certificate is valid: refused, nothing touched. */
  g_assert_cmpint (ca (f, &err, "issue-device", "--id", "e-1", "--name",
          "E2", "--role", "expert", "--force", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already has a valid certificate"));
  still = read_bytes (f->pki, "devices/e-1.key");
  g_assert_true (g_bytes_equal (first, still));

  /* Revoked: the id may be reissued, but the old files stay unless
   * --force says to replace them. */
  g_assert_cmpint (ca (f, NULL, "revoke", "--id", "e-1", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ca (f, &err, "issue-device", "--id", "e-1", "--name",
          "E2", "--role", "expert", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not overwriting"));
  g_assert_cmpint (ca (f, NULL, "issue-device", "--id", "e-1", "--name",
          "E2", "--role", "expert", "--force", NULL), ==, 0);
  renewed = read_bytes (f->pki, "devices/e-1.key");
  g_assert_false (g_bytes_equal (first, renewed));
  assert_mode (f->pki, "devices/e-1.key", 0600);

  /* Revoking what does not exist is an error. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ca (f, &err, "revoke", "--id", "nobody", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no unrevoked certificate"));
}

static void
test_revoke_lists_serial (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) crt = NULL;
  g_autoptr (GBytes) crl = NULL;
  g_autoptr (GBytes) ca_pem = NULL;
  g_autoptr (SlPkiIdentity) id = NULL;
  g_autoptr (GHashTable) set = NULL;
  g_autofree char *out = NULL;
  const char *args[] = { "list", NULL };

  g_assert_true (sl_test_pki_issue_device (f->pki, "r-1", "R", "goggles",
          NULL, &error));
  g_assert_true (sl_test_pki_revoke (f->pki, "r-1", &error));
  crt = read_bytes (f->pki, "devices/r-1.crt");
  id = sl_pki_identity_from_pem (crt, &error);
  crl = read_bytes (f->pki, "crl.pem");
  ca_pem = read_bytes (f->pki, "ca.crt");
  set = sl_pki_load_crl (crl, ca_pem, &error);
  g_assert_no_error (error);
  g_assert_true (g_hash_table_contains (set, id->serial));
  g_assert_true (sl_test_pki_run_ca (f->pki, args, &out, NULL, NULL, &error));
  g_assert_nonnull (strstr (out, "revoked"));
  g_assert_nonnull (strstr (out, id->serial));
}

static void
test_unreadable_files (Fixture * f, gconstpointer data)
{
  g_autofree char *err = NULL;
  g_autofree char *key = sl_test_pki_path (f->pki, "ca.key");
  g_autofree char *index = sl_test_pki_path (f->pki, "index.txt");

  g_assert_true (g_file_set_contents (key, "not a key", -1, NULL));
  g_assert_cmpint (ca (f, &err, "issue-device", "--id", "a", "--name", "A",
          "--role", "goggles", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "ca.key"));
  g_clear_object (&f->pki);

  setup (f, NULL);
  g_free (index);
  index = sl_test_pki_path (f->pki, "index.txt");
  g_assert_true (g_file_set_contents (index, "device\tbroken\n", -1, NULL));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ca (f, &err, "list", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "line 1 is malformed"));
}

static void
test_expired_issue (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) crt = NULL;
  g_autoptr (SlPkiIdentity) id = NULL;
  const char *args[] = { "--not-before", "2020-01-01T00:00:00Z",
    "--not-after", "@1577923200", NULL
  };

  g_assert_true (sl_test_pki_issue_device (f->pki, "old-1", "Old", "expert",
          args, &error));
  crt = read_bytes (f->pki, "devices/old-1.crt");
  id = sl_pki_identity_from_pem (crt, &error);
  g_assert_cmpint (id->not_after, ==, 1577923200);
  g_assert_cmpint (ca (f, NULL, "issue-device", "--id", "x-1", "--name",
          "X", "--role", "x", "--not-after", "yesterday-ish", NULL), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/ca/init-and-modes", test_init_and_modes);
  ADD ("/ca/issue-device", test_issue_device);
  ADD ("/ca/bad-names", test_bad_names);
  ADD ("/ca/clash-and-overwrite", test_clash_and_overwrite);
  ADD ("/ca/revoke-lists-serial", test_revoke_lists_serial);
  ADD ("/ca/unreadable-files", test_unreadable_files);
  ADD ("/ca/expired-issue", test_expired_issue);
#undef ADD
  return g_test_run ();
}
