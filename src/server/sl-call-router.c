/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Call control at the server (docs/PROTOCOL.md, "Call state machine"):
 *
 *   invite ──► RINGING ──accept──► ACTIVE ──hangup / peer-gone──► ended
 *                 │
 *                 └── reject / cancel / ring timeout / peer-gone ──► ended
 *
 * A callee already in a call (or whose status is busy) makes the invite
 * end at once with `busy`.  Handshake messages (invite.hs, accept.hs) and
 * sealed records (relay.blob) are opaque base64 to the server: it checks
 * their length and alphabet, forwards them to the other party and keeps
 * nothing; they are never logged.  A device is in at most one call.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-router.h"
#include "sl-signalling.h"

#include <string.h>

typedef enum
{
  CALL_RINGING,
  CALL_ACTIVE,
} CallState;

/* One call as the server routes it (named apart from the client's SlCall,
 * which is a different thing: the device's side of a call). */
typedef struct
{
  SlCallRouter *router;
  char call_id[33];
  SlServerConnection *caller;
  SlServerConnection *callee;
  CallState state;
  guint ring_timeout_id;
} SlRoutedCall;

struct _SlCallRouter
{
  GObject parent_instance;

  const SlServerConfig *config;
  SlPresence *presence;
  SlServerMetrics *metrics;
  GHashTable *calls;            /* call_id (in the SlRoutedCall) -> SlRoutedCall */
};

G_DEFINE_FINAL_TYPE (SlCallRouter, sl_call_router, G_TYPE_OBJECT);

static const char *const handled_types[] = { "invite", "ringing", "accept",
  "reject", "cancel", "hangup", "relay", NULL
};

/**
 * sl_call_router_new:
 * @config: the server settings; must outlive the router
 * @presence: who is online
 * @metrics: the server's metrics
 *
 * Returns: (transfer full): a router with no calls
 */
SlCallRouter *
sl_call_router_new (const SlServerConfig * config, SlPresence * presence,
    SlServerMetrics * metrics)
{
  SlCallRouter *self = g_object_new (SL_TYPE_CALL_ROUTER, NULL);

  self->config = config;
  self->presence = g_object_ref (presence);
  self->metrics = g_object_ref (metrics);
  return self;
}

/**
 * sl_call_router_handles:
 * @type: a device-to-server message type
 *
 * Returns: whether sl_call_router_handle() takes this type
 */
gboolean
sl_call_router_handles (const char *type)
{
  return g_strv_contains (handled_types, type);
}

static void
call_free (gpointer data)
{
  SlRoutedCall *call = data;

  g_clear_handle_id (&call->ring_timeout_id, g_source_remove);
  g_clear_object (&call->caller);
  g_clear_object (&call->callee);
  g_free (call);
}

static void
send_simple (SlServerConnection * to, const char *type, const char *call_id)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_signalling_to_client, type);

  sl_message_set_string (msg, "call_id", call_id);
  sl_server_connection_send (to, msg);
}

/* Announces a status change to the others, if @conn is still online. */
static void
status_maybe_changed (SlCallRouter * self, SlServerConnection * conn,
    gboolean was_busy)
{
  if (sl_server_connection_is_closing (conn) ||
      sl_presence_lookup (self->presence,
          sl_server_connection_get_device_id (conn)) != conn)
    return;
  if (sl_server_connection_is_busy (conn) != was_busy)
    sl_presence_announce (self->presence, conn, "status");
}

static void
log_call (SlRoutedCall * call, const char *event, const char *outcome)
{
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
      "EVENT", event, "CALL_ID", call->call_id,
      "CALLER", sl_server_connection_get_device_id (call->caller),
      "CALLEE", sl_server_connection_get_device_id (call->callee),
      "OUTCOME", outcome ? outcome : "-", "MESSAGE", "call %s", event);
}

static void
end_call (SlCallRouter * self, SlRoutedCall * call, const char *outcome)
{
  SlServerConnection *caller = g_object_ref (call->caller);
  SlServerConnection *callee = g_object_ref (call->callee);
  gboolean caller_busy = sl_server_connection_is_busy (caller);
  gboolean callee_busy = sl_server_connection_is_busy (callee);

  log_call (call, "call-ended", outcome);
  sl_server_metrics_add (self->metrics, SL_METRIC_CALLS, outcome, 1);
  sl_server_metrics_add (self->metrics, SL_METRIC_CALLS_ACTIVE, NULL, -1);
  sl_server_connection_set_call (caller, NULL);
  sl_server_connection_set_call (callee, NULL);
  g_hash_table_remove (self->calls, call->call_id);     /* frees call */

  status_maybe_changed (self, caller, caller_busy);
  status_maybe_changed (self, callee, callee_busy);
  g_object_unref (caller);
  g_object_unref (callee);
}

static gboolean
ring_timeout_cb (gpointer user_data)
{
  SlRoutedCall *call = user_data;
  SlCallRouter *self = call->router;

  call->ring_timeout_id = 0;
  send_simple (call->caller, "timeout", call->call_id);
  send_simple (call->callee, "timeout", call->call_id);
  end_call (self, call, "timeout");
  return G_SOURCE_REMOVE;
}

static void
count_relayed (SlCallRouter * self, const char *blob)
{
  sl_server_metrics_add (self->metrics, SL_METRIC_RELAYED_MESSAGES, NULL, 1);
  sl_server_metrics_add (self->metrics, SL_METRIC_RELAYED_BYTES, NULL,
      (gint64) strlen (blob));
}

static void
handle_invite (SlCallRouter * self, SlServerConnection * from, SlMessage * msg)
{
  const char *call_id = sl_message_get_string (msg, "call_id");
  const char *to = sl_message_get_string (msg, "to");
  g_autoptr (SlMessage) incoming = NULL;
  SlServerConnection *callee;
  gboolean caller_busy, callee_busy;
  SlRoutedCall *call;

  if (sl_server_connection_get_call (from)) {
    sl_server_connection_send_error (from, SL_SIGNALLING_ERROR_BAD_STATE,
        "you are already in a call", call_id, "invite");
    return;
  }
  if (g_str_equal (to, sl_server_connection_get_device_id (from))) {
    sl_server_connection_send_error (from, SL_SIGNALLING_ERROR_SELF_CALL,
        "a device cannot call itself", call_id, "invite");
    return;
  }
  if (g_hash_table_contains (self->calls, call_id)) {
    sl_server_connection_send_error (from,
        SL_SIGNALLING_ERROR_CALL_ID_IN_USE, "this call id is in use; "
        "generate a new one", call_id, "invite");
    return;
  }
  callee = sl_presence_lookup (self->presence, to);
  if (callee == NULL || sl_server_connection_is_closing (callee)) {
    sl_server_connection_send_error (from, SL_SIGNALLING_ERROR_OFFLINE,
        "the device is not online", call_id, "invite");
    return;
  }
  if (sl_server_connection_is_busy (callee)) {
    send_simple (from, "busy", call_id);
    sl_server_metrics_add (self->metrics, SL_METRIC_CALLS, "busy", 1);
    return;
  }

  call = g_new0 (SlRoutedCall, 1);
  call->router = self;
  g_strlcpy (call->call_id, call_id, sizeof call->call_id);
  call->caller = g_object_ref (from);
  call->callee = g_object_ref (callee);
  call->state = CALL_RINGING;
  g_hash_table_insert (self->calls, call->call_id, call);
  sl_server_metrics_add (self->metrics, SL_METRIC_CALLS_ACTIVE, NULL, 1);

  caller_busy = sl_server_connection_is_busy (from);
  callee_busy = sl_server_connection_is_busy (callee);
  sl_server_connection_set_call (from, call);
  sl_server_connection_set_call (callee, call);
  call->ring_timeout_id = g_timeout_add (self->config->ring_timeout_ms,
      ring_timeout_cb, call);
  log_call (call, "call-ringing", NULL);

  incoming = sl_message_new (&sl_signalling_to_client, "incoming");
  sl_message_set_string (incoming, "call_id", call_id);
  sl_server_connection_fill_device (from, sl_message_set_object (incoming,
          "from"), FALSE);
  sl_message_set_string (incoming, "hs", sl_message_get_string (msg, "hs"));
  sl_server_connection_send (callee, incoming);
  count_relayed (self, sl_message_get_string (msg, "hs"));

  status_maybe_changed (self, from, caller_busy);
  status_maybe_changed (self, callee, callee_busy);
}

/* The call @msg names, if @from is one of its parties; else answers with
 * not-in-call (the same answer whether or not the call exists). */
static SlRoutedCall *
find_call (SlCallRouter * self, SlServerConnection * from, SlMessage * msg)
{
  const char *call_id = sl_message_get_string (msg, "call_id");
  SlRoutedCall *call = g_hash_table_lookup (self->calls, call_id);

  if (call == NULL || (call->caller != from && call->callee != from)) {
    sl_server_connection_send_error (from, SL_SIGNALLING_ERROR_NOT_IN_CALL,
        "you are not a party to this call", call_id,
        sl_message_get_type_name (msg));
    return NULL;
  }
  return call;
}

static gboolean
check_state (SlRoutedCall * call, SlServerConnection * from, SlMessage * msg,
    CallState state, SlServerConnection * party, const char *why)
{
  if (call->state == state && (party == NULL || party == from))
    return TRUE;
  sl_server_connection_send_error (from, SL_SIGNALLING_ERROR_BAD_STATE, why,
      call->call_id, sl_message_get_type_name (msg));
  return FALSE;
}

static void
handle_call_message (SlCallRouter * self, SlServerConnection * from,
    SlMessage * msg)
{
  const char *type = sl_message_get_type_name (msg);
  SlRoutedCall *call = find_call (self, from, msg);
  SlServerConnection *peer;

  if (call == NULL)
    return;
  peer = (from == call->caller) ? call->callee : call->caller;

  if (g_str_equal (type, "relay")) {
    g_autoptr (SlMessage) out = NULL;

    if (!check_state (call, from, msg, CALL_ACTIVE, NULL,
            "records are relayed only in an active call"))
      return;
    out = sl_message_new (&sl_signalling_to_client, "relay");
    sl_message_set_string (out, "call_id", call->call_id);
    sl_message_set_string (out, "blob", sl_message_get_string (msg, "blob"));
    sl_server_connection_send (peer, out);
    count_relayed (self, sl_message_get_string (msg, "blob"));
  } else if (g_str_equal (type, "ringing")) {
    if (check_state (call, from, msg, CALL_RINGING, call->callee,
            "only the callee of a ringing call sends ringing"))
      send_simple (peer, "ringing", call->call_id);
  } else if (g_str_equal (type, "accept")) {
    g_autoptr (SlMessage) out = NULL;

    if (!check_state (call, from, msg, CALL_RINGING, call->callee,
            "only the callee of a ringing call can accept it"))
      return;
    call->state = CALL_ACTIVE;
    g_clear_handle_id (&call->ring_timeout_id, g_source_remove);
    log_call (call, "call-active", NULL);
    out = sl_message_new (&sl_signalling_to_client, "accepted");
    sl_message_set_string (out, "call_id", call->call_id);
    sl_message_set_string (out, "hs", sl_message_get_string (msg, "hs"));
    sl_server_connection_send (peer, out);
    count_relayed (self, sl_message_get_string (msg, "hs"));
  } else if (g_str_equal (type, "reject")) {
    g_autoptr (SlMessage) out = NULL;
    const char *reason = sl_message_get_string (msg, "reason");

    if (!check_state (call, from, msg, CALL_RINGING, call->callee,
            "only the callee of a ringing call can reject it"))
      return;
    out = sl_message_new (&sl_signalling_to_client, "rejected");
    sl_message_set_string (out, "call_id", call->call_id);
    sl_message_set_string (out, "reason", reason);
    sl_server_connection_send (peer, out);
    end_call (self, call, g_str_equal (reason, "busy") ? "busy" : "rejected");
  } else if (g_str_equal (type, "cancel")) {
    if (!check_state (call, from, msg, CALL_RINGING, call->caller,
            "only the caller of a ringing call can cancel it"))
      return;
    send_simple (peer, "cancelled", call->call_id);
    end_call (self, call, "cancelled");
  } else if (g_str_equal (type, "hangup")) {
    g_autoptr (SlMessage) out = NULL;

    if (!check_state (call, from, msg, CALL_ACTIVE, NULL,
            "hang up an active call; cancel or reject a ringing one"))
      return;
    out = sl_message_new (&sl_signalling_to_client, "hangup");
    sl_message_set_string (out, "call_id", call->call_id);
    sl_message_set_string (out, "reason", sl_message_get_string (msg,
            "reason"));
    sl_server_connection_send (peer, out);
    end_call (self, call, "hangup");
  }
}

/**
 * sl_call_router_handle:
 * @self: the router
 * @from: the device that sent @msg
 * @msg: a message for which sl_call_router_handles() is %TRUE
 *
 * Applies one call-control message, answering @from with an `error` when
 * the call's state or @from's part in it does not allow it.
 */
void
sl_call_router_handle (SlCallRouter * self, SlServerConnection * from,
    SlMessage * msg)
{
  g_return_if_fail (SL_IS_CALL_ROUTER (self));

  if (g_str_equal (sl_message_get_type_name (msg), "invite"))
    handle_invite (self, from, msg);
  else
    handle_call_message (self, from, msg);
}

/**
 * sl_call_router_disconnect:
 * @self: the router
 * @conn: a device that went away
 *
 * Ends its call, if any, telling the other party `peer-gone`.
 */
void
sl_call_router_disconnect (SlCallRouter * self, SlServerConnection * conn)
{
  SlRoutedCall *call;

  g_return_if_fail (SL_IS_CALL_ROUTER (self));
  call = sl_server_connection_get_call (conn);
  if (call == NULL)
    return;
  send_simple (conn == call->caller ? call->callee : call->caller,
      "peer-gone", call->call_id);
  end_call (self, call, "peer-gone");
}

/**
 * sl_call_router_end_all:
 * @self: the router
 *
 * Ends every call without telling anyone: used at shutdown, when every
 * device is told `shutdown` instead.
 */
void
sl_call_router_end_all (SlCallRouter * self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SL_IS_CALL_ROUTER (self));
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    SlRoutedCall *call = value;

    sl_server_connection_set_call (call->caller, NULL);
    sl_server_connection_set_call (call->callee, NULL);
    sl_server_metrics_add (self->metrics, SL_METRIC_CALLS, "shutdown", 1);
    sl_server_metrics_add (self->metrics, SL_METRIC_CALLS_ACTIVE, NULL, -1);
    g_hash_table_iter_remove (&iter);
  }
}

/**
 * sl_call_router_get_count:
 * @self: the router
 *
 * Returns: the number of calls ringing or active
 */
guint
sl_call_router_get_count (SlCallRouter * self)
{
  g_return_val_if_fail (SL_IS_CALL_ROUTER (self), 0);
  return g_hash_table_size (self->calls);
}

static void
sl_call_router_dispose (GObject * object)
{
  SlCallRouter *self = SL_CALL_ROUTER (object);

  if (self->calls)
    sl_call_router_end_all (self);
  g_clear_object (&self->presence);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (sl_call_router_parent_class)->dispose (object);
}

static void
sl_call_router_finalize (GObject * object)
{
  SlCallRouter *self = SL_CALL_ROUTER (object);

  g_clear_pointer (&self->calls, g_hash_table_unref);
  G_OBJECT_CLASS (sl_call_router_parent_class)->finalize (object);
}

static void
sl_call_router_class_init (SlCallRouterClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_call_router_dispose;
  object_class->finalize = sl_call_router_finalize;
}

static void
sl_call_router_init (SlCallRouter * self)
{
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      call_free);
}
