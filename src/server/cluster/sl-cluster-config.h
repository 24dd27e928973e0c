/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SlClusterConfig:
 * @unix_path: the Redis Unix socket, or %NULL for TCP
 * @host: the Redis host (TCP), an IP address or a name
 * @port: the Redis port (TCP)
 * @user: (nullable): the Redis ACL user (Redis 6 and later)
 * @password: (nullable): the Redis password, read from password_file
 *
 * The [cluster] group of the server's configuration file.
 */
typedef struct
{
  char *unix_path;
  char *host;
  guint16 port;
  char *user;
  char *password;
} SlClusterConfig;

SlClusterConfig * sl_cluster_config_load (GKeyFile   *file,
                                          GError    **error);
void              sl_cluster_config_free (SlClusterConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlClusterConfig, sl_cluster_config_free)

G_END_DECLS
