/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One authenticated device: its identity (from its certificate, never
 * from what it sends), its WebSocket, its rate limit and its presence and
 * call state.  Incoming text is rate-limited, parsed against the
 * signalling table and handed on with the "message" signal; anything
 * refused is answered here with the documented `error` or close code.
 *
 * Kept small on purpose (ten thousand of these must fit in a few hundred
 * megabytes): no buffers of its own, no timers (the server sweeps idle
 * connections with one timer for all).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-server-connection.h"
#include "sl-signalling.h"
#include "sl-token-bucket.h"
#include "sl-turn.h"

struct _SlServerConnection
{
  GObject parent_instance;

  SlPkiIdentity *identity;
  const SlServerConfig *config;
  SlServerMetrics *metrics;
  SlTlsStream *tls;
  SlWsGuard *guard;
  SoupWebsocketConnection *ws;
  SlTokenBucket rate;
  SlTokenBucket abuse;          /* drained by refused messages */
  gint64 last_rate_error_us;
  gint64 last_activity_us;
  gint64 last_ping_us;
  guint64 session;
  guint version;                /* signalling protocol version */
  gboolean in_call;
  gboolean user_busy;
  gboolean closing;
  gboolean closed_emitted;
  gboolean self_ref;            /* held from close() until the WebSocket
                                 * has finished closing */
};

enum
{
  SIGNAL_MESSAGE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlServerConnection, sl_server_connection, G_TYPE_OBJECT);

/**
 * sl_server_connection_new:
 * @identity: (transfer full): the device, read from its certificate
 * @config: the server settings; must outlive the connection
 * @metrics: the server's metrics
 *
 * Returns: (transfer full): a connection waiting for its WebSocket
 */
SlServerConnection *
sl_server_connection_new (SlPkiIdentity * identity,
    const SlServerConfig * config, SlServerMetrics * metrics)
{
  static guint64 last_session;
  SlServerConnection *self = g_object_new (SL_TYPE_SERVER_CONNECTION, NULL);
  gint64 now = g_get_monotonic_time ();

  self->session = ++last_session;
  self->version = 1;
  self->identity = identity;
  self->config = config;
  self->metrics = g_object_ref (metrics);
  self->last_activity_us = now;
  sl_token_bucket_init (&self->rate, config->rate_burst, now);
  sl_token_bucket_init (&self->abuse, config->rate_burst, now);
  return self;
}

static void
emit_closed (SlServerConnection * self)
{
  if (self->closed_emitted)
    return;
  self->closed_emitted = TRUE;
  self->closing = TRUE;
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

/**
 * sl_server_connection_close:
 * @self: a connection
 * @code: the WebSocket close code (see sl-signalling.h)
 * @reason: a short reason for the close frame; never secret
 *
 * Starts the closing handshake and emits "closed" at once: from now on the
 * device is gone for presence and calls.
 */
void
sl_server_connection_close (SlServerConnection * self, gushort code,
    const char *reason)
{
  g_autofree char *code_text = NULL;

  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  if (self->closing)
    return;
  self->closing = TRUE;
  code_text = g_strdup_printf ("%u", code);
  sl_server_metrics_add (self->metrics, SL_METRIC_CLOSES, code_text, 1);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
      "EVENT", "close", "DEVICE_ID", self->identity->device_id,
      "CLOSE_CODE", code_text, "MESSAGE", "closing connection: %s", reason);

  if (self->ws &&
      soup_websocket_connection_get_state (self->ws) ==
      SOUP_WEBSOCKET_STATE_OPEN) {
    g_object_ref (self);
    self->self_ref = TRUE;
    soup_websocket_connection_close (self->ws, code, reason);
  }
  emit_closed (self);
}

static void
refuse_excess (SlServerConnection * self, gint64 now)
{
  const SlServerConfig *c = self->config;

  /* Refused messages drain a second bucket that refills ten times slower:
   * occasional overshoot is answered, sustained flooding is closed. */
  if (!sl_token_bucket_take (&self->abuse, c->rate_limit / 10, c->rate_burst,
          1, now)) {
    sl_server_connection_close (self, SL_CLOSE_POLICY,
        "rate limit exceeded repeatedly");
    return;
  }
  if (now - self->last_rate_error_us >= G_USEC_PER_SEC) {
    g_autofree char *text = g_strdup_printf ("more than %g messages per "
        "second (burst %g); message dropped", c->rate_limit, c->rate_burst);

    self->last_rate_error_us = now;
    sl_server_connection_send_error (self, SL_SIGNALLING_ERROR_RATE_LIMITED,
        text, NULL, NULL);
  }
}

static void
ws_message_cb (SoupWebsocketConnection * ws, gint type, GBytes * message,
    gpointer user_data)
{
  /* Handlers may close the connection and drop the last other reference. */
  g_autoptr (SlServerConnection) self = g_object_ref (user_data);
  g_autoptr (SlMessage) msg = NULL;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_monotonic_time ();
  const char *data;
  gsize len;

  if (self->closing)
    return;
  self->last_activity_us = now;
  sl_server_metrics_add (self->metrics, SL_METRIC_MESSAGES_IN, NULL, 1);

  if (type != SOUP_WEBSOCKET_DATA_TEXT) {
    sl_server_connection_close (self, SL_CLOSE_UNSUPPORTED_DATA,
        "binary frames are not accepted");
    return;
  }
  if (!sl_token_bucket_take (&self->rate, self->config->rate_limit,
          self->config->rate_burst, 1, now)) {
    refuse_excess (self, now);
    return;
  }

  data = g_bytes_get_data (message, &len);
  msg = sl_protocol_parse (sl_signalling_to_server_for (self->version), data,
      len, &error);
  if (msg == NULL) {
    sl_server_connection_send_error (self,
        sl_protocol_error_code_name ((SlProtocolError) error->code),
        error->message, NULL, NULL);
    return;
  }
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, msg);
}

static void
ws_error_cb (SoupWebsocketConnection * ws, GError * error, gpointer user_data)
{
  SlServerConnection *self = user_data;

  /* libsoup closes by itself on protocol errors and oversized frames
   * (1002, 1009); count those closes like ours. */
  if (error->domain == SOUP_WEBSOCKET_ERROR && !self->closing) {
    g_autofree char *code_text = g_strdup_printf ("%d", error->code);

    sl_server_metrics_add (self->metrics, SL_METRIC_CLOSES, code_text, 1);
  }
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
      "EVENT", "websocket-error", "DEVICE_ID", self->identity->device_id,
      "MESSAGE", "%s", error->message);
}

static void
ws_closed_cb (SoupWebsocketConnection * ws, gpointer user_data)
{
  /* The "closed" handlers may drop the last other reference. */
  g_autoptr (SlServerConnection) self = g_object_ref (user_data);

  /* libsoup closed the streams it was given; close the TLS connection (and
   * its socket) under them too. */
  if (self->tls && !g_io_stream_is_closed (G_IO_STREAM (self->tls)))
    g_io_stream_close_async (G_IO_STREAM (self->tls), G_PRIORITY_DEFAULT,
        NULL, NULL, NULL);
  emit_closed (self);
  if (self->self_ref) {
    self->self_ref = FALSE;
    g_object_unref (self);
  }
}

/* Records that carry no data cost the server work like messages do, so
 * they take from the same buckets: a device that keeps sending them is
 * closed like one that floods messages, at once and without waiting for
 * the WebSocket closing handshake, so that it costs nothing more. */
static void
noise_cb (SlTlsStream * tls, guint n_records, gpointer user_data)
{
  SlServerConnection *self = user_data;
  const SlServerConfig *c = self->config;
  gint64 now = g_get_monotonic_time ();
  guint i;

  sl_server_metrics_add (self->metrics, SL_METRIC_NOISE_RECORDS, NULL,
      n_records);
  if (self->closing)
    return;
  for (i = 0; i < n_records; i++) {
    if (!sl_token_bucket_take (&self->rate, c->rate_limit, c->rate_burst, 1,
            now) && !sl_token_bucket_take (&self->abuse, c->rate_limit / 10,
            c->rate_burst, 1, now)) {
      sl_server_connection_close (self, SL_CLOSE_POLICY,
          "too many TLS records without data");
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
      return;
    }
  }
}

static void
oversize_cb (gpointer user_data)
{
  g_autoptr (SlServerConnection) self = g_object_ref (user_data);
  g_autofree char *reason = g_strdup_printf ("message larger than %u bytes",
      self->config->max_message_size);

  sl_server_connection_close (self, SL_CLOSE_TOO_BIG, reason);
}

/**
 * sl_server_connection_set_transport:
 * @self: a connection
 * @tls: the device's TLS connection
 * @guard: the frame guard between @tls and libsoup
 *
 * Keeps the transport so that it can be closed with the WebSocket and the
 * guard started after the upgrade.
 */
void
sl_server_connection_set_transport (SlServerConnection * self,
    SlTlsStream * tls, SlWsGuard * guard)
{
  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  g_return_if_fail (self->tls == NULL);
  self->tls = g_object_ref (tls);
  g_set_object (&self->guard, guard);
  sl_tls_stream_set_noise_func (tls, noise_cb, self);
}

/**
 * sl_server_connection_attach:
 * @self: a connection
 * @ws: its WebSocket, just upgraded
 * @version: the signalling protocol version its path names
 *
 * Applies the message size limit and keepalive pings and starts handling
 * messages.
 */
void
sl_server_connection_attach (SlServerConnection * self,
    SoupWebsocketConnection * ws, guint version)
{
  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  g_return_if_fail (self->ws == NULL);
  g_return_if_fail (version >= 1 && version <= SL_SIGNALLING_VERSION_MAX);

  self->ws = g_object_ref (ws);
  self->version = version;
  self->last_activity_us = self->last_ping_us = g_get_monotonic_time ();
  /* The guard enforces the limit with a proper 1009; libsoup's own limit
   * stays as a backstop for anything that slipped past it. */
  soup_websocket_connection_set_max_incoming_payload_size (ws,
      self->config->max_message_size);
  if (self->guard)
    sl_ws_guard_start (self->guard, self->config->max_message_size,
        oversize_cb, self);
  /* No libsoup keepalive: it is a timer per connection.  The server's
   * sweep pings (sl_server_connection_ping()) and the guard sees pongs. */
  g_signal_connect (ws, "message", G_CALLBACK (ws_message_cb), self);
  g_signal_connect (ws, "error", G_CALLBACK (ws_error_cb), self);
  g_signal_connect (ws, "closed", G_CALLBACK (ws_closed_cb), self);
}

/**
 * sl_server_connection_ping:
 * @self: a connection
 * @now: the monotonic time
 *
 * Sends a WebSocket ping if the last one is ping_interval old.  The frame
 * goes straight to the TLS stream, which takes writes whole, so it never
 * lands inside a frame libsoup is writing.
 */
void
sl_server_connection_ping (SlServerConnection * self, gint64 now)
{
  static const guint8 ping[2] = { 0x89, 0x00 }; /* FIN, ping, empty */
  GOutputStream *out;

  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  if (self->closing || self->ws == NULL || self->tls == NULL ||
      now - self->last_ping_us < (gint64) self->config->ping_interval *
      G_USEC_PER_SEC ||
      soup_websocket_connection_get_state (self->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN)
    return;
  self->last_ping_us = now;
  out = g_io_stream_get_output_stream (G_IO_STREAM (self->tls));
  /* A device too slow to take a ping is not pinged: it will be closed as
   * idle if it is also silent. */
  g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out),
      ping, sizeof ping, NULL, NULL);
}

const char *
sl_server_connection_get_device_id (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), NULL);
  return self->identity->device_id;
}

const char *
sl_server_connection_get_display_name (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), NULL);
  return self->identity->display_name;
}

const char *
sl_server_connection_get_role (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), NULL);
  return self->identity->role;
}

const char *
sl_server_connection_get_serial (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), NULL);
  return self->identity->serial;
}

gint64
sl_server_connection_get_not_after (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), 0);
  return self->identity->not_after;
}

guint
sl_server_connection_get_version (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), 1);
  return self->version;
}

guint64
sl_server_connection_get_session (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), 0);
  return self->session;
}

/**
 * sl_server_connection_get_info:
 * @self: a connection
 * @info: (out caller-allocates): the device as the call router sees it;
 *   its strings belong to @self
 */
void
sl_server_connection_get_info (SlServerConnection * self, SlDeviceInfo * info)
{
  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  info->device_id = self->identity->device_id;
  info->name = self->identity->display_name;
  info->role = self->identity->role;
  info->version = self->version;
  info->session = self->session;
  info->busy = sl_server_connection_is_busy (self);
}

/**
 * sl_server_connection_is_busy:
 * @self: a connection
 *
 * Returns: whether the device is in a call (ringing or active) or has
 *   said it is busy; its presence status is then "busy"
 */
gboolean
sl_server_connection_is_busy (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), TRUE);
  return self->user_busy || self->in_call;
}

gboolean
sl_server_connection_is_user_busy (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), FALSE);
  return self->user_busy;
}

void
sl_server_connection_set_user_busy (SlServerConnection * self, gboolean busy)
{
  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  self->user_busy = busy;
}

/**
 * sl_server_connection_set_in_call:
 * @self: a connection
 * @in_call: whether the device is now a member of a call
 */
void
sl_server_connection_set_in_call (SlServerConnection * self, gboolean in_call)
{
  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  self->in_call = in_call;
}

/**
 * sl_server_connection_get_last_activity:
 * @self: a connection
 *
 * Returns: the monotonic time of the last frame (message or pong) received
 */
gint64
sl_server_connection_get_last_activity (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), 0);
  if (self->guard)
    return MAX (self->last_activity_us,
        sl_ws_guard_get_last_frame (self->guard));
  return self->last_activity_us;
}

gboolean
sl_server_connection_is_closing (SlServerConnection * self)
{
  g_return_val_if_fail (SL_IS_SERVER_CONNECTION (self), TRUE);
  return self->closing;
}

/**
 * sl_server_connection_send_bytes:
 * @self: a connection
 * @json: (transfer none): a serialised server-to-device message
 *
 * Queues the message; dropped silently once the connection is closing.
 */
void
sl_server_connection_send_bytes (SlServerConnection * self, GBytes * json)
{
  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  if (self->closing || self->ws == NULL ||
      soup_websocket_connection_get_state (self->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_message (self->ws,
      SOUP_WEBSOCKET_DATA_TEXT, json);
}

/**
 * sl_server_connection_send:
 * @self: a connection
 * @msg: a message of the family for the connection's protocol version
 *   (sl_signalling_to_client_for())
 *
 * Serialises and queues @msg.
 */
void
sl_server_connection_send (SlServerConnection * self, SlMessage * msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) json = NULL;

  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  json = sl_message_to_bytes (msg, &error);
  if (json == NULL) {
    /* Only values the server itself produced go in; a failure here is a
     * bug, reported without the values. */
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL,
        "EVENT", "bad-outgoing", "MESSAGE", "cannot send a '%s': %s",
        sl_message_get_type_name (msg), error->message);
    return;
  }
  sl_server_connection_send_bytes (self, json);
}

/**
 * sl_server_connection_send_welcome:
 * @self: a connection, just upgraded
 * @turn: (nullable): the TURN credentials source, if the server has one
 *
 * Sends the first message: who the device is and the server's settings,
 * in the device's protocol version.
 */
void
sl_server_connection_send_welcome (SlServerConnection * self, SlTurn * turn)
{
  g_autoptr (SlMessage) msg = NULL;
  const SlServerConfig *c;

  g_return_if_fail (SL_IS_SERVER_CONNECTION (self));
  c = self->config;
  msg = sl_message_new (sl_signalling_to_client_for (self->version), "welcome");
  sl_server_connection_fill_device (self, sl_message_set_object (msg,
          "device"), FALSE);
  sl_message_set_string (msg, "server_version", PACKAGE_VERSION);
  sl_message_set_int (msg, "ping_interval_ms", c->ping_interval * 1000);
  sl_message_set_int (msg, "idle_timeout_ms", c->idle_timeout * 1000);
  sl_message_set_int (msg, "ring_timeout_ms", c->ring_timeout_ms);
  sl_message_set_int (msg, "max_message_size", c->max_message_size);
  if (self->version >= 2) {
    sl_message_set_int (msg, "protocol_version", self->version);
    sl_message_set_int (msg, "max_call_participants", c->max_call_participants);
  }
  if (turn)
    sl_turn_fill (turn, self->identity->device_id,
        g_get_real_time () / G_USEC_PER_SEC, sl_message_set_object (msg,
            "turn"));
  sl_server_connection_send (self, msg);
}

/**
 * sl_server_connection_send_error:
 * @self: a connection
 * @code: the error code (a SlProtocolError name or SL_SIGNALLING_ERROR_*)
 * @message: a description for the device's logs
 * @call_id: (nullable): the call concerned
 * @ref_type: (nullable): the type of the message that caused it
 */
void
sl_server_connection_send_error (SlServerConnection * self, const char *code,
    const char *message, const char *call_id, const char *ref_type)
{
  g_autoptr (SlMessage) msg = sl_signalling_new_error (self->version, code,
      message, call_id, ref_type, NULL);

  sl_server_metrics_add (self->metrics, SL_METRIC_ERRORS, code, 1);
  sl_server_connection_send (self, msg);
}

/**
 * sl_server_connection_fill_device:
 * @self: a connection
 * @device: a `device` object of a server-to-device message
 * @with_status: also set "status" (roster and presence entries)
 */
void
sl_server_connection_fill_device (SlServerConnection * self,
    SlMessage * device, gboolean with_status)
{
  sl_message_set_string (device, "id", self->identity->device_id);
  sl_message_set_string (device, "name", self->identity->display_name);
  sl_message_set_string (device, "role", self->identity->role);
  if (with_status)
    sl_message_set_string (device, "status",
        sl_server_connection_is_busy (self) ? "busy" : "available");
}

static void
sl_server_connection_dispose (GObject * object)
{
  SlServerConnection *self = SL_SERVER_CONNECTION (object);

  if (self->ws) {
    g_signal_handlers_disconnect_by_data (self->ws, self);
    g_clear_object (&self->ws);
  }
  if (self->guard)
    sl_ws_guard_stop (self->guard);
  g_clear_object (&self->guard);
  if (self->tls) {
    sl_tls_stream_set_noise_func (self->tls, NULL, NULL);
    if (!g_io_stream_is_closed (G_IO_STREAM (self->tls)))
      g_io_stream_close_async (G_IO_STREAM (self->tls), G_PRIORITY_DEFAULT,
          NULL, NULL, NULL);
  }
  g_clear_object (&self->tls);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (sl_server_connection_parent_class)->dispose (object);
}

static void
sl_server_connection_finalize (GObject * object)
{
  SlServerConnection *self = SL_SERVER_CONNECTION (object);

  sl_pki_identity_free (self->identity);
  G_OBJECT_CLASS (sl_server_connection_parent_class)->finalize (object);
}

static void
sl_server_connection_class_init (SlServerConnectionClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_server_connection_dispose;
  object_class->finalize = sl_server_connection_finalize;

  /**
   * SlServerConnection::message:
   * @self: the connection
   * @msg: a valid message of sl_signalling_to_server
   *
   * Emitted for each accepted message, after rate limiting and parsing.
   */
  signals[SIGNAL_MESSAGE] = g_signal_new ("message",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, SL_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * SlServerConnection::closed:
   * @self: the connection
   *
   * Emitted once, when the server closes the connection or the device
   * goes away.
   */
  signals[SIGNAL_CLOSED] = g_signal_new ("closed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
}

static void
sl_server_connection_init (SlServerConnection * self)
{
}
