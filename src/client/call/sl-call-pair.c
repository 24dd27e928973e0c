/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One pair of a call: this device and one peer.  The pair owns what is
 * between the two: the handshake (the caller's Commit in the invite, the
 * callee's Reply in its answer, the rest sealed through the server), the
 * media bound to the handshake's keys, the peer's authentication and the
 * set-up deadlines.  SlCall keeps what is the call's: its id, the server's
 * verdicts on the call, its state (today that of its one pair) and the
 * end that wipes every key at once.  A failure of the pair is reported
 * with "failed" and the call ends it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-pair.h"
#include "sl-call-messages.h"
#include "sl-call-peer.h"
#include "sl-call-timing.h"
#include "sl-source.h"

struct _SlCallPair
{
  GObject parent_instance;

  SlSignalClient *signal;
  SlMediaOptions *opts;
  gboolean caller;
  char *call_id;
  char *peer_id;
  SlCallState state;
  GCancellable *cancellable;
  gboolean accept_pending;      /* callee: accepted before the Reply */

  SlCallPeer *peer;
  gpointer media_to;            /* receives the peer's media events */
  gboolean secured;             /* the media is bound to the keys */
  gboolean verified;            /* ... and the peer was authenticated */

  gint64 created_us;
  gint64 secured_us;
  GSource *setup_timer;         /* the current set-up step's deadline */
};

enum
{
  SIGNAL_STATE_CHANGED,
  SIGNAL_STEP,
  SIGNAL_SAS,
  SIGNAL_SECURED,
  SIGNAL_FAILED,
  SIGNAL_HUNG_UP,
  SIGNAL_MEDIA_STOPPING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlCallPair, sl_call_pair, G_TYPE_OBJECT);

static void
forward_marshal (GClosure * closure, GValue * return_value, guint n_params,
    const GValue * params, gpointer hint, gpointer signal_id)
{
  g_autofree GValue *args = g_new0 (GValue, n_params);
  guint i;

  g_value_init (&args[0], G_TYPE_OBJECT);
  g_value_set_object (&args[0], closure->data);
  for (i = 1; i < n_params; i++) {
    g_value_init (&args[i], G_VALUE_TYPE (&params[i]));
    g_value_copy (&params[i], &args[i]);
  }
  g_signal_emitv (args, GPOINTER_TO_UINT (signal_id), 0, return_value);
  for (i = 0; i < n_params; i++)
    g_value_unset (&args[i]);
}

/**
 * sl_call_pair_forward:
 * @from: the object whose signal @name is re-emitted
 * @name: a signal of both @from and @to, with the same signature
 * @to: the object that re-emits it (not referenced: disconnect with
 *   g_signal_handlers_disconnect_by_data (@from, @to) before it goes)
 *
 * Events that only travel outwards (frames, chat, a create-element
 * request) go from the peer through the pair to the call unchanged.
 */
void
sl_call_pair_forward (gpointer from, const char *name, gpointer to)
{
  GClosure *closure = g_closure_new_simple (sizeof (GClosure), to);

  g_closure_set_meta_marshal (closure,
      GUINT_TO_POINTER (g_signal_lookup (name, G_OBJECT_TYPE (to))),
      forward_marshal);
  g_signal_connect_closure (from, name, closure, FALSE);
}

static double
since_ms (SlCallPair * self)
{
  return (g_get_monotonic_time () - self->created_us) / 1000.0;
}

static void
fail (SlCallPair * self, SlCallError code, const char *reason,
    const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (SL_CALL_ERROR, code, message);

  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error, reason);
}

/* ------------------------------------------------------------------ */
/* State and set-up deadlines                                           */

static gboolean
on_setup_deadline (gpointer data)
{
  SlCallPair *self = data;
  SlCallError code = SL_CALL_ERROR_MEDIA;
  g_autofree char *message = NULL;

  sl_source_clear (&self->setup_timer);
  if (self->state == SL_CALL_STATE_INVITING)
    code = SL_CALL_ERROR_SERVER;
  else if (self->state == SL_CALL_STATE_RINGING)
    code = SL_CALL_ERROR_NO_ANSWER;
  else if (self->state == SL_CALL_STATE_SECURING) {
    /* Every handshake message goes through the server, which relays in
     * order: a missing one was withheld or dropped on the way. */
    fail (self, SL_CALL_ERROR_SECURITY, "security", "The end-to-end key "
        "agreement did not complete: a set-up message was lost or withheld "
        "on the way");
    return G_SOURCE_REMOVE;
  }
  message = g_strdup_printf ("Call set-up timed out while %s",
      sl_call_state_to_string (self->state));
  fail (self, code, "timeout", message);
  return G_SOURCE_REMOVE;
}

static void
set_state (SlCallPair * self, SlCallState state)
{
  guint deadline;

  if (self->state == state || self->state == SL_CALL_STATE_ENDED)
    return;
  self->state = state;
  sl_source_clear (&self->setup_timer);
  deadline = sl_call_set_up_deadline_ms (state,
      sl_signal_client_get_ring_timeout_ms (self->signal));
  if (deadline > 0)
    self->setup_timer = sl_timeout_attach (deadline, on_setup_deadline, self);
  g_debug ("call %s: %s after %.1f ms", self->caller ? "caller" : "callee",
      sl_call_state_to_string (state), since_ms (self));
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, state);
}

static void
step (SlCallPair * self, const char *name)
{
  g_signal_emit (self, signals[SIGNAL_STEP], 0, name);
}

/* ------------------------------------------------------------------ */
/* The server                                                           */

static guint
version (SlCallPair * self)
{
  return sl_signal_client_get_protocol_version (self->signal);
}

static gboolean
send_message (SlCallPair * self, SlMessage * msg, GError ** error)
{
  g_autoptr (GError) local_error = NULL;

  if (!sl_signal_client_send (self->signal, msg, &local_error)) {
    g_debug ("cannot send %s: %s", sl_message_get_type_name (msg),
        local_error->message);
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  return TRUE;
}

static gboolean
send_bytes (SlCallPair * self, const char *type, GBytes * bytes,
    GError ** error)
{
  g_autoptr (SlMessage) msg = sl_call_message_new_bytes (version (self), type,
      self->call_id, self->peer_id, bytes);

  return send_message (self, msg, error);
}

/* ------------------------------------------------------------------ */
/* The peer                                                             */

/* Secured, and the peer authenticated: verified (once). */
static void
on_auth_changed (SlPeerAuth * auth, SlCallPair * self)
{
  if (!self->secured || self->verified || self->state == SL_CALL_STATE_ENDED
      || !sl_peer_auth_is_verified (auth))
    return;
  self->verified = TRUE;
  set_state (self, SL_CALL_STATE_VERIFIED);
}

static void
watch_auth (SlCallPair * self)
{
  g_signal_connect (sl_call_peer_get_auth (self->peer), "changed",
      G_CALLBACK (on_auth_changed), self);
}

static void
on_peer_send (SlCallPeer * peer, GBytes * blob, SlCallPair * self)
{
  send_bytes (self, "relay", blob, NULL);
}

static void
on_keys_agreed (SlCallPeer * peer, SlCallPair * self)
{
  set_state (self, SL_CALL_STATE_CONNECTING);
  g_signal_emit (self, signals[SIGNAL_SAS], 0, sl_call_peer_get_sas (peer));
}

static void
on_peer_secured (SlCallPeer * peer, SlCallPair * self)
{
  self->secured = TRUE;
  self->secured_us = g_get_monotonic_time ();
  g_signal_emit (self, signals[SIGNAL_SECURED], 0);
  /* Straight to verified with a code, key continuity or a SAS both users
   * confirmed already. */
  self->verified = sl_peer_auth_is_verified (sl_call_peer_get_auth (peer));
  set_state (self, self->verified ? SL_CALL_STATE_VERIFIED :
      SL_CALL_STATE_SECURED);
}

/* The callee refused the Commit.  The server knows only "declined" or
 * "busy" for a call that is not answered, so the refusal is an answer:
 * the Alert travels as our Reply (the caller's handshake reports it as
 * the security failure it is), then the call is hung up. */
static void
refuse_commit (SlCallPair * self, GBytes * alert, const GError * error)
{
  if (alert && send_bytes (self, "accept", alert, NULL))
    set_state (self, SL_CALL_STATE_SECURING);
  fail (self, error->code, "security", error->message);
}

static void
on_relay_ready (GObject * source, GAsyncResult * result, gpointer data)
{
  SlCallPair *self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) message = NULL;

  if (!sl_call_peer_prepare_finish (self->peer, result, &message, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
    else if (!self->caller)
      refuse_commit (self, message, error);
    else
      fail (self, error->code, "security", error->message);
  } else if (self->caller) {
    if (!send_bytes (self, "invite", message, &error)) {
      fail (self, SL_CALL_ERROR_SERVER, "error", error->message);
    } else {
      set_state (self, SL_CALL_STATE_INVITING);
      step (self, "invite");
    }
  } else if (self->accept_pending) {
    sl_call_pair_accept (self);
  }
  g_object_unref (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

SlCallPair *
sl_call_pair_new (SlSignalClient * signal, const SlMediaOptions * opts,
    gboolean caller, const char *call_id, const char *peer_id,
    const char *code, GBytes * commit, gint64 created_us)
{
  SlCallPair *self = g_object_new (SL_TYPE_CALL_PAIR, NULL);

  self->signal = g_object_ref (signal);
  self->opts = sl_media_options_copy (opts);
  /* The TURN servers and credentials the server issued at login, unless the
   * user named servers of their own: without them a call between two NATs
   * has no relay candidates. */
  if (self->opts->turn_servers == NULL
      && sl_signal_client_get_turn_servers (signal) != NULL)
    self->opts->turn_servers =
        g_strdupv (sl_signal_client_get_turn_servers (signal));
  self->caller = caller;
  self->call_id = g_strdup (call_id);
  self->peer_id = g_strdup (peer_id);
  self->created_us = created_us;
  self->peer = sl_call_peer_new (self->opts, caller, call_id, peer_id, code,
      commit, created_us);
  g_signal_connect (self->peer, "send", G_CALLBACK (on_peer_send), self);
  g_signal_connect (self->peer, "keys-agreed", G_CALLBACK (on_keys_agreed),
      self);
  g_signal_connect (self->peer, "secured", G_CALLBACK (on_peer_secured), self);
  sl_call_pair_forward (self->peer, "step", self);
  sl_call_pair_forward (self->peer, "failed", self);
  sl_call_pair_forward (self->peer, "hung-up", self);
  watch_auth (self);
  return self;
}

/* The peer's media events ("first-frame", "chat", "chat-acked",
 * "media-path", "peer-reachable", "peer-media-state", "create-element")
 * go straight to @to,
 * which has signals of the same names, until the pair ends. */
void
sl_call_pair_forward_media (SlCallPair * self, gpointer to)
{
  static const char *const names[] = { "first-frame", "chat", "chat-acked",
    "media-path", "peer-reachable", "peer-media-state", "create-element"
  };
  guint i;

  g_return_if_fail (self->media_to == NULL);

  self->media_to = to;
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    sl_call_pair_forward (self->peer, names[i], to);
}

void
sl_call_pair_set_continuity (SlCallPair * self, SlContinuityStore * store,
    const guint8 * own_cert_hash)
{
  g_signal_handlers_disconnect_by_data (sl_call_peer_get_auth (self->peer),
      self);
  sl_call_peer_set_continuity (self->peer, store, own_cert_hash);
  watch_auth (self);
}

/* Caller: builds the handshake off the main loop and sends the invite.
 * Callee: tells the caller the device rings and builds the handshake. */
void
sl_call_pair_start (SlCallPair * self)
{
  if (self->caller) {
    /* With VP8 (no codec to agree on) the caller's media starts with the
     * call: camera, encoders and ICE gathering run while the peer rings.
     * The offer and candidates wait in the relay's outbox for the keys;
     * nothing reaches the network before the peer has them. */
    if (self->opts->codec == SL_VIDEO_CODEC_VP8) {
      sl_call_peer_start_media (self->peer, SL_VIDEO_CODEC_VP8);
      if (self->state == SL_CALL_STATE_ENDED)
        return;
    }
  } else {
    g_autoptr (SlMessage) ringing = sl_call_message_new (version (self),
        "ringing", self->call_id, self->peer_id);

    set_state (self, SL_CALL_STATE_RINGING);
    send_message (self, ringing, NULL);
    step (self, "ringing");
  }
  sl_call_peer_prepare_async (self->peer,
      sl_signal_client_get_device_id (self->signal), self->cancellable,
      on_relay_ready, g_object_ref (self));
}

/* Answers with the handshake's Reply (as soon as the handshake is built). */
void
sl_call_pair_accept (SlCallPair * self)
{
  g_autoptr (GBytes) reply = NULL;

  if (self->caller || self->state != SL_CALL_STATE_RINGING)
    return;
  reply = sl_call_peer_take_reply (self->peer);
  if (reply == NULL) {
    /* The handshake is still being built. */
    self->accept_pending = TRUE;
    return;
  }
  if (!send_bytes (self, "accept", reply, NULL)) {
    fail (self, SL_CALL_ERROR_SERVER, "error",
        "Lost the server while answering");
    return;
  }
  step (self, "accepted");
  set_state (self, SL_CALL_STATE_SECURING);
  /* Build the pipeline while Reveal is on its way. */
  sl_call_peer_make_media (self->peer, SL_VIDEO_CODEC_VP8);
}

/* The server's messages about this pair: its sealed blobs, the peer's
 * progress and its leaving.  Returns %FALSE for a message about the call
 * as a whole. */
gboolean
sl_call_pair_handle_message (SlCallPair * self, SlMessage * msg)
{
  const char *type = sl_message_get_type_name (msg);

  if (g_str_equal (type, "relay")) {
    sl_call_peer_receive (self->peer, sl_message_get_string (msg, "blob"));
  } else if (g_str_equal (type, "ringing")) {
    step (self, "ringing");
    set_state (self, SL_CALL_STATE_RINGING);
  } else if (g_str_equal (type, "accepted") && self->caller) {
    g_autoptr (GBytes) reply = sl_call_message_get_bytes (msg, "hs");

    /* An empty Reply fails the handshake like any wrong one. */
    if (reply == NULL)
      reply = g_bytes_new (NULL, 0);

    step (self, "accepted");
    set_state (self, SL_CALL_STATE_SECURING);
    sl_call_peer_process_handshake (self->peer, reply);
  } else if (g_str_equal (type, "hangup")) {
    sl_call_peer_hung_up (self->peer, sl_message_get_string (msg, "reason"));
  } else if (g_str_equal (type, "peer-gone")) {
    /* The peer lost the server, not necessarily us: a verified call goes
     * on and the heartbeat decides, with a short deadline now that the
     * peer may well be dead. */
    if (!self->secured)
      fail (self, SL_CALL_ERROR_PEER_LOST, "peer-lost",
          "The other device disconnected");
    else
      sl_call_peer_suspect (self->peer, PEER_GONE_DEADLINE_MS);
  } else {
    return FALSE;
  }
  return TRUE;
}

gboolean
sl_call_pair_send_chat (SlCallPair * self, const char *text, gint64 * out_id,
    GError ** error)
{
  return sl_call_peer_send_chat (self->peer, text, out_id, error);
}

void
sl_call_pair_confirm_sas (SlCallPair * self, gboolean match)
{
  sl_call_peer_confirm_sas (self->peer, match);
}

/* Muting and pausing apply to the pair's media and are told to its peer. */
void
sl_call_pair_set_paused (SlCallPair * self, gboolean mic_muted,
    gboolean camera_paused)
{
  sl_call_peer_set_paused (self->peer, mic_muted, camera_paused);
}

/* Tells the peer on the data channel; %TRUE when that needs a moment on
 * the wire before the pipeline goes. */
gboolean
sl_call_pair_send_hangup (SlCallPair * self, const char *reason)
{
  return sl_call_peer_send_hangup (self->peer, reason);
}

/* Wipes the pair's keys; only "media-stopping" may come after this. */
void
sl_call_pair_end (SlCallPair * self)
{
  if (self->state == SL_CALL_STATE_ENDED)
    return;
  g_cancellable_cancel (self->cancellable);
  sl_source_clear (&self->setup_timer);
  g_signal_handlers_disconnect_by_data (self->peer, self);
  if (self->media_to)
    g_signal_handlers_disconnect_by_data (self->peer, self->media_to);
  g_signal_handlers_disconnect_by_data (sl_call_peer_get_auth (self->peer),
      self);
  sl_call_peer_end (self->peer);
  self->state = SL_CALL_STATE_ENDED;
}

/* Stops the pair's media: at once (%TRUE) when there is none or @now,
 * else without blocking: @callback follows once the pipeline is gone.
 * "media-stopping" comes first when there is a pipeline to stop. */
gboolean
sl_call_pair_stop_media (SlCallPair * self, gboolean now,
    GAsyncReadyCallback callback, gpointer user_data)
{
  if (!sl_call_peer_is_made (self->peer)) {
    sl_call_peer_stop (self->peer);
    return TRUE;
  }
  g_signal_emit (self, signals[SIGNAL_MEDIA_STOPPING], 0);
  if (now) {
    sl_call_peer_stop (self->peer);
    return TRUE;
  }
  sl_call_peer_stop_async (self->peer, callback, user_data);
  return FALSE;
}

void
sl_call_pair_stop_finish (SlCallPair * self, GAsyncResult * result)
{
  sl_call_peer_stop_finish (self->peer, result);
}

SlCallState
sl_call_pair_get_state (SlCallPair * self)
{
  return self->state;
}

gboolean
sl_call_pair_was_secured (SlCallPair * self)
{
  return self->secured;
}

gboolean
sl_call_pair_was_verified (SlCallPair * self)
{
  return self->verified;
}

gint64
sl_call_pair_get_secured_us (SlCallPair * self)
{
  return self->secured ? self->secured_us : -1;
}

const char *
sl_call_pair_get_sas (SlCallPair * self)
{
  return sl_call_peer_get_sas (self->peer);
}

SlPeerAuth *
sl_call_pair_get_auth (SlCallPair * self)
{
  return sl_call_peer_get_auth (self->peer);
}

gboolean
sl_call_pair_get_stats (SlCallPair * self, SlMediaStats * out)
{
  return sl_call_peer_get_stats (self->peer, out);
}

void
sl_call_pair_get_ice_info (SlCallPair * self, SlCallIceInfo * out)
{
  sl_call_peer_get_ice_info (self->peer, out);
}

static void
sl_call_pair_dispose (GObject * object)
{
  SlCallPair *self = SL_CALL_PAIR (object);

  sl_source_clear (&self->setup_timer);
  if (self->peer) {
    g_signal_handlers_disconnect_by_data (self->peer, self);
    if (self->media_to)
      g_signal_handlers_disconnect_by_data (self->peer, self->media_to);
    g_signal_handlers_disconnect_by_data (sl_call_peer_get_auth (self->peer),
        self);
  }
  g_clear_object (&self->peer);
  g_clear_object (&self->signal);

  G_OBJECT_CLASS (sl_call_pair_parent_class)->dispose (object);
}

static void
sl_call_pair_finalize (GObject * object)
{
  SlCallPair *self = SL_CALL_PAIR (object);

  g_clear_pointer (&self->opts, sl_media_options_free);
  g_object_unref (self->cancellable);
  g_free (self->call_id);
  g_free (self->peer_id);

  G_OBJECT_CLASS (sl_call_pair_parent_class)->finalize (object);
}

static void
sl_call_pair_class_init (SlCallPairClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = sl_call_pair_dispose;
  object_class->finalize = sl_call_pair_finalize;

  /* (SlCallState) the pair's set-up progressed. */
  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed", type,
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /* (step) set-up reached a step (SlCall::step keeps the first of each). */
  signals[SIGNAL_STEP] = g_signal_new ("step", type, G_SIGNAL_RUN_LAST, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (sas) the keys are agreed. */
  signals[SIGNAL_SAS] = g_signal_new ("sas", type, G_SIGNAL_RUN_LAST, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The pair's media is bound to the keys. */
  signals[SIGNAL_SECURED] = g_signal_new ("secured", type, G_SIGNAL_RUN_LAST,
      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (GError, reason) the pair cannot go on: the call ends, telling the
   * peer @reason. */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", type, G_SIGNAL_RUN_LAST,
      0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ERROR, G_TYPE_STRING);
  /* (GError or NULL, reason) the peer hung up. */
  signals[SIGNAL_HUNG_UP] = g_signal_new ("hung-up", type, G_SIGNAL_RUN_LAST,
      0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ERROR, G_TYPE_STRING);
  /* The pair's pipeline is about to stop (it still runs). */
  signals[SIGNAL_MEDIA_STOPPING] = g_signal_new ("media-stopping", type,
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sl_call_pair_init (SlCallPair * self)
{
  self->cancellable = g_cancellable_new ();
  self->state = SL_CALL_STATE_PREPARING;
}
