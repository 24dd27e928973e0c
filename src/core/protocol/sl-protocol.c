/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The table-driven parser.  Every document first passes sl_json_scan(),
 * the strict gate: it enforces the size and depth limits before anything
 * is built (json-glib 1.6 has no depth limit) and refuses what json-glib
 * would silently accept or reinterpret.  Then json-glib parses it and the
 * tree is walked against the message's table; every value is checked with
 * sl_value_check(), as the writer checks what it sends.
 *
 * One path for every message: an earlier build path that filled flat
 * messages straight from the gate's spans was dropped, since it did not
 * double relay throughput (docs/BENCHMARKS.md).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-protocol.h"
#include "sl-json-scan.h"
#include "sl-message-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

G_DEFINE_QUARK (sl - protocol - error - quark, sl_protocol_error);

#define DEFAULT_MAX_STRING 1024
#define MAX_TABLE_MEMBERS 32

/* A scalar read from either path, before it is checked against a member. */
typedef struct
{
  SlJsonKind kind;
  char *str;                    /* owned; strings */
  gsize len;
  gboolean integer;             /* numbers */
  gint64 i;
  double d;
} RawValue;

/**
 * sl_protocol_error_code_name:
 * @code: an error code
 *
 * Returns: the stable name sent on the wire in `error` messages, e.g.
 *   "malformed-json"
 */
const char *
sl_protocol_error_code_name (SlProtocolError code)
{
  switch (code) {
    case SL_PROTOCOL_ERROR_MALFORMED_JSON:
      return "malformed-json";
    case SL_PROTOCOL_ERROR_TOO_LARGE:
      return "too-large";
    case SL_PROTOCOL_ERROR_TOO_DEEP:
      return "too-deep";
    case SL_PROTOCOL_ERROR_UNKNOWN_TYPE:
      return "unknown-type";
    case SL_PROTOCOL_ERROR_BAD_MEMBER:
      return "bad-member";
  }
  return "bad-member";
}

/**
 * sl_protocol_family_lookup:
 * @family: a family
 * @type: a message type name
 *
 * Returns: (transfer none) (nullable): the table of @type, or %NULL
 */
const SlObjectSpec *
sl_protocol_family_lookup (const SlProtocolFamily * family, const char *type)
{
  guint i;

  g_return_val_if_fail (family != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);
  for (i = 0; i < family->n_messages; i++) {
    if (strcmp (family->messages[i].name, type) == 0)
      return &family->messages[i];
  }
  return NULL;
}

static gboolean
all_chars (const char *s, gsize len, const char *extra)
{
  gsize i;

  for (i = 0; i < len; i++) {
    char c = s[i];
    if (!(g_ascii_islower (c) || g_ascii_isdigit (c) || (c
                && strchr (extra, c))))
      return FALSE;
  }
  return TRUE;
}

static gboolean
all_hex_lower (const char *s, gsize len)
{
  gsize i;

  for (i = 0; i < len; i++) {
    if (!g_ascii_isdigit (s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
      return FALSE;
  }
  return TRUE;
}

/* Which bytes may appear in base64 before its padding: blobs are the
 * bulk of the relay path, so one table lookup per character. */
static const guint8 base64_alphabet[256] = {
  ['A'] = 1,['B'] = 1,['C'] = 1,['D'] = 1,['E'] = 1,['F'] = 1,
  ['G'] = 1,['H'] = 1,['I'] = 1,['J'] = 1,['K'] = 1,['L'] = 1,
  ['M'] = 1,['N'] = 1,['O'] = 1,['P'] = 1,['Q'] = 1,['R'] = 1,
  ['S'] = 1,['T'] = 1,['U'] = 1,['V'] = 1,['W'] = 1,['X'] = 1,
  ['Y'] = 1,['Z'] = 1,
  ['a'] = 1,['b'] = 1,['c'] = 1,['d'] = 1,['e'] = 1,['f'] = 1,
  ['g'] = 1,['h'] = 1,['i'] = 1,['j'] = 1,['k'] = 1,['l'] = 1,
  ['m'] = 1,['n'] = 1,['o'] = 1,['p'] = 1,['q'] = 1,['r'] = 1,
  ['s'] = 1,['t'] = 1,['u'] = 1,['v'] = 1,['w'] = 1,['x'] = 1,
  ['y'] = 1,['z'] = 1,
  ['0'] = 1,['1'] = 1,['2'] = 1,['3'] = 1,['4'] = 1,['5'] = 1,
  ['6'] = 1,['7'] = 1,['8'] = 1,['9'] = 1,['+'] = 1,['/'] = 1,
};

static gboolean
is_base64 (const char *s, gsize len)
{
  gsize pad = 0;
  gsize i;

  if (len < 4 || len % 4 != 0)
    return FALSE;
  if (s[len - 1] == '=')
    pad = (s[len - 2] == '=') ? 2 : 1;
  len -= pad;
  for (i = 0; i < len; i++) {
    if (!base64_alphabet[(guchar) s[i]])
      return FALSE;
  }
  return TRUE;
}

/**
 * sl_protocol_check_string:
 * @member: a string member
 * @value: (array length=len): the candidate value
 * @len: its length in bytes
 *
 * Applies @member's length and syntax rules; useful to check a value
 * before putting it in a message (e.g. a device id read from a
 * certificate).
 *
 * Returns: (nullable): a static phrase saying what is wrong (e.g. "must be
 *   32 lowercase hexadecimal characters"), or %NULL if @value is fine
 */
const char *
sl_protocol_check_string (const SlMemberSpec * member, const char *value,
    gsize len)
{
  gsize i;

  g_return_val_if_fail (member != NULL, "has no table");
  g_return_val_if_fail (value != NULL, "is missing");

  if (len > (member->max_len ? member->max_len : DEFAULT_MAX_STRING))
    return "is too long";
  /* The ASCII-only syntaxes below refuse NUL and non-ASCII bytes on their
   * own; only free text needs the UTF-8 check. */
  if (member->syntax == SL_SYNTAX_TEXT || member->syntax == SL_SYNTAX_CUSTOM) {
    if (memchr (value, '\0', len))
      return "contains U+0000";
    if (!sl_json_utf8_valid (value, len))
      return "is not valid UTF-8";
  }

  switch (member->syntax) {
    case SL_SYNTAX_TEXT:
      for (i = 0; i < len; i++) {
        if ((guchar) value[i] < 0x20 || value[i] == 0x7f)
          return "contains control characters";
      }
      return NULL;
    case SL_SYNTAX_CALL_ID:
      if (len != 32 || !all_hex_lower (value, len))
        return "must be 32 lowercase hexadecimal characters";
      return NULL;
    case SL_SYNTAX_DEVICE_ID:
      if (len < 1 || len > 63 || !(g_ascii_islower (value[0]) ||
              g_ascii_isdigit (value[0])) || !all_chars (value, len, "._-"))
        return "must be 1 to 63 characters from a-z, 0-9, '.', '_' and '-', "
            "starting with a letter or digit";
      return NULL;
    case SL_SYNTAX_BASE64:
      if (!is_base64 (value, len))
        return "must be non-empty padded base64";
      return NULL;
    case SL_SYNTAX_TOKEN:
      if (len < 1 || !all_chars (value, len, "-"))
        return "must be 1 or more characters from a-z, 0-9 and '-'";
      return NULL;
    case SL_SYNTAX_URI:
      if (len < 1)
        return "must not be empty";
      for (i = 0; i < len; i++) {
        guchar c = (guchar) value[i];
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\')
          return "must be printable ASCII without spaces, quotes or "
              "backslashes";
      }
      return NULL;
    case SL_SYNTAX_CUSTOM:
      return member->check ? member->check (value, len) : NULL;
  }
  return NULL;
}

/* Member names and types come from the peer: echo them only when they are
 * short and harmless, so error messages can be logged and sent back. */
static char *
printable_name (const char *name, gsize len)
{
  gsize i;

  if (len == 0 || len > 32)
    return g_strdup ("(unprintable)");
  for (i = 0; i < len; i++) {
    char c = name[i];
    if (!(g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.'))
      return g_strdup ("(unprintable)");
  }
  return g_strndup (name, len);
}

static gboolean
set_error_at (GError ** error, SlProtocolError code, const SlPath * path,
    const char *what)
{
  g_autofree char *where = sl_path_to_string (path);

  g_set_error (error, SL_PROTOCOL_ERROR, code, "member '%s' %s", where, what);
  return FALSE;
}

static gboolean
unknown_member (GError ** error, const SlPath * parent, const char *name,
    gsize len)
{
  g_autofree char *printable = printable_name (name, len);
  SlPath path = { parent, printable, 0 };

  return set_error_at (error, SL_PROTOCOL_ERROR_BAD_MEMBER, &path,
      "is not part of the message");
}

static const char *
kind_phrase (SlMemberKind kind)
{
  switch (kind) {
    case SL_MEMBER_STRING:
    case SL_MEMBER_ENUM:
      return "must be a string";
    case SL_MEMBER_INT:
      return "must be an integer";
    case SL_MEMBER_DOUBLE:
      return "must be a number";
    case SL_MEMBER_BOOL:
      return "must be true or false";
    case SL_MEMBER_OBJECT:
      return "must be an object";
    case SL_MEMBER_ARRAY:
      return "must be an array";
  }
  return "has the wrong kind";
}

/* Takes raw->str.  Objects and arrays are handled by the callers. */
static gboolean
store_raw (const SlMemberSpec * m, RawValue * raw, SlValue * out,
    const SlPath * path, GError ** error)
{
  gboolean ok = FALSE;

  switch (m->kind) {
    case SL_MEMBER_STRING:
    case SL_MEMBER_ENUM:
      if (raw->kind == SL_JSON_STRING) {
        out->v.s = g_steal_pointer (&raw->str);
        out->len = raw->len;
        ok = TRUE;
      }
      break;
    case SL_MEMBER_INT:
      if (raw->kind == SL_JSON_NUMBER && raw->integer) {
        out->v.i = raw->i;
        ok = TRUE;
      }
      break;
    case SL_MEMBER_DOUBLE:
      if (raw->kind == SL_JSON_NUMBER) {
        out->v.d = raw->integer ? (double) raw->i : raw->d;
        ok = TRUE;
      }
      break;
    case SL_MEMBER_BOOL:
      if (raw->kind == SL_JSON_TRUE || raw->kind == SL_JSON_FALSE) {
        out->v.b = raw->kind == SL_JSON_TRUE;
        ok = TRUE;
      }
      break;
    case SL_MEMBER_OBJECT:
    case SL_MEMBER_ARRAY:
      break;
  }
  g_clear_pointer (&raw->str, g_free);
  if (!ok)
    return set_error_at (error, SL_PROTOCOL_ERROR_BAD_MEMBER, path,
        kind_phrase (m->kind));
  out->set = TRUE;
  out->kind = m->kind;
  return sl_value_check (m, out, path, error);
}

static gboolean
check_required (const SlMessage * msg, const SlPath * path, GError ** error)
{
  guint i;

  for (i = 0; i < msg->spec->n_members; i++) {
    if (msg->spec->members[i].required && !msg->values[i].set) {
      SlPath member_path = { path, msg->spec->members[i].name, 0 };
      return set_error_at (error, SL_PROTOCOL_ERROR_BAD_MEMBER, &member_path,
          "is required");
    }
  }
  return TRUE;
}

/* --- json-glib's tree, walked against the table ----------------------- */

static gboolean fill_object (SlMessage * msg, JsonObject * obj,
    const SlPath * path, gboolean top, GError ** error);

static gboolean
store_node (const SlProtocolFamily * family, const SlMemberSpec * m,
    JsonNode * node, SlValue * out, const SlPath * path, GError ** error)
{
  RawValue raw = { 0 };
  guint i;

  switch (json_node_get_node_type (node)) {
    case JSON_NODE_OBJECT:
      if (m->kind != SL_MEMBER_OBJECT)
        return set_error_at (error, SL_PROTOCOL_ERROR_BAD_MEMBER, path,
            kind_phrase (m->kind));
      out->set = TRUE;
      out->kind = SL_MEMBER_OBJECT;
      out->v.obj = sl_message_new_for_spec (family, m->object, FALSE);
      return fill_object (out->v.obj, json_node_get_object (node), path,
          FALSE, error);
    case JSON_NODE_ARRAY:{
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      gsize max = m->max_len ? m->max_len : 64;

      if (m->kind != SL_MEMBER_ARRAY)
        return set_error_at (error, SL_PROTOCOL_ERROR_BAD_MEMBER, path,
            kind_phrase (m->kind));
      /* Refuse an overlong array before building any item. */
      if (n > max) {
        g_autofree char *what = g_strdup_printf ("has more than %"
            G_GSIZE_FORMAT " items", max);
        return set_error_at (error, SL_PROTOCOL_ERROR_BAD_MEMBER, path, what);
      }
      out->set = TRUE;
      out->kind = SL_MEMBER_ARRAY;
      out->v.arr = sl_value_array_new ();
      g_array_set_size (out->v.arr, n);
      for (i = 0; i < n; i++) {
        SlPath item_path = { path, NULL, i };
        if (!store_node (family, m->items, json_array_get_element (array, i),
                &g_array_index (out->v.arr, SlValue, i), &item_path, error))
          return FALSE;
      }
      return TRUE;
    }
    case JSON_NODE_NULL:
      raw.kind = SL_JSON_NULL;
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node)) {
        case G_TYPE_STRING:
          raw.kind = SL_JSON_STRING;
          raw.str = json_node_dup_string (node);
          raw.len = strlen (raw.str);
          break;
        case G_TYPE_INT64:
          raw.kind = SL_JSON_NUMBER;
          raw.integer = TRUE;
          raw.i = json_node_get_int (node);
          break;
        case G_TYPE_DOUBLE:
          raw.kind = SL_JSON_NUMBER;
          raw.d = json_node_get_double (node);
          break;
        case G_TYPE_BOOLEAN:
          raw.kind = json_node_get_boolean (node) ? SL_JSON_TRUE :
              SL_JSON_FALSE;
          break;
        default:
          raw.kind = SL_JSON_NULL;
          break;
      }
      break;
  }
  return store_raw (m, &raw, out, path, error);
}

static gboolean
fill_object (SlMessage * msg, JsonObject * obj, const SlPath * path,
    gboolean top, GError ** error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &name, &node)) {
    gint index;

    if (top && strcmp (name, "type") == 0)
      continue;
    index = sl_object_spec_find (msg->spec, name, strlen (name));
    if (index < 0) {
      if (msg->family->ignore_unknown_members)
        continue;
      return unknown_member (error, path, name, strlen (name));
    }
    {
      const SlMemberSpec *m = &msg->spec->members[index];
      SlPath member_path = { path, m->name, 0 };

      if (!store_node (msg->family, m, node, &msg->values[index],
              &member_path, error))
        return FALSE;
    }
  }
  return check_required (msg, path, error);
}

/* A mutable parser: an immutable one seals every object, and sealing hashes
 * every member value, the whole of a relayed blob included (6% of the
 * server's CPU at 2 KiB relays, bench/server).  The tree never leaves this
 * function, so nothing needs it sealed. */
static gboolean
build_tree (SlMessage * msg, const char *text, gsize len, GError ** error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error)) {
    g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_MALFORMED_JSON,
        "malformed JSON: %s", local_error->message);
    return FALSE;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error_literal (error, SL_PROTOCOL_ERROR,
        SL_PROTOCOL_ERROR_MALFORMED_JSON, "a message must be a JSON object");
    return FALSE;
  }
  return fill_object (msg, json_node_get_object (root), NULL, TRUE, error);
}

/* --- entry point ------------------------------------------------------- */

static const SlObjectSpec *
find_type (const SlProtocolFamily * family, const SlJsonScan * scan,
    GError ** error)
{
  const SlJsonMember *type = NULL;
  const SlObjectSpec *spec;
  g_autofree char *name = NULL;
  gsize len;
  guint i;

  for (i = 0; i < scan->n_members; i++) {
    if (scan->members[i].key_len == 4 &&
        memcmp (scan->members[i].key, "type", 4) == 0) {
      type = &scan->members[i];
      break;
    }
  }
  if (type == NULL) {
    g_set_error_literal (error, SL_PROTOCOL_ERROR,
        SL_PROTOCOL_ERROR_BAD_MEMBER, "member 'type' is required");
    return NULL;
  }
  if (type->kind != SL_JSON_STRING) {
    g_set_error_literal (error, SL_PROTOCOL_ERROR,
        SL_PROTOCOL_ERROR_BAD_MEMBER, "member 'type' must be a string");
    return NULL;
  }
  if (type->escaped) {
    name = sl_json_unescape (type->value, type->value_len, &len);
  } else {
    name = g_strndup (type->value, type->value_len);
    len = type->value_len;
  }
  spec = (strlen (name) == len) ? sl_protocol_family_lookup (family, name) :
      NULL;
  if (spec == NULL) {
    g_autofree char *printable = printable_name (name, len);
    g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_UNKNOWN_TYPE,
        "unknown %s message type '%s'", family->name, printable);
  }
  return spec;
}

/**
 * sl_protocol_parse:
 * @family: the family the document must belong to
 * @text: (array length=len): the document; need not be NUL-terminated
 * @len: its length in bytes
 * @error: return location for a %SL_PROTOCOL_ERROR
 *
 * Parses one message under the family's size and depth limits (both
 * checked before any tree is built) and checks every member against the
 * message's table.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error
 *   set and a message that names the offending member
 */
SlMessage *
sl_protocol_parse (const SlProtocolFamily * family, const char *text,
    gsize len, GError ** error)
{
  g_autoptr (SlMessage) msg = NULL;
  const SlObjectSpec *spec;
  SlJsonScan scan;

  g_return_val_if_fail (family != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len > family->max_size) {
    g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_TOO_LARGE,
        "a message of %" G_GSIZE_FORMAT " bytes exceeds the %" G_GSIZE_FORMAT
        "-byte limit", len, family->max_size);
    return NULL;
  }
  if (!sl_json_scan (text ? text : "", len, family->max_depth, &scan, error))
    return NULL;
  spec = find_type (family, &scan, error);
  if (spec == NULL)
    return NULL;

  msg = sl_message_new_for_spec (family, spec, TRUE);
  if (!build_tree (msg, text, len, error))
    return NULL;
  return g_steal_pointer (&msg);
}

/* --- table checks, for the tests of every family ----------------------- */

static gboolean check_object_spec (const SlObjectSpec * spec, guint depth,
    gboolean top, GError ** error);

static gboolean
table_error (GError ** error, const SlObjectSpec * spec, const char *what)
{
  g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER,
      "table '%s': %s", spec->name ? spec->name : "(unnamed)", what);
  return FALSE;
}

static gboolean
check_member_spec (const SlObjectSpec * spec, const SlMemberSpec * m,
    guint depth, gboolean item, GError ** error)
{
  switch (m->kind) {
    case SL_MEMBER_ENUM:
      if (m->enum_values == NULL || m->enum_values[0] == NULL)
        return table_error (error, spec, "an enum has no values");
      break;
    case SL_MEMBER_INT:
      if (m->min > m->max)
        return table_error (error, spec, "an integer range is empty");
      break;
    case SL_MEMBER_DOUBLE:
      if (!(m->dmin <= m->dmax))
        return table_error (error, spec, "a number range is empty");
      break;
    case SL_MEMBER_STRING:
      if (m->syntax == SL_SYNTAX_CUSTOM && m->check == NULL)
        return table_error (error, spec, "a custom string has no check");
      break;
    case SL_MEMBER_OBJECT:
      if (m->object == NULL)
        return table_error (error, spec, "an object member has no table");
      return check_object_spec (m->object, depth + 1, FALSE, error);
    case SL_MEMBER_ARRAY:
      if (item)
        return table_error (error, spec, "arrays of arrays are not supported");
      if (m->items == NULL)
        return table_error (error, spec, "an array member has no item");
      return check_member_spec (spec, m->items, depth, TRUE, error);
    case SL_MEMBER_BOOL:
      break;
  }
  return TRUE;
}

static gboolean
check_object_spec (const SlObjectSpec * spec, guint depth, gboolean top,
    GError ** error)
{
  guint i, j;

  if (depth > SL_JSON_MAX_DEPTH)
    return table_error (error, spec, "nested too deeply (or cyclic)");
  if (spec->name == NULL || spec->n_members > MAX_TABLE_MEMBERS ||
      (spec->n_members > 0 && spec->members == NULL))
    return table_error (error, spec, "needs a name and at most 32 members");
  for (i = 0; i < spec->n_members; i++) {
    const SlMemberSpec *m = &spec->members[i];

    if (m->name == NULL || m->name[0] == '\0')
      return table_error (error, spec, "a member has no name");
    if (top && strcmp (m->name, "type") == 0)
      return table_error (error, spec, "'type' is reserved");
    for (j = 0; j < i; j++) {
      if (strcmp (spec->members[j].name, m->name) == 0)
        return table_error (error, spec, "a member name is repeated");
    }
    if (!check_member_spec (spec, m, depth, FALSE, error))
      return FALSE;
  }
  return TRUE;
}

/**
 * sl_protocol_family_check:
 * @family: a family's tables
 * @error: return location for an error naming the faulty table
 *
 * Checks a family's tables for mistakes (repeated names, empty ranges,
 * missing nested tables, limits out of bounds).  Every table file has a
 * unit test that calls this.
 *
 * Returns: %TRUE if the tables are consistent
 */
gboolean
sl_protocol_family_check (const SlProtocolFamily * family, GError ** error)
{
  guint i, j;

  g_return_val_if_fail (family != NULL, FALSE);

  if (family->name == NULL || family->max_size == 0 || family->max_depth < 1
      || family->max_depth > SL_JSON_MAX_DEPTH || family->n_messages == 0) {
    g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER,
        "family '%s': needs a name, max_size, 1 <= max_depth <= %d and "
        "messages", family->name ? family->name : "(unnamed)",
        SL_JSON_MAX_DEPTH);
    return FALSE;
  }
  for (i = 0; i < family->n_messages; i++) {
    if (!check_object_spec (&family->messages[i], 1, TRUE, error))
      return FALSE;
    for (j = 0; j < i; j++) {
      if (strcmp (family->messages[j].name, family->messages[i].name) == 0)
        return table_error (error, &family->messages[i], "type is repeated");
    }
  }
  return TRUE;
}
