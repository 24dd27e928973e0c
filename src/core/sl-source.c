/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Timers on the main context of the thread that asks for them.
 * g_timeout_add() and g_source_remove() both mean the global default
 * context: right for the `sightline` command, wrong for sightlinebin,
 * whose engine runs on a thread of its own with its own context while the
 * application runs the default one (gst-launch-1.0 does).  A timer from
 * g_timeout_add() would fire on the application's thread, and removing it
 * by id from the engine's thread finds nothing.  So the engine keeps the
 * GSource itself, attached to its thread-default context, and destroys it
 * (from any thread) when it is no longer wanted.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-source.h"

static GSource *
attach (GSource * source, GSourceFunc func, gpointer data)
{
  g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, context);
  return source;
}

/**
 * sl_timeout_attach:
 * @ms: the interval
 * @func: called every @ms until it returns %G_SOURCE_REMOVE
 * @data: for @func
 *
 * g_timeout_add() on the calling thread's thread-default context.
 *
 * Returns: (transfer full): the source; give it to sl_source_clear()
 */
GSource *
sl_timeout_attach (guint ms, GSourceFunc func, gpointer data)
{
  return attach (g_timeout_source_new (ms), func, data);
}

/**
 * sl_timeout_attach_seconds:
 * @seconds: the interval
 * @func: called every @seconds until it returns %G_SOURCE_REMOVE
 * @data: for @func
 *
 * g_timeout_add_seconds() on the calling thread's thread-default context.
 *
 * Returns: (transfer full): the source; give it to sl_source_clear()
 */
GSource *
sl_timeout_attach_seconds (guint seconds, GSourceFunc func, gpointer data)
{
  return attach (g_timeout_source_new_seconds (seconds), func, data);
}

/**
 * sl_source_clear:
 * @source: (inout) (nullable): a source from sl_timeout_attach(), or %NULL
 *
 * Stops the source (from any thread, also from its own callback) and
 * drops the reference; sets *@source to %NULL.
 */
void
sl_source_clear (GSource ** source)
{
  GSource *s = g_steal_pointer (source);

  if (s == NULL)
    return;
  g_source_destroy (s);
  g_source_unref (s);
}
