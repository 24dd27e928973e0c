/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The calls a server routes: each call's members, and which call each
 * device is in (a device is a member of at most one call).  Only state
 * lives here, no messages and no decisions, so that the table can move
 * behind a shared store (issue 17) without touching the state machine in
 * SlCallRouter.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-table.h"

struct _SlCallTable
{
  GObject parent_instance;

  GHashTable *calls;            /* call id (in the record) -> SlCallRecord */
  GHashTable *by_device;        /* device id (in the member) -> SlCallRecord */
};

G_DEFINE_FINAL_TYPE (SlCallTable, sl_call_table, G_TYPE_OBJECT);

static void
member_free (gpointer data)
{
  SlCallMember *m = data;

  g_clear_handle_id (&m->ring_timeout_id, g_source_remove);
  g_free ((char *) m->device.device_id);
  g_free ((char *) m->device.name);
  g_free ((char *) m->device.role);
  g_free (m->inviter);
  g_free (m);
}

static void
record_free (gpointer data)
{
  SlCallRecord *record = data;

  g_ptr_array_unref (record->members);
  g_free (record);
}

/**
 * sl_call_record_find:
 * @record: a call
 * @device_id: a device id
 *
 * Returns: (transfer none) (nullable): the device's membership
 */
SlCallMember *
sl_call_record_find (const SlCallRecord * record, const char *device_id)
{
  guint i;

  for (i = 0; i < record->members->len; i++) {
    SlCallMember *m = g_ptr_array_index (record->members, i);

    if (g_str_equal (m->device.device_id, device_id))
      return m;
  }
  return NULL;
}

/**
 * sl_call_record_count:
 * @record: a call
 * @state: which members to count
 *
 * Returns: how many members are in @state
 */
guint
sl_call_record_count (const SlCallRecord * record, SlCallMemberState state)
{
  guint i, n = 0;

  for (i = 0; i < record->members->len; i++) {
    const SlCallMember *m = g_ptr_array_index (record->members, i);

    if (m->state == state)
      n++;
  }
  return n;
}

/**
 * sl_call_table_new:
 *
 * Returns: (transfer full): a table without calls
 */
SlCallTable *
sl_call_table_new (void)
{
  return g_object_new (SL_TYPE_CALL_TABLE, NULL);
}

/**
 * sl_call_table_lookup:
 * @self: the table
 * @call_id: a call id
 *
 * Returns: (transfer none) (nullable): the call
 */
SlCallRecord *
sl_call_table_lookup (SlCallTable * self, const char *call_id)
{
  g_return_val_if_fail (SL_IS_CALL_TABLE (self), NULL);
  return g_hash_table_lookup (self->calls, call_id);
}

/**
 * sl_call_table_find_device:
 * @self: the table
 * @device_id: a device id
 *
 * Returns: (transfer none) (nullable): the call @device_id is a member of
 */
SlCallRecord *
sl_call_table_find_device (SlCallTable * self, const char *device_id)
{
  g_return_val_if_fail (SL_IS_CALL_TABLE (self), NULL);
  return g_hash_table_lookup (self->by_device, device_id);
}

/**
 * sl_call_table_create:
 * @self: the table
 * @call_id: a call id no call has
 *
 * Returns: (transfer none): a call without members; give it one at once
 */
SlCallRecord *
sl_call_table_create (SlCallTable * self, const char *call_id)
{
  SlCallRecord *record;

  g_return_val_if_fail (SL_IS_CALL_TABLE (self), NULL);
  g_return_val_if_fail (!g_hash_table_contains (self->calls, call_id), NULL);
  record = g_new0 (SlCallRecord, 1);
  g_strlcpy (record->call_id, call_id, sizeof record->call_id);
  record->members = g_ptr_array_new_with_free_func (member_free);
  g_hash_table_insert (self->calls, record->call_id, record);
  return record;
}

/**
 * sl_call_table_add_member:
 * @self: the table
 * @record: a call of the table
 * @device: a device that is in no call
 * @state: invited or joined
 * @inviter: (nullable): for an invited device, who invited it
 *
 * Returns: (transfer none): the membership, owned by @record
 */
SlCallMember *
sl_call_table_add_member (SlCallTable * self, SlCallRecord * record,
    const SlDeviceInfo * device, SlCallMemberState state, const char *inviter)
{
  SlCallMember *m;

  g_return_val_if_fail (SL_IS_CALL_TABLE (self), NULL);
  g_return_val_if_fail (!g_hash_table_contains (self->by_device,
          device->device_id), NULL);
  m = g_new0 (SlCallMember, 1);
  m->device.device_id = g_strdup (device->device_id);
  m->device.name = g_strdup (device->name);
  m->device.role = g_strdup (device->role);
  m->device.version = device->version;
  m->device.session = device->session;
  m->state = state;
  m->inviter = g_strdup (inviter);
  g_ptr_array_add (record->members, m);
  g_hash_table_insert (self->by_device, (gpointer) m->device.device_id, record);
  return m;
}

/**
 * sl_call_table_remove_member:
 * @self: the table
 * @record: a call of the table
 * @member: (transfer full): one of its members, freed here
 */
void
sl_call_table_remove_member (SlCallTable * self, SlCallRecord * record,
    SlCallMember * member)
{
  g_return_if_fail (SL_IS_CALL_TABLE (self));
  g_hash_table_remove (self->by_device, member->device.device_id);
  g_ptr_array_remove (record->members, member);
}

/**
 * sl_call_table_remove:
 * @self: the table
 * @record: (transfer full): a call of the table, freed with its members
 */
void
sl_call_table_remove (SlCallTable * self, SlCallRecord * record)
{
  guint i;

  g_return_if_fail (SL_IS_CALL_TABLE (self));
  for (i = 0; i < record->members->len; i++) {
    const SlCallMember *m = g_ptr_array_index (record->members, i);

    g_hash_table_remove (self->by_device, m->device.device_id);
  }
  g_hash_table_remove (self->calls, record->call_id);
}

/**
 * sl_call_table_list:
 * @self: the table
 *
 * Returns: (transfer container) (element-type SlCallRecord): every call,
 *   a snapshot that stays valid while calls are removed one by one only
 *   until each is removed
 */
GPtrArray *
sl_call_table_list (SlCallTable * self)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (SL_IS_CALL_TABLE (self), list);
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  return list;
}

/**
 * sl_call_table_get_count:
 * @self: the table
 *
 * Returns: the number of calls (ringing or with participants)
 */
guint
sl_call_table_get_count (SlCallTable * self)
{
  g_return_val_if_fail (SL_IS_CALL_TABLE (self), 0);
  return g_hash_table_size (self->calls);
}

static void
sl_call_table_finalize (GObject * object)
{
  SlCallTable *self = SL_CALL_TABLE (object);

  g_clear_pointer (&self->by_device, g_hash_table_unref);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  G_OBJECT_CLASS (sl_call_table_parent_class)->finalize (object);
}

static void
sl_call_table_class_init (SlCallTableClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_call_table_finalize;
}

static void
sl_call_table_init (SlCallTable * self)
{
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      record_free);
  self->by_device = g_hash_table_new (g_str_hash, g_str_equal);
}
