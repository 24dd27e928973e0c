/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:sl-handshake
 * @short_description: the end-to-end handshake of one call
 *
 * Four messages between the caller A and the callee B, relayed by the
 * signalling server (docs/SECURITY.md has the byte layout):
 *
 *   A -> B  Commit   flags, A's certificate hash, SHA-256 commitment to
 *                    A's key shares
 *   B -> A  Reply    flags, B's certificate hash, B's X25519 key
 *                    [, B's SPAKE2 share], B's continuity proofs
 *   A -> B  Reveal   A's X25519 key [, A's SPAKE2 share], A's continuity
 *                    proofs, A's MAC
 *   B -> A  Confirm  B's MAC
 *
 * Keys come from X25519 and, when both users typed a security code, from
 * SPAKE2 (RFC 9382) with that code, and, when both devices prove the same
 * secret retained from an earlier verified call, from that secret, all
 * through HKDF salted with the hash of the whole transcript.  The
 * commitment keeps a man in the middle from choosing its keys after
 * seeing A's, so it gets one try at matching the SAS (or, with a code, one
 * guess at the code) per call; a retained secret it does not hold makes
 * its keys differ from the device's, so it cannot complete a call that
 * continuity would verify.
 *
 * Every secret is wiped with sl_crypto_wipe() as soon as it has been used,
 * and on every failure.  A handshake is used from one thread at a time.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-handshake.h"
#include "sl-crypto-private.h"
#include "sl-handshake-continuity.h"
#include "sl-handshake-private.h"
#include "sl-handshake-wire.h"
#include "sl-key-schedule.h"
#include "sl-openssl.h"
#include "sl-spake2.h"

#include <string.h>

typedef enum
{
  HS_INIT,                      /* A: before start(); B: awaiting Commit */
  HS_AWAIT_REPLY,               /* A */
  HS_AWAIT_REVEAL,              /* B */
  HS_AWAIT_CONFIRM,             /* A */
  HS_COMPLETE,
  HS_FAILED,
} HsState;

struct _SlHandshake
{
  GObject parent_instance;

  SlRole role;
  HsState state;
  guint8 call_id[SL_CALL_ID_LEN];
  char *id_a;
  char *id_b;
  gboolean uses_code;

  /* Secrets, each wiped as soon as it is used. */
  guint8 w[SL_P256_SCALAR_LEN];
  gboolean have_w;
  EVP_PKEY *x25519_key;
  SlSpake2 *spake;

  guint8 x25519_pub[SL_X25519_LEN];
  guint8 peer_flags;
  guint8 peer_commitment[SL_SHA256_LEN];
  SlTranscript *transcript;
  guint8 expected_mac_b[SL_SHA256_LEN];
  SlSession *session;
  char *sas;

  SlHsContinuity continuity;
};

G_DEFINE_FINAL_TYPE (SlHandshake, sl_handshake, G_TYPE_OBJECT);

static void
wipe_secrets (SlHandshake * self)
{
  if (self->have_w)
    sl_crypto_wipe (SL_WIPE_SPAKE2_W, self->w, sizeof self->w);
  self->have_w = FALSE;
  sl_crypto_x25519_key_free (&self->x25519_key);
  g_clear_pointer (&self->spake, sl_spake2_free);
  g_clear_pointer (&self->transcript, sl_transcript_free);
  if (self->session != NULL)
    sl_session_clear (self->session);
  g_clear_object (&self->session);
  sl_crypto_free_secret_string (SL_WIPE_SAS, g_steal_pointer (&self->sas));
  sl_hs_continuity_wipe (&self->continuity);
}

static void
fail_handshake (SlHandshake * self)
{
  wipe_secrets (self);
  memset (self->expected_mac_b, 0, sizeof self->expected_mac_b);
  self->state = HS_FAILED;
}

/* sl-handshake-new.c builds handshakes (also off the main loop) with
 * this. */
SlHandshake *
sl_handshake_new_internal (SlRole role, const guint8 call_id[SL_CALL_ID_LEN],
    const char *local_id, const char *peer_id, const guint8 * w,
    GError ** error)
{
  g_autoptr (SlHandshake) self = g_object_new (SL_TYPE_HANDSHAKE, NULL);

  self->role = role;
  memcpy (self->call_id, call_id, SL_CALL_ID_LEN);
  self->id_a = g_strdup (role == SL_ROLE_CALLER ? local_id : peer_id);
  self->id_b = g_strdup (role == SL_ROLE_CALLER ? peer_id : local_id);
  if (w != NULL) {
    memcpy (self->w, w, sizeof self->w);
    self->have_w = TRUE;
    self->uses_code = TRUE;
  }
  self->transcript = sl_transcript_new (call_id, self->id_a, self->id_b, error);
  if (self->transcript == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/* A fresh X25519 key pair and, with a code, the SPAKE2 state (which takes
 * over w, so our copy goes at once). */
static gboolean
make_key_shares (SlHandshake * self, GError ** error)
{
  self->x25519_key = sl_crypto_x25519_keygen (self->x25519_pub, error);
  if (self->x25519_key == NULL)
    return FALSE;

  if (self->uses_code) {
    self->spake = sl_spake2_new (self->role == SL_ROLE_CALLER, self->w, NULL,
        error);
    sl_crypto_wipe (SL_WIPE_SPAKE2_W, self->w, sizeof self->w);
    self->have_w = FALSE;
    if (self->spake == NULL)
      return FALSE;
  }
  return TRUE;
}

/**
 * sl_handshake_start:
 * @self: a caller's #SlHandshake that has not started
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the Commit message for the callee
 */
GBytes *
sl_handshake_start (SlHandshake * self, GError ** error)
{
  g_autofree guint8 *msg = NULL;
  gsize len;
  guint8 *body;

  g_return_val_if_fail (SL_IS_HANDSHAKE (self), NULL);

  if (self->role != SL_ROLE_CALLER || self->state != HS_INIT) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER,
        "Only the caller starts the call set-up, and only once.");
    return NULL;
  }

  msg =
      sl_hs_message_new (self->call_id, SL_WIRE_HS_COMMIT,
      SL_HS_COMMIT_BODY_LEN, &len);
  body = msg + SL_HS_HEADER_LEN;
  body[0] = self->uses_code ? SL_HS_FLAG_CODE : 0;
  memcpy (body + 1, self->continuity.own_cert, SL_CERT_HASH_LEN);
  if (!make_key_shares (self, error) ||
      !sl_hs_commitment (self->call_id, self->x25519_pub,
          self->uses_code ? sl_spake2_get_share (self->spake) : NULL,
          body + 1 + SL_CERT_HASH_LEN, error) ||
      !sl_transcript_add (self->transcript, msg, len, error) ||
      !sl_transcript_peek (self->transcript, self->continuity.h_commit,
          error)) {
    fail_handshake (self);
    return NULL;
  }

  self->state = HS_AWAIT_REPLY;
  return g_bytes_new_take (g_steal_pointer (&msg), len);
}

static gboolean
set_code_mismatch (GError ** error)
{
  g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH,
      "One device entered a security code and the other did not.");
  return FALSE;
}

static gboolean
set_auth_failed (SlHandshake * self, GError ** error)
{
  const char *message;

  if (self->uses_code)
    message = "The security codes do not match, or someone intercepted the "
        "call.";
  else if (self->continuity.result == SL_CONTINUITY_MATCH)
    message = "The other device could not prove the secret of your last "
        "verified call: someone may have intercepted the call.";
  else
    message = "The call set-up was altered on the way: someone may have "
        "intercepted the call.";
  g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH, message);
  return FALSE;
}

static const char *
peer_id (SlHandshake * self)
{
  return self->role == SL_ROLE_CALLER ? self->id_b : self->id_a;
}

/* B: the Commit.  Generates B's shares and answers with the Reply. */
static gboolean
handle_commit (SlHandshake * self, const guint8 * data, gsize size,
    GBytes ** reply, GError ** error)
{
  const guint8 *body = data + SL_HS_HEADER_LEN;
  g_autofree guint8 *msg = NULL;
  gsize len, share_len;
  guint8 *out;

  if (size != SL_HS_HEADER_LEN + SL_HS_COMMIT_BODY_LEN)
    return sl_hs_set_malformed (error,
        "The call set-up message has a wrong size.");
  if (body[0] & ~SL_HS_FLAG_CODE)
    return sl_hs_set_malformed (error, "The call set-up uses unknown options.");

  self->peer_flags = body[0];
  memcpy (self->peer_commitment, body + 1 + SL_CERT_HASH_LEN, SL_SHA256_LEN);
  share_len = self->uses_code ? SL_P256_POINT_LEN : 0;
  msg = sl_hs_message_new (self->call_id, SL_WIRE_HS_REPLY, 1 +
      SL_CERT_HASH_LEN + SL_X25519_LEN + share_len + SL_HS_PROOFS_LEN, &len);
  out = msg + SL_HS_HEADER_LEN;
  if (!sl_transcript_add (self->transcript, data, size, error) ||
      !sl_transcript_peek (self->transcript, self->continuity.h_commit, error)
      || !sl_hs_continuity_prove (&self->continuity, FALSE, peer_id (self),
          body + 1, self->continuity.h_commit,
          out + 1 + SL_CERT_HASH_LEN + SL_X25519_LEN + share_len, error) ||
      !make_key_shares (self, error))
    return FALSE;

  out[0] = self->uses_code ? SL_HS_FLAG_CODE : 0;
  memcpy (out + 1, self->continuity.own_cert, SL_CERT_HASH_LEN);
  memcpy (out + 1 + SL_CERT_HASH_LEN, self->x25519_pub, SL_X25519_LEN);
  if (self->uses_code)
    memcpy (out + 1 + SL_CERT_HASH_LEN + SL_X25519_LEN,
        sl_spake2_get_share (self->spake), SL_P256_POINT_LEN);
  if (!sl_transcript_add (self->transcript, msg, len, error) ||
      !sl_transcript_peek (self->transcript, self->continuity.h_reply, error))
    return FALSE;

  self->state = HS_AWAIT_REVEAL;
  *reply = g_bytes_new_take (g_steal_pointer (&msg), len);
  return TRUE;
}

/* Both sides, once the peer's keys are known: dh, SPAKE2, TH3 (after
 * absorbing @reveal, the Reveal without A's MAC) and the key schedule.
 * @rs is the retained secret both sides proved, or NULL. */
static gboolean
derive_keys (SlHandshake * self, const guint8 peer_pub[SL_X25519_LEN],
    const guint8 * peer_share, const guint8 * rs, const guint8 * reveal,
    gsize reveal_len, SlKeySchedule * ks, guint8 th3[SL_SHA256_LEN],
    GError ** error)
{
  guint8 dh[SL_X25519_LEN];
  SL_SECRET_LOCAL (SL_WIPE_X25519_SHARED, dh);
  guint8 hash_tt[SL_SHA256_LEN];
  SL_SECRET_LOCAL (SL_WIPE_SPAKE2_KEKA, hash_tt);
  guint8 ikm[SL_X25519_LEN + SL_SHA256_LEN / 2 + SL_RETAINED_SECRET_LEN];
  SL_SECRET_LOCAL (SL_WIPE_IKM, ikm);
  gsize ikm_len = SL_X25519_LEN;
  gboolean ok;

  ok = sl_crypto_x25519_derive (self->x25519_key, peer_pub, dh, error);
  sl_crypto_x25519_key_free (&self->x25519_key);
  memcpy (ikm, dh, sizeof dh);
  sl_crypto_wipe (SL_WIPE_X25519_SHARED, dh, sizeof dh);

  if (ok && self->uses_code) {
    /* ikm = dh || Ke: Ke is RFC 9382's shared key, Ka is not needed
     * because our own MACs over TH3 confirm the keys. */
    ok = sl_spake2_finish (self->spake, self->id_a, self->id_b, peer_share,
        SL_P256_POINT_LEN, hash_tt, NULL, NULL, error);
    if (ok) {
      memcpy (ikm + SL_X25519_LEN, hash_tt, SL_SHA256_LEN / 2);
      ikm_len += SL_SHA256_LEN / 2;
    }
    sl_crypto_wipe (SL_WIPE_SPAKE2_KEKA, hash_tt, sizeof hash_tt);
  }
  g_clear_pointer (&self->spake, sl_spake2_free);
  /* ikm = dh [|| Ke] || rs: only with a secret both sides proved. */
  if (ok && rs != NULL) {
    memcpy (ikm + ikm_len, rs, SL_RETAINED_SECRET_LEN);
    ikm_len += SL_RETAINED_SECRET_LEN;
  }
  sl_retained_secrets_clear (&self->continuity.secrets);

  ok = ok && sl_transcript_add (self->transcript, reveal, reveal_len, error)
      && sl_transcript_finish (self->transcript, th3, error);
  g_clear_pointer (&self->transcript, sl_transcript_free);

  ok = ok && sl_key_schedule_derive (th3, ikm, ikm_len, ks, error);
  sl_crypto_wipe (SL_WIPE_IKM, ikm, sizeof ikm);
  return ok;
}

/* Hands the traffic keys to a new session and formats the SAS.  The
 * caller wipes @ks. */
static gboolean
finish_keys (SlHandshake * self, SlKeySchedule * ks, GError ** error)
{
  gboolean caller = self->role == SL_ROLE_CALLER;

  self->session = sl_session_new_internal (self->role, self->call_id,
      caller ? ks->key_a2b : ks->key_b2a, caller ? ks->iv_a2b : ks->iv_b2a,
      caller ? ks->key_b2a : ks->key_a2b, caller ? ks->iv_b2a : ks->iv_a2b,
      ks->dtls_binding, error);
  if (self->session == NULL)
    return FALSE;
  self->sas = sl_sas_format (ks->sas);
  sl_hs_continuity_finish (&self->continuity, peer_id (self), ks->retained);
  return TRUE;
}

/* A: the Reply.  Derives every key and answers with the Reveal. */
static gboolean
handle_reply (SlHandshake * self, const guint8 * data, gsize size,
    GBytes ** reply, GError ** error)
{
  const guint8 *body = data + SL_HS_HEADER_LEN;
  gsize body_len = size - SL_HS_HEADER_LEN;
  gsize share_len = self->uses_code ? SL_P256_POINT_LEN : 0;
  const guint8 *peer_cert = body + 1;
  const guint8 *peer_pub = peer_cert + SL_CERT_HASH_LEN;
  const guint8 *peer_share = peer_pub + SL_X25519_LEN;
  const guint8 *peer_proofs = peer_share + share_len;
  const guint8 *rs = NULL;
  g_autofree guint8 *msg = NULL;
  SlKeySchedule ks;
  SL_SECRET_LOCAL (SL_WIPE_TRAFFIC_KEYS, ks);
  guint8 th3[SL_SHA256_LEN];
  gsize len;
  gboolean ok;

  if (body_len < 1 || (body[0] & ~SL_HS_FLAG_CODE))
    return sl_hs_set_malformed (error, "The call set-up uses unknown options.");
  if (body_len != 1 + SL_CERT_HASH_LEN + SL_X25519_LEN +
      ((body[0] & SL_HS_FLAG_CODE) ? SL_P256_POINT_LEN : 0) + SL_HS_PROOFS_LEN)
    return sl_hs_set_malformed (error,
        "The call set-up message has a wrong size.");
  if (((body[0] & SL_HS_FLAG_CODE) != 0) != self->uses_code)
    return set_code_mismatch (error);

  msg = sl_hs_message_new (self->call_id, SL_WIRE_HS_REVEAL,
      SL_X25519_LEN + share_len + SL_HS_PROOFS_LEN + SL_SHA256_LEN, &len);
  memcpy (msg + SL_HS_HEADER_LEN, self->x25519_pub, SL_X25519_LEN);
  if (self->uses_code)
    memcpy (msg + SL_HS_HEADER_LEN + SL_X25519_LEN,
        sl_spake2_get_share (self->spake), SL_P256_POINT_LEN);
  if (!sl_transcript_add (self->transcript, data, size, error) ||
      !sl_transcript_peek (self->transcript, self->continuity.h_reply, error)
      || !sl_hs_continuity_prove (&self->continuity, TRUE, peer_id (self),
          peer_cert, self->continuity.h_reply,
          msg + SL_HS_HEADER_LEN + SL_X25519_LEN + share_len, error) ||
      !sl_hs_continuity_match (&self->continuity, TRUE, peer_proofs,
          self->continuity.h_commit, &rs, error))
    return FALSE;

  ok = derive_keys (self, peer_pub, peer_share, rs, msg,
      len - SL_SHA256_LEN, &ks, th3, error) &&
      sl_crypto_hmac_sha256 (ks.confirm_a, sizeof ks.confirm_a, th3,
      sizeof th3, msg + len - SL_SHA256_LEN, error) &&
      sl_crypto_hmac_sha256 (ks.confirm_b, sizeof ks.confirm_b, th3,
      sizeof th3, self->expected_mac_b, error) &&
      finish_keys (self, &ks, error);
  sl_key_schedule_wipe (&ks);
  if (!ok)
    return FALSE;

  self->state = HS_AWAIT_CONFIRM;
  *reply = g_bytes_new_take (g_steal_pointer (&msg), len);
  return TRUE;
}

/* B: the Reveal.  Checks the commitment and A's MAC; answers with the
 * Confirm and is complete. */
static gboolean
handle_reveal (SlHandshake * self, const guint8 * data, gsize size,
    GBytes ** reply, GError ** error)
{
  const guint8 *body = data + SL_HS_HEADER_LEN;
  gsize share_len = self->uses_code ? SL_P256_POINT_LEN : 0;
  const guint8 *share, *proofs, *mac_a, *rs = NULL;
  g_autofree guint8 *msg = NULL;
  SlKeySchedule ks;
  SL_SECRET_LOCAL (SL_WIPE_TRAFFIC_KEYS, ks);
  guint8 th3[SL_SHA256_LEN];
  guint8 commitment[SL_SHA256_LEN];
  guint8 expected_mac_a[SL_SHA256_LEN];
  gsize len;
  gboolean ok;

  if (((self->peer_flags & SL_HS_FLAG_CODE) != 0) != self->uses_code)
    return set_code_mismatch (error);
  if (size != SL_HS_HEADER_LEN + SL_X25519_LEN + share_len +
      SL_HS_PROOFS_LEN + SL_SHA256_LEN)
    return sl_hs_set_malformed (error,
        "The call set-up message has a wrong size.");
  share = self->uses_code ? body + SL_X25519_LEN : NULL;
  proofs = body + SL_X25519_LEN + share_len;
  mac_a = proofs + SL_HS_PROOFS_LEN;

  if (!sl_hs_commitment (self->call_id, body, share, commitment, error))
    return FALSE;
  if (!sl_crypto_equal (commitment, self->peer_commitment, SL_SHA256_LEN)) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH,
        "The caller's keys do not match what it announced: someone may have "
        "intercepted the call.");
    return FALSE;
  }

  if (!sl_hs_continuity_match (&self->continuity, FALSE, proofs,
          self->continuity.h_reply, &rs, error) ||
      !derive_keys (self, body, share, rs, data, size - SL_SHA256_LEN, &ks,
          th3, error))
    return FALSE;

  msg =
      sl_hs_message_new (self->call_id, SL_WIRE_HS_CONFIRM,
      SL_HS_CONFIRM_BODY_LEN, &len);
  ok = sl_crypto_hmac_sha256 (ks.confirm_a, sizeof ks.confirm_a, th3,
      sizeof th3, expected_mac_a, error);
  if (ok && !sl_crypto_equal (expected_mac_a, mac_a, SL_SHA256_LEN))
    ok = set_auth_failed (self, error);
  ok = ok && sl_crypto_hmac_sha256 (ks.confirm_b, sizeof ks.confirm_b, th3,
      sizeof th3, msg + SL_HS_HEADER_LEN, error)
      && finish_keys (self, &ks, error);
  sl_key_schedule_wipe (&ks);
  if (!ok)
    return FALSE;

  self->state = HS_COMPLETE;
  *reply = g_bytes_new_take (g_steal_pointer (&msg), len);
  return TRUE;
}

/* A: the Confirm.  Checks B's MAC and is complete. */
static gboolean
handle_confirm (SlHandshake * self, const guint8 * data, gsize size,
    GError ** error)
{
  if (size != SL_HS_HEADER_LEN + SL_HS_CONFIRM_BODY_LEN)
    return sl_hs_set_malformed (error,
        "The call set-up message has a wrong size.");
  if (!sl_crypto_equal (data + SL_HS_HEADER_LEN, self->expected_mac_b,
          SL_SHA256_LEN))
    return set_auth_failed (self, error);

  self->state = HS_COMPLETE;
  return TRUE;
}

/* Runs one message through the state machine.  FALSE with *from_alert set
 * when the peer's Alert ended the handshake. */
static gboolean
dispatch (SlHandshake * self, const guint8 * data, gsize size,
    GBytes ** reply, gboolean * from_alert, GError ** error)
{
  gboolean caller = self->role == SL_ROLE_CALLER;

  if (!sl_hs_check_header (self->call_id, data, size, error))
    return FALSE;

  switch (data[1]) {
    case SL_WIRE_HS_ALERT:
      *from_alert = sl_hs_parse_alert (data, size, error);
      return FALSE;
    case SL_WIRE_HS_COMMIT:
      if (!caller && self->state == HS_INIT)
        return handle_commit (self, data, size, reply, error);
      break;
    case SL_WIRE_HS_REPLY:
      if (caller && self->state == HS_AWAIT_REPLY)
        return handle_reply (self, data, size, reply, error);
      break;
    case SL_WIRE_HS_REVEAL:
      if (!caller && self->state == HS_AWAIT_REVEAL)
        return handle_reveal (self, data, size, reply, error);
      break;
    case SL_WIRE_HS_CONFIRM:
      if (caller && self->state == HS_AWAIT_CONFIRM)
        return handle_confirm (self, data, size, error);
      break;
    default:
      return sl_hs_set_malformed (error, "Unknown call set-up message.");
  }

  g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER,
      "A call set-up message arrived at the wrong time.");
  return FALSE;
}

/**
 * sl_handshake_process:
 * @self: a #SlHandshake
 * @message: a message from the peer
 * @out_reply: (out) (transfer full) (nullable): the message to send back
 * @error: return location for a #GError
 *
 * On success *@out_reply is the next message to send (NULL after the
 * Confirm).  On failure the handshake is over and wiped; *@out_reply is
 * an Alert for the peer (NULL when the peer's own Alert ended it).
 *
 * After completion only an Alert is acted on: it means the peer refused
 * our last message, so the call must end; anything else is refused with
 * %SL_CRYPTO_ERROR_OUT_OF_ORDER and changes nothing.
 *
 * Returns: TRUE if the message was accepted
 */
gboolean
sl_handshake_process (SlHandshake * self, GBytes * message,
    GBytes ** out_reply, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  GBytes *reply = NULL;
  gboolean from_alert = FALSE;
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (SL_IS_HANDSHAKE (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (out_reply != NULL, FALSE);

  *out_reply = NULL;
  if (self->state == HS_FAILED) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_OUT_OF_ORDER,
        "The call set-up has already failed.");
    return FALSE;
  }

  data = g_bytes_get_data (message, &size);
  if (self->state == HS_COMPLETE) {
    if (sl_hs_check_header (self->call_id, data, size, &local_error) &&
        data[1] == SL_WIRE_HS_ALERT
        && sl_hs_parse_alert (data, size, &local_error)) {
      fail_handshake (self);
    } else if (local_error == NULL) {
      g_set_error_literal (&local_error, SL_CRYPTO_ERROR,
          SL_CRYPTO_ERROR_OUT_OF_ORDER,
          "A call set-up message arrived after the set-up was complete.");
    }
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }

  if (dispatch (self, data, size, &reply, &from_alert, &local_error)) {
    *out_reply = reply;
    return TRUE;
  }

  g_assert (reply == NULL);
  fail_handshake (self);
  if (!from_alert)
    *out_reply =
        sl_hs_alert_new (self->call_id, (SlCryptoError) local_error->code);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * sl_handshake_abort:
 * @self: a #SlHandshake
 * @reason: why, as an #SlCryptoError code
 *
 * Ends the handshake on this side (wiping every secret) and builds an
 * Alert so that the peer ends it too.
 *
 * Returns: (transfer full): the Alert to send
 */
GBytes *
sl_handshake_abort (SlHandshake * self, SlCryptoError reason)
{
  g_return_val_if_fail (SL_IS_HANDSHAKE (self), NULL);
  g_return_val_if_fail ((guint) reason <= SL_CRYPTO_ERROR_INTERNAL, NULL);

  fail_handshake (self);
  return sl_hs_alert_new (self->call_id, reason);
}

gboolean
sl_handshake_is_complete (SlHandshake * self)
{
  g_return_val_if_fail (SL_IS_HANDSHAKE (self), FALSE);

  return self->state == HS_COMPLETE;
}

gboolean
sl_handshake_uses_code (SlHandshake * self)
{
  g_return_val_if_fail (SL_IS_HANDSHAKE (self), FALSE);

  return self->uses_code;
}

SlRole
sl_handshake_get_role (SlHandshake * self)
{
  g_return_val_if_fail (SL_IS_HANDSHAKE (self), SL_ROLE_CALLER);

  return self->role;
}

/**
 * sl_handshake_get_sas:
 * @self: a #SlHandshake
 *
 * Returns: (transfer none) (nullable): the SAS, "1234 5678 9012", once the
 *   handshake is complete and until it is cleared; else NULL
 */
const char *
sl_handshake_get_sas (SlHandshake * self)
{
  g_return_val_if_fail (SL_IS_HANDSHAKE (self), NULL);

  return self->state == HS_COMPLETE ? self->sas : NULL;
}

/**
 * sl_handshake_take_session:
 * @self: a complete #SlHandshake
 *
 * Returns: (transfer full) (nullable): the traffic keys; NULL if the
 *   handshake is not complete or the session was already taken
 */
SlSession *
sl_handshake_take_session (SlHandshake * self)
{
  g_return_val_if_fail (SL_IS_HANDSHAKE (self), NULL);

  if (self->state != HS_COMPLETE)
    return NULL;
  return g_steal_pointer (&self->session);
}

/**
 * sl_handshake_set_continuity:
 * @self: a #SlHandshake that has not started
 * @store: (nullable): where this device keeps the secrets of earlier
 *   verified calls (a reference is kept); %NULL for none
 * @own_cert_hash: (nullable): SHA-256 of this device's certificate, sent
 *   to the peer as the key of its store entry; %NULL sends zeros
 *
 * Turns key continuity on: the handshake looks up the peer's retained
 * secrets once it knows the peer's certificate hash, proves them, and
 * mixes the one both sides hold into the keys.
 */
void
sl_handshake_set_continuity (SlHandshake * self, SlContinuityStore * store,
    const guint8 * own_cert_hash)
{
  g_return_if_fail (SL_IS_HANDSHAKE (self));
  g_return_if_fail (self->state == HS_INIT);

  sl_hs_continuity_set (&self->continuity, store, own_cert_hash);
}

/**
 * sl_handshake_get_continuity:
 * @self: a #SlHandshake
 *
 * Returns: what key continuity found, once the handshake is complete
 *   (%SL_CONTINUITY_NONE before)
 */
SlContinuity
sl_handshake_get_continuity (SlHandshake * self)
{
  g_return_val_if_fail (SL_IS_HANDSHAKE (self), SL_CONTINUITY_NONE);

  return self->state == HS_COMPLETE ? self->continuity.result :
      SL_CONTINUITY_NONE;
}

/**
 * sl_handshake_take_continuity_update:
 * @self: a complete #SlHandshake with a continuity store
 *
 * The retained secret of this call for the peer.  Apply it
 * (sl_continuity_store_apply()) only once the call is authenticated.
 *
 * Returns: (transfer full) (nullable): the update; %NULL without a store,
 *   before completion or once taken
 */
SlContinuityUpdate *
sl_handshake_take_continuity_update (SlHandshake * self)
{
  g_return_val_if_fail (SL_IS_HANDSHAKE (self), NULL);

  if (self->state != HS_COMPLETE)
    return NULL;
  return g_steal_pointer (&self->continuity.update);
}

#ifdef SL_TEST_HOOKS
void
sl_handshake_set_test_proofs (SlHandshake * self,
    const guint8 proofs[SL_HS_PROOFS_LEN])
{
  self->continuity.forced_proofs = TRUE;
  memcpy (self->continuity.proofs, proofs, SL_HS_PROOFS_LEN);
}
#endif

/**
 * sl_handshake_clear:
 * @self: a #SlHandshake
 *
 * Wipes every secret now, including the SAS and a session not yet taken.
 * An unfinished handshake fails.  Also done on dispose.
 */
void
sl_handshake_clear (SlHandshake * self)
{
  g_return_if_fail (SL_IS_HANDSHAKE (self));

  wipe_secrets (self);
  if (self->state != HS_COMPLETE)
    self->state = HS_FAILED;
}

static void
sl_handshake_dispose (GObject * object)
{
  sl_handshake_clear (SL_HANDSHAKE (object));
  sl_hs_continuity_clear (&SL_HANDSHAKE (object)->continuity);

  G_OBJECT_CLASS (sl_handshake_parent_class)->dispose (object);
}

static void
sl_handshake_finalize (GObject * object)
{
  SlHandshake *self = SL_HANDSHAKE (object);

  g_free (self->id_a);
  g_free (self->id_b);

  G_OBJECT_CLASS (sl_handshake_parent_class)->finalize (object);
}

static void
sl_handshake_class_init (SlHandshakeClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_handshake_dispose;
  object_class->finalize = sl_handshake_finalize;
}

static void
sl_handshake_init (SlHandshake * self)
{
  sl_crypto_watch_in_object (self, SL_WIPE_SPAKE2_W, self->w, sizeof self->w);
}
