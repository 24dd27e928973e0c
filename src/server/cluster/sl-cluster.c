/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Several instances, one roster (issue 17).  Each instance keeps the
 * devices connected to it in a Redis hash of its own,
 * "sightline:devices:<instance>", whose expiry it renews every third of
 * the expiry time (the idle timeout): an instance that dies leaves
 * nothing behind once its hash expires.  Changes are published on one
 * channel, "sightline:bus", as cluster bus messages (sl-cluster-bus.c),
 * and every instance says "alive" there on each renewal.  An instance
 * not heard from within the expiry time is taken for dead and its
 * devices leave the roster; one heard from for the first time (or again,
 * after Redis or this instance lost touch) is read in full from its hash.
 *
 * Newest connection wins across instances: join messages carry the wall
 * time the connection came up ("since"), and the instance holding the
 * older connection closes it with `replaced`.  Equal times are broken by
 * instance id, so both sides agree without talking.
 *
 * Redis is trusted infrastructure (like the operator), but its messages
 * are input: each is parsed against the bus table, messages from this
 * instance's own id are ignored, and a sequence number that does not
 * grow is refused as a replay.  Refusals are counted by reason.
 *
 * Calls between instances: a call lives in the router of the instance
 * where its invitation arrived (its owner).  The cluster is the router's
 * directory: a message for a device on another instance goes to that
 * instance's own channel ("sightline:to:<instance>") as a "deliver", and
 * the receiving instance remembers which instance owns the call, so the
 * device's own call messages for it go back as a "forward".  Carried
 * device messages are parsed again with the signalling tables on arrival.
 *
 * Revocation: each instance reads its own revocation list, and also
 * checks the devices connected to the others against it (when they join
 * and when its list changes), telling the holding instance to close a
 * revoked one ("revoke").  A device is thus closed if any instance's list
 * revokes it, even while the lists differ.
 *
 * While Redis is unreachable each instance goes on serving its own
 * devices; remote devices fade out as their instances fall silent, and
 * when Redis returns every instance rewrites its hash and reads the
 * others'.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-cluster.h"
#include "sl-cluster-bus.h"
#include "sl-redis-link.h"
#include "sl-signalling.h"

#include <hiredis/hiredis.h>
#include <string.h>

#define CHANNEL "sightline:bus"
#define OWN_CHANNEL_PREFIX "sightline:to:"
/* Calls held elsewhere that one local device may be part of or invited
 * to at once; older entries are forgotten. */
#define MAX_FOREIGN_CALLS 16
#define HASH_PREFIX "sightline:devices:"
#define SCAN_COUNT "500"

typedef struct
{
  gint64 last_heard;            /* monotonic, microseconds */
  gint64 last_seq;
  gint64 generation;
} Peer;

struct _SlCluster
{
  GObject parent_instance;

  const SlClusterConfig *config;
  SlPresence *presence;
  SlServerMetrics *metrics;
  guint expiry_ms;
  char *instance;
  char *hash_key;
  gint64 seq;
  gint64 generation;            /* hash rewrites */
  SlRedisLink *cmd;
  SlRedisLink *sub;
  GHashTable *peers;            /* instance id -> Peer */
  GHashTable *since;            /* local device id -> gint64 * */
  GHashTable *foreign;          /* local device id -> (call id -> owner
                                 * instance): calls held elsewhere */
  char *own_channel;
  GHashTable *in_call_at;       /* local device id -> instance holding the
                                 * call it is in */
  guint heartbeat_id;
  SlClusterRevokedFunc revoked;
  gpointer revoked_data;
  gulong local_changed_id;
};

enum
{
  SIGNAL_FORWARDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void sl_cluster_directory_init (SlDeviceDirectoryInterface * iface);
static void check_revoked_one (SlCluster * self, const char *device_id);

G_DEFINE_FINAL_TYPE_WITH_CODE (SlCluster, sl_cluster, G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (SL_TYPE_DEVICE_DIRECTORY,
        sl_cluster_directory_init));

static void
refuse (SlCluster * self, const char *reason, const char *detail)
{
  sl_server_metrics_add (self->metrics, SL_METRIC_CLUSTER_REFUSED, reason, 1);
  g_warning ("cluster: refused a bus message (%s): %s", reason, detail);
}

static void
update_gauges (SlCluster * self)
{
  sl_server_metrics_set (self->metrics, SL_METRIC_CLUSTER_REMOTE,
      sl_presence_get_remote_count (self->presence));
  sl_server_metrics_set (self->metrics, SL_METRIC_CLUSTER_UP,
      sl_cluster_is_up (self) ? 1 : 0);
}

static SlMessage *
new_message (SlCluster * self, const char *type)
{
  SlMessage *msg = sl_message_new (&sl_cluster_bus, type);

  sl_message_set_int (msg, "v", SL_CLUSTER_BUS_VERSION);
  sl_message_set_string (msg, "instance", self->instance);
  sl_message_set_int (msg, "seq", ++self->seq);
  return msg;
}

static void
command (SlCluster * self, SlRedisReplyFunc func, gpointer data, int argc,
    const char **argv, const size_t *argvlen)
{
  /* Lost commands are made good by the rewrite on reconnection. */
  sl_redis_link_command (self->cmd, func, data, argc, argv, argvlen);
}

static void
publish_on (SlCluster * self, const char *channel, SlMessage * msg)
{
  g_autoptr (GError) error = NULL;
  gsize len;
  g_autofree char *json = sl_message_to_json (msg, &len, &error);
  const char *argv[] = { "PUBLISH", channel, json };
  size_t argvlen[] = { 7, strlen (channel), len };

  if (json == NULL) {
    g_critical ("cluster: cannot write a bus message: %s", error->message);
    return;
  }
  command (self, NULL, NULL, 3, argv, argvlen);
}

static void
publish (SlCluster * self, SlMessage * msg)
{
  publish_on (self, CHANNEL, msg);
}

/* Sends @msg to one instance's own channel. */
static void
send_to (SlCluster * self, const char *instance, SlMessage * msg)
{
  g_autofree char *channel = g_strconcat (OWN_CHANNEL_PREFIX, instance, NULL);

  sl_message_set_string (msg, "to", instance);
  publish_on (self, channel, msg);
}

static void
renew_expiry (SlCluster * self)
{
  g_autofree char *ms = g_strdup_printf ("%u", self->expiry_ms);
  const char *argv[] = { "PEXPIRE", self->hash_key, ms };

  command (self, NULL, NULL, 3, argv, NULL);
}

static SlMessage *
device_message (SlCluster * self, SlServerConnection * conn, const char *type)
{
  SlMessage *msg = new_message (self, type);
  const char *id = sl_server_connection_get_device_id (conn);
  gint64 *since = g_hash_table_lookup (self->since, id);

  sl_server_connection_fill_device (conn, sl_message_set_object (msg,
          "device"), TRUE);
  sl_message_set_int (msg, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          sl_server_connection_get_session (conn)));
  sl_message_set_int (msg, "since", since ? *since : 0);
  sl_message_set_int (msg, "version", sl_server_connection_get_version (conn));
  sl_message_set_bool (msg, "user_busy",
      sl_server_connection_is_user_busy (conn));
  sl_message_set_string (msg, "serial", sl_server_connection_get_serial (conn));
  if (g_hash_table_contains (self->in_call_at, id))
    sl_message_set_string (msg, "in_call_at",
        g_hash_table_lookup (self->in_call_at, id));
  return msg;
}

/* Writes @conn's entry in this instance's hash. */
static void
store_device (SlCluster * self, SlServerConnection * conn)
{
  g_autoptr (SlMessage) msg = device_message (self, conn, "join");
  g_autoptr (GError) error = NULL;
  gsize len;
  g_autofree char *json = sl_message_to_json (msg, &len, &error);
  const char *id = sl_server_connection_get_device_id (conn);
  const char *argv[] = { "HSET", self->hash_key, id, json };
  size_t argvlen[] = { 4, strlen (self->hash_key), strlen (id), len };

  if (json)
    command (self, NULL, NULL, 4, argv, argvlen);
}

static void
local_changed_cb (SlPresence * presence, SlServerConnection * conn,
    const char *event, gpointer user_data)
{
  SlCluster *self = user_data;
  const char *id = sl_server_connection_get_device_id (conn);
  g_autoptr (SlMessage) msg = NULL;

  if (g_str_equal (event, "leave")) {
    const char *argv[] = { "HDEL", self->hash_key, id };

    g_hash_table_remove (self->since, id);
    g_hash_table_remove (self->foreign, id);
    g_hash_table_remove (self->in_call_at, id);
    command (self, NULL, NULL, 3, argv, NULL);
    msg = new_message (self, "leave");
    sl_message_set_string (msg, "id", id);
    sl_message_set_int (msg, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
            sl_server_connection_get_session (conn)));
  } else {
    if (g_str_equal (event, "join")) {
      gint64 *since = g_new (gint64, 1);

      *since = g_get_real_time ();
      g_hash_table_insert (self->since, g_strdup (id), since);
    }
    store_device (self, conn);
    renew_expiry (self);
    msg = device_message (self, conn, event);
  }
  publish (self, msg);
}

/* --- what other instances say -------------------------------------------- */

static Peer *
hear_from (SlCluster * self, const char *instance, gboolean * is_new)
{
  Peer *peer = g_hash_table_lookup (self->peers, instance);

  *is_new = peer == NULL;
  if (peer == NULL) {
    peer = g_new0 (Peer, 1);
    g_hash_table_insert (self->peers, g_strdup (instance), peer);
  }
  peer->last_heard = g_get_monotonic_time ();
  return peer;
}

/* A remote device's join or status (from the bus or a hash). */
static void
apply_device (SlCluster * self, const SlMessage * msg)
{
  const SlMessage *device = sl_message_get_object (msg, "device");
  const char *instance = sl_message_get_string (msg, "instance");
  gint64 since = sl_message_get_int (msg, "since");
  SlRemoteDevice remote = {
    .id = sl_message_get_string (device, "id"),
    .name = sl_message_get_string (device, "name"),
    .role = sl_message_get_string (device, "role"),
    .instance = instance,
    .session = (guint64) sl_message_get_int (msg, "session"),
    .version = (guint) sl_message_get_int (msg, "version"),
    .busy = g_str_equal (sl_message_get_string (device, "status"), "busy"),
    .user_busy = sl_message_get_bool (msg, "user_busy"),
    .in_call_at = sl_message_has_member (msg, "in_call_at") ?
        sl_message_get_string (msg, "in_call_at") : NULL,
    .serial = sl_message_get_string (msg, "serial"),
  };
  g_autoptr (SlServerConnection) replaced = NULL;
  gint64 *local_since = g_hash_table_lookup (self->since, remote.id);

  /* Newest wins; equal times: the greater instance id. */
  if (local_since && sl_presence_lookup (self->presence, remote.id) &&
      (*local_since > since || (*local_since == since &&
              strcmp (self->instance, instance) > 0)))
    return;
  replaced = sl_presence_set_remote (self->presence, &remote);
  check_revoked_one (self, remote.id);
  if (replaced) {
    g_autoptr (SlMessage) note =
        sl_message_new (sl_signalling_to_client_for
        (sl_server_connection_get_version (replaced)), "replaced");

    g_hash_table_remove (self->since, remote.id);
    /* Its hash entry goes; the newer connection's instance announced it. */
    {
      const char *argv[] = { "HDEL", self->hash_key, remote.id };

      command (self, NULL, NULL, 3, argv, NULL);
    }
    sl_server_connection_send (replaced, note);
    sl_server_connection_close (replaced, SL_CLOSE_REPLACED,
        "replaced by a newer connection of the same device");
  }
  update_gauges (self);
}

static void fetch_instance (SlCluster * self, const char *instance);

/* Tells the instance holding @device_id to close it if this instance's
 * revocation list revokes its certificate. */
static void
check_revoked_one (SlCluster * self, const char *device_id)
{
  SlRemoteDevice remote;
  g_autoptr (SlMessage) out = NULL;

  if (self->revoked == NULL ||
      !sl_presence_get_remote (self->presence, device_id, &remote) ||
      !self->revoked (remote.serial, self->revoked_data))
    return;
  out = new_message (self, "revoke");
  sl_message_set_string (out, "id", remote.id);
  sl_message_set_int (out, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          remote.session));
  sl_message_set_string (out, "serial", remote.serial);
  send_to (self, remote.instance, out);
}

/**
 * sl_cluster_check_revoked:
 * @self: the cluster member
 *
 * Checks every device on other instances against this instance's
 * revocation list (which just changed).
 */
void
sl_cluster_check_revoked (SlCluster * self)
{
  g_autoptr (GPtrArray) ids = NULL;
  guint i;

  g_return_if_fail (SL_IS_CLUSTER (self));
  ids = sl_presence_list_remote (self->presence);
  for (i = 0; i < ids->len; i++)
    check_revoked_one (self, g_ptr_array_index (ids, i));
}

void
sl_cluster_set_revoked_func (SlCluster * self, SlClusterRevokedFunc func,
    gpointer user_data)
{
  g_return_if_fail (SL_IS_CLUSTER (self));
  self->revoked = func;
  self->revoked_data = user_data;
}

static void
receive_revoke (SlCluster * self, const SlMessage * msg)
{
  const char *id = sl_message_get_string (msg, "id");
  SlServerConnection *conn = sl_presence_lookup (self->presence, id);

  if (conn == NULL || sl_server_connection_get_session (conn) !=
      (guint64) sl_message_get_int (msg, "session") ||
      g_strcmp0 (sl_server_connection_get_serial (conn),
          sl_message_get_string (msg, "serial")) != 0)
    return;
  g_message ("cluster: instance %s revokes device %s",
      sl_message_get_string (msg, "instance"), id);
  sl_server_connection_close (conn, SL_CLOSE_REVOKED,
      "certificate revoked (another instance's revocation list)");
}

/* --- calls held on other instances --------------------------------------- */

static void
remember_owner (SlCluster * self, const char *device_id, const char *call_id,
    const char *owner)
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
receive_deliver (SlCluster * self, const SlMessage * msg)
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
receive_forward (SlCluster * self, const SlMessage * msg)
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

/* Remembers which instance holds the call a local device is in, before
 * its status is announced. */
static void
note_in_call (SlCluster * self, const char *device_id, guint64 session,
    gboolean in_call, const char *owner)
{
  SlServerConnection *conn = sl_presence_lookup (self->presence, device_id);

  if (conn == NULL || sl_server_connection_get_session (conn) != session)
    return;
  if (in_call)
    g_hash_table_insert (self->in_call_at, g_strdup (device_id),
        g_strdup (owner));
  else if (g_strcmp0 (g_hash_table_lookup (self->in_call_at, device_id),
          owner) == 0)
    g_hash_table_remove (self->in_call_at, device_id);
  sl_device_directory_set_in_call (SL_DEVICE_DIRECTORY (self->presence),
      device_id, session, in_call);
}

static void
receive_in_call (SlCluster * self, const SlMessage * msg)
{
  note_in_call (self, sl_message_get_string (msg, "id"),
      (guint64) sl_message_get_int (msg, "session"),
      sl_message_get_bool (msg, "in_call"),
      sl_message_get_string (msg, "instance"));
}

/* Messages on this instance's own channel. */
static void
receive_direct (SlCluster * self, const SlMessage * msg)
{
  const char *type = sl_message_get_type_name (msg);

  if (!g_str_equal (sl_message_get_string (msg, "to"), self->instance)) {
    refuse (self, "misrouted", "addressed to another instance");
    return;
  }
  if (g_str_equal (type, "deliver"))
    receive_deliver (self, msg);
  else if (g_str_equal (type, "forward"))
    receive_forward (self, msg);
  else if (g_str_equal (type, "revoke"))
    receive_revoke (self, msg);
  else
    receive_in_call (self, msg);
}

/**
 * sl_cluster_route:
 * @self: the cluster member
 * @from: a local device
 * @msg: a call message from it (not an invite)
 *
 * Sends @msg to the instance holding its call, if another one does.
 *
 * Returns: whether it was sent away (else the local router handles it)
 */
gboolean
sl_cluster_route (SlCluster * self, const SlDeviceInfo * from, SlMessage * msg)
{
  GHashTable *calls;
  const char *owner;
  g_autoptr (SlMessage) fwd = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  SlMessage *f;

  g_return_val_if_fail (SL_IS_CLUSTER (self), FALSE);
  if (!sl_message_has_member (msg, "call_id"))
    return FALSE;
  calls = g_hash_table_lookup (self->foreign, from->device_id);
  owner = calls ? g_hash_table_lookup (calls,
      sl_message_get_string (msg, "call_id")) : NULL;
  if (owner == NULL)
    return FALSE;
  text = sl_message_to_json (msg, NULL, &error);
  if (text == NULL)
    return FALSE;
  fwd = new_message (self, "forward");
  f = sl_message_set_object (fwd, "from");
  sl_message_set_string (f, "id", from->device_id);
  sl_message_set_string (f, "name", from->name);
  sl_message_set_string (f, "role", from->role);
  sl_message_set_int (f, "version", from->version);
  sl_message_set_int (f, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          from->session));
  sl_message_set_string (fwd, "message", text);
  send_to (self, owner, fwd);
  return TRUE;
}

static void
bus_message (SlCluster * self, const char *text, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) msg = sl_protocol_parse (&sl_cluster_bus, text, len,
      &error);
  const char *instance, *type;
  gboolean is_new;
  Peer *peer;
  gint64 seq;

  if (msg == NULL) {
    refuse (self, "malformed", error->message);
    return;
  }
  instance = sl_message_get_string (msg, "instance");
  if (g_str_equal (instance, self->instance))
    return;                     /* our own, echoed */
  type = sl_message_get_type_name (msg);
  if (g_str_equal (type, "deliver") || g_str_equal (type, "forward") ||
      g_str_equal (type, "in-call") || g_str_equal (type, "revoke")) {
    /* Sent on another channel, so not ordered with the bus: no sequence
     * check against it, and they do not count as hearing from the
     * instance. */
    receive_direct (self, msg);
    return;
  }
  seq = sl_message_get_int (msg, "seq");
  peer = g_hash_table_lookup (self->peers, instance);
  if (peer && seq <= peer->last_seq) {
    refuse (self, "replay", "sequence number did not grow");
    return;
  }
  peer = hear_from (self, instance, &is_new);
  peer->last_seq = seq;
  if (g_str_equal (type, "alive")) {
    gint64 generation = sl_message_get_int (msg, "generation");

    /* Rewritten since we last read it: what changed meanwhile is there. */
    if (!is_new && generation != peer->generation)
      fetch_instance (self, instance);
    peer->generation = generation;
  }
  if (is_new)
    fetch_instance (self, instance);
  if (g_str_equal (type, "join") || g_str_equal (type, "status"))
    apply_device (self, msg);
  else if (g_str_equal (type, "leave")) {
    sl_presence_remove_remote (self->presence, sl_message_get_string (msg,
            "id"), instance, (guint64) sl_message_get_int (msg, "session"));
    update_gauges (self);
  }
}

static void
subscription_cb (redisReply * reply, gpointer user_data)
{
  SlCluster *self = user_data;
  redisReply *payload;

  if (reply == NULL || reply->type != REDIS_REPLY_ARRAY ||
      reply->elements != 3 || reply->element[0]->type != REDIS_REPLY_STRING)
    return;
  if (strcmp (reply->element[0]->str, "message") != 0)
    return;                     /* the subscription's confirmation */
  payload = reply->element[2];
  if (payload->type != REDIS_REPLY_STRING) {
    refuse (self, "malformed", "not a string");
    return;
  }
  bus_message (self, payload->str, payload->len);
}

typedef struct
{
  SlCluster *self;
  char *instance;
} Fetch;

static void
fetch_free (Fetch * f)
{
  g_free (f->instance);
  g_free (f);
}

/* The whole hash of one instance: its devices as it last wrote them. */
static void
hash_cb (redisReply * reply, gpointer user_data)
{
  Fetch *f = user_data;
  SlCluster *self = f->self;
  g_autoptr (GHashTable) keep = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  gsize i;

  if (reply && reply->type == REDIS_REPLY_ARRAY &&
      g_hash_table_contains (self->peers, f->instance)) {
    for (i = 0; i + 1 < reply->elements; i += 2) {
      redisReply *value = reply->element[i + 1];
      g_autoptr (GError) error = NULL;
      g_autoptr (SlMessage) msg = NULL;

      if (value->type == REDIS_REPLY_STRING)
        msg = sl_protocol_parse (&sl_cluster_bus, value->str, value->len,
            &error);
      if (msg == NULL || !g_str_equal (sl_message_get_type_name (msg),
              "join") || !g_str_equal (sl_message_get_string (msg,
                  "instance"), f->instance)) {
        refuse (self, "malformed", error ? error->message :
            "not a join of the hash's instance");
        continue;
      }
      g_hash_table_add (keep, g_strdup (sl_message_get_string
              (sl_message_get_object (msg, "device"), "id")));
      apply_device (self, msg);
    }
    sl_presence_remove_instance (self->presence, f->instance, keep);
    update_gauges (self);
  }
  fetch_free (f);
}

static void
fetch_instance (SlCluster * self, const char *instance)
{
  g_autofree char *key = g_strconcat (HASH_PREFIX, instance, NULL);
  const char *argv[] = { "HGETALL", key };
  Fetch *f = g_new0 (Fetch, 1);

  /* No reference: the links are disposed with the cluster, and they call
   * back with NULL first. */
  f->self = self;
  f->instance = g_strdup (instance);
  if (!sl_redis_link_command (self->cmd, hash_cb, f, 2, argv, NULL))
    fetch_free (f);
}

static void scan_from (SlCluster * self, const char *cursor);

static void
scan_cb (redisReply * reply, gpointer user_data)
{
  SlCluster *self = user_data;
  redisReply *keys;
  gsize i;

  if (reply == NULL || reply->type != REDIS_REPLY_ARRAY ||
      reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_STRING ||
      reply->element[1]->type != REDIS_REPLY_ARRAY)
    return;
  keys = reply->element[1];
  for (i = 0; i < keys->elements; i++) {
    const char *instance;
    gboolean is_new;

    if (keys->element[i]->type != REDIS_REPLY_STRING)
      continue;
    instance = keys->element[i]->str + strlen (HASH_PREFIX);
    if (strlen (instance) == 0 || strlen (instance) >
        SL_CLUSTER_BUS_MAX_INSTANCE || g_str_equal (instance, self->instance))
      continue;
    hear_from (self, instance, &is_new);
    fetch_instance (self, instance);
  }
  if (strcmp (reply->element[0]->str, "0") != 0)
    scan_from (self, reply->element[0]->str);
}

static void
scan_from (SlCluster * self, const char *cursor)
{
  const char *argv[] = { "SCAN", cursor, "MATCH", HASH_PREFIX "*", "COUNT",
    SCAN_COUNT
  };

  sl_redis_link_command (self->cmd, scan_cb, self, 6, argv, NULL);
}

/* --- links and heartbeat ------------------------------------------------- */

static void
say_alive (SlCluster * self)
{
  g_autoptr (SlMessage) msg = new_message (self, "alive");

  sl_message_set_int (msg, "devices", sl_presence_get_count (self->presence));
  sl_message_set_int (msg, "generation", self->generation);
  renew_expiry (self);
  publish (self, msg);
}

/* Redis is back (or there for the first time), possibly empty: rewrite
 * this instance's hash and read everyone else's. */
static void
cmd_up_cb (SlRedisLink * link, gpointer user_data)
{
  SlCluster *self = user_data;
  const char *argv[] = { "DEL", self->hash_key };
  GHashTableIter iter;
  gpointer id;

  command (self, NULL, NULL, 2, argv, NULL);
  self->generation++;
  g_hash_table_iter_init (&iter, self->since);
  while (g_hash_table_iter_next (&iter, &id, NULL)) {
    SlServerConnection *conn = sl_presence_lookup (self->presence, id);

    if (conn)
      store_device (self, conn);
  }
  say_alive (self);
  scan_from (self, "0");
  update_gauges (self);
}

static void
sub_up_cb (SlRedisLink * link, gpointer user_data)
{
  SlCluster *self = user_data;
  const char *argv[] = { "SUBSCRIBE", CHANNEL };
  const char *own[] = { "SUBSCRIBE", self->own_channel };

  sl_redis_link_command (self->sub, subscription_cb, self, 2, argv, NULL);
  sl_redis_link_command (self->sub, subscription_cb, self, 2, own, NULL);
  /* What was said while we were away: read every hash again. */
  if (sl_redis_link_is_up (self->cmd))
    scan_from (self, "0");
  update_gauges (self);
}

static void
link_down_cb (SlRedisLink * link, gpointer user_data)
{
  SlCluster *self = user_data;

  g_warning ("cluster: degraded: Redis is unreachable; serving local "
      "devices only");
  update_gauges (self);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  SlCluster *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer instance, value;

  if (sl_redis_link_is_up (self->cmd))
    say_alive (self);
  /* Instances silent for the expiry time are gone: so are their devices. */
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, &instance, &value)) {
    Peer *peer = value;

    if (now - peer->last_heard > (gint64) self->expiry_ms * 1000) {
      g_message ("cluster: instance %s is silent; its devices leave",
          (const char *) instance);
      sl_presence_remove_instance (self->presence, instance, NULL);
      g_hash_table_iter_remove (&iter);
    }
  }
  update_gauges (self);
  return G_SOURCE_CONTINUE;
}

/**
 * sl_cluster_new:
 * @config: where Redis is; must outlive the cluster
 * @presence: the roster to share
 * @metrics: where to count
 * @expiry_s: how long an instance may be silent before its devices leave
 *
 * Returns: (transfer full): the cluster member, not yet connected
 */
SlCluster *
sl_cluster_new (const SlClusterConfig * config, SlPresence * presence,
    SlServerMetrics * metrics, guint expiry_s)
{
  SlCluster *self = g_object_new (SL_TYPE_CLUSTER, NULL);

  self->config = config;
  self->presence = g_object_ref (presence);
  self->metrics = g_object_ref (metrics);
  sl_server_metrics_enable_cluster (metrics);
  self->expiry_ms = MAX (1, expiry_s) * 1000;
  /* Unique, not secret: a fresh id per process, so a restarted instance
   * is never mistaken for its former self. */
  self->instance = g_uuid_string_random ();
  self->hash_key = g_strconcat (HASH_PREFIX, self->instance, NULL);
  self->own_channel = g_strconcat (OWN_CHANNEL_PREFIX, self->instance, NULL);
  self->cmd = sl_redis_link_new (config, "commands");
  self->sub = sl_redis_link_new (config, "bus");
  g_signal_connect (self->cmd, "up", G_CALLBACK (cmd_up_cb), self);
  g_signal_connect (self->sub, "up", G_CALLBACK (sub_up_cb), self);
  g_signal_connect (self->cmd, "down", G_CALLBACK (link_down_cb), self);
  g_signal_connect (self->sub, "down", G_CALLBACK (link_down_cb), self);
  self->local_changed_id = g_signal_connect (presence, "local-changed",
      G_CALLBACK (local_changed_cb), self);
  return self;
}

void
sl_cluster_start (SlCluster * self)
{
  g_return_if_fail (SL_IS_CLUSTER (self));
  g_message ("cluster: instance %s", self->instance);
  sl_redis_link_start (self->cmd);
  sl_redis_link_start (self->sub);
  self->heartbeat_id = g_timeout_add (MAX (100, self->expiry_ms / 3),
      heartbeat_cb, self);
  update_gauges (self);
}

/**
 * sl_cluster_is_up:
 * @self: the cluster member
 *
 * Returns: whether both Redis connections are up (else: degraded)
 */
gboolean
sl_cluster_is_up (SlCluster * self)
{
  g_return_val_if_fail (SL_IS_CLUSTER (self), FALSE);
  return sl_redis_link_is_up (self->cmd) && sl_redis_link_is_up (self->sub);
}

const char *
sl_cluster_get_instance (SlCluster * self)
{
  g_return_val_if_fail (SL_IS_CLUSTER (self), NULL);
  return self->instance;
}

/* --- SlDeviceDirectory: local devices, then remote ones ------------------ */

static gboolean
directory_lookup (SlDeviceDirectory * directory, const char *device_id,
    SlDeviceInfo * info)
{
  SlCluster *self = SL_CLUSTER (directory);
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
      g_strcmp0 (remote.in_call_at, self->instance) != 0);
  return TRUE;
}

static void
directory_deliver (SlDeviceDirectory * directory, const char *device_id,
    guint64 session, SlMessage * msg)
{
  SlCluster *self = SL_CLUSTER (directory);
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
  out = new_message (self, "deliver");
  sl_message_set_string (out, "id", device_id);
  sl_message_set_int (out, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          session));
  sl_message_set_string (out, "message", text);
  send_to (self, remote.instance, out);
}

static void
directory_set_in_call (SlDeviceDirectory * directory, const char *device_id,
    guint64 session, gboolean in_call)
{
  SlCluster *self = SL_CLUSTER (directory);
  SlRemoteDevice remote;
  g_autoptr (SlMessage) out = NULL;

  if (sl_presence_lookup (self->presence, device_id)) {
    note_in_call (self, device_id, session, in_call, self->instance);
    return;
  }
  if (!sl_presence_get_remote (self->presence, device_id, &remote) ||
      remote.session != session)
    return;
  out = new_message (self, "in-call");
  sl_message_set_string (out, "id", device_id);
  sl_message_set_int (out, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          session));
  sl_message_set_bool (out, "in_call", in_call);
  send_to (self, remote.instance, out);
}

static void
sl_cluster_directory_init (SlDeviceDirectoryInterface * iface)
{
  iface->lookup = directory_lookup;
  iface->deliver = directory_deliver;
  iface->set_in_call = directory_set_in_call;
}

static void
sl_cluster_dispose (GObject * object)
{
  SlCluster *self = SL_CLUSTER (object);

  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  if (self->presence)
    g_clear_signal_handler (&self->local_changed_id, self->presence);
  if (self->cmd)
    g_signal_handlers_disconnect_by_data (self->cmd, self);
  if (self->sub)
    g_signal_handlers_disconnect_by_data (self->sub, self);
  g_clear_object (&self->sub);
  g_clear_object (&self->cmd);
  g_clear_object (&self->presence);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (sl_cluster_parent_class)->dispose (object);
}

static void
sl_cluster_finalize (GObject * object)
{
  SlCluster *self = SL_CLUSTER (object);

  g_hash_table_unref (self->peers);
  g_hash_table_unref (self->since);
  g_hash_table_unref (self->foreign);
  g_hash_table_unref (self->in_call_at);
  g_free (self->own_channel);
  g_free (self->instance);
  g_free (self->hash_key);
  G_OBJECT_CLASS (sl_cluster_parent_class)->finalize (object);
}

static void
sl_cluster_class_init (SlClusterClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_cluster_dispose;
  object_class->finalize = sl_cluster_finalize;

  /**
   * SlCluster::forwarded:
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
sl_cluster_init (SlCluster * self)
{
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->since = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->foreign = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_hash_table_unref);
  self->in_call_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
}
