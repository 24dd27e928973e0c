/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Call membership in Redis (issue 17): a call lives in the router of one
 * instance, and dies with it; its media does not (peer to peer).  So the
 * instance holding an active call keeps its participants in a Redis set,
 * "sightline:call:<call id>", with an expiry it renews while the call
 * lasts and removes when the call ends.  When the holder dies, a
 * participant that reconnects elsewhere and sends a message for the call
 * (a hang-up, a relayed record) makes that instance read the set and
 * adopt the call, so its signalling resumes.
 *
 * The set is written again on every renewal, so a Redis that lost it
 * (restarted empty) has it back within a third of the expiry time.
 *
 * Redis's answer is input: at most max_members ids, each a device id's
 * size; anything else is refused and counted.  Adoption then also
 * requires the sender to be one of them and every other one online.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-cluster-call-store.h"

#include <hiredis/hiredis.h>
#include <string.h>

#define KEY_PREFIX "sightline:call:"
#define MAX_ID_LEN 63
/* After its holder dies, a call's set outlives it this many expiry
 * times: its devices reconnect well within one. */
#define KEEP_FACTOR 3

struct _SlClusterCallStore
{
  GObject parent_instance;

  SlCluster *cluster;
  SlCallRouter *router;
  SlDeviceDirectory *directory;
  gulong members_id;
  gulong ended_id;
  guint expiry_ms;
  guint max_members;
  GHashTable *calls;            /* call id -> GStrv: the calls held here */
  guint renew_id;
};

G_DEFINE_FINAL_TYPE (SlClusterCallStore, sl_cluster_call_store, G_TYPE_OBJECT);

static void
write_call (SlClusterCallStore * self, const char *call_id,
    const char *const *ids)
{
  g_autofree char *key = g_strconcat (KEY_PREFIX, call_id, NULL);
  g_autofree char *ms = g_strdup_printf ("%u",
      self->expiry_ms * KEEP_FACTOR);
  guint n = g_strv_length ((GStrv) ids), i;
  g_autofree const char **argv = g_new0 (const char *, n + 2);
  const char *del[] = { "DEL", key };
  const char *expire[] = { "PEXPIRE", key, ms };

  argv[0] = "SADD";
  argv[1] = key;
  for (i = 0; i < n; i++)
    argv[i + 2] = ids[i];
  /* One connection, in order: the set is exactly @ids afterwards. */
  sl_cluster_command (self->cluster, NULL, NULL, 2, del, NULL);
  sl_cluster_command (self->cluster, NULL, NULL, n + 2, argv, NULL);
  sl_cluster_command (self->cluster, NULL, NULL, 3, expire, NULL);
}

static gboolean
renew_cb (gpointer user_data)
{
  SlClusterCallStore *self = user_data;
  GHashTableIter iter;
  gpointer call_id, ids;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, &call_id, &ids))
    write_call (self, call_id, ids);
  return G_SOURCE_CONTINUE;
}

/* An active call held here: its participants, now. */
static void
call_members_cb (SlCallRouter * router, const char *call_id,
    const char *const *ids, gpointer user_data)
{
  SlClusterCallStore *self = user_data;

  g_hash_table_insert (self->calls, g_strdup (call_id),
      g_strdupv ((GStrv) ids));
  write_call (self, call_id, ids);
}

static void
call_ended_cb (SlCallRouter * router, const char *call_id, gpointer user_data)
{
  SlClusterCallStore *self = user_data;
  g_autofree char *key = g_strconcat (KEY_PREFIX, call_id, NULL);
  const char *argv[] = { "DEL", key };

  g_hash_table_remove (self->calls, call_id);
  sl_cluster_command (self->cluster, NULL, NULL, 2, argv, NULL);
}

/* A device's call message for a call no live instance holds. */
typedef struct
{
  SlClusterCallStore *self;
  SlServerConnection *conn;
  SlMessage *msg;
} Resume;

static void
resume_free (Resume * r)
{
  g_object_unref (r->conn);
  sl_message_unref (r->msg);
  g_free (r);
}

/* Redis's answer is input: a set of at most max_members device ids. */
static GPtrArray *
check_members (SlClusterCallStore * self, redisReply * reply)
{
  g_autoptr (GPtrArray) ids = NULL;
  gsize i;

  if (reply == NULL || (reply->type == REDIS_REPLY_ARRAY &&
          reply->elements == 0))
    return NULL;                /* lost link, or no such call */
  if (reply->type != REDIS_REPLY_ARRAY) {
    sl_cluster_refuse (self->cluster, "malformed", "call set: not a set");
    return NULL;
  }
  if (reply->elements > self->max_members) {
    sl_cluster_refuse (self->cluster, "malformed",
        "call set: more members than a call may have");
    return NULL;
  }
  ids = g_ptr_array_new ();
  for (i = 0; i < reply->elements; i++) {
    redisReply *e = reply->element[i];

    if (e->type != REDIS_REPLY_STRING || e->len == 0 || e->len > MAX_ID_LEN
        || strlen (e->str) != e->len || !g_utf8_validate (e->str, e->len,
            NULL)) {
      sl_cluster_refuse (self->cluster, "malformed",
          "call set: not a device id");
      return NULL;
    }
    g_ptr_array_add (ids, e->str);
  }
  return g_steal_pointer (&ids);
}

/* Adopts the call if the sender is one of its participants and every
 * other one is online; whatever happened, the message is then handled
 * (and refused as not-in-call if the call could not be adopted). */
static void
members_cb (redisReply * reply, gpointer user_data)
{
  Resume *r = user_data;
  SlClusterCallStore *self = r->self;
  const char *call_id = sl_message_get_string (r->msg, "call_id");
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GArray) members = NULL;
  SlDeviceInfo from;
  gboolean sender_in = FALSE;
  guint i;

  if (self->router == NULL || sl_server_connection_is_closing (r->conn)) {
    resume_free (r);
    return;
  }
  sl_server_connection_get_info (r->conn, &from);
  ids = check_members (self, reply);
  members = g_array_new (FALSE, TRUE, sizeof (SlDeviceInfo));
  for (i = 0; ids && i < ids->len; i++) {
    const char *id = g_ptr_array_index (ids, i);
    SlDeviceInfo info;

    if (g_str_equal (id, from.device_id)) {
      sender_in = TRUE;
      g_array_append_val (members, from);
    } else if (sl_device_directory_lookup (self->directory, id, &info))
      g_array_append_val (members, info);
  }
  if (sender_in && ids->len == members->len && members->len >= 2 &&
      !sl_call_router_has_call (self->router, call_id)) {
    g_message ("cluster: call %s resumes here (its instance is gone)", call_id);
    sl_call_router_adopt (self->router, call_id,
        (const SlDeviceInfo *) members->data, members->len);
  }
  sl_call_router_handle (self->router, &from, r->msg);
  resume_free (r);
}

/**
 * sl_cluster_call_store_resume:
 * @self: the store
 * @conn: a local device
 * @msg: its call message (not an invite) for a call held on no live
 *   instance known here
 *
 * Looks the call up in Redis, adopts it if @conn's device is in it, and
 * hands @msg to the router.  Asynchronous: other messages go on meanwhile.
 */
void
sl_cluster_call_store_resume (SlClusterCallStore * self,
    SlServerConnection * conn, SlMessage * msg)
{
  g_autofree char *key = NULL;
  const char *argv[] = { "SMEMBERS", NULL };
  Resume *r;

  g_return_if_fail (SL_IS_CLUSTER_CALL_STORE (self));
  key = g_strconcat (KEY_PREFIX, sl_message_get_string (msg, "call_id"), NULL);
  argv[1] = key;
  r = g_new0 (Resume, 1);
  /* No reference: the store holds the cluster, whose link calls back
   * with NULL when the store lets it go in dispose (router cleared). */
  r->self = self;
  r->conn = g_object_ref (conn);
  r->msg = sl_message_ref (msg);
  if (!sl_cluster_command (self->cluster, members_cb, r, 2, argv, NULL))
    members_cb (NULL, r);
}

/**
 * sl_cluster_call_store_new:
 * @cluster: the cluster member (its command link)
 * @router: the router whose active calls are kept
 * @directory: where the participants of an adopted call are found
 * @expiry_s: the cluster's expiry time (the idle timeout)
 * @max_members: the most members a call may have
 *
 * Returns: (transfer full): the store of the calls held here
 */
SlClusterCallStore *
sl_cluster_call_store_new (SlCluster * cluster, SlCallRouter * router,
    SlDeviceDirectory * directory, guint expiry_s, guint max_members)
{
  SlClusterCallStore *self = g_object_new (SL_TYPE_CLUSTER_CALL_STORE, NULL);

  self->cluster = g_object_ref (cluster);
  self->router = g_object_ref (router);
  self->directory = g_object_ref (directory);
  self->expiry_ms = MAX (1, expiry_s) * 1000;
  self->max_members = MAX (2, max_members);
  self->members_id = g_signal_connect (router, "call-members",
      G_CALLBACK (call_members_cb), self);
  self->ended_id = g_signal_connect (router, "call-ended",
      G_CALLBACK (call_ended_cb), self);
  self->renew_id = g_timeout_add (MAX (100, self->expiry_ms / 3), renew_cb,
      self);
  return self;
}

static void
sl_cluster_call_store_dispose (GObject * object)
{
  SlClusterCallStore *self = SL_CLUSTER_CALL_STORE (object);

  g_clear_handle_id (&self->renew_id, g_source_remove);
  if (self->router) {
    g_clear_signal_handler (&self->members_id, self->router);
    g_clear_signal_handler (&self->ended_id, self->router);
  }
  g_clear_object (&self->router);
  g_clear_object (&self->directory);
  g_clear_object (&self->cluster);
  G_OBJECT_CLASS (sl_cluster_call_store_parent_class)->dispose (object);
}

static void
sl_cluster_call_store_finalize (GObject * object)
{
  SlClusterCallStore *self = SL_CLUSTER_CALL_STORE (object);

  g_hash_table_unref (self->calls);
  G_OBJECT_CLASS (sl_cluster_call_store_parent_class)->finalize (object);
}

static void
sl_cluster_call_store_class_init (SlClusterCallStoreClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_cluster_call_store_dispose;
  object_class->finalize = sl_cluster_call_store_finalize;
}

static void
sl_cluster_call_store_init (SlClusterCallStore * self)
{
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_strfreev);
}
