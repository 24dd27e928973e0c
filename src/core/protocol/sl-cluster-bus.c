/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The cluster bus's table.  Server instances tell each other over Redis
 * who is connected where.  Redis is trusted like the operator, but what
 * arrives from it is still network input: a corrupted, foreign or
 * older-version message must be refused, so it is parsed against this
 * table like any device message (sl_protocol_parse()).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-cluster-bus.h"

#define HEADER \
  { .name = "v", .kind = SL_MEMBER_INT, .required = TRUE, \
    .min = SL_CLUSTER_BUS_VERSION, .max = SL_CLUSTER_BUS_VERSION }, \
  { .name = "instance", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = SL_CLUSTER_BUS_MAX_INSTANCE, .syntax = SL_SYNTAX_TOKEN }, \
  { .name = "seq", .kind = SL_MEMBER_INT, .required = TRUE, \
    .min = 1, .max = SL_CLUSTER_BUS_MAX_INT }
#define COUNT(member) \
  { .name = member, .kind = SL_MEMBER_INT, .required = TRUE, \
    .min = 0, .max = SL_CLUSTER_BUS_MAX_INT }
#define MESSAGE(type, table) { type, table, G_N_ELEMENTS (table) }
#define PROTOCOL_VERSION \
  { .name = "version", .kind = SL_MEMBER_INT, .required = TRUE, \
    .min = 1, .max = 16 }
#define DEVICE_ID(member) \
  { .name = member, .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 63, .syntax = SL_SYNTAX_DEVICE_ID }
/* A certificate serial number as the server prints it (hexadecimal). */
#define SERIAL \
  { .name = "serial", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = 64, .syntax = SL_SYNTAX_TEXT }
#define TO \
  { .name = "to", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = SL_CLUSTER_BUS_MAX_INSTANCE, .syntax = SL_SYNTAX_TOKEN }
/* A device message carried whole; the receiver parses it with the
 * signalling tables. */
#define CARRIED \
  { .name = "message", .kind = SL_MEMBER_STRING, .required = TRUE, \
    .max_len = SL_CLUSTER_BUS_MAX_CARRIED, .syntax = SL_SYNTAX_TEXT }

static const char *const statuses[] = { "available", "busy", NULL };

static const SlMemberSpec device_members[] = {
  {.name = "id",.kind = SL_MEMBER_STRING,.required = TRUE,.max_len = 63,
      .syntax = SL_SYNTAX_DEVICE_ID},
  {.name = "name",.kind = SL_MEMBER_STRING,.required = TRUE,.max_len = 64,
      .syntax = SL_SYNTAX_TEXT},
  {.name = "role",.kind = SL_MEMBER_STRING,.required = TRUE,.max_len = 32,
      .syntax = SL_SYNTAX_TOKEN},
  {.name = "status",.kind = SL_MEMBER_ENUM,.required = TRUE,
      .enum_values = statuses},
};

static const SlObjectSpec device_spec = MESSAGE ("device", device_members);

/* join and status: the device as the instance holding it sees it; "since"
 * (microseconds of wall-clock time) orders two connections of one device
 * on different instances: the newest wins.  "user_busy" is the status the
 * device set itself and "in_call_at" the instance holding the call it is
 * in, so that instance can judge "busy" from its own calls at once. */
static const SlMemberSpec b_device[] = { HEADER,
  {.name = "device",.kind = SL_MEMBER_OBJECT,.required = TRUE,
      .object = &device_spec},
  COUNT ("session"),
  COUNT ("since"),
  PROTOCOL_VERSION,
  {.name = "user_busy",.kind = SL_MEMBER_BOOL,.required = TRUE},
  {.name = "in_call_at",.kind = SL_MEMBER_STRING,.required = FALSE,
      .max_len = SL_CLUSTER_BUS_MAX_INSTANCE,.syntax = SL_SYNTAX_TOKEN},
  SERIAL,
};

static const SlMemberSpec b_leave[] = { HEADER,
  {.name = "id",.kind = SL_MEMBER_STRING,.required = TRUE,.max_len = 63,
      .syntax = SL_SYNTAX_DEVICE_ID},
  COUNT ("session"),
};

/* alive: "generation" grows each time the instance rewrites its hash
 * (after reaching Redis again), telling the others to read it anew. */
static const SlMemberSpec from_members[] = {
  DEVICE_ID ("id"),
  {.name = "name",.kind = SL_MEMBER_STRING,.required = TRUE,.max_len = 64,
      .syntax = SL_SYNTAX_TEXT},
  {.name = "role",.kind = SL_MEMBER_STRING,.required = TRUE,.max_len = 32,
      .syntax = SL_SYNTAX_TOKEN},
  PROTOCOL_VERSION,
  COUNT ("session"),
};

static const SlObjectSpec from_spec = MESSAGE ("from", from_members);

/* forward: a call message from a device on the sending instance, for the
 * instance that holds the call ("to"). */
static const SlMemberSpec b_forward[] = { HEADER, TO,
  {.name = "from",.kind = SL_MEMBER_OBJECT,.required = TRUE,
      .object = &from_spec},
  CARRIED,
};

/* deliver: a server message for one session of a device on "to". */
static const SlMemberSpec b_deliver[] = { HEADER, TO, DEVICE_ID ("id"),
  COUNT ("session"), CARRIED,
};

/* revoke: the device's certificate (serial) is revoked in the sender's
 * revocation list; "to" closes that connection. */
static const SlMemberSpec b_revoke[] = { HEADER, TO, DEVICE_ID ("id"),
  COUNT ("session"), SERIAL,
};

/* in-call: a device on "to" joined or left a call held elsewhere. */
static const SlMemberSpec b_in_call[] = { HEADER, TO, DEVICE_ID ("id"),
  COUNT ("session"),
  {.name = "in_call",.kind = SL_MEMBER_BOOL,.required = TRUE},
};

static const SlMemberSpec b_alive[] = { HEADER, COUNT ("devices"),
  COUNT ("generation")
};

static const SlObjectSpec bus_messages[] = {
  MESSAGE ("join", b_device),
  MESSAGE ("status", b_device),
  MESSAGE ("leave", b_leave),
  MESSAGE ("alive", b_alive),
  MESSAGE ("forward", b_forward),
  MESSAGE ("deliver", b_deliver),
  MESSAGE ("in-call", b_in_call),
  MESSAGE ("revoke", b_revoke),
};

const SlProtocolFamily sl_cluster_bus = {
  .name = "cluster",
  .messages = bus_messages,
  .n_messages = G_N_ELEMENTS (bus_messages),
  .max_size = SL_CLUSTER_BUS_MAX_MESSAGE,
  .max_depth = 3,
  .ignore_unknown_members = FALSE,
};
