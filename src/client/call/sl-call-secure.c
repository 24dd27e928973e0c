/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What reaches a call through the server: call control (ringing,
 * accepted, rejected, hang-up...), the end-to-end handshake messages
 * (Commit, Reply, Reveal, Confirm, Alert) and the sealed records that
 * carry SDP, ICE candidates, the callee's hello and SAS answers once the
 * handshake is complete.  Any handshake message or record that fails to
 * open or verify, or comes out of order, ends the call on both sides as a
 * security failure.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-private.h"
#include "sightline/sl-call-error.h"
#include "media/sl-media-transport.h"
#include "sl-peer-messages.h"
#include "sl-signalling.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Sealed records                                                       */

void
sl_call_relay_blob (SlCall * self, GBytes * blob)
{
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (blob, NULL),
      g_bytes_get_size (blob));

  sl_call_send_to_server (self, "relay", "blob", b64);
}

typedef struct
{
  SlWireType type;
  char *text;
} PendingRecord;

static void
pending_record_free (gpointer data)
{
  PendingRecord *p = data;

  sl_crypto_wipe ("pending record", p->text, strlen (p->text));
  g_free (p->text);
  g_free (p);
}

/* Wipes what was never sent. */
void
sl_call_clear_outbox (SlCall * self)
{
  g_clear_pointer (&self->outbox, g_ptr_array_unref);
}

void
sl_call_seal_and_send (SlCall * self, SlWireType type, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) record = NULL;
  gsize len = strlen (text);
  guint8 *plain;

  if (self->session == NULL && self->state < SL_CALL_STATE_CONNECTING) {
    /* The caller's media starts with the call; what it says to the peer
     * waits here until the keys exist. */
    PendingRecord *p = g_new0 (PendingRecord, 1);

    p->type = type;
    p->text = g_strdup (text);
    if (self->outbox == NULL)
      self->outbox = g_ptr_array_new_with_free_func (pending_record_free);
    g_ptr_array_add (self->outbox, p);
    return;
  }
  plain = g_memdup2 (text, len);
  if (self->session == NULL) {
    g_free (plain);
    sl_call_fail (self, SL_CALL_ERROR_PROTOCOL, "error",
        "Tried to send a sealed message before the keys were agreed");
    return;
  }
  record = sl_session_seal (self->session, type, plain, len, &error);
  g_free (plain);               /* already wiped by sl_session_seal */
  if (record == NULL) {
    sl_call_fail_crypto (self, error);
    return;
  }
  self->records_sent++;
#ifdef SL_TEST_HOOKS
  /* Test hook: act as a relay that alters one sealed record. */
  if (self->corrupt_record == self->records_sent) {
    gsize size = 0;
    guint8 *bytes = g_bytes_unref_to_data (g_steal_pointer (&record), &size);

    bytes[size - 1] ^= 0x01;
    record = g_bytes_new_take (bytes, size);
  }
#endif
  sl_call_relay_blob (self, record);
  if (type == SL_WIRE_RECORD_SDP_OFFER)
    sl_call_step (self, "offer");
  else if (type == SL_WIRE_RECORD_SDP_ANSWER)
    sl_call_step (self, "answer");
  else if (type == SL_WIRE_RECORD_ICE_CANDIDATE)
    sl_call_step (self, "candidate");
}

void
sl_call_send_hello (SlCall * self)
{
  g_autoptr (SlMessage) hello = sl_message_new (&sl_peer_record_family,
      "hello");
  g_autofree char *text = NULL;

  sl_message_append_string (hello, "codecs", "vp8");
  if (sl_video_codec_available (SL_VIDEO_CODEC_H264))
    sl_message_append_string (hello, "codecs", "h264");
  text = sl_message_to_json (hello, NULL, NULL);
  if (text)
    sl_call_seal_and_send (self, SL_WIRE_RECORD_CONTROL, text);
}

/* ------------------------------------------------------------------ */
/* Handshake                                                            */

static void
handshake_complete (SlCall * self)
{
  self->session = sl_handshake_take_session (self->handshake);
  self->sas = g_strdup (sl_handshake_get_sas (self->handshake));
  sl_peer_auth_keys_agreed (self->auth,
      sl_handshake_uses_code (self->handshake),
      sl_handshake_get_continuity (self->handshake),
      sl_handshake_take_continuity_update (self->handshake));
  sl_handshake_clear (self->handshake);
  sl_call_set_state (self, SL_CALL_STATE_CONNECTING);
  sl_call_emit (self, SL_CALL_SIGNAL_SAS, self->sas);

  if (self->outbox) {
    g_autoptr (GPtrArray) outbox = g_steal_pointer (&self->outbox);
    guint i;

    for (i = 0; i < outbox->len && self->session; i++) {
      PendingRecord *p = g_ptr_array_index (outbox, i);

      sl_call_seal_and_send (self, p->type, p->text);
    }
  }

  if (!self->caller) {
    sl_call_send_hello (self);
#ifdef SL_TEST_HOOKS
    /* Test hook: a relay that delivers the Confirm after a record. */
    if (self->held_confirm)
      sl_call_relay_blob (self, self->held_confirm);
    g_clear_pointer (&self->held_confirm, g_bytes_unref);
#endif
    sl_call_start_media (self, SL_VIDEO_CODEC_VP8);
  } else if (self->opts->codec == SL_VIDEO_CODEC_VP8) {
    /* H.264 needs the callee's hello first; VP8 does not wait. */
    sl_call_start_media (self, SL_VIDEO_CODEC_VP8);
  }
}

void
sl_call_process_handshake (SlCall * self, GBytes * message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) reply = NULL;

  if (self->handshake == NULL) {
    sl_call_fail (self, SL_CALL_ERROR_PROTOCOL, "error",
        "A handshake message arrived after the handshake");
    return;
  }
  if (!sl_handshake_process (self->handshake, message, &reply, &error)) {
    if (reply)
      sl_call_relay_blob (self, reply);
    sl_call_fail_crypto (self, error);
    return;
  }
  if (reply) {
    sl_call_step (self, "handshake");
#ifdef SL_TEST_HOOKS
    /* Test hook: a relay that drops or delays the callee's Confirm. */
    if (!self->caller && self->relay_fault == SL_RELAY_FAULT_REORDER_CONFIRM)
      self->held_confirm = g_bytes_ref (reply);
    if (!self->caller && self->relay_fault != SL_RELAY_FAULT_NONE)
      g_clear_pointer (&reply, g_bytes_unref);
#endif
    if (reply)
      sl_call_relay_blob (self, reply);
  }
  if (sl_handshake_is_complete (self->handshake))
    handshake_complete (self);
}

static void
handle_record (SlCall * self, GBytes * record)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (SlMessage) msg = NULL;
  g_autofree char *text = NULL;
  SlWireType type = 0;
  gsize len = 0;
  const char *data;

  if (self->session == NULL) {
    /* The server relays in order and the peer seals nothing before its
     * handshake is complete: a record now means a handshake message was
     * dropped or held back on the way. */
    sl_call_fail (self, SL_CALL_ERROR_SECURITY, "security",
        "A sealed message arrived before the end-to-end keys were agreed: "
        "the call set-up was cut short or reordered on the way (someone may "
        "be interfering with the call)");
    return;
  }
  plain = sl_session_open (self->session, record, &type, &error);
  if (plain == NULL) {
    sl_call_fail_crypto (self, error);
    return;
  }
  data = g_bytes_get_data (plain, &len);
  if (memchr (data, '\0', len) != NULL) {
    sl_call_fail (self, SL_CALL_ERROR_PROTOCOL, "error",
        "The other device sent a malformed sealed message");
    return;
  }
  text = g_strndup (data, len);

  switch (type) {
    case SL_WIRE_RECORD_SDP_OFFER:
    case SL_WIRE_RECORD_SDP_ANSWER:
      if ((type == SL_WIRE_RECORD_SDP_OFFER) != !self->caller) {
        sl_call_fail (self, SL_CALL_ERROR_PROTOCOL, "error",
            "The other device sent a session description out of turn");
        break;
      }
      sl_call_step (self, type == SL_WIRE_RECORD_SDP_OFFER ? "offer" :
          "answer");
      if (!self->caller)
        sl_call_start_media (self, SL_VIDEO_CODEC_VP8);
      if (self->media && !sl_media_session_set_remote_description (self->media,
              text, &error))
        sl_call_fail (self, sl_call_code_from_media (error),
            error->domain == SL_MEDIA_ERROR
            && error->code == SL_MEDIA_ERROR_SECURITY ? "security" : "media",
            error->message);
      break;
    case SL_WIRE_RECORD_ICE_CANDIDATE:
      msg = sl_protocol_parse (&sl_peer_record_family, text, len, &error);
      if (msg && g_str_equal (sl_message_get_type_name (msg), "candidate")) {
        int index = sl_call_ice_type_index (sl_ice_candidate_type
            (sl_message_get_string (msg, "candidate")));

        if (index >= 0)
          self->ice_received[index]++;
        sl_call_step (self, "candidate");
      }
      if (msg == NULL || !g_str_equal (sl_message_get_type_name (msg),
              "candidate") || self->media == NULL
          || !sl_media_session_add_remote_candidate (self->media,
              sl_message_get_int (msg, "mline"),
              sl_message_get_string (msg, "candidate"), &error))
        g_info ("ignored an ICE candidate: %s",
            error ? error->message : "out of place");
      break;
    case SL_WIRE_RECORD_CONTROL:
      msg = sl_protocol_parse (&sl_peer_record_family, text, len, &error);
      if (msg && g_str_equal (sl_message_get_type_name (msg), "sas")) {
        sl_call_on_peer_sas (self, g_str_equal (sl_message_get_string (msg,
                    "result"), "ok"));
      } else if (msg && self->caller && !self->media_started
          && g_str_equal (sl_message_get_type_name (msg), "hello")) {
        SlVideoCodec codec = SL_VIDEO_CODEC_VP8;
        guint i;

        for (i = 0; i < sl_message_get_array_length (msg, "codecs"); i++) {
          if (g_str_equal (sl_message_get_array_string (msg, "codecs", i),
                  "h264") && sl_video_codec_available (SL_VIDEO_CODEC_H264))
            codec = SL_VIDEO_CODEC_H264;
        }
        sl_call_start_media (self, codec);
      }
      break;
    default:
      g_info ("ignored a sealed record of type %u", type);
      break;
  }
  sl_crypto_wipe ("opened record copy", text, len);
}

void
sl_call_on_relay (SlCall * self, const char *b64)
{
  gsize len = 0;
  g_autofree guint8 *raw = g_base64_decode (b64, &len);
  g_autoptr (GBytes) blob = NULL;

  if (raw == NULL || len < 2) {
    sl_call_fail (self, SL_CALL_ERROR_PROTOCOL, "error",
        "The other device sent an empty message");
    return;
  }
  blob = g_bytes_new (raw, len);
  if (raw[1] < 0x10) {
    sl_call_step (self, "handshake");
    sl_call_process_handshake (self, blob);
  } else
    handle_record (self, blob);
}

/* The callee refused the Commit.  The server knows only "declined" or
 * "busy" for a call that is not answered, so the refusal is an answer:
 * the Alert travels as our Reply (the caller's handshake reports it as
 * the security failure it is), then the call is hung up. */
static void
refuse_commit (SlCall * self, GBytes * alert, const GError * error)
{
  g_autofree char *b64 = NULL;

  if (alert) {
    b64 = g_base64_encode (g_bytes_get_data (alert, NULL),
        g_bytes_get_size (alert));
    if (sl_call_send_to_server (self, "accept", "hs", b64))
      sl_call_set_state (self, SL_CALL_STATE_SECURING);
  }
  sl_call_fail_crypto (self, error);
}

void
sl_call_on_handshake_ready (GObject * source, GAsyncResult * result,
    gpointer user_data)
{
  SlCall *self = user_data;
  g_autoptr (GError) error = NULL;
  SlHandshake *hs = sl_handshake_new_finish (result, &error);

  if (hs == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      sl_call_fail_crypto (self, error);
    g_object_unref (self);
    return;
  }
  if (self->state == SL_CALL_STATE_ENDED) {
    sl_handshake_clear (hs);
    g_object_unref (hs);
    g_object_unref (self);
    return;
  }
  self->handshake = hs;
  sl_handshake_set_continuity (hs, self->store, self->have_own_cert ?
      self->own_cert : NULL);
  if (self->caller) {
    g_autoptr (GBytes) commit = sl_handshake_start (hs, &error);
    g_autoptr (SlMessage) invite = NULL;

#ifdef SL_TEST_HOOKS
    /* Test hook: a relay that alters the Commit (an option bit). */
    if (commit && self->relay_fault == SL_RELAY_FAULT_TAMPER_COMMIT) {
      gsize size = 0;
      guint8 *bytes = g_bytes_unref_to_data (g_steal_pointer (&commit), &size);

      bytes[18] ^= 0x40;
      commit = g_bytes_new_take (bytes, size);
    }
#endif
    if (commit == NULL) {
      sl_call_fail_crypto (self, error);
    } else {
      invite = sl_message_new (&sl_signalling_to_server, "invite");
      sl_message_set_string (invite, "call_id", self->call_id);
      sl_message_set_string (invite, "to", self->peer_id);
      sl_message_take_string (invite, "hs",
          g_base64_encode (g_bytes_get_data (commit, NULL),
              g_bytes_get_size (commit)));
      if (!sl_signal_client_send (self->signal, invite, &error)) {
        sl_call_fail (self, SL_CALL_ERROR_SERVER, "error", error->message);
      } else {
        sl_call_set_state (self, SL_CALL_STATE_INVITING);
        sl_call_step (self, "invite");
      }
    }
  } else {
    /* The Commit is checked now, not when the user answers: a refused one
     * is a security failure for both devices, not a declined call. */
    g_autoptr (GBytes) out = NULL;

    if (!sl_handshake_process (hs, self->commit, &out, &error)) {
      refuse_commit (self, out, error);
    } else {
      self->reply = g_steal_pointer (&out);
      if (self->accept_pending)
        sl_call_accept (self);
    }
  }
  g_object_unref (self);
}

/* ------------------------------------------------------------------ */
/* Call messages from the server                                        */

static SlCallError
reason_error (const char *type, const char *reason, const char **text)
{
  if (g_str_equal (type, "busy") || g_strcmp0 (reason, "busy") == 0) {
    *text = "The other device is busy in another call";
    return SL_CALL_ERROR_BUSY;
  }
  if (g_str_equal (type, "rejected")) {
    *text = "The other device declined the call";
    return SL_CALL_ERROR_REJECTED;
  }
  if (g_str_equal (type, "timeout")) {
    *text = "Nobody answered";
    return SL_CALL_ERROR_NO_ANSWER;
  }
  *text = "The caller gave up before the call was answered";
  return SL_CALL_ERROR_NO_ANSWER;
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
  const char *text;

  if (!sl_message_has_member (msg, "call_id")
      || g_strcmp0 (sl_message_get_string (msg, "call_id"), self->call_id) != 0)
    return FALSE;
  if (self->state == SL_CALL_STATE_ENDED)
    return TRUE;

  if (g_str_equal (type, "relay")) {
    sl_call_on_relay (self, sl_message_get_string (msg, "blob"));
  } else if (g_str_equal (type, "ringing")) {
    sl_call_step (self, "ringing");
    sl_call_set_state (self, SL_CALL_STATE_RINGING);
  } else if (g_str_equal (type, "accepted") && self->caller) {
    gsize len = 0;
    g_autofree guint8 *raw = g_base64_decode (sl_message_get_string (msg,
            "hs"), &len);
    g_autoptr (GBytes) reply = g_bytes_new (raw, len);

    sl_call_step (self, "accepted");
    sl_call_set_state (self, SL_CALL_STATE_SECURING);
    sl_call_process_handshake (self, reply);
  } else if (g_str_equal (type, "rejected") || g_str_equal (type, "busy")
      || g_str_equal (type, "timeout") || g_str_equal (type, "cancelled")) {
    /* Only `rejected` has a reason (declined or busy). */
    SlCallError code = reason_error (type, g_str_equal (type, "rejected") ?
        sl_message_get_string (msg, "reason") : NULL, &text);

    sl_call_end (self, g_error_new_literal (SL_CALL_ERROR, code, text), type,
        FALSE);
  } else if (g_str_equal (type, "hangup")) {
    sl_call_on_peer_hangup (NULL, sl_message_get_string (msg, "reason"), self);
  } else if (g_str_equal (type, "peer-gone")) {
    /* The peer lost the server, not necessarily us: a verified call goes
     * on and the heartbeat decides, with a short deadline now that the
     * peer may well be dead. */
    if (!self->secured)
      sl_call_fail (self, SL_CALL_ERROR_PEER_LOST, "peer-lost",
          "The other device disconnected");
    else if (self->channel)
      sl_peer_channel_suspect (self->channel, PEER_GONE_DEADLINE_MS);
  } else if (g_str_equal (type, "error")) {
    const char *code = sl_message_get_string (msg, "code");

    if (self->state > SL_CALL_STATE_RINGING)
      g_info ("server error in call: %s", code);
    else if (g_strcmp0 (code, SL_SIGNALLING_ERROR_OFFLINE) == 0)
      sl_call_end (self, g_error_new_literal (SL_CALL_ERROR,
              SL_CALL_ERROR_NO_ANSWER, "The other device is not online"),
          "offline", FALSE);
    else if (g_strcmp0 (code, "self-call") == 0
        || g_strcmp0 (code, "bad-member") == 0)
      /* Our own request was wrong: a usage error, not the server. */
      sl_call_end (self, g_error_new (SL_CALL_ERROR, SL_CALL_ERROR_CONFIG,
              "The server refused the call: %s",
              sl_message_get_string (msg, "message")), "error", FALSE);
    else
      sl_call_end (self, g_error_new (SL_CALL_ERROR, SL_CALL_ERROR_SERVER,
              "The server refused the call: %s",
              sl_message_get_string (msg, "message")), "error", FALSE);
  }
  return TRUE;
}
