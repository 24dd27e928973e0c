/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-cluster.h"

G_BEGIN_DECLS

#define SL_TYPE_CLUSTER_CALLS (sl_cluster_calls_get_type ())
G_DECLARE_FINAL_TYPE (SlClusterCalls, sl_cluster_calls, SL, CLUSTER_CALLS,
                      GObject)

SlClusterCalls * sl_cluster_calls_new   (SlCluster          *cluster,
                                         SlPresence         *presence);
gboolean         sl_cluster_calls_route (SlClusterCalls     *self,
                                         const SlDeviceInfo *from,
                                         SlMessage          *msg);

G_END_DECLS
