/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "sl-call-policy.h"
#include "sl-cluster-config.h"
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
 * groups [server], [policy], [visibility] and [cluster]), then
 * command-line flags.
 * See data/server.conf for every key.  The call policy ([policy] and
 * [visibility]) can be read again from the same sources while running
 * (sl_server_config_reload_policy()); the rest cannot.
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
  guint max_call_participants;  /* members of a call, invited included */
  SlCallPolicy *policy;         /* as loaded at start */
  SlClusterConfig *cluster;     /* NULL: a single instance */
  char *config_path;            /* NULL: flags only */
  GKeyFile *overrides;          /* the flags, written over the file */
  SlLogFormat log_format;
  gboolean verbose;
} SlServerConfig;

SlServerConfig * sl_server_config_new      (void);
void             sl_server_config_free     (SlServerConfig *config);

GKeyFile *       sl_server_config_read     (const char     *path,
                                            GKeyFile       *overrides,
                                            GError        **error);

gboolean         sl_server_config_load     (SlServerConfig *config,
                                            GKeyFile       *file,
                                            GError        **error);

void             sl_server_config_set_source (SlServerConfig *config,
                                              const char     *path,
                                              GKeyFile       *overrides);

SlCallPolicy *   sl_server_config_reload_policy (const SlServerConfig *config,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlServerConfig, sl_server_config_free)

G_END_DECLS
