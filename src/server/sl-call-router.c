/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Call control at the server (docs/PROTOCOL.md, "Call state machine"):
 * a call is a set of members, each INVITED (ringing) or JOINED (a
 * participant).  `invite` creates a call with the caller joined and the
 * callee invited; a version 2 participant may invite more devices, up to
 * max_call_participants members.  A member leaving (hang-up, reject,
 * ring timeout, disconnect) leaves the call to the others; the call ends
 * when fewer than two members remain.  Invitations die with their
 * inviter: the inviter's handshake message is in them.
 *
 * A version 1 device sees exactly the two-party protocol: a call that has
 * a version 1 member never grows past two members, and it receives
 * messages without the members version 2 added (sl-call-notify.c).
 *
 * Handshake messages (invite.hs, accept.hs) and sealed records
 * (relay.blob) are opaque base64 to the server: it checks their length and
 * alphabet, forwards them to the one member they are for and keeps
 * nothing; they are never logged.
 *
 * The router knows devices by id and session only: it finds them and
 * reaches them through an SlDeviceDirectory, keeps its calls in an
 * SlCallTable, and asks SlCallAdmission whether an invitation may go
 * ahead (online, the policy, group limits).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-router.h"
#include "sl-call-admission.h"
#include "sl-call-notify.h"
#include "sl-call-table.h"
#include "sl-signalling.h"

#include <string.h>

struct _SlCallRouter
{
  GObject parent_instance;

  const SlServerConfig *config;
  SlDeviceDirectory *directory;
  SlServerMetrics *metrics;
  SlCallAdmission *admission;
  SlCallTable *table;
};

/* What a ring timer needs to find its invitation again. */
typedef struct
{
  SlCallRouter *router;
  char call_id[33];
  char *device_id;
} RingTimer;

enum
{
  SIGNAL_CALL_MEMBERS,
  SIGNAL_CALL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlCallRouter, sl_call_router, G_TYPE_OBJECT);

static const char *const handled_types[] = { "invite", "ringing", "accept",
  "reject", "cancel", "hangup", "relay", NULL
};

/**
 * sl_call_router_new:
 * @config: the server settings; must outlive the router
 * @directory: where devices are found and reached
 * @metrics: the server's metrics
 * @policy: the call policy
 *
 * Returns: (transfer full): a router with no calls
 */
SlCallRouter *
sl_call_router_new (const SlServerConfig * config,
    SlDeviceDirectory * directory, SlServerMetrics * metrics,
    SlCallPolicy * policy)
{
  SlCallRouter *self = g_object_new (SL_TYPE_CALL_ROUTER, NULL);

  self->config = config;
  self->directory = g_object_ref (directory);
  self->metrics = g_object_ref (metrics);
  self->admission = sl_call_admission_new (config, directory, metrics, policy);
  return self;
}

/**
 * sl_call_router_set_policy:
 * @self: the router
 * @policy: the policy for invitations from now on
 *
 * Calls in progress are left as they are (docs/DEPLOYMENT.md).
 */
void
sl_call_router_set_policy (SlCallRouter * self, SlCallPolicy * policy)
{
  g_return_if_fail (SL_IS_CALL_ROUTER (self));
  sl_call_admission_set_policy (self->admission, policy);
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
refuse (SlCallRouter * self, const SlDeviceInfo * to, const char *code,
    const char *message, const char *call_id, const char *ref_type,
    const char *peer)
{
  sl_call_notify_error (self->directory, self->metrics, to, code, message,
      call_id, ref_type, peer);
}

static void
log_call (const SlCallRecord * record, const char *event,
    const char *device_id, const char *outcome)
{
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
      "EVENT", event, "CALL_ID", record->call_id,
      "DEVICE_ID", device_id ? device_id : "-",
      "OUTCOME", outcome ? outcome : "-", "MESSAGE", "call %s", event);
}

static void
count_relayed (SlCallRouter * self, const char *blob)
{
  sl_server_metrics_add (self->metrics, SL_METRIC_RELAYED_MESSAGES, NULL, 1);
  sl_server_metrics_add (self->metrics, SL_METRIC_RELAYED_BYTES, NULL,
      (gint64) strlen (blob));
}

static void
set_in_call (SlCallRouter * self, const SlCallMember * m, gboolean in_call)
{
  sl_device_directory_set_in_call (self->directory, m->device.device_id,
      m->device.session, in_call);
}

/* Tells whoever keeps a copy (the cluster's call store) who is in the
 * call now that its participants changed. */
static void
announce_members (SlCallRouter * self, const SlCallRecord * record)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  guint i;

  for (i = 0; i < record->members->len; i++) {
    const SlCallMember *m = g_ptr_array_index (record->members, i);

    if (m->state == SL_CALL_MEMBER_JOINED)
      g_ptr_array_add (ids, (gpointer) m->device.device_id);
  }
  if (ids->len < 2)
    return;
  g_ptr_array_add (ids, NULL);
  g_signal_emit (self, signals[SIGNAL_CALL_MEMBERS], 0, record->call_id,
      ids->pdata);
}

/* Ends the call: every member left is released (in the order they came,
 * so that presence announces them in that order) and the call forgotten. */
static void
end_call (SlCallRouter * self, SlCallRecord * record, const char *outcome)
{
  g_autoptr (GPtrArray) members = g_ptr_array_ref (record->members);
  guint i;

  log_call (record, "call-ended", NULL, outcome);
  sl_server_metrics_add (self->metrics, SL_METRIC_CALLS, outcome, 1);
  sl_server_metrics_add (self->metrics, SL_METRIC_CALLS_ACTIVE, NULL, -1);
  g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, record->call_id);
  sl_call_table_remove (self->table, record);
  for (i = 0; i < members->len; i++)
    set_in_call (self, g_ptr_array_index (members, i), FALSE);
}

/* Takes @leaving (members of @record) out of the call, or ends the call if
 * fewer than two members would remain. */
static void
finish (SlCallRouter * self, SlCallRecord * record, GPtrArray * leaving,
    const char *outcome)
{
  guint i;

  if (record->members->len - leaving->len < 2) {
    end_call (self, record, outcome);
    return;
  }
  for (i = 0; i < leaving->len; i++) {
    SlCallMember *m = g_ptr_array_index (leaving, i);

    log_call (record, "call-left", m->device.device_id, outcome);
    set_in_call (self, m, FALSE);
    sl_call_table_remove_member (self->table, record, m);
  }
  announce_members (self, record);
}

static void
finish_one (SlCallRouter * self, SlCallRecord * record, SlCallMember * m,
    const char *outcome)
{
  g_autoptr (GPtrArray) leaving = g_ptr_array_new ();

  g_ptr_array_add (leaving, m);
  finish (self, record, leaving, outcome);
}

/* A participant leaves: the other participants are told why, and the
 * devices it invited are told their invitation is over. */
static void
depart (SlCallRouter * self, SlCallRecord * record, SlCallMember * me,
    const char *hangup_reason, const char *outcome)
{
  g_autoptr (GPtrArray) leaving = g_ptr_array_new ();
  const char *id = me->device.device_id;
  guint i;

  for (i = 0; i < record->members->len; i++) {
    SlCallMember *m = g_ptr_array_index (record->members, i);

    if (m == me)
      continue;
    if (m->state == SL_CALL_MEMBER_JOINED) {
      sl_call_notify (self->directory, &m->device,
          hangup_reason ? "hangup" : "peer-gone", record->call_id, id,
          hangup_reason ? "reason" : NULL, hangup_reason);
    } else if (g_strcmp0 (m->inviter, id) == 0) {
      sl_call_notify (self->directory, &m->device,
          hangup_reason ? "cancelled" : "peer-gone", record->call_id, id,
          NULL, NULL);
      g_ptr_array_add (leaving, m);
    }
  }
  g_ptr_array_add (leaving, me);
  finish (self, record, leaving, outcome);
}

static gboolean
ring_timeout_cb (gpointer user_data)
{
  RingTimer *t = user_data;
  SlCallRouter *self = t->router;
  SlCallRecord *record = sl_call_table_lookup (self->table, t->call_id);
  SlCallMember *me = record ? sl_call_record_find (record, t->device_id) : NULL;
  SlCallMember *inviter;

  if (me == NULL)
    return G_SOURCE_REMOVE;
  me->ring_timeout_id = 0;      /* this source is ending */
  inviter = sl_call_record_find (record, me->inviter);
  sl_call_notify (self->directory, &inviter->device, "timeout",
      record->call_id, me->device.device_id, NULL, NULL);
  sl_call_notify (self->directory, &me->device, "timeout", record->call_id,
      inviter->device.device_id, NULL, NULL);
  finish_one (self, record, me, "timeout");
  return G_SOURCE_REMOVE;
}

static void
ring_timer_free (gpointer data)
{
  RingTimer *t = data;

  g_free (t->device_id);
  g_free (t);
}

static SlCallMember *
add_invitee (SlCallRouter * self, SlCallRecord * record,
    const SlDeviceInfo * callee, const SlDeviceInfo * inviter)
{
  SlCallMember *m = sl_call_table_add_member (self->table, record, callee,
      SL_CALL_MEMBER_INVITED, inviter->device_id);
  RingTimer *t = g_new0 (RingTimer, 1);

  t->router = self;
  g_strlcpy (t->call_id, record->call_id, sizeof t->call_id);
  t->device_id = g_strdup (callee->device_id);
  m->ring_timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
      self->config->ring_timeout_ms, ring_timeout_cb, t, ring_timer_free);
  return m;
}

static void
send_busy (SlCallRouter * self, const SlDeviceInfo * from,
    const char *call_id, const char *callee)
{
  sl_call_notify (self->directory, from, "busy", call_id, callee, NULL, NULL);
}

static gboolean
callee_busy (SlCallRouter * self, const SlDeviceInfo * callee)
{
  return callee->busy ||
      sl_call_table_find_device (self->table, callee->device_id) != NULL;
}

/* A version 2 participant invites one more device into its call. */
static void
invite_into (SlCallRouter * self, const SlDeviceInfo * from,
    SlCallRecord * record, const char *to, const char *hs)
{
  const char *call_id = record->call_id;
  SlDeviceInfo callee;
  SlCallMember *m;

  if (!sl_call_admission_join (self->admission, from, record, to, &callee))
    return;
  if (callee_busy (self, &callee)) {
    send_busy (self, from, call_id, to);
    return;
  }

  m = add_invitee (self, record, &callee, from);
  log_call (record, "call-invited", to, NULL);
  sl_call_notify_incoming (self->directory, &m->device, record, from, hs);
  count_relayed (self, hs);
  set_in_call (self, m, TRUE);
}

static void
handle_invite (SlCallRouter * self, const SlDeviceInfo * from, SlMessage * msg)
{
  const char *call_id = sl_message_get_string (msg, "call_id");
  const char *to = sl_message_get_string (msg, "to");
  const char *hs = sl_message_get_string (msg, "hs");
  SlCallRecord *mine = sl_call_table_find_device (self->table,
      from->device_id);
  SlDeviceInfo callee;
  SlCallRecord *record;
  SlCallMember *caller, *invitee;

  if (mine) {
    SlCallMember *me = sl_call_record_find (mine, from->device_id);

    if (from->version >= 2 && g_str_equal (mine->call_id, call_id) &&
        me->state == SL_CALL_MEMBER_JOINED)
      invite_into (self, from, mine, to, hs);
    else
      refuse (self, from, SL_SIGNALLING_ERROR_BAD_STATE,
          "you are already in a call", call_id, "invite", NULL);
    return;
  }
  if (sl_call_admission_self_call (self->admission, from, call_id, to))
    return;
  if (sl_call_table_lookup (self->table, call_id)) {
    refuse (self, from, SL_SIGNALLING_ERROR_CALL_ID_IN_USE,
        "this call id is in use; generate a new one", call_id, "invite", NULL);
    return;
  }
  if (!sl_call_admission_reach (self->admission, from, call_id, to, &callee))
    return;
  if (callee_busy (self, &callee)) {
    send_busy (self, from, call_id, to);
    sl_server_metrics_add (self->metrics, SL_METRIC_CALLS, "busy", 1);
    return;
  }

  record = sl_call_table_create (self->table, call_id);
  caller = sl_call_table_add_member (self->table, record, from,
      SL_CALL_MEMBER_JOINED, NULL);
  invitee = add_invitee (self, record, &callee, from);
  sl_server_metrics_add (self->metrics, SL_METRIC_CALLS_ACTIVE, NULL, 1);
  log_call (record, "call-ringing", to, NULL);
  sl_call_notify_incoming (self->directory, &invitee->device, record, from, hs);
  count_relayed (self, hs);
  set_in_call (self, caller, TRUE);
  set_in_call (self, invitee, TRUE);
}

static void
handle_accept (SlCallRouter * self, SlCallRecord * record, SlCallMember * me,
    const char *hs)
{
  SlCallMember *inviter = sl_call_record_find (record, me->inviter);
  guint i;

  me->state = SL_CALL_MEMBER_JOINED;
  g_clear_handle_id (&me->ring_timeout_id, g_source_remove);
  g_clear_pointer (&me->inviter, g_free);
  log_call (record, sl_call_record_count (record,
          SL_CALL_MEMBER_JOINED) == 2 ? "call-active" : "call-joined",
      me->device.device_id, NULL);
  sl_call_notify (self->directory, &inviter->device, "accepted",
      record->call_id, me->device.device_id, "hs", hs);
  count_relayed (self, hs);
  announce_members (self, record);
  if (me->device.version >= 2)
    sl_call_notify_participants (self->directory, &me->device, record);
  for (i = 0; i < record->members->len; i++) {
    const SlCallMember *m = g_ptr_array_index (record->members, i);

    if (m != me && m != inviter && m->state == SL_CALL_MEMBER_JOINED &&
        m->device.version >= 2)
      sl_call_notify_joined (self->directory, &m->device, record->call_id,
          &me->device);
  }
}

/* The invitation @me made that a cancel names: the only one for version 1,
 * the one to `to` for version 2. */
static SlCallMember *
find_invitation (const SlCallRecord * record, const SlCallMember * me,
    SlMessage * msg)
{
  const char *to = me->device.version >= 2 ?
      sl_message_get_string (msg, "to") : NULL;
  guint i;

  for (i = 0; i < record->members->len; i++) {
    SlCallMember *m = g_ptr_array_index (record->members, i);

    if (m->state == SL_CALL_MEMBER_INVITED &&
        g_strcmp0 (m->inviter, me->device.device_id) == 0 &&
        (to == NULL || g_str_equal (m->device.device_id, to)))
      return m;
  }
  return NULL;
}

/* The member a relay is for: the one named by `to` (version 2), or the
 * other participant of a two-party call (version 1).  A version 2 target
 * must be a participant of the same call: blobs never go to anyone else. */
static SlCallMember *
relay_target (SlCallRouter * self, const SlDeviceInfo * from,
    SlCallRecord * record, SlCallMember * me, SlMessage * msg)
{
  SlCallMember *target = NULL;
  guint i;

  if (from->version >= 2) {
    const char *to = sl_message_get_string (msg, "to");

    target = sl_call_record_find (record, to);
    if (target == NULL || target == me ||
        target->state != SL_CALL_MEMBER_JOINED) {
      g_autofree char *text = g_strdup_printf ("'%s' is not a participant "
          "of this call", to);
      refuse (self, from, SL_SIGNALLING_ERROR_NOT_PARTICIPANT, text,
          record->call_id, "relay", to);
      return NULL;
    }
    return target;
  }
  for (i = 0; i < record->members->len; i++) {
    SlCallMember *m = g_ptr_array_index (record->members, i);

    if (m != me && m->state == SL_CALL_MEMBER_JOINED)
      target = m;
  }
  return target;
}

static gboolean
check_state (SlCallRouter * self, const SlDeviceInfo * from,
    SlCallRecord * record, SlMessage * msg, gboolean ok, const char *why)
{
  if (!ok)
    refuse (self, from, SL_SIGNALLING_ERROR_BAD_STATE, why, record->call_id,
        sl_message_get_type_name (msg), NULL);
  return ok;
}

static void
handle_call_message (SlCallRouter * self, const SlDeviceInfo * from,
    SlMessage * msg)
{
  const char *type = sl_message_get_type_name (msg);
  const char *call_id = sl_message_get_string (msg, "call_id");
  SlCallRecord *record = sl_call_table_lookup (self->table, call_id);
  SlCallMember *me = record ? sl_call_record_find (record, from->device_id) :
      NULL;
  gboolean invited, joined, active;

  /* The same answer whether or not the call exists. */
  if (me == NULL || me->device.session != from->session) {
    refuse (self, from, SL_SIGNALLING_ERROR_NOT_IN_CALL,
        "you are not a party to this call", call_id, type, NULL);
    return;
  }
  invited = me->state == SL_CALL_MEMBER_INVITED;
  joined = me->state == SL_CALL_MEMBER_JOINED;
  active = joined && sl_call_record_count (record, SL_CALL_MEMBER_JOINED) >= 2;

  if (g_str_equal (type, "relay")) {
    const char *blob = sl_message_get_string (msg, "blob");
    SlCallMember *target;

    if (!check_state (self, from, record, msg, active,
            "records are relayed only in an active call"))
      return;
    target = relay_target (self, from, record, me, msg);
    if (target == NULL)
      return;
    sl_call_notify (self->directory, &target->device, "relay", call_id,
        from->device_id, "blob", blob);
    count_relayed (self, blob);
  } else if (g_str_equal (type, "ringing")) {
    if (check_state (self, from, record, msg, invited,
            "only the callee of a ringing call sends ringing"))
      sl_call_notify (self->directory, &sl_call_record_find (record,
              me->inviter)->device, "ringing", call_id, from->device_id,
          NULL, NULL);
  } else if (g_str_equal (type, "accept")) {
    if (check_state (self, from, record, msg, invited,
            "only the callee of a ringing call can accept it"))
      handle_accept (self, record, me, sl_message_get_string (msg, "hs"));
  } else if (g_str_equal (type, "reject")) {
    const char *reason = sl_message_get_string (msg, "reason");

    if (!check_state (self, from, record, msg, invited,
            "only the callee of a ringing call can reject it"))
      return;
    sl_call_notify (self->directory, &sl_call_record_find (record,
            me->inviter)->device, "rejected", call_id, from->device_id,
        "reason", reason);
    finish_one (self, record, me, g_str_equal (reason, "busy") ? "busy" :
        "rejected");
  } else if (g_str_equal (type, "cancel")) {
    SlCallMember *invitee = joined ? find_invitation (record, me, msg) : NULL;

    if (!check_state (self, from, record, msg, invitee != NULL,
            "only the caller of a ringing call can cancel it"))
      return;
    sl_call_notify (self->directory, &invitee->device, "cancelled", call_id,
        from->device_id, NULL, NULL);
    finish_one (self, record, invitee, "cancelled");
  } else if (g_str_equal (type, "hangup")) {
    /* Version 2 may leave a call that is still ringing: its invitations
     * are cancelled with it. */
    if (!check_state (self, from, record, msg,
            from->version >= 2 ? joined : active,
            "hang up an active call; cancel or reject a ringing one"))
      return;
    depart (self, record, me, sl_message_get_string (msg, "reason"),
        active ? "hangup" : "cancelled");
  }
}

/**
 * sl_call_router_handle:
 * @self: the router
 * @from: the device that sent @msg
 * @msg: a message for which sl_call_router_handles() is %TRUE, of the
 *   family of @from's protocol version
 *
 * Applies one call-control message, answering @from with an `error` when
 * the call's state or @from's part in it does not allow it.
 */
void
sl_call_router_handle (SlCallRouter * self, const SlDeviceInfo * from,
    SlMessage * msg)
{
  g_return_if_fail (SL_IS_CALL_ROUTER (self));

  if (g_str_equal (sl_message_get_type_name (msg), "invite"))
    handle_invite (self, from, msg);
  else
    handle_call_message (self, from, msg);
}

/**
 * sl_call_router_adopt:
 * @self: the router
 * @call_id: a call this router does not hold
 * @members: (array length=n_members): its participants, online now
 * @n_members: how many; at least two
 *
 * Takes over an active call whose instance died (the cluster's call
 * store remembered its participants), so that their hang-ups and
 * relayed records are routed again.
 *
 * Returns: whether it was taken over (not if held here already)
 */
gboolean
sl_call_router_adopt (SlCallRouter * self, const char *call_id,
    const SlDeviceInfo * members, guint n_members)
{
  SlCallRecord *record;
  guint i;

  g_return_val_if_fail (SL_IS_CALL_ROUTER (self), FALSE);
  g_return_val_if_fail (n_members >= 2, FALSE);
  if (sl_call_table_lookup (self->table, call_id))
    return FALSE;
  record = sl_call_table_create (self->table, call_id);
  for (i = 0; i < n_members; i++)
    sl_call_table_add_member (self->table, record, &members[i],
        SL_CALL_MEMBER_JOINED, NULL);
  log_call (record, "call-adopted", NULL, NULL);
  sl_server_metrics_add (self->metrics, SL_METRIC_CALLS_ACTIVE, NULL, 1);
  for (i = 0; i < record->members->len; i++)
    set_in_call (self, g_ptr_array_index (record->members, i), TRUE);
  announce_members (self, record);
  return TRUE;
}

/**
 * sl_call_router_has_call:
 * @self: the router
 * @call_id: a call id
 *
 * Returns: whether this router holds the call
 */
gboolean
sl_call_router_has_call (SlCallRouter * self, const char *call_id)
{
  g_return_val_if_fail (SL_IS_CALL_ROUTER (self), FALSE);
  return sl_call_table_lookup (self->table, call_id) != NULL;
}

/**
 * sl_call_router_disconnect:
 * @self: the router
 * @device_id: a device that went away
 * @session: the connection that went away
 *
 * Takes the device out of its call, if that session is in one: the
 * others learn `peer-gone`, and so do the devices it had invited.
 */
void
sl_call_router_disconnect (SlCallRouter * self, const char *device_id,
    guint64 session)
{
  SlCallRecord *record;
  SlCallMember *me;

  g_return_if_fail (SL_IS_CALL_ROUTER (self));
  record = sl_call_table_find_device (self->table, device_id);
  me = record ? sl_call_record_find (record, device_id) : NULL;
  if (me == NULL || me->device.session != session)
    return;
  if (me->state == SL_CALL_MEMBER_JOINED) {
    depart (self, record, me, NULL, "peer-gone");
    return;
  }
  sl_call_notify (self->directory, &sl_call_record_find (record,
          me->inviter)->device, "peer-gone", record->call_id, device_id,
      NULL, NULL);
  finish_one (self, record, me, "peer-gone");
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
  g_autoptr (GPtrArray) calls = NULL;
  guint i;

  g_return_if_fail (SL_IS_CALL_ROUTER (self));
  calls = sl_call_table_list (self->table);
  for (i = 0; i < calls->len; i++) {
    sl_server_metrics_add (self->metrics, SL_METRIC_CALLS, "shutdown", 1);
    sl_server_metrics_add (self->metrics, SL_METRIC_CALLS_ACTIVE, NULL, -1);
    sl_call_table_remove (self->table, g_ptr_array_index (calls, i));
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
  return sl_call_table_get_count (self->table);
}

static void
sl_call_router_dispose (GObject * object)
{
  SlCallRouter *self = SL_CALL_ROUTER (object);

  if (self->table)
    sl_call_router_end_all (self);
  g_clear_object (&self->table);
  g_clear_object (&self->directory);
  g_clear_object (&self->metrics);
  g_clear_object (&self->admission);
  G_OBJECT_CLASS (sl_call_router_parent_class)->dispose (object);
}

static void
sl_call_router_class_init (SlCallRouterClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_call_router_dispose;

  /**
   * SlCallRouter::call-members:
   * @call_id: an active call
   * @ids: (array zero-terminated=1): its participants' device ids
   *
   * The participants of an active call changed (it became active, one
   * left a group call, or the call was adopted).
   */
  signals[SIGNAL_CALL_MEMBERS] = g_signal_new ("call-members",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);

  /**
   * SlCallRouter::call-ended:
   * @call_id: a call that ended
   */
  signals[SIGNAL_CALL_ENDED] = g_signal_new ("call-ended",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sl_call_router_init (SlCallRouter * self)
{
  self->table = sl_call_table_new ();
}
