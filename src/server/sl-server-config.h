/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "sl-log.h"

G_BEGIN_DECLS

#define SL_SERVER_ERROR (sl_server_error_quark ())
GQuark sl_server_error_quark (void);

/**
 * SlServerError:
 * @SL_SERVER_ERROR_CONFIG: the configuration file or a command-line flag is
 *   wrong (the message names the key).
 * @SL_SERVER_ERROR_TLS: the certificate, key, CA or revocation list cannot
 *   be loaded.
 * @SL_SERVER_ERROR_LISTEN: a listener cannot be opened.
 */
typedef enum
{
  SL_SERVER_ERROR_CONFIG,
  SL_SERVER_ERROR_TLS,
  SL_SERVER_ERROR_LISTEN,
} SlServerError;

/**
 * SlServerConfig:
 *
 * The server's settings: defaults, then the configuration file (GKeyFile,
 * group [server] and [visibility]), then command-line flags.  See
 * data/server.conf for every key.
 */
typedef struct
{
  char *listen;
  int port;
  char *admin_listen;
  int admin_port;               /* -1: no admin listener */
  char *cert_file;
  char *key_file;
  char *ca_file;
  char *crl_file;               /* NULL: no revocation list */
  guint max_connections;        /* logged-in devices */
  guint max_handshakes;         /* pending TLS handshakes, in all */
  guint max_handshakes_per_address;
  guint max_message_size;
  double rate_limit;            /* messages per second */
  double rate_burst;
  guint handshake_timeout_ms;
  guint ping_interval;          /* seconds */
  guint idle_timeout;           /* seconds */
  guint ring_timeout_ms;
  guint shutdown_retry_after_ms;
  char **turn_urls;
  char *turn_secret_file;
  guint turn_ttl;
  GHashTable *visibility;       /* role -> GStrv of roles it sees */
  SlLogFormat log_format;
  gboolean verbose;
} SlServerConfig;

SlServerConfig * sl_server_config_new      (void);
void             sl_server_config_free     (SlServerConfig *config);

gboolean         sl_server_config_load     (SlServerConfig *config,
                                            GKeyFile       *file,
                                            GError        **error);

gboolean         sl_server_config_role_sees (const SlServerConfig *config,
                                             const char           *viewer_role,
                                             const char           *role);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlServerConfig, sl_server_config_free)

G_END_DECLS
