/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-cluster.h"

G_BEGIN_DECLS

/**
 * SlClusterHashesFound:
 * @instance: another instance that has a device hash in Redis
 * @user_data: user data
 */
typedef void (*SlClusterHashesFound) (const char *instance,
                                      gpointer    user_data);

/**
 * SlClusterHashesRead:
 * @instance: the instance whose hash was read
 * @joins: (element-type SlMessage): its devices, checked "join" bus
 *   messages of @instance
 * @user_data: user data
 */
typedef void (*SlClusterHashesRead) (const char *instance,
                                     GPtrArray  *joins,
                                     gpointer    user_data);

#define SL_CLUSTER_HASH_PREFIX "sightline:devices:"

#define SL_TYPE_CLUSTER_HASHES (sl_cluster_hashes_get_type ())
G_DECLARE_FINAL_TYPE (SlClusterHashes, sl_cluster_hashes, SL, CLUSTER_HASHES,
                      GObject)

SlClusterHashes * sl_cluster_hashes_new   (SlCluster            *cluster,
                                           SlClusterHashesFound  found,
                                           SlClusterHashesRead   read,
                                           gpointer              user_data);
void              sl_cluster_hashes_scan  (SlClusterHashes      *self);
void              sl_cluster_hashes_fetch (SlClusterHashes      *self,
                                           const char           *instance);

G_END_DECLS
