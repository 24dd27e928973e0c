/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The value checks shared by the parser and the builder, and the writer
 * behind sl_message_to_json(): every value is checked with the same
 * sl_value_check() the parser applies, so a program cannot send what its
 * peer would refuse.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-message-private.h"
#include "sl-protocol.h"
#include "sl-json-scan.h"

#include <math.h>
#include <string.h>

#define DEFAULT_MAX_STRING 1024
#define DEFAULT_MAX_ITEMS 64

/* --- checks -------------------------------------------------------------- */

char *
sl_path_to_string (const SlPath * path)
{
  GString *out = g_string_new (NULL);
  const SlPath *chain[SL_PATH_MAX_DEPTH];
  guint n = 0;

  for (; path && n < G_N_ELEMENTS (chain); path = path->parent)
    chain[n++] = path;
  while (n-- > 0) {
    if (chain[n]->name) {
      if (out->len > 0)
        g_string_append_c (out, '.');
      g_string_append (out, chain[n]->name);
    } else {
      g_string_append_printf (out, "[%u]", chain[n]->index);
    }
  }
  return g_string_free (out, FALSE);
}

static gboolean
bad_member (GError ** error, const SlPath * path, const char *what)
{
  g_autofree char *where = sl_path_to_string (path);

  g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER,
      "member '%s' %s", where, what);
  return FALSE;
}

/**
 * sl_value_check: (skip)
 *
 * Checks a stored scalar, or an array's length, against @member: the
 * rules shared by the parser and sl_message_to_json().  Nested objects and
 * array items are checked by the caller.
 */
gboolean
sl_value_check (const SlMemberSpec * member, const SlValue * value,
    const SlPath * path, GError ** error)
{
  const char *problem = NULL;
  guint i;

  switch (member->kind) {
    case SL_MEMBER_STRING:
      if (value->len > (member->max_len ? member->max_len : DEFAULT_MAX_STRING)) {
        g_autofree char *what = g_strdup_printf ("is longer than %"
            G_GSIZE_FORMAT " bytes",
            member->max_len ? member->max_len : DEFAULT_MAX_STRING);
        return bad_member (error, path, what);
      }
      problem = sl_protocol_check_string (member, value->v.s, value->len);
      break;
    case SL_MEMBER_ENUM:
      problem = "is not one of the accepted values";
      for (i = 0; member->enum_values && member->enum_values[i]; i++) {
        if (strlen (member->enum_values[i]) == value->len &&
            strcmp (member->enum_values[i], value->v.s) == 0) {
          problem = NULL;
          break;
        }
      }
      break;
    case SL_MEMBER_INT:
      if (value->v.i < member->min || value->v.i > member->max) {
        g_autofree char *what =
            g_strdup_printf ("must be between %" G_GINT64_FORMAT " and %"
            G_GINT64_FORMAT, member->min, member->max);
        return bad_member (error, path, what);
      }
      break;
    case SL_MEMBER_DOUBLE:
      if (!isfinite (value->v.d))
        problem = "must be a finite number";
      else if (value->v.d < member->dmin || value->v.d > member->dmax) {
        g_autofree char *what = g_strdup_printf ("must be between %g and %g",
            member->dmin, member->dmax);
        return bad_member (error, path, what);
      }
      break;
    case SL_MEMBER_ARRAY:
      if (value->v.arr->len > (member->max_len ? member->max_len :
              DEFAULT_MAX_ITEMS)) {
        g_autofree char *what = g_strdup_printf ("has more than %"
            G_GSIZE_FORMAT " items",
            member->max_len ? member->max_len : DEFAULT_MAX_ITEMS);
        return bad_member (error, path, what);
      }
      break;
    case SL_MEMBER_BOOL:
    case SL_MEMBER_OBJECT:
      break;
  }
  if (problem)
    return bad_member (error, path, problem);
  return TRUE;
}

/* --- serialisation ----------------------------------------------------- */

static void
write_string (GString * out, const char *s, gsize len)
{
  static const char hex[] = "0123456789abcdef";
  gsize i;
  gsize run = 0;

  g_string_append_c (out, '"');
  for (i = 0; i < len; i++) {
    guchar c;

    i = (gsize) (sl_json_skip_plain (s + i, s + len) - s);
    if (i >= len)
      break;
    c = (guchar) s[i];
    g_string_append_len (out, s + run, (gssize) (i - run));
    run = i + 1;
    switch (c) {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        g_string_append (out, "\\u00");
        g_string_append_c (out, hex[c >> 4]);
        g_string_append_c (out, hex[c & 0xf]);
        break;
    }
  }
  g_string_append_len (out, s + run, (gssize) (len - run));
  g_string_append_c (out, '"');
}

static gboolean write_object (GString * out, const SlMessage * msg,
    const SlPath * path, GError ** error);

static gboolean
write_value (GString * out, const SlMemberSpec * m, const SlValue * v,
    const SlPath * path, GError ** error)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint i;

  if (!sl_value_check (m, v, path, error))
    return FALSE;
  switch (m->kind) {
    case SL_MEMBER_STRING:
    case SL_MEMBER_ENUM:
      write_string (out, v->v.s, v->len);
      break;
    case SL_MEMBER_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v->v.i);
      break;
    case SL_MEMBER_DOUBLE:
      g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v->v.d));
      break;
    case SL_MEMBER_BOOL:
      g_string_append (out, v->v.b ? "true" : "false");
      break;
    case SL_MEMBER_OBJECT:
      return write_object (out, v->v.obj, path, error);
    case SL_MEMBER_ARRAY:
      g_string_append_c (out, '[');
      for (i = 0; i < v->v.arr->len; i++) {
        SlPath item_path = { path, NULL, i };

        if (i > 0)
          g_string_append_c (out, ',');
        if (!write_value (out, m->items, &g_array_index (v->v.arr, SlValue,
                    i), &item_path, error))
          return FALSE;
      }
      g_string_append_c (out, ']');
      break;
  }
  return TRUE;
}

static gboolean
write_object (GString * out, const SlMessage * msg, const SlPath * path,
    GError ** error)
{
  gboolean first = TRUE;
  guint i;

  g_string_append_c (out, '{');
  if (msg->is_message) {
    g_string_append (out, "\"type\":");
    write_string (out, msg->spec->name, strlen (msg->spec->name));
    first = FALSE;
  }
  for (i = 0; i < msg->spec->n_members; i++) {
    const SlMemberSpec *m = &msg->spec->members[i];
    const SlValue *v = &msg->values[i];
    SlPath member_path = { path, m->name, 0 };

    if (!v->set) {
      if (m->required)
        return bad_member (error, &member_path, "is required");
      continue;
    }
    if (!first)
      g_string_append_c (out, ',');
    first = FALSE;
    write_string (out, m->name, strlen (m->name));
    g_string_append_c (out, ':');
    if (!write_value (out, m, v, &member_path, error))
      return FALSE;
  }
  g_string_append_c (out, '}');
  return TRUE;
}

/**
 * sl_message_to_json:
 * @msg: a top-level message
 * @out_len: (out) (optional): the length of the result
 * @error: return location for a %SL_PROTOCOL_ERROR_BAD_MEMBER or
 *   %SL_PROTOCOL_ERROR_TOO_LARGE error
 *
 * Checks every member against the table and writes compact JSON ("type"
 * first, then members in table order).
 *
 * Returns: (transfer full) (nullable): the JSON text, or %NULL if a value
 *   breaks the table's rules or the result exceeds the family's max_size
 */
char *
sl_message_to_json (const SlMessage * msg, gsize * out_len, GError ** error)
{
  g_autoptr (GString) out = NULL;

  g_return_val_if_fail (msg != NULL, NULL);
  g_return_val_if_fail (msg->is_message, NULL);

  out = g_string_sized_new (128);
  if (!write_object (out, msg, NULL, error))
    return NULL;
  if (out->len > msg->family->max_size) {
    g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_TOO_LARGE,
        "a '%s' message of %" G_GSIZE_FORMAT " bytes exceeds the %"
        G_GSIZE_FORMAT "-byte limit", msg->spec->name, out->len,
        msg->family->max_size);
    return NULL;
  }
  if (out_len)
    *out_len = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * sl_message_to_bytes:
 * @msg: a top-level message
 * @error: as for sl_message_to_json()
 *
 * Returns: (transfer full) (nullable): the JSON text without a trailing
 *   NUL, ready for soup_websocket_connection_send_message()
 */
GBytes *
sl_message_to_bytes (const SlMessage * msg, GError ** error)
{
  gsize len;
  char *json = sl_message_to_json (msg, &len, error);

  if (json == NULL)
    return NULL;
  return g_bytes_new_take (json, len);
}
