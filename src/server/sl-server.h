/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-server-config.h"
#include "sl-server-metrics.h"

G_BEGIN_DECLS

/**
 * SlServerShutdownFunc:
 * @user_data: user data
 *
 * Called when a graceful shutdown has finished.
 */
typedef void (*SlServerShutdownFunc) (gpointer user_data);

#define SL_TYPE_SERVER (sl_server_get_type ())
G_DECLARE_FINAL_TYPE (SlServer, sl_server, SL, SERVER, GObject)

SlServer *        sl_server_new             (SlServerConfig  *config,
                                             GError         **error);

gboolean          sl_server_start           (SlServer        *self,
                                             GError         **error);

guint16           sl_server_get_port        (SlServer        *self);
guint16           sl_server_get_admin_port  (SlServer        *self);
SlServerMetrics * sl_server_get_metrics     (SlServer        *self);

void              sl_server_reload          (SlServer        *self);

void              sl_server_shutdown        (SlServer            *self,
                                             SlServerShutdownFunc done,
                                             gpointer             user_data);

G_END_DECLS
