/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The value checks shared by the parser and the builder, and the writer
 * behind sl_message_to_json(): a thin layer over json-glib that checks
 * every value with the same sl_value_check() the parser applies (so a
 * program cannot send what its peer would refuse), then lets json-glib's
 * JsonGenerator write the text.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-message-private.h"
#include "sl-protocol.h"
#include <json-glib/json-glib.h>
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

static JsonObject *object_to_json (const SlMessage * msg, const SlPath * path,
    GError ** error);

/* (transfer full) (nullable): the value as a json-glib node, after the
 * same checks the parser applies. */
static JsonNode *
value_to_json (const SlMemberSpec * m, const SlValue * v, const SlPath * path,
    GError ** error)
{
  JsonNode *node;
  guint i;

  if (!sl_value_check (m, v, path, error))
    return NULL;
  node = json_node_alloc ();
  switch (m->kind) {
    case SL_MEMBER_STRING:
    case SL_MEMBER_ENUM:
      /* The checks refuse U+0000 in every syntax, so the C string is the
       * whole value. */
      return json_node_init_string (node, v->v.s);
    case SL_MEMBER_INT:
      return json_node_init_int (node, v->v.i);
    case SL_MEMBER_DOUBLE:
      return json_node_init_double (node, v->v.d);
    case SL_MEMBER_BOOL:
      return json_node_init_boolean (node, v->v.b);
    case SL_MEMBER_OBJECT:{
      g_autoptr (JsonObject) obj = object_to_json (v->v.obj, path, error);

      if (obj == NULL) {
        json_node_unref (node);
        return NULL;
      }
      return json_node_init_object (node, obj);
    }
    case SL_MEMBER_ARRAY:{
      g_autoptr (JsonArray) arr = json_array_sized_new (v->v.arr->len);

      for (i = 0; i < v->v.arr->len; i++) {
        SlPath item_path = { path, NULL, i };
        JsonNode *item = value_to_json (m->items,
            &g_array_index (v->v.arr, SlValue, i), &item_path, error);

        if (item == NULL) {
          json_node_unref (node);
          return NULL;
        }
        json_array_add_element (arr, item);
      }
      return json_node_init_array (node, arr);
    }
  }
  g_assert_not_reached ();
}

/* (transfer full) (nullable): members in table order, "type" first. */
static JsonObject *
object_to_json (const SlMessage * msg, const SlPath * path, GError ** error)
{
  g_autoptr (JsonObject) obj = json_object_new ();
  guint i;

  if (msg->is_message)
    json_object_set_string_member (obj, "type", msg->spec->name);
  for (i = 0; i < msg->spec->n_members; i++) {
    const SlMemberSpec *m = &msg->spec->members[i];
    const SlValue *v = &msg->values[i];
    SlPath member_path = { path, m->name, 0 };
    JsonNode *node;

    if (!v->set) {
      if (m->required) {
        bad_member (error, &member_path, "is required");
        return NULL;
      }
      continue;
    }
    node = value_to_json (m, v, &member_path, error);
    if (node == NULL)
      return NULL;
    json_object_set_member (obj, m->name, node);
  }
  return g_steal_pointer (&obj);
}

static GString *
message_to_gstring (const SlMessage * msg, GError ** error)
{
  g_autoptr (JsonObject) obj = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonGenerator) generator = NULL;
  g_autoptr (GString) out = NULL;

  g_return_val_if_fail (msg != NULL, NULL);
  g_return_val_if_fail (msg->is_message, NULL);

  obj = object_to_json (msg, NULL, error);
  if (obj == NULL)
    return NULL;
  root = json_node_init_object (json_node_alloc (), obj);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  out = g_string_sized_new (128);
  json_generator_to_gstring (generator, out);
  if (out->len > msg->family->max_size) {
    g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_TOO_LARGE,
        "a '%s' message of %" G_GSIZE_FORMAT " bytes exceeds the %"
        G_GSIZE_FORMAT "-byte limit", msg->spec->name, out->len,
        msg->family->max_size);
    return NULL;
  }
  return g_steal_pointer (&out);
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
  GString *out = message_to_gstring (msg, error);

  if (out == NULL)
    return NULL;
  if (out_len)
    *out_len = out->len;
  return g_string_free (out, FALSE);
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
  GString *out = message_to_gstring (msg, error);

  return out ? g_string_free_to_bytes (out) : NULL;
}
