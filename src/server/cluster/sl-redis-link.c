/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One connection to Redis, driven by the GLib main loop: hiredis's async
 * API on a GSource of our own watching its socket (hiredis 0.14's
 * adapters/glib.h would touch the context after a write error has freed
 * it).  Nothing here blocks: host names are resolved with GResolver, the
 * connect is non-blocking, and a connection that does not come up in time
 * is dropped.  A lost connection is retried with a growing delay (with
 * jitter, so instances do not all knock at once when Redis returns).
 *
 * The link is "up" once Redis has answered the login (AUTH) or a PING:
 * only then may callers count on it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-redis-link.h"

#include <hiredis/hiredis.h>
#include <string.h>

#define CONNECT_TIMEOUT_MS 3000
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 1000

/* --- the GSource ---------------------------------------------------------- */

typedef struct
{
  GSource source;
  redisAsyncContext *ac;        /* NULL once hiredis has cleaned up */
  gpointer tag;
  GIOCondition events;
} RedisSource;

static void
source_update (RedisSource * s)
{
  if (s->tag)
    g_source_modify_unix_fd ((GSource *) s, s->tag, s->events);
}

static void
ev_add_read (void *data)
{
  RedisSource *s = data;

  s->events |= G_IO_IN;
  source_update (s);
}

static void
ev_del_read (void *data)
{
  RedisSource *s = data;

  s->events &= ~G_IO_IN;
  source_update (s);
}

static void
ev_add_write (void *data)
{
  RedisSource *s = data;

  s->events |= G_IO_OUT;
  source_update (s);
}

static void
ev_del_write (void *data)
{
  RedisSource *s = data;

  s->events &= ~G_IO_OUT;
  source_update (s);
}

/* hiredis is freeing the context: stop watching, forget it. */
static void
ev_cleanup (void *data)
{
  RedisSource *s = data;

  if (s->tag)
    g_source_remove_unix_fd ((GSource *) s, s->tag);
  s->tag = NULL;
  s->ac = NULL;
  g_source_destroy ((GSource *) s);
}

static gboolean
source_dispatch (GSource * source, GSourceFunc callback, gpointer user_data)
{
  RedisSource *s = (RedisSource *) source;
  GIOCondition got;

  if (s->tag == NULL)
    return G_SOURCE_REMOVE;
  got = g_source_query_unix_fd (source, s->tag);
  /* An error or hang-up is reported to whichever handler is armed. */
  if (got & (G_IO_ERR | G_IO_HUP))
    got |= s->events;
  if ((got & G_IO_OUT) && s->ac)
    redisAsyncHandleWrite (s->ac);
  /* The write may have failed and freed the context. */
  if ((got & G_IO_IN) && s->ac)
    redisAsyncHandleRead (s->ac);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs source_funcs = {
  .dispatch = source_dispatch,
};

static void
source_attach (redisAsyncContext * ac)
{
  RedisSource *s = (RedisSource *) g_source_new (&source_funcs,
      sizeof (RedisSource));

  s->ac = ac;
  s->tag = g_source_add_unix_fd ((GSource *) s, ac->c.fd, 0);
  ac->ev.addRead = ev_add_read;
  ac->ev.delRead = ev_del_read;
  ac->ev.addWrite = ev_add_write;
  ac->ev.delWrite = ev_del_write;
  ac->ev.cleanup = ev_cleanup;
  ac->ev.data = s;
  g_source_set_name ((GSource *) s, "redis");
  g_source_attach ((GSource *) s, NULL);
  /* The context holds the reference from now on; cleanup destroys it. */
  g_source_unref ((GSource *) s);
}

/* --- the link ------------------------------------------------------------- */

struct _SlRedisLink
{
  GObject parent_instance;

  const SlClusterConfig *config;
  char *name;
  redisAsyncContext *ac;
  gboolean up;
  gboolean disposing;
  guint backoff_ms;
  guint retry_id;
  guint connect_timeout_id;
  GCancellable *resolving;
};

enum
{
  SIGNAL_UP,
  SIGNAL_DOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlRedisLink, sl_redis_link, G_TYPE_OBJECT);

typedef struct
{
  SlRedisLink *link;            /* no ref: the link frees the context first */
  SlRedisReplyFunc func;
  gpointer data;
  gboolean persistent;
} Pending;

static void connect_now (SlRedisLink * self, const char *ip);

static void
reply_cb (redisAsyncContext * ac, void *r, void *privdata)
{
  Pending *p = privdata;

  /* Called with NULL too when the link is disposed, so that callers free
   * what they passed without holding a reference on their owner. */
  p->func (r, p->data);
  if (r == NULL || !p->persistent)
    g_free (p);
}

static gboolean
retry_cb (gpointer user_data)
{
  SlRedisLink *self = user_data;

  self->retry_id = 0;
  sl_redis_link_start (self);
  return G_SOURCE_REMOVE;
}

/* The connection is gone (hiredis has freed it or is about to). */
static void
lost (SlRedisLink * self, const char *why)
{
  gboolean was_up = self->up;

  self->ac = NULL;
  self->up = FALSE;
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  if (self->disposing)
    return;
  if (was_up || self->backoff_ms == BACKOFF_MIN_MS)
    g_warning ("cluster: Redis connection (%s) lost: %s; retrying",
        self->name, why);
  self->retry_id = g_timeout_add (self->backoff_ms +
      g_random_int_range (0, self->backoff_ms / 2 + 1), retry_cb, self);
  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
  if (was_up)
    g_signal_emit (self, signals[SIGNAL_DOWN], 0);
}

static void
connect_cb (const redisAsyncContext * ac, int status)
{
  SlRedisLink *self = ac->data;

  if (status != REDIS_OK)
    lost (self, ac->errstr[0] ? ac->errstr : "cannot connect");
}

static void
disconnect_cb (const redisAsyncContext * ac, int status)
{
  SlRedisLink *self = ac->data;

  lost (self, status == REDIS_OK ? "closed" :
      (ac->errstr[0] ? ac->errstr : "connection error"));
}

static void
hello_cb (redisReply * reply, gpointer user_data)
{
  SlRedisLink *self = user_data;

  if (reply == NULL)
    return;
  if (reply->type == REDIS_REPLY_ERROR) {
    /* A wrong password or user: log it plainly (not the password) and
     * keep retrying, slowly, so fixing Redis's side is enough. */
    g_warning ("cluster: Redis (%s) refused the login: %s", self->name,
        reply->str);
    self->backoff_ms = BACKOFF_MAX_MS;
    redisAsyncDisconnect (self->ac);
    return;
  }
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  self->up = TRUE;
  self->backoff_ms = BACKOFF_MIN_MS;
  g_message ("cluster: Redis connection (%s) up", self->name);
  g_signal_emit (self, signals[SIGNAL_UP], 0);
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  SlRedisLink *self = user_data;
  redisAsyncContext *ac = self->ac;

  self->connect_timeout_id = 0;
  if (ac) {
    /* Free it ourselves: hiredis reports no disconnect for a context
     * that never connected. */
    self->ac = NULL;
    ac->onDisconnect = NULL;
    redisAsyncFree (ac);
    lost (self, "timed out");
  }
  return G_SOURCE_REMOVE;
}

static void
login (SlRedisLink * self)
{
  const SlClusterConfig *c = self->config;
  const char *argv[3] = { "AUTH", NULL, NULL };
  int argc = 1;

  if (c->password == NULL) {
    argv[0] = "PING";
  } else {
    if (c->user)
      argv[argc++] = c->user;
    argv[argc++] = c->password;
  }
  /* Before any caller's command: Redis answers in order. */
  sl_redis_link_command (self, hello_cb, self, argc, argv, NULL);
}

static void
connect_now (SlRedisLink * self, const char *ip)
{
  redisAsyncContext *ac = ip ? redisAsyncConnect (ip, self->config->port) :
      redisAsyncConnectUnix (self->config->unix_path);

  if (ac == NULL || ac->err) {
    g_autofree char *why = g_strdup (ac ? ac->errstr : "out of memory");

    if (ac)
      redisAsyncFree (ac);
    lost (self, why);
    return;
  }
  ac->data = self;
  self->ac = ac;
  source_attach (ac);
  redisAsyncSetConnectCallback (ac, connect_cb);
  redisAsyncSetDisconnectCallback (ac, disconnect_cb);
  self->connect_timeout_id = g_timeout_add (CONNECT_TIMEOUT_MS,
      connect_timeout_cb, self);
  login (self);
}

static void
resolved_cb (GObject * source, GAsyncResult * result, gpointer user_data)
{
  g_autoptr (SlRedisLink) self = user_data;
  g_autoptr (GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source),
      result, &error);
  g_autofree char *ip = NULL;

  g_clear_object (&self->resolving);
  if (addresses == NULL) {
    if (!self->disposing)
      lost (self, error->message);
    return;
  }
  ip = g_inet_address_to_string (addresses->data);
  g_resolver_free_addresses (addresses);
  connect_now (self, ip);
}

/**
 * sl_redis_link_new:
 * @config: where Redis is; must outlive the link
 * @name: what the link is for, in logs
 *
 * Returns: (transfer full): a link, not yet connecting
 */
SlRedisLink *
sl_redis_link_new (const SlClusterConfig * config, const char *name)
{
  SlRedisLink *self = g_object_new (SL_TYPE_REDIS_LINK, NULL);

  self->config = config;
  self->name = g_strdup (name);
  return self;
}

/**
 * sl_redis_link_start:
 * @self: a link
 *
 * Starts connecting (again); returns at once.  The "up" signal follows
 * when Redis has answered.
 */
void
sl_redis_link_start (SlRedisLink * self)
{
  g_autoptr (GInetAddress) literal = NULL;
  g_autoptr (GResolver) resolver = NULL;

  g_return_if_fail (SL_IS_REDIS_LINK (self));
  if (self->ac || self->resolving || self->retry_id)
    return;
  if (self->config->unix_path) {
    connect_now (self, NULL);
    return;
  }
  literal = g_inet_address_new_from_string (self->config->host);
  if (literal) {
    connect_now (self, self->config->host);
    return;
  }
  resolver = g_resolver_get_default ();
  self->resolving = g_cancellable_new ();
  g_resolver_lookup_by_name_async (resolver, self->config->host,
      self->resolving, resolved_cb, g_object_ref (self));
}

gboolean
sl_redis_link_is_up (SlRedisLink * self)
{
  g_return_val_if_fail (SL_IS_REDIS_LINK (self), FALSE);
  return self->up;
}

/**
 * sl_redis_link_command:
 * @self: a link
 * @func: (nullable): called with the reply
 * @user_data: for @func; must live until @func has had its %NULL reply
 *   or its only reply
 * @argc: number of arguments
 * @argv: the command and its arguments
 * @argvlen: (nullable): their lengths; %NULL: NUL-terminated strings
 *
 * Queues a command; a SUBSCRIBE names exactly one channel.
 *
 * Returns: whether it was queued (%FALSE: not connected)
 */
gboolean
sl_redis_link_command (SlRedisLink * self, SlRedisReplyFunc func,
    gpointer user_data, int argc, const char **argv, const size_t *argvlen)
{
  Pending *p = NULL;

  g_return_val_if_fail (SL_IS_REDIS_LINK (self), FALSE);
  if (self->ac == NULL)
    return FALSE;
  if (func) {
    p = g_new0 (Pending, 1);
    p->link = self;
    p->func = func;
    p->data = user_data;
    p->persistent = g_ascii_strcasecmp (argv[0], "SUBSCRIBE") == 0;
  }
  if (redisAsyncCommandArgv (self->ac, func ? reply_cb : NULL, p, argc, argv,
          argvlen) != REDIS_OK) {
    g_free (p);
    return FALSE;
  }
  return TRUE;
}

static void
sl_redis_link_dispose (GObject * object)
{
  SlRedisLink *self = SL_REDIS_LINK (object);

  self->disposing = TRUE;
  if (self->resolving)
    g_cancellable_cancel (self->resolving);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  if (self->ac) {
    redisAsyncContext *ac = g_steal_pointer (&self->ac);

    ac->onDisconnect = NULL;
    redisAsyncFree (ac);
  }
  G_OBJECT_CLASS (sl_redis_link_parent_class)->dispose (object);
}

static void
sl_redis_link_finalize (GObject * object)
{
  SlRedisLink *self = SL_REDIS_LINK (object);

  g_free (self->name);
  G_OBJECT_CLASS (sl_redis_link_parent_class)->finalize (object);
}

static void
sl_redis_link_class_init (SlRedisLinkClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_redis_link_dispose;
  object_class->finalize = sl_redis_link_finalize;

  /**
   * SlRedisLink::up:
   *
   * Redis answered the login: commands may be sent.
   */
  signals[SIGNAL_UP] = g_signal_new ("up", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * SlRedisLink::down:
   *
   * The connection that was up is lost; the link is reconnecting.
   */
  signals[SIGNAL_DOWN] = g_signal_new ("down", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sl_redis_link_init (SlRedisLink * self)
{
  self->backoff_ms = BACKOFF_MIN_MS;
}
