/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A pair's end-to-end layer over the server's relay: the handshake
 * (Commit with the invite, Reply with the answer, then Reveal, Confirm or
 * Alert as relayed blobs) and, once it is complete, the sealed records
 * that carry SDP, ICE candidates and control messages the server cannot
 * read.  What is sealed before the keys exist (the caller's media starts
 * with the call) waits in an outbox, wiped if never sent.
 *
 * Any handshake message or record that fails to open or verify, or comes
 * out of order, is a security failure ("failed"); a handshake failure
 * first relays the Alert the handshake returns.  One relay per pair of
 * devices, so that a group call can hold one per peer.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-secure-relay.h"
#include "sl-handshake.h"
#include "sightline/sl-call-error.h"

#include <string.h>

/* Test hook: a hostile relay on the handshake (SL_TEST_RELAY_FAULT). */
typedef enum
{
  RELAY_FAULT_NONE,
  RELAY_FAULT_TAMPER_COMMIT,    /* caller: one bit of the Commit flipped */
  RELAY_FAULT_DROP_CONFIRM,     /* callee: the Confirm never sent */
  RELAY_FAULT_REORDER_CONFIRM,  /* callee: sent after a record */
} RelayFault;

struct _SlSecureRelay
{
  GObject parent_instance;

  gboolean caller;
  char *call_id;
  char *peer_id;
  char *code;
  SlContinuityStore *store;
  guint8 own_cert[SL_CERT_HASH_LEN];
  gboolean have_own_cert;

  SlHandshake *handshake;
  GBytes *commit;               /* callee: the Commit from the invite */
  GBytes *reply;                /* callee: the Reply, until the user answers */
  SlSession *session;
  char *sas;
  gboolean cleared;
  GPtrArray *outbox;            /* PendingRecord, before the keys exist */
  guint records_sent;

  guint corrupt_record;         /* test hook: 1-based, 0 = off */
  RelayFault fault;             /* test hook */
  GBytes *held_confirm;         /* test hook: a Confirm held back */
};

enum
{
  SIGNAL_SEND,
  SIGNAL_STEP,
  SIGNAL_KEYS_AGREED,
  SIGNAL_RECORD,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlSecureRelay, sl_secure_relay, G_TYPE_OBJECT);

static void
fail (SlSecureRelay * self, SlCallError code, const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (SL_CALL_ERROR, code, message);

  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

/* Crypto errors are security failures with the crypto module's message,
 * which is written for users; a code that is not valid is the user's. */
static void
fail_crypto (SlSecureRelay * self, const GError * error)
{
  fail (self, g_error_matches (error, SL_CRYPTO_ERROR,
          SL_CRYPTO_ERROR_INVALID_CODE) ? SL_CALL_ERROR_CONFIG :
      SL_CALL_ERROR_SECURITY, error->message);
}

static void
send (SlSecureRelay * self, GBytes * blob)
{
  g_signal_emit (self, signals[SIGNAL_SEND], 0, blob);
}

static void
step (SlSecureRelay * self, const char *name)
{
  g_signal_emit (self, signals[SIGNAL_STEP], 0, name);
}

/**
 * sl_secure_relay_new:
 * @caller: %TRUE on the calling device
 * @call_id: the call's id (hex)
 * @peer_id: the other device
 * @code: (nullable): the security code this device's user typed
 * @commit: (nullable): callee: the Commit from the invite
 *
 * Returns: (transfer full): a relay; prepare it next
 */
SlSecureRelay *
sl_secure_relay_new (gboolean caller, const char *call_id,
    const char *peer_id, const char *code, GBytes * commit)
{
  SlSecureRelay *self = g_object_new (SL_TYPE_SECURE_RELAY, NULL);
  const char *hook = NULL;

  self->caller = caller;
  self->call_id = g_strdup (call_id);
  self->peer_id = g_strdup (peer_id);
  self->code = g_strdup (code && *code ? code : NULL);
  self->commit = commit ? g_bytes_ref (commit) : NULL;
#ifdef SL_TEST_HOOKS
  hook = g_getenv ("SL_TEST_CORRUPT_RECORD");
  if (hook)
    self->corrupt_record = (guint) g_ascii_strtoull (hook, NULL, 10);
  hook = g_getenv ("SL_TEST_RELAY_FAULT");
  if (g_strcmp0 (hook, "tamper-commit") == 0)
    self->fault = RELAY_FAULT_TAMPER_COMMIT;
  else if (g_strcmp0 (hook, "drop-confirm") == 0)
    self->fault = RELAY_FAULT_DROP_CONFIRM;
  else if (g_strcmp0 (hook, "reorder-confirm") == 0)
    self->fault = RELAY_FAULT_REORDER_CONFIRM;
#endif
  (void) hook;
  return self;
}

/**
 * sl_secure_relay_set_continuity:
 * @self: a relay not prepared yet
 * @store: (nullable): this device's retained secrets (a reference is kept)
 * @own_cert_hash: (nullable): SHA-256 of this device's certificate
 */
void
sl_secure_relay_set_continuity (SlSecureRelay * self,
    SlContinuityStore * store, const guint8 * own_cert_hash)
{
  g_set_object (&self->store, store);
  self->have_own_cert = own_cert_hash != NULL;
  if (own_cert_hash)
    memcpy (self->own_cert, own_cert_hash, SL_CERT_HASH_LEN);
}

/* ------------------------------------------------------------------ */
/* The handshake                                                        */

static void
on_handshake_ready (GObject * source, GAsyncResult * result, gpointer data)
{
  GTask *task = data;
  SlSecureRelay *self = g_task_get_source_object (task);
  GError *error = NULL;
  SlHandshake *hs = sl_handshake_new_finish (result, &error);

  if (hs == NULL) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  if (self->cleared) {
    /* The call ended while the password hash ran. */
    sl_handshake_clear (hs);
    g_object_unref (hs);
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
        "The call ended");
    g_object_unref (task);
    return;
  }
  self->handshake = hs;
  sl_handshake_set_continuity (hs, self->store, self->have_own_cert ?
      self->own_cert : NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * sl_secure_relay_prepare_async:
 * @self: a new relay
 * @local_id: this device's id, as the server knows it
 * @cancellable: (nullable): a cancellable
 * @callback: called on the calling thread's main context
 * @user_data: for @callback
 *
 * Builds the handshake off the main loop (the security code's password
 * hash is slow).
 */
void
sl_secure_relay_prepare_async (SlSecureRelay * self, const char *local_id,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sl_secure_relay_prepare_async);
  sl_handshake_new_async (self->caller ? SL_ROLE_CALLER : SL_ROLE_CALLEE,
      self->call_id, local_id ? local_id : "", self->peer_id, self->code,
      cancellable, on_handshake_ready, task);
}

/**
 * sl_secure_relay_prepare_finish:
 * @self: a relay
 * @result: the result
 * @out_message: (out) (transfer full) (nullable): caller: the Commit for
 *   the invite; callee: %NULL, or the Alert that refuses the Commit
 * @error: set (%SL_CALL_ERROR) when the handshake cannot be built or the
 *   callee refuses the caller's Commit; %G_IO_ERROR_CANCELLED once the
 *   call ended
 *
 * The callee checks the Commit now, not when the user answers: a refused
 * one is a security failure for both devices, not a declined call.  Its
 * Reply waits for sl_secure_relay_take_reply().
 *
 * Returns: %TRUE when the handshake is under way
 */
gboolean
sl_secure_relay_prepare_finish (SlSecureRelay * self, GAsyncResult * result,
    GBytes ** out_message, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GBytes) message = NULL;

  *out_message = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &local_error)) {
    if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  } else if (self->caller) {
    message = sl_handshake_start (self->handshake, &local_error);
#ifdef SL_TEST_HOOKS
    /* Test hook: a relay that alters the Commit (an option bit). */
    if (message && self->fault == RELAY_FAULT_TAMPER_COMMIT) {
      gsize size = 0;
      guint8 *bytes = g_bytes_unref_to_data (g_steal_pointer (&message),
          &size);

      bytes[18] ^= 0x40;
      message = g_bytes_new_take (bytes, size);
    }
#endif
  } else if (sl_handshake_process (self->handshake, self->commit, &message,
          &local_error)) {
    self->reply = g_steal_pointer (&message);
    return TRUE;
  }
  *out_message = g_steal_pointer (&message);
  if (local_error == NULL)
    return TRUE;
  if (g_error_matches (local_error, SL_CRYPTO_ERROR,
          SL_CRYPTO_ERROR_INVALID_CODE))
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_CONFIG,
        local_error->message);
  else
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_SECURITY,
        local_error->message);
  return FALSE;
}

/**
 * sl_secure_relay_take_reply:
 * @self: a callee's prepared relay
 *
 * Returns: (transfer full) (nullable): the Reply for the accept, once
 */
GBytes *
sl_secure_relay_take_reply (SlSecureRelay * self)
{
  return g_steal_pointer (&self->reply);
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

static void
keys_agreed (SlSecureRelay * self)
{
  self->session = sl_handshake_take_session (self->handshake);
  self->sas = g_strdup (sl_handshake_get_sas (self->handshake));
  g_signal_emit (self, signals[SIGNAL_KEYS_AGREED], 0);
  sl_handshake_clear (self->handshake);

  if (self->outbox) {
    g_autoptr (GPtrArray) outbox = g_steal_pointer (&self->outbox);
    guint i;

    for (i = 0; i < outbox->len && self->session; i++) {
      PendingRecord *p = g_ptr_array_index (outbox, i);

      sl_secure_relay_seal (self, p->type, p->text);
    }
  }
#ifdef SL_TEST_HOOKS
  /* Test hook: a relay that delivers the Confirm after a record. */
  if (self->held_confirm)
    send (self, self->held_confirm);
  g_clear_pointer (&self->held_confirm, g_bytes_unref);
#endif
}

/**
 * sl_secure_relay_process_handshake:
 * @self: a prepared relay
 * @message: a handshake message from the peer
 *
 * Relays the handshake's answer ("send"); "keys-agreed" once complete,
 * "failed" (after relaying the Alert) when refused.
 */
void
sl_secure_relay_process_handshake (SlSecureRelay * self, GBytes * message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) reply = NULL;

  if (self->handshake == NULL) {
    fail (self, SL_CALL_ERROR_PROTOCOL,
        "A handshake message arrived after the handshake");
    return;
  }
  if (!sl_handshake_process (self->handshake, message, &reply, &error)) {
    if (reply)
      send (self, reply);
    fail_crypto (self, error);
    return;
  }
  if (reply) {
    step (self, "handshake");
#ifdef SL_TEST_HOOKS
    /* Test hook: a relay that drops or delays the callee's Confirm. */
    if (!self->caller && self->fault == RELAY_FAULT_REORDER_CONFIRM)
      self->held_confirm = g_bytes_ref (reply);
    if (!self->caller && self->fault != RELAY_FAULT_NONE)
      g_clear_pointer (&reply, g_bytes_unref);
#endif
    if (reply)
      send (self, reply);
  }
  if (sl_handshake_is_complete (self->handshake) && self->session == NULL)
    keys_agreed (self);
}

/* ------------------------------------------------------------------ */
/* Sealed records                                                       */

/**
 * sl_secure_relay_seal:
 * @self: a relay
 * @type: the record's type
 * @text: what it carries
 *
 * Seals @text and relays it ("send"), or keeps it until the keys exist.
 */
void
sl_secure_relay_seal (SlSecureRelay * self, SlWireType type, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) record = NULL;
  gsize len = strlen (text);
  guint8 *plain;

  if (self->session == NULL && !self->cleared) {
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
  if (self->session == NULL) {
    fail (self, SL_CALL_ERROR_PROTOCOL,
        "Tried to send a sealed message before the keys were agreed");
    return;
  }
  plain = g_memdup2 (text, len);
  record = sl_session_seal (self->session, type, plain, len, &error);
  g_free (plain);               /* already wiped by sl_session_seal */
  if (record == NULL) {
    fail_crypto (self, error);
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
  send (self, record);
  if (type == SL_WIRE_RECORD_SDP_OFFER)
    step (self, "offer");
  else if (type == SL_WIRE_RECORD_SDP_ANSWER)
    step (self, "answer");
  else if (type == SL_WIRE_RECORD_ICE_CANDIDATE)
    step (self, "candidate");
}

static void
open_record (SlSecureRelay * self, GBytes * record)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) plain = NULL;
  g_autofree char *text = NULL;
  SlWireType type = 0;
  gsize len = 0;
  const char *data;

  if (self->session == NULL) {
    /* The server relays in order and the peer seals nothing before its
     * handshake is complete: a record now means a handshake message was
     * dropped or held back on the way. */
    fail (self, SL_CALL_ERROR_SECURITY, "A sealed message arrived before "
        "the end-to-end keys were agreed: the call set-up was cut short or "
        "reordered on the way (someone may be interfering with the call)");
    return;
  }
  plain = sl_session_open (self->session, record, &type, &error);
  if (plain == NULL) {
    fail_crypto (self, error);
    return;
  }
  data = g_bytes_get_data (plain, &len);
  if (memchr (data, '\0', len) != NULL) {
    fail (self, SL_CALL_ERROR_PROTOCOL,
        "The other device sent a malformed sealed message");
    return;
  }
  text = g_strndup (data, len);
  g_signal_emit (self, signals[SIGNAL_RECORD], 0, type, text);
  sl_crypto_wipe ("opened record copy", text, len);
}

/**
 * sl_secure_relay_receive:
 * @self: a relay
 * @b64: a relayed blob from the peer, base64
 *
 * A handshake message ("keys-agreed" once complete) or a sealed record
 * ("record").
 */
void
sl_secure_relay_receive (SlSecureRelay * self, const char *b64)
{
  gsize len = 0;
  g_autofree guint8 *raw = g_base64_decode (b64, &len);
  g_autoptr (GBytes) blob = NULL;

  if (raw == NULL || len < 2) {
    fail (self, SL_CALL_ERROR_PROTOCOL,
        "The other device sent an empty message");
    return;
  }
  blob = g_bytes_new (raw, len);
  if (raw[1] < 0x10) {
    step (self, "handshake");
    sl_secure_relay_process_handshake (self, blob);
  } else {
    open_record (self, blob);
  }
}

/* ------------------------------------------------------------------ */
/* What the keys give                                                   */

gboolean
sl_secure_relay_has_keys (SlSecureRelay * self)
{
  return self->session != NULL;
}

/**
 * sl_secure_relay_get_sas:
 *
 * Returns: (nullable): the short authentication string, once the keys
 *   are agreed
 */
const char *
sl_secure_relay_get_sas (SlSecureRelay * self)
{
  return self->sas;
}

gboolean
sl_secure_relay_uses_code (SlSecureRelay * self)
{
  return self->handshake && sl_handshake_uses_code (self->handshake);
}

SlContinuity
sl_secure_relay_get_continuity (SlSecureRelay * self)
{
  return self->handshake ? sl_handshake_get_continuity (self->handshake) :
      SL_CONTINUITY_NONE;
}

/**
 * sl_secure_relay_take_continuity_update:
 *
 * Returns: (transfer full) (nullable): this call's retained secret for
 *   the peer, once the keys are agreed
 */
SlContinuityUpdate *
sl_secure_relay_take_continuity_update (SlSecureRelay * self)
{
  return self->handshake ?
      sl_handshake_take_continuity_update (self->handshake) : NULL;
}

/**
 * sl_secure_relay_binding_mac:
 * @self: a relay with keys
 * @as_caller: our role
 * @caller_fp: the caller's DTLS fingerprint
 * @callee_fp: the callee's DTLS fingerprint
 * @mac: (out caller-allocates) (array fixed-size=32): our binding MAC
 */
void
sl_secure_relay_binding_mac (SlSecureRelay * self, gboolean as_caller,
    const char *caller_fp, const char *callee_fp, guint8 * mac)
{
  sl_session_dtls_binding_mac (self->session, as_caller, caller_fp, callee_fp,
      mac);
}

/**
 * sl_secure_relay_binding_verify:
 * @self: a relay with keys
 * @as_caller: the role of the side that made @mac
 * @caller_fp: the caller's DTLS fingerprint
 * @callee_fp: the callee's DTLS fingerprint
 * @mac: the peer's binding MAC
 * @error: set when it does not verify
 *
 * Returns: %TRUE when both fingerprints are bound to this handshake
 */
gboolean
sl_secure_relay_binding_verify (SlSecureRelay * self, gboolean as_caller,
    const char *caller_fp, const char *callee_fp, GBytes * mac, GError ** error)
{
  return sl_session_dtls_binding_verify (self->session, as_caller, caller_fp,
      callee_fp, g_bytes_get_data (mac, NULL), g_bytes_get_size (mac), error);
}

/**
 * sl_secure_relay_clear:
 * @self: a relay
 *
 * Wipes every key and every record not sent, at once; nothing is sealed
 * or opened from now on.
 */
void
sl_secure_relay_clear (SlSecureRelay * self)
{
  self->cleared = TRUE;
  if (self->handshake)
    sl_handshake_clear (self->handshake);
  if (self->session)
    sl_session_clear (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->outbox, g_ptr_array_unref);
  g_clear_object (&self->handshake);
  g_clear_pointer (&self->reply, g_bytes_unref);
  g_clear_pointer (&self->held_confirm, g_bytes_unref);
}

static void
sl_secure_relay_dispose (GObject * object)
{
  SlSecureRelay *self = SL_SECURE_RELAY (object);

  sl_secure_relay_clear (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sl_secure_relay_parent_class)->dispose (object);
}

static void
sl_secure_relay_finalize (GObject * object)
{
  SlSecureRelay *self = SL_SECURE_RELAY (object);

  g_clear_pointer (&self->commit, g_bytes_unref);
  g_free (self->call_id);
  g_free (self->peer_id);
  if (self->code)
    sl_crypto_wipe ("security code copy", self->code, strlen (self->code));
  g_free (self->code);
  g_free (self->sas);

  G_OBJECT_CLASS (sl_secure_relay_parent_class)->finalize (object);
}

static void
sl_secure_relay_class_init (SlSecureRelayClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_secure_relay_dispose;
  object_class->finalize = sl_secure_relay_finalize;

  /* (GBytes blob) for the peer, through the server. */
  signals[SIGNAL_SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  /* (step) "handshake", "offer", "answer" or "candidate" sent or received
   * here. */
  signals[SIGNAL_STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The handshake is complete: the SAS, the code's and continuity's
   * findings are known; records flow from now on. */
  signals[SIGNAL_KEYS_AGREED] = g_signal_new ("keys-agreed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (type, text) a record opened; the text is wiped after emission. */
  signals[SIGNAL_RECORD] = g_signal_new ("record", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT,
      G_TYPE_STRING);
  /* (GError, SL_CALL_ERROR) the pair's security failed: end the call. */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sl_secure_relay_init (SlSecureRelay * self)
{
}
