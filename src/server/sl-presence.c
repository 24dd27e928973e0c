/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Who is online.  One connection per device id: a newer connection
 * replaces an older one (the server tells the old one why and closes it).
 * Presence events are serialised once and sent to every device whose role
 * may see the subject's role ([visibility] in the configuration; by
 * default everyone sees everyone).
 *
 * Devices are also grouped by role, and visibility is decided once per
 * role rather than once per device: a join or leave costs nothing for the
 * devices that cannot see it, which keeps ten thousand devices that see
 * few others from costing ten thousand checks per connection.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-presence.h"
#include "sl-signalling.h"

struct _SlPresence
{
  GObject parent_instance;

  const SlServerConfig *config;
  GHashTable *online;           /* device id (owned by the connection) ->
                                 * SlServerConnection (ref) */
  GHashTable *by_role;          /* role (owned) -> set of SlServerConnection
                                 * (no ref: "online" has one) */
};

static void
group_add (SlPresence * self, SlServerConnection * conn)
{
  const char *role = sl_server_connection_get_role (conn);
  GHashTable *group = g_hash_table_lookup (self->by_role, role);

  if (group == NULL) {
    group = g_hash_table_new (NULL, NULL);
    g_hash_table_insert (self->by_role, g_strdup (role), group);
  }
  g_hash_table_add (group, conn);
}

static void
group_remove (SlPresence * self, SlServerConnection * conn)
{
  const char *role = sl_server_connection_get_role (conn);
  GHashTable *group = g_hash_table_lookup (self->by_role, role);

  if (group && g_hash_table_remove (group, conn) &&
      g_hash_table_size (group) == 0)
    g_hash_table_remove (self->by_role, role);
}

G_DEFINE_FINAL_TYPE (SlPresence, sl_presence, G_TYPE_OBJECT);

/**
 * sl_presence_new:
 * @config: the server settings; must outlive the presence
 *
 * Returns: (transfer full): an empty roster
 */
SlPresence *
sl_presence_new (const SlServerConfig * config)
{
  SlPresence *self = g_object_new (SL_TYPE_PRESENCE, NULL);

  self->config = config;
  return self;
}

/**
 * sl_presence_lookup:
 * @self: the presence
 * @device_id: a device id
 *
 * Returns: (transfer none) (nullable): the device's connection if online
 */
SlServerConnection *
sl_presence_lookup (SlPresence * self, const char *device_id)
{
  g_return_val_if_fail (SL_IS_PRESENCE (self), NULL);
  return g_hash_table_lookup (self->online, device_id);
}

/**
 * sl_presence_add:
 * @self: the presence
 * @conn: a newly authenticated connection
 *
 * Puts @conn online.  Does not announce it: the server first sends the
 * welcome and roster, then calls sl_presence_announce().
 *
 * Returns: (transfer full) (nullable): the connection it replaces, for the
 *   caller to tell and close
 */
SlServerConnection *
sl_presence_add (SlPresence * self, SlServerConnection * conn)
{
  const char *id = sl_server_connection_get_device_id (conn);
  SlServerConnection *old;

  g_return_val_if_fail (SL_IS_PRESENCE (self), NULL);
  old = g_hash_table_lookup (self->online, id);
  if (old) {
    g_object_ref (old);
    group_remove (self, old);
  }
  /* The key belongs to the connection: replace it along with the value. */
  g_hash_table_remove (self->online, id);
  g_hash_table_insert (self->online, (gpointer) id, g_object_ref (conn));
  group_add (self, conn);
  return old;
}

/**
 * sl_presence_send_roster:
 * @self: the presence
 * @conn: a connection
 *
 * Sends @conn the `roster` of every other online device it may see.
 */
void
sl_presence_send_roster (SlPresence * self, SlServerConnection * conn)
{
  g_autoptr (SlMessage) roster = sl_message_new (&sl_signalling_to_client,
      "roster");
  const char *viewer_role = sl_server_connection_get_role (conn);
  GHashTableIter roles, iter;
  gpointer role, group, value;
  guint n = 0;

  g_return_if_fail (SL_IS_PRESENCE (self));
  g_hash_table_iter_init (&roles, self->by_role);
  while (g_hash_table_iter_next (&roles, &role, &group)) {
    if (!sl_server_config_role_sees (self->config, viewer_role, role))
      continue;
    g_hash_table_iter_init (&iter, group);
    while (g_hash_table_iter_next (&iter, &value, NULL)) {
      SlServerConnection *other = value;

      if (other == conn || n >= SL_SIGNALLING_MAX_ROSTER)
        continue;
      sl_server_connection_fill_device (other,
          sl_message_append_object (roster, "devices"), TRUE);
      n++;
    }
  }
  if (n == 0)                   /* "devices" is required, even empty */
    sl_message_set_empty_array (roster, "devices");
  sl_server_connection_send (conn, roster);
}

/**
 * sl_presence_announce:
 * @self: the presence
 * @conn: the device the event is about
 * @event: "join", "leave" or "status"
 *
 * Sends a `presence` event to every other online device that may see
 * @conn's role.
 */
static gboolean
anyone_sees (SlPresence * self, const char *role)
{
  GHashTableIter roles;
  gpointer viewer_role;

  g_hash_table_iter_init (&roles, self->by_role);
  while (g_hash_table_iter_next (&roles, &viewer_role, NULL)) {
    if (sl_server_config_role_sees (self->config, viewer_role, role))
      return TRUE;
  }
  return FALSE;
}

void
sl_presence_announce (SlPresence * self, SlServerConnection * conn,
    const char *event)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_signalling_to_client,
      "presence");
  g_autoptr (GBytes) json = NULL;
  g_autoptr (GError) error = NULL;
  const char *role = sl_server_connection_get_role (conn);
  GHashTableIter roles, iter;
  gpointer viewer_role, group, value;

  g_return_if_fail (SL_IS_PRESENCE (self));
  if (!anyone_sees (self, role))
    return;
  sl_message_set_string (msg, "event", event);
  sl_server_connection_fill_device (conn, sl_message_set_object (msg,
          "device"), TRUE);
  json = sl_message_to_bytes (msg, &error);
  if (json == NULL) {
    g_critical ("cannot build a presence event: %s", error->message);
    return;
  }
  g_hash_table_iter_init (&roles, self->by_role);
  while (g_hash_table_iter_next (&roles, &viewer_role, &group)) {
    if (!sl_server_config_role_sees (self->config, viewer_role, role))
      continue;
    g_hash_table_iter_init (&iter, group);
    while (g_hash_table_iter_next (&iter, &value, NULL)) {
      if (value != conn)
        sl_server_connection_send_bytes (value, json);
    }
  }
}

gboolean
sl_presence_remove (SlPresence * self, SlServerConnection * conn)
{
  const char *id = sl_server_connection_get_device_id (conn);

  g_return_val_if_fail (SL_IS_PRESENCE (self), FALSE);
  if (g_hash_table_lookup (self->online, id) != conn)
    return FALSE;
  g_object_ref (conn);
  group_remove (self, conn);
  g_hash_table_remove (self->online, id);
  sl_presence_announce (self, conn, "leave");
  g_object_unref (conn);
  return TRUE;
}

/**
 * sl_presence_get_count:
 * @self: the presence
 *
 * Returns: the number of devices online
 */
guint
sl_presence_get_count (SlPresence * self)
{
  g_return_val_if_fail (SL_IS_PRESENCE (self), 0);
  return g_hash_table_size (self->online);
}

/**
 * sl_presence_list:
 * @self: the presence
 *
 * Returns: (transfer full) (element-type SlServerConnection): a snapshot
 *   of the online connections, safe to iterate while closing them
 */
GPtrArray *
sl_presence_list (SlPresence * self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (SL_IS_PRESENCE (self), list);
  g_hash_table_iter_init (&iter, self->online);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, g_object_ref (value));
  return list;
}

static void
sl_presence_dispose (GObject * object)
{
  SlPresence *self = SL_PRESENCE (object);

  if (self->by_role)
    g_hash_table_remove_all (self->by_role);
  if (self->online)
    g_hash_table_remove_all (self->online);
  G_OBJECT_CLASS (sl_presence_parent_class)->dispose (object);
}

static void
sl_presence_finalize (GObject * object)
{
  SlPresence *self = SL_PRESENCE (object);

  g_clear_pointer (&self->by_role, g_hash_table_unref);
  g_clear_pointer (&self->online, g_hash_table_unref);
  G_OBJECT_CLASS (sl_presence_parent_class)->finalize (object);
}

static void
sl_presence_class_init (SlPresenceClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_presence_dispose;
  object_class->finalize = sl_presence_finalize;
}

static void
sl_presence_init (SlPresence * self)
{
  self->online = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      g_object_unref);
  self->by_role = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_hash_table_unref);
}
