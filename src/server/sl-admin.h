/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-server-metrics.h"

G_BEGIN_DECLS

#define SL_TYPE_ADMIN (sl_admin_get_type ())
G_DECLARE_FINAL_TYPE (SlAdmin, sl_admin, SL, ADMIN, GObject)

SlAdmin *   sl_admin_new                (SlServerMetrics  *metrics);

gboolean    sl_admin_listen             (SlAdmin          *self,
                                         GSocketAddress   *address,
                                         guint16          *out_port,
                                         GError          **error);

void        sl_admin_set_shutting_down  (SlAdmin          *self,
                                         gboolean          shutting_down);

G_END_DECLS
