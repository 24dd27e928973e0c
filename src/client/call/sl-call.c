/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One call, from invite to hang-up.  The caller builds a handshake and
 * sends its Commit with the invite; the callee answers with its Reply in
 * accept; Reveal and Confirm travel as relayed blobs.  Once the handshake
 * is complete every SDP and ICE candidate is a sealed record the server
 * cannot read.  When DTLS connects the media session checks the peer's
 * certificate against the decrypted fingerprint; then both sides send a
 * MAC over both fingerprints, keyed from the handshake, on the data
 * channel.  Only a call whose MAC verified is "secured" and shows media;
 * it is "verified" once the peer is authenticated too (SlPeerAuth: the
 * security code, a SAS both users confirmed, or key continuity).
 *
 * A failure anywhere ends the call on both sides: a handshake failure
 * sends the Alert the handshake returns, a record that fails to open or a
 * binding mismatch sends a hang-up with reason "security".
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-private.h"
#include "media/sl-media-session.h"
#include "sl-peer-channel.h"
#include "sightline/sl-call-error.h"
#include "sl-handshake.h"
#include "sl-signalling.h"
#include "sl-peer-messages.h"

#include <string.h>

static guint signals[SL_CALL_N_SIGNALS];

/* "create-element": the first element returned wins, NULL asks on. */
static gboolean
first_element (GSignalInvocationHint * hint, GValue * accu,
    const GValue * handler_return, gpointer data)
{
  GObject *element = g_value_get_object (handler_return);

  if (!(hint->run_type & G_SIGNAL_RUN_CLEANUP))
    g_value_set_object (accu, element);
  return element == NULL;
}

G_DEFINE_TYPE (SlCall, sl_call, G_TYPE_OBJECT);

/* For sl-call-secure.c. */
void
sl_call_emit (SlCall * self, SlCallSignal signal, ...)
{
  va_list args;

  va_start (args, signal);
  g_signal_emit_valist (self, signals[signal], 0, args);
  va_end (args);
}

const char *
sl_call_state_to_string (SlCallState state)
{
  static const char *const names[] = { "preparing", "inviting", "ringing",
    "securing", "connecting", "secured", "verified", "ended"
  };

  return state <= SL_CALL_STATE_ENDED ? names[state] : "unknown";
}

static guint set_up_deadline_base_ms (SlCall * self, SlCallState state);

/* How long the call may stay in @state before set-up is given up; 0 for
 * no deadline (preparing is local work, a secured call has the
 * heartbeat). */
static guint
set_up_deadline_ms (SlCall * self, SlCallState state)
{
  return sl_call_test_scale () * set_up_deadline_base_ms (self, state);
}

/* Test hook: valgrind runs a call some 30 times slower, so the set-up
 * deadlines and the heartbeat's are stretched by SL_TEST_SETUP_SCALE.
 * Always 1 in builds without test hooks. */
guint
sl_call_test_scale (void)
{
  guint scale = 1;

#ifdef SL_TEST_HOOKS
  if (g_getenv ("SL_TEST_SETUP_SCALE"))
    scale = CLAMP (g_ascii_strtoull (g_getenv ("SL_TEST_SETUP_SCALE"), NULL,
            10), 1, 100);
#endif
  return scale;
}

static guint
set_up_deadline_base_ms (SlCall * self, SlCallState state)
{
  switch (state) {
    case SL_CALL_STATE_INVITING:
      return SETUP_INVITE_MS;
    case SL_CALL_STATE_RINGING:
      /* The server ends an unanswered call; this only covers a server
       * that never says so. */
      return sl_signal_client_get_ring_timeout_ms (self->signal) +
          SETUP_RING_MARGIN_MS;
    case SL_CALL_STATE_SECURING:
      return SETUP_SECURING_MS;
    case SL_CALL_STATE_CONNECTING:
      return SETUP_CONNECTING_MS;
    default:
      return 0;
  }
}

static gboolean
on_setup_deadline (gpointer data)
{
  SlCall *self = data;
  SlCallError code = SL_CALL_ERROR_MEDIA;
  g_autofree char *message = NULL;

  self->setup_timer = 0;
  if (self->state == SL_CALL_STATE_INVITING)
    code = SL_CALL_ERROR_SERVER;
  else if (self->state == SL_CALL_STATE_RINGING)
    code = SL_CALL_ERROR_NO_ANSWER;
  else if (self->state == SL_CALL_STATE_SECURING) {
    /* Every handshake message goes through the server, which relays in
     * order: a missing one was withheld or dropped on the way. */
    sl_call_fail (self, SL_CALL_ERROR_SECURITY, "security", "The end-to-end "
        "key agreement did not complete: a set-up message was lost or "
        "withheld on the way");
    return G_SOURCE_REMOVE;
  }
  message = g_strdup_printf ("Call set-up timed out while %s",
      sl_call_state_to_string (self->state));
  sl_call_fail (self, code, "timeout", message);
  return G_SOURCE_REMOVE;
}

void
sl_call_set_state (SlCall * self, SlCallState state)
{
  guint deadline;

  if (self->state == state || self->state == SL_CALL_STATE_ENDED)
    return;
  self->state = state;
  g_clear_handle_id (&self->setup_timer, g_source_remove);
  deadline = set_up_deadline_ms (self, state);
  if (deadline > 0)
    self->setup_timer = g_timeout_add (deadline, on_setup_deadline, self);
  g_debug ("call %s: %s after %.1f ms", self->caller ? "caller" : "callee",
      sl_call_state_to_string (state),
      (g_get_monotonic_time () - self->created_us) / 1000.0);
  g_signal_emit (self, signals[SL_CALL_SIGNAL_STATE_CHANGED], 0, state);
}

/* Tells watchers (the network tests) that set-up reached @step: sent or
 * received "invite", "ringing", "accepted", "handshake", "offer",
 * "answer", "candidate".  Once per step and call. */
void
sl_call_step (SlCall * self, const char *step)
{
  if (self->state == SL_CALL_STATE_ENDED
      || g_hash_table_contains (self->steps, step))
    return;
  g_hash_table_add (self->steps, g_strdup (step));
  g_debug ("call %s: step %s after %.1f ms", self->caller ? "caller" :
      "callee", step, (g_get_monotonic_time () - self->created_us) / 1000.0);
  g_signal_emit (self, signals[SL_CALL_SIGNAL_STEP], 0, step);
}

/* Until the call is secured everything goes through the server: losing
 * it means the set-up cannot finish (the server forgets the call and
 * tells the peer).  A secured call is peer to peer and goes on. */
static void
on_signal_lost (SlSignalClient * signal, GError * why, SlCall * self)
{
  if (self->secured || self->state == SL_CALL_STATE_ENDED)
    return;
  sl_call_fail (self, SL_CALL_ERROR_SERVER, "error",
      "Lost the connection to the server during call set-up");
}

gboolean
sl_call_send_to_server (SlCall * self, const char *type, const char *member,
    const char *value)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_signalling_to_server, type);
  g_autoptr (GError) error = NULL;

  sl_message_set_string (msg, "call_id", self->call_id);
  if (member)
    sl_message_set_string (msg, member, value);
  if (!sl_signal_client_send (self->signal, msg, &error)) {
    g_debug ("cannot send %s: %s", type, error->message);
    return FALSE;
  }
  return TRUE;
}

static void
finish_end (SlCall * self)
{
  if (self->channel)
    sl_peer_channel_stop (self->channel);
  if (self->media) {
    sl_media_session_get_stats (self->media, &self->final_stats);
    self->have_final_stats = TRUE;
    g_signal_handlers_disconnect_by_data (self->media, self);
    g_signal_emit (self, signals[SL_CALL_SIGNAL_MEDIA_STOPPING], 0);
    sl_media_session_stop (self->media);
  }
  g_signal_emit (self, signals[SL_CALL_SIGNAL_ENDED], 0, self->error);
}

static gboolean
on_linger_done (gpointer data)
{
  SlCall *self = data;

  self->linger_source = 0;
  finish_end (self);
  return G_SOURCE_REMOVE;
}

/* Ends the call once: wipes every key at once, tells the peer when
 * @notify_peer, and tears the media down.  Takes @error (NULL: a normal
 * end).  A hang-up on the data channel needs a moment on the wire before
 * the pipeline goes, or it would die with it when the server is gone. */
void
sl_call_end (SlCall * self, GError * error, const char *reason,
    gboolean notify_peer)
{
  gboolean linger = FALSE;

  if (self->state == SL_CALL_STATE_ENDED) {
    g_clear_error (&error);
    return;
  }
  self->error = error;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->setup_timer, g_source_remove);
  g_clear_signal_handler (&self->signal_lost_handler, self->signal);

  if (notify_peer) {
    if (self->channel && sl_peer_channel_is_open (self->channel))
      linger = sl_peer_channel_send_hangup (self->channel, reason, NULL);
    if (self->state <= SL_CALL_STATE_RINGING && self->caller)
      sl_call_send_to_server (self, "cancel", NULL, NULL);
    else if (self->state <= SL_CALL_STATE_RINGING)
      sl_call_send_to_server (self, "reject", "reason", "declined");
    else
      sl_call_send_to_server (self, "hangup", "reason", reason);
  }

  if (self->media)
    g_signal_handlers_disconnect_by_data (self->media, self);
  if (self->channel)
    g_signal_handlers_disconnect_by_data (self->channel, self);
  if (self->handshake)
    sl_handshake_clear (self->handshake);
  if (self->session)
    sl_session_clear (self->session);
  g_clear_object (&self->session);
  sl_call_clear_outbox (self);
  g_clear_object (&self->handshake);
  g_clear_pointer (&self->reply, g_bytes_unref);
  g_clear_pointer (&self->held_confirm, g_bytes_unref);
  /* A retained secret not stored by now never is. */
  sl_peer_auth_clear (self->auth);

  self->state = SL_CALL_STATE_ENDED;
  g_signal_emit (self, signals[SL_CALL_SIGNAL_STATE_CHANGED], 0, self->state);
  if (linger)
    self->linger_source = g_timeout_add (200, on_linger_done, self);
  else
    finish_end (self);
}

void
sl_call_fail (SlCall * self, SlCallError code, const char *reason,
    const char *message)
{
  sl_call_end (self, g_error_new_literal (SL_CALL_ERROR, code, message),
      reason, TRUE);
}

/* Crypto errors become SECURITY errors with the crypto module's message,
 * which is written for users. */
void
sl_call_fail_crypto (SlCall * self, const GError * error)
{
  SlCallError code = SL_CALL_ERROR_SECURITY;

  if (g_error_matches (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INVALID_CODE))
    code = SL_CALL_ERROR_CONFIG;
  sl_call_fail (self, code, "security", error->message);
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

static SlCall *
call_new (SlSignalClient * signal, const SlMediaOptions * opts,
    const char *code)
{
  SlCall *self = g_object_new (SL_TYPE_CALL, NULL);
  const char *corrupt = NULL;

  self->signal = g_object_ref (signal);
  self->signal_lost_handler = g_signal_connect (signal, "disconnected",
      G_CALLBACK (on_signal_lost), self);
  self->opts = sl_media_options_copy (opts);
  self->code = g_strdup (code && *code ? code : NULL);
  self->created_us = g_get_monotonic_time ();
#ifdef SL_TEST_HOOKS
  corrupt = g_getenv ("SL_TEST_CORRUPT_RECORD");
  if (corrupt)
    self->corrupt_record = (guint) g_ascii_strtoull (corrupt, NULL, 10);
  self->corrupt_bind = g_getenv ("SL_TEST_CORRUPT_BINDING_MAC") != NULL;
  corrupt = g_getenv ("SL_TEST_RELAY_FAULT");
  if (g_strcmp0 (corrupt, "tamper-commit") == 0)
    self->relay_fault = SL_RELAY_FAULT_TAMPER_COMMIT;
  else if (g_strcmp0 (corrupt, "drop-confirm") == 0)
    self->relay_fault = SL_RELAY_FAULT_DROP_CONFIRM;
  else if (g_strcmp0 (corrupt, "reorder-confirm") == 0)
    self->relay_fault = SL_RELAY_FAULT_REORDER_CONFIRM;
#endif
  (void) corrupt;
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
  SlCall *self = call_new (signal, opts, code);

  self->caller = TRUE;
  self->call_id = sl_crypto_call_id_new ();
  self->peer_id = g_strdup (peer_id);
  return self;
}

/**
 * sl_call_new_incoming:
 * @signal: the connected signalling client
 * @opts: media options (copied)
 * @incoming: the server's `incoming` message
 * @code: (nullable): our security code
 * @error: set when the invite's Commit is not base64
 *
 * Returns: (transfer full) (nullable): a ringing call
 */
SlCall *
sl_call_new_incoming (SlSignalClient * signal, const SlMediaOptions * opts,
    SlMessage * incoming, const char *code, GError ** error)
{
  g_autoptr (SlCall) self = call_new (signal, opts, code);
  gsize len = 0;
  guint8 *commit;

  self->caller = FALSE;
  self->call_id = g_strdup (sl_message_get_string (incoming, "call_id"));
  self->peer_id = g_strdup (sl_message_get_string (sl_message_get_object
          (incoming, "from"), "id"));
  commit = g_base64_decode (sl_message_get_string (incoming, "hs"), &len);
  if (commit == NULL || len == 0) {
    g_free (commit);
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_PROTOCOL,
        "The invite carries no handshake");
    return NULL;
  }
  self->commit = g_bytes_new_take (commit, len);
  return g_steal_pointer (&self);
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

  g_set_object (&self->store, store);
  self->have_own_cert = own_cert_hash != NULL;
  if (own_cert_hash)
    memcpy (self->own_cert, own_cert_hash, SL_CERT_HASH_LEN);
  g_clear_object (&self->auth);
  self->auth = sl_peer_auth_new (store);
  g_signal_connect_swapped (self->auth, "changed",
      G_CALLBACK (sl_call_on_auth_changed), self);
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
  const char *local = sl_signal_client_get_device_id (self->signal);

  g_return_if_fail (SL_IS_CALL (self));

  if (self->caller) {
    /* With VP8 (no codec to agree on) the caller's media starts with the
     * call: camera, encoders and ICE gathering run while the peer rings.
     * The offer and candidates wait in the outbox for the keys; nothing
     * reaches the network before the peer has them. */
    if (self->opts->codec == SL_VIDEO_CODEC_VP8) {
      sl_call_start_media (self, SL_VIDEO_CODEC_VP8);
      if (self->state == SL_CALL_STATE_ENDED)
        return;
    }
  } else {
    sl_call_set_state (self, SL_CALL_STATE_RINGING);
    sl_call_send_to_server (self, "ringing", NULL, NULL);
    sl_call_step (self, "ringing");
  }
  sl_handshake_new_async (self->caller ? SL_ROLE_CALLER : SL_ROLE_CALLEE,
      self->call_id, local ? local : "", self->peer_id, self->code,
      self->cancellable, sl_call_on_handshake_ready, g_object_ref (self));
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
  g_autoptr (GBytes) reply = NULL;
  g_autofree char *b64 = NULL;

  g_return_if_fail (SL_IS_CALL (self));

  if (self->caller || self->state != SL_CALL_STATE_RINGING)
    return;
  if (self->reply == NULL) {
    /* The handshake is still being built. */
    self->accept_pending = TRUE;
    return;
  }
  reply = g_steal_pointer (&self->reply);
  b64 = g_base64_encode (g_bytes_get_data (reply, NULL),
      g_bytes_get_size (reply));
  if (!sl_call_send_to_server (self, "accept", "hs", b64)) {
    sl_call_fail (self, SL_CALL_ERROR_SERVER, "error",
        "Lost the server while answering");
    return;
  }
  sl_call_step (self, "accepted");
  sl_call_set_state (self, SL_CALL_STATE_SECURING);
  /* Build the pipeline while Reveal is on its way. */
  sl_call_make_media (self, SL_VIDEO_CODEC_VP8);
}

/**
 * sl_call_reject:
 * @self: a ringing incoming call
 */
void
sl_call_reject (SlCall * self)
{
  g_return_if_fail (SL_IS_CALL (self));

  sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
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
    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_CANCELLED, "You cancelled the call before it was "
            "set up"), "normal", TRUE);
  else
    sl_call_end (self, NULL, "normal", TRUE);
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
  if (!self->secured || self->state == SL_CALL_STATE_ENDED) {
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_MEDIA,
        "Chat is available once the call is secured");
    return FALSE;
  }
  return sl_peer_channel_send_chat (self->channel, text, out_id, error);
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
  return self->sas;
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
  return self->auth;
}

/* The media was bound to the keys at some point. */
gboolean
sl_call_was_secured (SlCall * self)
{
  return self->secured;
}

/* ... and the peer was authenticated at some point. */
gboolean
sl_call_was_verified (SlCall * self)
{
  return self->verified;
}

gint64
sl_call_get_created_us (SlCall * self)
{
  return self->created_us;
}

gint64
sl_call_get_secured_us (SlCall * self)
{
  return self->secured ? self->secured_us : -1;
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
  if (self->have_final_stats) {
    *out = self->final_stats;
    out->codec = g_strdup (self->final_stats.codec);
    return TRUE;
  }
  if (self->media == NULL)
    return FALSE;
  sl_media_session_get_stats (self->media, out);
  return TRUE;
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

  out->local_type = self->ice_local_type;
  out->remote_type = self->ice_remote_type;
  memcpy (out->sent, self->ice_sent, sizeof out->sent);
  memcpy (out->received, self->ice_received, sizeof out->received);
}

static void
sl_call_dispose (GObject * object)
{
  SlCall *self = SL_CALL (object);

  if (self->state != SL_CALL_STATE_ENDED)
    sl_call_end (self, NULL, "normal", self->signal != NULL);
  if (self->linger_source) {
    g_clear_handle_id (&self->linger_source, g_source_remove);
    finish_end (self);
  }
  g_clear_handle_id (&self->setup_timer, g_source_remove);
  g_clear_signal_handler (&self->signal_lost_handler, self->signal);
  g_clear_object (&self->channel);
  g_clear_object (&self->media);
  g_clear_object (&self->signal);
  if (self->auth)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sl_call_parent_class)->dispose (object);
}

static void
sl_call_finalize (GObject * object)
{
  SlCall *self = SL_CALL (object);

  g_clear_pointer (&self->opts, sl_media_options_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->commit, g_bytes_unref);
  g_clear_pointer (&self->peer_mac, g_bytes_unref);
  sl_media_stats_clear (&self->final_stats);
  g_object_unref (self->cancellable);
  g_free (self->call_id);
  g_free (self->peer_id);
  if (self->code)
    sl_crypto_wipe ("security code copy", self->code, strlen (self->code));
  g_free (self->code);
  g_free (self->sas);
  g_hash_table_unref (self->steps);
  g_free (self->ice_local_type);
  g_free (self->ice_remote_type);

  G_OBJECT_CLASS (sl_call_parent_class)->finalize (object);
}

static void
sl_call_class_init (SlCallClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_call_dispose;
  object_class->finalize = sl_call_finalize;

  signals[SL_CALL_SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT);
  /* (sas) the short authentication string to compare aloud. */
  signals[SL_CALL_SIGNAL_SAS] = g_signal_new ("sas", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The media is bound to the keys: frames are shown, chat works.  The
   * peer may not be authenticated: see the state and sl_call_get_auth(). */
  signals[SL_CALL_SIGNAL_SECURED] = g_signal_new ("secured",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SL_CALL_SIGNAL_FIRST_FRAME] = g_signal_new ("first-frame",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SL_CALL_SIGNAL_CHAT] =
      g_signal_new ("chat", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[SL_CALL_SIGNAL_CHAT_ACKED] =
      g_signal_new ("chat-acked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (GError or NULL) emitted once, after keys are wiped and media torn
   * down. */
  signals[SL_CALL_SIGNAL_ENDED] =
      g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* (step) set-up reached a step; see sl_call_step(). */
  signals[SL_CALL_SIGNAL_STEP] =
      g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (role) -> GstElement (transfer floating, nullable): the call builds
   * its media and asks the program for elements of its own: "display" (a
   * bin with a ghost sink pad "video" and optionally "camera" and "audio",
   * see SlMediaElements), "video-source", "audio-source" (bins with a
   * ghost src pad of raw media).  The first handler that returns one
   * wins; none means the media options' sources and sinks. */
  signals[SL_CALL_SIGNAL_CREATE_ELEMENT] =
      g_signal_new ("create-element", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, first_element, NULL, NULL, GST_TYPE_ELEMENT, 1,
      G_TYPE_STRING);
  /* The call's pipeline is about to stop (it still runs): a display's last
   * chance to take a picture or end its outputs. */
  signals[SL_CALL_SIGNAL_MEDIA_STOPPING] =
      g_signal_new ("media-stopping", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sl_call_init (SlCall * self)
{
  self->cancellable = g_cancellable_new ();
  self->state = SL_CALL_STATE_PREPARING;
  self->steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->auth = sl_peer_auth_new (NULL);
  g_signal_connect_swapped (self->auth, "changed",
      G_CALLBACK (sl_call_on_auth_changed), self);
}
