/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Mutual TLS for every device, before any application byte: the server
 * accepts TCP connections itself (GSocketService) rather than letting
 * libsoup listen, so that it controls the handshake timeout, the
 * certificate checks and the refusal reasons, and hands libsoup only
 * authenticated streams.
 *
 * The TLS itself is SlTlsStream (OpenSSL, TLS 1.3 only; see
 * sl-tls-config.c for what is checked).  A device is refused when it
 * offers no certificate, one not issued by the operator CA, an expired or
 * not yet valid one, one without the client-auth usage or the device
 * subject, one on the revocation list, when it speaks an older TLS, or
 * when it does not complete the handshake in time.  Each refusal is
 * counted under its reason.
 *
 * Every handshake has the same time limit, so the pending ones are kept
 * in arrival order and one timer, set for the oldest, serves them all.
 *
 * Pending handshakes have their own limits, apart from the devices that
 * are logged in: at most max_handshakes in all and
 * max_handshakes_per_address from one source address.  At a limit, a new
 * connection does not wait behind connections that say nothing: the
 * pending handshake (from that address, or in all) whose peer has been
 * silent longest makes room for it.  A device with a valid certificate
 * completes its handshake in a few round trips, so it always gets in
 * while silent or stalled connections are held open at the limit; a
 * flood of new connections churns only other unauthenticated ones.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-tls-acceptor.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

typedef struct
{
  SlTlsAcceptor *acceptor;
  SlTlsStream *stream;
  char *address;                /* the peer's IP address */
  gint64 deadline;              /* monotonic, microseconds */
  GList link;                   /* in the acceptor's queue */
  GList address_link;           /* in its address's queue */
} Pending;

struct _SlTlsAcceptor
{
  GObject parent_instance;

  SlTlsConfig *tls_config;
  SlPoller *poller;
  const SlServerConfig *config;
  SlServerMetrics *metrics;
  SlTlsAcceptedFunc func;
  gpointer user_data;
  GQueue pending;               /* Pending, oldest first */
  GHashTable *by_address;       /* address -> GQueue of Pending */
  GSource *timer;
};

G_DEFINE_FINAL_TYPE (SlTlsAcceptor, sl_tls_acceptor, G_TYPE_OBJECT);

/**
 * sl_tls_acceptor_new:
 * @tls_config: the server's TLS settings
 * @poller: watches the sockets of accepted connections
 * @config: the server settings; must outlive the acceptor
 * @metrics: the server's metrics
 * @func: called for each accepted device
 * @user_data: for @func
 *
 * Returns: (transfer full): the acceptor
 */
SlTlsAcceptor *
sl_tls_acceptor_new (SlTlsConfig * tls_config, SlPoller * poller,
    const SlServerConfig * config, SlServerMetrics * metrics,
    SlTlsAcceptedFunc func, gpointer user_data)
{
  SlTlsAcceptor *self = g_object_new (SL_TYPE_TLS_ACCEPTOR, NULL);

  self->tls_config = g_object_ref (tls_config);
  self->poller = g_object_ref (poller);
  self->config = config;
  self->metrics = g_object_ref (metrics);
  self->func = func;
  self->user_data = user_data;
  return self;
}

static char *
describe_peer (SlTlsStream * stream)
{
  g_autoptr (GSocketAddress) addr = g_socket_connection_get_remote_address
      (sl_tls_stream_get_connection (stream), NULL);

  if (G_IS_INET_SOCKET_ADDRESS (addr)) {
    g_autofree char *ip = g_inet_address_to_string
        (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr)));
    return g_strdup_printf ("%s:%u", ip,
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr)));
  }
  return g_strdup ("?");
}

static void
refuse (SlTlsAcceptor * self, SlTlsStream * stream, const char *reason,
    const char *detail)
{
  g_autofree char *peer = describe_peer (stream);

  sl_server_metrics_add (self->metrics, SL_METRIC_REFUSALS, reason, 1);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
      "EVENT", "refused", "REASON", reason, "REMOTE", peer,
      "DEVICE_ID", "-", "MESSAGE", "connection refused: %s",
      detail ? detail : reason);
  g_io_stream_close (G_IO_STREAM (stream), NULL, NULL);
}

static void arm_timer (SlTlsAcceptor * self);

/* Takes @p off the queues; the caller frees it. */
static void
unqueue (SlTlsAcceptor * self, Pending * p)
{
  GQueue *same = g_hash_table_lookup (self->by_address, p->address);

  g_queue_unlink (&self->pending, &p->link);
  g_queue_unlink (same, &p->address_link);
  if (same->length == 0)
    g_hash_table_remove (self->by_address, p->address);
  sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, -1);
}

static void
pending_free (Pending * p)
{
  g_clear_object (&p->stream);
  g_free (p->address);
  g_free (p);
}

/* The handshake in @queue whose peer has been silent longest. */
static Pending *
most_silent (GQueue * queue)
{
  Pending *found = NULL;
  GList *l;

  for (l = queue->head; l; l = l->next) {
    Pending *p = l->data;

    if (found == NULL || sl_tls_stream_get_last_input (p->stream) <
        sl_tls_stream_get_last_input (found->stream))
      found = p;
  }
  return found;
}

/* At a limit: ends the quietest pending handshake of @queue (whose links
 * hold Pending) to make room for a new connection. */
static void
make_room (SlTlsAcceptor * self, GQueue * queue, const char *limit)
{
  Pending *p = most_silent (queue);
  g_autofree char *detail = g_strdup_printf ("%s reached; this handshake "
      "was the most silent", limit);

  unqueue (self, p);
  refuse (self, p->stream, "handshake-evicted", detail);
  pending_free (p);
}

static gboolean
timer_cb (gpointer user_data)
{
  SlTlsAcceptor *self = user_data;
  gint64 now = g_get_monotonic_time ();
  Pending *p;

  g_clear_pointer (&self->timer, g_source_unref);
  while ((p = g_queue_peek_head (&self->pending)) && p->deadline <= now) {
    unqueue (self, p);
    refuse (self, p->stream, "handshake-timeout", "no TLS handshake in time");
    pending_free (p);
  }
  arm_timer (self);
  return G_SOURCE_REMOVE;
}

static void
arm_timer (SlTlsAcceptor * self)
{
  Pending *head = g_queue_peek_head (&self->pending);

  if (self->timer || head == NULL)
    return;
  self->timer = g_timeout_source_new (0);
  g_source_set_ready_time (self->timer, head->deadline);
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_set_static_name (self->timer, "SlTlsAcceptor deadline");
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

static void
handshake_done (SlTlsStream * stream, const GError * error, gpointer user_data)
{
  Pending *p = user_data;
  SlTlsAcceptor *self = p->acceptor;
  SlPkiIdentity *identity;

  unqueue (self, p);
  identity = error ? NULL : sl_tls_stream_steal_identity (stream);
  if (error)
    refuse (self, stream, sl_tls_error_reason (error), error->message);
  else if (identity == NULL)
    refuse (self, stream, "no-certificate", NULL);
  else
    self->func (g_object_ref (stream), identity, self->user_data);
  pending_free (p);
}

/**
 * sl_tls_acceptor_accept:
 * @self: the acceptor
 * @connection: a new TCP connection
 *
 * Starts the TLS handshake; the result is the accepted callback or a
 * logged, counted refusal.
 */
void
sl_tls_acceptor_accept (SlTlsAcceptor * self, GSocketConnection * connection)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketAddress) remote = NULL;
  g_autofree char *address = NULL;
  SlTlsStream *stream;
  GQueue *same;
  Pending *p;

  g_return_if_fail (SL_IS_TLS_ACCEPTOR (self));

  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (remote)) {
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    return;                     /* already gone */
  }
  address = g_inet_address_to_string (g_inet_socket_address_get_address
      (G_INET_SOCKET_ADDRESS (remote)));
  same = g_hash_table_lookup (self->by_address, address);
  if (same && same->length >= self->config->max_handshakes_per_address)
    make_room (self, same, "max_handshakes_per_address");
  if (self->pending.length >= self->config->max_handshakes)
    make_room (self, &self->pending, "max_handshakes");

  g_socket_set_option (g_socket_connection_get_socket (connection),
      IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  stream = sl_tls_stream_new_server (self->tls_config, connection, &error);
  if (stream == NULL) {
    sl_server_metrics_add (self->metrics, SL_METRIC_REFUSALS, "tls-setup", 1);
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
        "EVENT", "tls-setup-failed", "MESSAGE", "%s", error->message);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    return;
  }
  p = g_new0 (Pending, 1);
  p->acceptor = self;
  p->stream = stream;
  p->deadline = g_get_monotonic_time () +
      (gint64) self->config->handshake_timeout_ms * 1000;
  p->link.data = p;
  p->address_link.data = p;
  g_queue_push_tail_link (&self->pending, &p->link);
  same = g_hash_table_lookup (self->by_address, address);
  if (same == NULL) {
    same = g_queue_new ();
    g_hash_table_insert (self->by_address, g_strdup (address), same);
  }
  g_queue_push_tail_link (same, &p->address_link);
  p->address = g_steal_pointer (&address);
  sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, 1);
  arm_timer (self);
  sl_tls_stream_handshake (stream, handshake_done, p);
  sl_poller_add (self->poller, stream);
}

/**
 * sl_tls_acceptor_get_pending:
 * @self: the acceptor
 *
 * Returns: the number of handshakes in progress
 */
guint
sl_tls_acceptor_get_pending (SlTlsAcceptor * self)
{
  g_return_val_if_fail (SL_IS_TLS_ACCEPTOR (self), 0);
  return self->pending.length;
}

/**
 * sl_tls_acceptor_cancel_all:
 * @self: the acceptor
 *
 * Drops every handshake in progress (shutdown).
 */
void
sl_tls_acceptor_cancel_all (SlTlsAcceptor * self)
{
  Pending *p;

  g_return_if_fail (SL_IS_TLS_ACCEPTOR (self));
  if (self->timer) {
    g_source_destroy (self->timer);
    g_clear_pointer (&self->timer, g_source_unref);
  }
  while ((p = g_queue_peek_head (&self->pending))) {
    unqueue (self, p);
    /* Closing drops the handshake callback. */
    g_io_stream_close (G_IO_STREAM (p->stream), NULL, NULL);
    pending_free (p);
  }
}

static void
sl_tls_acceptor_dispose (GObject * object)
{
  SlTlsAcceptor *self = SL_TLS_ACCEPTOR (object);

  if (self->metrics)
    sl_tls_acceptor_cancel_all (self);
  g_clear_object (&self->tls_config);
  g_clear_object (&self->poller);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (sl_tls_acceptor_parent_class)->dispose (object);
}

static void
sl_tls_acceptor_finalize (GObject * object)
{
  SlTlsAcceptor *self = SL_TLS_ACCEPTOR (object);

  g_hash_table_unref (self->by_address);
  G_OBJECT_CLASS (sl_tls_acceptor_parent_class)->finalize (object);
}

static void
sl_tls_acceptor_class_init (SlTlsAcceptorClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_tls_acceptor_dispose;
  G_OBJECT_CLASS (klass)->finalize = sl_tls_acceptor_finalize;
}

static void
sl_tls_acceptor_init (SlTlsAcceptor * self)
{
  g_queue_init (&self->pending);
  /* The queues are empty whenever they leave the table. */
  self->by_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_queue_free);
}
