/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Reading the other instances' device hashes (issue 17): a SCAN for the
 * hashes there are (after Redis returns, or at start) and an HGETALL of
 * one.  Every entry is input: parsed against the bus table and accepted
 * only as a "join" of the hash's own instance; anything else is refused
 * and counted.  What to do with the devices is SlCluster's business.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-cluster-hashes.h"
#include "sl-cluster-bus.h"

#include <hiredis/hiredis.h>
#include <string.h>

#define SCAN_COUNT "500"

struct _SlClusterHashes
{
  GObject parent_instance;

  SlCluster *cluster;           /* not a reference: it owns this object */
  SlClusterHashesFound found;
  SlClusterHashesRead read;
  gpointer user_data;
};

G_DEFINE_FINAL_TYPE (SlClusterHashes, sl_cluster_hashes, G_TYPE_OBJECT);

/**
 * sl_cluster_hashes_new:
 * @cluster: the cluster member that owns it (its command link)
 * @found: called for each instance a scan finds
 * @read: called with each hash read
 * @user_data: for @found and @read
 *
 * Returns: (transfer full): the reader
 */
SlClusterHashes *
sl_cluster_hashes_new (SlCluster * cluster, SlClusterHashesFound found,
    SlClusterHashesRead read, gpointer user_data)
{
  SlClusterHashes *self = g_object_new (SL_TYPE_CLUSTER_HASHES, NULL);

  self->cluster = cluster;
  self->found = found;
  self->read = read;
  self->user_data = user_data;
  return self;
}

typedef struct
{
  SlClusterHashes *self;
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
  SlClusterHashes *self = f->self;
  g_autoptr (GPtrArray) joins = NULL;
  gsize i;

  if (reply == NULL || reply->type != REDIS_REPLY_ARRAY) {
    fetch_free (f);
    return;
  }
  joins = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_message_unref);
  for (i = 0; i + 1 < reply->elements; i += 2) {
    redisReply *value = reply->element[i + 1];
    g_autoptr (GError) error = NULL;
    g_autoptr (SlMessage) msg = NULL;

    if (value->type == REDIS_REPLY_STRING)
      msg = sl_protocol_parse (&sl_cluster_bus, value->str, value->len, &error);
    if (msg == NULL || !g_str_equal (sl_message_get_type_name (msg),
            "join") || !g_str_equal (sl_message_get_string (msg,
                "instance"), f->instance)) {
      sl_cluster_refuse (self->cluster, "malformed", error ? error->message :
          "not a join of the hash's instance");
      continue;
    }
    g_ptr_array_add (joins, g_steal_pointer (&msg));
  }
  self->read (f->instance, joins, self->user_data);
  fetch_free (f);
}

/**
 * sl_cluster_hashes_fetch:
 * @self: the reader
 * @instance: another instance
 *
 * Reads @instance's hash; the read function is called with it (not if
 * the link is lost first).
 */
void
sl_cluster_hashes_fetch (SlClusterHashes * self, const char *instance)
{
  g_autofree char *key = g_strconcat (SL_CLUSTER_HASH_PREFIX, instance, NULL);
  const char *argv[] = { "HGETALL", key };
  Fetch *f = g_new0 (Fetch, 1);

  g_return_if_fail (SL_IS_CLUSTER_HASHES (self));
  /* No reference: the links are disposed before this object, and they
   * call back with NULL first. */
  f->self = self;
  f->instance = g_strdup (instance);
  if (!sl_cluster_command (self->cluster, hash_cb, f, 2, argv, NULL))
    fetch_free (f);
}

static void scan_from (SlClusterHashes * self, const char *cursor);

static void
scan_cb (redisReply * reply, gpointer user_data)
{
  SlClusterHashes *self = user_data;
  const char *own = sl_cluster_get_instance (self->cluster);
  redisReply *keys;
  gsize i;

  if (reply == NULL || reply->type != REDIS_REPLY_ARRAY ||
      reply->elements != 2 || reply->element[0]->type != REDIS_REPLY_STRING ||
      reply->element[1]->type != REDIS_REPLY_ARRAY)
    return;
  keys = reply->element[1];
  for (i = 0; i < keys->elements; i++) {
    const char *instance;

    if (keys->element[i]->type != REDIS_REPLY_STRING)
      continue;
    instance = keys->element[i]->str + strlen (SL_CLUSTER_HASH_PREFIX);
    if (strlen (instance) == 0 || strlen (instance) >
        SL_CLUSTER_BUS_MAX_INSTANCE || g_str_equal (instance, own))
      continue;
    self->found (instance, self->user_data);
  }
  if (strcmp (reply->element[0]->str, "0") != 0)
    scan_from (self, reply->element[0]->str);
}

static void
scan_from (SlClusterHashes * self, const char *cursor)
{
  const char *argv[] = { "SCAN", cursor, "MATCH", SL_CLUSTER_HASH_PREFIX "*",
    "COUNT", SCAN_COUNT
  };

  sl_cluster_command (self->cluster, scan_cb, self, 6, argv, NULL);
}

/**
 * sl_cluster_hashes_scan:
 * @self: the reader
 *
 * Finds every other instance's hash; the found function is called for
 * each.
 */
void
sl_cluster_hashes_scan (SlClusterHashes * self)
{
  g_return_if_fail (SL_IS_CLUSTER_HASHES (self));
  scan_from (self, "0");
}

static void
sl_cluster_hashes_class_init (SlClusterHashesClass * klass)
{
}

static void
sl_cluster_hashes_init (SlClusterHashes * self)
{
}
