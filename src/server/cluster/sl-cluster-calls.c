/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Calls between cluster instances (issue 17).  A call lives in the router
 * of the instance where its invitation arrived (its owner).  This object
 * is the router's directory: a device on another instance is reached
 * through that instance's own channel with a "deliver", and the receiving
 * instance remembers which instance owns the call, so that the device's
 * own call messages for it go back there as a "forward".  Carried device
 * messages are parsed again with the signalling tables on arrival.
 *
 * Busy: for a device whose status is busy because of a call held here,
 * the router's own table decides (in_call_at), not the status its
 * instance echoes back later.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-cluster-calls.h"
#include "sl-cluster-bus.h"
#include "sl-signalling.h"

#include <string.h>

/* Calls held elsewhere that one local device may be part of or invited
 * to at once; older entries are forgotten. */
#define MAX_FOREIGN_CALLS 16

struct _SlClusterCalls
{
  GObject parent_instance;

  SlCluster *cluster;
  SlPresence *presence;
  GHashTable *foreign;          /* local device id -> (call id -> owner
                                 * instance): calls held elsewhere */
  gulong direct_id;
  gulong local_changed_id;
};

enum
{
  SIGNAL_FORWARDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void sl_cluster_calls_directory_init (SlDeviceDirectoryInterface *
    iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SlClusterCalls, sl_cluster_calls,
    G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (SL_TYPE_DEVICE_DIRECTORY,
        sl_cluster_calls_directory_init));

static void
refuse (SlClusterCalls * self, const char *reason, const char *detail)
{
  sl_cluster_refuse (self->cluster, reason, detail);
}

static void
remember_owner (SlClusterCalls * self, const char *device_id,
    const char *call_id, const char *owner)
{
  GHashTable *calls = g_hash_table_lookup (self->foreign, device_id);

  if (calls == NULL) {
    calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_insert (self->foreign, g_strdup (device_id), calls);
  }
  if (!g_hash_table_contains (calls, call_id) &&
      g_hash_table_size (calls) >= MAX_FOREIGN_CALLS)
    g_hash_table_remove_all (calls);
  g_hash_table_insert (calls, g_strdup (call_id), g_strdup (owner));
}

/* A server message for a local device, from the instance holding its
 * call. */
static void
receive_deliver (SlClusterCalls * self, const SlMessage * msg)
{
  const char *id = sl_message_get_string (msg, "id");
  const char *text = sl_message_get_string (msg, "message");
  SlServerConnection *conn = sl_presence_lookup (self->presence, id);
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) inner = NULL;


  if (conn == NULL || sl_server_connection_get_session (conn) !=
      (guint64) sl_message_get_int (msg, "session"))
    return;                     /* that connection is gone */
  inner = sl_protocol_parse (sl_signalling_to_client_for
      (sl_server_connection_get_version (conn)), text, strlen (text), &error);
  if (inner == NULL) {
    refuse (self, "malformed", error->message);
    return;
  }
  if (sl_message_has_member (inner, "call_id"))
    remember_owner (self, id, sl_message_get_string (inner, "call_id"),
        sl_message_get_string (msg, "instance"));
  sl_server_connection_send (conn, inner);
}

/* A call message from a device on another instance, for a call held
 * here. */
static void
receive_forward (SlClusterCalls * self, const SlMessage * msg)
{
  const SlMessage *from = sl_message_get_object (msg, "from");
  const char *text = sl_message_get_string (msg, "message");
  SlDeviceInfo info = {
    .device_id = sl_message_get_string (from, "id"),
    .name = sl_message_get_string (from, "name"),
    .role = sl_message_get_string (from, "role"),
    .version = (guint) sl_message_get_int (from, "version"),
    .session = (guint64) sl_message_get_int (from, "session"),
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) inner = NULL;

  if (info.version > SL_SIGNALLING_VERSION_MAX) {
    refuse (self, "malformed", "unknown protocol version");
    return;
  }
  inner = sl_protocol_parse (sl_signalling_to_server_for (info.version), text,
      strlen (text), &error);
  if (inner == NULL) {
    refuse (self, "malformed", error->message);
    return;
  }
  g_signal_emit (self, signals[SIGNAL_FORWARDED], 0, &info, inner);
}

static void
receive_in_call (SlClusterCalls * self, const SlMessage * msg)
{
  sl_cluster_note_in_call (self->cluster, sl_message_get_string (msg, "id"),
      (guint64) sl_message_get_int (msg, "session"),
      sl_message_get_bool (msg, "in_call"),
      sl_message_get_string (msg, "instance"));
}

/**
 * sl_cluster_calls_route:
 * @self: the calls
 * @from: a local device
 * @msg: a call message from it (not an invite)
 *
 * Sends @msg to the instance holding its call, if another one does.
 *
 * Returns: whether it was sent away (else the local router handles it)
 */
gboolean
sl_cluster_calls_route (SlClusterCalls * self, const SlDeviceInfo * from,
    SlMessage * msg)
{
  GHashTable *calls;
  const char *owner;
  g_autoptr (SlMessage) fwd = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  SlMessage *f;

  g_return_val_if_fail (SL_IS_CLUSTER_CALLS (self), FALSE);
  if (!sl_message_has_member (msg, "call_id"))
    return FALSE;
  calls = g_hash_table_lookup (self->foreign, from->device_id);
  owner = calls ? g_hash_table_lookup (calls,
      sl_message_get_string (msg, "call_id")) : NULL;
  if (owner == NULL)
    return FALSE;
  if (!sl_cluster_knows_instance (self->cluster, owner)) {
    /* Its instance died: the call is adopted from Redis here, if at all. */
    g_hash_table_remove (calls, sl_message_get_string (msg, "call_id"));
    return FALSE;
  }
  text = sl_message_to_json (msg, NULL, &error);
  if (text == NULL)
    return FALSE;
  fwd = sl_cluster_new_message (self->cluster, "forward");
  f = sl_message_set_object (fwd, "from");
  sl_message_set_string (f, "id", from->device_id);
  sl_message_set_string (f, "name", from->name);
  sl_message_set_string (f, "role", from->role);
  sl_message_set_int (f, "version", from->version);
  sl_message_set_int (f, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          from->session));
  sl_message_set_string (fwd, "message", text);
  sl_cluster_send_to (self->cluster, owner, fwd);
  return TRUE;
}

/* --- SlDeviceDirectory: local devices, then remote ones ------------------ */

static gboolean
directory_lookup (SlDeviceDirectory * directory, const char *device_id,
    SlDeviceInfo * info)
{
  SlClusterCalls *self = SL_CLUSTER_CALLS (directory);
  SlRemoteDevice remote;

  if (sl_device_directory_lookup (SL_DEVICE_DIRECTORY (self->presence),
          device_id, info))
    return TRUE;
  if (sl_presence_lookup (self->presence, device_id) ||
      !sl_presence_get_remote (self->presence, device_id, &remote))
    return FALSE;
  info->device_id = remote.id;
  info->name = remote.name;
  info->role = remote.role;
  info->version = remote.version;
  info->session = remote.session;
  /* In a call held here: the router's own table says so, without waiting
   * for the device's instance to echo its status. */
  info->busy = remote.user_busy || (remote.busy &&
      g_strcmp0 (remote.in_call_at,
          sl_cluster_get_instance (self->cluster)) != 0);
  return TRUE;
}

static void
directory_deliver (SlDeviceDirectory * directory, const char *device_id,
    guint64 session, SlMessage * msg)
{
  SlClusterCalls *self = SL_CLUSTER_CALLS (directory);
  SlRemoteDevice remote;
  g_autoptr (SlMessage) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (sl_presence_lookup (self->presence, device_id)) {
    sl_device_directory_deliver (SL_DEVICE_DIRECTORY (self->presence),
        device_id, session, msg);
    return;
  }
  if (!sl_presence_get_remote (self->presence, device_id, &remote) ||
      remote.session != session)
    return;
  text = sl_message_to_json (msg, NULL, &error);
  if (text == NULL)
    return;
  out = sl_cluster_new_message (self->cluster, "deliver");
  sl_message_set_string (out, "id", device_id);
  sl_message_set_int (out, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          session));
  sl_message_set_string (out, "message", text);
  sl_cluster_send_to (self->cluster, remote.instance, out);
}

static void
directory_set_in_call (SlDeviceDirectory * directory, const char *device_id,
    guint64 session, gboolean in_call)
{
  SlClusterCalls *self = SL_CLUSTER_CALLS (directory);
  SlRemoteDevice remote;
  g_autoptr (SlMessage) out = NULL;

  if (sl_presence_lookup (self->presence, device_id)) {
    sl_cluster_note_in_call (self->cluster, device_id, session, in_call,
        sl_cluster_get_instance (self->cluster));
    return;
  }
  if (!sl_presence_get_remote (self->presence, device_id, &remote) ||
      remote.session != session)
    return;
  out = sl_cluster_new_message (self->cluster, "in-call");
  sl_message_set_string (out, "id", device_id);
  sl_message_set_int (out, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          session));
  sl_message_set_bool (out, "in_call", in_call);
  sl_cluster_send_to (self->cluster, remote.instance, out);
}

static void
sl_cluster_calls_directory_init (SlDeviceDirectoryInterface * iface)
{
  iface->lookup = directory_lookup;
  iface->deliver = directory_deliver;
  iface->set_in_call = directory_set_in_call;
}

static void
direct_cb (SlCluster * cluster, const SlMessage * msg, gpointer user_data)
{
  SlClusterCalls *self = user_data;
  const char *type = sl_message_get_type_name (msg);

  if (g_str_equal (type, "deliver"))
    receive_deliver (self, msg);
  else if (g_str_equal (type, "forward"))
    receive_forward (self, msg);
  else if (g_str_equal (type, "in-call"))
    receive_in_call (self, msg);
}

/* A local device that leaves takes its calls held elsewhere along. */
static void
local_changed_cb (SlPresence * presence, SlServerConnection * conn,
    const char *event, gpointer user_data)
{
  SlClusterCalls *self = user_data;

  if (g_str_equal (event, "leave"))
    g_hash_table_remove (self->foreign,
        sl_server_connection_get_device_id (conn));
}

/**
 * sl_cluster_calls_new:
 * @cluster: the cluster member
 * @presence: the roster
 *
 * Returns: (transfer full): the directory for the call router
 */
SlClusterCalls *
sl_cluster_calls_new (SlCluster * cluster, SlPresence * presence)
{
  SlClusterCalls *self = g_object_new (SL_TYPE_CLUSTER_CALLS, NULL);

  self->cluster = g_object_ref (cluster);
  self->presence = g_object_ref (presence);
  self->direct_id = g_signal_connect (cluster, "direct",
      G_CALLBACK (direct_cb), self);
  self->local_changed_id = g_signal_connect (presence, "local-changed",
      G_CALLBACK (local_changed_cb), self);
  return self;
}

static void
sl_cluster_calls_dispose (GObject * object)
{
  SlClusterCalls *self = SL_CLUSTER_CALLS (object);

  if (self->cluster)
    g_clear_signal_handler (&self->direct_id, self->cluster);
  if (self->presence)
    g_clear_signal_handler (&self->local_changed_id, self->presence);
  g_clear_object (&self->cluster);
  g_clear_object (&self->presence);
  G_OBJECT_CLASS (sl_cluster_calls_parent_class)->dispose (object);
}

static void
sl_cluster_calls_finalize (GObject * object)
{
  SlClusterCalls *self = SL_CLUSTER_CALLS (object);

  g_hash_table_unref (self->foreign);
  G_OBJECT_CLASS (sl_cluster_calls_parent_class)->finalize (object);
}

static void
sl_cluster_calls_class_init (SlClusterCallsClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_cluster_calls_dispose;
  object_class->finalize = sl_cluster_calls_finalize;

  /**
   * SlClusterCalls::forwarded:
   * @from: (type gpointer): the SlDeviceInfo of a device on another
   *   instance
   * @msg: (type gpointer): the SlMessage, a call message from it
   *
   * A call message for a call this instance holds.
   */
  signals[SIGNAL_FORWARDED] = g_signal_new ("forwarded",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_POINTER);
}

static void
sl_cluster_calls_init (SlClusterCalls * self)
{
  self->foreign = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_hash_table_unref);
}
