/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A throw-away operator CA for tests.  Everything is made by running the
 * real sightline-ca, so the tests also cover the tool the operator uses.
 * The binaries are found through $SIGHTLINE_CA_BIN / $SIGHTLINE_SERVER_BIN,
 * else the paths meson compiled in.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-test-pki.h"

#include <glib/gstdio.h>

struct _SlTestPki
{
  GObject parent_instance;

  char *dir;
  GTlsDatabase *database;
};

G_DEFINE_FINAL_TYPE (SlTestPki, sl_test_pki, G_TYPE_OBJECT);

const char *
sl_test_ca_binary (void)
{
  const char *env = g_getenv ("SIGHTLINE_CA_BIN");

  return env ? env : SL_TEST_CA_BIN;
}

const char *
sl_test_server_binary (void)
{
  const char *env = g_getenv ("SIGHTLINE_SERVER_BIN");

  return env ? env : SL_TEST_SERVER_BIN;
}

/**
 * sl_test_pki_run_ca:
 * @self: the PKI
 * @args: (array zero-terminated=1): arguments after the binary; "--dir
 *   DIR" is appended
 * @out_stdout: (out) (optional): standard output
 * @out_stderr: (out) (optional): standard error
 * @out_status: (out) (optional): exit status
 * @error: return location for a spawn error
 *
 * Returns: whether the tool could be run (whatever its exit status)
 */
gboolean
sl_test_pki_run_ca (SlTestPki * self, const char *const *args,
    char **out_stdout, char **out_stderr, int *out_status, GError ** error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint i;

  g_ptr_array_add (argv, (gpointer) sl_test_ca_binary ());
  for (i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--dir");
  g_ptr_array_add (argv, self->dir);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char *const *) argv->pdata,
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (proc == NULL ||
      !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, error))
    return FALSE;
  if (out_status)
    *out_status = g_subprocess_get_if_exited (proc) ?
        g_subprocess_get_exit_status (proc) : -1;
  if (out_stdout)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr)
    *out_stderr = g_steal_pointer (&err);
  return TRUE;
}

static gboolean
run_ok (SlTestPki * self, const char *const *args, GError ** error)
{
  g_autofree char *err = NULL;
  int status = -1;

  if (!sl_test_pki_run_ca (self, args, NULL, &err, &status, error))
    return FALSE;
  if (status != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "sightline-ca %s failed (%d): %s", args[0], status, err);
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_test_pki_new:
 * @error: return location for an error
 *
 * Makes a CA and a server certificate for localhost, 127.0.0.1 and ::1
 * in a new temporary folder (removed when the object is freed).
 *
 * Returns: (transfer full) (nullable): the PKI
 */
SlTestPki *
sl_test_pki_new (GError ** error)
{
  g_autoptr (SlTestPki) self = g_object_new (SL_TYPE_TEST_PKI, NULL);
  const char *init[] = { "init", NULL };
  const char *server[] = { "issue-server", "--dns", "localhost", "--ip",
    "127.0.0.1", "--ip", "::1", NULL
  };
  g_autofree char *ca = NULL;

  self->dir = g_dir_make_tmp ("sightline-test-XXXXXX", error);
  if (self->dir == NULL || !run_ok (self, init, error) ||
      !run_ok (self, server, error))
    return NULL;
  ca = sl_test_pki_path (self, "ca.crt");
  self->database = g_tls_file_database_new (ca, error);
  if (self->database == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

const char *
sl_test_pki_get_dir (SlTestPki * self)
{
  return self->dir;
}

/**
 * sl_test_pki_path:
 * @self: the PKI
 * @name: a file in the CA folder, e.g. "ca.crt" or "devices/x.key"
 *
 * Returns: (transfer full): its absolute path
 */
char *
sl_test_pki_path (SlTestPki * self, const char *name)
{
  return g_build_filename (self->dir, name, NULL);
}

/**
 * sl_test_pki_issue_device:
 * @self: the PKI
 * @id: device id
 * @name: display name
 * @role: role
 * @extra_args: (nullable) (array zero-terminated=1): e.g. --not-after
 * @error: return location for an error
 *
 * Issues devices/@id.crt and devices/@id.key.
 *
 * Returns: whether sightline-ca succeeded
 */
gboolean
sl_test_pki_issue_device (SlTestPki * self, const char *id, const char *name,
    const char *role, const char *const *extra_args, GError ** error)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  guint i;

  g_ptr_array_add (args, (gpointer) "issue-device");
  g_ptr_array_add (args, (gpointer) "--id");
  g_ptr_array_add (args, (gpointer) id);
  g_ptr_array_add (args, (gpointer) "--name");
  g_ptr_array_add (args, (gpointer) name);
  g_ptr_array_add (args, (gpointer) "--role");
  g_ptr_array_add (args, (gpointer) role);
  for (i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (args, (gpointer) extra_args[i]);
  g_ptr_array_add (args, NULL);
  return run_ok (self, (const char *const *) args->pdata, error);
}

/**
 * sl_test_pki_issue_devices:
 * @self: the PKI
 * @devices: (array length=n): the devices
 * @n: how many
 * @error: return location for the first failure
 *
 * Returns: whether every device was issued
 */
gboolean
sl_test_pki_issue_devices (SlTestPki * self, const SlTestDevice * devices,
    guint n, GError ** error)
{
  guint i;

  for (i = 0; i < n; i++) {
    if (!sl_test_pki_issue_device (self, devices[i].id, devices[i].name,
            devices[i].role, NULL, error))
      return FALSE;
  }
  return TRUE;
}

/**
 * sl_test_pki_revoke:
 * @self: the PKI
 * @id: a device id
 * @error: return location for an error
 *
 * Returns: whether sightline-ca revoked it (and rewrote crl.pem)
 */
gboolean
sl_test_pki_revoke (SlTestPki * self, const char *id, GError ** error)
{
  const char *args[] = { "revoke", "--id", id, NULL };

  return run_ok (self, args, error);
}

/**
 * sl_test_pki_load_device:
 * @self: the PKI
 * @id: a device issued with sl_test_pki_issue_device()
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): its certificate with its key
 */
GTlsCertificate *
sl_test_pki_load_device (SlTestPki * self, const char *id, GError ** error)
{
  g_autofree char *crt = g_strdup_printf ("%s/devices/%s.crt", self->dir,
      id);
  g_autofree char *key = g_strdup_printf ("%s/devices/%s.key", self->dir,
      id);

  return g_tls_certificate_new_from_files (crt, key, error);
}

/**
 * sl_test_pki_get_database:
 * @self: the PKI
 *
 * Returns: (transfer none): a database trusting only this CA
 */
GTlsDatabase *
sl_test_pki_get_database (SlTestPki * self)
{
  return self->database;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
        !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static void
sl_test_pki_dispose (GObject * object)
{
  SlTestPki *self = SL_TEST_PKI (object);

  g_clear_object (&self->database);
  G_OBJECT_CLASS (sl_test_pki_parent_class)->dispose (object);
}

static void
sl_test_pki_finalize (GObject * object)
{
  SlTestPki *self = SL_TEST_PKI (object);

  if (self->dir && !g_getenv ("SL_TEST_KEEP_TMP"))
    remove_tree (self->dir);
  g_free (self->dir);
  G_OBJECT_CLASS (sl_test_pki_parent_class)->finalize (object);
}

static void
sl_test_pki_class_init (SlTestPkiClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_test_pki_dispose;
  object_class->finalize = sl_test_pki_finalize;
}

static void
sl_test_pki_init (SlTestPki * self)
{
}
