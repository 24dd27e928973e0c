/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A device for tests: connects to wss://127.0.0.1:PORT/v1/ws (or /v2/ws)
 * with its certificate, trusting only the test CA, and queues what it
 * receives, checked against the tables of its protocol version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-test-client.h"
#include "sl-signalling.h"

#include <string.h>

struct _SlTestClient
{
  GObject parent_instance;

  SoupSession *session;
  SoupWebsocketConnection *ws;
  guint version;
  GQueue queue;                 /* SlMessage */
  guint n_received;
  gboolean closed;
  gushort close_code;
};

G_DEFINE_FINAL_TYPE (SlTestClient, sl_test_client, G_TYPE_OBJECT);

typedef struct
{
  gboolean done;
  SoupWebsocketConnection *ws;
  GError *error;
} Connect;

static void
connected_cb (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Connect *c = user_data;

  c->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source),
      result, &c->error);
  c->done = TRUE;
}

static gboolean
connect_done (gpointer user_data)
{
  return ((Connect *) user_data)->done;
}

static void
message_cb (SoupWebsocketConnection * ws, gint type, GBytes * message,
    gpointer user_data)
{
  SlTestClient *self = user_data;
  g_autoptr (GError) error = NULL;
  SlMessage *msg;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  self->n_received++;
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    g_error ("the server sent a binary frame");
  msg = sl_protocol_parse (sl_signalling_to_client_for (self->version), data,
      len, &error);
  if (msg == NULL)
    g_error ("the server sent an invalid message (%s): %.*s",
        error->message, (int) MIN (len, 300), data);
  g_queue_push_tail (&self->queue, msg);
}

static void
closed_cb (SoupWebsocketConnection * ws, gpointer user_data)
{
  SlTestClient *self = user_data;

  self->closed = TRUE;
  self->close_code = soup_websocket_connection_get_close_code (ws);
}

static SlTestClient *
connect_version (SlTestServer * server, GTlsCertificate * certificate,
    GTlsDatabase * database, guint version, GError ** error)
{
  g_autoptr (SlTestClient) self = g_object_new (SL_TYPE_TEST_CLIENT, NULL);
  g_autofree char *url = sl_test_server_get_url_for (server, version);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  Connect c = { 0 };

  self->version = version;
  self->session = soup_session_new_with_options ("tls-database", database,
      "timeout", 60, NULL);
  if (certificate)
    soup_message_set_tls_client_certificate (msg, certificate);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL,
      G_PRIORITY_DEFAULT, NULL, connected_cb, &c);
  if (!sl_test_iterate_until (connect_done, &c, 60000)) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
        "WebSocket connection timed out");
    return NULL;
  }
  if (c.ws == NULL) {
    g_propagate_error (error, c.error);
    return NULL;
  }
  self->ws = c.ws;
  soup_websocket_connection_set_max_incoming_payload_size (self->ws,
      SL_SIGNALLING_MAX_SERVER_MESSAGE);
  g_signal_connect (self->ws, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (self->ws, "closed", G_CALLBACK (closed_cb), self);
  return g_steal_pointer (&self);
}

/**
 * sl_test_client_connect_with:
 * @server: the server
 * @certificate: (nullable): the client certificate, or none
 * @database: the CA the client trusts
 * @error: return location for the connection error
 *
 * Returns: (transfer full) (nullable): a connected protocol version 1
 *   client
 */
SlTestClient *
sl_test_client_connect_with (SlTestServer * server,
    GTlsCertificate * certificate, GTlsDatabase * database, GError ** error)
{
  return connect_version (server, certificate, database, 1, error);
}

/**
 * sl_test_client_connect_version:
 * @server: the server
 * @pki: the test CA
 * @device_id: (nullable): a device issued by @pki, or %NULL for no
 *   client certificate
 * @version: the protocol version to speak (the path /v1/ws or /v2/ws)
 * @error: return location for the connection error
 *
 * Returns: (transfer full) (nullable): a connected client
 */
SlTestClient *
sl_test_client_connect_version (SlTestServer * server, SlTestPki * pki,
    const char *device_id, guint version, GError ** error)
{
  g_autoptr (GTlsCertificate) cert = NULL;

  if (device_id) {
    cert = sl_test_pki_load_device (pki, device_id, error);
    if (cert == NULL)
      return NULL;
  }
  return connect_version (server, cert, sl_test_pki_get_database (pki),
      version, error);
}

/**
 * sl_test_client_connect:
 * @server: the server
 * @pki: the test CA
 * @device_id: (nullable): a device issued by @pki, or %NULL for no
 *   client certificate
 * @error: return location for the connection error
 *
 * Returns: (transfer full) (nullable): a connected protocol version 1
 *   client
 */
SlTestClient *
sl_test_client_connect (SlTestServer * server, SlTestPki * pki,
    const char *device_id, GError ** error)
{
  return sl_test_client_connect_version (server, pki, device_id, 1, error);
}

/**
 * sl_test_client_get_version:
 * @self: a client
 *
 * Returns: the protocol version it speaks
 */
guint
sl_test_client_get_version (SlTestClient * self)
{
  return self->version;
}

static gboolean
has_message_or_closed (gpointer user_data)
{
  SlTestClient *self = user_data;

  return !g_queue_is_empty (&self->queue) || self->closed;
}

/**
 * sl_test_client_next:
 * @self: a client
 * @timeout_ms: how long to wait
 *
 * Returns: (transfer full) (nullable): the next message, or %NULL on
 *   timeout or once closed with nothing queued
 */
SlMessage *
sl_test_client_next (SlTestClient * self, guint timeout_ms)
{
  sl_test_iterate_until (has_message_or_closed, self, timeout_ms);
  return g_queue_pop_head (&self->queue);
}

/**
 * sl_test_client_expect:
 * @self: a client
 * @type: the type the next message must have
 *
 * Aborts the test if the next message (within SL_TEST_TIMEOUT_MS) is
 * missing or of another type.
 *
 * Returns: (transfer full): the message
 */
SlMessage *
sl_test_client_expect (SlTestClient * self, const char *type)
{
  SlMessage *msg = sl_test_client_next (self, SL_TEST_TIMEOUT_MS);
  g_autofree char *json = NULL;

  if (msg == NULL)
    g_error ("expected a '%s' message, got none (closed: %d, code %u)", type,
        self->closed, self->close_code);
  if (!g_str_equal (sl_message_get_type_name (msg), type)) {
    json = sl_message_to_json (msg, NULL, NULL);
    g_error ("expected a '%s' message, got %s", type, json);
  }
  return msg;
}

/**
 * sl_test_client_wait_for:
 * @self: a client
 * @type: a message type
 * @timeout_ms: how long to wait
 *
 * Drops other messages until one of @type arrives.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL on timeout
 */
SlMessage *
sl_test_client_wait_for (SlTestClient * self, const char *type,
    guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;) {
    gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
    SlMessage *msg;

    if (left <= 0)
      return NULL;
    msg = sl_test_client_next (self, (guint) left);
    if (msg == NULL)
      return NULL;
    if (g_str_equal (sl_message_get_type_name (msg), type))
      return msg;
    sl_message_unref (msg);
  }
}

/**
 * sl_test_client_quiet_for:
 * @self: a client
 * @ms: how long to listen
 *
 * Returns: %TRUE if no message arrived (or was queued) during @ms
 */
gboolean
sl_test_client_quiet_for (SlTestClient * self, guint ms)
{
  sl_test_sleep (ms);
  return g_queue_is_empty (&self->queue);
}

guint
sl_test_client_get_n_queued (SlTestClient * self)
{
  return g_queue_get_length (&self->queue);
}

guint
sl_test_client_get_n_received (SlTestClient * self)
{
  return self->n_received;
}

void
sl_test_client_send_text (SlTestClient * self, const char *text)
{
  soup_websocket_connection_send_text (self->ws, text);
}

/**
 * sl_test_client_send:
 * @self: a client
 * @msg: a message of the client's version (sl_signalling_to_server_for())
 */
void
sl_test_client_send (SlTestClient * self, SlMessage * msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) json = sl_message_to_bytes (msg, &error);

  g_assert_no_error (error);
  soup_websocket_connection_send_message (self->ws, SOUP_WEBSOCKET_DATA_TEXT,
      json);
}

void
sl_test_client_send_binary (SlTestClient * self, const void *data, gsize len)
{
  soup_websocket_connection_send_binary (self->ws, data, len);
}

static gboolean
is_closed (gpointer user_data)
{
  return ((SlTestClient *) user_data)->closed;
}

/**
 * sl_test_client_wait_closed:
 * @self: a client
 * @timeout_ms: how long to wait
 *
 * Returns: whether the connection closed in time
 */
gboolean
sl_test_client_wait_closed (SlTestClient * self, guint timeout_ms)
{
  return sl_test_iterate_until (is_closed, self, timeout_ms);
}

/**
 * sl_test_client_get_close_code:
 * @self: a closed client
 *
 * Returns: the close code the server sent
 */
gushort
sl_test_client_get_close_code (SlTestClient * self)
{
  return self->close_code;
}

gboolean
sl_test_client_is_open (SlTestClient * self)
{
  return !self->closed && self->ws &&
      soup_websocket_connection_get_state (self->ws) ==
      SOUP_WEBSOCKET_STATE_OPEN;
}

/**
 * sl_test_client_close:
 * @self: a client
 *
 * Closes normally (1000) and waits for the close to complete.
 */
void
sl_test_client_close (SlTestClient * self)
{
  if (sl_test_client_is_open (self))
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
        NULL);
  sl_test_client_wait_closed (self, SL_TEST_TIMEOUT_MS);
}

static void
sl_test_client_dispose (GObject * object)
{
  SlTestClient *self = SL_TEST_CLIENT (object);

  if (self->ws) {
    g_signal_handlers_disconnect_by_data (self->ws, self);
    if (soup_websocket_connection_get_state (self->ws) ==
        SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
          NULL);
    g_clear_object (&self->ws);
  }
  g_queue_clear_full (&self->queue, (GDestroyNotify) sl_message_unref);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (sl_test_client_parent_class)->dispose (object);
}

static void
sl_test_client_class_init (SlTestClientClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_test_client_dispose;
}

static void
sl_test_client_init (SlTestClient * self)
{
  g_queue_init (&self->queue);
}
