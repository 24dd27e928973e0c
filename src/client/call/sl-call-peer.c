/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One peer of a call: the pair's end-to-end layer (SlSecureRelay), the
 * pair's media bound to its keys (SlPeerMedia) and who the peer is
 * (SlPeerAuth), and what the peer's sealed records mean: session
 * descriptions, candidates, the callee's codec hello and SAS answers.
 * The call drives the set-up through the server and decides the call's
 * state; the peer reports keys agreed, media secured, failures and the
 * peer's hang-up.  A two-party call has one; a group call would hold one
 * per peer, each with its own keys, SAS and authentication.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-peer.h"
#include "sl-call-reasons.h"
#include "sl-peer-media.h"
#include "sl-peer-messages.h"
#include "sl-secure-relay.h"

#include <string.h>

struct _SlCallPeer
{
  GObject parent_instance;

  SlMediaOptions *opts;
  gboolean caller;
  gboolean secured;
  gboolean ended;
  SlSecureRelay *relay;
  SlPeerMedia *media;
  SlPeerAuth *auth;
  gboolean path_silent;         /* the media path went silent */
  gint64 probe_seq;             /* the last probe sealed to the peer */
};

enum
{
  SIGNAL_SEND,
  SIGNAL_STEP,
  SIGNAL_KEYS_AGREED,
  SIGNAL_SECURED,
  SIGNAL_FAILED,
  SIGNAL_HUNG_UP,
  SIGNAL_FIRST_FRAME,
  SIGNAL_CHAT,
  SIGNAL_CHAT_ACKED,
  SIGNAL_CREATE_ELEMENT,
  SIGNAL_MEDIA_PATH,
  SIGNAL_PEER_REACHABLE,
  SIGNAL_PEER_MEDIA_STATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlCallPeer, sl_call_peer, G_TYPE_OBJECT);

/* @reason is what the peer is told: its device reports the failure as
 * what that reason means (sl_call_reason_from_hangup()). */
static void
fail (SlCallPeer * self, const GError * error, const char *reason)
{
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error, reason);
}

/* Media failures: the peer hears of a security or liveness failure as
 * such, of anything else as the media's. */
static void
fail_media (SlCallPeer * self, const GError * error)
{
  const char *reason = "media";

  if (g_error_matches (error, SL_CALL_ERROR, SL_CALL_ERROR_SECURITY))
    reason = "security";
  else if (g_error_matches (error, SL_CALL_ERROR, SL_CALL_ERROR_PEER_LOST))
    reason = "peer-lost";
  fail (self, error, reason);
}

/* The peer ended the call (or said the SAS differ): nothing to tell it. */
static void
hung_up (SlCallPeer * self, GError * error, const char *reason)
{
  g_autoptr (GError) owned = error;

  g_signal_emit (self, signals[SIGNAL_HUNG_UP], 0, owned, reason);
}

/* ------------------------------------------------------------------ */
/* Media                                                                */

/**
 * sl_call_peer_make_media:
 * @self: a peer
 * @codec: the video codec to offer
 *
 * Builds the pipeline once, with the program's own display and captures
 * if it brings any ("create-element"); a failure is reported ("failed").
 *
 * Returns: %TRUE when built
 */
gboolean
sl_call_peer_make_media (SlCallPeer * self, SlVideoCodec codec)
{
  SlMediaElements elements = { NULL, };
  g_autoptr (GError) error = NULL;

  if (sl_peer_media_is_made (self->media))
    return TRUE;
  g_signal_emit (self, signals[SIGNAL_CREATE_ELEMENT], 0, "display",
      &elements.display);
  g_signal_emit (self, signals[SIGNAL_CREATE_ELEMENT], 0, "video-source",
      &elements.video_source);
  g_signal_emit (self, signals[SIGNAL_CREATE_ELEMENT], 0, "audio-source",
      &elements.audio_source);
  if (!sl_peer_media_make (self->media, codec, &elements, &error)) {
    fail (self, error, "media");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_call_peer_start_media:
 * @self: a peer
 * @codec: the video codec to offer
 *
 * Builds and starts the pipeline once.
 */
void
sl_call_peer_start_media (SlCallPeer * self, SlVideoCodec codec)
{
  g_autoptr (GError) error = NULL;

  if (sl_peer_media_is_started (self->media)
      || !sl_call_peer_make_media (self, codec))
    return;
  if (!sl_peer_media_start (self->media, &error))
    fail (self, error, "media");
}

gboolean
sl_call_peer_is_made (SlCallPeer * self)
{
  return sl_peer_media_is_made (self->media);
}

static void
on_media_secured (SlPeerMedia * media, SlCallPeer * self)
{
  self->secured = TRUE;
  g_signal_emit (self, signals[SIGNAL_SECURED], 0);
  sl_peer_media_after_secured (self->media);
  sl_peer_auth_media_bound (self->auth);
}

static void
on_media_failed (SlPeerMedia * media, GError * error, SlCallPeer * self)
{
  fail_media (self, error);
}

static void
on_first_frame (SlPeerMedia * media, gint64 when, SlCallPeer * self)
{
  g_signal_emit (self, signals[SIGNAL_FIRST_FRAME], 0, when);
}

static void
seal_control (SlCallPeer * self, SlMessage * msg)
{
  g_autofree char *text = sl_message_to_json (msg, NULL, NULL);

  if (text && sl_secure_relay_has_keys (self->relay))
    sl_secure_relay_seal (self->relay, SL_WIRE_RECORD_CONTROL, text);
}

/* A silent media path and a peer that answers through the server are a
 * broken path, not a lost peer: the sealed probe tells them apart. */
static void
on_media_path (SlPeerMedia * media, gboolean alive, SlCallPeer * self)
{
  self->path_silent = !alive;
  g_signal_emit (self, signals[SIGNAL_MEDIA_PATH], 0, alive);
  if (!alive && !self->ended) {
    g_autoptr (SlMessage) probe = sl_message_new (&sl_peer_record_family,
        "probe");

    sl_message_set_int (probe, "seq", ++self->probe_seq);
    seal_control (self, probe);
  }
}

static void
on_chat (SlPeerMedia * media, gint64 id, const char *text, SlCallPeer * self)
{
  g_signal_emit (self, signals[SIGNAL_CHAT], 0, id, text);
}

static void
on_peer_media_state (SlPeerMedia * media, gboolean mic_muted,
    gboolean camera_paused, SlCallPeer * self)
{
  g_signal_emit (self, signals[SIGNAL_PEER_MEDIA_STATE], 0, mic_muted,
      camera_paused);
}

static void
on_chat_acked (SlPeerMedia * media, gint64 id, SlCallPeer * self)
{
  g_signal_emit (self, signals[SIGNAL_CHAT_ACKED], 0, id);
}

/* The peer's user answered the SAS question (data channel or sealed
 * record). */
static void
on_peer_sas (SlPeerMedia * media, gboolean match, SlCallPeer * self)
{
  if (self->ended)
    return;
  if (!match) {
    hung_up (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_SECURITY, "The other user reported that the SAS "
            "do not match: someone may be intercepting the call"),
        "sas-mismatch");
    return;
  }
  sl_peer_auth_confirm_sas (self->auth, TRUE);
}

/**
 * sl_call_peer_hung_up:
 * @self: a peer
 * @reason: (nullable): its hang-up reason, from the data channel or the
 *   server
 *
 * Reports the peer's end of the call ("hung-up").
 */
void
sl_call_peer_hung_up (SlCallPeer * self, const char *reason)
{
  if (g_strcmp0 (reason, "sas-mismatch") == 0)
    on_peer_sas (self->media, FALSE, self);
  else
    hung_up (self, sl_call_reason_from_hangup (reason, self->secured), reason);
}

static void
on_peer_hangup (SlPeerMedia * media, const char *reason, SlCallPeer * self)
{
  sl_call_peer_hung_up (self, reason);
}

/* ------------------------------------------------------------------ */
/* The end-to-end layer                                                 */

static void
on_relay_send (SlSecureRelay * relay, GBytes * blob, SlCallPeer * self)
{
  g_signal_emit (self, signals[SIGNAL_SEND], 0, blob);
}

static void
on_relay_step (SlSecureRelay * relay, const char *name, SlCallPeer * self)
{
  g_signal_emit (self, signals[SIGNAL_STEP], 0, name);
}

static void
on_relay_failed (SlSecureRelay * relay, GError * error, SlCallPeer * self)
{
  fail (self, error, g_error_matches (error, SL_CALL_ERROR,
          SL_CALL_ERROR_PROTOCOL) ? "error" : "security");
}

static void
send_hello (SlCallPeer * self)
{
  g_autoptr (SlMessage) hello = sl_message_new (&sl_peer_record_family,
      "hello");
  g_autofree char *text = NULL;

  sl_message_append_string (hello, "codecs", "vp8");
  if (sl_video_codec_available (SL_VIDEO_CODEC_H264))
    sl_message_append_string (hello, "codecs", "h264");
  text = sl_message_to_json (hello, NULL, NULL);
  if (text)
    sl_secure_relay_seal (self->relay, SL_WIRE_RECORD_CONTROL, text);
}

static void
on_keys_agreed (SlSecureRelay * relay, SlCallPeer * self)
{
  sl_peer_auth_keys_agreed (self->auth, sl_secure_relay_uses_code (relay),
      sl_secure_relay_get_continuity (relay),
      sl_secure_relay_take_continuity_update (relay));
  g_signal_emit (self, signals[SIGNAL_KEYS_AGREED], 0);
  if (self->ended)
    return;
  if (!self->caller) {
    send_hello (self);
    sl_call_peer_start_media (self, SL_VIDEO_CODEC_VP8);
  } else if (self->opts->codec == SL_VIDEO_CODEC_VP8) {
    /* H.264 needs the callee's hello first; VP8 does not wait. */
    sl_call_peer_start_media (self, SL_VIDEO_CODEC_VP8);
  }
}

static void
take_description (SlCallPeer * self, SlWireType type, const char *sdp)
{
  g_autoptr (GError) error = NULL;

  if ((type == SL_WIRE_RECORD_SDP_OFFER) != !self->caller) {
    error = g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_PROTOCOL,
        "The other device sent a session description out of turn");
    fail (self, error, "error");
    return;
  }
  g_signal_emit (self, signals[SIGNAL_STEP], 0,
      type == SL_WIRE_RECORD_SDP_OFFER ? "offer" : "answer");
  if (!self->caller)
    sl_call_peer_start_media (self, SL_VIDEO_CODEC_VP8);
  if (!self->ended
      && !sl_peer_media_set_remote_description (self->media, sdp, &error))
    fail (self, error, g_error_matches (error, SL_CALL_ERROR,
            SL_CALL_ERROR_SECURITY) ? "security" : "media");
}

static void
take_control (SlCallPeer * self, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) msg = sl_protocol_parse (&sl_peer_record_family,
      text, strlen (text), &error);
  SlVideoCodec codec = SL_VIDEO_CODEC_VP8;
  guint i;

  if (msg && g_str_equal (sl_message_get_type_name (msg), "probe")) {
    g_autoptr (SlMessage) ack = sl_message_new (&sl_peer_record_family,
        "probe-ack");

    sl_message_set_int (ack, "seq", sl_message_get_int (msg, "seq"));
    seal_control (self, ack);
  } else if (msg && g_str_equal (sl_message_get_type_name (msg), "probe-ack")) {
    /* Only the answer to the current probe, while the path is silent. */
    if (self->path_silent && sl_message_get_int (msg, "seq") == self->probe_seq)
      g_signal_emit (self, signals[SIGNAL_PEER_REACHABLE], 0);
  } else if (msg && g_str_equal (sl_message_get_type_name (msg), "sas")) {
    on_peer_sas (self->media, g_str_equal (sl_message_get_string (msg,
                "result"), "ok"), self);
  } else if (msg && self->caller && !sl_peer_media_is_started (self->media)
      && g_str_equal (sl_message_get_type_name (msg), "hello")) {
    for (i = 0; i < sl_message_get_array_length (msg, "codecs"); i++) {
      if (g_str_equal (sl_message_get_array_string (msg, "codecs", i),
              "h264") && sl_video_codec_available (SL_VIDEO_CODEC_H264))
        codec = SL_VIDEO_CODEC_H264;
    }
    sl_call_peer_start_media (self, codec);
  }
}

static void
on_record (SlSecureRelay * relay, guint type, const char *text,
    SlCallPeer * self)
{
  switch (type) {
    case SL_WIRE_RECORD_SDP_OFFER:
    case SL_WIRE_RECORD_SDP_ANSWER:
      take_description (self, type, text);
      break;
    case SL_WIRE_RECORD_ICE_CANDIDATE:{
      g_autoptr (SlMessage) candidate =
          sl_peer_media_read_candidate (self->media, text);

      if (candidate)
        g_signal_emit (self, signals[SIGNAL_STEP], 0, "candidate");
      sl_peer_media_add_candidate (self->media, candidate);
      break;
    }
    case SL_WIRE_RECORD_CONTROL:
      take_control (self, text);
      break;
    default:
      g_info ("ignored a sealed record of type %u", type);
      break;
  }
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

/**
 * sl_call_peer_new:
 * @opts: media options (copied)
 * @caller: %TRUE on the calling device
 * @call_id: the call's id (hex)
 * @peer_id: the other device
 * @code: (nullable): the security code this device's user typed
 * @commit: (nullable): callee: the Commit from the invite
 * @created_us: when the call began, for the logs
 *
 * Returns: (transfer full): a peer of the call
 */
SlCallPeer *
sl_call_peer_new (const SlMediaOptions * opts, gboolean caller,
    const char *call_id, const char *peer_id, const char *code,
    GBytes * commit, gint64 created_us)
{
  SlCallPeer *self = g_object_new (SL_TYPE_CALL_PEER, NULL);

  self->opts = sl_media_options_copy (opts);
  self->caller = caller;
  self->relay = sl_secure_relay_new (caller, call_id, peer_id, code, commit);
  g_signal_connect (self->relay, "send", G_CALLBACK (on_relay_send), self);
  g_signal_connect (self->relay, "step", G_CALLBACK (on_relay_step), self);
  g_signal_connect (self->relay, "keys-agreed", G_CALLBACK (on_keys_agreed),
      self);
  g_signal_connect (self->relay, "record", G_CALLBACK (on_record), self);
  g_signal_connect (self->relay, "failed", G_CALLBACK (on_relay_failed), self);
  self->media = sl_peer_media_new (opts, caller, self->relay, created_us);
  g_signal_connect (self->media, "secured", G_CALLBACK (on_media_secured),
      self);
  g_signal_connect (self->media, "failed", G_CALLBACK (on_media_failed), self);
  g_signal_connect (self->media, "first-frame", G_CALLBACK (on_first_frame),
      self);
  g_signal_connect (self->media, "chat", G_CALLBACK (on_chat), self);
  g_signal_connect (self->media, "peer-media-state",
      G_CALLBACK (on_peer_media_state), self);
  g_signal_connect (self->media, "chat-acked", G_CALLBACK (on_chat_acked),
      self);
  g_signal_connect (self->media, "peer-sas", G_CALLBACK (on_peer_sas), self);
  g_signal_connect (self->media, "peer-hangup", G_CALLBACK (on_peer_hangup),
      self);
  g_signal_connect (self->media, "media-path", G_CALLBACK (on_media_path),
      self);
  self->auth = sl_peer_auth_new (NULL);
  return self;
}

/**
 * sl_call_peer_set_continuity:
 * @self: a peer not prepared yet
 * @store: (nullable): this device's retained secrets (a reference is kept)
 * @own_cert_hash: (nullable): SHA-256 of this device's certificate
 *
 * A new authentication state comes with it: watch sl_call_peer_get_auth()
 * after this.
 */
void
sl_call_peer_set_continuity (SlCallPeer * self, SlContinuityStore * store,
    const guint8 * own_cert_hash)
{
  sl_secure_relay_set_continuity (self->relay, store, own_cert_hash);
  g_clear_object (&self->auth);
  self->auth = sl_peer_auth_new (store);
}

void
sl_call_peer_prepare_async (SlCallPeer * self, const char *local_id,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  sl_secure_relay_prepare_async (self->relay, local_id, cancellable, callback,
      user_data);
}

/**
 * sl_call_peer_prepare_finish:
 * @self: a peer
 * @result: the result passed to sl_call_peer_prepare_async()'s callback
 * @out_message: (out) (transfer full) (nullable): see
 *   sl_secure_relay_prepare_finish()
 * @error: see sl_secure_relay_prepare_finish()
 *
 * Returns: %TRUE when the handshake is under way
 */
gboolean
sl_call_peer_prepare_finish (SlCallPeer * self, GAsyncResult * result,
    GBytes ** out_message, GError ** error)
{
  return sl_secure_relay_prepare_finish (self->relay, result, out_message,
      error);
}

GBytes *
sl_call_peer_take_reply (SlCallPeer * self)
{
  return sl_secure_relay_take_reply (self->relay);
}

void
sl_call_peer_process_handshake (SlCallPeer * self, GBytes * message)
{
  sl_secure_relay_process_handshake (self->relay, message);
}

void
sl_call_peer_receive (SlCallPeer * self, const char *b64)
{
  sl_secure_relay_receive (self->relay, b64);
}

gboolean
sl_call_peer_send_chat (SlCallPeer * self, const char *text, gint64 * out_id,
    GError ** error)
{
  return sl_peer_media_send_chat (self->media, text, out_id, error);
}

/**
 * sl_call_peer_set_paused:
 * @self: a pair
 * @mic_muted: send silence instead of the microphone
 * @camera_paused: send no new video frames
 *
 * See sl_peer_media_set_paused().
 */
void
sl_call_peer_set_paused (SlCallPeer * self, gboolean mic_muted,
    gboolean camera_paused)
{
  sl_peer_media_set_paused (self->media, mic_muted, camera_paused);
}

/**
 * sl_call_peer_confirm_sas:
 * @self: a peer whose SAS is known
 * @match: the user's answer
 *
 * A match counts for this device at once and reaches the peer when it
 * can; a mismatch is sealed to the peer through the server (the data
 * channel may be gone): the call ends next.
 *
 * Returns: %FALSE when a match had been given already
 */
gboolean
sl_call_peer_confirm_sas (SlCallPeer * self, gboolean match)
{
  if (!match) {
    g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_record_family, "sas");

    sl_message_set_string (msg, "result", "wrong");
    seal_control (self, msg);
    return TRUE;
  }
  if (sl_peer_auth_sas_confirmed (self->auth, FALSE))
    return FALSE;
  sl_peer_media_answer_sas (self->media);
  sl_peer_auth_confirm_sas (self->auth, FALSE);
  return TRUE;
}

gboolean
sl_call_peer_send_hangup (SlCallPeer * self, const char *reason)
{
  return sl_peer_media_send_hangup (self->media, reason);
}

void
sl_call_peer_suspect (SlCallPeer * self, guint deadline_ms)
{
  sl_peer_media_suspect (self->media, deadline_ms);
}

const char *
sl_call_peer_get_sas (SlCallPeer * self)
{
  return sl_secure_relay_get_sas (self->relay);
}

SlPeerAuth *
sl_call_peer_get_auth (SlCallPeer * self)
{
  return self->auth;
}

gboolean
sl_call_peer_get_stats (SlCallPeer * self, SlMediaStats * out)
{
  return sl_peer_media_get_stats (self->media, out);
}

void
sl_call_peer_get_ice_info (SlCallPeer * self, SlCallIceInfo * out)
{
  sl_peer_media_get_ice_info (self->media, out);
}

/**
 * sl_call_peer_end:
 * @self: a peer
 *
 * The call ended: every key of the pair is wiped at once, and no signal
 * but the media's stop follows.
 */
void
sl_call_peer_end (SlCallPeer * self)
{
  self->ended = TRUE;
  g_signal_handlers_disconnect_by_data (self->media, self);
  g_signal_handlers_disconnect_by_data (self->relay, self);
  sl_secure_relay_clear (self->relay);
  /* A retained secret not stored by now never is. */
  sl_peer_auth_clear (self->auth);
}

void
sl_call_peer_stop_async (SlCallPeer * self, GAsyncReadyCallback callback,
    gpointer user_data)
{
  sl_peer_media_stop_async (self->media, callback, user_data);
}

void
sl_call_peer_stop_finish (SlCallPeer * self, GAsyncResult * result)
{
  sl_peer_media_stop_finish (self->media, result);
}

void
sl_call_peer_stop (SlCallPeer * self)
{
  sl_peer_media_stop (self->media);
}

static void
sl_call_peer_dispose (GObject * object)
{
  SlCallPeer *self = SL_CALL_PEER (object);

  if (self->relay)
    sl_call_peer_end (self);
  g_clear_object (&self->media);
  g_clear_object (&self->relay);
  g_clear_object (&self->auth);

  G_OBJECT_CLASS (sl_call_peer_parent_class)->dispose (object);
}

static void
sl_call_peer_finalize (GObject * object)
{
  SlCallPeer *self = SL_CALL_PEER (object);

  g_clear_pointer (&self->opts, sl_media_options_free);

  G_OBJECT_CLASS (sl_call_peer_parent_class)->finalize (object);
}

static void
sl_call_peer_class_init (SlCallPeerClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_call_peer_dispose;
  object_class->finalize = sl_call_peer_finalize;

  /* (GBytes blob) for the peer, through the server's relay. */
  signals[SIGNAL_SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  /* (step) a set-up step of the pair. */
  signals[SIGNAL_STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The pair's keys are agreed: its SAS is known. */
  signals[SIGNAL_KEYS_AGREED] = g_signal_new ("keys-agreed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* The pair's media is bound to its keys. */
  signals[SIGNAL_SECURED] = g_signal_new ("secured",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (GError, SL_CALL_ERROR; reason) the pair failed: end the call, and
   * tell the peer @reason. */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ERROR,
      G_TYPE_STRING);
  /* (GError or NULL, reason) the peer ended the call. */
  signals[SIGNAL_HUNG_UP] = g_signal_new ("hung-up", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ERROR,
      G_TYPE_STRING);
  signals[SIGNAL_FIRST_FRAME] = g_signal_new ("first-frame",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_CHAT] = g_signal_new ("chat", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64,
      G_TYPE_STRING);
  signals[SIGNAL_CHAT_ACKED] = g_signal_new ("chat-acked",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (role) -> GstElement: see SlCall's "create-element". */
  signals[SIGNAL_CREATE_ELEMENT] = g_signal_new ("create-element",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      sl_call_first_element_accumulator, NULL,
      NULL, GST_TYPE_ELEMENT, 1, G_TYPE_STRING);
  /* (alive) the secured media path went silent for MEDIA_STALL_MS
   * (FALSE), or carries the peer's messages again (TRUE). */
  signals[SIGNAL_MEDIA_PATH] = g_signal_new ("media-path",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /* While the media path is silent, the peer answered our sealed probe
   * through the server: the path is broken, the peer is there. */
  signals[SIGNAL_PEER_REACHABLE] = g_signal_new ("peer-reachable",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (mic_muted, camera_paused) the peer's user muted or paused. */
  signals[SIGNAL_PEER_MEDIA_STATE] = g_signal_new ("peer-media-state",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_BOOLEAN);
}

static void
sl_call_peer_init (SlCallPeer * self)
{
}
