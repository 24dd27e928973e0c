/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A call's messages to and from the server, in the protocol version of
 * the connection (docs/PROTOCOL.md §2.1, §2.4): pure helpers that never
 * name a call, so that every pair of a call builds and reads them the
 * same way.  Version 2 names the participant a blob or a withdrawn
 * invitation is for, and tells whom a message is about.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-messages.h"
#include "sl-signalling.h"

/**
 * sl_call_message_new:
 * @version: the connection's protocol version
 * @type: a call message a device sends ("invite", "relay", "hangup" ...)
 * @call_id: the call
 * @to: (nullable): the participant it is for: an invite's callee, a
 *   version 2 relay's or cancel's participant (ignored elsewhere)
 *
 * Returns: (transfer full): the message, more members to set
 */
SlMessage *
sl_call_message_new (guint version, const char *type, const char *call_id,
    const char *to)
{
  SlMessage *msg = sl_message_new (sl_signalling_to_server_for (version),
      type);

  sl_message_set_string (msg, "call_id", call_id);
  if (to != NULL && (g_str_equal (type, "invite") || (version >= 2
              && (g_str_equal (type, "relay")
                  || g_str_equal (type, "cancel")))))
    sl_message_set_string (msg, "to", to);
  return msg;
}

/**
 * sl_call_message_new_bytes:
 * @bytes: a sealed blob ("relay") or a handshake message ("invite",
 *   "accept")
 *
 * As sl_call_message_new(), with @bytes in base64 in its member.
 *
 * Returns: (transfer full): the message
 */
SlMessage *
sl_call_message_new_bytes (guint version, const char *type,
    const char *call_id, const char *to, GBytes * bytes)
{
  SlMessage *msg = sl_call_message_new (version, type, call_id, to);

  sl_message_take_string (msg, g_str_equal (type, "relay") ? "blob" : "hs",
      g_base64_encode (g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes)));
  return msg;
}

/**
 * sl_call_message_get_bytes:
 * @msg: a server message
 * @member: its base64 member ("hs", "blob"), checked by the protocol
 *   module
 *
 * Returns: (transfer full) (nullable): the bytes, %NULL when empty
 */
GBytes *
sl_call_message_get_bytes (SlMessage * msg, const char *member)
{
  gsize len = 0;
  guint8 *raw = g_base64_decode (sl_message_get_string (msg, member), &len);

  if (raw == NULL || len == 0) {
    g_free (raw);
    return NULL;
  }
  return g_bytes_new_take (raw, len);
}

/**
 * sl_call_message_about:
 * @msg: a call message from the server
 * @version: the connection's protocol version
 *
 * Version 2: whom @msg is about, the other end of the pair it concerns
 * (§2.4: a relay's `from`, the `peer` of a ringing, accepted, hang-up,
 * departure or refusal, the `device` that joined).
 *
 * Returns: (nullable): that participant's device id; %NULL in version 1
 *   (always the one peer) and for messages about the whole call
 */
const char *
sl_call_message_about (SlMessage * msg, guint version)
{
  static const char *const with_peer[] = { "ringing", "busy", "cancelled",
    "timeout", "peer-gone", "accepted", "rejected", "hangup", "error", NULL
  };
  const char *type = sl_message_get_type_name (msg);

  if (version < 2)
    return NULL;
  if (g_str_equal (type, "relay"))
    return sl_message_get_string (msg, "from");
  if (g_str_equal (type, "joined"))
    return sl_message_get_string (sl_message_get_object (msg, "device"), "id");
  if (g_strv_contains (with_peer, type) && sl_message_has_member (msg, "peer"))
    return sl_message_get_string (msg, "peer");
  return NULL;
}
