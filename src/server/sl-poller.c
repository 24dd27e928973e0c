/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Every device socket in one epoll set, watched by one GSource on the
 * program's only main loop.
 *
 * GLib's main loop visits each of its sources on every iteration and
 * hands every file descriptor to poll(); with ten thousand devices, a
 * source and a descriptor per connection made each iteration cost
 * milliseconds.  Here the loop polls one descriptor.  Sockets are
 * registered edge-triggered once, for reading and writing, and never
 * modified; each edge goes to the socket's SlTlsStream, which wakes the
 * (descriptor-less) sources libsoup waits on.
 *
 * Output is gathered the other way round: a stream that was written to
 * asks to be flushed, and the poller flushes all of them just before the
 * main loop goes back to sleep (in its source's prepare), so the frames
 * one iteration produced for a device leave in one TLS record and one
 * send().
 *
 * A stream that has used its read budget for an iteration (one device
 * flooding) says so; the poller resumes it in the next iteration, after
 * every other ready device has had its turn.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-poller.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_EVENTS 256

typedef struct
{
  GSource source;
  SlPoller *poller;
} PollerSource;

struct _SlPoller
{
  GObject parent_instance;

  int epfd;
  GSource *source;
  GHashTable *streams;          /* SlTlsStream (ref) set: registered */
  GPtrArray *dirty;             /* SlTlsStream, output waiting */
  GPtrArray *throttled;         /* SlTlsStream, to resume next iteration */
  GPtrArray *dead;              /* SlTlsStream (ref): closed, to release */
};

G_DEFINE_FINAL_TYPE (SlPoller, sl_poller, G_TYPE_OBJECT);

/**
 * sl_poller_flush:
 * @self: the poller
 *
 * Sends what every stream has waiting (also done before each sleep of
 * the main loop) and lets go of closed streams.
 */
void
sl_poller_flush (SlPoller * self)
{
  guint i;

  g_return_if_fail (SL_IS_POLLER (self));
  /* A stream on this list is registered or on the dead list: alive. */
  for (i = 0; i < self->dirty->len; i++)
    sl_tls_stream_flush (g_ptr_array_index (self->dirty, i));
  g_ptr_array_set_size (self->dirty, 0);
  /* Released here, never while an epoll batch may still name them. */
  g_ptr_array_set_size (self->dead, 0);
}

static gboolean
poller_prepare (GSource * source, gint * timeout)
{
  SlPoller *self = ((PollerSource *) source)->poller;

  sl_poller_flush (self);
  *timeout = -1;
  /* Throttled streams go on in this iteration's dispatch. */
  return self->throttled->len > 0;
}

static void
resume_throttled (SlPoller * self)
{
  g_autoptr (GPtrArray) batch = NULL;
  guint i;

  if (self->throttled->len == 0)
    return;
  /* Resuming may throttle a stream again: that is for the next round. */
  batch = self->throttled;
  self->throttled = g_ptr_array_new ();
  for (i = 0; i < batch->len; i++) {
    SlTlsStream *stream = g_ptr_array_index (batch, i);

    /* Still registered: closing takes a stream off this list. */
    sl_tls_stream_resume (stream);
  }
}

static gboolean
poller_dispatch (GSource * source, GSourceFunc callback, gpointer user_data)
{
  SlPoller *self = ((PollerSource *) source)->poller;
  struct epoll_event events[MAX_EVENTS];
  int n, i;

  resume_throttled (self);
  do {
    n = epoll_wait (self->epfd, events, MAX_EVENTS, 0);
    if (n < 0 && errno == EINTR)
      continue;
    for (i = 0; i < n; i++) {
      GIOCondition condition = 0;

      if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        condition |= G_IO_IN;
      if (events[i].events & EPOLLOUT)
        condition |= G_IO_OUT;
      sl_tls_stream_io_ready (events[i].data.ptr, condition);
    }
  } while (n == MAX_EVENTS);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs poller_funcs = {
  poller_prepare, NULL, poller_dispatch, NULL, NULL, NULL
};

static void
watch_cb (SlTlsStream * stream, SlTlsStreamEvent event, gpointer user_data)
{
  SlPoller *self = user_data;

  if (event == SL_TLS_STREAM_EVENT_FLUSH) {
    g_ptr_array_add (self->dirty, stream);
    return;
  }
  if (event == SL_TLS_STREAM_EVENT_THROTTLED) {
    g_ptr_array_add (self->throttled, stream);
    return;
  }
  /* Closing: the descriptor is about to go. */
  epoll_ctl (self->epfd, EPOLL_CTL_DEL, sl_tls_stream_get_fd (stream), NULL);
  sl_tls_stream_set_watch (stream, NULL, NULL);
  g_ptr_array_remove_fast (self->throttled, stream);
  if (g_hash_table_steal (self->streams, stream))
    g_ptr_array_add (self->dead, stream);
}

/**
 * sl_poller_new:
 * @error: return location for a G_IO_ERROR
 *
 * Makes the epoll set and attaches its source to the thread-default main
 * context.
 *
 * Returns: (transfer full) (nullable): the poller
 */
SlPoller *
sl_poller_new (GError ** error)
{
  g_autoptr (SlPoller) self = g_object_new (SL_TYPE_POLLER, NULL);

  self->epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (self->epfd < 0) {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
        "epoll_create1: %s", g_strerror (saved));
    return NULL;
  }
  self->source = g_source_new (&poller_funcs, sizeof (PollerSource));
  ((PollerSource *) self->source)->poller = self;
  g_source_set_static_name (self->source, "SlPoller");
  /* The same priority as libsoup's sources: GLib dispatches nothing of a
   * lower priority in an iteration where a higher one is ready, and with
   * one device flooding, the epoll set is ready in nearly every
   * iteration.  Its prepare (the flush) still runs before every sleep:
   * the loop sleeps only when no source was ready, and then it has
   * prepared them all. */
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT);
  g_source_add_unix_fd (self->source, self->epfd, G_IO_IN);
  g_source_attach (self->source, g_main_context_get_thread_default ());
  return g_steal_pointer (&self);
}

/**
 * sl_poller_add:
 * @self: the poller
 * @stream: a stream whose socket has just been accepted
 *
 * Watches the stream's socket until the stream closes; the poller holds a
 * reference until then.
 */
void
sl_poller_add (SlPoller * self, SlTlsStream * stream)
{
  struct epoll_event ev = { 0 };

  g_return_if_fail (SL_IS_POLLER (self));
  g_return_if_fail (SL_IS_TLS_STREAM (stream));

  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.ptr = stream;
  if (epoll_ctl (self->epfd, EPOLL_CTL_ADD, sl_tls_stream_get_fd (stream),
          &ev) < 0) {
    /* Only ENOMEM/ENOSPC can happen here: the stream then never becomes
     * ready and its handshake times out like a silent client's. */
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
        "EVENT", "epoll-failed", "MESSAGE", "cannot watch a socket: %s",
        g_strerror (errno));
    return;
  }
  g_hash_table_add (self->streams, g_object_ref (stream));
  sl_tls_stream_set_watch (stream, watch_cb, self);
}

/**
 * sl_poller_get_size:
 * @self: the poller
 *
 * Returns: the number of sockets watched
 */
guint
sl_poller_get_size (SlPoller * self)
{
  g_return_val_if_fail (SL_IS_POLLER (self), 0);
  return g_hash_table_size (self->streams);
}

static void
sl_poller_dispose (GObject * object)
{
  SlPoller *self = SL_POLLER (object);

  if (self->source) {
    g_source_destroy (self->source);
    g_clear_pointer (&self->source, g_source_unref);
  }
  if (self->streams) {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->streams);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      sl_tls_stream_set_watch (key, NULL, NULL);
    g_hash_table_remove_all (self->streams);
  }
  if (self->dirty)
    g_ptr_array_set_size (self->dirty, 0);
  if (self->throttled)
    g_ptr_array_set_size (self->throttled, 0);
  if (self->dead)
    g_ptr_array_set_size (self->dead, 0);
  G_OBJECT_CLASS (sl_poller_parent_class)->dispose (object);
}

static void
sl_poller_finalize (GObject * object)
{
  SlPoller *self = SL_POLLER (object);

  if (self->epfd >= 0)
    close (self->epfd);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->dirty, g_ptr_array_unref);
  g_clear_pointer (&self->throttled, g_ptr_array_unref);
  g_clear_pointer (&self->dead, g_ptr_array_unref);
  G_OBJECT_CLASS (sl_poller_parent_class)->finalize (object);
}

static void
sl_poller_class_init (SlPollerClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_poller_dispose;
  object_class->finalize = sl_poller_finalize;
}

static void
sl_poller_init (SlPoller * self)
{
  self->epfd = -1;
  self->streams = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->dirty = g_ptr_array_new ();
  self->throttled = g_ptr_array_new ();
  self->dead = g_ptr_array_new_with_free_func (g_object_unref);
}
