/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-cluster-config.h"
#include "sl-presence.h"
#include "sl-redis-link.h"
#include "sl-server-metrics.h"

G_BEGIN_DECLS

/**
 * SlClusterRevokedFunc:
 * @serial: a certificate serial number
 * @user_data: user data
 *
 * Returns: whether this instance's revocation list revokes @serial
 */
typedef gboolean (*SlClusterRevokedFunc) (const char *serial,
                                          gpointer    user_data);

#define SL_TYPE_CLUSTER (sl_cluster_get_type ())
G_DECLARE_FINAL_TYPE (SlCluster, sl_cluster, SL, CLUSTER, GObject)

SlCluster *  sl_cluster_new          (const SlClusterConfig *config,
                                      SlPresence            *presence,
                                      SlServerMetrics       *metrics,
                                      guint                  expiry_s);
void         sl_cluster_start        (SlCluster             *self);
gboolean     sl_cluster_is_up        (SlCluster             *self);
const char * sl_cluster_get_instance (SlCluster             *self);
void         sl_cluster_set_revoked_func (SlCluster          *self,
                                          SlClusterRevokedFunc func,
                                          gpointer            user_data);
void         sl_cluster_check_revoked (SlCluster            *self);
void         sl_cluster_refuse       (SlCluster             *self,
                                      const char            *reason,
                                      const char            *detail);
SlMessage *  sl_cluster_new_message  (SlCluster             *self,
                                      const char            *type);
void         sl_cluster_send_to      (SlCluster             *self,
                                      const char            *instance,
                                      SlMessage             *msg);
gboolean     sl_cluster_command      (SlCluster             *self,
                                      SlRedisReplyFunc       func,
                                      gpointer               user_data,
                                      int                    argc,
                                      const char           **argv,
                                      const size_t          *argvlen);
gboolean     sl_cluster_knows_instance (SlCluster           *self,
                                        const char          *instance);
void         sl_cluster_note_in_call (SlCluster             *self,
                                      const char            *device_id,
                                      guint64                session,
                                      gboolean               in_call,
                                      const char            *owner);

G_END_DECLS
