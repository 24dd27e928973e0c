/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SlMessage: one message (or nested object) shaped by its table.  Values
 * live in an array indexed like the table's members, so a getter is a
 * short name lookup and no tree is kept.  Serialisation is in
 * sl-message-write.c.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-message-private.h"
#include "sl-protocol.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (SlMessage, sl_message, sl_message_ref, sl_message_unref);

/* --- storage ----------------------------------------------------------- */

SlMessage *
sl_message_new_for_spec (const SlProtocolFamily * family,
    const SlObjectSpec * spec, gboolean is_message)
{
  SlMessage *msg = g_malloc0 (sizeof (SlMessage) +
      spec->n_members * sizeof (SlValue));

  g_atomic_ref_count_init (&msg->ref_count);
  msg->family = family;
  msg->spec = spec;
  msg->is_message = is_message;
  return msg;
}

void
sl_value_clear (SlValue * value)
{
  if (!value->set)
    return;
  switch (value->kind) {
    case SL_MEMBER_STRING:
    case SL_MEMBER_ENUM:
      g_free (value->v.s);
      break;
    case SL_MEMBER_OBJECT:
      sl_message_unref (value->v.obj);
      break;
    case SL_MEMBER_ARRAY:
      g_array_unref (value->v.arr);
      break;
    case SL_MEMBER_INT:
    case SL_MEMBER_DOUBLE:
    case SL_MEMBER_BOOL:
      break;
  }
  memset (value, 0, sizeof (SlValue));
}

static void
sl_value_clear_item (gpointer data)
{
  sl_value_clear (data);
}

GArray *
sl_value_array_new (void)
{
  GArray *arr = g_array_new (FALSE, TRUE, sizeof (SlValue));

  g_array_set_clear_func (arr, sl_value_clear_item);
  return arr;
}

gint
sl_object_spec_find (const SlObjectSpec * spec, const char *name, gsize len)
{
  guint i;

  for (i = 0; i < spec->n_members; i++) {
    const char *m = spec->members[i].name;
    if (strncmp (m, name, len) == 0 && m[len] == '\0')
      return (gint) i;
  }
  return -1;
}

/* --- public: life cycle ------------------------------------------------ */

/**
 * sl_message_new:
 * @family: the family of @type
 * @type: a message type of @family
 *
 * Starts building a message.  Fill it with the setters, then serialise it
 * with sl_message_to_json().
 *
 * Returns: (transfer full): an empty message
 */
SlMessage *
sl_message_new (const SlProtocolFamily * family, const char *type)
{
  const SlObjectSpec *spec;

  g_return_val_if_fail (family != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);
  spec = sl_protocol_family_lookup (family, type);
  if (spec == NULL) {
    g_critical ("%s: family '%s' has no message type '%s'", G_STRFUNC,
        family->name, type);
    return NULL;
  }
  return sl_message_new_for_spec (family, spec, TRUE);
}

/**
 * sl_message_ref:
 * @msg: a top-level message
 *
 * Returns: (transfer full): @msg
 */
SlMessage *
sl_message_ref (SlMessage * msg)
{
  g_return_val_if_fail (msg != NULL, NULL);
  g_atomic_ref_count_inc (&msg->ref_count);
  return msg;
}

/**
 * sl_message_unref:
 * @msg: (transfer full): a top-level message
 */
void
sl_message_unref (SlMessage * msg)
{
  guint i;

  g_return_if_fail (msg != NULL);
  if (!g_atomic_ref_count_dec (&msg->ref_count))
    return;
  for (i = 0; i < msg->spec->n_members; i++)
    sl_value_clear (&msg->values[i]);
  g_free (msg);
}

/**
 * sl_message_get_family:
 * @msg: a message
 *
 * Returns: (transfer none): its family
 */
const SlProtocolFamily *
sl_message_get_family (const SlMessage * msg)
{
  g_return_val_if_fail (msg != NULL, NULL);
  return msg->family;
}

/**
 * sl_message_get_type_name:
 * @msg: a message
 *
 * Returns: (transfer none): its "type", e.g. "invite"; for a nested object
 *   the name its table gives it
 */
const char *
sl_message_get_type_name (const SlMessage * msg)
{
  g_return_val_if_fail (msg != NULL, NULL);
  return msg->spec->name;
}

/* --- getters ----------------------------------------------------------- */

static gint
find_member (const SlMessage * msg, const char *name, const char *func)
{
  gint i;

  if (msg == NULL || name == NULL) {
    g_critical ("%s: NULL message or member name", func);
    return -1;
  }
  i = sl_object_spec_find (msg->spec, name, strlen (name));
  if (i < 0)
    g_critical ("%s: '%s' has no member '%s'", func, msg->spec->name, name);
  return i;
}

static const SlValue *
lookup (const SlMessage * msg, const char *name, SlMemberKind kind,
    const char *func)
{
  gint i = find_member (msg, name, func);
  SlMemberKind actual;

  if (i < 0)
    return NULL;
  actual = msg->spec->members[i].kind;
  if (actual != kind && !(kind == SL_MEMBER_STRING && actual == SL_MEMBER_ENUM)) {
    g_critical ("%s: member '%s' of '%s' is not of that kind", func, name,
        msg->spec->name);
    return NULL;
  }
  return &msg->values[i];
}

static const SlValue *
lookup_item (const SlMessage * msg, const char *name, guint index,
    SlMemberKind kind, const char *func)
{
  gint i = find_member (msg, name, func);
  const SlMemberSpec *m;
  const SlValue *v;
  SlMemberKind actual;

  if (i < 0)
    return NULL;
  m = &msg->spec->members[i];
  actual = m->kind == SL_MEMBER_ARRAY ? m->items->kind : m->kind;
  if (m->kind != SL_MEMBER_ARRAY || (actual != kind &&
          !(kind == SL_MEMBER_STRING && actual == SL_MEMBER_ENUM))) {
    g_critical ("%s: member '%s' of '%s' is not an array of that kind", func,
        name, msg->spec->name);
    return NULL;
  }
  v = &msg->values[i];
  if (!v->set || index >= v->v.arr->len) {
    g_critical ("%s: index %u is beyond the end of '%s'", func, index, name);
    return NULL;
  }
  return &g_array_index (v->v.arr, SlValue, index);
}

/**
 * sl_message_has_member:
 * @msg: a message
 * @name: a member its table declares
 *
 * Returns: whether the member is present (always %TRUE for required
 *   members of a parsed message)
 */
gboolean
sl_message_has_member (const SlMessage * msg, const char *name)
{
  gint i = find_member (msg, name, G_STRFUNC);

  return i >= 0 && msg->values[i].set;
}

/**
 * sl_message_get_string:
 * @msg: a message
 * @name: a string or enum member
 *
 * Returns: (transfer none) (nullable): the value, or %NULL when absent
 */
const char *
sl_message_get_string (const SlMessage * msg, const char *name)
{
  const SlValue *v = lookup (msg, name, SL_MEMBER_STRING, G_STRFUNC);

  return (v && v->set) ? v->v.s : NULL;
}

/**
 * sl_message_get_int:
 * @msg: a message
 * @name: an integer member
 *
 * Returns: the value, or 0 when absent
 */
gint64
sl_message_get_int (const SlMessage * msg, const char *name)
{
  const SlValue *v = lookup (msg, name, SL_MEMBER_INT, G_STRFUNC);

  return (v && v->set) ? v->v.i : 0;
}

/**
 * sl_message_get_double:
 * @msg: a message
 * @name: a double member
 *
 * Returns: the value, or 0 when absent
 */
double
sl_message_get_double (const SlMessage * msg, const char *name)
{
  const SlValue *v = lookup (msg, name, SL_MEMBER_DOUBLE, G_STRFUNC);

  return (v && v->set) ? v->v.d : 0.0;
}

/**
 * sl_message_get_bool:
 * @msg: a message
 * @name: a boolean member
 *
 * Returns: the value, or %FALSE when absent
 */
gboolean
sl_message_get_bool (const SlMessage * msg, const char *name)
{
  const SlValue *v = lookup (msg, name, SL_MEMBER_BOOL, G_STRFUNC);

  return (v && v->set) ? v->v.b : FALSE;
}

/**
 * sl_message_get_object:
 * @msg: a message
 * @name: an object member
 *
 * Returns: (transfer none) (nullable): the nested object, or %NULL when
 *   absent; it lives as long as @msg
 */
const SlMessage *
sl_message_get_object (const SlMessage * msg, const char *name)
{
  const SlValue *v = lookup (msg, name, SL_MEMBER_OBJECT, G_STRFUNC);

  return (v && v->set) ? v->v.obj : NULL;
}

/**
 * sl_message_get_array_length:
 * @msg: a message
 * @name: an array member
 *
 * Returns: the number of items, 0 when absent
 */
guint
sl_message_get_array_length (const SlMessage * msg, const char *name)
{
  const SlValue *v = lookup (msg, name, SL_MEMBER_ARRAY, G_STRFUNC);

  return (v && v->set) ? v->v.arr->len : 0;
}

/**
 * sl_message_get_array_object:
 * @msg: a message
 * @name: an array-of-objects member
 * @index: less than sl_message_get_array_length()
 *
 * Returns: (transfer none): the item; it lives as long as @msg
 */
const SlMessage *
sl_message_get_array_object (const SlMessage * msg, const char *name,
    guint index)
{
  const SlValue *v = lookup_item (msg, name, index, SL_MEMBER_OBJECT,
      G_STRFUNC);

  return v ? v->v.obj : NULL;
}

/**
 * sl_message_get_array_string:
 * @msg: a message
 * @name: an array-of-strings (or enums) member
 * @index: less than sl_message_get_array_length()
 *
 * Returns: (transfer none): the item
 */
const char *
sl_message_get_array_string (const SlMessage * msg, const char *name,
    guint index)
{
  const SlValue *v = lookup_item (msg, name, index, SL_MEMBER_STRING,
      G_STRFUNC);

  return v ? v->v.s : NULL;
}

/**
 * sl_message_get_array_int:
 * @msg: a message
 * @name: an array-of-integers member
 * @index: less than sl_message_get_array_length()
 *
 * Returns: the item
 */
gint64
sl_message_get_array_int (const SlMessage * msg, const char *name, guint index)
{
  const SlValue *v = lookup_item (msg, name, index, SL_MEMBER_INT, G_STRFUNC);

  return v ? v->v.i : 0;
}

/**
 * sl_message_get_array_double:
 * @msg: a message
 * @name: an array-of-doubles member
 * @index: less than sl_message_get_array_length()
 *
 * Returns: the item
 */
double
sl_message_get_array_double (const SlMessage * msg, const char *name,
    guint index)
{
  const SlValue *v = lookup_item (msg, name, index, SL_MEMBER_DOUBLE,
      G_STRFUNC);

  return v ? v->v.d : 0.0;
}

/**
 * sl_message_get_array_bool:
 * @msg: a message
 * @name: an array-of-booleans member
 * @index: less than sl_message_get_array_length()
 *
 * Returns: the item
 */
gboolean
sl_message_get_array_bool (const SlMessage * msg, const char *name, guint index)
{
  const SlValue *v = lookup_item (msg, name, index, SL_MEMBER_BOOL, G_STRFUNC);

  return v ? v->v.b : FALSE;
}

/* --- setters ----------------------------------------------------------- */

static SlValue *
slot (SlMessage * msg, const char *name, SlMemberKind kind, const char *func)
{
  SlValue *v = (SlValue *) lookup (msg, name, kind, func);

  if (v) {
    SlMemberKind actual = msg->spec->members[v - msg->values].kind;

    sl_value_clear (v);
    v->set = TRUE;
    v->kind = actual;
  }
  return v;
}

static SlValue *
append_slot (SlMessage * msg, const char *name, SlMemberKind kind,
    const char *func)
{
  gint i = find_member (msg, name, func);
  const SlMemberSpec *m;
  SlValue *v;
  SlValue item = { 0 };

  if (i < 0)
    return NULL;
  m = &msg->spec->members[i];
  if (m->kind != SL_MEMBER_ARRAY || (m->items->kind != kind &&
          !(kind == SL_MEMBER_STRING && m->items->kind == SL_MEMBER_ENUM))) {
    g_critical ("%s: member '%s' of '%s' is not an array of that kind", func,
        name, msg->spec->name);
    return NULL;
  }
  v = &msg->values[i];
  if (!v->set) {
    v->set = TRUE;
    v->kind = SL_MEMBER_ARRAY;
    v->v.arr = sl_value_array_new ();
  }
  item.set = TRUE;
  item.kind = m->items->kind;
  g_array_append_val (v->v.arr, item);
  return &g_array_index (v->v.arr, SlValue, v->v.arr->len - 1);
}

/**
 * sl_message_set_string:
 * @msg: a message being built
 * @name: a string or enum member
 * @value: (transfer none): the value, checked by sl_message_to_json()
 */
void
sl_message_set_string (SlMessage * msg, const char *name, const char *value)
{
  g_return_if_fail (value != NULL);
  sl_message_set_string_len (msg, name, value, strlen (value));
}

/**
 * sl_message_set_string_len:
 * @msg: a message being built
 * @name: a string or enum member
 * @value: (array length=len): the value; need not be NUL-terminated
 * @len: its length in bytes
 */
void
sl_message_set_string_len (SlMessage * msg, const char *name,
    const char *value, gsize len)
{
  SlValue *v;

  g_return_if_fail (value != NULL || len == 0);
  v = slot (msg, name, SL_MEMBER_STRING, G_STRFUNC);
  if (v) {
    v->v.s = g_malloc (len + 1);
    if (len > 0)
      memcpy (v->v.s, value, len);
    v->v.s[len] = '\0';
    v->len = len;
  }
}

/**
 * sl_message_take_string:
 * @msg: a message being built
 * @name: a string or enum member
 * @value: (transfer full): the value, freed with g_free()
 */
void
sl_message_take_string (SlMessage * msg, const char *name, char *value)
{
  SlValue *v;

  g_return_if_fail (value != NULL);
  v = slot (msg, name, SL_MEMBER_STRING, G_STRFUNC);
  if (v) {
    v->v.s = value;
    v->len = strlen (value);
  } else {
    g_free (value);
  }
}

/**
 * sl_message_set_int:
 * @msg: a message being built
 * @name: an integer member
 * @value: the value
 */
void
sl_message_set_int (SlMessage * msg, const char *name, gint64 value)
{
  SlValue *v = slot (msg, name, SL_MEMBER_INT, G_STRFUNC);

  if (v)
    v->v.i = value;
}

/**
 * sl_message_set_double:
 * @msg: a message being built
 * @name: a double member
 * @value: the value
 */
void
sl_message_set_double (SlMessage * msg, const char *name, double value)
{
  SlValue *v = slot (msg, name, SL_MEMBER_DOUBLE, G_STRFUNC);

  if (v)
    v->v.d = value;
}

/**
 * sl_message_set_bool:
 * @msg: a message being built
 * @name: a boolean member
 * @value: the value
 */
void
sl_message_set_bool (SlMessage * msg, const char *name, gboolean value)
{
  SlValue *v = slot (msg, name, SL_MEMBER_BOOL, G_STRFUNC);

  if (v)
    v->v.b = !!value;
}

/**
 * sl_message_set_object:
 * @msg: a message being built
 * @name: an object member
 *
 * Replaces the member with a new, empty object to fill in.
 *
 * Returns: (transfer none): the new object, owned by @msg
 */
SlMessage *
sl_message_set_object (SlMessage * msg, const char *name)
{
  SlValue *v = slot (msg, name, SL_MEMBER_OBJECT, G_STRFUNC);
  const SlMemberSpec *m;

  if (!v)
    return NULL;
  m = &msg->spec->members[v - msg->values];
  v->v.obj = sl_message_new_for_spec (msg->family, m->object, FALSE);
  return v->v.obj;
}

/**
 * sl_message_unset:
 * @msg: a message being built
 * @name: any member
 *
 * Removes the member (sl_message_to_json() refuses a message without its
 * required members).
 */
void
sl_message_unset (SlMessage * msg, const char *name)
{
  gint i = find_member (msg, name, G_STRFUNC);

  if (i >= 0)
    sl_value_clear (&msg->values[i]);
}

/**
 * sl_message_set_empty_array:
 * @msg: a message being built
 * @name: an array member
 *
 * Sets the member to an empty array (a required array with no items);
 * the append functions add to it.
 */
void
sl_message_set_empty_array (SlMessage * msg, const char *name)
{
  SlValue *v = slot (msg, name, SL_MEMBER_ARRAY, G_STRFUNC);

  if (v)
    v->v.arr = sl_value_array_new ();
}

/**
 * sl_message_append_object:
 * @msg: a message being built
 * @name: an array-of-objects member
 *
 * Returns: (transfer none): a new, empty item to fill in, owned by @msg
 */
SlMessage *
sl_message_append_object (SlMessage * msg, const char *name)
{
  SlValue *item = append_slot (msg, name, SL_MEMBER_OBJECT, G_STRFUNC);
  gint i;

  if (!item)
    return NULL;
  i = sl_object_spec_find (msg->spec, name, strlen (name));
  item->v.obj = sl_message_new_for_spec (msg->family,
      msg->spec->members[i].items->object, FALSE);
  return item->v.obj;
}

/**
 * sl_message_append_string:
 * @msg: a message being built
 * @name: an array-of-strings (or enums) member
 * @value: (transfer none): the item
 */
void
sl_message_append_string (SlMessage * msg, const char *name, const char *value)
{
  SlValue *item;

  g_return_if_fail (value != NULL);
  item = append_slot (msg, name, SL_MEMBER_STRING, G_STRFUNC);
  if (item) {
    item->v.s = g_strdup (value);
    item->len = strlen (value);
  }
}

/**
 * sl_message_append_int:
 * @msg: a message being built
 * @name: an array-of-integers member
 * @value: the item
 */
void
sl_message_append_int (SlMessage * msg, const char *name, gint64 value)
{
  SlValue *item = append_slot (msg, name, SL_MEMBER_INT, G_STRFUNC);

  if (item)
    item->v.i = value;
}

/**
 * sl_message_append_double:
 * @msg: a message being built
 * @name: an array-of-doubles member
 * @value: the item
 */
void
sl_message_append_double (SlMessage * msg, const char *name, double value)
{
  SlValue *item = append_slot (msg, name, SL_MEMBER_DOUBLE, G_STRFUNC);

  if (item)
    item->v.d = value;
}

/**
 * sl_message_append_bool:
 * @msg: a message being built
 * @name: an array-of-booleans member
 * @value: the item
 */
void
sl_message_append_bool (SlMessage * msg, const char *name, gboolean value)
{
  SlValue *item = append_slot (msg, name, SL_MEMBER_BOOL, G_STRFUNC);

  if (item)
    item->v.b = !!value;
}
