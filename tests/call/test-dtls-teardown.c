/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * GStreamer 1.22's DTLS connection must not be finalized on another thread
 * while its dtlsdec is being disposed (src/client/sl-dtls-guard.c says
 * why).  Here a second thread plays the system clock's part: it holds the
 * connection, as a pending DTLS retransmission timer does, and lets go of
 * it just as the main thread lets go of the element.  Without the guard
 * GLib aborts in invalid_closure_notify: in 10 of 10 runs of the plain
 * build, 3 of 5 under AddressSanitizer.  With it every round passes and
 * no connection is left behind.
 */

#include "config.h"

#include <gst/gst.h>

#include "sightline/sl-dtls-guard.h"

#define ROUNDS 4000

/* The test's own tracer, to get at the connections dtlsdec makes. */
typedef struct
{
  GstTracer parent;
} TestSpy;

typedef struct
{
  GstTracerClass parent_class;
} TestSpyClass;

static GType test_spy_get_type (void);

G_DEFINE_TYPE (TestSpy, test_spy, GST_TYPE_TRACER);

static GstObject *seen_connection;

static void
on_created (TestSpy * spy, GstClockTime ts, GstObject * object)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (object), "GstDtlsConnection"))
    g_atomic_pointer_set (&seen_connection, gst_object_ref (object));
}

static void
test_spy_class_init (TestSpyClass * klass)
{
}

static void
test_spy_init (TestSpy * spy)
{
  gst_tracing_register_hook (GST_TRACER (spy), "object-created",
      G_CALLBACK (on_created));
}

typedef struct
{
  GstObject *connection;
  gint arrived;
  guint delay;
} Round;

static void
meet (Round * r)
{
  g_atomic_int_inc (&r->arrived);
  while (g_atomic_int_get (&r->arrived) < 2) {
    /* spin: both sides must go at once */
  }
}

/* The "clock thread": its unref lands while the element is disposed. */
static gpointer
clock_thread (gpointer data)
{
  Round *r = data;
  volatile guint i;

  meet (r);
  for (i = 0; i < r->delay; i++) {
    /* spread the unref over the element's dispose */
  }
  gst_object_unref (r->connection);
  return NULL;
}

static void
on_finalized (gpointer data, GObject * where_the_object_was)
{
  g_atomic_int_inc ((gint *) data);
}

static void
test_teardown_race (void)
{
  gint finalized = 0;
  guint i;

  for (i = 0; i < ROUNDS; i++) {
    g_autofree char *id = g_strdup_printf ("teardown-%u", i);
    GstElement *dec = gst_element_factory_make ("dtlsdec", NULL);
    /* Delays over four orders of magnitude: the window moves with the
     * build (AddressSanitizer) and the machine. */
    guint span = 1u << g_random_int_range (4, 18);
    Round r = { NULL, 0, g_random_int_range (0, span) };
    GThread *thread;

    g_assert_nonnull (dec);
    gst_object_ref_sink (dec);
    /* Makes the connection; READY connects dtlsdec to its signals. */
    g_object_set (dec, "connection-id", id, NULL);
    r.connection = g_atomic_pointer_exchange (&seen_connection, NULL);
    g_assert_nonnull (r.connection);
    g_object_weak_ref (G_OBJECT (r.connection), on_finalized, &finalized);
    g_assert_cmpint (gst_element_set_state (dec, GST_STATE_READY), ==,
        GST_STATE_CHANGE_SUCCESS);
    g_assert_cmpint (gst_element_set_state (dec, GST_STATE_NULL), ==,
        GST_STATE_CHANGE_SUCCESS);

    thread = g_thread_new ("clock", clock_thread, &r);
    meet (&r);
    gst_object_unref (dec);
    g_thread_join (thread);
  }
  /* Every connection is gone once its element is: no key material kept. */
  g_assert_cmpint (g_atomic_int_get (&finalized), ==, ROUNDS);
  g_assert_cmpuint (sl_dtls_guard_get_held (), ==, 0);
}

/* The guard lets go only when no DTLS element is left. */
static void
test_held_until_elements_gone (void)
{
  GstElement *a = gst_object_ref_sink (gst_element_factory_make ("dtlsdec",
          NULL));
  GstElement *b = gst_object_ref_sink (gst_element_factory_make ("dtlsdec",
          NULL));
  GstObject *conn;
  gint finalized = 0;

  g_object_set (a, "connection-id", "held-a", NULL);
  conn = g_atomic_pointer_exchange (&seen_connection, NULL);
  g_object_weak_ref (G_OBJECT (conn), on_finalized, &finalized);
  gst_object_unref (conn);
  g_assert_cmpuint (sl_dtls_guard_get_held (), ==, 1);

  gst_object_unref (a);
  /* b is still alive: a's connection is still held. */
  g_assert_cmpint (finalized, ==, 0);
  g_assert_cmpuint (sl_dtls_guard_get_held (), ==, 1);

  gst_object_unref (b);
  g_assert_cmpint (finalized, ==, 1);
  g_assert_cmpuint (sl_dtls_guard_get_held (), ==, 0);
}

int
main (int argc, char **argv)
{
  GstTracer *spy;
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  sl_dtls_guard_install ();
  spy = g_object_ref_sink (g_object_new (test_spy_get_type (), NULL));

  g_test_add_func ("/dtls/teardown-race", test_teardown_race);
  g_test_add_func ("/dtls/held-until-elements-gone",
      test_held_until_elements_gone);
  ret = g_test_run ();
  gst_object_unref (spy);
  gst_deinit ();
  return ret;
}
