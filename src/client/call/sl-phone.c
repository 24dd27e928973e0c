/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The call manager: a device's calls over its connection to the server.
 * It routes every call message to its call by call id, applies the busy
 * policy (one call at a time; an invite while busy, or while the device
 * takes no calls, is rejected as busy without ringing) and tells the
 * program about calls through signals:
 *
 *   call-added     a new call, before it starts: connect to it here
 *   incoming-call  a new incoming call rings: accept or reject it
 *   call-ended     a call ended; the phone lets go of it afterwards
 *
 * Messages for a call that ended a moment ago (the server's echo of our
 * own hang-up) are dropped rather than taken for news.  A group call
 * would be one call id with several peers: the routing by call id and the
 * busy rule stay here.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-phone.h"
#include "sl-crypto.h"
#include "sl-call-messages.h"

#include <string.h>

/* The busy policy: calls at a time. */
#define MAX_CALLS 1
/* Ended calls whose late messages are dropped quietly. */
#define ENDED_KEEP 16

struct _SlPhone
{
  GObject parent_instance;

  SlSignalClient *signal;
  SlMediaOptions *opts;
  SlContinuityStore *store;
  guint8 own_cert[SL_CERT_HASH_LEN];
  gboolean have_own_cert;
  char *code;
  gboolean accept_incoming;

  GHashTable *calls;            /* call id -> SlCall, not ended */
  GQueue ended;                 /* call ids, newest last */
};

enum
{
  PROP_0,
  PROP_ACCEPT_INCOMING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_CALL_ADDED,
  SIGNAL_INCOMING_CALL,
  SIGNAL_CALL_ENDED,
  SIGNAL_INCOMING_REFUSED,
  SIGNAL_SERVER_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlPhone, sl_phone, G_TYPE_OBJECT);

static void
forget_call (SlPhone * self, SlCall * call)
{
  g_signal_handlers_disconnect_by_data (call, self);
  g_queue_push_tail (&self->ended, g_strdup (sl_call_get_id (call)));
  while (g_queue_get_length (&self->ended) > ENDED_KEEP)
    g_free (g_queue_pop_head (&self->ended));
  g_hash_table_remove (self->calls, sl_call_get_id (call));
}

static void
on_call_ended (SlCall * call, GError * error, SlPhone * self)
{
  g_autoptr (SlCall) keep = g_object_ref (call);

  g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, call, error);
  forget_call (self, call);
}

/* Registered and ready to start: the program connects to it now. */
static void
add_call (SlPhone * self, SlCall * call)
{
  sl_call_set_continuity (call, self->store, self->have_own_cert ?
      self->own_cert : NULL);
  g_hash_table_insert (self->calls, g_strdup (sl_call_get_id (call)),
      g_object_ref (call));
  g_signal_connect (call, "ended", G_CALLBACK (on_call_ended), self);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
}

static void
reject_busy (SlPhone * self, SlMessage * invite)
{
  g_autoptr (SlMessage) reject =
      sl_call_message_new (sl_signal_client_get_protocol_version
      (self->signal), "reject", sl_message_get_string (invite, "call_id"),
      NULL);

  sl_message_set_string (reject, "reason", "busy");
  sl_signal_client_send (self->signal, reject, NULL);
}

static void
take_incoming (SlPhone * self, SlMessage * invite)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlCall) call = NULL;

  if (!self->accept_incoming || g_hash_table_size (self->calls) >= MAX_CALLS) {
    /* Not taking calls: the server tells the caller. */
    reject_busy (self, invite);
    return;
  }
  call = sl_call_new_incoming (self->signal, self->opts, invite, self->code,
      &error);
  if (call == NULL) {
    g_signal_emit (self, signals[SIGNAL_INCOMING_REFUSED], 0, error);
    return;
  }
  add_call (self, call);
  sl_call_start (call);
  if (sl_call_get_state (call) == SL_CALL_STATE_RINGING)
    g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, call);
}

static gboolean
ended_a_moment_ago (SlPhone * self, const char *call_id)
{
  GList *l;

  for (l = self->ended.head; l; l = l->next) {
    if (g_strcmp0 (l->data, call_id) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
on_call_message (SlSignalClient * signal, SlMessage * msg, SlPhone * self)
{
  const char *type = sl_message_get_type_name (msg);
  const char *call_id = sl_message_has_member (msg, "call_id") ?
      sl_message_get_string (msg, "call_id") : NULL;
  SlCall *call = call_id ? g_hash_table_lookup (self->calls, call_id) : NULL;

  if (call) {
    g_autoptr (SlCall) keep = g_object_ref (call);

    sl_call_handle_message (call, msg);
  } else if (g_str_equal (type, "incoming")) {
    take_incoming (self, msg);
  } else if (call_id && ended_a_moment_ago (self, call_id)) {
    g_debug ("dropped %s for a call that ended", type);
  } else if (g_str_equal (type, "error")) {
    g_signal_emit (self, signals[SIGNAL_SERVER_ERROR], 0,
        sl_message_get_string (msg, "code"),
        sl_message_get_string (msg, "message"));
  } else {
    g_debug ("dropped %s for no call of ours", type);
  }
}

/**
 * sl_phone_new:
 * @signal: the device's connection to the server (a reference is kept)
 * @opts: the media options of every call (copied; copies share its ICE
 *   port memory)
 *
 * Returns: (transfer full): a phone that takes calls (see
 *   sl_phone_set_accept_incoming()) and places them
 */
SlPhone *
sl_phone_new (SlSignalClient * signal, const SlMediaOptions * opts)
{
  SlPhone *self = g_object_new (SL_TYPE_PHONE, NULL);

  self->signal = g_object_ref (signal);
  self->opts = sl_media_options_copy (opts);
  g_signal_connect (signal, "call-message", G_CALLBACK (on_call_message), self);
  return self;
}

/**
 * sl_phone_get_signal_client:
 *
 * Returns: (transfer none): the connection to the server
 */
SlSignalClient *
sl_phone_get_signal_client (SlPhone * self)
{
  return self->signal;
}

/**
 * sl_phone_set_continuity:
 * @self: a phone
 * @store: (nullable): this device's retained secrets (a reference is kept)
 * @own_cert_hash: (nullable): SHA-256 of this device's certificate
 *
 * Key continuity for the calls from now on (sl_call_set_continuity()).
 */
void
sl_phone_set_continuity (SlPhone * self, SlContinuityStore * store,
    const guint8 * own_cert_hash)
{
  g_set_object (&self->store, store);
  self->have_own_cert = own_cert_hash != NULL;
  if (own_cert_hash)
    memcpy (self->own_cert, own_cert_hash, SL_CERT_HASH_LEN);
}

/**
 * sl_phone_set_code:
 * @self: a phone
 * @code: (nullable): the security code incoming calls are answered with
 */
void
sl_phone_set_code (SlPhone * self, const char *code)
{
  if (self->code)
    sl_crypto_wipe ("security code copy", self->code, strlen (self->code));
  g_free (self->code);
  self->code = g_strdup (code);
}

/**
 * sl_phone_set_accept_incoming:
 * @self: a phone
 * @accept: whether invites ring; if not, callers hear busy
 */
void
sl_phone_set_accept_incoming (SlPhone * self, gboolean accept)
{
  g_return_if_fail (SL_IS_PHONE (self));

  if (self->accept_incoming == accept)
    return;
  self->accept_incoming = accept;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACCEPT_INCOMING]);
}

gboolean
sl_phone_get_accept_incoming (SlPhone * self)
{
  return self->accept_incoming;
}

/**
 * sl_phone_call:
 * @self: a phone, connected
 * @peer_id: the device to call
 * @code: (nullable): the security code both users typed
 * @error: set when not connected or a call is in progress
 *
 * Places a call: "call-added" is emitted, then the call starts.
 *
 * Returns: (transfer full) (nullable): the call
 */
SlCall *
sl_phone_call (SlPhone * self, const char *peer_id, const char *code,
    GError ** error)
{
  g_autoptr (SlCall) call = NULL;

  g_return_val_if_fail (SL_IS_PHONE (self), NULL);

  if (!sl_signal_client_is_connected (self->signal)) {
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_SERVER,
        "Not connected to the server");
    return NULL;
  }
  if (g_hash_table_size (self->calls) >= MAX_CALLS) {
    g_set_error_literal (error, SL_CALL_ERROR, SL_CALL_ERROR_CONFIG,
        "A call is already in progress");
    return NULL;
  }
  call = sl_call_new_outgoing (self->signal, self->opts, peer_id, code);
  add_call (self, call);
  sl_call_start (call);
  return g_steal_pointer (&call);
}

/**
 * sl_phone_get_n_calls:
 *
 * Returns: how many calls have not ended
 */
guint
sl_phone_get_n_calls (SlPhone * self)
{
  return g_hash_table_size (self->calls);
}

static void
sl_phone_set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  SlPhone *self = SL_PHONE (object);

  switch (prop_id) {
    case PROP_ACCEPT_INCOMING:
      sl_phone_set_accept_incoming (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
sl_phone_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  SlPhone *self = SL_PHONE (object);

  switch (prop_id) {
    case PROP_ACCEPT_INCOMING:
      g_value_set_boolean (value, self->accept_incoming);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
sl_phone_dispose (GObject * object)
{
  SlPhone *self = SL_PHONE (object);
  GHashTableIter iter;
  gpointer call;

  if (self->signal)
    g_signal_handlers_disconnect_by_data (self->signal, self);
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &call))
    g_signal_handlers_disconnect_by_data (call, self);
  g_hash_table_remove_all (self->calls);
  g_clear_object (&self->signal);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sl_phone_parent_class)->dispose (object);
}

static void
sl_phone_finalize (GObject * object)
{
  SlPhone *self = SL_PHONE (object);

  g_hash_table_unref (self->calls);
  g_queue_clear_full (&self->ended, g_free);
  sl_phone_set_code (self, NULL);
  g_clear_pointer (&self->opts, sl_media_options_free);

  G_OBJECT_CLASS (sl_phone_parent_class)->finalize (object);
}

static void
sl_phone_class_init (SlPhoneClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->set_property = sl_phone_set_property;
  object_class->get_property = sl_phone_get_property;
  object_class->dispose = sl_phone_dispose;
  object_class->finalize = sl_phone_finalize;

  /* Whether invites ring (TRUE) or callers hear busy (a device placing a
   * call, "do not disturb"). */
  props[PROP_ACCEPT_INCOMING] = g_param_spec_boolean ("accept-incoming",
      "Accept incoming", "Whether incoming calls ring", TRUE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* (SlCall) a new call, not started yet: connect to it here. */
  signals[SIGNAL_CALL_ADDED] = g_signal_new ("call-added",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, SL_TYPE_CALL);
  /* (SlCall) an incoming call rings: sl_call_accept() or sl_call_reject()
   * it (or let it ring until the server's timeout). */
  signals[SIGNAL_INCOMING_CALL] = g_signal_new ("incoming-call",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, SL_TYPE_CALL);
  /* (SlCall, GError or NULL) a call ended (after its own "ended"); the
   * phone lets go of it now. */
  signals[SIGNAL_CALL_ENDED] = g_signal_new ("call-ended",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, SL_TYPE_CALL, G_TYPE_ERROR);
  /* (GError) an invite that cannot be a call (no handshake in it). */
  signals[SIGNAL_INCOMING_REFUSED] = g_signal_new ("incoming-refused",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* (code, message) the server refused a request that was no call's. */
  signals[SIGNAL_SERVER_ERROR] = g_signal_new ("server-error",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
sl_phone_init (SlPhone * self)
{
  self->accept_incoming = TRUE;
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_object_unref);
  g_queue_init (&self->ended);
}
