/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The operation endpoints, /healthz and /metrics: plain HTTP on a
 * listener of their own (127.0.0.1 by default), never on the device port,
 * so that monitoring needs no client certificate.
 *
 * Connections are accepted here and handed to libsoup with
 * soup_server_accept_iostream() rather than by soup_server_listen():
 * libsoup 3.2's own listener leaks the GSocket of every connection it
 * accepts (a few hundred bytes per scrape, for as long as the server runs).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-admin.h"

#include <libsoup/soup.h>
#include <string.h>

struct _SlAdmin
{
  GObject parent_instance;

  SlServerMetrics *metrics;
  SoupServer *soup;
  GSocketService *service;
  gboolean shutting_down;
};

G_DEFINE_FINAL_TYPE (SlAdmin, sl_admin, G_TYPE_OBJECT);

static void
admin_cb (SoupServer * soup, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer user_data)
{
  SlAdmin *self = user_data;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET &&
      soup_server_message_get_method (msg) != SOUP_METHOD_HEAD) {
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    return;
  }
  if (g_str_equal (path, "/healthz")) {
    /* Degraded is still 200: the instance serves its own devices, and a
     * load balancer that took every instance out when Redis fails would
     * turn a partial outage into a full one (docs/DEPLOYMENT.md). */
    const char *body = self->shutting_down ? "shutting down\n" :
        sl_server_metrics_is_degraded (self->metrics) ?
        "degraded: cluster Redis unreachable, serving local devices only\n" :
        "ok\n";

    soup_server_message_set_status (msg, self->shutting_down ?
        SOUP_STATUS_SERVICE_UNAVAILABLE : SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
        body, strlen (body));
  } else if (g_str_equal (path, "/metrics")) {
    char *body = sl_server_metrics_render (self->metrics);

    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (msg,
        "text/plain; version=0.0.4; charset=utf-8", SOUP_MEMORY_TAKE, body,
        strlen (body));
  } else {
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  }
}

static gboolean
admin_incoming_cb (GSocketService * service, GSocketConnection * connection,
    GObject * source, gpointer user_data)
{
  SlAdmin *self = user_data;
  g_autoptr (GSocketAddress) local = NULL;
  g_autoptr (GSocketAddress) remote = NULL;

  local = g_socket_connection_get_local_address (connection, NULL);
  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (local == NULL || remote == NULL ||
      !soup_server_accept_iostream (self->soup, G_IO_STREAM (connection),
          local, remote, NULL))
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/**
 * sl_admin_new:
 * @metrics: what /metrics shows
 *
 * Returns: (transfer full): the endpoints, not yet listening
 */
SlAdmin *
sl_admin_new (SlServerMetrics * metrics)
{
  SlAdmin *self = g_object_new (SL_TYPE_ADMIN, NULL);

  self->metrics = g_object_ref (metrics);
  self->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->soup, NULL, admin_cb, self, NULL);
  return self;
}

/**
 * sl_admin_listen:
 * @self: the endpoints
 * @address: where to listen (port 0: any free port)
 * @out_port: (out): the port listened on
 * @error: return location for a G_IO_ERROR
 *
 * Returns: whether it listens
 */
gboolean
sl_admin_listen (SlAdmin * self, GSocketAddress * address, guint16 * out_port,
    GError ** error)
{
  g_autoptr (GSocketAddress) bound = NULL;

  g_return_val_if_fail (SL_IS_ADMIN (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service),
          address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
          error))
    return FALSE;
  *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (self->service, "incoming", G_CALLBACK (admin_incoming_cb),
      self);
  g_socket_service_start (self->service);
  return TRUE;
}

/**
 * sl_admin_set_shutting_down:
 * @self: the endpoints
 * @shutting_down: whether the server is stopping (/healthz answers 503)
 */
void
sl_admin_set_shutting_down (SlAdmin * self, gboolean shutting_down)
{
  g_return_if_fail (SL_IS_ADMIN (self));
  self->shutting_down = shutting_down;
}

static void
sl_admin_dispose (GObject * object)
{
  SlAdmin *self = SL_ADMIN (object);

  if (self->service) {
    g_socket_service_stop (self->service);
    g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    g_signal_handlers_disconnect_by_data (self->service, self);
  }
  g_clear_object (&self->service);
  if (self->soup)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (sl_admin_parent_class)->dispose (object);
}

static void
sl_admin_class_init (SlAdminClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_admin_dispose;
}

static void
sl_admin_init (SlAdmin * self)
{
}
