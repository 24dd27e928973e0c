/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SL_TYPE_REVOCATION (sl_revocation_get_type ())
G_DECLARE_FINAL_TYPE (SlRevocation, sl_revocation, SL, REVOCATION, GObject)

SlRevocation * sl_revocation_new        (const char    *crl_path,
                                         GBytes        *ca_pem,
                                         GError       **error);

gboolean       sl_revocation_reload     (SlRevocation  *self,
                                         GError       **error);

gboolean       sl_revocation_is_revoked (SlRevocation  *self,
                                         const char    *serial);

guint          sl_revocation_get_count  (SlRevocation  *self);

G_END_DECLS
