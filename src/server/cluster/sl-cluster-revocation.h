/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-cluster.h"

G_BEGIN_DECLS

#define SL_TYPE_CLUSTER_REVOCATION (sl_cluster_revocation_get_type ())
G_DECLARE_FINAL_TYPE (SlClusterRevocation, sl_cluster_revocation, SL,
                      CLUSTER_REVOCATION, GObject)

SlClusterRevocation * sl_cluster_revocation_new       (SlCluster            *cluster,
                                                       SlPresence           *presence);
void                  sl_cluster_revocation_set_func  (SlClusterRevocation  *self,
                                                       SlClusterRevokedFunc  func,
                                                       gpointer              user_data);
void                  sl_cluster_revocation_check     (SlClusterRevocation  *self,
                                                       const char           *device_id);
void                  sl_cluster_revocation_check_all (SlClusterRevocation  *self);
void                  sl_cluster_revocation_receive   (SlClusterRevocation  *self,
                                                       const SlMessage      *msg);

G_END_DECLS
