/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The devices connected to other server instances (issue 17), as SlCluster
 * last heard of them: one entry per device id, for its newest connection.
 * The table knows nothing of policy or of who may see whom: SlPresence
 * decides whom to tell, from what this table says changed.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-remote-roster.h"

struct _SlRemoteRoster
{
  GObject parent_instance;

  GHashTable *entries;          /* device id (owned by the entry) ->
                                 * RemoteEntry */
};

typedef struct
{
  char *id;
  char *name;
  char *role;
  char *instance;
  guint64 session;
  guint version;
  gboolean busy;
  gboolean user_busy;
  char *in_call_at;
  char *serial;
} RemoteEntry;

G_DEFINE_FINAL_TYPE (SlRemoteRoster, sl_remote_roster, G_TYPE_OBJECT);

static void
remote_entry_free (gpointer data)
{
  RemoteEntry *e = data;

  g_free (e->id);
  g_free (e->name);
  g_free (e->role);
  g_free (e->instance);
  g_free (e->in_call_at);
  g_free (e->serial);
  g_free (e);
}

static void
view_entry (const RemoteEntry * e, SlRemoteDevice * device)
{
  device->id = e->id;
  device->name = e->name;
  device->role = e->role;
  device->instance = e->instance;
  device->session = e->session;
  device->version = e->version;
  device->busy = e->busy;
  device->user_busy = e->user_busy;
  device->in_call_at = e->in_call_at;
  device->serial = e->serial;
}

/**
 * sl_remote_roster_new:
 *
 * Returns: (transfer full): an empty table
 */
SlRemoteRoster *
sl_remote_roster_new (void)
{
  return g_object_new (SL_TYPE_REMOTE_ROSTER, NULL);
}

/**
 * sl_remote_roster_set:
 * @self: the table
 * @device: a device's newest connection, on another instance
 *
 * Puts @device in the table, or updates it.
 *
 * Returns: what changed for the devices that may see it
 */
SlRemoteRosterChange
sl_remote_roster_set (SlRemoteRoster * self, const SlRemoteDevice * device)
{
  RemoteEntry *e;
  gboolean same_session, seen_same;

  g_return_val_if_fail (SL_IS_REMOTE_ROSTER (self), SL_REMOTE_ROSTER_UNCHANGED);
  e = g_hash_table_lookup (self->entries, device->id);
  same_session = e && e->session == device->session &&
      g_str_equal (e->instance, device->instance);
  seen_same = same_session && e->busy == device->busy &&
      g_str_equal (e->name, device->name) &&
      g_str_equal (e->role, device->role);
  if (e == NULL) {
    e = g_new0 (RemoteEntry, 1);
    e->id = g_strdup (device->id);
    g_hash_table_insert (self->entries, e->id, e);
  }
  g_free (e->name);
  e->name = g_strdup (device->name);
  g_free (e->role);
  e->role = g_strdup (device->role);
  g_free (e->instance);
  e->instance = g_strdup (device->instance);
  e->session = device->session;
  e->version = device->version;
  e->busy = device->busy;
  e->user_busy = device->user_busy;
  g_free (e->in_call_at);
  e->in_call_at = g_strdup (device->in_call_at);
  g_free (e->serial);
  e->serial = g_strdup (device->serial);
  if (seen_same)
    return SL_REMOTE_ROSTER_UNCHANGED;
  return same_session ? SL_REMOTE_ROSTER_CHANGED : SL_REMOTE_ROSTER_JOINED;
}

/**
 * sl_remote_roster_get:
 * @self: the table
 * @device_id: a device id
 * @device: (out caller-allocates): filled with strings valid until the
 *   table changes
 *
 * Returns: whether @device_id is connected to another instance
 */
gboolean
sl_remote_roster_get (SlRemoteRoster * self, const char *device_id,
    SlRemoteDevice * device)
{
  RemoteEntry *e;

  g_return_val_if_fail (SL_IS_REMOTE_ROSTER (self), FALSE);
  e = g_hash_table_lookup (self->entries, device_id);
  if (e == NULL)
    return FALSE;
  view_entry (e, device);
  return TRUE;
}

/**
 * sl_remote_roster_forget:
 * @self: the table
 * @device_id: a device id
 *
 * Drops the device without a word: it connected here, which is newer.
 */
void
sl_remote_roster_forget (SlRemoteRoster * self, const char *device_id)
{
  g_return_if_fail (SL_IS_REMOTE_ROSTER (self));
  g_hash_table_remove (self->entries, device_id);
}

static void
entry_gone (RemoteEntry * e, SlRemoteRosterFunc gone, gpointer user_data)
{
  SlRemoteDevice device;

  view_entry (e, &device);
  gone (&device, user_data);
}

/**
 * sl_remote_roster_remove:
 * @self: the table
 * @device_id: a device id
 * @instance: the instance that says it left
 * @session: the connection that left
 * @gone: (scope call): called with the device if it was taken out
 * @user_data: data for @gone
 *
 * Takes the device out if that is still the connection the table knows.
 * @gone runs once the table no longer holds it.
 */
void
sl_remote_roster_remove (SlRemoteRoster * self, const char *device_id,
    const char *instance, guint64 session, SlRemoteRosterFunc gone,
    gpointer user_data)
{
  RemoteEntry *e;

  g_return_if_fail (SL_IS_REMOTE_ROSTER (self));
  e = g_hash_table_lookup (self->entries, device_id);
  if (e == NULL || e->session != session || !g_str_equal (e->instance,
          instance))
    return;
  g_hash_table_steal (self->entries, device_id);
  entry_gone (e, gone, user_data);
  remote_entry_free (e);
}

/**
 * sl_remote_roster_remove_instance:
 * @self: the table
 * @instance: an instance
 * @keep: (nullable): set of device ids to keep
 * @gone: (scope call): called with each device taken out
 * @user_data: data for @gone
 *
 * Takes every device of @instance that is not in @keep out of the table
 * (the instance died, or no longer lists them), then calls @gone for each.
 */
void
sl_remote_roster_remove_instance (SlRemoteRoster * self, const char *instance,
    GHashTable * keep, SlRemoteRosterFunc gone, gpointer user_data)
{
  g_autoptr (GPtrArray) removed = g_ptr_array_new_with_free_func
      (remote_entry_free);
  GHashTableIter iter;
  gpointer value;
  guint i;

  g_return_if_fail (SL_IS_REMOTE_ROSTER (self));
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    RemoteEntry *e = value;

    if (g_str_equal (e->instance, instance) &&
        (keep == NULL || !g_hash_table_contains (keep, e->id))) {
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (removed, e);
    }
  }
  for (i = 0; i < removed->len; i++)
    entry_gone (g_ptr_array_index (removed, i), gone, user_data);
}

/**
 * sl_remote_roster_list:
 * @self: the table
 *
 * Returns: (transfer container) (element-type utf8): the ids of the
 *   devices (strings valid until the table changes)
 */
GPtrArray *
sl_remote_roster_list (SlRemoteRoster * self)
{
  GPtrArray *ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (SL_IS_REMOTE_ROSTER (self), ids);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  return ids;
}

guint
sl_remote_roster_get_count (SlRemoteRoster * self)
{
  g_return_val_if_fail (SL_IS_REMOTE_ROSTER (self), 0);
  return g_hash_table_size (self->entries);
}

/**
 * sl_remote_roster_iter_init:
 * @self: the table
 * @iter: (out caller-allocates): an iterator over the devices, valid
 *   while the table does not change
 */
void
sl_remote_roster_iter_init (SlRemoteRoster * self, GHashTableIter * iter)
{
  g_return_if_fail (SL_IS_REMOTE_ROSTER (self));
  g_hash_table_iter_init (iter, self->entries);
}

/**
 * sl_remote_roster_iter_next:
 * @iter: an iterator from sl_remote_roster_iter_init()
 * @device: (out caller-allocates): the next device
 *
 * Returns: whether there was a next device
 */
gboolean
sl_remote_roster_iter_next (GHashTableIter * iter, SlRemoteDevice * device)
{
  gpointer value;

  if (!g_hash_table_iter_next (iter, NULL, &value))
    return FALSE;
  view_entry (value, device);
  return TRUE;
}

static void
sl_remote_roster_finalize (GObject * object)
{
  SlRemoteRoster *self = SL_REMOTE_ROSTER (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  G_OBJECT_CLASS (sl_remote_roster_parent_class)->finalize (object);
}

static void
sl_remote_roster_class_init (SlRemoteRosterClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_remote_roster_finalize;
}

static void
sl_remote_roster_init (SlRemoteRoster * self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      remote_entry_free);
}
