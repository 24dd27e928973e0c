/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The peer-to-peer message tables: what two devices in a call say to each
 * other, on the data channel or inside sealed records.  The server never
 * sees these.  docs/SECURITY.md ("Peer-to-peer messages") describes them.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-peer-messages.h"

#define MESSAGE(type, table) { type, table, G_N_ELEMENTS (table) }

/* Chat ids and sequence numbers stay below 2^53 so that any JSON reader
 * keeps them exact. */
#define ID(member) \
  { .name = member, .kind = SL_MEMBER_INT, .required = TRUE, \
    .min = 1, .max = G_GINT64_CONSTANT (9007199254740991) }

static const char *const codecs[] = { "vp8", "h264", NULL };
static const char *const sas_results[] = { "ok", "wrong", NULL };

static const SlMemberSpec chat[] = {
  ID ("id"),
  {.name = "text",.kind = SL_MEMBER_STRING,.required = TRUE,
      .max_len = SL_PEER_MAX_CHAT,.syntax = SL_SYNTAX_TEXT},
};

static const SlMemberSpec chat_ack[] = { ID ("id") };
static const SlMemberSpec heartbeat[] = { ID ("seq") };

static const SlMemberSpec bind[] = {
  {.name = "mac",.kind = SL_MEMBER_STRING,.required = TRUE,.max_len = 64,
      .syntax = SL_SYNTAX_BASE64},
};

static const SlMemberSpec hangup[] = {
  {.name = "reason",.kind = SL_MEMBER_STRING,.required = TRUE,
      .max_len = 32,.syntax = SL_SYNTAX_TOKEN},
};

/* A user's answer to "do both screens show the same SAS?". */
static const SlMemberSpec sas[] = {
  {.name = "result",.kind = SL_MEMBER_ENUM,.required = TRUE,
      .enum_values = sas_results},
};

/* What the user stopped sending: the microphone (silence goes out) and
 * the camera (no new frames go out).  Sent on every change and when the
 * channel opens. */
static const SlMemberSpec media_state[] = {
  {.name = "mic-muted",.kind = SL_MEMBER_BOOL,.required = TRUE},
  {.name = "camera-paused",.kind = SL_MEMBER_BOOL,.required = TRUE},
};

static const SlObjectSpec channel_messages[] = {
  MESSAGE ("chat", chat),
  MESSAGE ("chat-ack", chat_ack),
  MESSAGE ("ping", heartbeat),
  MESSAGE ("pong", heartbeat),
  MESSAGE ("bind", bind),
  MESSAGE ("hangup", hangup),
  MESSAGE ("sas", sas),
  MESSAGE ("media-state", media_state),
};

const SlProtocolFamily sl_peer_channel_family = {
  .name = "peer-channel",
  .messages = channel_messages,
  .n_messages = G_N_ELEMENTS (channel_messages),
  .max_size = SL_PEER_MAX_MESSAGE,
  .max_depth = 3,
  .ignore_unknown_members = FALSE,
};

static const SlMemberSpec candidate[] = {
  {.name = "mline",.kind = SL_MEMBER_INT,.required = TRUE,.min = 0,
      .max = 15},
  {.name = "candidate",.kind = SL_MEMBER_STRING,.required = TRUE,
      .max_len = SL_PEER_MAX_CANDIDATE,.syntax = SL_SYNTAX_TEXT},
};

static const SlMemberSpec codec_item = {
  .name = "codec",.kind = SL_MEMBER_ENUM,.enum_values = codecs
};

static const SlMemberSpec hello[] = {
  {.name = "codecs",.kind = SL_MEMBER_ARRAY,.required = TRUE,.max_len = 4,
      .items = &codec_item},
};

static const SlObjectSpec record_messages[] = {
  MESSAGE ("candidate", candidate),
  MESSAGE ("hello", hello),
  MESSAGE ("sas", sas),
  /* The media path went silent: is the peer still there (through the
   * server)?  The answer names the same seq. */
  MESSAGE ("probe", heartbeat),
  MESSAGE ("probe-ack", heartbeat),
};

const SlProtocolFamily sl_peer_record_family = {
  .name = "peer-record",
  .messages = record_messages,
  .n_messages = G_N_ELEMENTS (record_messages),
  .max_size = 4096,
  .max_depth = 3,
  .ignore_unknown_members = FALSE,
};
