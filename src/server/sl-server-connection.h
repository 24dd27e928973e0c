/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sl-device-directory.h"
#include "sl-pki.h"
#include "sl-protocol.h"
#include "sl-server-config.h"
#include "sl-server-metrics.h"
#include "sl-tls-stream.h"
#include "sl-turn.h"
#include "sl-ws-guard.h"

G_BEGIN_DECLS

#define SL_TYPE_SERVER_CONNECTION (sl_server_connection_get_type ())
G_DECLARE_FINAL_TYPE (SlServerConnection, sl_server_connection, SL,
                      SERVER_CONNECTION, GObject)

SlServerConnection * sl_server_connection_new        (SlPkiIdentity          *identity,
                                                      const SlServerConfig   *config,
                                                      SlServerMetrics        *metrics);

void          sl_server_connection_set_transport     (SlServerConnection     *self,
                                                      SlTlsStream            *tls,
                                                      SlWsGuard              *guard);
void          sl_server_connection_attach            (SlServerConnection     *self,
                                                      SoupWebsocketConnection *ws,
                                                      guint                   version);

const char *  sl_server_connection_get_device_id     (SlServerConnection     *self);
const char *  sl_server_connection_get_display_name  (SlServerConnection     *self);
const char *  sl_server_connection_get_role          (SlServerConnection     *self);
const char *  sl_server_connection_get_serial        (SlServerConnection     *self);
gint64        sl_server_connection_get_not_after     (SlServerConnection     *self);
guint         sl_server_connection_get_version       (SlServerConnection     *self);
guint64       sl_server_connection_get_session       (SlServerConnection     *self);
void          sl_server_connection_get_info          (SlServerConnection     *self,
                                                      SlDeviceInfo           *info);

gboolean      sl_server_connection_is_busy           (SlServerConnection     *self);
void          sl_server_connection_set_user_busy     (SlServerConnection     *self,
                                                      gboolean                busy);
gboolean      sl_server_connection_is_user_busy      (SlServerConnection     *self);
void          sl_server_connection_set_in_call       (SlServerConnection     *self,
                                                      gboolean                in_call);

gint64        sl_server_connection_get_last_activity (SlServerConnection     *self);
void          sl_server_connection_ping              (SlServerConnection     *self,
                                                      gint64                  now);
gboolean      sl_server_connection_is_closing        (SlServerConnection     *self);

void          sl_server_connection_send              (SlServerConnection     *self,
                                                      SlMessage              *msg);
void          sl_server_connection_send_bytes        (SlServerConnection     *self,
                                                      GBytes                 *json);
void          sl_server_connection_send_welcome      (SlServerConnection     *self,
                                                      SlTurn                 *turn);
void          sl_server_connection_send_error        (SlServerConnection     *self,
                                                      const char             *code,
                                                      const char             *message,
                                                      const char             *call_id,
                                                      const char             *ref_type);
void          sl_server_connection_close             (SlServerConnection     *self,
                                                      gushort                 code,
                                                      const char             *reason);

void          sl_server_connection_fill_device       (SlServerConnection     *self,
                                                      SlMessage              *device,
                                                      gboolean                with_status);

G_END_DECLS
