/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The call's data channel, as the call sees it: chat with ids and
 * delivery acknowledgements, a heartbeat, the DTLS binding MAC, the
 * users' SAS answers, hang-up and what the user muted.  libnice 0.1.21 has no ICE consent freshness, so the heartbeat
 * is what notices a peer that vanished without a word: any message from
 * the peer counts as a sign of life, and silence beyond the deadline
 * emits "peer-lost".  A shorter silence (the stall limit) only says that
 * the media path carries nothing right now ("media-path" FALSE); the next
 * message from the peer says it does again ("media-path" TRUE).  Every message is validated against
 * sl_peer_channel_family before use; invalid ones are dropped and counted.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-peer-channel.h"
#include "sl-peer-messages.h"
#include "sightline/sl-call-error.h"
#include "sl-source.h"

#include <string.h>

struct _SlPeerChannel
{
  GObject parent_instance;

  SlMediaChannel *channel;
  guint heartbeat_ms;
  guint stall_ms;
  guint deadline_ms;
  GSource *timer;
  guint ticks;
  gboolean open;
  gboolean lost;
  gboolean suspected;
  gboolean stalled;
  gint64 last_seen_us;
  gint64 next_chat_id;
  gint64 next_seq;
  GHashTable *unacked;          /* chat id -> TRUE */
  guint invalid;
};

enum
{
  SIGNAL_OPEN,
  SIGNAL_CHAT,
  SIGNAL_CHAT_ACKED,
  SIGNAL_BIND,
  SIGNAL_SAS,
  SIGNAL_HANGUP,
  SIGNAL_PEER_LOST,
  SIGNAL_MEDIA_PATH,
  SIGNAL_MEDIA_STATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_TYPE (SlPeerChannel, sl_peer_channel, G_TYPE_OBJECT);

static gboolean
send_message (SlPeerChannel * self, SlMessage * msg, GError ** error)
{
  g_autofree char *text = NULL;

  if (!self->open) {
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_MEDIA,
        "The data channel is not open yet");
    return FALSE;
  }
  text = sl_message_to_json (msg, NULL, error);
  if (text == NULL)
    return FALSE;
  return sl_media_channel_send_text (self->channel, text, error);
}

/* The silence is checked twice per ping, so that a dead path is reported
 * at most half a ping period after the stall limit, not a whole one. */
#define CHECKS_PER_PING 2

static gboolean
on_heartbeat (gpointer user_data)
{
  SlPeerChannel *self = user_data;
  g_autoptr (SlMessage) ping = sl_message_new (&sl_peer_channel_family, "ping");
  gint64 silent_ms = (g_get_monotonic_time () - self->last_seen_us) / 1000;

  if (silent_ms > self->deadline_ms) {
    self->lost = TRUE;
    sl_source_clear (&self->timer);
    g_signal_emit (self, signals[SIGNAL_PEER_LOST], 0);
    return G_SOURCE_REMOVE;
  }
  if (!self->stalled && silent_ms > self->stall_ms) {
    self->stalled = TRUE;
    g_signal_emit (self, signals[SIGNAL_MEDIA_PATH], 0, FALSE);
  }
  if (self->ticks++ % CHECKS_PER_PING != 0)
    return G_SOURCE_CONTINUE;
  sl_message_set_int (ping, "seq", ++self->next_seq);
  /* A full send buffer is not fatal: the deadline decides. */
  send_message (self, ping, NULL);
  return G_SOURCE_CONTINUE;
}

static void
on_open (SlMediaChannel * channel, SlPeerChannel * self)
{
  if (self->open)
    return;
  self->open = TRUE;
  self->last_seen_us = g_get_monotonic_time ();
  if (self->heartbeat_ms > 0)
    self->timer = sl_timeout_attach (MAX (self->heartbeat_ms / CHECKS_PER_PING,
            1), on_heartbeat, self);
  g_signal_emit (self, signals[SIGNAL_OPEN], 0);
}

static void
handle (SlPeerChannel * self, SlMessage * msg)
{
  const char *type = sl_message_get_type_name (msg);

  if (g_str_equal (type, "ping")) {
    g_autoptr (SlMessage) pong = sl_message_new (&sl_peer_channel_family,
        "pong");

    sl_message_set_int (pong, "seq", sl_message_get_int (msg, "seq"));
    send_message (self, pong, NULL);
  } else if (g_str_equal (type, "chat")) {
    g_autoptr (SlMessage) ack = sl_message_new (&sl_peer_channel_family,
        "chat-ack");
    gint64 id = sl_message_get_int (msg, "id");

    sl_message_set_int (ack, "id", id);
    send_message (self, ack, NULL);
    g_signal_emit (self, signals[SIGNAL_CHAT], 0, id,
        sl_message_get_string (msg, "text"));
  } else if (g_str_equal (type, "chat-ack")) {
    gint64 id = sl_message_get_int (msg, "id");

    /* Only acknowledgements of messages we sent and not yet acked. */
    if (g_hash_table_remove (self->unacked, &id))
      g_signal_emit (self, signals[SIGNAL_CHAT_ACKED], 0, id);
  } else if (g_str_equal (type, "bind")) {
    gsize len = 0;
    g_autofree guint8 *mac = g_base64_decode (sl_message_get_string (msg,
            "mac"), &len);
    g_autoptr (GBytes) bytes = g_bytes_new (mac, len);

    g_signal_emit (self, signals[SIGNAL_BIND], 0, bytes);
  } else if (g_str_equal (type, "sas")) {
    g_signal_emit (self, signals[SIGNAL_SAS], 0,
        g_str_equal (sl_message_get_string (msg, "result"), "ok"));
  } else if (g_str_equal (type, "media-state")) {
    g_signal_emit (self, signals[SIGNAL_MEDIA_STATE], 0,
        sl_message_get_bool (msg, "mic-muted"),
        sl_message_get_bool (msg, "camera-paused"));
  } else if (g_str_equal (type, "hangup")) {
    g_signal_emit (self, signals[SIGNAL_HANGUP], 0,
        sl_message_get_string (msg, "reason"));
  }
}

static void
on_message (SlMediaChannel * channel, const char *text, SlPeerChannel * self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) msg = NULL;

  self->last_seen_us = g_get_monotonic_time ();
  if (self->stalled) {
    self->stalled = FALSE;
    g_signal_emit (self, signals[SIGNAL_MEDIA_PATH], 0, TRUE);
  }
  msg = sl_protocol_parse (&sl_peer_channel_family, text, strlen (text),
      &error);
  if (msg == NULL) {
    self->invalid++;
    g_info ("dropped an invalid data-channel message: %s", error->message);
    return;
  }
  handle (self, msg);
}

/**
 * sl_peer_channel_new:
 * @channel: the call's data channel (a reference is kept)
 * @heartbeat_ms: ping interval, 0 for none
 * @stall_ms: silence after which the media path counts as dead
 *   ("media-path"); checked twice per ping
 * @deadline_ms: silence after which the peer is declared lost
 *
 * Returns: (transfer full): a channel that works once @channel opens
 */
SlPeerChannel *
sl_peer_channel_new (SlMediaChannel * channel, guint heartbeat_ms,
    guint stall_ms, guint deadline_ms)
{
  SlPeerChannel *self = g_object_new (SL_TYPE_PEER_CHANNEL, NULL);

  self->channel = g_object_ref (channel);
  self->heartbeat_ms = heartbeat_ms;
  self->stall_ms = stall_ms;
  self->deadline_ms = deadline_ms;
  g_signal_connect (channel, "open", G_CALLBACK (on_open), self);
  g_signal_connect (channel, "message", G_CALLBACK (on_message), self);
  return self;
}

gboolean
sl_peer_channel_is_open (SlPeerChannel * self)
{
  return self->open;
}

/**
 * sl_peer_channel_send_chat:
 * @self: a channel
 * @text: UTF-8 text without control characters
 * @out_id: (out) (optional): the message id that "chat-acked" will name
 * @error: set when the text is invalid or the channel is not open
 *
 * Returns: %TRUE when sent
 */
gboolean
sl_peer_channel_send_chat (SlPeerChannel * self, const char *text,
    gint64 * out_id, GError ** error)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_channel_family, "chat");
  gint64 id = ++self->next_chat_id;
  const char *problem;

  problem =
      sl_protocol_check_string (&sl_peer_channel_family.messages[0].members[1],
      text, strlen (text));
  if (problem) {
    g_set_error (error, SL_CALL_ERROR, SL_CALL_ERROR_CONFIG,
        "Cannot send this chat message: the text %s", problem);
    return FALSE;
  }
  sl_message_set_int (msg, "id", id);
  sl_message_set_string (msg, "text", text);
  if (!send_message (self, msg, error))
    return FALSE;
  g_hash_table_add (self->unacked, g_memdup2 (&id, sizeof id));
  if (out_id)
    *out_id = id;
  return TRUE;
}

/**
 * sl_peer_channel_send_bind:
 * @self: a channel
 * @mac: our DTLS binding MAC
 * @len: its length
 * @error: set when the channel is not open
 *
 * Returns: %TRUE when sent
 */
gboolean
sl_peer_channel_send_bind (SlPeerChannel * self, const guint8 * mac,
    gsize len, GError ** error)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_channel_family, "bind");

  sl_message_take_string (msg, "mac", g_base64_encode (mac, len));
  return send_message (self, msg, error);
}

/**
 * sl_peer_channel_send_sas:
 * @self: a channel
 * @match: the user's answer: both screens show the same SAS
 * @error: set when the channel is not open
 *
 * Returns: %TRUE when sent
 */
gboolean
sl_peer_channel_send_sas (SlPeerChannel * self, gboolean match, GError ** error)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_channel_family, "sas");

  sl_message_set_string (msg, "result", match ? "ok" : "wrong");
  return send_message (self, msg, error);
}

gboolean
sl_peer_channel_send_hangup (SlPeerChannel * self, const char *reason,
    GError ** error)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_channel_family,
      "hangup");

  sl_message_set_string (msg, "reason", reason);
  return send_message (self, msg, error);
}

/**
 * sl_peer_channel_send_media_state:
 * @self: a channel
 * @mic_muted: our microphone sends silence
 * @camera_paused: our camera sends no new frames
 * @error: set when the channel is not open
 *
 * Returns: %TRUE when sent
 */
gboolean
sl_peer_channel_send_media_state (SlPeerChannel * self, gboolean mic_muted,
    gboolean camera_paused, GError ** error)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_channel_family,
      "media-state");

  sl_message_set_bool (msg, "mic-muted", mic_muted);
  sl_message_set_bool (msg, "camera-paused", camera_paused);
  return send_message (self, msg, error);
}

/**
 * sl_peer_channel_get_unacked:
 *
 * Returns: how many chat messages the peer has not acknowledged yet
 */
guint
sl_peer_channel_get_unacked (SlPeerChannel * self)
{
  return g_hash_table_size (self->unacked);
}

/**
 * sl_peer_channel_suspect:
 * @self: a channel
 * @deadline_ms: a shorter deadline
 *
 * Something outside the channel (the server saying the peer's connection
 * dropped) makes the peer's death likely: from now on silence longer than
 * @deadline_ms already counts as lost.  A peer that is alive answers the
 * next pings well within it, and the call goes on.
 */
void
sl_peer_channel_suspect (SlPeerChannel * self, guint deadline_ms)
{
  g_return_if_fail (SL_IS_PEER_CHANNEL (self));

  self->suspected = TRUE;
  self->deadline_ms = MIN (self->deadline_ms, deadline_ms);
}

/**
 * sl_peer_channel_was_suspected:
 *
 * Returns: whether sl_peer_channel_suspect() shortened the deadline
 */
gboolean
sl_peer_channel_was_suspected (SlPeerChannel * self)
{
  g_return_val_if_fail (SL_IS_PEER_CHANNEL (self), FALSE);

  return self->suspected;
}

/**
 * sl_peer_channel_stop:
 * @self: a channel
 *
 * Stops the heartbeat and detaches from the media session.
 */
void
sl_peer_channel_stop (SlPeerChannel * self)
{
  sl_source_clear (&self->timer);
  if (self->channel)
    g_signal_handlers_disconnect_by_data (self->channel, self);
}

static void
sl_peer_channel_dispose (GObject * object)
{
  SlPeerChannel *self = SL_PEER_CHANNEL (object);

  sl_peer_channel_stop (self);
  g_clear_object (&self->channel);

  G_OBJECT_CLASS (sl_peer_channel_parent_class)->dispose (object);
}

static void
sl_peer_channel_finalize (GObject * object)
{
  SlPeerChannel *self = SL_PEER_CHANNEL (object);

  g_hash_table_unref (self->unacked);

  G_OBJECT_CLASS (sl_peer_channel_parent_class)->finalize (object);
}

static void
sl_peer_channel_class_init (SlPeerChannelClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_peer_channel_dispose;
  object_class->finalize = sl_peer_channel_finalize;

  signals[SIGNAL_OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (id, text) a chat message from the peer; already acknowledged. */
  signals[SIGNAL_CHAT] = g_signal_new ("chat", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64,
      G_TYPE_STRING);
  /* (id) the peer received our chat message @id. */
  signals[SIGNAL_CHAT_ACKED] = g_signal_new ("chat-acked",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (GBytes mac) the peer's DTLS binding MAC, not yet verified. */
  signals[SIGNAL_BIND] = g_signal_new ("bind", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  /* (match) the peer's user answered the SAS question. */
  signals[SIGNAL_SAS] = g_signal_new ("sas", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_HANGUP] = g_signal_new ("hangup", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PEER_LOST] = g_signal_new ("peer-lost",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (alive) the media path went silent for the stall limit (FALSE), or
   * carried a message from the peer again (TRUE). */
  signals[SIGNAL_MEDIA_PATH] = g_signal_new ("media-path",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /* (mic_muted, camera_paused) the peer's user muted or paused. */
  signals[SIGNAL_MEDIA_STATE] = g_signal_new ("media-state",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_BOOLEAN);
}

static void
sl_peer_channel_init (SlPeerChannel * self)
{
  self->unacked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
}
