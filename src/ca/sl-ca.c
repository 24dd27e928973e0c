/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The operator's CA folder:
 *
 *   ca.key     the CA's private key (mode 0600)
 *   ca.crt     the CA certificate, given to the server and every device
 *   index.txt  every certificate issued (see sl-ca-index.c)
 *   crl.pem    the signed revocation list the server reads
 *   .lock      held (flock) while a command runs, so two operators cannot
 *              interleave updates of index.txt and crl.pem
 *
 * Every file is written to a temporary name first: a new file is then
 * linked into place (which fails if the name exists, so nothing is
 * overwritten by accident), a replaced one renamed over the old one, so a
 * reader (the server) never sees half a file.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-ca.h"
#include "sl-crypto.h"
#include "sl-pki.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define CRL_VALID_DAYS 365

struct _SlCa
{
  GObject parent_instance;

  char *dir;
  int lock_fd;
  GBytes *cert;
  GBytes *key;
  SlCaIndex *index;
};

G_DEFINE_FINAL_TYPE (SlCa, sl_ca, G_TYPE_OBJECT);

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
wipe_bytes (GBytes * bytes)
{
  gsize len;
  gpointer data;

  if (bytes == NULL)
    return;
  data = g_bytes_unref_to_data (bytes, &len);
  sl_crypto_wipe ("pem-key", data, len);
  g_free (data);
}

/* A GBytes holding a private key: wiped, not just freed. */
typedef GBytes GBytesSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GBytesSecret, wipe_bytes)
     static gboolean
         io_error (GError ** error, int code, const char *path,
    const char *what, int errsv)
{
  g_set_error (error, SL_CA_ERROR, code, "%s %s: %s", what, path,
      g_strerror (errsv));
  return FALSE;
}

/* Writes @data to @path with @mode.  Without @replace an existing @path is
 * an error and is left alone. */
static gboolean
write_file (const char *path, GBytes * data, int mode, gboolean replace,
    GError ** error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp-XXXXXX", NULL);
  gsize len;
  const char *p = g_bytes_get_data (data, &len);
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0)
    return io_error (error, SL_CA_ERROR_IO, path, "cannot write", errno);
  /* mkstemp applies the umask; the key must be 0600 whatever it is. */
  if (fchmod (fd, (mode_t) mode) != 0)
    goto fail;
  while (len > 0) {
    ssize_t n = write (fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      goto fail;
    p += n;
    len -= (gsize) n;
  }
  if (fsync (fd) != 0)
    goto fail;
  close (fd);
  fd = -1;

  if (replace) {
    if (g_rename (tmp, path) != 0)
      goto fail;
  } else {
    if (link (tmp, path) != 0) {
      int errsv = errno;
      g_unlink (tmp);
      if (errsv == EEXIST) {
        g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_EXISTS,
            "%s already exists; not overwriting it (use --force to replace "
            "it)", path);
        return FALSE;
      }
      return io_error (error, SL_CA_ERROR_IO, path, "cannot write", errsv);
    }
    g_unlink (tmp);
  }
  return TRUE;

fail:
  {
    int errsv = errno;
    if (fd >= 0)
      close (fd);
    g_unlink (tmp);
    return io_error (error, SL_CA_ERROR_IO, path, "cannot write", errsv);
  }
}

static GBytes *
read_file (const char *path, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, &local_error)) {
    g_set_error (error, SL_CA_ERROR, g_error_matches (local_error,
            G_FILE_ERROR, G_FILE_ERROR_NOENT) ? SL_CA_ERROR_NOT_FOUND :
        SL_CA_ERROR_IO, "cannot read %s: %s", path, local_error->message);
    return NULL;
  }
  return g_bytes_new_take (data, len);
}

static gboolean
refuse_existing (const char *path, gboolean force, GError ** error)
{
  if (!force && g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_EXISTS,
        "%s already exists; not overwriting it (use --force to replace it)",
        path);
    return FALSE;
  }
  return TRUE;
}

static gboolean
lock_dir (SlCa * self, GError ** error)
{
  g_autofree char *path = g_build_filename (self->dir, ".lock", NULL);

  self->lock_fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    return io_error (error, SL_CA_ERROR_IO, path, "cannot open", errno);
  if (flock (self->lock_fd, LOCK_EX) != 0)
    return io_error (error, SL_CA_ERROR_IO, path, "cannot lock", errno);
  return TRUE;
}

static char *
ca_path (SlCa * self, const char *name)
{
  return g_build_filename (self->dir, name, NULL);
}

/**
 * sl_ca_write_crl:
 * @self: an open CA
 * @error: return location for an error
 *
 * Signs a new revocation list from the index and replaces crl.pem.
 *
 * Returns: whether crl.pem was written
 */
gboolean
sl_ca_write_crl (SlCa * self, GError ** error)
{
  g_autoptr (GArray) revoked = g_array_new (FALSE, FALSE,
      sizeof (SlPkiRevoked));
  g_autoptr (GBytes) crl = NULL;
  g_autofree char *path = ca_path (self, "crl.pem");
  guint i;

  g_return_val_if_fail (SL_IS_CA (self), FALSE);
  for (i = 0; i < sl_ca_index_get_n_entries (self->index); i++) {
    const SlCaEntry *e = sl_ca_index_get_entry (self->index, i);
    SlPkiRevoked r = { e->serial, e->revoked_at };

    if (e->revoked_at != 0)
      g_array_append_val (revoked, r);
  }
  crl = sl_pki_make_crl (self->cert, self->key,
      (const SlPkiRevoked *) (gpointer) revoked->data, revoked->len,
      now_unix (), CRL_VALID_DAYS, error);
  return crl != NULL && write_file (path, crl, 0644, TRUE, error);
}

/**
 * sl_ca_create:
 * @dir: the CA folder; created (mode 0700) if missing
 * @name: the CA's common name
 * @not_before: start of validity
 * @not_after: end of validity
 * @error: return location for an error
 *
 * Creates a new CA: a P-256 key, a self-signed certificate, an empty index
 * and an empty revocation list.  Refuses a folder that already holds a CA.
 *
 * Returns: (transfer full) (nullable): the open CA
 */
SlCa *
sl_ca_create (const char *dir, const char *name, gint64 not_before,
    gint64 not_after, GError ** error)
{
  g_autoptr (SlCa) self = g_object_new (SL_TYPE_CA, NULL);
  g_autofree char *key_path = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *index_path = NULL;

  self->dir = g_strdup (dir);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    io_error (error, SL_CA_ERROR_IO, dir, "cannot create", errno);
    return NULL;
  }
  if (!lock_dir (self, error))
    return NULL;
  key_path = ca_path (self, "ca.key");
  cert_path = ca_path (self, "ca.crt");
  index_path = ca_path (self, "index.txt");
  if (g_file_test (key_path, G_FILE_TEST_EXISTS) ||
      g_file_test (cert_path, G_FILE_TEST_EXISTS)) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_EXISTS,
        "%s already holds a CA; refusing to replace it", dir);
    return NULL;
  }

  self->key = sl_pki_generate_key (error);
  if (self->key == NULL)
    return NULL;
  self->cert = sl_pki_make_ca (self->key, name, not_before, not_after, error);
  if (self->cert == NULL)
    return NULL;
  if (!write_file (key_path, self->key, 0600, FALSE, error))
    return NULL;
  if (!write_file (cert_path, self->cert, 0644, FALSE, error)) {
    g_unlink (key_path);
    return NULL;
  }
  self->index = sl_ca_index_new ();
  if (!sl_ca_index_save (self->index, index_path, error) ||
      !sl_ca_write_crl (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sl_ca_open:
 * @dir: a CA folder made by sl_ca_create()
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the CA, locked until it is freed
 */
SlCa *
sl_ca_open (const char *dir, GError ** error)
{
  g_autoptr (SlCa) self = g_object_new (SL_TYPE_CA, NULL);
  g_autofree char *key_path = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *index_path = NULL;
  g_autoptr (GError) local_error = NULL;
  GStatBuf st;

  self->dir = g_strdup (dir);
  key_path = ca_path (self, "ca.key");
  cert_path = ca_path (self, "ca.crt");
  index_path = ca_path (self, "index.txt");
  if (!g_file_test (key_path, G_FILE_TEST_EXISTS)) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_NOT_FOUND,
        "%s is not a CA folder (no ca.key); run 'sightline-ca init' first",
        dir);
    return NULL;
  }
  if (!lock_dir (self, error))
    return NULL;
  if (g_stat (key_path, &st) == 0 && (st.st_mode & 0077))
    g_warning ("%s is readable by other users (mode %03o); it should be "
        "0600", key_path, (unsigned) (st.st_mode & 0777));

  if (!(self->cert = read_file (cert_path, error)) ||
      !(self->key = read_file (key_path, error)))
    return NULL;
  if (!sl_pki_check_key_pair (self->cert, self->key, &local_error)) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_IO, "%s and %s: %s",
        cert_path, key_path, local_error->message);
    return NULL;
  }
  self->index = sl_ca_index_load (index_path, error);
  if (self->index == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sl_ca_get_dir:
 * @self: a CA
 *
 * Returns: (transfer none): its folder
 */
const char *
sl_ca_get_dir (SlCa * self)
{
  g_return_val_if_fail (SL_IS_CA (self), NULL);
  return self->dir;
}

/**
 * sl_ca_get_index:
 * @self: a CA
 *
 * Returns: (transfer none): its index
 */
SlCaIndex *
sl_ca_get_index (SlCa * self)
{
  g_return_val_if_fail (SL_IS_CA (self), NULL);
  return self->index;
}

static gboolean
issue (SlCa * self, const char *kind, SlPkiUsage usage, const char *id,
    const char *name, const char *role, const char *const *dns_names,
    const char *const *ips, const char *out_dir, const char *file_stem,
    gint64 not_before, gint64 not_after, gboolean force, char **out_serial,
    GError ** error)
{
  g_autofree char *key_path = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_name = g_strconcat (file_stem, ".key", NULL);
  g_autofree char *cert_name = g_strconcat (file_stem, ".crt", NULL);
  g_autofree char *index_path = ca_path (self, "index.txt");
  g_autofree char *serial = NULL;
  g_autoptr (GBytesSecret) key = NULL;
  g_autoptr (GBytes) cert = NULL;
  const SlCaEntry *current;

  current = sl_ca_index_find_current (self->index, kind, id, now_unix ());
  if (current && usage == SL_PKI_USAGE_DEVICE) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_EXISTS,
        "device id '%s' already has a valid certificate (serial %s); "
        "revoke it first", id, current->serial);
    return FALSE;
  }
  if (g_mkdir_with_parents (out_dir, 0700) != 0)
    return io_error (error, SL_CA_ERROR_IO, out_dir, "cannot create", errno);
  key_path = g_build_filename (out_dir, key_name, NULL);
  cert_path = g_build_filename (out_dir, cert_name, NULL);
  if (!refuse_existing (key_path, force, error) ||
      !refuse_existing (cert_path, force, error))
    return FALSE;

  key = sl_pki_generate_key (error);
  if (key == NULL)
    return FALSE;
  cert = sl_pki_issue (self->cert, self->key, key, usage, id, name, role,
      dns_names, ips, not_before, not_after, &serial, error);
  if (cert == NULL)
    return FALSE;
  if (!write_file (key_path, key, 0600, force, error))
    return FALSE;
  if (!write_file (cert_path, cert, 0644, force, error)) {
    g_unlink (key_path);
    return FALSE;
  }
  sl_ca_index_add (self->index, kind, serial, id, not_after, role, name);
  if (!sl_ca_index_save (self->index, index_path, error))
    return FALSE;
  if (out_serial)
    *out_serial = g_steal_pointer (&serial);
  return TRUE;
}

/**
 * sl_ca_issue_device:
 * @self: an open CA
 * @id: the device id (the certificate's CN)
 * @name: the display name
 * @role: the role, e.g. "goggles" or "expert"
 * @out_dir: where to write @id.key (0600) and @id.crt
 * @not_before: start of validity
 * @not_after: end of validity
 * @force: replace existing files in @out_dir
 * @out_serial: (out) (optional): the new serial
 * @error: return location for an error
 *
 * Refuses an id that already has a certificate that is neither revoked nor
 * expired: revoke it first.
 *
 * Returns: whether the key and certificate were written
 */
gboolean
sl_ca_issue_device (SlCa * self, const char *id, const char *name,
    const char *role, const char *out_dir, gint64 not_before,
    gint64 not_after, gboolean force, char **out_serial, GError ** error)
{
  g_return_val_if_fail (SL_IS_CA (self), FALSE);
  /* Check names before touching any file; the id is also a file name. */
  if (!sl_pki_check_device_id (id, error) ||
      !sl_pki_check_display_name (name, error) ||
      !sl_pki_check_role (role, error))
    return FALSE;
  return issue (self, "device", SL_PKI_USAGE_DEVICE, id, name, role, NULL,
      NULL, out_dir, id, not_before, not_after, force, out_serial, error);
}

/**
 * sl_ca_issue_server:
 * @self: an open CA
 * @name: the server's common name
 * @dns_names: (array zero-terminated=1) (nullable): DNS names
 * @ip_addresses: (array zero-terminated=1) (nullable): IP addresses
 * @out_dir: where to write server.key (0600) and server.crt
 * @not_before: start of validity
 * @not_after: end of validity
 * @force: replace existing files in @out_dir
 * @out_serial: (out) (optional): the new serial
 * @error: return location for an error
 *
 * Returns: whether the key and certificate were written
 */
gboolean
sl_ca_issue_server (SlCa * self, const char *name,
    const char *const *dns_names, const char *const *ip_addresses,
    const char *out_dir, gint64 not_before, gint64 not_after, gboolean force,
    char **out_serial, GError ** error)
{
  g_return_val_if_fail (SL_IS_CA (self), FALSE);
  if (!sl_pki_check_dns_name (name, error))
    return FALSE;
  return issue (self, "server", SL_PKI_USAGE_SERVER, name, NULL, NULL,
      dns_names, ip_addresses, out_dir, "server", not_before, not_after,
      force, out_serial, error);
}

/**
 * sl_ca_revoke:
 * @self: an open CA
 * @id: (nullable): revoke every certificate of this device id
 * @serial: (nullable): or the certificate with this serial
 * @error: return location for an error
 *
 * Marks the certificates revoked and rewrites crl.pem; a running server
 * reloads it on change (or SIGHUP) and disconnects the device.
 *
 * Returns: the number of certificates revoked; 0 with @error set if none
 *   matched
 */
guint
sl_ca_revoke (SlCa * self, const char *id, const char *serial, GError ** error)
{
  g_autofree char *index_path = NULL;
  guint n;

  g_return_val_if_fail (SL_IS_CA (self), 0);
  g_return_val_if_fail (id != NULL || serial != NULL, 0);

  n = sl_ca_index_revoke (self->index, id, serial, now_unix ());
  if (n == 0) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_NOT_FOUND,
        "no unrevoked certificate with %s '%s'", id ? "device id" : "serial",
        id ? id : serial);
    return 0;
  }
  index_path = ca_path (self, "index.txt");
  if (!sl_ca_index_save (self->index, index_path, error) ||
      !sl_ca_write_crl (self, error))
    return 0;
  return n;
}

static void
sl_ca_dispose (GObject * object)
{
  SlCa *self = SL_CA (object);

  g_clear_object (&self->index);
  G_OBJECT_CLASS (sl_ca_parent_class)->dispose (object);
}

static void
sl_ca_finalize (GObject * object)
{
  SlCa *self = SL_CA (object);

  if (self->lock_fd >= 0)
    close (self->lock_fd);      /* releases the flock */
  g_clear_pointer (&self->cert, g_bytes_unref);
  g_clear_pointer (&self->key, wipe_bytes);
  g_free (self->dir);
  G_OBJECT_CLASS (sl_ca_parent_class)->finalize (object);
}

static void
sl_ca_class_init (SlCaClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_ca_dispose;
  object_class->finalize = sl_ca_finalize;
}

static void
sl_ca_init (SlCa * self)
{
  self->lock_fd = -1;
}
