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
 * Each instance also listens on a channel of its own
 * ("sightline:to:<instance>") for messages meant for it alone: calls
 * held on another instance (SlClusterCalls) and revocations.
 *
 * Revocation across instances: sl-cluster-revocation.c.
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
#include "sl-cluster-hashes.h"
#include "sl-cluster-revocation.h"
#include "sl-redis-link.h"
#include "sl-signalling.h"

#include <hiredis/hiredis.h>
#include <string.h>

#define CHANNEL "sightline:bus"
#define OWN_CHANNEL_PREFIX "sightline:to:"
#define HASH_PREFIX SL_CLUSTER_HASH_PREFIX

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
  char *own_channel;
  GHashTable *in_call_at;       /* local device id -> instance holding the
                                 * call it is in */
  guint heartbeat_id;
  SlClusterRevocation *revocation;
  SlClusterHashes *hashes;
  gulong local_changed_id;
};

enum
{
  SIGNAL_DIRECT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlCluster, sl_cluster, G_TYPE_OBJECT);

/**
 * sl_cluster_refuse:
 * @self: the cluster member
 * @reason: a static metric label (malformed, replay, misrouted)
 * @detail: what was wrong, for the log
 *
 * Counts and logs a bus message refused.
 */
void
sl_cluster_refuse (SlCluster * self, const char *reason, const char *detail)
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

/**
 * sl_cluster_new_message:
 * @self: the cluster member
 * @type: a cluster bus message type
 *
 * Returns: (transfer full): a bus message with this instance's header
 *   (version, instance id, next sequence number)
 */
SlMessage *
sl_cluster_new_message (SlCluster * self, const char *type)
{
  SlMessage *msg = sl_message_new (&sl_cluster_bus, type);

  sl_message_set_int (msg, "v", SL_CLUSTER_BUS_VERSION);
  sl_message_set_string (msg, "instance", self->instance);
  sl_message_set_int (msg, "seq", ++self->seq);
  return msg;
}

/**
 * sl_cluster_command:
 * @self: the cluster member
 * @func: (nullable): called with the reply (or %NULL: see SlRedisLink)
 * @user_data: for @func
 * @argc: number of arguments
 * @argv: (array length=argc): the command and its arguments
 * @argvlen: (nullable) (array length=argc): their lengths
 *
 * Sends one command on the command link.
 *
 * Returns: whether it was sent (else @func is not called)
 */
gboolean
sl_cluster_command (SlCluster * self, SlRedisReplyFunc func, gpointer user_data,
    int argc, const char **argv, const size_t *argvlen)
{
  g_return_val_if_fail (SL_IS_CLUSTER (self), FALSE);
  return sl_redis_link_command (self->cmd, func, user_data, argc, argv,
      argvlen);
}

/**
 * sl_cluster_knows_instance:
 * @self: the cluster member
 * @instance: an instance id
 *
 * Returns: whether @instance is this one or one heard from within the
 *   expiry time
 */
gboolean
sl_cluster_knows_instance (SlCluster * self, const char *instance)
{
  g_return_val_if_fail (SL_IS_CLUSTER (self), FALSE);
  return g_str_equal (instance, self->instance) ||
      g_hash_table_contains (self->peers, instance);
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

/**
 * sl_cluster_send_to:
 * @self: the cluster member
 * @instance: another instance
 * @msg: a bus message from sl_cluster_new_message()
 *
 * Sends @msg to @instance's own channel (setting its "to").
 */
void
sl_cluster_send_to (SlCluster * self, const char *instance, SlMessage * msg)
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
  SlMessage *msg = sl_cluster_new_message (self, type);
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
    g_hash_table_remove (self->in_call_at, id);
    command (self, NULL, NULL, 3, argv, NULL);
    msg = sl_cluster_new_message (self, "leave");
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
  sl_cluster_revocation_check (self->revocation, remote.id);
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
  g_return_if_fail (SL_IS_CLUSTER (self));
  sl_cluster_revocation_check_all (self->revocation);
}

void
sl_cluster_set_revoked_func (SlCluster * self, SlClusterRevokedFunc func,
    gpointer user_data)
{
  g_return_if_fail (SL_IS_CLUSTER (self));
  sl_cluster_revocation_set_func (self->revocation, func, user_data);
}

/**
 * sl_cluster_note_in_call:
 * @self: the cluster member
 * @device_id: a local device
 * @session: its connection
 * @in_call: whether it is now in a call
 * @owner: the instance holding that call
 *
 * Records it (other instances learn which instance holds the call a
 * device is in, with its status) and changes the device's status.
 */
void
sl_cluster_note_in_call (SlCluster * self, const char *device_id,
    guint64 session, gboolean in_call, const char *owner)
{
  SlServerConnection *conn = sl_presence_lookup (self->presence, device_id);

  g_return_if_fail (SL_IS_CLUSTER (self));
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

/* Messages on this instance's own channel. */
static void
receive_direct (SlCluster * self, const SlMessage * msg)
{
  if (!g_str_equal (sl_message_get_string (msg, "to"), self->instance)) {
    sl_cluster_refuse (self, "misrouted", "addressed to another instance");
    return;
  }
  if (g_str_equal (sl_message_get_type_name (msg), "revoke"))
    sl_cluster_revocation_receive (self->revocation, msg);
  else
    g_signal_emit (self, signals[SIGNAL_DIRECT], 0, msg);
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
    sl_cluster_refuse (self, "malformed", error->message);
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
    sl_cluster_refuse (self, "replay", "sequence number did not grow");
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
    sl_cluster_refuse (self, "malformed", "not a string");
    return;
  }
  bus_message (self, payload->str, payload->len);
}

/* Another instance's hash, read in full (SlClusterHashes). */
static void
hash_read_cb (const char *instance, GPtrArray * joins, gpointer user_data)
{
  SlCluster *self = user_data;
  g_autoptr (GHashTable) keep = NULL;
  guint i;

  if (!g_hash_table_contains (self->peers, instance))
    return;                     /* taken for dead meanwhile */
  keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; i < joins->len; i++) {
    const SlMessage *msg = g_ptr_array_index (joins, i);

    g_hash_table_add (keep, g_strdup (sl_message_get_string
            (sl_message_get_object (msg, "device"), "id")));
    apply_device (self, msg);
  }
  sl_presence_remove_instance (self->presence, instance, keep);
  update_gauges (self);
}

static void
hash_found_cb (const char *instance, gpointer user_data)
{
  SlCluster *self = user_data;
  gboolean is_new;

  hear_from (self, instance, &is_new);
  fetch_instance (self, instance);
}

static void
fetch_instance (SlCluster * self, const char *instance)
{
  sl_cluster_hashes_fetch (self->hashes, instance);
}

/* --- links and heartbeat ------------------------------------------------- */

static void
say_alive (SlCluster * self)
{
  g_autoptr (SlMessage) msg = sl_cluster_new_message (self, "alive");

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
  sl_cluster_hashes_scan (self->hashes);
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
    sl_cluster_hashes_scan (self->hashes);
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
  self->revocation = sl_cluster_revocation_new (self, presence);
  self->hashes = sl_cluster_hashes_new (self, hash_found_cb, hash_read_cb,
      self);
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
  /* After the links: they call back into it with NULL. */
  g_clear_object (&self->hashes);
  g_clear_object (&self->revocation);
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
   * SlCluster::direct:
   * @msg: (type gpointer): the SlMessage, a checked bus message
   *
   * A message of the calls family (forward, deliver, in-call) addressed
   * to this instance.
   */
  signals[SIGNAL_DIRECT] = g_signal_new ("direct",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
sl_cluster_init (SlCluster * self)
{
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->since = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->in_call_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
}
