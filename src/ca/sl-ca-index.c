/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The CA's record of every certificate it issued: one tab-separated line
 * per certificate (kind, serial, id, not-after, revoked-at, role, name).
 * It is what lets `issue-device` refuse a clashing id and `revoke` find
 * the serials of a device; the revocation list is rebuilt from it.
 * Display names cannot contain tabs or newlines (they refuse control
 * characters), so the format needs no quoting.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-ca-index.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define INDEX_HEADER "# sightline-ca index v1: kind serial id not-after " \
    "revoked-at role name\n"

G_DEFINE_QUARK (sl - ca - error - quark, sl_ca_error);

struct _SlCaIndex
{
  GObject parent_instance;

  GPtrArray *entries;           /* of SlCaEntry */
};

G_DEFINE_FINAL_TYPE (SlCaIndex, sl_ca_index, G_TYPE_OBJECT);

static void
entry_free (gpointer data)
{
  SlCaEntry *e = data;

  g_free (e->kind);
  g_free (e->serial);
  g_free (e->id);
  g_free (e->role);
  g_free (e->name);
  g_free (e);
}

/**
 * sl_ca_index_new:
 *
 * Returns: (transfer full): an empty index
 */
SlCaIndex *
sl_ca_index_new (void)
{
  return g_object_new (SL_TYPE_CA_INDEX, NULL);
}

static gboolean
parse_line (SlCaIndex * self, const char *line, guint lineno, GError ** error)
{
  g_auto (GStrv) f = g_strsplit (line, "\t", -1);
  gint64 not_after, revoked_at;
  SlCaEntry *e;

  if (g_strv_length (f) != 7 ||
      (!g_str_equal (f[0], "device") && !g_str_equal (f[0], "server")) ||
      !g_ascii_string_to_signed (f[3], 10, 0, G_MAXINT64, &not_after, NULL) ||
      !g_ascii_string_to_signed (f[4], 10, 0, G_MAXINT64, &revoked_at, NULL)
      || f[1][0] == '\0' || f[2][0] == '\0') {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_CORRUPT,
        "line %u is malformed", lineno);
    return FALSE;
  }
  e = g_new0 (SlCaEntry, 1);
  e->kind = g_strdup (f[0]);
  e->serial = g_strdup (f[1]);
  e->id = g_strdup (f[2]);
  e->not_after = not_after;
  e->revoked_at = revoked_at;
  e->role = g_strdup (f[5]);
  e->name = g_strdup (f[6]);
  g_ptr_array_add (self->entries, e);
  return TRUE;
}

/**
 * sl_ca_index_load:
 * @path: the index file
 * @error: return location for an %SL_CA_ERROR
 *
 * Returns: (transfer full) (nullable): the index
 */
SlCaIndex *
sl_ca_index_load (const char *path, GError ** error)
{
  g_autoptr (SlCaIndex) self = sl_ca_index_new ();
  g_autoptr (GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint i;

  if (!g_file_get_contents (path, &text, NULL, &local_error)) {
    g_set_error (error, SL_CA_ERROR, g_error_matches (local_error,
            G_FILE_ERROR, G_FILE_ERROR_NOENT) ? SL_CA_ERROR_NOT_FOUND :
        SL_CA_ERROR_IO, "cannot read the index: %s", local_error->message);
    return NULL;
  }
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    g_autoptr (GError) line_error = NULL;

    if (lines[i][0] == '\0' || lines[i][0] == '#')
      continue;
    if (!parse_line (self, lines[i], i + 1, &line_error)) {
      g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_CORRUPT, "%s: %s", path,
          line_error->message);
      return NULL;
    }
  }
  return g_steal_pointer (&self);
}

/**
 * sl_ca_index_save:
 * @self: an index
 * @path: where to write it; replaced atomically
 * @error: return location for an %SL_CA_ERROR_IO error
 *
 * Returns: whether the index was written
 */
gboolean
sl_ca_index_save (SlCaIndex * self, const char *path, GError ** error)
{
  g_autoptr (GString) out = g_string_new (INDEX_HEADER);
  g_autoptr (GError) local_error = NULL;
  guint i;

  g_return_val_if_fail (SL_IS_CA_INDEX (self), FALSE);

  for (i = 0; i < self->entries->len; i++) {
    SlCaEntry *e = g_ptr_array_index (self->entries, i);

    g_string_append_printf (out, "%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%"
        G_GINT64_FORMAT "\t%s\t%s\n", e->kind, e->serial, e->id,
        e->not_after, e->revoked_at, e->role, e->name);
  }
  if (!g_file_set_contents_full (path, out->str, (gssize) out->len,
          G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error)) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_IO,
        "cannot write the index: %s", local_error->message);
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_ca_index_get_n_entries:
 * @self: an index
 *
 * Returns: the number of certificates recorded
 */
guint
sl_ca_index_get_n_entries (SlCaIndex * self)
{
  g_return_val_if_fail (SL_IS_CA_INDEX (self), 0);
  return self->entries->len;
}

/**
 * sl_ca_index_get_entry:
 * @self: an index
 * @index: less than sl_ca_index_get_n_entries()
 *
 * Returns: (transfer none): the entry
 */
const SlCaEntry *
sl_ca_index_get_entry (SlCaIndex * self, guint index)
{
  g_return_val_if_fail (SL_IS_CA_INDEX (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);
  return g_ptr_array_index (self->entries, index);
}

/**
 * sl_ca_index_find_current:
 * @self: an index
 * @kind: "device" or "server"
 * @id: a device id or server name
 * @now: the current Unix time
 *
 * Returns: (transfer none) (nullable): a certificate of @id that is
 *   neither revoked nor expired, if there is one
 */
const SlCaEntry *
sl_ca_index_find_current (SlCaIndex * self, const char *kind,
    const char *id, gint64 now)
{
  guint i;

  g_return_val_if_fail (SL_IS_CA_INDEX (self), NULL);
  for (i = 0; i < self->entries->len; i++) {
    SlCaEntry *e = g_ptr_array_index (self->entries, i);

    if (g_str_equal (e->kind, kind) && g_str_equal (e->id, id) &&
        e->revoked_at == 0 && e->not_after > now)
      return e;
  }
  return NULL;
}

/**
 * sl_ca_index_add:
 * @self: an index
 * @kind: "device" or "server"
 * @serial: the new certificate's serial
 * @id: its device id or server name
 * @not_after: end of validity
 * @role: (nullable): devices: the role
 * @name: (nullable): devices: the display name
 *
 * Records a new certificate.
 */
void
sl_ca_index_add (SlCaIndex * self, const char *kind, const char *serial,
    const char *id, gint64 not_after, const char *role, const char *name)
{
  SlCaEntry *e;

  g_return_if_fail (SL_IS_CA_INDEX (self));
  e = g_new0 (SlCaEntry, 1);
  e->kind = g_strdup (kind);
  e->serial = g_strdup (serial);
  e->id = g_strdup (id);
  e->not_after = not_after;
  e->role = g_strdup (role ? role : "-");
  e->name = g_strdup (name ? name : "-");
  g_ptr_array_add (self->entries, e);
}

/**
 * sl_ca_index_revoke:
 * @self: an index
 * @id: (nullable): revoke every certificate of this device id
 * @serial: (nullable): or the certificate with this serial
 * @now: the revocation time
 *
 * Returns: the number of certificates newly marked revoked
 */
guint
sl_ca_index_revoke (SlCaIndex * self, const char *id, const char *serial,
    gint64 now)
{
  guint n = 0;
  guint i;

  g_return_val_if_fail (SL_IS_CA_INDEX (self), 0);
  for (i = 0; i < self->entries->len; i++) {
    SlCaEntry *e = g_ptr_array_index (self->entries, i);

    if (e->revoked_at != 0)
      continue;
    if ((id && g_str_equal (e->kind, "device") && g_str_equal (e->id, id)) ||
        (serial && g_ascii_strcasecmp (e->serial, serial) == 0)) {
      e->revoked_at = now;
      n++;
    }
  }
  return n;
}

static void
sl_ca_index_finalize (GObject * object)
{
  SlCaIndex *self = SL_CA_INDEX (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  G_OBJECT_CLASS (sl_ca_index_parent_class)->finalize (object);
}

static void
sl_ca_index_class_init (SlCaIndexClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_ca_index_finalize;
}

static void
sl_ca_index_init (SlCaIndex * self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}
