/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The signalling server: listeners, the hand-off from TLS to libsoup's
 * WebSocket server, the admin endpoints, and the wiring between
 * connections, presence, the call policy and call routing.  Devices
 * upgrade on /v1/ws or /v2/ws; the path is the protocol version they
 * speak.
 *
 * Devices connect to the main listener; SlTlsAcceptor runs and checks the
 * mutual-TLS handshake, then the authenticated stream goes to a libsoup
 * SoupServer with soup_server_accept_iostream().  libsoup parses the HTTP
 * upgrade and hands back a SoupWebsocketConnection; the remote-address
 * object we gave it identifies which authenticated device it is.  Until
 * the upgrade completes (within the handshake timeout) the device is not
 * online: it waits in SlPendingUpgrades.
 *
 * /healthz and /metrics live on a separate plain-HTTP listener (SlAdmin),
 * bound to 127.0.0.1 by default, so monitoring needs no client
 * certificate and never shares a port with devices.
 *
 * Device sockets are watched by one epoll set (SlPoller), and pings and
 * idle timeouts are one sweep over all connections: nothing per
 * connection makes the main loop slower as devices accumulate.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-server.h"
#include "sl-admin.h"
#include "sl-call-router.h"
#include "sl-cluster.h"
#include "sl-cluster-calls.h"
#include "sl-cluster-call-store.h"
#include "sl-presence.h"
#include "sl-revocation.h"
#include "sl-pending-upgrades.h"
#include "sl-poller.h"
#include "sl-server-connection.h"
#include "sl-signalling.h"
#include "sl-tls-acceptor.h"
#include "sl-turn.h"

#include <libsoup/soup.h>
#include <string.h>

#define SHUTDOWN_GRACE_MS 3000

struct _SlServer
{
  GObject parent_instance;

  SlServerConfig *config;
  GBytes *ca_pem;
  SlTlsConfig *tls_config;
  SlPoller *poller;
  SlRevocation *revocation;
  SlTurn *turn;
  SlServerMetrics *metrics;
  SlPresence *presence;
  SlCluster *cluster;           /* NULL: a single instance */
  SlClusterCalls *cluster_calls;
  SlClusterCallStore *call_store;
  SlCallRouter *router;
  SlTlsAcceptor *acceptor;
  SoupServer *soup;
  SlAdmin *admin;
  GSocketService *service;
  guint16 port;
  guint16 admin_port;

  SlPendingUpgrades *upgrades;  /* TLS done, WebSocket upgrade to come */
  GHashTable *connections;      /* SlServerConnection set (ref) */
  guint sweep_id;
  guint n_alive;                /* connections not yet finalised */
  gboolean shutting_down;
  SlServerShutdownFunc shutdown_done;
  gpointer shutdown_data;
  guint shutdown_timeout_id;
};

G_DEFINE_FINAL_TYPE (SlServer, sl_server, G_TYPE_OBJECT);

/* --- devices ----------------------------------------------------------- */

static void
handle_status (SlServer * self, SlServerConnection * conn, SlMessage * msg)
{
  gboolean was_busy = sl_server_connection_is_busy (conn);

  sl_server_connection_set_user_busy (conn,
      g_str_equal (sl_message_get_string (msg, "status"), "busy"));
  if (sl_server_connection_is_busy (conn) != was_busy)
    sl_presence_announce (self->presence, conn, "status");
}

static void
handle_turn (SlServer * self, SlServerConnection * conn)
{
  g_autoptr (SlMessage) msg = NULL;

  if (self->turn == NULL) {
    sl_server_connection_send_error (conn,
        SL_SIGNALLING_ERROR_TURN_UNAVAILABLE, "this server hands out no "
        "TURN credentials", NULL, "turn-credentials");
    return;
  }
  msg = sl_message_new (sl_signalling_to_client_for
      (sl_server_connection_get_version (conn)), "turn-credentials");
  sl_turn_fill (self->turn, sl_server_connection_get_device_id (conn),
      g_get_real_time () / G_USEC_PER_SEC, msg);
  sl_server_connection_send (conn, msg);
}

static void
conn_message_cb (SlServerConnection * conn, SlMessage * msg, gpointer user_data)
{
  SlServer *self = user_data;
  const char *type = sl_message_get_type_name (msg);

  if (sl_call_router_handles (type)) {
    SlDeviceInfo from;

    sl_server_connection_get_info (conn, &from);
    /* A call held on another instance is handled there (an invite too,
     * when it adds a member to such a call). */
    if (self->cluster && sl_message_has_member (msg, "call_id") &&
        !sl_call_router_has_call (self->router, sl_message_get_string (msg,
                "call_id"))) {
      if (sl_cluster_calls_route (self->cluster_calls, &from, msg))
        return;
      /* Held by no live instance: perhaps one that died (Redis knows). */
      if (!g_str_equal (type, "invite")) {
        sl_cluster_call_store_resume (self->call_store, conn, msg);
        return;
      }
    }
    sl_call_router_handle (self->router, &from, msg);
  } else if (g_str_equal (type, "status"))
    handle_status (self, conn, msg);
  else if (g_str_equal (type, "turn-credentials"))
    handle_turn (self, conn);
}

static void
forwarded_cb (SlClusterCalls * calls, const SlDeviceInfo * from,
    SlMessage * msg, gpointer user_data)
{
  SlServer *self = user_data;

  if (sl_call_router_handles (sl_message_get_type_name (msg)))
    sl_call_router_handle (self->router, from, msg);
}

static void
remote_left_cb (SlPresence * presence, const char *device_id, guint64 session,
    gpointer user_data)
{
  SlServer *self = user_data;

  /* Without Redis every other instance falls silent, dead or not: its
   * devices leave the roster, but their calls held here stay, so that
   * their signalling resumes when Redis returns. */
  if (!sl_cluster_is_up (self->cluster))
    return;
  sl_call_router_disconnect (self->router, device_id, session);
}

static void
conn_closed_cb (SlServerConnection * conn, gpointer user_data)
{
  SlServer *self = user_data;

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
      "EVENT", "disconnected", "DEVICE_ID",
      sl_server_connection_get_device_id (conn),
      "MESSAGE", "device disconnected");
  sl_call_router_disconnect (self->router,
      sl_server_connection_get_device_id (conn),
      sl_server_connection_get_session (conn));
  sl_presence_remove (self->presence, conn);
  sl_server_metrics_add (self->metrics, SL_METRIC_CONNECTIONS, NULL, -1);
  g_signal_handlers_disconnect_by_data (conn, self);
  g_hash_table_remove (self->connections, conn);
}

static void
conn_finalized_cb (gpointer user_data, GObject * where)
{
  SlServer *self = user_data;

  self->n_alive--;
  if (self->shutting_down && self->n_alive == 0 &&
      self->shutdown_timeout_id != 0) {
    g_source_remove (self->shutdown_timeout_id);
    self->shutdown_timeout_id = 0;
    self->shutdown_done (self->shutdown_data);
  }
}

static void
websocket_cb (SoupServer * soup, SoupServerMessage * msg, const char *path,
    SoupWebsocketConnection * ws, gpointer user_data)
{
  SlServer *self = user_data;
  g_autoptr (SlServerConnection) conn = NULL;
  g_autoptr (SlServerConnection) old = NULL;
  guint version = g_str_equal (path, SL_SIGNALLING_PATH_V2) ? 2 : 1;

  if (!self->shutting_down)
    conn = sl_pending_upgrades_take (self->upgrades,
        soup_server_message_get_remote_address (msg));
  if (conn == NULL) {
    soup_websocket_connection_close (ws, SL_CLOSE_POLICY,
        "not an authenticated connection");
    return;
  }

  sl_server_connection_attach (conn, ws, version);
  g_signal_connect (conn, "message", G_CALLBACK (conn_message_cb), self);
  g_signal_connect (conn, "closed", G_CALLBACK (conn_closed_cb), self);
  g_hash_table_add (self->connections, g_object_ref (conn));
  self->n_alive++;
  g_object_weak_ref (G_OBJECT (conn), conn_finalized_cb, self);
  sl_server_metrics_add (self->metrics, SL_METRIC_ACCEPTED, NULL, 1);
  sl_server_metrics_add (self->metrics, SL_METRIC_CONNECTIONS, NULL, 1);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
      "EVENT", "connected", "DEVICE_ID",
      sl_server_connection_get_device_id (conn), "ROLE",
      sl_server_connection_get_role (conn), "SERIAL",
      sl_server_connection_get_serial (conn), "PROTOCOL_VERSION",
      version == 2 ? "2" : "1", "MESSAGE", "device connected");

  old = sl_presence_add (self->presence, conn);
  if (old) {
    g_autoptr (SlMessage) replaced =
        sl_message_new (sl_signalling_to_client_for
        (sl_server_connection_get_version (old)), "replaced");

    sl_server_connection_send (old, replaced);
    sl_server_connection_close (old, SL_CLOSE_REPLACED,
        "replaced by a newer connection of the same device");
  }
  sl_server_connection_send_welcome (conn, self->turn);
  sl_presence_send_roster (self->presence, conn);
  sl_presence_announce (self->presence, conn, "join");
}

static void
tls_accepted (SlTlsStream * tls, SlPkiIdentity * identity, gpointer user_data)
{
  SlServer *self = user_data;
  /* The acceptor's reference ends here; every holder below takes its own. */
  g_autoptr (SlTlsStream) owned = tls;
  g_autoptr (SlServerConnection) conn = NULL;
  g_autoptr (SlWsGuard) guard = NULL;
  g_autoptr (GIOStream) guarded = NULL;

  /* Devices that are logged in (or upgrading) count against
   * max_connections; only a device that has proved its identity can take
   * one of those places. */
  if (g_hash_table_size (self->connections) +
      sl_pending_upgrades_get_count (self->upgrades) >=
      self->config->max_connections) {
    sl_server_metrics_add (self->metrics, SL_METRIC_REFUSALS,
        "max-connections", 1);
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
        "EVENT", "refused", "REASON", "max-connections", "DEVICE_ID",
        identity->device_id, "MESSAGE", "connection refused: "
        "max_connections reached");
    sl_pki_identity_free (identity);
    g_io_stream_close (G_IO_STREAM (owned), NULL, NULL);
    return;
  }

  conn = sl_server_connection_new (identity, self->config, self->metrics);
  /* libsoup reads through the frame guard (see sl-ws-guard.c). */
  guard = sl_ws_guard_new (g_io_stream_get_input_stream (G_IO_STREAM (owned)));
  guarded = g_simple_io_stream_new (G_INPUT_STREAM (guard),
      g_io_stream_get_output_stream (G_IO_STREAM (owned)));
  sl_server_connection_set_transport (conn, owned, guard);
  sl_pending_upgrades_add (self->upgrades, conn, owned, guarded);
}

/* Pending handshakes have their own limits (SlTlsAcceptor). */
static gboolean
incoming_cb (GSocketService * service, GSocketConnection * connection,
    GObject * source, gpointer user_data)
{
  SlServer *self = user_data;

  if (self->shutting_down) {
    sl_server_metrics_add (self->metrics, SL_METRIC_REFUSALS,
        "shutting-down", 1);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    return TRUE;
  }
  sl_tls_acceptor_accept (self->acceptor, connection);
  return TRUE;
}

/* Closes connections that went quiet (no message and no pong within
 * idle_timeout) or whose certificate expired while connected, and pings
 * the others every ping_interval: one timer for every connection. */
static gboolean
sweep_cb (gpointer user_data)
{
  SlServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 now_unix = g_get_real_time () / G_USEC_PER_SEC;
  gint64 idle_us = (gint64) self->config->idle_timeout * G_USEC_PER_SEC;
  g_autoptr (GPtrArray) stale = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;
  guint i;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    if (now - sl_server_connection_get_last_activity (key) > idle_us ||
        sl_server_connection_get_not_after (key) <= now_unix)
      g_ptr_array_add (stale, g_object_ref (key));
    else
      sl_server_connection_ping (key, now);
  }
  for (i = 0; i < stale->len; i++) {
    SlServerConnection *conn = g_ptr_array_index (stale, i);

    if (sl_server_connection_get_not_after (conn) <= now_unix)
      sl_server_connection_close (conn, SL_CLOSE_REVOKED,
          "certificate expired");
    else
      sl_server_connection_close (conn, SL_CLOSE_IDLE, "idle timeout");
  }
  return G_SOURCE_CONTINUE;
}

static void
revocation_changed_cb (SlRevocation * revocation, gpointer user_data)
{
  SlServer *self = user_data;
  g_autoptr (GPtrArray) revoked = g_ptr_array_new_with_free_func
      (g_object_unref);
  GHashTableIter iter;
  gpointer key;
  guint i;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    if (sl_revocation_is_revoked (revocation,
            sl_server_connection_get_serial (key)))
      g_ptr_array_add (revoked, g_object_ref (key));
  }
  for (i = 0; i < revoked->len; i++)
    sl_server_connection_close (g_ptr_array_index (revoked, i),
        SL_CLOSE_REVOKED, "certificate revoked");
  /* And the devices this list revokes on the other instances. */
  if (self->cluster)
    sl_cluster_check_revoked (self->cluster);
}

/* --- life cycle -------------------------------------------------------- */

static gboolean
revoked_cb (const char *serial, gpointer user_data)
{
  SlServer *self = user_data;

  return self->revocation && sl_revocation_is_revoked (self->revocation,
      serial);
}

static gboolean
load_tls (SlServer * self, GError ** error)
{
  const SlServerConfig *c = self->config;
  g_autoptr (GError) local_error = NULL;
  char *data = NULL;
  gsize len;

  self->tls_config = sl_tls_config_new_server (c->cert_file, c->key_file,
      c->ca_file, &local_error);
  if (self->tls_config == NULL) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_TLS, "%s",
        local_error->message);
    return FALSE;
  }
  sl_tls_config_set_revoked_func (self->tls_config, revoked_cb, self);
  if (!g_file_get_contents (c->ca_file, &data, &len, &local_error)) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_TLS, "CA %s: %s",
        c->ca_file, local_error->message);
    return FALSE;
  }
  self->ca_pem = g_bytes_new_take (data, len);
  if (c->crl_file) {
    self->revocation = sl_revocation_new (c->crl_file, self->ca_pem,
        &local_error);
    if (self->revocation == NULL) {
      g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_TLS,
          "revocation list: %s", local_error->message);
      return FALSE;
    }
    g_signal_connect (self->revocation, "changed",
        G_CALLBACK (revocation_changed_cb), self);
  }
  return TRUE;
}

/**
 * sl_server_new:
 * @config: (transfer full): the settings
 * @error: return location for an %SL_SERVER_ERROR
 *
 * Loads the certificate, key, CA, revocation list and TURN secret.
 *
 * Returns: (transfer full) (nullable): the server, not yet listening
 */
SlServer *
sl_server_new (SlServerConfig * config, GError ** error)
{
  g_autoptr (SlServer) self = g_object_new (SL_TYPE_SERVER, NULL);
  SlDeviceDirectory *directory;

  self->config = config;
  if (!load_tls (self, error))
    return NULL;
  if (config->turn_urls) {
    self->turn = sl_turn_new ((const char *const *) config->turn_urls,
        config->turn_secret_file, config->turn_ttl, error);
    if (self->turn == NULL)
      return NULL;
  }
  self->metrics = sl_server_metrics_new ();
  self->presence = sl_presence_new (config->policy);
  directory = SL_DEVICE_DIRECTORY (self->presence);
  if (config->cluster) {
    /* The cluster is the router's directory: it reaches devices on other
     * instances too. */
    self->cluster = sl_cluster_new (config->cluster, self->presence,
        self->metrics, config->idle_timeout);
    self->cluster_calls = sl_cluster_calls_new (self->cluster, self->presence);
    directory = SL_DEVICE_DIRECTORY (self->cluster_calls);
    sl_cluster_set_revoked_func (self->cluster, revoked_cb, self);
  }
  self->router = sl_call_router_new (config, directory, self->metrics,
      config->policy);
  if (self->cluster) {
    g_signal_connect (self->cluster_calls, "forwarded",
        G_CALLBACK (forwarded_cb), self);
    g_signal_connect (self->presence, "remote-left",
        G_CALLBACK (remote_left_cb), self);
    self->call_store = sl_cluster_call_store_new (self->cluster,
        self->router, directory, config->idle_timeout,
        config->max_call_participants);
  }
  sl_call_policy_log (config->policy, "policy", "call policy");
  self->poller = sl_poller_new (error);
  if (self->poller == NULL)
    return NULL;
  self->acceptor = sl_tls_acceptor_new (self->tls_config, self->poller,
      config, self->metrics, tls_accepted, self);

  self->soup = soup_server_new (NULL, NULL);
  /* No compression: it costs ~300 KiB per connection and invites
   * decompression bombs; blobs are base64 of ciphertext anyway. */
  soup_server_remove_websocket_extension (self->soup,
      SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  soup_server_add_websocket_handler (self->soup, SL_SIGNALLING_PATH, NULL,
      NULL, websocket_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup, SL_SIGNALLING_PATH_V2, NULL,
      NULL, websocket_cb, self, NULL);
  self->upgrades = sl_pending_upgrades_new (self->soup, self->metrics,
      config->handshake_timeout_ms);
  return g_steal_pointer (&self);
}

static gboolean
start_admin (SlServer * self, GError ** error)
{
  g_autoptr (GSocketAddress) addr = NULL;
  g_autoptr (GError) local_error = NULL;

  if (self->config->admin_port < 0)
    return TRUE;
  addr = g_inet_socket_address_new_from_string (self->config->admin_listen,
      (guint) self->config->admin_port);
  if (addr == NULL) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG,
        "admin_listen: '%s' is not an IP address", self->config->admin_listen);
    return FALSE;
  }
  self->admin = sl_admin_new (self->metrics);
  if (!sl_admin_listen (self->admin, addr, &self->admin_port, &local_error)) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_LISTEN,
        "admin listener %s:%d: %s", self->config->admin_listen,
        self->config->admin_port, local_error->message);
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_server_start:
 * @self: the server
 * @error: return location for an %SL_SERVER_ERROR
 *
 * Opens the device listener and the admin listener.
 *
 * Returns: whether both listen
 */
gboolean
sl_server_start (SlServer * self, GError ** error)
{
  g_autoptr (GSocketAddress) addr = NULL;
  g_autoptr (GSocketAddress) effective = NULL;
  g_autoptr (GError) local_error = NULL;
  guint sweep_ms;

  g_return_val_if_fail (SL_IS_SERVER (self), FALSE);

  addr = g_inet_socket_address_new_from_string (self->config->listen,
      (guint) self->config->port);
  if (addr == NULL) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG,
        "listen: '%s' is not an IP address", self->config->listen);
    return FALSE;
  }
  self->service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), 4096);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service),
          addr, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective,
          &local_error)) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_LISTEN,
        "listener %s:%d: %s", self->config->listen, self->config->port,
        local_error->message);
    return FALSE;
  }
  self->port = g_inet_socket_address_get_port
      (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  if (!start_admin (self, error))
    return FALSE;
  g_socket_service_start (self->service);
  if (self->cluster)
    sl_cluster_start (self->cluster);

  /* A quarter of a ping interval, at most a second: a dead device is gone
   * within idle_timeout plus this. */
  sweep_ms = MIN (1000, self->config->ping_interval * 250);
  self->sweep_id = g_timeout_add (sweep_ms, sweep_cb, self);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
      "EVENT", "listening", "MESSAGE", "listening on %s port %u (wss://..."
      SL_SIGNALLING_PATH " and " SL_SIGNALLING_PATH_V2 "), admin on %s port "
      "%u", self->config->listen,
      self->port, self->config->admin_listen, self->admin_port);
  return TRUE;
}

guint16
sl_server_get_port (SlServer * self)
{
  g_return_val_if_fail (SL_IS_SERVER (self), 0);
  return self->port;
}

guint16
sl_server_get_admin_port (SlServer * self)
{
  g_return_val_if_fail (SL_IS_SERVER (self), 0);
  return self->admin_port;
}

/**
 * sl_server_get_metrics:
 * @self: the server
 *
 * Returns: (transfer none): its metrics
 */
SlServerMetrics *
sl_server_get_metrics (SlServer * self)
{
  g_return_val_if_fail (SL_IS_SERVER (self), NULL);
  return self->metrics;
}

static void
reload_policy (SlServer * self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlCallPolicy) policy = sl_server_config_reload_policy
      (self->config, &error);

  if (policy == NULL) {
    sl_server_metrics_add (self->metrics, SL_METRIC_POLICY_RELOADS,
        "failed", 1);
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "EVENT",
        "policy-reload-failed", "MESSAGE", "keeping the previous call "
        "policy: %s", error->message);
    return;
  }
  sl_server_metrics_add (self->metrics, SL_METRIC_POLICY_RELOADS, "ok", 1);
  /* Calls in progress go on; invitations from now on follow the new
   * policy, and presence is brought in line with it at once. */
  sl_call_router_set_policy (self->router, policy);
  sl_presence_set_policy (self->presence, policy);
  sl_call_policy_log (policy, "policy-reloaded", "call policy reloaded");
}

/**
 * sl_server_reload:
 * @self: the server
 *
 * Reloads the revocation list (SIGHUP), disconnecting devices that are
 * now revoked, and the call policy.  A file that cannot be loaded leaves
 * the previous list or policy in force.
 */
void
sl_server_reload (SlServer * self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (SL_IS_SERVER (self));
  reload_policy (self);
  if (self->revocation == NULL)
    return;
  if (sl_revocation_reload (self->revocation, &error))
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EVENT",
        "crl-reloaded", "MESSAGE", "revocation list reloaded: %u revoked "
        "certificates", sl_revocation_get_count (self->revocation));
  else
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "EVENT",
        "crl-reload-failed", "MESSAGE", "keeping the previous revocation "
        "list: %s", error->message);
}

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  SlServer *self = user_data;

  self->shutdown_timeout_id = 0;
  self->shutdown_done (self->shutdown_data);
  return G_SOURCE_REMOVE;
}

/**
 * sl_server_shutdown:
 * @self: the server
 * @done: called once every device has been told and closed, or after a
 *   grace period
 * @user_data: for @done
 *
 * Stops accepting, tells every device `shutdown` and closes it with 1001.
 */
void
sl_server_shutdown (SlServer * self, SlServerShutdownFunc done,
    gpointer user_data)
{
  g_autoptr (SlMessage) msg = NULL;
  g_autoptr (GBytes) json = NULL;
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;
  guint i;

  g_return_if_fail (SL_IS_SERVER (self));
  if (self->shutting_down)
    return;
  self->shutting_down = TRUE;
  if (self->admin)
    sl_admin_set_shutting_down (self->admin, TRUE);
  self->shutdown_done = done;
  self->shutdown_data = user_data;
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EVENT", "shutdown",
      "MESSAGE", "shutting down: telling %u devices",
      g_hash_table_size (self->connections));

  if (self->service) {
    g_socket_service_stop (self->service);
    g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  }
  sl_tls_acceptor_cancel_all (self->acceptor);
  sl_pending_upgrades_close_all (self->upgrades);
  sl_call_router_end_all (self->router);

  msg = sl_message_new (&sl_signalling_to_client, "shutdown");
  sl_message_set_string (msg, "reason", "server-shutdown");
  sl_message_set_int (msg, "retry_after_ms",
      self->config->shutdown_retry_after_ms);
  json = sl_message_to_bytes (msg, NULL);
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (all, g_object_ref (key));
  for (i = 0; i < all->len; i++) {
    SlServerConnection *conn = g_ptr_array_index (all, i);

    sl_server_connection_send_bytes (conn, json);
    sl_server_connection_close (conn, SL_CLOSE_SHUTDOWN,
        "server shutting down");
  }
  g_clear_pointer (&all, g_ptr_array_unref);

  if (self->n_alive == 0) {
    done (user_data);
    return;
  }
  self->shutdown_timeout_id = g_timeout_add (SHUTDOWN_GRACE_MS,
      shutdown_timeout_cb, self);
}

static void
sl_server_dispose (GObject * object)
{
  SlServer *self = SL_SERVER (object);

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  if (self->service) {
    g_socket_service_stop (self->service);
    g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    g_signal_handlers_disconnect_by_data (self->service, self);
  }
  g_clear_object (&self->service);
  if (self->connections) {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->connections);
    while (g_hash_table_iter_next (&iter, &key, NULL)) {
      g_signal_handlers_disconnect_by_data (key, self);
      g_object_weak_unref (key, conn_finalized_cb, self);
    }
    g_hash_table_remove_all (self->connections);
  }
  g_clear_object (&self->upgrades);
  g_clear_object (&self->acceptor);
  g_clear_object (&self->router);
  if (self->presence)
    g_signal_handlers_disconnect_by_data (self->presence, self);
  if (self->cluster_calls)
    g_signal_handlers_disconnect_by_data (self->cluster_calls, self);
  g_clear_object (&self->cluster_calls);
  /* The cluster first: the store lets it go last, while still alive
   * (sl-cluster-call-store.c). */
  g_clear_object (&self->cluster);
  g_clear_object (&self->call_store);
  g_clear_object (&self->presence);
  if (self->revocation)
    g_signal_handlers_disconnect_by_data (self->revocation, self);
  g_clear_object (&self->revocation);
  g_clear_object (&self->turn);
  /* Closes the connections it still holds, which unreferencing alone
   * leaks. */
  if (self->soup)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->admin);
  g_clear_object (&self->poller);
  if (self->tls_config)
    sl_tls_config_set_revoked_func (self->tls_config, NULL, NULL);
  g_clear_object (&self->tls_config);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (sl_server_parent_class)->dispose (object);
}

static void
sl_server_finalize (GObject * object)
{
  SlServer *self = SL_SERVER (object);

  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->ca_pem, g_bytes_unref);
  g_clear_pointer (&self->config, sl_server_config_free);
  G_OBJECT_CLASS (sl_server_parent_class)->finalize (object);
}

static void
sl_server_class_init (SlServerClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_server_dispose;
  object_class->finalize = sl_server_finalize;
}

static void
sl_server_init (SlServer * self)
{
  self->connections = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}
