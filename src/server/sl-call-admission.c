/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Whether an invitation may go ahead, before the router rings anyone: the
 * invitee is online, is not the inviter, and the call policy lets it be
 * in one call with every member; a group (three or more members) needs
 * every member to speak version 2 and stays within max_call_participants.
 * A refused invitation is answered with an `error` naming the device it
 * is about.  Whether the invitee is busy is the router's business: it
 * holds the calls.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-admission.h"
#include "sl-call-notify.h"
#include "sl-signalling.h"

struct _SlCallAdmission
{
  GObject parent_instance;

  const SlServerConfig *config;
  SlDeviceDirectory *directory;
  SlServerMetrics *metrics;
  SlCallPolicy *policy;
};

G_DEFINE_FINAL_TYPE (SlCallAdmission, sl_call_admission, G_TYPE_OBJECT);

/**
 * sl_call_admission_new:
 * @config: the server settings; must outlive the admission
 * @directory: where devices are found and refusals delivered
 * @metrics: the server's metrics
 * @policy: the call policy
 *
 * Returns: (transfer full): a new admission
 */
SlCallAdmission *
sl_call_admission_new (const SlServerConfig * config,
    SlDeviceDirectory * directory, SlServerMetrics * metrics,
    SlCallPolicy * policy)
{
  SlCallAdmission *self = g_object_new (SL_TYPE_CALL_ADMISSION, NULL);

  self->config = config;
  self->directory = g_object_ref (directory);
  self->metrics = g_object_ref (metrics);
  self->policy = g_object_ref (policy);
  return self;
}

/**
 * sl_call_admission_set_policy:
 * @self: the admission
 * @policy: the policy for invitations from now on
 */
void
sl_call_admission_set_policy (SlCallAdmission * self, SlCallPolicy * policy)
{
  g_return_if_fail (SL_IS_CALL_ADMISSION (self));
  g_set_object (&self->policy, policy);
}

static void
refuse (SlCallAdmission * self, const SlDeviceInfo * to, const char *code,
    const char *message, const char *call_id, const char *peer)
{
  sl_call_notify_error (self->directory, self->metrics, to, code, message,
      call_id, "invite", peer);
}

/* Whether @a may call @b; if not, refuses @from's invite, naming @peer. */
static gboolean
policy_allows (SlCallAdmission * self, const SlDeviceInfo * from,
    SlPolicyVerdict verdict, const SlDeviceInfo * a, const SlDeviceInfo * b,
    const char *call_id)
{
  g_autofree char *text = NULL;
  const char *peer;

  if (verdict == SL_POLICY_ALLOW)
    return TRUE;
  sl_server_metrics_add (self->metrics, SL_METRIC_POLICY_REFUSALS,
      sl_policy_verdict_reason (verdict), 1);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO, "EVENT", "policy-denied",
      "CALL_ID", call_id, "DEVICE_ID", a->device_id, "PEER_ID", b->device_id,
      "REASON", sl_policy_verdict_reason (verdict), "MESSAGE",
      "invitation refused by the call policy");
  if (g_str_equal (a->device_id, from->device_id)) {
    peer = b->device_id;
    text = g_strdup_printf ("the call policy does not allow you to call "
        "'%s'", peer);
  } else {
    peer = a->device_id;
    text = g_strdup_printf ("the call policy does not allow '%s' in a call "
        "with '%s'", b->device_id, peer);
  }
  refuse (self, from, SL_SIGNALLING_ERROR_POLICY_DENIED, text, call_id, peer);
  return FALSE;
}

/**
 * sl_call_admission_self_call:
 * @self: the admission
 * @from: the inviter
 * @call_id: the call
 * @to: the invitee
 *
 * Refuses an invitation of oneself.
 *
 * Returns: whether @from invited itself (and was refused)
 */
gboolean
sl_call_admission_self_call (SlCallAdmission * self, const SlDeviceInfo * from,
    const char *call_id, const char *to)
{
  g_return_val_if_fail (SL_IS_CALL_ADMISSION (self), TRUE);
  if (!g_str_equal (to, from->device_id))
    return FALSE;
  refuse (self, from, SL_SIGNALLING_ERROR_SELF_CALL,
      "a device cannot call itself", call_id, to);
  return TRUE;
}

/**
 * sl_call_admission_reach:
 * @self: the admission
 * @from: the inviter
 * @call_id: the call
 * @to: the invitee
 * @callee: (out caller-allocates): the invitee, if reached
 *
 * Finds the invitee, if it is online and the policy lets @from call it;
 * else refuses the invitation.
 *
 * Returns: whether @callee was found and may be called
 */
gboolean
sl_call_admission_reach (SlCallAdmission * self, const SlDeviceInfo * from,
    const char *call_id, const char *to, SlDeviceInfo * callee)
{
  g_return_val_if_fail (SL_IS_CALL_ADMISSION (self), FALSE);
  if (!sl_device_directory_lookup (self->directory, to, callee)) {
    refuse (self, from, SL_SIGNALLING_ERROR_OFFLINE,
        "the device is not online", call_id, to);
    return FALSE;
  }
  return policy_allows (self, from, sl_call_policy_check (self->policy,
          from->device_id, from->role, callee->device_id, callee->role),
      from, callee, call_id);
}

/* Three or more: every member must speak version 2. */
static gboolean
group_supported (SlCallAdmission * self, const SlDeviceInfo * from,
    const SlCallRecord * record, const SlDeviceInfo * callee)
{
  const char *call_id = record->call_id;
  guint i;

  if (callee->version < 2) {
    refuse (self, from, SL_SIGNALLING_ERROR_GROUP_UNSUPPORTED,
        "the device speaks protocol version 1, which has no group calls",
        call_id, callee->device_id);
    return FALSE;
  }
  for (i = 0; i < record->members->len; i++) {
    const SlCallMember *other = g_ptr_array_index (record->members, i);

    if (other->device.version < 2) {
      g_autofree char *text = g_strdup_printf ("'%s' in this call speaks "
          "protocol version 1, which has no group calls",
          other->device.device_id);
      refuse (self, from, SL_SIGNALLING_ERROR_GROUP_UNSUPPORTED, text,
          call_id, other->device.device_id);
      return FALSE;
    }
  }
  return TRUE;
}

/**
 * sl_call_admission_join:
 * @self: the admission
 * @from: a version 2 participant of @record, the inviter
 * @record: its call
 * @to: the device it invites into the call
 * @callee: (out caller-allocates): the invitee, if admitted
 *
 * Checks that one more device may join @record; else refuses the
 * invitation.
 *
 * Returns: whether @callee may be invited into @record
 */
gboolean
sl_call_admission_join (SlCallAdmission * self, const SlDeviceInfo * from,
    const SlCallRecord * record, const char *to, SlDeviceInfo * callee)
{
  const char *call_id = record->call_id;
  guint i;

  g_return_val_if_fail (SL_IS_CALL_ADMISSION (self), FALSE);
  if (sl_call_admission_self_call (self, from, call_id, to))
    return FALSE;
  if (sl_call_record_find (record, to)) {
    refuse (self, from, SL_SIGNALLING_ERROR_ALREADY_MEMBER,
        "the device is already in this call or invited to it", call_id, to);
    return FALSE;
  }
  if (record->members->len >= self->config->max_call_participants) {
    g_autofree char *text = g_strdup_printf ("a call holds at most %u "
        "devices, counting those invited",
        self->config->max_call_participants);
    refuse (self, from, SL_SIGNALLING_ERROR_CALL_FULL, text, call_id, to);
    return FALSE;
  }
  /* The inviter calls the invitee; every other member must be allowed to
   * be with it in one call. */
  if (!sl_call_admission_reach (self, from, call_id, to, callee))
    return FALSE;
  for (i = 0; i < record->members->len; i++) {
    const SlCallMember *other = g_ptr_array_index (record->members, i);

    if (g_str_equal (other->device.device_id, from->device_id))
      continue;
    if (!policy_allows (self, from, sl_call_policy_check_pair (self->policy,
                other->device.device_id, other->device.role,
                callee->device_id, callee->role), &other->device, callee,
            call_id))
      return FALSE;
  }
  return group_supported (self, from, record, callee);
}

static void
sl_call_admission_dispose (GObject * object)
{
  SlCallAdmission *self = SL_CALL_ADMISSION (object);

  g_clear_object (&self->directory);
  g_clear_object (&self->metrics);
  g_clear_object (&self->policy);
  G_OBJECT_CLASS (sl_call_admission_parent_class)->dispose (object);
}

static void
sl_call_admission_class_init (SlCallAdmissionClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_call_admission_dispose;
}

static void
sl_call_admission_init (SlCallAdmission * self)
{
}
