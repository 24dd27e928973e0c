/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The signalling protocol's tables: what a device may send the server and
 * what the server sends a device.  docs/PROTOCOL.md describes the same
 * messages in prose; keep the two in step.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-signalling.h"

#define CALL_ID \
  { .name = "call_id", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 32, .syntax = SL_SYNTAX_CALL_ID }
#define BLOB(member) \
  { .name = member, .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = SL_SIGNALLING_MAX_BLOB_LEN, .syntax = SL_SYNTAX_BASE64 }
#define DEVICE_ID(member) \
  { .name = member, .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 63, .syntax = SL_SYNTAX_DEVICE_ID }
#define DISPLAY_NAME \
  { .name = "name", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 64, .syntax = SL_SYNTAX_TEXT }
#define ROLE \
  { .name = "role", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 32, .syntax = SL_SYNTAX_TOKEN }
#define REASON \
  { .name = "reason", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 32, .syntax = SL_SYNTAX_TOKEN }
#define INT(member, lo, hi, req) \
  { .name = member, .kind = SL_MEMBER_INT, .required = req, \
    .min = lo, .max = hi }
#define MESSAGE(type, table) { type, table, G_N_ELEMENTS (table) }
#define EMPTY_MESSAGE(type) { type, NULL, 0 }

const SlMemberSpec sl_signalling_device_id_member = DEVICE_ID ("id");
const SlMemberSpec sl_signalling_display_name_member = DISPLAY_NAME;
const SlMemberSpec sl_signalling_role_member = ROLE;

static const char *const reject_reasons[] = { "declined", "busy", NULL };
static const char *const statuses[] = { "available", "busy", NULL };
static const char *const presence_events[] =
    { "join", "leave", "status", NULL };

/* --- device to server -------------------------------------------------- */

static const SlMemberSpec c_invite[] = { CALL_ID, DEVICE_ID ("to"),
  BLOB ("hs")
};
static const SlMemberSpec c_call_only[] = { CALL_ID };
static const SlMemberSpec c_accept[] = { CALL_ID, BLOB ("hs") };

static const SlMemberSpec c_reject[] = { CALL_ID,
  {.name = "reason",.kind = SL_MEMBER_ENUM,.required = TRUE,
      .enum_values = reject_reasons}
};
static const SlMemberSpec c_hangup[] = { CALL_ID, REASON };
static const SlMemberSpec c_relay[] = { CALL_ID, BLOB ("blob") };

static const SlMemberSpec c_status[] = {
  {.name = "status",.kind = SL_MEMBER_ENUM,.required = TRUE,
      .enum_values = statuses}
};

static const SlObjectSpec to_server_messages[] = {
  MESSAGE ("invite", c_invite),
  MESSAGE ("ringing", c_call_only),
  MESSAGE ("accept", c_accept),
  MESSAGE ("reject", c_reject),
  MESSAGE ("cancel", c_call_only),
  MESSAGE ("hangup", c_hangup),
  MESSAGE ("relay", c_relay),
  MESSAGE ("status", c_status),
  EMPTY_MESSAGE ("turn-credentials"),
};

const SlProtocolFamily sl_signalling_to_server = {
  .name = "signalling",
  .messages = to_server_messages,
  .n_messages = G_N_ELEMENTS (to_server_messages),
  .max_size = SL_SIGNALLING_MAX_CLIENT_MESSAGE,
  .max_depth = SL_SIGNALLING_MAX_DEPTH,
  .ignore_unknown_members = FALSE,
};

/* --- server to device -------------------------------------------------- */

static const SlMemberSpec device_members[] = { DEVICE_ID ("id"), DISPLAY_NAME,
  ROLE
};

static const SlObjectSpec device_spec = MESSAGE ("device", device_members);

static const SlMemberSpec peer_members[] = { DEVICE_ID ("id"), DISPLAY_NAME,
  ROLE,
  {.name = "status",.kind = SL_MEMBER_ENUM,.required = TRUE,
      .enum_values = statuses}
};

static const SlObjectSpec peer_spec = MESSAGE ("device", peer_members);

static const SlMemberSpec turn_url_item = {
  .name = "url",.kind = SL_MEMBER_STRING,.max_len = 256,
  .syntax = SL_SYNTAX_URI
};

static const SlMemberSpec turn_members[] = {
  {.name = "urls",.kind = SL_MEMBER_ARRAY,.required = TRUE,.max_len = 8,
      .items = &turn_url_item},
  {.name = "username",.kind = SL_MEMBER_STRING,.required = TRUE,
      .max_len = 128,.syntax = SL_SYNTAX_TEXT},
  {.name = "credential",.kind = SL_MEMBER_STRING,.required = TRUE,
      .max_len = 64,.syntax = SL_SYNTAX_BASE64},
  INT ("ttl", 1, 7 * 86400, TRUE),
};

static const SlObjectSpec turn_spec = MESSAGE ("turn", turn_members);

/* The welcome's members up to the limits; version 2 adds its own after
 * them, and both end with the optional TURN credentials. */
#define WELCOME_MEMBERS \
  { .name = "device", .kind = SL_MEMBER_OBJECT, .required = TRUE, \
    .object = &device_spec }, \
  { .name = "server_version", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 32, .syntax = SL_SYNTAX_TEXT }, \
  INT ("ping_interval_ms", 100, 3600000, TRUE), \
  INT ("idle_timeout_ms", 100, 7200000, TRUE), \
  INT ("ring_timeout_ms", 100, 3600000, TRUE), \
  INT ("max_message_size", 1024, SL_SIGNALLING_MAX_CLIENT_MESSAGE, TRUE)
#define TURN_MEMBER \
  { .name = "turn", .kind = SL_MEMBER_OBJECT, .required = FALSE, \
    .object = &turn_spec }

static const SlMemberSpec s_welcome[] = { WELCOME_MEMBERS, TURN_MEMBER };

static const SlMemberSpec roster_item = {
  .name = "device",.kind = SL_MEMBER_OBJECT,.object = &peer_spec
};

static const SlMemberSpec s_roster[] = {
  {.name = "devices",.kind = SL_MEMBER_ARRAY,.required = TRUE,
      .max_len = SL_SIGNALLING_MAX_ROSTER,.items = &roster_item},
};

static const SlMemberSpec s_presence[] = {
  {.name = "event",.kind = SL_MEMBER_ENUM,.required = TRUE,
      .enum_values = presence_events},
  {.name = "device",.kind = SL_MEMBER_OBJECT,.required = TRUE,
      .object = &peer_spec},
};

static const SlMemberSpec s_incoming[] = { CALL_ID,
  {.name = "from",.kind = SL_MEMBER_OBJECT,.required = TRUE,
      .object = &device_spec},
  BLOB ("hs"),
};
static const SlMemberSpec s_call_only[] = { CALL_ID };
static const SlMemberSpec s_accepted[] = { CALL_ID, BLOB ("hs") };

static const SlMemberSpec s_rejected[] = { CALL_ID,
  {.name = "reason",.kind = SL_MEMBER_ENUM,.required = TRUE,
      .enum_values = reject_reasons}
};
static const SlMemberSpec s_hangup[] = { CALL_ID, REASON };
static const SlMemberSpec s_relay[] = { CALL_ID, BLOB ("blob") };

#define ERROR_MEMBERS \
  { .name = "code", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 32, .syntax = SL_SYNTAX_TOKEN }, \
  { .name = "message", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 512, .syntax = SL_SYNTAX_TEXT }, \
  { .name = "call_id", .kind = SL_MEMBER_STRING, .required = FALSE, \
    .max_len = 32, .syntax = SL_SYNTAX_CALL_ID }, \
  { .name = "ref_type", .kind = SL_MEMBER_STRING, .required = FALSE, \
    .max_len = 32, .syntax = SL_SYNTAX_TOKEN }

static const SlMemberSpec s_error[] = { ERROR_MEMBERS };

static const SlMemberSpec s_shutdown[] = { REASON,
  INT ("retry_after_ms", 0, 86400000, TRUE),
};

static const SlObjectSpec to_client_messages[] = {
  MESSAGE ("welcome", s_welcome),
  MESSAGE ("roster", s_roster),
  MESSAGE ("presence", s_presence),
  MESSAGE ("incoming", s_incoming),
  MESSAGE ("ringing", s_call_only),
  MESSAGE ("accepted", s_accepted),
  MESSAGE ("rejected", s_rejected),
  MESSAGE ("busy", s_call_only),
  MESSAGE ("cancelled", s_call_only),
  MESSAGE ("timeout", s_call_only),
  MESSAGE ("hangup", s_hangup),
  MESSAGE ("peer-gone", s_call_only),
  MESSAGE ("relay", s_relay),
  MESSAGE ("error", s_error),
  MESSAGE ("shutdown", s_shutdown),
  EMPTY_MESSAGE ("replaced"),
  MESSAGE ("turn-credentials", turn_members),
};

const SlProtocolFamily sl_signalling_to_client = {
  .name = "signalling",
  .messages = to_client_messages,
  .n_messages = G_N_ELEMENTS (to_client_messages),
  .max_size = SL_SIGNALLING_MAX_SERVER_MESSAGE,
  .max_depth = SL_SIGNALLING_MAX_DEPTH,
  .ignore_unknown_members = FALSE,
};

/* --- version 2: group calls ---------------------------------------------
 *
 * Version 2 is version 1 plus what a call of more than two devices needs:
 * messages about one member of a call name it (`to`, `from`, `peer`),
 * `incoming` lists who is already in the call, and two new messages tell
 * who joined.  Messages version 2 leaves alone share version 1's tables. */

static const SlMemberSpec c2_cancel[] = { CALL_ID, DEVICE_ID ("to") };

static const SlMemberSpec c2_relay[] = { CALL_ID, DEVICE_ID ("to"),
  BLOB ("blob")
};

static const SlObjectSpec to_server_v2_messages[] = {
  MESSAGE ("invite", c_invite),
  MESSAGE ("ringing", c_call_only),
  MESSAGE ("accept", c_accept),
  MESSAGE ("reject", c_reject),
  MESSAGE ("cancel", c2_cancel),
  MESSAGE ("hangup", c_hangup),
  MESSAGE ("relay", c2_relay),
  MESSAGE ("status", c_status),
  EMPTY_MESSAGE ("turn-credentials"),
};

const SlProtocolFamily sl_signalling_v2_to_server = {
  .name = "signalling-v2",
  .messages = to_server_v2_messages,
  .n_messages = G_N_ELEMENTS (to_server_v2_messages),
  .max_size = SL_SIGNALLING_MAX_CLIENT_MESSAGE,
  .max_depth = SL_SIGNALLING_MAX_DEPTH,
  .ignore_unknown_members = FALSE,
};

static const SlMemberSpec s2_welcome[] = { WELCOME_MEMBERS,
  INT ("protocol_version", 2, 2, TRUE),
  INT ("max_call_participants", 2, SL_SIGNALLING_MAX_CALL_PARTICIPANTS,
      TRUE),
  TURN_MEMBER
};

static const SlMemberSpec call_member_item = {
  .name = "device",.kind = SL_MEMBER_OBJECT,.object = &device_spec
};

#define CALL_MEMBERS(member) \
  { .name = member, .kind = SL_MEMBER_ARRAY, .required = TRUE, \
    .max_len = SL_SIGNALLING_MAX_CALL_PARTICIPANTS - 1, \
    .items = &call_member_item }

static const SlMemberSpec s2_incoming[] = { CALL_ID,
  {.name = "from",.kind = SL_MEMBER_OBJECT,.required = TRUE,
      .object = &device_spec},
  BLOB ("hs"),
  CALL_MEMBERS ("participants"),
};
static const SlMemberSpec s2_peer_only[] = { CALL_ID, DEVICE_ID ("peer") };

static const SlMemberSpec s2_accepted[] = { CALL_ID, DEVICE_ID ("peer"),
  BLOB ("hs")
};

static const SlMemberSpec s2_rejected[] = { CALL_ID, DEVICE_ID ("peer"),
  {.name = "reason",.kind = SL_MEMBER_ENUM,.required = TRUE,
      .enum_values = reject_reasons}
};

static const SlMemberSpec s2_hangup[] = { CALL_ID, DEVICE_ID ("peer"),
  REASON
};

static const SlMemberSpec s2_relay[] = { CALL_ID, DEVICE_ID ("from"),
  BLOB ("blob")
};

static const SlMemberSpec s2_joined[] = { CALL_ID,
  {.name = "device",.kind = SL_MEMBER_OBJECT,.required = TRUE,
      .object = &device_spec},
};

static const SlMemberSpec s2_participants[] = { CALL_ID,
  CALL_MEMBERS ("devices"),
};

static const SlMemberSpec s2_error[] = { ERROR_MEMBERS,
  {.name = "peer",.kind = SL_MEMBER_STRING,.required = FALSE,
      .max_len = 63,.syntax = SL_SYNTAX_DEVICE_ID},
};

static const SlObjectSpec to_client_v2_messages[] = {
  MESSAGE ("welcome", s2_welcome),
  MESSAGE ("roster", s_roster),
  MESSAGE ("presence", s_presence),
  MESSAGE ("incoming", s2_incoming),
  MESSAGE ("ringing", s2_peer_only),
  MESSAGE ("accepted", s2_accepted),
  MESSAGE ("rejected", s2_rejected),
  MESSAGE ("busy", s2_peer_only),
  MESSAGE ("cancelled", s2_peer_only),
  MESSAGE ("timeout", s2_peer_only),
  MESSAGE ("hangup", s2_hangup),
  MESSAGE ("peer-gone", s2_peer_only),
  MESSAGE ("relay", s2_relay),
  MESSAGE ("joined", s2_joined),
  MESSAGE ("participants", s2_participants),
  MESSAGE ("error", s2_error),
  MESSAGE ("shutdown", s_shutdown),
  EMPTY_MESSAGE ("replaced"),
  MESSAGE ("turn-credentials", turn_members),
};

const SlProtocolFamily sl_signalling_v2_to_client = {
  .name = "signalling-v2",
  .messages = to_client_v2_messages,
  .n_messages = G_N_ELEMENTS (to_client_v2_messages),
  .max_size = SL_SIGNALLING_MAX_SERVER_MESSAGE,
  .max_depth = SL_SIGNALLING_MAX_DEPTH,
  .ignore_unknown_members = FALSE,
};

/**
 * sl_signalling_new_error:
 * @version: the protocol version of the device it is for
 * @code: the error code (an SlProtocolError name or SL_SIGNALLING_ERROR_*)
 * @message: a description for the device's logs
 * @call_id: (nullable): the call concerned
 * @ref_type: (nullable): the type of the refused message
 * @peer: (nullable): the device the refusal is about; only version 2 has
 *   this member, so it is left out for version 1
 *
 * Returns: (transfer full): an `error` message
 */
SlMessage *
sl_signalling_new_error (guint version, const char *code, const char *message,
    const char *call_id, const char *ref_type, const char *peer)
{
  SlMessage *msg = sl_message_new (sl_signalling_to_client_for (version),
      "error");

  sl_message_set_string (msg, "code", code);
  sl_message_set_string (msg, "message", message);
  if (call_id)
    sl_message_set_string (msg, "call_id", call_id);
  if (ref_type)
    sl_message_set_string (msg, "ref_type", ref_type);
  if (peer && version >= 2)
    sl_message_set_string (msg, "peer", peer);
  return msg;
}

/**
 * sl_signalling_to_server_for:
 * @version: a protocol version, 1 or 2
 *
 * Returns: (transfer none): the messages a device of that version sends
 */
const SlProtocolFamily *
sl_signalling_to_server_for (guint version)
{
  return version >= 2 ? &sl_signalling_v2_to_server : &sl_signalling_to_server;
}

/**
 * sl_signalling_to_client_for:
 * @version: a protocol version, 1 or 2
 *
 * Returns: (transfer none): the messages a device of that version receives
 */
const SlProtocolFamily *
sl_signalling_to_client_for (guint version)
{
  return version >= 2 ? &sl_signalling_v2_to_client : &sl_signalling_to_client;
}
