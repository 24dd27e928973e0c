/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The device's connection to the signalling server: a WebSocket over
 * TLS with the device certificate, trusting only the operator CA.  It
 * keeps the roster current and hands every call message to the call
 * layer.  A lost connection is retried with exponential backoff and
 * jitter, so that devices do not reconnect in lockstep after a server
 * restart; a call in progress does not depend on it (media and the data
 * channel are peer to peer).  The backoff is capped at BACKOFF_MAX_MS so
 * that a device is registered again within 10 s of a server restart.
 *
 * A server that vanishes without closing the connection (host down, path
 * cut) is noticed by our own WebSocket pings: with no pong or message for
 * SILENCE_MAX_S the connection is dropped and retried.
 *
 * An operator with several instances (a cluster sharing Redis) gives the
 * device several URLs.  They are tried in order: a failed attempt moves on
 * to the next URL at once, and the backoff is applied per round through
 * the list, not per URL, so that a dead instance costs one refused connect
 * and not a backoff step.  A lost connection starts a new round at the
 * next URL after a jittered delay, so that the devices of a dead instance
 * do not all land on the next one in the same millisecond.
 *
 * A server that refuses this device's certificate (revoked, expired,
 * from another CA) says so with a TLS alert: that is not retried, and the
 * alert is reported as such ("refused").  GLib's GnuTLS backend reports
 * an alert only as text ("Peer sent fatal TLS alert: NAME", NAME from
 * gnutls_alert_get_name()), so the alert is recognised by that text.  The
 * server closes right after its alert, so an attempt may see only the
 * reset; the next attempts report the alert.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-signal-client.h"
#include "sl-signalling.h"
#include "sightline/sl-signal-error.h"
#include "sl-source.h"

#include <string.h>
#include <libsoup/soup.h>

#define BACKOFF_FIRST_MS 250
/* Delays are half fixed, half random: the longest is 4 s, so a restart
 * that takes up to 5 s is followed by a new registration within 10 s. */
#define BACKOFF_MAX_MS 4000
#define KEEPALIVE_S 5
#define SILENCE_MAX_S 15
#define DEFAULT_RING_TIMEOUT_MS 30000

struct _SlSignalClient
{
  GObject parent_instance;

  GStrv urls;                   /* wss://host:port/path, tried in order */
  guint version;                /* the protocol of this attempt's path */
  SoupMessage *upgrade;         /* this attempt's WebSocket upgrade */
  guint n_urls;
  guint current;                /* index in urls of this attempt */
  guint tried;                  /* failed attempts in this round */
  GTlsCertificate *certificate;
  SoupSession *session;
  SoupWebsocketConnection *ws;
  GCancellable *cancellable;
  GSource *retry_source;
  GSource *silence_source;
  gint64 last_heard_us;
  guint ring_timeout_ms;
  guint attempts;
  guint connections;
  gboolean running;
  gboolean welcomed;
  gboolean busy;                /* do not disturb, told on every connection */

  char *device_id;
  GHashTable *peers;            /* id -> SlPeerInfo */
  GStrv turn_servers;
};

enum
{
  SIGNAL_CONNECTED,
  SIGNAL_DISCONNECTED,
  SIGNAL_REFUSED,
  SIGNAL_ROSTER_CHANGED,
  SIGNAL_CALL_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_TYPE (SlSignalClient, sl_signal_client, G_TYPE_OBJECT);

static void connect_now (SlSignalClient * self);
static gboolean fall_back (SlSignalClient * self);
static void send_status (SlSignalClient * self);

static void
peer_info_free (gpointer data)
{
  SlPeerInfo *p = data;

  g_free (p->id);
  g_free (p->name);
  g_free (p->role);
  g_free (p);
}

static void
put_peer (SlSignalClient * self, const SlMessage * dev)
{
  SlPeerInfo *p = g_new0 (SlPeerInfo, 1);

  p->id = g_strdup (sl_message_get_string (dev, "id"));
  p->name = g_strdup (sl_message_get_string (dev, "name"));
  p->role = g_strdup (sl_message_get_string (dev, "role"));
  p->busy = g_strcmp0 (sl_message_get_string (dev, "status"), "busy") == 0;
  g_hash_table_replace (self->peers, p->id, p);
}

static void
take_turn (SlSignalClient * self, const SlMessage * turn)
{
  GPtrArray *out = g_ptr_array_new ();
  const char *user = sl_message_get_string (turn, "username");
  const char *cred = sl_message_get_string (turn, "credential");
  guint i;

  for (i = 0; i < sl_message_get_array_length (turn, "urls"); i++) {
    const char *url = sl_message_get_array_string (turn, "urls", i);
    g_autofree char *u = g_uri_escape_string (user, NULL, FALSE);
    g_autofree char *c = g_uri_escape_string (cred, NULL, FALSE);

    /* turn:host:port -> turn://user:credential@host:port for webrtcbin */
    if (g_str_has_prefix (url, "turn:") && !g_str_has_prefix (url, "turn://"))
      g_ptr_array_add (out, g_strdup_printf ("turn://%s:%s@%s", u, c, url + 5));
    else if (g_str_has_prefix (url, "turns:")
        && !g_str_has_prefix (url, "turns://"))
      g_ptr_array_add (out, g_strdup_printf ("turns://%s:%s@%s", u, c,
              url + 6));
  }
  g_ptr_array_add (out, NULL);
  g_strfreev (self->turn_servers);
  self->turn_servers = (GStrv) g_ptr_array_free (out, FALSE);
}

static void
handle_message (SlSignalClient * self, SlMessage * msg)
{
  const char *type = sl_message_get_type_name (msg);
  guint i;

  if (g_str_equal (type, "welcome")) {
    const SlMessage *dev = sl_message_get_object (msg, "device");

    g_free (self->device_id);
    self->device_id = g_strdup (sl_message_get_string (dev, "id"));
    if (sl_message_has_member (msg, "turn"))
      take_turn (self, sl_message_get_object (msg, "turn"));
    if (sl_message_has_member (msg, "ring_timeout_ms")
        && sl_message_get_int (msg, "ring_timeout_ms") > 0
        && sl_message_get_int (msg, "ring_timeout_ms") < G_MAXINT / 2)
      self->ring_timeout_ms = sl_message_get_int (msg, "ring_timeout_ms");
    self->welcomed = TRUE;
    self->attempts = 0;
    self->tried = 0;
    self->connections++;
    /* A new connection starts available: the server forgot our status. */
    if (self->busy)
      send_status (self);
    g_signal_emit (self, signals[SIGNAL_CONNECTED], 0);
  } else if (g_str_equal (type, "roster")) {
    g_hash_table_remove_all (self->peers);
    for (i = 0; i < sl_message_get_array_length (msg, "devices"); i++)
      put_peer (self, sl_message_get_array_object (msg, "devices", i));
    g_signal_emit (self, signals[SIGNAL_ROSTER_CHANGED], 0);
  } else if (g_str_equal (type, "presence")) {
    const SlMessage *dev = sl_message_get_object (msg, "device");

    if (g_strcmp0 (sl_message_get_string (msg, "event"), "leave") == 0)
      g_hash_table_remove (self->peers, sl_message_get_string (dev, "id"));
    else
      put_peer (self, dev);
    g_signal_emit (self, signals[SIGNAL_ROSTER_CHANGED], 0);
  } else if (g_str_equal (type, "turn-credentials")) {
    take_turn (self, msg);
  } else if (g_str_equal (type, "shutdown") || g_str_equal (type, "replaced")) {
    g_info ("server says %s", type);
  } else {
    g_signal_emit (self, signals[SIGNAL_CALL_MESSAGE], 0, msg);
  }
}

static void
on_ws_message (SoupWebsocketConnection * ws, gint type, GBytes * data,
    SlSignalClient * self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) msg = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (data, &len);

  self->last_heard_us = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT) {
    g_info ("ignored a binary frame from the server");
    return;
  }
  msg = sl_protocol_parse (sl_signalling_to_client_for (self->version), text,
      len, &error);
  if (msg == NULL) {
    g_info ("ignored an invalid message from the server: %s", error->message);
    return;
  }
  handle_message (self, msg);
}

static guint
backoff_ms (guint attempts)
{
  guint64 base = BACKOFF_FIRST_MS;

  while (attempts-- > 1 && base < BACKOFF_MAX_MS)
    base *= 2;
  base = MIN (base, BACKOFF_MAX_MS);
  /* "Equal jitter": half fixed, half random. */
  return base / 2 + g_random_int_range (0, base / 2 + 1);
}

static gboolean
on_retry (gpointer user_data)
{
  SlSignalClient *self = user_data;

  sl_source_clear (&self->retry_source);
  connect_now (self);
  return G_SOURCE_REMOVE;
}

/* Moves on to the next URL.  @lost: a working connection was lost, which
 * starts a new round; otherwise an attempt failed, and only the end of a
 * round waits for the backoff. */
static void
schedule_retry (SlSignalClient * self, gboolean lost)
{
  guint delay = 0;

  if (!self->running || self->retry_source)
    return;
  self->current = (self->current + 1) % self->n_urls;
  if (lost || ++self->tried >= self->n_urls) {
    self->tried = 0;
    self->attempts++;
    delay = backoff_ms (self->attempts);
  }
  g_debug ("connecting to %s in %u ms (round %u)", self->urls[self->current],
      delay, self->attempts);
  self->retry_source = sl_timeout_attach (delay, on_retry, self);
}

/* Returns: whether the connection had been welcomed (a working one, as
 * opposed to a failed attempt). */
static gboolean
drop_connection (SlSignalClient * self, GError * why)
{
  gboolean was_welcomed = self->welcomed;

  sl_source_clear (&self->silence_source);
  if (self->ws) {
    g_signal_handlers_disconnect_by_data (self->ws, self);
    if (soup_websocket_connection_get_state (self->ws) ==
        SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
          NULL);
    g_clear_object (&self->ws);
  }
  self->welcomed = FALSE;
  g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, why);
  return was_welcomed;
}

/* Gives up for good: no more retries. */
static void
refuse (SlSignalClient * self, GError * why)
{
  self->running = FALSE;
  sl_source_clear (&self->retry_source);
  g_signal_emit (self, signals[SIGNAL_REFUSED], 0, why);
}

static void
on_ws_closed (SoupWebsocketConnection * ws, SlSignalClient * self)
{
  gushort code = soup_websocket_connection_get_close_code (ws);
  const char *data = soup_websocket_connection_get_close_data (ws);
  g_autoptr (GError) why = g_error_new (SL_SIGNAL_ERROR,
      SL_SIGNAL_ERROR_CLOSED, "The server at %s closed the connection (%u%s%s)",
      self->urls[self->current], code, data && *data ? ": " : "",
      data ? data : "");
  gboolean lost;

  lost = drop_connection (self, why);
  /* Another connection of this device took over, or we were revoked:
   * reconnecting would only fight it. */
  if (code == SL_CLOSE_REPLACED || code == SL_CLOSE_REVOKED) {
    g_autoptr (GError) refused = g_error_new_literal (SL_SIGNAL_ERROR,
        SL_SIGNAL_ERROR_REFUSED, code == SL_CLOSE_REVOKED ?
        "The server closed the connection: this device's certificate was "
        "revoked" : "Another connection of this device took over");

    refuse (self, refused);
    return;
  }
  schedule_retry (self, lost);
}

/* TLS alerts that refuse this device's certificate for good (names as
 * gnutls_alert_get_name() gives them), and what they mean for the user. */
static const struct
{
  const char *alert;
  const char *meaning;
} refusals[] = {
  {"Certificate was revoked", "the operator revoked this device's "
        "certificate"},
  {"Certificate is expired", "the server finds this device's certificate "
        "expired (check this device's clock)"},
  {"CA is unknown", "the server does not trust the CA that issued this "
        "device's certificate"},
  {"Certificate is bad", "the server finds this device's certificate "
        "invalid"},
  {"Unknown certificate", "the server does not accept this device's "
        "certificate"},
  {"Certificate is not supported", "the server does not accept this "
        "device's certificate"},
  {"Certificate is required", "the server wants a device certificate"},
  {"Access was denied", "the server denies this device access"},
};

#define ALERT_PREFIX "Peer sent fatal TLS alert: "

/* (nullable): an error for a TLS alert that refuses us for good. */
static GError *
refusal_from (const GError * error)
{
  const char *at = error ? strstr (error->message, ALERT_PREFIX) : NULL;
  guint i;

  if (at == NULL)
    return NULL;
  at += strlen (ALERT_PREFIX);
  for (i = 0; i < G_N_ELEMENTS (refusals); i++) {
    if (g_str_has_prefix (at, refusals[i].alert))
      return g_error_new (SL_SIGNAL_ERROR, SL_SIGNAL_ERROR_REFUSED,
          "The server refused this device: %s (TLS alert \"%s\")",
          refusals[i].meaning, refusals[i].alert);
  }
  return NULL;
}

static void
on_ws_error (SoupWebsocketConnection * ws, GError * error,
    SlSignalClient * self)
{
  g_debug ("websocket error: %s", error->message);
}

static void
on_ws_pong (SoupWebsocketConnection * ws, GBytes * message,
    SlSignalClient * self)
{
  self->last_heard_us = g_get_monotonic_time ();
}

static gboolean
on_silence_check (gpointer data)
{
  SlSignalClient *self = data;
  g_autoptr (GError) why = NULL;

  if ((g_get_monotonic_time () - self->last_heard_us) / G_USEC_PER_SEC <
      SILENCE_MAX_S)
    return G_SOURCE_CONTINUE;
  sl_source_clear (&self->silence_source);
  why = g_error_new (SL_SIGNAL_ERROR, SL_SIGNAL_ERROR_UNREACHABLE,
      "The server at %s stopped answering for %d s",
      self->urls[self->current], SILENCE_MAX_S);
  schedule_retry (self, drop_connection (self, why));
  return G_SOURCE_REMOVE;
}

static void
on_connected (GObject * source, GAsyncResult * result, gpointer user_data)
{
  SlSignalClient *self = user_data;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
      &error);
  if (ws == NULL) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      g_object_unref (self);
      return;
    }
    if (fall_back (self)) {
      connect_now (self);
      g_object_unref (self);
      return;
    }
    {
      g_autoptr (GError) why = g_error_new (SL_SIGNAL_ERROR,
          SL_SIGNAL_ERROR_UNREACHABLE, "Cannot reach the server at %s: %s",
          self->urls[self->current], error->message);
      g_autoptr (GError) refused = refusal_from (error);

      if (refused)
        refuse (self, refused);
      else
        g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, why);
    }
    schedule_retry (self, FALSE);
    g_object_unref (self);
    return;
  }
  self->ws = ws;
  soup_websocket_connection_set_max_incoming_payload_size (ws,
      SL_SIGNALLING_MAX_SERVER_MESSAGE);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), self);
  g_signal_connect (ws, "error", G_CALLBACK (on_ws_error), self);
  g_signal_connect (ws, "pong", G_CALLBACK (on_ws_pong), self);
  soup_websocket_connection_set_keepalive_interval (ws, KEEPALIVE_S);
  self->last_heard_us = g_get_monotonic_time ();
  self->silence_source = sl_timeout_attach_seconds (KEEPALIVE_S,
      on_silence_check, self);
  g_object_unref (self);
}

static guint
version_of (const char *url)
{
  return g_str_has_suffix (url, SL_SIGNALLING_PATH_V2) ? 2 : 1;
}

static void
connect_now (SlSignalClient * self)
{
  g_autoptr (SoupMessage) msg = NULL;

  msg = soup_message_new (SOUP_METHOD_GET, self->urls[self->current]);
  self->version = version_of (self->urls[self->current]);
  g_set_object (&self->upgrade, msg);
  soup_message_set_tls_client_certificate (msg, self->certificate);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL,
      G_PRIORITY_DEFAULT, self->cancellable, on_connected, g_object_ref (self));
}

/* A server older than version 2 has no handler for its path and answers
 * the upgrade 404 (docs/PROTOCOL.md, "Versions"): this URL speaks version
 * 1 from now on, two-party calls only.  Returns: whether to try again. */
static gboolean
fall_back (SlSignalClient * self)
{
  char *url = self->urls[self->current];

  if (self->upgrade == NULL || self->version != 2
      || soup_message_get_status (self->upgrade) != SOUP_STATUS_NOT_FOUND)
    return FALSE;
  self->urls[self->current] = g_strdup_printf ("%.*s%s",
      (int) (strlen (url) - strlen (SL_SIGNALLING_PATH_V2)), url,
      SL_SIGNALLING_PATH);
  g_info ("%s has no protocol version 2: trying %s", url,
      self->urls[self->current]);
  g_free (url);
  return TRUE;
}

/* Returns: (transfer full) (nullable): @url with the signalling path
 * (the newest version) when it has none, %NULL when it is not a wss://
 * URL. */
static char *
check_url (const char *url, GError ** error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0') {
    g_set_error (error, SL_SIGNAL_ERROR, SL_SIGNAL_ERROR_CONFIG,
        "The server URL must look like wss://host:port%s, not \"%s\"",
        SL_SIGNALLING_PATH_V2, url);
    return NULL;
  }
  if (g_strcmp0 (g_uri_get_path (uri), "") == 0
      || g_strcmp0 (g_uri_get_path (uri), "/") == 0)
    return g_strdup_printf ("wss://%s:%d%s", g_uri_get_host (uri),
        g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443,
        SL_SIGNALLING_PATH_V2);
  return g_strdup (url);
}

/**
 * sl_signal_client_new:
 * @url: "wss://host:port" (version 2, falling back to 1) or with the
 *   path of a version: "wss://host:port/v2/ws", "wss://host:port/v1/ws"
 * @cert_file: the device certificate (PEM)
 * @key_file: its private key (PEM)
 * @ca_file: the operator CA certificate, the only one trusted
 * @error: set when a file cannot be read or the URL is not wss://
 *
 * Returns: (transfer full): a client; call sl_signal_client_start()
 */
SlSignalClient *
sl_signal_client_new (const char *url, const char *cert_file,
    const char *key_file, const char *ca_file, GError ** error)
{
  const char *urls[] = { url, NULL };

  return sl_signal_client_new_multi (urls, cert_file, key_file, ca_file, error);
}

/**
 * sl_signal_client_new_multi:
 * @urls: (array zero-terminated=1): one or more URLs as for
 *   sl_signal_client_new(),
 *   instances of the same operator, tried in this order
 * @cert_file: the device certificate (PEM)
 * @key_file: its private key (PEM)
 * @ca_file: the operator CA certificate, the only one trusted
 * @error: set when a file cannot be read, @urls is empty or a URL is not
 *   wss://
 *
 * Returns: (transfer full): a client; call sl_signal_client_start()
 */
SlSignalClient *
sl_signal_client_new_multi (const char *const *urls, const char *cert_file,
    const char *key_file, const char *ca_file, GError ** error)
{
  g_autoptr (SlSignalClient) self = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GTlsDatabase) db = NULL;
  g_autoptr (GPtrArray) checked = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ca_path = NULL;
  guint i;

  for (i = 0; urls && urls[i]; i++) {
    char *url = check_url (urls[i], error);

    if (url == NULL)
      return NULL;
    g_ptr_array_add (checked, url);
  }
  if (checked->len == 0) {
    g_set_error_literal (error, SL_SIGNAL_ERROR, SL_SIGNAL_ERROR_CONFIG,
        "No server URL given");
    return NULL;
  }
  self = g_object_new (SL_TYPE_SIGNAL_CLIENT, NULL);
  self->n_urls = checked->len;
  g_ptr_array_add (checked, NULL);
  g_ptr_array_set_free_func (checked, NULL);
  self->urls = (GStrv) g_ptr_array_free (g_steal_pointer (&checked), FALSE);
  self->version = version_of (self->urls[0]);

  self->certificate = g_tls_certificate_new_from_files (cert_file, key_file,
      &local_error);
  if (self->certificate == NULL) {
    g_set_error (error, SL_SIGNAL_ERROR, SL_SIGNAL_ERROR_CONFIG,
        "Cannot load the device certificate %s / key %s: %s", cert_file,
        key_file, local_error->message);
    return NULL;
  }
  g_clear_error (&local_error);
  /* GTlsFileDatabase wants an absolute anchor path. */
  ca_path = g_canonicalize_filename (ca_file, NULL);
  db = g_tls_file_database_new (ca_path, &local_error);
  if (db == NULL) {
    g_set_error (error, SL_SIGNAL_ERROR, SL_SIGNAL_ERROR_CONFIG,
        "Cannot load the operator CA %s: %s", ca_file, local_error->message);
    return NULL;
  }
  /* Only the operator CA: never the system trust store. */
  self->session = soup_session_new_with_options ("tls-database", db,
      "timeout", 10, NULL);
  return g_steal_pointer (&self);
}

/**
 * sl_signal_client_start:
 * @self: a client
 *
 * Connects, and keeps reconnecting whenever the connection is lost until
 * sl_signal_client_stop().
 */
void
sl_signal_client_start (SlSignalClient * self)
{
  g_return_if_fail (SL_IS_SIGNAL_CLIENT (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->current = 0;
  self->tried = 0;
  connect_now (self);
}

/**
 * sl_signal_client_stop:
 * @self: a client
 *
 * Closes the connection and stops reconnecting.
 */
void
sl_signal_client_stop (SlSignalClient * self)
{
  g_return_if_fail (SL_IS_SIGNAL_CLIENT (self));

  self->running = FALSE;
  sl_source_clear (&self->retry_source);
  sl_source_clear (&self->silence_source);
  g_cancellable_cancel (self->cancellable);
  if (self->ws) {
    g_signal_handlers_disconnect_by_data (self->ws, self);
    if (soup_websocket_connection_get_state (self->ws) ==
        SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
          NULL);
    g_clear_object (&self->ws);
  }
  self->welcomed = FALSE;
}

gboolean
sl_signal_client_is_connected (SlSignalClient * self)
{
  return self->ws != NULL && self->welcomed;
}

/**
 * sl_signal_client_send:
 * @self: a client
 * @msg: a message of sl_signalling_to_server_for() the connection's
 *   version (sl_signal_client_get_protocol_version())
 * @error: set when not connected or @msg is incomplete
 *
 * Returns: %TRUE when queued
 */
gboolean
sl_signal_client_send (SlSignalClient * self, SlMessage * msg, GError ** error)
{
  g_autofree char *text = NULL;

  /* A connection that is already closing (reset by the network, "closed"
   * not emitted yet) takes nothing more. */
  if (!sl_signal_client_is_connected (self)
      || soup_websocket_connection_get_state (self->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN) {
    g_set_error_literal (error, SL_SIGNAL_ERROR, SL_SIGNAL_ERROR_NOT_CONNECTED,
        "Not connected to the server");
    return FALSE;
  }
  text = sl_message_to_json (msg, NULL, error);
  if (text == NULL)
    return FALSE;
  soup_websocket_connection_send_text (self->ws, text);
  return TRUE;
}

static void
send_status (SlSignalClient * self)
{
  g_autoptr (SlMessage) msg =
      sl_message_new (sl_signalling_to_server_for (self->version), "status");
  g_autoptr (GError) error = NULL;

  sl_message_set_string (msg, "status", self->busy ? "busy" : "available");
  /* Not connected: the next welcome sends it. */
  if (!sl_signal_client_send (self, msg, &error))
    g_debug ("status not sent now: %s", error->message);
}

/**
 * sl_signal_client_set_busy:
 * @self: a client
 * @busy: do not disturb: the server answers invites `busy` for us
 *
 * Sets the device's own status now if connected, and again on every
 * reconnection.
 */
void
sl_signal_client_set_busy (SlSignalClient * self, gboolean busy)
{
  g_return_if_fail (SL_IS_SIGNAL_CLIENT (self));

  if (self->busy == busy)
    return;
  self->busy = busy;
  send_status (self);
}

/**
 * sl_signal_client_get_busy:
 * @self: a client
 *
 * Returns: whether do not disturb is on (sl_signal_client_set_busy())
 */
gboolean
sl_signal_client_get_busy (SlSignalClient * self)
{
  g_return_val_if_fail (SL_IS_SIGNAL_CLIENT (self), FALSE);

  return self->busy;
}

/**
 * sl_signal_client_get_device_id:
 *
 * Returns: (nullable): our device id, as the server read it from our
 *   certificate
 */
const char *
sl_signal_client_get_device_id (SlSignalClient * self)
{
  return self->device_id;
}

/**
 * sl_signal_client_get_peer:
 *
 * Returns: (nullable) (transfer none): the roster entry of @id
 */
const SlPeerInfo *
sl_signal_client_get_peer (SlSignalClient * self, const char *id)
{
  return g_hash_table_lookup (self->peers, id);
}

static gint
compare_peers (gconstpointer a, gconstpointer b)
{
  const SlPeerInfo *pa = *(const SlPeerInfo * const *) a;
  const SlPeerInfo *pb = *(const SlPeerInfo * const *) b;

  return strcmp (pa->id, pb->id);
}

/**
 * sl_signal_client_list_peers:
 *
 * Returns: (transfer container): the roster sorted by id; entries are
 *   owned by the client and valid until the roster changes
 */
GPtrArray *
sl_signal_client_list_peers (SlSignalClient * self)
{
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (out, value);
  g_ptr_array_sort (out, compare_peers);
  return out;
}

/**
 * sl_signal_client_get_turn_servers:
 *
 * Returns: (transfer none) (nullable): TURN servers with the short-lived
 *   credentials from the server, as webrtcbin URIs
 */
char **
sl_signal_client_get_turn_servers (SlSignalClient * self)
{
  return self->turn_servers;
}

/**
 * sl_signal_client_get_protocol_version:
 *
 * Returns: the protocol version this connection (or attempt) speaks, by
 *   its path: 2 (group calls) unless the URL named /v1/ws or the server
 *   had no version 2
 */
guint
sl_signal_client_get_protocol_version (SlSignalClient * self)
{
  return self->version;
}

/**
 * sl_signal_client_get_ring_timeout_ms:
 *
 * Returns: how long the server lets a call ring (from `welcome`)
 */
guint
sl_signal_client_get_ring_timeout_ms (SlSignalClient * self)
{
  return self->ring_timeout_ms;
}

/**
 * sl_signal_client_get_server_url:
 *
 * Returns: (transfer none): the URL of the instance connected to, or of
 *   the one being tried
 */
const char *
sl_signal_client_get_server_url (SlSignalClient * self)
{
  return self->urls[self->current];
}

/**
 * sl_signal_client_get_connections:
 *
 * Returns: how many times a connection was established (welcome received)
 */
guint
sl_signal_client_get_connections (SlSignalClient * self)
{
  return self->connections;
}

static void
sl_signal_client_dispose (GObject * object)
{
  SlSignalClient *self = SL_SIGNAL_CLIENT (object);

  sl_signal_client_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->upgrade);
  g_clear_object (&self->session);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (sl_signal_client_parent_class)->dispose (object);
}

static void
sl_signal_client_finalize (GObject * object)
{
  SlSignalClient *self = SL_SIGNAL_CLIENT (object);

  g_strfreev (self->urls);
  g_free (self->device_id);
  g_hash_table_unref (self->peers);
  g_strfreev (self->turn_servers);

  G_OBJECT_CLASS (sl_signal_client_parent_class)->finalize (object);
}

static void
sl_signal_client_class_init (SlSignalClientClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_signal_client_dispose;
  object_class->finalize = sl_signal_client_finalize;

  /* The server welcomed us (after every reconnection). */
  signals[SIGNAL_CONNECTED] = g_signal_new ("connected",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (GError why) a connection attempt failed or the connection was lost;
   * a retry is scheduled unless stopped. */
  signals[SIGNAL_DISCONNECTED] = g_signal_new ("disconnected",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* (GError why) the server refused this device for good (a TLS alert
   * about its certificate, revoked while connected, or replaced by a newer
   * connection): no more retries. */
  signals[SIGNAL_REFUSED] = g_signal_new ("refused",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_ROSTER_CHANGED] = g_signal_new ("roster-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (SlMessage) incoming, ringing, accepted, rejected, busy, cancelled,
   * timeout, hangup, peer-gone, relay or error. */
  signals[SIGNAL_CALL_MESSAGE] = g_signal_new ("call-message",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, SL_TYPE_MESSAGE);
}

static void
sl_signal_client_init (SlSignalClient * self)
{
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      peer_info_free);
  self->ring_timeout_ms = DEFAULT_RING_TIMEOUT_MS;
}
