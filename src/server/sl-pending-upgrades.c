/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Devices between their TLS handshake and their WebSocket upgrade.  The
 * authenticated stream goes to libsoup with soup_server_accept_iostream();
 * the remote-address object we hand it comes back with the upgraded
 * WebSocket and says which authenticated device it is.  A device that
 * does not upgrade within the handshake timeout is closed: until then it
 * is not online and holds only one of max_connections' places.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-pending-upgrades.h"
#include "sl-signalling.h"

struct _SlPendingUpgrades
{
  GObject parent_instance;

  SoupServer *soup;
  SlServerMetrics *metrics;
  guint timeout_ms;
  GHashTable *table;            /* remote GSocketAddress -> Upgrade */
};

typedef struct
{
  SlPendingUpgrades *owner;
  SlServerConnection *conn;
  SlTlsStream *tls;
  GSocketAddress *remote;
  guint timeout_id;
} Upgrade;

G_DEFINE_FINAL_TYPE (SlPendingUpgrades, sl_pending_upgrades, G_TYPE_OBJECT);

static void
upgrade_free (gpointer data)
{
  Upgrade *u = data;

  g_clear_handle_id (&u->timeout_id, g_source_remove);
  g_clear_object (&u->conn);
  g_clear_object (&u->tls);
  g_clear_object (&u->remote);
  g_free (u);
}

/**
 * sl_pending_upgrades_new:
 * @soup: the server that upgrades devices' streams to WebSockets
 * @metrics: the server's metrics
 * @timeout_ms: how long a device has to upgrade
 *
 * Returns: (transfer full): an empty set
 */
SlPendingUpgrades *
sl_pending_upgrades_new (SoupServer * soup, SlServerMetrics * metrics,
    guint timeout_ms)
{
  SlPendingUpgrades *self = g_object_new (SL_TYPE_PENDING_UPGRADES, NULL);

  self->soup = g_object_ref (soup);
  self->metrics = g_object_ref (metrics);
  self->timeout_ms = timeout_ms;
  return self;
}

static gboolean
upgrade_timeout_cb (gpointer user_data)
{
  Upgrade *u = user_data;
  SlPendingUpgrades *self = u->owner;

  u->timeout_id = 0;
  sl_server_metrics_add (self->metrics, SL_METRIC_REFUSALS,
      "upgrade-timeout", 1);
  sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, -1);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
      "EVENT", "refused", "REASON", "upgrade-timeout",
      "DEVICE_ID", sl_server_connection_get_device_id (u->conn),
      "MESSAGE", "no WebSocket upgrade to " SL_SIGNALLING_PATH " or "
      SL_SIGNALLING_PATH_V2 " in time");
  g_io_stream_close_async (G_IO_STREAM (u->tls), G_PRIORITY_DEFAULT, NULL,
      NULL, NULL);
  g_hash_table_remove (self->table, u->remote);
  return G_SOURCE_REMOVE;
}

/**
 * sl_pending_upgrades_add:
 * @self: the set
 * @conn: the authenticated device's connection, not yet attached
 * @tls: its TLS stream
 * @stream: what libsoup reads and writes: @tls, through the frame guard
 *
 * Hands @stream to libsoup and waits for the device's upgrade.
 */
void
sl_pending_upgrades_add (SlPendingUpgrades * self, SlServerConnection * conn,
    SlTlsStream * tls, GIOStream * stream)
{
  GSocketConnection *base = sl_tls_stream_get_connection (tls);
  g_autoptr (GSocketAddress) local = NULL;
  g_autoptr (GError) error = NULL;
  Upgrade *u;

  g_return_if_fail (SL_IS_PENDING_UPGRADES (self));
  u = g_new0 (Upgrade, 1);
  u->owner = self;
  u->conn = g_object_ref (conn);
  u->tls = g_object_ref (tls);
  u->remote = g_socket_connection_get_remote_address (base, NULL);
  local = g_socket_connection_get_local_address (base, NULL);
  if (u->remote == NULL || local == NULL) {
    upgrade_free (u);           /* the peer is already gone */
    return;
  }
  u->timeout_id = g_timeout_add (self->timeout_ms, upgrade_timeout_cb, u);
  g_hash_table_insert (self->table, u->remote, u);
  sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, 1);
  if (!soup_server_accept_iostream (self->soup, stream, local, u->remote,
          &error)) {
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
        "EVENT", "accept-failed", "MESSAGE", "%s", error->message);
    sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, -1);
    g_hash_table_remove (self->table, u->remote);
  }
}

/**
 * sl_pending_upgrades_take:
 * @self: the set
 * @remote: (nullable): the remote address libsoup gave back with a
 *   WebSocket
 *
 * Returns: (transfer full) (nullable): the connection of the device that
 *   upgraded, no longer pending; %NULL if @remote is not one of ours
 */
SlServerConnection *
sl_pending_upgrades_take (SlPendingUpgrades * self, GSocketAddress * remote)
{
  Upgrade *u;
  SlServerConnection *conn;

  g_return_val_if_fail (SL_IS_PENDING_UPGRADES (self), NULL);
  u = remote ? g_hash_table_lookup (self->table, remote) : NULL;
  if (u == NULL)
    return NULL;
  conn = g_object_ref (u->conn);
  g_hash_table_remove (self->table, remote);
  sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, -1);
  return conn;
}

/**
 * sl_pending_upgrades_close_all:
 * @self: the set
 *
 * Closes every pending device (the server is shutting down).
 */
void
sl_pending_upgrades_close_all (SlPendingUpgrades * self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SL_IS_PENDING_UPGRADES (self));
  g_hash_table_iter_init (&iter, self->table);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Upgrade *u = value;

    g_io_stream_close_async (G_IO_STREAM (u->tls), G_PRIORITY_DEFAULT, NULL,
        NULL, NULL);
    sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, -1);
  }
  g_hash_table_remove_all (self->table);
}

guint
sl_pending_upgrades_get_count (SlPendingUpgrades * self)
{
  g_return_val_if_fail (SL_IS_PENDING_UPGRADES (self), 0);
  return g_hash_table_size (self->table);
}

static void
sl_pending_upgrades_dispose (GObject * object)
{
  SlPendingUpgrades *self = SL_PENDING_UPGRADES (object);

  if (self->table)
    g_hash_table_remove_all (self->table);
  g_clear_object (&self->soup);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (sl_pending_upgrades_parent_class)->dispose (object);
}

static void
sl_pending_upgrades_finalize (GObject * object)
{
  SlPendingUpgrades *self = SL_PENDING_UPGRADES (object);

  g_clear_pointer (&self->table, g_hash_table_unref);
  G_OBJECT_CLASS (sl_pending_upgrades_parent_class)->finalize (object);
}

static void
sl_pending_upgrades_class_init (SlPendingUpgradesClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_pending_upgrades_dispose;
  object_class->finalize = sl_pending_upgrades_finalize;
}

static void
sl_pending_upgrades_init (SlPendingUpgrades * self)
{
  self->table = g_hash_table_new_full (NULL, NULL, NULL, upgrade_free);
}
