/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Keeps GStreamer's DTLS connections from being finalized in the system
 * clock's thread while the elements that use them are being disposed.
 *
 * In GStreamer 1.22 dtlsdec owns a GstDtlsConnection, and dtlsenc and
 * dtlsdec hang on its signals with g_signal_connect_object().  Every DTLS
 * retransmission timer is an asynchronous GstClock wait holding a
 * reference to the connection until it fires: a second after the last
 * handshake flight, longer after retransmissions.  A call that ends within
 * that time disposes its elements on the main thread while the clock thread
 * may drop the connection's last reference.  dtlsdec drops its own
 * reference before its closures are invalidated, so the connection's
 * finalize (which removes its handlers) can run alongside the element's
 * closure invalidation (which removes the same handlers), and GLib aborts
 * in invalid_closure_notify ("handler != NULL"): CI saw it once, in the
 * twenty-call test under AddressSanitizer.
 *
 * The guard is an in-process tracer: it takes a reference on each DTLS
 * connection as it is created and lets go of all of them once no DTLS
 * element is left, on the thread that finalized the last one.  A connection
 * is then finalized there, after every element's closures are gone, or
 * later on the clock thread with no element left to race with.  Calls come
 * one at a time, so a connection outlives its call by no more than the
 * teardown of its own pipeline.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-dtls-guard.h"

struct _SlDtlsGuard
{
  GstTracer parent;

  GMutex lock;
  /* The dtlsenc and dtlsdec elements alive, not owned. */
  GHashTable *elements;
  /* References on their connections. */
  GPtrArray *connections;
};

G_DEFINE_TYPE (SlDtlsGuard, sl_dtls_guard, GST_TYPE_TRACER);

static SlDtlsGuard *the_guard;

static void
on_object_created (SlDtlsGuard * self, GstClockTime ts, GstObject * object)
{
  const char *type = G_OBJECT_TYPE_NAME (object);

  if (g_str_equal (type, "GstDtlsEnc") || g_str_equal (type, "GstDtlsDec")) {
    g_mutex_lock (&self->lock);
    g_hash_table_add (self->elements, object);
    g_mutex_unlock (&self->lock);
  } else if (g_str_equal (type, "GstDtlsConnection")) {
    g_mutex_lock (&self->lock);
    /* Its dtlsdec predates the guard otherwise: nothing to wait for. */
    if (g_hash_table_size (self->elements) > 0)
      g_ptr_array_add (self->connections, gst_object_ref (object));
    g_mutex_unlock (&self->lock);
  }
}

static void
on_object_destroyed (SlDtlsGuard * self, GstClockTime ts, GstObject * object)
{
  g_autoptr (GPtrArray) release = NULL;

  g_mutex_lock (&self->lock);
  if (g_hash_table_remove (self->elements, object)
      && g_hash_table_size (self->elements) == 0 && self->connections->len > 0) {
    release = g_steal_pointer (&self->connections);
    self->connections = g_ptr_array_new_with_free_func (gst_object_unref);
  }
  g_mutex_unlock (&self->lock);
  /* Unlocked: a connection finalized here comes back through this hook. */
}

static void
sl_dtls_guard_finalize (GObject * object)
{
  SlDtlsGuard *self = SL_DTLS_GUARD (object);

  g_ptr_array_unref (self->connections);
  g_hash_table_unref (self->elements);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sl_dtls_guard_parent_class)->finalize (object);
}

static void
sl_dtls_guard_class_init (SlDtlsGuardClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_dtls_guard_finalize;
}

static void
sl_dtls_guard_init (SlDtlsGuard * self)
{
  g_mutex_init (&self->lock);
  self->elements = g_hash_table_new (NULL, NULL);
  self->connections = g_ptr_array_new_with_free_func (gst_object_unref);
}

/**
 * sl_dtls_guard_install:
 *
 * Installs the guard once per process.  GStreamer reads its tracer hooks
 * without a lock, so call this right after gst_init(), before any
 * pipeline runs; a session installs it too, for programs that did not.
 */
void
sl_dtls_guard_install (void)
{
  static gsize done;

  if (g_once_init_enter (&done)) {
    the_guard = g_object_new (SL_TYPE_DTLS_GUARD, NULL);
    gst_object_ref_sink (the_guard);
    gst_tracing_register_hook (GST_TRACER (the_guard), "object-created",
        G_CALLBACK (on_object_created));
    gst_tracing_register_hook (GST_TRACER (the_guard), "object-destroyed",
        G_CALLBACK (on_object_destroyed));
    g_once_init_leave (&done, 1);
  }
}

/**
 * sl_dtls_guard_get_held:
 *
 * Returns: how many DTLS connections the guard holds now (for tests)
 */
guint
sl_dtls_guard_get_held (void)
{
  guint n;

  if (the_guard == NULL)
    return 0;
  g_mutex_lock (&the_guard->lock);
  n = the_guard->connections->len;
  g_mutex_unlock (&the_guard->lock);
  return n;
}
