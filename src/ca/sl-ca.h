/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-ca-index.h"

G_BEGIN_DECLS

#define SL_TYPE_CA (sl_ca_get_type ())
G_DECLARE_FINAL_TYPE (SlCa, sl_ca, SL, CA, GObject)

SlCa *      sl_ca_create        (const char         *dir,
                                 const char         *name,
                                 gint64              not_before,
                                 gint64              not_after,
                                 GError            **error);
SlCa *      sl_ca_open          (const char         *dir,
                                 GError            **error);

const char *sl_ca_get_dir       (SlCa               *self);
SlCaIndex * sl_ca_get_index     (SlCa               *self);

gboolean    sl_ca_issue_device  (SlCa               *self,
                                 const char         *id,
                                 const char         *name,
                                 const char         *role,
                                 const char         *out_dir,
                                 gint64              not_before,
                                 gint64              not_after,
                                 gboolean            force,
                                 char              **out_serial,
                                 GError            **error);
gboolean    sl_ca_issue_server  (SlCa               *self,
                                 const char         *name,
                                 const char *const  *dns_names,
                                 const char *const  *ip_addresses,
                                 const char         *out_dir,
                                 gint64              not_before,
                                 gint64              not_after,
                                 gboolean            force,
                                 char              **out_serial,
                                 GError            **error);
guint       sl_ca_revoke        (SlCa               *self,
                                 const char         *id,
                                 const char         *serial,
                                 GError            **error);
gboolean    sl_ca_write_crl     (SlCa               *self,
                                 GError            **error);

G_END_DECLS
