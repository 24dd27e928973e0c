/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The media half of a call: the session's SDP and candidates go out as
 * sealed records, the DTLS fingerprints are bound to the handshake with a
 * MAC on the data channel (then the call is secured), the users' SAS
 * answers travel on the data channel (then, with both confirmed, it is
 * verified), and the data channel's chat, hang-up and heartbeat reach the
 * call.  Which ICE pair carries the media and which candidate types were
 * exchanged is kept for diagnostics and the network tests (relay-only
 * must never send anything but relay candidates).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-private.h"
#include "media/sl-media-transport.h"
#include "sl-peer-messages.h"

static void
on_local_description (SlMediaSession * media, const char *type,
    const char *sdp, SlCall * self)
{
  sl_call_seal_and_send (self, g_str_equal (type, "offer") ?
      SL_WIRE_RECORD_SDP_OFFER : SL_WIRE_RECORD_SDP_ANSWER, sdp);
}

/* Index into SlCallIceInfo's counters; -1 for an unknown type. */
int
sl_call_ice_type_index (const char *type)
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
    const char *candidate, SlCall * self)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_record_family,
      "candidate");
  g_autofree char *text = NULL;
  const char *type = sl_ice_candidate_type (candidate);
  int index = sl_call_ice_type_index (type);

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
    sl_call_seal_and_send (self, SL_WIRE_RECORD_ICE_CANDIDATE, text);
}

static void
fingerprints (SlCall * self, const char **caller_fp, const char **callee_fp)
{
  const char *local = sl_media_session_get_local_fingerprint (self->media);
  const char *remote = sl_media_session_get_remote_fingerprint (self->media);

  *caller_fp = self->caller ? local : remote;
  *callee_fp = self->caller ? remote : local;
}

static void
on_ice_pair (const char *local_type, const char *remote_type,
    gpointer user_data)
{
  SlCall *self = user_data;

  g_free (self->ice_local_type);
  g_free (self->ice_remote_type);
  self->ice_local_type = g_strdup (local_type);
  self->ice_remote_type = g_strdup (remote_type);
  g_debug ("call %s: media on a %s-%s candidate pair",
      self->caller ? "caller" : "callee", local_type ? local_type : "?",
      remote_type ? remote_type : "?");
}

/* Secured, and the peer authenticated: verified (once). */
void
sl_call_on_auth_changed (SlCall * self)
{
  if (!self->secured || self->verified || self->state == SL_CALL_STATE_ENDED
      || !sl_peer_auth_is_verified (self->auth))
    return;
  self->verified = TRUE;
  sl_call_set_state (self, SL_CALL_STATE_VERIFIED);
}

static void
send_sas_answer (SlCall * self)
{
  if (!self->sas_answer_pending || !self->bind_sent)
    return;
  self->sas_answer_pending = !sl_peer_channel_send_sas (self->channel, TRUE,
      NULL);
}

static void
try_verify (SlCall * self)
{
  const char *caller_fp, *callee_fp;
  g_autoptr (GError) error = NULL;

  if (!self->dtls_ok || self->channel == NULL
      || !sl_peer_channel_is_open (self->channel) || self->secured)
    return;
  fingerprints (self, &caller_fp, &callee_fp);
  if (!self->bind_sent) {
    guint8 mac[SL_DTLS_BINDING_MAC_LEN];

    sl_session_dtls_binding_mac (self->session, self->caller, caller_fp,
        callee_fp, mac);
    self->bind_sent = sl_peer_channel_send_bind (self->channel, mac,
        sizeof mac, NULL);
    sl_crypto_wipe ("binding mac copy", mac, sizeof mac);
  }
  if (self->peer_mac == NULL)
    return;
  if (!sl_session_dtls_binding_verify (self->session, !self->caller,
          caller_fp, callee_fp, g_bytes_get_data (self->peer_mac, NULL),
          g_bytes_get_size (self->peer_mac), &error)) {
    sl_call_fail (self, SL_CALL_ERROR_SECURITY, "security",
        "The media connection is not bound to this call's keys: someone "
        "may be intercepting the call");
    return;
  }
  self->secured = TRUE;
  self->secured_us = g_get_monotonic_time ();
  sl_media_session_open_gates (self->media);
  sl_call_emit (self, SL_CALL_SIGNAL_SECURED);
  /* Straight to verified with a code, key continuity or a SAS both users
   * confirmed already. */
  self->verified = sl_peer_auth_is_verified (self->auth);
  sl_call_set_state (self, self->verified ? SL_CALL_STATE_VERIFIED :
      SL_CALL_STATE_SECURED);
  sl_media_session_query_pair (self->media, on_ice_pair, g_object_ref (self),
      g_object_unref);
  send_sas_answer (self);
  sl_peer_auth_media_bound (self->auth);
}

static void
on_dtls_verified (SlMediaSession * media, SlCall * self)
{
  g_debug ("call %s: DTLS fingerprint checked after %.1f ms",
      self->caller ? "caller" : "callee",
      (g_get_monotonic_time () - self->created_us) / 1000.0);
  self->dtls_ok = TRUE;
  try_verify (self);
}

static void
on_channel_open (SlPeerChannel * channel, SlCall * self)
{
  g_debug ("call %s: data channel open after %.1f ms",
      self->caller ? "caller" : "callee",
      (g_get_monotonic_time () - self->created_us) / 1000.0);
  try_verify (self);
}

static void
on_peer_bind (SlPeerChannel * channel, GBytes * mac, SlCall * self)
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

/* The peer's user answered the SAS question (data channel or sealed
 * record). */
void
sl_call_on_peer_sas (SlCall * self, gboolean match)
{
  if (self->state == SL_CALL_STATE_ENDED)
    return;
  if (!match) {
    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_SECURITY, "The other user reported that the SAS "
            "do not match: someone may be intercepting the call"),
        "sas-mismatch", FALSE);
    return;
  }
  sl_peer_auth_confirm_sas (self->auth, TRUE);
}

static void
on_channel_sas (SlPeerChannel * channel, gboolean match, SlCall * self)
{
  sl_call_on_peer_sas (self, match);
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

  if (self->sas == NULL || self->state == SL_CALL_STATE_ENDED) {
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_CONFIG,
        "There is no SAS to compare yet");
    return FALSE;
  }
  if (!match) {
    g_autoptr (SlMessage) msg = sl_message_new (&sl_peer_record_family, "sas");
    g_autofree char *text = NULL;

    /* Sealed through the server too, in case the data channel is gone. */
    sl_message_set_string (msg, "result", "wrong");
    text = sl_message_to_json (msg, NULL, NULL);
    if (text && self->session)
      sl_call_seal_and_send (self, SL_WIRE_RECORD_CONTROL, text);
    /* And on the data channel, as the hang-up's reason. */
    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_SECURITY, "You reported that the SAS do not "
            "match: someone may be intercepting the call"), "sas-mismatch",
        TRUE);
    return TRUE;
  }
  if (sl_peer_auth_sas_confirmed (self->auth, FALSE))
    return TRUE;
  self->sas_answer_pending = TRUE;
  send_sas_answer (self);
  sl_peer_auth_confirm_sas (self->auth, FALSE);
  return TRUE;
}

/* A media error as the call's outcome: the same failure, in the call's
 * terms. */
SlCallError
sl_call_code_from_media (const GError * error)
{
  if (error->domain != SL_MEDIA_ERROR)
    return SL_CALL_ERROR_MEDIA;
  switch (error->code) {
    case SL_MEDIA_ERROR_CONFIG:
      return SL_CALL_ERROR_CONFIG;
    case SL_MEDIA_ERROR_SECURITY:
      return SL_CALL_ERROR_SECURITY;
    case SL_MEDIA_ERROR_PROTOCOL:
      return SL_CALL_ERROR_PROTOCOL;
    default:
      return SL_CALL_ERROR_MEDIA;
  }
}

static void
on_media_failed (SlMediaSession * media, GError * error, SlCall * self)
{
  SlCallError code = sl_call_code_from_media (error);

  sl_call_fail (self, code, code == SL_CALL_ERROR_SECURITY ? "security" :
      "media", error->message);
}

static void
on_first_frame (SlMediaSession * media, gint64 when, SlCall * self)
{
  g_debug ("call %s: first frame after %.1f ms",
      self->caller ? "caller" : "callee", (when - self->created_us) / 1000.0);
  sl_call_emit (self, SL_CALL_SIGNAL_FIRST_FRAME, when);
}

static void
on_chat (SlPeerChannel * channel, gint64 id, const char *text, SlCall * self)
{
  sl_call_emit (self, SL_CALL_SIGNAL_CHAT, id, text);
}

static void
on_chat_acked (SlPeerChannel * channel, gint64 id, SlCall * self)
{
  sl_call_emit (self, SL_CALL_SIGNAL_CHAT_ACKED, id);
}

void
sl_call_on_peer_hangup (SlPeerChannel * channel, const char *reason,
    SlCall * self)
{
  if (g_strcmp0 (reason, "sas-mismatch") == 0)
    sl_call_on_peer_sas (self, FALSE);
  else if (g_strcmp0 (reason, "security") == 0)
    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_SECURITY, "The other device ended the call: it "
            "could not verify the call's security"), reason, FALSE);
  else if (g_strcmp0 (reason, "peer-lost") == 0)
    /* The peer's heartbeat noticed first and told us through the server:
     * the media path is gone both ways. */
    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_PEER_LOST, "The other device lost the media "
            "connection"), reason, FALSE);
  else if (g_strcmp0 (reason, "media") == 0)
    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_MEDIA, "The other device's media failed"),
        reason, FALSE);
  else if (g_strcmp0 (reason, "timeout") == 0
      && self->state < SL_CALL_STATE_SECURED)
    /* Its set-up deadline fired first (e.g. a very lossy path): the call
     * never worked, which is no "call completed" here either. */
    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_MEDIA, "The other device gave up: the call "
            "could not be set up in time"), reason, FALSE);
  else if (self->state < SL_CALL_STATE_SECURED)
    /* Its user hung up (or cancelled) before the call was set up. */
    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
            SL_CALL_ERROR_NO_ANSWER, "The other device hung up before the "
            "call was set up"), reason, FALSE);
  else
    sl_call_end (self, NULL, reason, FALSE);
}

static void
on_peer_lost (SlPeerChannel * channel, SlCall * self)
{
  sl_call_fail (self, SL_CALL_ERROR_PEER_LOST, "peer-lost",
      sl_peer_channel_was_suspected (channel) ? "The other device stopped "
      "answering after the server lost its connection" : "The other device "
      "stopped answering");
}

gboolean
sl_call_make_media (SlCall * self, SlVideoCodec codec)
{
  g_autoptr (SlMediaOptions) opts = sl_media_options_copy (self->opts);
  g_autoptr (GError) error = NULL;
  SlMediaElements elements = { NULL, };
  char **turn = sl_signal_client_get_turn_servers (self->signal);

  if (self->media)
    return TRUE;
  if (opts->turn_servers == NULL && turn != NULL)
    opts->turn_servers = g_strdupv (turn);
  /* The program's own display and captures, if it brings any. */
  sl_call_emit (self, SL_CALL_SIGNAL_CREATE_ELEMENT, "display",
      &elements.display);
  sl_call_emit (self, SL_CALL_SIGNAL_CREATE_ELEMENT, "video-source",
      &elements.video_source);
  sl_call_emit (self, SL_CALL_SIGNAL_CREATE_ELEMENT, "audio-source",
      &elements.audio_source);
  self->media = sl_media_session_new_full (opts, self->caller, codec,
      &elements, &error);
  if (self->media == NULL) {
    sl_call_fail (self, sl_call_code_from_media (error), "media",
        error->message);
    return FALSE;
  }
  sl_media_session_enable_recovery (self->media);
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
      (self->media), HEARTBEAT_MS,
      HEARTBEAT_DEADLINE_MS * sl_call_test_scale ());
  g_signal_connect (self->channel, "open", G_CALLBACK (on_channel_open), self);
  g_signal_connect (self->channel, "bind", G_CALLBACK (on_peer_bind), self);
  g_signal_connect (self->channel, "sas", G_CALLBACK (on_channel_sas), self);
  g_signal_connect (self->channel, "chat", G_CALLBACK (on_chat), self);
  g_signal_connect (self->channel, "chat-acked", G_CALLBACK (on_chat_acked),
      self);
  g_signal_connect (self->channel, "hangup",
      G_CALLBACK (sl_call_on_peer_hangup), self);
  g_signal_connect (self->channel, "peer-lost", G_CALLBACK (on_peer_lost),
      self);
  return TRUE;
}

void
sl_call_start_media (SlCall * self, SlVideoCodec codec)
{
  g_autoptr (GError) error = NULL;

  if (self->media_started)
    return;
  if (!sl_call_make_media (self, codec))
    return;
  self->media_started = TRUE;
  if (!sl_media_session_start (self->media, &error))
    sl_call_fail (self, sl_call_code_from_media (error), "media",
        error->message);
}
