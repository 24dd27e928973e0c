/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Call messages from the server, written for the protocol version of the
 * device that receives them: a version 1 device gets exactly the messages
 * of version 1 (it refuses members it does not know), a version 2 device
 * also learns which member of the call each message is about.  Pure
 * helpers: they decide nothing, they build and hand over.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-notify.h"
#include "sl-signalling.h"

static SlMessage *
message_for (const SlDeviceInfo * to, const char *type, const char *call_id)
{
  SlMessage *msg = sl_message_new (sl_signalling_to_client_for (to->version),
      type);

  sl_message_set_string (msg, "call_id", call_id);
  return msg;
}

static void
fill_device (SlMessage * obj, const SlDeviceInfo * device)
{
  sl_message_set_string (obj, "id", device->device_id);
  sl_message_set_string (obj, "name", device->name);
  sl_message_set_string (obj, "role", device->role);
}

/**
 * sl_call_notify:
 * @directory: where to deliver
 * @to: the recipient
 * @type: ringing, accepted, rejected, busy, cancelled, timeout, hangup,
 *   peer-gone or relay
 * @call_id: the call
 * @peer: the member of the call the message is about (version 2 only:
 *   `peer`, or `from` in a relay)
 * @member: (nullable): one more member: hs, reason or blob
 * @value: (nullable): its value
 */
void
sl_call_notify (SlDeviceDirectory * directory, const SlDeviceInfo * to,
    const char *type, const char *call_id, const char *peer,
    const char *member, const char *value)
{
  g_autoptr (SlMessage) msg = message_for (to, type, call_id);

  if (to->version >= 2)
    sl_message_set_string (msg, g_str_equal (type, "relay") ? "from" : "peer",
        peer);
  if (member)
    sl_message_set_string (msg, member, value);
  sl_device_directory_deliver (directory, to->device_id, to->session, msg);
}

/**
 * sl_call_notify_incoming:
 * @directory: where to deliver
 * @to: the invited device
 * @record: the call, with @to already a member
 * @inviter: who invites
 * @hs: the inviter's handshake message
 *
 * Version 2 also lists the participants other than the inviter.
 */
void
sl_call_notify_incoming (SlDeviceDirectory * directory,
    const SlDeviceInfo * to, const SlCallRecord * record,
    const SlDeviceInfo * inviter, const char *hs)
{
  g_autoptr (SlMessage) msg = message_for (to, "incoming", record->call_id);
  guint i;

  fill_device (sl_message_set_object (msg, "from"), inviter);
  sl_message_set_string (msg, "hs", hs);
  if (to->version >= 2) {
    sl_message_set_empty_array (msg, "participants");
    for (i = 0; i < record->members->len; i++) {
      const SlCallMember *m = g_ptr_array_index (record->members, i);

      if (m->state == SL_CALL_MEMBER_JOINED &&
          !g_str_equal (m->device.device_id, inviter->device_id))
        fill_device (sl_message_append_object (msg, "participants"),
            &m->device);
    }
  }
  sl_device_directory_deliver (directory, to->device_id, to->session, msg);
}

/**
 * sl_call_notify_joined:
 * @directory: where to deliver
 * @to: a version 2 participant
 * @call_id: the call
 * @newcomer: the device that joined it
 */
void
sl_call_notify_joined (SlDeviceDirectory * directory, const SlDeviceInfo * to,
    const char *call_id, const SlDeviceInfo * newcomer)
{
  g_autoptr (SlMessage) msg = NULL;

  g_return_if_fail (to->version >= 2);
  msg = message_for (to, "joined", call_id);
  fill_device (sl_message_set_object (msg, "device"), newcomer);
  sl_device_directory_deliver (directory, to->device_id, to->session, msg);
}

/**
 * sl_call_notify_participants:
 * @directory: where to deliver
 * @to: a version 2 device that has just joined
 * @record: its call
 *
 * Lists the call's other participants.
 */
void
sl_call_notify_participants (SlDeviceDirectory * directory,
    const SlDeviceInfo * to, const SlCallRecord * record)
{
  g_autoptr (SlMessage) msg = NULL;
  guint i;

  g_return_if_fail (to->version >= 2);
  msg = message_for (to, "participants", record->call_id);
  sl_message_set_empty_array (msg, "devices");
  for (i = 0; i < record->members->len; i++) {
    const SlCallMember *m = g_ptr_array_index (record->members, i);

    if (m->state == SL_CALL_MEMBER_JOINED &&
        !g_str_equal (m->device.device_id, to->device_id))
      fill_device (sl_message_append_object (msg, "devices"), &m->device);
  }
  sl_device_directory_deliver (directory, to->device_id, to->session, msg);
}

/**
 * sl_call_notify_error:
 * @directory: where to deliver
 * @metrics: counts the refusal among the server's errors, by code
 * @to: the device whose message is refused
 * @code: the error code
 * @message: a description for its logs
 * @call_id: (nullable): the call concerned
 * @ref_type: (nullable): the type of the refused message
 * @peer: (nullable): the member or invitee the refusal is about (version
 *   2 only)
 */
void
sl_call_notify_error (SlDeviceDirectory * directory,
    SlServerMetrics * metrics, const SlDeviceInfo * to, const char *code,
    const char *message, const char *call_id, const char *ref_type,
    const char *peer)
{
  g_autoptr (SlMessage) msg = sl_signalling_new_error (to->version, code,
      message, call_id, ref_type, peer);

  sl_server_metrics_add (metrics, SL_METRIC_ERRORS, code, 1);
  sl_device_directory_deliver (directory, to->device_id, to->session, msg);
}
