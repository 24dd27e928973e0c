/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-protocol.h"

G_BEGIN_DECLS

/**
 * SlPeerInfo:
 *
 * One device of the roster, as the server describes it.
 */
typedef struct
{
  char     *id;
  char     *name;
  char     *role;
  gboolean  busy;
} SlPeerInfo;

#define SL_TYPE_SIGNAL_CLIENT (sl_signal_client_get_type ())
G_DECLARE_FINAL_TYPE (SlSignalClient, sl_signal_client, SL, SIGNAL_CLIENT,
                      GObject)

SlSignalClient *   sl_signal_client_new          (const char  *url,
                                                  const char  *cert_file,
                                                  const char  *key_file,
                                                  const char  *ca_file,
                                                  GError     **error);

SlSignalClient *   sl_signal_client_new_multi    (const char *const *urls,
                                                  const char  *cert_file,
                                                  const char  *key_file,
                                                  const char  *ca_file,
                                                  GError     **error);

void               sl_signal_client_start        (SlSignalClient *self);

void               sl_signal_client_stop         (SlSignalClient *self);

gboolean           sl_signal_client_is_connected (SlSignalClient *self);

gboolean           sl_signal_client_send         (SlSignalClient *self,
                                                  SlMessage      *msg,
                                                  GError        **error);

void               sl_signal_client_set_busy     (SlSignalClient *self,
                                                  gboolean        busy);

gboolean           sl_signal_client_get_busy     (SlSignalClient *self);

const char *       sl_signal_client_get_device_id (SlSignalClient *self);

const SlPeerInfo * sl_signal_client_get_peer     (SlSignalClient *self,
                                                  const char     *id);

GPtrArray *        sl_signal_client_list_peers   (SlSignalClient *self);

char **            sl_signal_client_get_turn_servers (SlSignalClient *self);

guint              sl_signal_client_get_connections (SlSignalClient *self);

const char *       sl_signal_client_get_server_url (SlSignalClient *self);

guint              sl_signal_client_get_ring_timeout_ms (SlSignalClient *self);

guint              sl_signal_client_get_protocol_version (SlSignalClient *self);

G_END_DECLS
