/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SlMemberKind:
 * @SL_MEMBER_STRING: a JSON string (UTF-8, never containing U+0000),
 *   at most @max_len bytes, checked by @syntax.
 * @SL_MEMBER_INT: a JSON number written as an integer (no fraction or
 *   exponent) between @min and @max.
 * @SL_MEMBER_DOUBLE: any finite JSON number between @dmin and @dmax.
 * @SL_MEMBER_BOOL: %true or %false.
 * @SL_MEMBER_ENUM: a JSON string that is one of @enum_values.
 * @SL_MEMBER_OBJECT: a JSON object described by @object.
 * @SL_MEMBER_ARRAY: a JSON array of at most @max_len items, each described
 *   by @items (which must not itself be an array).
 *
 * The JSON kind of one member.  %null is never accepted: leave an optional
 * member out instead.
 */
typedef enum
{
  SL_MEMBER_STRING,
  SL_MEMBER_INT,
  SL_MEMBER_DOUBLE,
  SL_MEMBER_BOOL,
  SL_MEMBER_ENUM,
  SL_MEMBER_OBJECT,
  SL_MEMBER_ARRAY,
} SlMemberKind;

/**
 * SlStringSyntax:
 * @SL_SYNTAX_TEXT: any text without control characters (U+0000..U+001F,
 *   U+007F).
 * @SL_SYNTAX_CALL_ID: exactly 32 lowercase hexadecimal characters.
 * @SL_SYNTAX_DEVICE_ID: 1 to 63 characters from `a-z 0-9 . _ -`, starting
 *   with a letter or digit.
 * @SL_SYNTAX_BASE64: standard base64 (RFC 4648 section 4) with padding, not
 *   empty; @max_len bounds the encoded length.
 * @SL_SYNTAX_TOKEN: 1 or more characters from `a-z 0-9 -` (reasons, roles).
 * @SL_SYNTAX_URI: printable ASCII without spaces, quotes or backslashes.
 * @SL_SYNTAX_CUSTOM: checked by the member's @check function.
 *
 * Syntax checks for string members.
 */
typedef enum
{
  SL_SYNTAX_TEXT,
  SL_SYNTAX_CALL_ID,
  SL_SYNTAX_DEVICE_ID,
  SL_SYNTAX_BASE64,
  SL_SYNTAX_TOKEN,
  SL_SYNTAX_URI,
  SL_SYNTAX_CUSTOM,
} SlStringSyntax;

/**
 * SlStringCheck:
 * @value: the string, NUL-terminated, valid UTF-8
 * @len: its length in bytes
 *
 * A syntax check for %SL_SYNTAX_CUSTOM members.
 *
 * Returns: a static description of what is wrong (e.g. "must be a SAS
 *   word"), or %NULL if @value is acceptable
 */
typedef const char *(*SlStringCheck) (const char *value, gsize len);

typedef struct _SlObjectSpec SlObjectSpec;
typedef struct _SlMemberSpec SlMemberSpec;

/**
 * SlMemberSpec:
 * @name: the JSON member name; plain ASCII
 * @kind: its kind
 * @required: whether a message without it is refused
 * @max_len: strings: maximum length in bytes (0: 1024); arrays: maximum
 *   number of items (0: 64)
 * @syntax: strings: the syntax check
 * @check: strings with %SL_SYNTAX_CUSTOM: the check function
 * @min: integers: the smallest accepted value
 * @max: integers: the largest accepted value
 * @dmin: doubles: the smallest accepted value
 * @dmax: doubles: the largest accepted value
 * @enum_values: enums: %NULL-terminated list of accepted strings
 * @object: objects: the nested object's members
 * @items: arrays: the description of each item (its @name is only used in
 *   error messages)
 *
 * One member of a message or nested object.  Tables of these are static
 * data; see sl-signalling.c for examples.
 */
struct _SlMemberSpec
{
  const char *name;
  SlMemberKind kind;
  gboolean required;
  gsize max_len;
  SlStringSyntax syntax;
  SlStringCheck check;
  gint64 min;
  gint64 max;
  double dmin;
  double dmax;
  const char *const *enum_values;
  const SlObjectSpec *object;
  const SlMemberSpec *items;
};

/**
 * SlObjectSpec:
 * @name: the message type (for a message) or a name used in error
 *   messages (for a nested object)
 * @members: the members, in the order sl_message_to_json() writes them
 * @n_members: number of @members (at most 32)
 *
 * A message type, or the shape of a nested object.
 */
struct _SlObjectSpec
{
  const char *name;
  const SlMemberSpec *members;
  guint n_members;
};

/**
 * SlProtocolFamily:
 * @name: a name for logs and error messages, e.g. "signalling"
 * @messages: every message type of the family
 * @n_messages: number of @messages
 * @max_size: the largest accepted document, in bytes
 * @max_depth: the deepest accepted nesting of objects and arrays; the
 *   top-level object counts as 1
 * @ignore_unknown_members: %FALSE: a member that is not in the table is
 *   refused with %SL_PROTOCOL_ERROR_BAD_MEMBER; %TRUE: it is skipped
 *   (it must still be well-formed JSON within the limits)
 *
 * A set of messages that travel over one channel.  A message is a JSON
 * object whose "type" member names one of @messages.
 */
typedef struct
{
  const char *name;
  const SlObjectSpec *messages;
  guint n_messages;
  gsize max_size;
  guint max_depth;
  gboolean ignore_unknown_members;
} SlProtocolFamily;

G_END_DECLS
