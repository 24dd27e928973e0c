/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-call-router.h"
#include "sl-cluster.h"
#include "sl-server-connection.h"

G_BEGIN_DECLS

#define SL_TYPE_CLUSTER_CALL_STORE (sl_cluster_call_store_get_type ())
G_DECLARE_FINAL_TYPE (SlClusterCallStore, sl_cluster_call_store, SL,
                      CLUSTER_CALL_STORE, GObject)

SlClusterCallStore * sl_cluster_call_store_new    (SlCluster          *cluster,
                                                   SlCallRouter       *router,
                                                   SlDeviceDirectory  *directory,
                                                   guint               expiry_s,
                                                   guint               max_members);
void                 sl_cluster_call_store_resume (SlClusterCallStore *self,
                                                   SlServerConnection *conn,
                                                   SlMessage          *msg);

G_END_DECLS
