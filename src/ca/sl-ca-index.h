/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SL_CA_ERROR (sl_ca_error_quark ())
GQuark sl_ca_error_quark (void);

/**
 * SlCaError:
 * @SL_CA_ERROR_EXISTS: a file would be overwritten, or a device id
 *   already has a valid certificate.
 * @SL_CA_ERROR_NOT_FOUND: no such device or serial in the index, or the
 *   CA folder is not initialised.
 * @SL_CA_ERROR_IO: a file cannot be read or written.
 * @SL_CA_ERROR_CORRUPT: the index file is malformed.
 * @SL_CA_ERROR_USAGE: the command line is wrong.
 */
typedef enum
{
  SL_CA_ERROR_EXISTS,
  SL_CA_ERROR_NOT_FOUND,
  SL_CA_ERROR_IO,
  SL_CA_ERROR_CORRUPT,
  SL_CA_ERROR_USAGE,
} SlCaError;

/**
 * SlCaEntry:
 * @kind: "device" or "server"
 * @serial: lowercase hexadecimal serial
 * @id: the device id, or the server's common name
 * @not_after: end of validity, Unix time
 * @revoked_at: Unix time of revocation, 0 while valid
 * @role: devices: the role ("-" for servers)
 * @name: devices: the display name ("-" for servers)
 *
 * One issued certificate.
 */
typedef struct
{
  char *kind;
  char *serial;
  char *id;
  gint64 not_after;
  gint64 revoked_at;
  char *role;
  char *name;
} SlCaEntry;

#define SL_TYPE_CA_INDEX (sl_ca_index_get_type ())
G_DECLARE_FINAL_TYPE (SlCaIndex, sl_ca_index, SL, CA_INDEX, GObject)

SlCaIndex *       sl_ca_index_new          (void);
SlCaIndex *       sl_ca_index_load         (const char  *path,
                                            GError     **error);
gboolean          sl_ca_index_save         (SlCaIndex   *self,
                                            const char  *path,
                                            GError     **error);

guint             sl_ca_index_get_n_entries (SlCaIndex  *self);
const SlCaEntry * sl_ca_index_get_entry    (SlCaIndex   *self,
                                            guint        index);
const SlCaEntry * sl_ca_index_find_current (SlCaIndex   *self,
                                            const char  *kind,
                                            const char  *id,
                                            gint64       now);
void              sl_ca_index_add          (SlCaIndex   *self,
                                            const char  *kind,
                                            const char  *serial,
                                            const char  *id,
                                            gint64       not_after,
                                            const char  *role,
                                            const char  *name);
guint             sl_ca_index_revoke       (SlCaIndex   *self,
                                            const char  *id,
                                            const char  *serial,
                                            gint64       now);

G_END_DECLS
