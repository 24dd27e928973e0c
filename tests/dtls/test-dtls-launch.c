/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The DTLS tuning for gst-launch-1.0 users, with gst-launch-1.0 itself: a
 * DTLS handshake between two dtlsenc/dtlsdec pairs, and the largest
 * datagram GStreamer's BIO wrote (its own log, "BIO: writing N"), with
 *   - nothing of ours: GStreamer 1.22's 256-byte MTU;
 *   - a plugin that calls sl_dtls_tuning_install() (tests/dtls/
 *     gstsltunetest.c) loaded before the dtls plugin: tuned;
 *   - the same plugin loaded after it: not tuned, and the plugin says so;
 *   - that order with LD_PRELOAD=libsightline-dtls.so: tuned;
 *   - libssl preloaded (as in a program that links it): not tuned, and
 *     the plugin says so.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#define DEADLINE_S 30
#define MTU 1200
/* GStreamer 1.22 alone writes nothing larger (278 bytes seen); tuned
 * flights fill 1200. */
#define STOCK_DATAGRAM_MAX 400

/* The client's dtlsenc is upstream of the server's, so gst-launch starts
 * the server first (a ClientHello reaching a server not yet started fails
 * the connection); application data, of which there is none, would flow
 * on to the fakesink. */
#define DTLS_CHAIN \
  "dtlsenc connection-id=c is-client=true ! dtlsdec connection-id=s ! " \
  "dtlsenc connection-id=s ! dtlsdec connection-id=c ! fakesink"

typedef struct
{
  GMainLoop *loop;
  GSubprocess *process;
  GDataInputStream *err;
  GString *log;
  guint completed;
  guint largest;
  gboolean timed_out;
} Run;

static void read_next (Run * run);

static void
on_line (GObject * source, GAsyncResult * result, gpointer data)
{
  Run *run = data;
  g_autofree char *line = g_data_input_stream_read_line_finish (run->err,
      result, NULL, NULL);
  const char *at;

  if (line == NULL) {
    g_main_loop_quit (run->loop);
    return;
  }
  g_string_append_printf (run->log, "%s\n", line);
  at = strstr (line, "BIO: writing ");
  if (at != NULL)
    run->largest = MAX (run->largest,
        (guint) atoi (at + strlen ("BIO: writing ")));
  /* Both connections' keys exported: the handshake is over. */
  if (strstr (line, "handshake just completed") != NULL
      && ++run->completed == 2)
    g_subprocess_force_exit (run->process);
  read_next (run);
}

static void
read_next (Run * run)
{
  g_data_input_stream_read_line_async (run->err, G_PRIORITY_DEFAULT, NULL,
      on_line, run);
}

static gboolean
on_deadline (gpointer data)
{
  Run *run = data;

  run->timed_out = TRUE;
  g_subprocess_force_exit (run->process);
  return G_SOURCE_REMOVE;
}

/* Runs gst-launch-1.0 DESCRIPTION, with PRELOAD (nullable) preloaded,
 * until both connections complete their handshake; returns its standard
 * error. */
static char *
launch (const char *description, const char *preload, guint * largest)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE |
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL;
  g_autofree char *command = g_strdup_printf ("gst-launch-1.0 %s", description);
  const char *sanitizer = g_getenv ("SL_SANITIZER_PRELOAD");
  GString *ld_preload = g_string_new (sanitizer ? sanitizer : "");
  Run run = { 0 };
  guint timeout;

  if (preload != NULL)
    g_string_append_printf (ld_preload, "%s%s", ld_preload->len ? ":" : "",
        preload);
  if (ld_preload->len)
    g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", ld_preload->str,
        TRUE);
  g_string_free (ld_preload, TRUE);
  g_subprocess_launcher_setenv (launcher, "GST_DEBUG", "dtlsconnection:6",
      TRUE);
  g_subprocess_launcher_setenv (launcher, "GST_DEBUG_NO_COLOR", "1", TRUE);
  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  g_test_message ("%s%s%s%s", preload ? "LD_PRELOAD=" : "",
      preload ? preload : "", preload ? " " : "", command);

  run.process = g_subprocess_launcher_spawnv (launcher,
      (const char *const *) argv, &error);
  g_assert_no_error (error);
  run.loop = g_main_loop_new (NULL, FALSE);
  run.log = g_string_new (NULL);
  run.err = g_data_input_stream_new (g_subprocess_get_stderr_pipe
      (run.process));
  timeout = g_timeout_add_seconds (DEADLINE_S, on_deadline, &run);
  read_next (&run);
  g_main_loop_run (run.loop);
  if (!run.timed_out)
    g_source_remove (timeout);
  g_subprocess_wait (run.process, NULL, NULL);

  g_object_unref (run.err);
  g_object_unref (run.process);
  g_main_loop_unref (run.loop);
  if (run.timed_out || run.completed < 2)
    g_error ("no DTLS handshake within %d s: %s", DEADLINE_S, run.log->str);
  g_test_message ("largest datagram: %u bytes", run.largest);
  *largest = run.largest;
  return g_string_free (run.log, FALSE);
}

static void
test_stock (void)
{
  guint largest;
  g_autofree char *log = launch (DTLS_CHAIN, NULL, &largest);

  g_assert_cmpuint (largest, >, 0);
  g_assert_cmpuint (largest, <=, STOCK_DATAGRAM_MAX);
}

static void
test_plugin_first (void)
{
  guint largest;
  g_autofree char *log = launch ("sltunetest " DTLS_CHAIN, NULL, &largest);

  g_assert_cmpuint (largest, >, STOCK_DATAGRAM_MAX);
  g_assert_cmpuint (largest, <=, MTU);
  g_assert_null (strstr (log, "sltunetest:"));
}

/* RTLD_NOW: the dtls plugin bound SSL_new when it was loaded. */
static void
test_plugin_late (void)
{
  guint largest;
  g_autofree char *log = launch (DTLS_CHAIN " sltunetest", NULL, &largest);

  g_assert_cmpuint (largest, <=, STOCK_DATAGRAM_MAX);
  g_assert_nonnull (strstr (log, "sltunetest: GStreamer's dtls plugin was "
          "loaded before"));
  g_assert_nonnull (strstr (log, "LD_PRELOAD=libsightline-dtls.so"));
}

static void
test_preload (void)
{
  guint largest;
  g_autofree char *log = launch (DTLS_CHAIN " sltunetest",
      g_getenv ("SL_DTLS_PRELOAD"), &largest);

  g_assert_cmpuint (largest, >, STOCK_DATAGRAM_MAX);
  g_assert_cmpuint (largest, <=, MTU);
  g_assert_null (strstr (log, "sltunetest:"));
}

/* libssl in the global scope before the plugin (a program linking it):
 * the promotion cannot put the plugin's SSL_new first, and it says so. */
static void
test_libssl_first (void)
{
  guint largest;
  g_autofree char *log = launch ("sltunetest " DTLS_CHAIN, "libssl.so.3",
      &largest);

  g_assert_cmpuint (largest, <=, STOCK_DATAGRAM_MAX);
  g_assert_nonnull (strstr (log, "sltunetest: Another SSL_new comes first"));
}

/* A registry rebuilt within gst-launch-1.0 (when its scanner helper
 * fails) loads every plugin, ours first: the order each scenario sets up
 * would not hold.  One gst-inspect-1.0 run brings the registry up to date
 * first. */
static void
update_registry (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) inspect = NULL;
  const char *sanitizer = g_getenv ("SL_SANITIZER_PRELOAD");
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

  if (sanitizer != NULL)
    g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", sanitizer, TRUE);
  inspect = g_subprocess_launcher_spawn (launcher, &error, "gst-inspect-1.0",
      "sltunetest", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (inspect, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("SL_DTLS_PRELOAD"));
  update_registry ();

  g_test_add_func ("/dtls-launch/stock", test_stock);
  g_test_add_func ("/dtls-launch/plugin-first", test_plugin_first);
  g_test_add_func ("/dtls-launch/plugin-late", test_plugin_late);
  g_test_add_func ("/dtls-launch/preload", test_preload);
  g_test_add_func ("/dtls-launch/libssl-first", test_libssl_first);
  return g_test_run ();
}
