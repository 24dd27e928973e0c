/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A pair's media, bound to the pair's end-to-end keys.  The session's SDP
 * and candidates go out as sealed records (SlSecureRelay); once DTLS is up
 * and the peer's certificate matched its sealed fingerprint, both sides
 * send a MAC over both fingerprints, keyed from the handshake, on the data
 * channel.  Only when the peer's MAC verifies is the media "secured" and
 * its gates opened: a call that fails the binding never shows a frame.
 *
 * The data channel's protocol (SlPeerChannel) carries the binding, the
 * users' SAS answers, chat, hang-up and the heartbeat.  Which ICE pair
 * carries the media and which candidate types were exchanged is kept for
 * diagnostics and the network tests (relay-only must never send anything
 * but relay candidates).  One per peer, so that a group call can hold
 * one for each.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-peer-media.h"
#include "sl-call-timing.h"
#include "sl-peer-channel.h"
#include "sl-peer-messages.h"
#include "media/sl-media-transport.h"
#include "sightline/sl-media-error.h"

#include <string.h>

struct _SlPeerMedia
{
  GObject parent_instance;

  SlMediaOptions *opts;
  gboolean caller;
  SlSecureRelay *relay;
  gint64 created_us;

  SlMediaSession *media;
  SlPeerChannel *channel;
  gboolean started;
  gboolean stopping;
  gboolean dtls_ok;
  gboolean bind_sent;
  GBytes *peer_mac;
  gboolean secured;
  gboolean path_down;           /* "media-path" FALSE reported */
  gboolean sas_answer_pending;  /* our SAS match, for when it can go */
  SlMediaStats final_stats;
  gboolean have_final_stats;
  gboolean corrupt_bind;        /* test hook: damage the peer's bind MAC */
  gboolean mic_muted;
  gboolean camera_paused;

  guint ice_sent[4];            /* host, srflx, prflx, relay */
  guint ice_received[4];
  char *ice_local_type;         /* the selected pair, once known */
  char *ice_remote_type;
};

enum
{
  SIGNAL_SECURED,
  SIGNAL_FAILED,
  SIGNAL_FIRST_FRAME,
  SIGNAL_CHAT,
  SIGNAL_CHAT_ACKED,
  SIGNAL_PEER_SAS,
  SIGNAL_PEER_HANGUP,
  SIGNAL_MEDIA_PATH,
  SIGNAL_PEER_MEDIA_STATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlPeerMedia, sl_peer_media, G_TYPE_OBJECT);

static const char *
role (SlPeerMedia * self)
{
  return self->caller ? "caller" : "callee";
}

static double
since_ms (SlPeerMedia * self, gint64 when)
{
  return (when - self->created_us) / 1000.0;
}

static void
fail (SlPeerMedia * self, SlCallError code, const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (SL_CALL_ERROR, code, message);

  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

/* A media error as the call's outcome: the same failure, in the call's
 * terms. */
static void
set_error_from_media (GError ** error, const GError * media)
{
  SlCallError code = SL_CALL_ERROR_MEDIA;

  if (g_error_matches (media, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG))
    code = SL_CALL_ERROR_CONFIG;
  else if (g_error_matches (media, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY))
    code = SL_CALL_ERROR_SECURITY;
  else if (g_error_matches (media, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL))
    code = SL_CALL_ERROR_PROTOCOL;
  g_set_error_literal (error, SL_CALL_ERROR, code, media->message);
}

/**
 * sl_peer_media_new:
 * @opts: media options (copied)
 * @caller: %TRUE on the calling device (which makes the offer)
 * @relay: the pair's end-to-end layer (a reference is kept)
 * @created_us: when the call began, for the logs
 *
 * Returns: (transfer full): a pair's media, not built yet
 */
SlPeerMedia *
sl_peer_media_new (const SlMediaOptions * opts, gboolean caller,
    SlSecureRelay * relay, gint64 created_us)
{
  SlPeerMedia *self = g_object_new (SL_TYPE_PEER_MEDIA, NULL);

  self->opts = sl_media_options_copy (opts);
  self->caller = caller;
  self->relay = g_object_ref (relay);
  self->created_us = created_us;
#ifdef SL_TEST_HOOKS
  self->corrupt_bind = g_getenv ("SL_TEST_CORRUPT_BINDING_MAC") != NULL;
#endif
  return self;
}

/* ------------------------------------------------------------------ */
/* Descriptions and candidates                                          */

static void
on_local_description (SlMediaSession * media, const char *type,
    const char *sdp, SlPeerMedia * self)
{
  sl_secure_relay_seal (self->relay, g_str_equal (type, "offer") ?
      SL_WIRE_RECORD_SDP_OFFER : SL_WIRE_RECORD_SDP_ANSWER, sdp);
}

/* Index into SlCallIceInfo's counters; -1 for an unknown type. */
static int
ice_type_index (const char *type)
{
  static const char *const types[] = { "host", "srflx", "prflx", "relay" };
  guint i;

  for (i = 0; type && i < G_N_ELEMENTS (types); i++) {
    if (g_str_equal (type, types[i]))
      return i;
  }
  return -1;
}

static void
on_local_candidate (SlMediaSession * media, guint mline,
    const char *candidate, SlPeerMedia * self)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_record_family,
      "candidate");
  g_autofree char *text = NULL;
  const char *type = sl_ice_candidate_type (candidate);
  int index = ice_type_index (type);

  /* Relay-only promises the peer never learns our addresses: webrtcbin's
   * relay policy already gathers nothing else, and this makes sure no
   * other candidate is ever sent. */
  if (self->opts->relay_only && g_strcmp0 (type, "relay") != 0) {
    g_debug ("relay only: not sending a %s candidate", type ? type : "?");
    return;
  }
  if (index >= 0)
    self->ice_sent[index]++;
  sl_message_set_int (msg, "mline", mline);
  sl_message_set_string (msg, "candidate", candidate);
  text = sl_message_to_json (msg, NULL, NULL);
  if (text)
    sl_secure_relay_seal (self->relay, SL_WIRE_RECORD_ICE_CANDIDATE, text);
}

/**
 * sl_peer_media_set_remote_description:
 * @self: a pair's media, built
 * @sdp: the peer's description, opened from its sealed record
 * @error: set (%SL_CALL_ERROR) when it cannot be used
 *
 * Returns: %TRUE when handed to the session
 */
gboolean
sl_peer_media_set_remote_description (SlPeerMedia * self, const char *sdp,
    GError ** error)
{
  g_autoptr (GError) media_error = NULL;

  if (self->media == NULL)
    return TRUE;
  if (sl_media_session_set_remote_description (self->media, sdp, &media_error))
    return TRUE;
  set_error_from_media (error, media_error);
  return FALSE;
}

/**
 * sl_peer_media_read_candidate:
 * @self: a pair's media
 * @record: a candidate record's text, opened from its sealed record
 *
 * Reads and counts the peer's candidate.
 *
 * Returns: (transfer full) (nullable): the candidate message, %NULL when
 *   @record is none
 */
SlMessage *
sl_peer_media_read_candidate (SlPeerMedia * self, const char *record)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) msg = NULL;
  int index;

  msg = sl_protocol_parse (&sl_peer_record_family, record, strlen (record),
      &error);
  if (msg == NULL || !g_str_equal (sl_message_get_type_name (msg), "candidate")) {
    g_info ("ignored an ICE candidate: %s",
        error ? error->message : "out of place");
    return NULL;
  }
  index = ice_type_index (sl_ice_candidate_type (sl_message_get_string (msg,
              "candidate")));
  if (index >= 0)
    self->ice_received[index]++;
  return g_steal_pointer (&msg);
}

/**
 * sl_peer_media_add_candidate:
 * @self: a pair's media
 * @candidate: (nullable): from sl_peer_media_read_candidate()
 *
 * A candidate that is not plausible, or comes before the session, is
 * ignored (logged): ICE copes with one missing.
 */
void
sl_peer_media_add_candidate (SlPeerMedia * self, SlMessage * candidate)
{
  g_autoptr (GError) error = NULL;

  if (candidate == NULL)
    return;
  if (self->media == NULL
      || !sl_media_session_add_remote_candidate (self->media,
          sl_message_get_int (candidate, "mline"),
          sl_message_get_string (candidate, "candidate"), &error))
    g_info ("ignored an ICE candidate: %s",
        error ? error->message : "out of place");
}

/* ------------------------------------------------------------------ */
/* Binding the media to the keys                                        */

static void
fingerprints (SlPeerMedia * self, const char **caller_fp,
    const char **callee_fp)
{
  const char *local = sl_media_session_get_local_fingerprint (self->media);
  const char *remote = sl_media_session_get_remote_fingerprint (self->media);

  *caller_fp = self->caller ? local : remote;
  *callee_fp = self->caller ? remote : local;
}

static void
try_verify (SlPeerMedia * self)
{
  const char *caller_fp, *callee_fp;
  g_autoptr (GError) error = NULL;

  if (!self->dtls_ok || self->channel == NULL
      || !sl_peer_channel_is_open (self->channel) || self->secured)
    return;
  fingerprints (self, &caller_fp, &callee_fp);
  if (!self->bind_sent) {
    guint8 mac[SL_DTLS_BINDING_MAC_LEN];

    sl_secure_relay_binding_mac (self->relay, self->caller, caller_fp,
        callee_fp, mac);
    self->bind_sent = sl_peer_channel_send_bind (self->channel, mac,
        sizeof mac, NULL);
    sl_crypto_wipe ("binding mac copy", mac, sizeof mac);
  }
  if (self->peer_mac == NULL)
    return;
  if (!sl_secure_relay_binding_verify (self->relay, !self->caller, caller_fp,
          callee_fp, self->peer_mac, &error)) {
    fail (self, SL_CALL_ERROR_SECURITY, "The media connection is not bound "
        "to this call's keys: someone may be intercepting the call");
    return;
  }
  self->secured = TRUE;
  sl_media_session_open_gates (self->media);
  /* A pause made before the call was secured is news to the peer. */
  if (self->mic_muted || self->camera_paused)
    sl_peer_channel_send_media_state (self->channel, self->mic_muted,
        self->camera_paused, NULL);
  g_signal_emit (self, signals[SIGNAL_SECURED], 0);
}

static void
on_dtls_verified (SlMediaSession * media, SlPeerMedia * self)
{
  g_debug ("call %s: DTLS fingerprint checked after %.1f ms", role (self),
      since_ms (self, g_get_monotonic_time ()));
  self->dtls_ok = TRUE;
  try_verify (self);
}

static void
on_channel_open (SlPeerChannel * channel, SlPeerMedia * self)
{
  g_debug ("call %s: data channel open after %.1f ms", role (self),
      since_ms (self, g_get_monotonic_time ()));
  try_verify (self);
}

static void
on_peer_bind (SlPeerChannel * channel, GBytes * mac, SlPeerMedia * self)
{
  if (self->peer_mac != NULL)
    return;
  self->peer_mac = g_bytes_ref (mac);
#ifdef SL_TEST_HOOKS
  /* Test hook: the MAC as if the peer's DTLS session belonged to another
   * handshake. */
  if (self->corrupt_bind && g_bytes_get_size (mac) > 0) {
    gsize size = 0;
    guint8 *bytes = g_bytes_unref_to_data (g_steal_pointer (&self->peer_mac),
        &size);

    bytes[0] ^= 0x01;
    self->peer_mac = g_bytes_new_take (bytes, size);
  }
#endif
  try_verify (self);
}

static void
send_sas_answer (SlPeerMedia * self)
{
  if (!self->sas_answer_pending || !self->bind_sent)
    return;
  self->sas_answer_pending = !sl_peer_channel_send_sas (self->channel, TRUE,
      NULL);
}

/**
 * sl_peer_media_answer_sas:
 * @self: a pair's media
 *
 * Our user said the SAS match: the peer hears it on the data channel as
 * soon as the binding went out.
 */
void
sl_peer_media_answer_sas (SlPeerMedia * self)
{
  self->sas_answer_pending = TRUE;
  send_sas_answer (self);
}

static void
on_ice_pair (const char *local_type, const char *remote_type,
    gpointer user_data)
{
  SlPeerMedia *self = user_data;

  g_free (self->ice_local_type);
  g_free (self->ice_remote_type);
  self->ice_local_type = g_strdup (local_type);
  self->ice_remote_type = g_strdup (remote_type);
  g_debug ("call %s: media on a %s-%s candidate pair", role (self),
      local_type ? local_type : "?", remote_type ? remote_type : "?");
}

/**
 * sl_peer_media_after_secured:
 * @self: a secured pair's media
 *
 * Once the call took the news: asks which ICE pair carries the media and
 * sends a SAS answer that waited for the binding.
 */
void
sl_peer_media_after_secured (SlPeerMedia * self)
{
  sl_media_session_query_pair (self->media, on_ice_pair, g_object_ref (self),
      g_object_unref);
  send_sas_answer (self);
}

/* ------------------------------------------------------------------ */
/* Events                                                               */

static void
on_media_failed (SlMediaSession * media, GError * media_error,
    SlPeerMedia * self)
{
  g_autoptr (GError) error = NULL;

  set_error_from_media (&error, media_error);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

static void
on_first_frame (SlMediaSession * media, gint64 when, SlPeerMedia * self)
{
  g_debug ("call %s: first frame after %.1f ms", role (self),
      since_ms (self, when));
  g_signal_emit (self, signals[SIGNAL_FIRST_FRAME], 0, when);
}

static void
on_chat (SlPeerChannel * channel, gint64 id, const char *text,
    SlPeerMedia * self)
{
  g_signal_emit (self, signals[SIGNAL_CHAT], 0, id, text);
}

static void
on_chat_acked (SlPeerChannel * channel, gint64 id, SlPeerMedia * self)
{
  g_signal_emit (self, signals[SIGNAL_CHAT_ACKED], 0, id);
}

static void
on_channel_sas (SlPeerChannel * channel, gboolean match, SlPeerMedia * self)
{
  g_signal_emit (self, signals[SIGNAL_PEER_SAS], 0, match);
}

static void
on_channel_hangup (SlPeerChannel * channel, const char *reason,
    SlPeerMedia * self)
{
  g_signal_emit (self, signals[SIGNAL_PEER_HANGUP], 0, reason);
}

static void
on_media_state (SlPeerChannel * channel, gboolean mic_muted,
    gboolean camera_paused, SlPeerMedia * self)
{
  /* Before the binding is verified the channel's peer is not proven. */
  if (self->secured)
    g_signal_emit (self, signals[SIGNAL_PEER_MEDIA_STATE], 0, mic_muted,
        camera_paused);
}

static void
on_peer_lost (SlPeerChannel * channel, SlPeerMedia * self)
{
  /* Before the media is secured the peer has not gone: the path to it is
   * too lossy for the set-up to finish, which is a set-up failure (exit 8),
   * not a lost peer (exit 9). */
  if (!self->secured) {
    fail (self, SL_CALL_ERROR_MEDIA, "The media connection could not be set "
        "up: the other device went silent on it before it was secured");
    return;
  }
  fail (self, SL_CALL_ERROR_PEER_LOST,
      sl_peer_channel_was_suspected (channel) ? "The other device stopped "
      "answering after the server lost its connection" : "The other device "
      "stopped answering");
}

/* The path's silence matters once the call is up: before it, the set-up
 * deadlines decide. */
static void
on_media_path (SlPeerChannel * channel, gboolean alive, SlPeerMedia * self)
{
  if (!self->secured || alive == !self->path_down)
    return;
  self->path_down = !alive;
  g_info ("%s: media path %s", role (self), alive ? "back" : "silent");
  g_signal_emit (self, signals[SIGNAL_MEDIA_PATH], 0, alive);
}

/* ------------------------------------------------------------------ */
/* Life                                                                 */

/**
 * sl_peer_media_make:
 * @self: a pair's media
 * @codec: the video codec to offer (the answerer follows the offer)
 * @elements: (nullable): a display and captures of the program's own
 *   (taken)
 * @error: set (%SL_CALL_ERROR) when the pipeline cannot be built
 *
 * Builds the session and the data channel's protocol; once is enough.
 *
 * Returns: %TRUE when built
 */
gboolean
sl_peer_media_make (SlPeerMedia * self, SlVideoCodec codec,
    const SlMediaElements * elements, GError ** error)
{
  g_autoptr (GError) media_error = NULL;

  if (self->media)
    return TRUE;
  self->media = sl_media_session_new_full (self->opts, self->caller, codec,
      elements, &media_error);
  if (self->media == NULL) {
    set_error_from_media (error, media_error);
    return FALSE;
  }
  sl_media_session_enable_recovery (self->media);
  sl_media_session_set_paused (self->media, self->mic_muted,
      self->camera_paused);
  g_signal_connect (self->media, "local-description",
      G_CALLBACK (on_local_description), self);
  g_signal_connect (self->media, "local-candidate",
      G_CALLBACK (on_local_candidate), self);
  g_signal_connect (self->media, "dtls-verified",
      G_CALLBACK (on_dtls_verified), self);
  g_signal_connect (self->media, "failed", G_CALLBACK (on_media_failed), self);
  g_signal_connect (self->media, "first-frame", G_CALLBACK (on_first_frame),
      self);
  self->channel = sl_peer_channel_new (sl_media_session_get_channel
      (self->media), HEARTBEAT_MS, MEDIA_STALL_MS * sl_call_test_scale (),
      HEARTBEAT_DEADLINE_MS * sl_call_test_scale ());
  g_signal_connect (self->channel, "open", G_CALLBACK (on_channel_open), self);
  g_signal_connect (self->channel, "bind", G_CALLBACK (on_peer_bind), self);
  g_signal_connect (self->channel, "sas", G_CALLBACK (on_channel_sas), self);
  g_signal_connect (self->channel, "chat", G_CALLBACK (on_chat), self);
  g_signal_connect (self->channel, "chat-acked", G_CALLBACK (on_chat_acked),
      self);
  g_signal_connect (self->channel, "hangup", G_CALLBACK (on_channel_hangup),
      self);
  g_signal_connect (self->channel, "peer-lost", G_CALLBACK (on_peer_lost),
      self);
  g_signal_connect (self->channel, "media-path", G_CALLBACK (on_media_path),
      self);
  g_signal_connect (self->channel, "media-state",
      G_CALLBACK (on_media_state), self);
  return TRUE;
}

/**
 * sl_peer_media_start:
 * @self: a pair's media, built
 * @error: set (%SL_CALL_ERROR) when the pipeline does not start
 *
 * Starts it once; the offerer makes its offer.
 *
 * Returns: %TRUE when started (or already)
 */
gboolean
sl_peer_media_start (SlPeerMedia * self, GError ** error)
{
  g_autoptr (GError) media_error = NULL;

  if (self->started)
    return TRUE;
  self->started = TRUE;
  if (sl_media_session_start (self->media, &media_error))
    return TRUE;
  set_error_from_media (error, media_error);
  return FALSE;
}

gboolean
sl_peer_media_is_made (SlPeerMedia * self)
{
  return self->media != NULL;
}

gboolean
sl_peer_media_is_started (SlPeerMedia * self)
{
  return self->started;
}

/**
 * sl_peer_media_send_chat:
 * @self: a secured pair's media
 * @text: the message
 * @out_id: (out) (optional): its id, named again by "chat-acked"
 * @error: set when the text is not valid or the channel is not open
 *
 * Returns: %TRUE when sent
 */
gboolean
sl_peer_media_send_chat (SlPeerMedia * self, const char *text,
    gint64 * out_id, GError ** error)
{
  return sl_peer_channel_send_chat (self->channel, text, out_id, error);
}

/**
 * sl_peer_media_set_paused:
 * @self: a pair's media
 * @mic_muted: send silence instead of the microphone
 * @camera_paused: send no new video frames
 *
 * Applies at once (or when the media is built) and tells the peer once
 * the call is secured.
 */
void
sl_peer_media_set_paused (SlPeerMedia * self, gboolean mic_muted,
    gboolean camera_paused)
{
  self->mic_muted = mic_muted;
  self->camera_paused = camera_paused;
  if (self->media)
    sl_media_session_set_paused (self->media, mic_muted, camera_paused);
  if (self->secured)
    sl_peer_channel_send_media_state (self->channel, mic_muted,
        camera_paused, NULL);
}

/**
 * sl_peer_media_send_hangup:
 * @self: a pair's media
 * @reason: the protocol's hang-up reason
 *
 * Returns: %TRUE when the hang-up went out on the data channel (it needs
 *   a moment on the wire before the pipeline goes)
 */
gboolean
sl_peer_media_send_hangup (SlPeerMedia * self, const char *reason)
{
  return self->channel && sl_peer_channel_is_open (self->channel)
      && sl_peer_channel_send_hangup (self->channel, reason, NULL);
}

/**
 * sl_peer_media_suspect:
 * @self: a pair's media
 * @deadline_ms: a shorter heartbeat deadline
 *
 * The server says the peer's connection dropped: its silence now counts
 * sooner (sl_peer_channel_suspect()).
 */
void
sl_peer_media_suspect (SlPeerMedia * self, guint deadline_ms)
{
  if (self->channel)
    sl_peer_channel_suspect (self->channel, deadline_ms);
}

/**
 * sl_peer_media_get_stats:
 * @self: a pair's media
 * @out: (out caller-allocates): live stats, or the last ones once
 *   stopped; release with sl_media_stats_clear()
 *
 * Returns: %FALSE when there never was a session
 */
gboolean
sl_peer_media_get_stats (SlPeerMedia * self, SlMediaStats * out)
{
  if (self->have_final_stats) {
    sl_media_stats_copy (&self->final_stats, out);
    return TRUE;
  }
  if (self->media == NULL)
    return FALSE;
  sl_media_session_get_stats (self->media, out);
  return TRUE;
}

/**
 * sl_peer_media_get_ice_info:
 * @self: a pair's media
 * @out: (out caller-allocates): the candidates exchanged and the selected
 *   pair; the strings belong to @self
 */
void
sl_peer_media_get_ice_info (SlPeerMedia * self, SlCallIceInfo * out)
{
  out->local_type = self->ice_local_type;
  out->remote_type = self->ice_remote_type;
  memcpy (out->sent, self->ice_sent, sizeof out->sent);
  memcpy (out->received, self->ice_received, sizeof out->received);
}

/* Everything but the pipeline: no signal from now on. */
static gboolean
begin_stop (SlPeerMedia * self)
{
  if (self->stopping)
    return FALSE;
  self->stopping = TRUE;
  if (self->channel) {
    g_signal_handlers_disconnect_by_data (self->channel, self);
    sl_peer_channel_stop (self->channel);
  }
  if (self->media == NULL)
    return FALSE;
  sl_media_session_get_stats (self->media, &self->final_stats);
  self->have_final_stats = TRUE;
  g_signal_handlers_disconnect_by_data (self->media, self);
  return TRUE;
}

static void
on_media_stopped (GObject * source, GAsyncResult * result, gpointer data)
{
  GTask *task = data;

  sl_media_session_stop_finish (SL_MEDIA_SESSION (source), result);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * sl_peer_media_stop_async:
 * @self: a pair's media
 * @callback: called once the pipeline is stopped
 * @user_data: for @callback
 *
 * Stops the heartbeat and the pipeline without blocking the main loop;
 * the last statistics are kept.
 */
void
sl_peer_media_stop_async (SlPeerMedia * self, GAsyncReadyCallback callback,
    gpointer user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, sl_peer_media_stop_async);
  if (!begin_stop (self)) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  sl_media_session_stop_async (self->media, on_media_stopped, task);
}

void
sl_peer_media_stop_finish (SlPeerMedia * self, GAsyncResult * result)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

/**
 * sl_peer_media_stop:
 * @self: a pair's media
 *
 * sl_peer_media_stop_async() for a teardown that cannot wait: blocks.
 */
void
sl_peer_media_stop (SlPeerMedia * self)
{
  if (begin_stop (self))
    sl_media_session_stop (self->media);
}

static void
sl_peer_media_dispose (GObject * object)
{
  SlPeerMedia *self = SL_PEER_MEDIA (object);

  sl_peer_media_stop (self);
  g_clear_object (&self->channel);
  g_clear_object (&self->media);
  g_clear_object (&self->relay);

  G_OBJECT_CLASS (sl_peer_media_parent_class)->dispose (object);
}

static void
sl_peer_media_finalize (GObject * object)
{
  SlPeerMedia *self = SL_PEER_MEDIA (object);

  g_clear_pointer (&self->opts, sl_media_options_free);
  g_clear_pointer (&self->peer_mac, g_bytes_unref);
  sl_media_stats_clear (&self->final_stats);
  g_free (self->ice_local_type);
  g_free (self->ice_remote_type);

  G_OBJECT_CLASS (sl_peer_media_parent_class)->finalize (object);
}

static void
sl_peer_media_class_init (SlPeerMediaClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_peer_media_dispose;
  object_class->finalize = sl_peer_media_finalize;

  /* The peer's binding MAC verified: the media is bound to the keys and
   * its gates are open. */
  signals[SIGNAL_SECURED] = g_signal_new ("secured",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (GError, SL_CALL_ERROR) the media, its binding or the peer failed. */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_FIRST_FRAME] = g_signal_new ("first-frame",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_CHAT] = g_signal_new ("chat", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64,
      G_TYPE_STRING);
  signals[SIGNAL_CHAT_ACKED] = g_signal_new ("chat-acked",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (match) the peer's user answered the SAS question. */
  signals[SIGNAL_PEER_SAS] = g_signal_new ("peer-sas",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /* (reason) the peer hung up on the data channel. */
  signals[SIGNAL_PEER_HANGUP] = g_signal_new ("peer-hangup",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (alive) the secured media path went silent for MEDIA_STALL_MS
   * (FALSE), or carries the peer's messages again (TRUE). */
  signals[SIGNAL_MEDIA_PATH] = g_signal_new ("media-path",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /* (mic_muted, camera_paused) the peer's user muted or paused. */
  signals[SIGNAL_PEER_MEDIA_STATE] = g_signal_new ("peer-media-state",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_BOOLEAN);
}

static void
sl_peer_media_init (SlPeerMedia * self)
{
}
