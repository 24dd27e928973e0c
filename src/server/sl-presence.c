/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Who is online.  One connection per device id: a newer connection
 * replaces an older one (the server tells the old one why and closes it).
 * Presence events are serialised once and sent to every device that may
 * see the subject: with the default policy a device sees the devices it
 * may call (SlCallPolicy).
 *
 * Devices are grouped by role, and for devices whose view depends on
 * their role only (no allow or deny list of their own) visibility is
 * decided once per role rather than once per device: a join or leave
 * costs nothing for the devices that cannot see it, which keeps ten
 * thousand devices that see few others from costing ten thousand checks
 * per connection.  The few devices with lists of their own are checked
 * one by one.
 *
 * Presence is also the call router's directory (SlDeviceDirectory): the
 * router reaches devices through it by id and session.
 *
 * In a cluster (issue 17) the roster also holds devices connected to
 * other instances ("remote"), which SlCluster keeps up to date; every
 * join, leave and status change of a local device is signalled
 * ("local-changed") so the cluster can tell the other instances.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-presence.h"
#include "sl-signalling.h"

struct _SlPresence
{
  GObject parent_instance;

  SlCallPolicy *policy;
  GHashTable *online;           /* device id (owned by the connection) ->
                                 * SlServerConnection (ref) */
  GHashTable *by_role;          /* role (owned) -> set of SlServerConnection
                                 * (no ref: "online" has one) */
  GHashTable *listed;           /* set of SlServerConnection whose view
                                 * depends on more than their role */
  SlRemoteRoster *remote;       /* devices on other instances */
};

enum
{
  SIGNAL_LOCAL_CHANGED,
  SIGNAL_REMOTE_LEFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void sl_presence_directory_init (SlDeviceDirectoryInterface * iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SlPresence, sl_presence, G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (SL_TYPE_DEVICE_DIRECTORY,
        sl_presence_directory_init));

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
  if (!sl_call_policy_presence_by_role (self->policy,
          sl_server_connection_get_device_id (conn)))
    g_hash_table_add (self->listed, conn);
}

static void
group_remove (SlPresence * self, SlServerConnection * conn)
{
  const char *role = sl_server_connection_get_role (conn);
  GHashTable *group = g_hash_table_lookup (self->by_role, role);

  g_hash_table_remove (self->listed, conn);
  if (group && g_hash_table_remove (group, conn) &&
      g_hash_table_size (group) == 0)
    g_hash_table_remove (self->by_role, role);
}

static gboolean
policy_sees (SlCallPolicy * policy, SlServerConnection * viewer,
    SlServerConnection * subject)
{
  return sl_call_policy_sees (policy,
      sl_server_connection_get_device_id (viewer),
      sl_server_connection_get_role (viewer),
      sl_server_connection_get_device_id (subject),
      sl_server_connection_get_role (subject));
}

/**
 * sl_presence_new:
 * @policy: the call policy, which decides who sees whom
 *
 * Returns: (transfer full): an empty roster
 */
SlPresence *
sl_presence_new (SlCallPolicy * policy)
{
  SlPresence *self = g_object_new (SL_TYPE_PRESENCE, NULL);

  self->policy = g_object_ref (policy);
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
  /* The newest connection wins: one on another instance is forgotten
   * here (that instance closes it when it hears of this one). */
  sl_remote_roster_forget (self->remote, id);
  /* The key belongs to the connection: replace it along with the value. */
  g_hash_table_remove (self->online, id);
  g_hash_table_insert (self->online, (gpointer) id, g_object_ref (conn));
  group_add (self, conn);
  return old;
}

static void
add_to_roster (SlMessage * roster, SlServerConnection * other, guint * n)
{
  if (*n >= SL_SIGNALLING_MAX_ROSTER)
    return;
  sl_server_connection_fill_device (other,
      sl_message_append_object (roster, "devices"), TRUE);
  (*n)++;
}

static void
fill_remote (const SlRemoteDevice * e, SlMessage * device)
{
  sl_message_set_string (device, "id", e->id);
  sl_message_set_string (device, "name", e->name);
  sl_message_set_string (device, "role", e->role);
  sl_message_set_string (device, "status", e->busy ? "busy" : "available");
}

static void
add_remotes_to_roster (SlPresence * self, SlMessage * roster,
    SlServerConnection * conn, guint * n)
{
  GHashTableIter iter;
  SlRemoteDevice e;

  sl_remote_roster_iter_init (self->remote, &iter);
  while (sl_remote_roster_iter_next (&iter, &e)) {
    if (*n >= SL_SIGNALLING_MAX_ROSTER)
      return;
    if (!sl_call_policy_sees (self->policy,
            sl_server_connection_get_device_id (conn),
            sl_server_connection_get_role (conn), e.id, e.role))
      continue;
    fill_remote (&e, sl_message_append_object (roster, "devices"));
    (*n)++;
  }
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
  if (sl_call_policy_presence_by_role (self->policy,
          sl_server_connection_get_device_id (conn))) {
    g_hash_table_iter_init (&roles, self->by_role);
    while (g_hash_table_iter_next (&roles, &role, &group)) {
      if (!sl_call_policy_role_sees (self->policy, viewer_role, role))
        continue;
      g_hash_table_iter_init (&iter, group);
      while (g_hash_table_iter_next (&iter, &value, NULL)) {
        if (value != conn)
          add_to_roster (roster, value, &n);
      }
    }
  } else {
    g_hash_table_iter_init (&iter, self->online);
    while (g_hash_table_iter_next (&iter, NULL, &value)) {
      if (value != conn && policy_sees (self->policy, conn, value))
        add_to_roster (roster, value, &n);
    }
  }
  add_remotes_to_roster (self, roster, conn, &n);
  if (n == 0)                   /* "devices" is required, even empty */
    sl_message_set_empty_array (roster, "devices");
  sl_server_connection_send (conn, roster);
}

static GBytes *
presence_event (SlServerConnection * conn, const char *event)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_signalling_to_client,
      "presence");
  g_autoptr (GError) error = NULL;
  GBytes *json;

  sl_message_set_string (msg, "event", event);
  sl_server_connection_fill_device (conn, sl_message_set_object (msg,
          "device"), TRUE);
  json = sl_message_to_bytes (msg, &error);
  if (json == NULL)
    g_critical ("cannot build a presence event: %s", error->message);
  return json;
}

/* Sends @json, a presence event about the device @id with @role, to every
 * local device other than @exclude that may see it. */
static void
fan_out (SlPresence * self, SlServerConnection * exclude, const char *id,
    const char *role, GBytes * json)
{
  GHashTableIter roles, iter;
  gpointer viewer_role, group, value;

  g_hash_table_iter_init (&roles, self->by_role);
  while (g_hash_table_iter_next (&roles, &viewer_role, &group)) {
    if (!sl_call_policy_role_sees (self->policy, viewer_role, role))
      continue;
    g_hash_table_iter_init (&iter, group);
    while (g_hash_table_iter_next (&iter, &value, NULL)) {
      if (value != exclude && !g_hash_table_contains (self->listed, value))
        sl_server_connection_send_bytes (value, json);
    }
  }
  g_hash_table_iter_init (&iter, self->listed);
  while (g_hash_table_iter_next (&iter, &value, NULL)) {
    if (value != exclude && sl_call_policy_sees (self->policy,
            sl_server_connection_get_device_id (value),
            sl_server_connection_get_role (value), id, role))
      sl_server_connection_send_bytes (value, json);
  }
}

/**
 * sl_presence_announce:
 * @self: the presence
 * @conn: the device the event is about
 * @event: "join", "leave" or "status"
 *
 * Sends a `presence` event to every other online device that may see
 * @conn, and signals it ("local-changed") for the other instances.
 */
void
sl_presence_announce (SlPresence * self, SlServerConnection * conn,
    const char *event)
{
  g_autoptr (GBytes) json = NULL;

  g_return_if_fail (SL_IS_PRESENCE (self));
  json = presence_event (conn, event);
  if (json)
    fan_out (self, conn, sl_server_connection_get_device_id (conn),
        sl_server_connection_get_role (conn), json);
  g_signal_emit (self, signals[SIGNAL_LOCAL_CHANGED], 0, conn, event);
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

/* Tells @viewer about @subject if the change of policy changed whether it
 * sees it: "join" for a device it now sees, "leave" for one it no longer
 * does. */
static void
send_change (SlServerConnection * viewer, SlServerConnection * subject,
    gboolean now_seen)
{
  g_autoptr (GBytes) json = presence_event (subject, now_seen ? "join" :
      "leave");

  if (json)
    sl_server_connection_send_bytes (viewer, json);
}

static void
diff_one_viewer (SlPresence * self, SlCallPolicy * old,
    SlServerConnection * viewer)
{
  GHashTableIter iter;
  gpointer subject;

  g_hash_table_iter_init (&iter, self->online);
  while (g_hash_table_iter_next (&iter, NULL, &subject)) {
    gboolean was = policy_sees (old, viewer, subject);
    gboolean is = policy_sees (self->policy, viewer, subject);

    if (subject != viewer && was != is)
      send_change (viewer, subject, is);
  }
}

/* For viewers whose view depends on their role under both policies:
 * only role pairs whose verdict changed cost anything. */
static void
diff_by_role (SlPresence * self, SlCallPolicy * old, const char *viewer_role,
    GHashTable * viewers)
{
  GHashTableIter roles, subjects, iter;
  gpointer subject_role, group, subject, viewer;

  g_hash_table_iter_init (&roles, self->by_role);
  while (g_hash_table_iter_next (&roles, &subject_role, &group)) {
    gboolean is = sl_call_policy_role_sees (self->policy, viewer_role,
        subject_role);

    if (sl_call_policy_role_sees (old, viewer_role, subject_role) == is)
      continue;
    g_hash_table_iter_init (&subjects, group);
    while (g_hash_table_iter_next (&subjects, &subject, NULL)) {
      g_autoptr (GBytes) json = presence_event (subject, is ? "join" : "leave");

      g_hash_table_iter_init (&iter, viewers);
      while (g_hash_table_iter_next (&iter, &viewer, NULL)) {
        if (json && viewer != subject)
          sl_server_connection_send_bytes (viewer, json);
      }
    }
  }
}

static void announce_remote_to (SlServerConnection * viewer,
    const SlRemoteDevice * e, const char *event);

/* Devices on other instances are subjects too: each local viewer is told
 * of those it now sees or no longer sees. */
static void
diff_remotes (SlPresence * self, SlCallPolicy * old)
{
  GHashTableIter viewers, remotes;
  gpointer viewer;
  SlRemoteDevice e;

  g_hash_table_iter_init (&viewers, self->online);
  while (g_hash_table_iter_next (&viewers, NULL, &viewer)) {
    const char *id = sl_server_connection_get_device_id (viewer);
    const char *role = sl_server_connection_get_role (viewer);

    sl_remote_roster_iter_init (self->remote, &remotes);
    while (sl_remote_roster_iter_next (&remotes, &e)) {
      gboolean was = sl_call_policy_sees (old, id, role, e.id, e.role);
      gboolean is = sl_call_policy_sees (self->policy, id, role, e.id, e.role);

      if (was != is)
        announce_remote_to (viewer, &e, is ? "join" : "leave");
    }
  }
}

/**
 * sl_presence_set_policy:
 * @self: the presence
 * @policy: the new call policy
 *
 * From now on presence follows @policy.  Every device is told what
 * changed for it: a `leave` for each device it no longer sees, a `join`
 * for each device it now sees.
 */
void
sl_presence_set_policy (SlPresence * self, SlCallPolicy * policy)
{
  g_autoptr (SlCallPolicy) old = NULL;
  g_autoptr (GHashTable) by_role_viewers = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (SL_IS_PRESENCE (self));
  old = g_steal_pointer (&self->policy);
  self->policy = g_object_ref (policy);

  /* role -> set of viewers whose view is by role under both policies */
  by_role_viewers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      (GDestroyNotify) g_hash_table_unref);
  g_hash_table_remove_all (self->listed);
  g_hash_table_iter_init (&iter, self->online);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    gboolean was_by_role = sl_call_policy_presence_by_role (old, key);
    gboolean by_role = sl_call_policy_presence_by_role (policy, key);
    const char *role = sl_server_connection_get_role (value);
    GHashTable *viewers;

    if (!by_role)
      g_hash_table_add (self->listed, value);
    if (!was_by_role || !by_role) {
      diff_one_viewer (self, old, value);
      continue;
    }
    viewers = g_hash_table_lookup (by_role_viewers, role);
    if (viewers == NULL) {
      viewers = g_hash_table_new (NULL, NULL);
      g_hash_table_insert (by_role_viewers, (gpointer) role, viewers);
    }
    g_hash_table_add (viewers, value);
  }
  g_hash_table_iter_init (&iter, by_role_viewers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    diff_by_role (self, old, key, value);
  diff_remotes (self, old);
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

/* --- devices on other instances ---------------------------------------- */

static GBytes *
remote_event (const SlRemoteDevice * e, const char *event)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_signalling_to_client,
      "presence");
  g_autoptr (GError) error = NULL;
  GBytes *json;

  sl_message_set_string (msg, "event", event);
  fill_remote (e, sl_message_set_object (msg, "device"));
  json = sl_message_to_bytes (msg, &error);
  if (json == NULL)
    g_critical ("cannot build a presence event: %s", error->message);
  return json;
}

static void
announce_remote (SlPresence * self, const SlRemoteDevice * e, const char *event)
{
  g_autoptr (GBytes) json = remote_event (e, event);

  if (json)
    fan_out (self, NULL, e->id, e->role, json);
}

static void
announce_remote_to (SlServerConnection * viewer, const SlRemoteDevice * e,
    const char *event)
{
  g_autoptr (GBytes) json = remote_event (e, event);

  if (json)
    sl_server_connection_send_bytes (viewer, json);
}

/**
 * sl_presence_set_remote:
 * @self: the presence
 * @device: a device connected to another instance, which the caller has
 *   found to be its newest connection
 *
 * Puts @device in the roster, or updates it, and tells the local devices
 * that may see it.  A local connection of the same device is taken out
 * of the roster without a `leave` (the device is still online).
 *
 * Returns: (transfer full) (nullable): the local connection it replaces,
 *   for the caller to tell and close
 */
SlServerConnection *
sl_presence_set_remote (SlPresence * self, const SlRemoteDevice * device)
{
  SlServerConnection *local;
  SlRemoteRosterChange change;

  g_return_val_if_fail (SL_IS_PRESENCE (self), NULL);
  local = g_hash_table_lookup (self->online, device->id);
  if (local) {
    g_object_ref (local);
    group_remove (self, local);
    g_hash_table_remove (self->online, device->id);
  }
  change = sl_remote_roster_set (self->remote, device);
  if (change != SL_REMOTE_ROSTER_UNCHANGED)
    announce_remote (self, device, change == SL_REMOTE_ROSTER_CHANGED ?
        "status" : "join");
  return local;
}

/**
 * sl_presence_get_remote:
 * @self: the presence
 * @device_id: a device id
 * @device: (out caller-allocates): filled with strings valid until the
 *   roster changes
 *
 * Returns: whether @device_id is connected to another instance
 */
gboolean
sl_presence_get_remote (SlPresence * self, const char *device_id,
    SlRemoteDevice * device)
{
  g_return_val_if_fail (SL_IS_PRESENCE (self), FALSE);
  return sl_remote_roster_get (self->remote, device_id, device);
}

/* A remote device left the roster: the local devices that saw it are
 * told, and calls held here let it go ("remote-left"). */
static void
remote_gone (const SlRemoteDevice * device, gpointer user_data)
{
  SlPresence *self = user_data;

  announce_remote (self, device, "leave");
  g_signal_emit (self, signals[SIGNAL_REMOTE_LEFT], 0, device->id,
      device->session);
}

/**
 * sl_presence_remove_remote:
 * @self: the presence
 * @device_id: a device id
 * @instance: the instance that says it left
 * @session: the connection that left
 *
 * Takes the device out of the roster if that is still the connection the
 * roster knows, and tells the local devices that saw it.
 */
void
sl_presence_remove_remote (SlPresence * self, const char *device_id,
    const char *instance, guint64 session)
{
  g_return_if_fail (SL_IS_PRESENCE (self));
  sl_remote_roster_remove (self->remote, device_id, instance, session,
      remote_gone, self);
}

/**
 * sl_presence_remove_instance:
 * @self: the presence
 * @instance: an instance
 * @keep: (nullable): set of device ids to keep
 *
 * Takes every device of @instance that is not in @keep out of the roster:
 * the instance died, or no longer lists them.
 */
void
sl_presence_remove_instance (SlPresence * self, const char *instance,
    GHashTable * keep)
{
  g_return_if_fail (SL_IS_PRESENCE (self));
  sl_remote_roster_remove_instance (self->remote, instance, keep,
      remote_gone, self);
}

/**
 * sl_presence_list_remote:
 * @self: the presence
 *
 * Returns: (transfer container) (element-type utf8): the ids of the
 *   devices connected to other instances (strings valid until the roster
 *   changes)
 */
GPtrArray *
sl_presence_list_remote (SlPresence * self)
{
  g_return_val_if_fail (SL_IS_PRESENCE (self), g_ptr_array_new ());
  return sl_remote_roster_list (self->remote);
}

guint
sl_presence_get_remote_count (SlPresence * self)
{
  g_return_val_if_fail (SL_IS_PRESENCE (self), 0);
  return sl_remote_roster_get_count (self->remote);
}

/* --- SlDeviceDirectory -------------------------------------------------- */

static SlServerConnection *
find_session (SlPresence * self, const char *device_id, guint64 session)
{
  SlServerConnection *conn = g_hash_table_lookup (self->online, device_id);

  if (conn == NULL || sl_server_connection_get_session (conn) != session)
    return NULL;
  return conn;
}

static gboolean
directory_lookup (SlDeviceDirectory * directory, const char *device_id,
    SlDeviceInfo * info)
{
  SlPresence *self = SL_PRESENCE (directory);
  SlServerConnection *conn = g_hash_table_lookup (self->online, device_id);

  if (conn == NULL || sl_server_connection_is_closing (conn))
    return FALSE;
  sl_server_connection_get_info (conn, info);
  return TRUE;
}

static void
directory_deliver (SlDeviceDirectory * directory, const char *device_id,
    guint64 session, SlMessage * msg)
{
  SlServerConnection *conn = find_session (SL_PRESENCE (directory),
      device_id, session);

  if (conn)
    sl_server_connection_send (conn, msg);
}

static void
directory_set_in_call (SlDeviceDirectory * directory, const char *device_id,
    guint64 session, gboolean in_call)
{
  SlPresence *self = SL_PRESENCE (directory);
  SlServerConnection *conn = find_session (self, device_id, session);
  gboolean was_busy;

  if (conn == NULL)
    return;
  was_busy = sl_server_connection_is_busy (conn);
  sl_server_connection_set_in_call (conn, in_call);
  if (!sl_server_connection_is_closing (conn) &&
      sl_server_connection_is_busy (conn) != was_busy)
    sl_presence_announce (self, conn, "status");
}

static void
sl_presence_directory_init (SlDeviceDirectoryInterface * iface)
{
  iface->lookup = directory_lookup;
  iface->deliver = directory_deliver;
  iface->set_in_call = directory_set_in_call;
}

static void
sl_presence_dispose (GObject * object)
{
  SlPresence *self = SL_PRESENCE (object);

  if (self->listed)
    g_hash_table_remove_all (self->listed);
  if (self->by_role)
    g_hash_table_remove_all (self->by_role);
  if (self->online)
    g_hash_table_remove_all (self->online);
  g_clear_object (&self->remote);
  g_clear_object (&self->policy);
  G_OBJECT_CLASS (sl_presence_parent_class)->dispose (object);
}

static void
sl_presence_finalize (GObject * object)
{
  SlPresence *self = SL_PRESENCE (object);

  g_clear_pointer (&self->listed, g_hash_table_unref);
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

  /**
   * SlPresence::local-changed:
   * @conn: a local device
   * @event: "join", "leave" or "status"
   *
   * A local device joined, left or changed status.
   */
  signals[SIGNAL_LOCAL_CHANGED] = g_signal_new ("local-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, SL_TYPE_SERVER_CONNECTION, G_TYPE_STRING);
  /**
   * SlPresence::remote-left:
   * @device_id: a device on another instance
   * @session: its connection that left
   *
   * A device connected to another instance left, or its instance died:
   * calls held here must let it go.
   */
  signals[SIGNAL_REMOTE_LEFT] = g_signal_new ("remote-left",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT64);
}

static void
sl_presence_init (SlPresence * self)
{
  self->online = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      g_object_unref);
  self->by_role = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_hash_table_unref);
  self->listed = g_hash_table_new (NULL, NULL);
  self->remote = sl_remote_roster_new ();
}
