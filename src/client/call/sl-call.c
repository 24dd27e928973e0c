/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One call, from invite to hang-up: its id, its state, the server's
 * verdicts on it, and the end that wipes every key at once.  What is
 * between this device and its peer (the handshake, the sealed relay, the
 * media bound to the handshake's keys, the peer's authentication, the
 * set-up deadlines) is the call's pair (SlCallPair).  Today a call has
 * exactly one pair and its state is the pair's.
 *
 * A failure anywhere ends the call on both sides: a handshake failure
 * sends the Alert the handshake returns, a record that fails to open or a
 * binding mismatch sends a hang-up with reason "security".
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-call.h"
#include "sl-call-messages.h"
#include "sl-call-pair.h"
#include "sl-call-reasons.h"
#include "sl-crypto.h"
#include "sl-source.h"

#include <gst/gst.h>

struct _SlCall
{
  GObject parent_instance;

  SlSignalClient *signal;
  gboolean caller;
  char *call_id;
  char *peer_id;
  SlCallState state;
  GError *error;

  SlCallPair *pair;

  gint64 created_us;
  GSource *linger_source;
  gboolean finishing;
  gboolean disposing;
  gulong signal_lost_handler;
  GHashTable *steps;            /* set-up steps seen (emitted once each) */
  gboolean mic_muted;
  gboolean camera_paused;
};

enum
{
  SIGNAL_STATE_CHANGED,
  SIGNAL_SAS,
  SIGNAL_SECURED,
  SIGNAL_FIRST_FRAME,
  SIGNAL_CHAT,
  SIGNAL_CHAT_ACKED,
  SIGNAL_ENDED,
  SIGNAL_STEP,
  SIGNAL_CREATE_ELEMENT,
  SIGNAL_MEDIA_STOPPING,
  SIGNAL_MEDIA_PATH,
  SIGNAL_PEER_REACHABLE,
  SIGNAL_PEER_MEDIA_STATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlCall, sl_call, G_TYPE_OBJECT);

static void end_call (SlCall * self, GError * error, const char *reason,
    gboolean notify_peer);

const char *
sl_call_state_to_string (SlCallState state)
{
  static const char *const names[] = { "preparing", "inviting", "ringing",
    "securing", "connecting", "secured", "verified", "ended"
  };

  return state <= SL_CALL_STATE_ENDED ? names[state] : "unknown";
}

/* ------------------------------------------------------------------ */
/* State                                                                */

/* The call's state is its pair's. */
static void
on_pair_state (SlCallPair * pair, SlCallState state, SlCall * self)
{
  if (self->state == state || self->state == SL_CALL_STATE_ENDED)
    return;
  self->state = state;
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, state);
}

/* Tells watchers (the network tests) that set-up reached @step: sent or
 * received "invite", "ringing", "accepted", "handshake", "offer",
 * "answer", "candidate".  Once per step and call. */
static void
on_pair_step (SlCallPair * pair, const char *name, SlCall * self)
{
  if (self->state == SL_CALL_STATE_ENDED
      || g_hash_table_contains (self->steps, name))
    return;
  g_hash_table_add (self->steps, g_strdup (name));
  g_debug ("call %s: step %s after %.1f ms", self->caller ? "caller" :
      "callee", name, (g_get_monotonic_time () - self->created_us) / 1000.0);
  g_signal_emit (self, signals[SIGNAL_STEP], 0, name);
}

/* ------------------------------------------------------------------ */
/* The server                                                           */

static guint
version (SlCall * self)
{
  return sl_signal_client_get_protocol_version (self->signal);
}

static gboolean
send_to_server (SlCall * self, const char *type, const char *member,
    const char *value)
{
  g_autoptr (SlMessage) msg = sl_call_message_new (version (self), type,
      self->call_id, self->peer_id);
  g_autoptr (GError) error = NULL;

  if (member)
    sl_message_set_string (msg, member, value);
  if (!sl_signal_client_send (self->signal, msg, &error)) {
    g_debug ("cannot send %s: %s", type, error->message);
    return FALSE;
  }
  return TRUE;
}

/* Until the call is secured everything goes through the server: losing
 * it means the set-up cannot finish (the server forgets the call and
 * tells the peer).  A secured call is peer to peer and goes on. */
static void
on_signal_lost (SlSignalClient * signal, GError * why, SlCall * self)
{
  if (sl_call_pair_was_secured (self->pair)
      || self->state == SL_CALL_STATE_ENDED)
    return;
  end_call (self, g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_SERVER,
          "Lost the connection to the server during call set-up"), "error",
      TRUE);
}

/* ------------------------------------------------------------------ */
/* Ending                                                               */

static void
emit_ended (SlCall * self)
{
  g_signal_emit (self, signals[SIGNAL_ENDED], 0, self->error);
}

static void
on_media_stopped (GObject * source, GAsyncResult * result, gpointer data)
{
  SlCall *self = data;

  sl_call_pair_stop_finish (self->pair, result);
  emit_ended (self);
  g_object_unref (self);
}

/* The pipeline goes, without blocking (unless the call is being disposed
 * before it ended): "ended" follows once it is gone. */
static void
finish_end (SlCall * self)
{
  if (self->finishing)
    return;
  self->finishing = TRUE;
  if (sl_call_pair_stop_media (self->pair, self->disposing, on_media_stopped,
          g_object_ref (self))) {
    emit_ended (self);
    g_object_unref (self);
  }
}

static gboolean
on_linger_done (gpointer data)
{
  SlCall *self = data;

  sl_source_clear (&self->linger_source);
  finish_end (self);
  return G_SOURCE_REMOVE;
}

/* Ends the call once: wipes every key at once, tells the peer when
 * @notify_peer, and tears the media down.  Takes @error (NULL: a normal
 * end).  A hang-up on the data channel needs a moment on the wire before
 * the pipeline goes, or it would die with it when the server is gone. */
static void
end_call (SlCall * self, GError * error, const char *reason,
    gboolean notify_peer)
{
  gboolean linger = FALSE;

  if (self->state == SL_CALL_STATE_ENDED) {
    g_clear_error (&error);
    return;
  }
  self->error = error;
  g_clear_signal_handler (&self->signal_lost_handler, self->signal);

  if (notify_peer) {
    linger = sl_call_pair_send_hangup (self->pair, reason);
    if (self->state <= SL_CALL_STATE_RINGING && self->caller)
      send_to_server (self, "cancel", NULL, NULL);
    else if (self->state <= SL_CALL_STATE_RINGING)
      send_to_server (self, "reject", "reason", "declined");
    else
      send_to_server (self, "hangup", "reason", reason);
  }

  sl_call_pair_end (self->pair);

  self->state = SL_CALL_STATE_ENDED;
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, self->state);
  if (linger && !self->disposing)
    self->linger_source = sl_timeout_attach (200, on_linger_done, self);
  else
    finish_end (self);
}

/* ------------------------------------------------------------------ */
/* The pair                                                             */

static void
on_pair_failed (SlCallPair * pair, GError * error, const char *reason,
    SlCall * self)
{
  end_call (self, g_error_copy (error), reason, TRUE);
}

static void
on_pair_hung_up (SlCallPair * pair, GError * error, const char *reason,
    SlCall * self)
{
  end_call (self, error ? g_error_copy (error) : NULL, reason, FALSE);
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

/**
 * sl_call_first_element_accumulator:
 *
 * The accumulator of every "create-element" signal (SlCall's, the
 * elements' that forward it): the first element returned wins, %NULL asks
 * the next handler.
 */
gboolean
sl_call_first_element_accumulator (GSignalInvocationHint * hint,
    GValue * accu, const GValue * handler_return, gpointer data)
{
  GObject *element = g_value_get_object (handler_return);

  if (!(hint->run_type & G_SIGNAL_RUN_CLEANUP))
    g_value_set_object (accu, element);
  return element == NULL;
}

static SlCall *
call_new (SlSignalClient * signal, const SlMediaOptions * opts,
    gboolean caller, char *call_id, const char *peer_id, const char *code,
    GBytes * commit)
{
  SlCall *self = g_object_new (SL_TYPE_CALL, NULL);

  self->signal = g_object_ref (signal);
  self->signal_lost_handler = g_signal_connect (signal, "disconnected",
      G_CALLBACK (on_signal_lost), self);
  self->caller = caller;
  self->call_id = call_id;
  self->peer_id = g_strdup (peer_id);
  self->created_us = g_get_monotonic_time ();
  self->pair = sl_call_pair_new (signal, opts, caller, call_id, peer_id,
      code, commit, self->created_us);
  g_signal_connect (self->pair, "state-changed", G_CALLBACK (on_pair_state),
      self);
  g_signal_connect (self->pair, "step", G_CALLBACK (on_pair_step), self);
  g_signal_connect (self->pair, "failed", G_CALLBACK (on_pair_failed), self);
  g_signal_connect (self->pair, "hung-up", G_CALLBACK (on_pair_hung_up), self);
  sl_call_pair_forward (self->pair, "sas", self);
  sl_call_pair_forward (self->pair, "secured", self);
  sl_call_pair_forward (self->pair, "media-stopping", self);
  sl_call_pair_forward_media (self->pair, self);
  return self;
}

/**
 * sl_call_new_outgoing:
 * @signal: the connected signalling client
 * @opts: media options (copied)
 * @peer_id: the device to call
 * @code: (nullable): the security code both users typed
 *
 * Returns: (transfer full): a call; sl_call_start() sends the invite
 */
SlCall *
sl_call_new_outgoing (SlSignalClient * signal, const SlMediaOptions * opts,
    const char *peer_id, const char *code)
{
  return call_new (signal, opts, TRUE, sl_crypto_call_id_new (), peer_id,
      code, NULL);
}

/**
 * sl_call_new_incoming:
 * @signal: the connected signalling client
 * @opts: media options (copied)
 * @incoming: the server's `incoming` message
 * @code: (nullable): our security code
 * @error: set when the invite's Commit is not base64
 *
 * Returns: (transfer full) (nullable): a call that rings once started
 */
SlCall *
sl_call_new_incoming (SlSignalClient * signal, const SlMediaOptions * opts,
    SlMessage * incoming, const char *code, GError ** error)
{
  g_autoptr (GBytes) commit = sl_call_message_get_bytes (incoming, "hs");

  if (commit == NULL) {
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_PROTOCOL,
        "The invite carries no handshake");
    return NULL;
  }
  return call_new (signal, opts, FALSE,
      g_strdup (sl_message_get_string (incoming, "call_id")),
      sl_message_get_string (sl_message_get_object (incoming, "from"), "id"),
      code, commit);
}

/**
 * sl_call_set_continuity:
 * @self: a call that has not started
 * @store: (nullable): this device's retained secrets (a reference is kept)
 * @own_cert_hash: (nullable): SHA-256 of this device's certificate
 *
 * Turns key continuity on for this call (docs/SECURITY.md): a peer that
 * proves the secret of the last verified call is authenticated, and an
 * authenticated call leaves a new secret for the next one.
 */
void
sl_call_set_continuity (SlCall * self, SlContinuityStore * store,
    const guint8 * own_cert_hash)
{
  g_return_if_fail (SL_IS_CALL (self));
  g_return_if_fail (self->state == SL_CALL_STATE_PREPARING);

  sl_call_pair_set_continuity (self->pair, store, own_cert_hash);
}

/**
 * sl_call_start:
 * @self: a new call
 *
 * Caller: builds the handshake off the main loop and sends the invite.
 * Callee: tells the caller the device rings and builds the handshake.
 */
void
sl_call_start (SlCall * self)
{
  g_return_if_fail (SL_IS_CALL (self));

  sl_call_pair_start (self->pair);
}

/**
 * sl_call_accept:
 * @self: a ringing incoming call
 *
 * Answers with the handshake's Reply (as soon as the handshake is built).
 */
void
sl_call_accept (SlCall * self)
{
  g_return_if_fail (SL_IS_CALL (self));

  sl_call_pair_accept (self->pair);
}

/**
 * sl_call_reject:
 * @self: a ringing incoming call
 */
void
sl_call_reject (SlCall * self)
{
  g_return_if_fail (SL_IS_CALL (self));

  end_call (self, g_error_new_literal (SL_CALL_ERROR,
          SL_CALL_ERROR_REJECTED, "Call declined"), "declined", TRUE);
}

/**
 * sl_call_hangup:
 * @self: a call
 *
 * Ends the call through the data channel and the server (cancels an
 * unanswered invite).  Before the call is secured that is the user
 * cancelling it (%SL_CALL_ERROR_CANCELLED), not a completed call.
 */
void
sl_call_hangup (SlCall * self)
{
  g_return_if_fail (SL_IS_CALL (self));

  if (self->state < SL_CALL_STATE_SECURED)
    end_call (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_CANCELLED, "You cancelled the call before it was "
            "set up"), "normal", TRUE);
  else
    end_call (self, NULL, "normal", TRUE);
}

/* In version 2 a call may have other participants, invited by our peer:
 * this call is one pair, and what the server says of another participant
 * (its blobs, its leaving, its joining) is not about this pair.  Version
 * 1 has no such members: everything is about the one peer. */
static gboolean
about_our_peer (SlCall * self, SlMessage * msg)
{
  const char *type = sl_message_get_type_name (msg);
  const char *who = sl_call_message_about (msg, version (self));

  if (g_str_equal (type, "participants") || g_str_equal (type, "joined")) {
    g_info ("call %s: another device joined; this device keeps to its pair "
        "with %s", self->call_id, self->peer_id);
    return FALSE;
  }
  if (who == NULL || g_strcmp0 (who, self->peer_id) == 0)
    return TRUE;
  g_info ("call %s: ignored %s about %s, not this call's peer",
      self->call_id, type, who);
  return FALSE;
}

/**
 * sl_call_handle_message:
 * @self: a call
 * @msg: a call message from the server
 *
 * Returns: %TRUE if @msg belongs to this call
 */
gboolean
sl_call_handle_message (SlCall * self, SlMessage * msg)
{
  const char *type = sl_message_get_type_name (msg);

  if (!sl_message_has_member (msg, "call_id")
      || g_strcmp0 (sl_message_get_string (msg, "call_id"), self->call_id) != 0)
    return FALSE;
  if (self->state == SL_CALL_STATE_ENDED)
    return TRUE;
  if (!about_our_peer (self, msg))
    return TRUE;

  if (sl_call_pair_handle_message (self->pair, msg))
    return TRUE;
  if (g_str_equal (type, "rejected") || g_str_equal (type, "busy")
      || g_str_equal (type, "timeout") || g_str_equal (type, "cancelled")) {
    /* Only `rejected` has a reason (declined or busy). */
    end_call (self, sl_call_reason_from_refusal (type,
            g_str_equal (type, "rejected") ? sl_message_get_string (msg,
                "reason") : NULL), type, FALSE);
  } else if (g_str_equal (type, "error")) {
    if (self->state > SL_CALL_STATE_RINGING)
      g_info ("server error in call: %s", sl_message_get_string (msg, "code"));
    else
      end_call (self, sl_call_reason_from_server_error (sl_message_get_string
              (msg, "code"), sl_message_get_string (msg, "message")), "error",
          FALSE);
  }
  return TRUE;
}

/**
 * sl_call_send_chat:
 * @self: a secured call
 * @text: the message
 * @out_id: (out) (optional): its id, named again by "chat-acked"
 * @error: set when the call is not secured or @text is invalid
 *
 * Returns: %TRUE when sent
 */
gboolean
sl_call_send_chat (SlCall * self, const char *text, gint64 * out_id,
    GError ** error)
{
  if (!sl_call_pair_was_secured (self->pair)
      || self->state == SL_CALL_STATE_ENDED) {
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_MEDIA,
        "Chat is available once the call is secured");
    return FALSE;
  }
  return sl_call_pair_send_chat (self->pair, text, out_id, error);
}

/**
 * sl_call_set_mic_muted:
 * @self: a call
 * @muted: send silence instead of the microphone; the peer is told
 */
void
sl_call_set_mic_muted (SlCall * self, gboolean muted)
{
  self->mic_muted = muted;
  sl_call_pair_set_paused (self->pair, self->mic_muted, self->camera_paused);
}

/**
 * sl_call_set_camera_paused:
 * @self: a call
 * @paused: send no new video frames; the peer is told
 */
void
sl_call_set_camera_paused (SlCall * self, gboolean paused)
{
  self->camera_paused = paused;
  sl_call_pair_set_paused (self->pair, self->mic_muted, self->camera_paused);
}

/**
 * sl_call_confirm_sas:
 * @self: a call whose SAS is known
 * @match: whether the user says both screens show the same SAS
 * @error: set before the SAS is known or after the call ended
 *
 * A match counts for this device at once and reaches the peer over the
 * data channel once the call is secured; the call is verified once both
 * users confirmed.  A mismatch ends the call on both devices as an
 * interception (%SL_CALL_ERROR_SECURITY), and the peer is told why.
 *
 * Returns: %TRUE when the answer was taken
 */
gboolean
sl_call_confirm_sas (SlCall * self, gboolean match, GError ** error)
{
  g_return_val_if_fail (SL_IS_CALL (self), FALSE);

  if (sl_call_get_sas (self) == NULL || self->state == SL_CALL_STATE_ENDED) {
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_CONFIG,
        "There is no SAS to compare yet");
    return FALSE;
  }
  if (!match) {
    /* Sealed through the server, in case the data channel is gone; and on
     * the data channel, as the hang-up's reason. */
    sl_call_pair_confirm_sas (self->pair, FALSE);
    end_call (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_SECURITY, "You reported that the SAS do not "
            "match: someone may be intercepting the call"), "sas-mismatch",
        TRUE);
    return TRUE;
  }
  sl_call_pair_confirm_sas (self->pair, TRUE);
  return TRUE;
}

const char *
sl_call_get_id (SlCall * self)
{
  return self->call_id;
}

const char *
sl_call_get_peer_id (SlCall * self)
{
  return self->peer_id;
}

gboolean
sl_call_is_caller (SlCall * self)
{
  return self->caller;
}

SlCallState
sl_call_get_state (SlCall * self)
{
  return self->state;
}

/**
 * sl_call_get_sas:
 *
 * Returns: (nullable): the short authentication string, once the
 *   handshake is complete
 */
const char *
sl_call_get_sas (SlCall * self)
{
  return sl_call_pair_get_sas (self->pair);
}

/**
 * sl_call_get_error:
 *
 * Returns: (nullable): why the call ended; %NULL for a normal end
 */
const GError *
sl_call_get_error (SlCall * self)
{
  return self->error;
}

/**
 * sl_call_get_auth:
 *
 * Returns: (transfer none): who the peer is, as far as this device can
 *   tell; lives as long as the call
 */
SlPeerAuth *
sl_call_get_auth (SlCall * self)
{
  return sl_call_pair_get_auth (self->pair);
}

/* The media was bound to the keys at some point. */
gboolean
sl_call_was_secured (SlCall * self)
{
  return sl_call_pair_was_secured (self->pair);
}

/* ... and the peer was authenticated at some point. */
gboolean
sl_call_was_verified (SlCall * self)
{
  return sl_call_pair_was_verified (self->pair);
}

gint64
sl_call_get_created_us (SlCall * self)
{
  return self->created_us;
}

gint64
sl_call_get_secured_us (SlCall * self)
{
  return sl_call_pair_get_secured_us (self->pair);
}

/**
 * sl_call_get_media_stats:
 * @self: a call
 * @out: (out caller-allocates): live stats, or the last ones once ended;
 *   release with sl_media_stats_clear()
 *
 * Returns: %FALSE when the call never had media
 */
gboolean
sl_call_get_media_stats (SlCall * self, SlMediaStats * out)
{
  return sl_call_pair_get_stats (self->pair, out);
}

/**
 * sl_call_get_ice_info:
 * @self: a call
 * @out: (out caller-allocates): the ICE candidates exchanged and the
 *   selected pair; the strings belong to @self
 */
void
sl_call_get_ice_info (SlCall * self, SlCallIceInfo * out)
{
  g_return_if_fail (SL_IS_CALL (self));

  sl_call_pair_get_ice_info (self->pair, out);
}

static void
sl_call_dispose (GObject * object)
{
  SlCall *self = SL_CALL (object);

  /* Dropped mid-call or while lingering: the pipeline goes now. */
  self->disposing = TRUE;
  if (self->state != SL_CALL_STATE_ENDED && self->signal != NULL)
    end_call (self, NULL, "normal", TRUE);
  if (self->linger_source) {
    sl_source_clear (&self->linger_source);
    finish_end (self);
  }
  if (self->signal)
    g_clear_signal_handler (&self->signal_lost_handler, self->signal);
  if (self->pair)
    g_signal_handlers_disconnect_by_data (self->pair, self);
  g_clear_object (&self->pair);
  g_clear_object (&self->signal);

  G_OBJECT_CLASS (sl_call_parent_class)->dispose (object);
}

static void
sl_call_finalize (GObject * object)
{
  SlCall *self = SL_CALL (object);

  g_clear_error (&self->error);
  g_free (self->call_id);
  g_free (self->peer_id);
  g_hash_table_unref (self->steps);

  G_OBJECT_CLASS (sl_call_parent_class)->finalize (object);
}

static void
sl_call_class_init (SlCallClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_call_dispose;
  object_class->finalize = sl_call_finalize;

  /* (SlCallState) */
  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT);
  /* (sas) the short authentication string to compare aloud. */
  signals[SIGNAL_SAS] = g_signal_new ("sas", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The media is bound to the keys: frames are shown, chat works.  The
   * peer may not be authenticated: see the state and sl_call_get_auth(). */
  signals[SIGNAL_SECURED] = g_signal_new ("secured",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (monotonic time in µs) the first remote frame was shown. */
  signals[SIGNAL_FIRST_FRAME] = g_signal_new ("first-frame",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (id, text) a chat message from the peer, already acknowledged. */
  signals[SIGNAL_CHAT] =
      g_signal_new ("chat", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /* (id) the peer received our chat message @id. */
  signals[SIGNAL_CHAT_ACKED] =
      g_signal_new ("chat-acked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (GError or NULL) emitted once, after keys are wiped and media torn
   * down. */
  signals[SIGNAL_ENDED] =
      g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* (step) set-up reached a step: sent or received "invite", "ringing",
   * "accepted", "handshake", "offer", "answer", "candidate"; once each. */
  signals[SIGNAL_STEP] =
      g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (role) -> GstElement (transfer floating, nullable): the call builds
   * its media and asks the program for elements of its own: "display" (a
   * bin with a ghost sink pad "video" and optionally "camera" and "audio",
   * see SlMediaElements), "video-source", "audio-source" (bins with a
   * ghost src pad of raw media).  The first handler that returns one
   * wins; none means the media options' sources and sinks. */
  signals[SIGNAL_CREATE_ELEMENT] =
      g_signal_new ("create-element", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, sl_call_first_element_accumulator, NULL, NULL,
      GST_TYPE_ELEMENT, 1, G_TYPE_STRING);
  /* The call's pipeline is about to stop (it still runs): a display's last
   * chance to take a picture or end its outputs. */
  signals[SIGNAL_MEDIA_STOPPING] =
      g_signal_new ("media-stopping", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (alive) the secured call's media path went silent (FALSE: the HUD
   * says "reconnecting") or carries the peer's messages again (TRUE);
   * see MEDIA_STALL_MS. */
  signals[SIGNAL_MEDIA_PATH] =
      g_signal_new ("media-path", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /* While the media path is silent, the peer answered a sealed probe
   * through the server: it is there, only the path is broken. */
  signals[SIGNAL_PEER_REACHABLE] =
      g_signal_new ("peer-reachable", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (mic_muted, camera_paused) the peer's user muted or paused. */
  signals[SIGNAL_PEER_MEDIA_STATE] =
      g_signal_new ("peer-media-state", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN,
      G_TYPE_BOOLEAN);
}

static void
sl_call_init (SlCall * self)
{
  self->state = SL_CALL_STATE_PREPARING;
  self->steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

}
