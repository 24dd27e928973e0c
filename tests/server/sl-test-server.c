/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Starts the real server with "--port 0 --admin-port 0 --ready-fd 1" and
 * reads the "READY port=P admin_port=A" line it prints once listening.
 * Its log (standard error) goes to a file in the PKI folder so tests can
 * scan it.  Waits iterate the default main context, so clients in the
 * test keep working meanwhile.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-test-server.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct _SlTestServer
{
  GObject parent_instance;

  GSubprocess *proc;
  GCancellable *cancellable;
  char *log_path;
  guint16 port;
  guint16 admin_port;
  gboolean exited;
  int exit_status;
};

G_DEFINE_FINAL_TYPE (SlTestServer, sl_test_server, G_TYPE_OBJECT);

/* In the server child: die with the test program, even when it aborts on
 * a failed assertion, so no server outlives its test. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
timeout_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * sl_test_iterate_until:
 * @condition: checked after each main-context iteration
 * @user_data: for @condition
 * @timeout_ms: give up after this long
 *
 * Returns: %TRUE once @condition holds, %FALSE on timeout
 */
gboolean
sl_test_iterate_until (SlTestCondition condition, gpointer user_data,
    guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_flag_cb, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (user_data);
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

/**
 * sl_test_sleep:
 * @ms: how long
 *
 * Iterates the main context for @ms milliseconds.
 */
void
sl_test_sleep (guint ms)
{
  sl_test_iterate_until (never, NULL, ms);
}

/**
 * sl_test_settle:
 *
 * Lets asynchronous closes (which run on GLib's worker threads) finish
 * before the test program exits, so that LeakSanitizer's exit-time check
 * does not race with threads still working.
 */
void
sl_test_settle (void)
{
  sl_test_sleep (300);
  /* Idle pool threads otherwise exit on their own timer, possibly in the
   * middle of LeakSanitizer stopping every thread. */
  g_thread_pool_set_max_unused_threads (0);
  g_thread_pool_stop_unused_threads ();
  g_usleep (500 * 1000);
}

typedef struct
{
  char *line;
  gboolean done;
  GError *error;
} ReadLine;

static void
read_line_cb (GObject * source, GAsyncResult * result, gpointer user_data)
{
  ReadLine *r = user_data;

  r->line = g_data_input_stream_read_line_finish_utf8
      (G_DATA_INPUT_STREAM (source), result, NULL, &r->error);
  r->done = TRUE;
}

static gboolean
read_line_done (gpointer user_data)
{
  return ((ReadLine *) user_data)->done;
}

static void
exited_cb (GObject * source, GAsyncResult * result, gpointer user_data)
{
  SlTestServer *self;

  /* Cancelled when the object is disposed: then self is gone. */
  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL))
    return;
  self = user_data;
  self->exited = TRUE;
  self->exit_status = g_subprocess_get_if_exited (self->proc) ?
      g_subprocess_get_exit_status (self->proc) :
      128 + g_subprocess_get_term_sig (self->proc);
}

/**
 * sl_test_server_start:
 * @pki: certificates (server/server.crt, ca.crt, crl.pem)
 * @extra_args: (nullable) (array zero-terminated=1): more flags; they win
 *   over the defaults
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the running server
 */
SlTestServer *
sl_test_server_start (SlTestPki * pki, const char *const *extra_args,
    GError ** error)
{
  static guint counter;
  g_autoptr (SlTestServer) self = g_object_new (SL_TYPE_TEST_SERVER, NULL);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *name = NULL;
  ReadLine r = { 0 };
  guint i;
  unsigned port = 0, admin_port = 0;

  name = g_strdup_printf ("server-%u-%u.log", (guint) getpid (), counter++);
  self->log_path = sl_test_pki_path (pki, name);
  g_ptr_array_add (argv, g_strdup (sl_test_server_binary ()));
#define ARG(x) g_ptr_array_add (argv, (x))
  ARG (g_strdup ("--listen=127.0.0.1"));
  ARG (g_strdup ("--port=0"));
  ARG (g_strdup ("--admin-listen=127.0.0.1"));
  ARG (g_strdup ("--admin-port=0"));
  ARG (g_strdup ("--ready-fd=1"));
  ARG (g_strdup ("--verbose"));
  /* Sanitizer builds are slow; tests of the timeout set their own. */
  ARG (g_strdup ("--handshake-timeout-ms=60000"));
  ARG (g_strconcat ("--cert=", sl_test_pki_get_dir (pki),
          "/server/server.crt", NULL));
  ARG (g_strconcat ("--key=", sl_test_pki_get_dir (pki),
          "/server/server.key", NULL));
  ARG (g_strconcat ("--ca=", sl_test_pki_get_dir (pki), "/ca.crt", NULL));
  ARG (g_strconcat ("--crl=", sl_test_pki_get_dir (pki), "/crl.pem", NULL));
  for (i = 0; extra_args && extra_args[i]; i++)
    ARG (g_strdup (extra_args[i]));
  ARG (NULL);
#undef ARG

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Slow stack unwinding on every malloc makes a GnuTLS handshake take
   * seconds under LeakSanitizer; leaks are still found without it. */
  if (g_getenv ("LSAN_OPTIONS")) {
    g_autoptr (GString) lsan = g_string_new (g_getenv ("LSAN_OPTIONS"));

    g_string_replace (lsan, "fast_unwind_on_malloc=0", "", 0);
    g_subprocess_launcher_setenv (launcher, "LSAN_OPTIONS", lsan->str, TRUE);
  }
  /* A critical in the server is a bug (a message built against its own
   * table, say): make it abort, so that the test fails. */
  {
    g_autofree char *debug = g_strconcat (g_getenv ("G_DEBUG") ?
        g_getenv ("G_DEBUG") : "", g_getenv ("G_DEBUG") ? "," : "",
        "fatal-criticals", NULL);

    g_subprocess_launcher_setenv (launcher, "G_DEBUG", debug, TRUE);
  }
  g_subprocess_launcher_set_stderr_file_path (launcher, self->log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->proc = g_subprocess_launcher_spawnv (launcher,
      (const char *const *) argv->pdata, error);
  if (self->proc == NULL)
    return NULL;
  self->cancellable = g_cancellable_new ();
  g_subprocess_wait_async (self->proc, self->cancellable, exited_cb, self);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->proc));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL,
      read_line_cb, &r);
  if (!sl_test_iterate_until (read_line_done, &r, 20000)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
        "the server did not report READY (log: %s)", self->log_path);
    return NULL;
  }
  if (r.line == NULL || sscanf (r.line, "READY port=%u admin_port=%u", &port,
          &admin_port) != 2) {
    g_autofree char *log = sl_test_server_read_log (self);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "the server did not start: %s", log ? log : "(no log)");
    g_clear_error (&r.error);
    g_free (r.line);
    return NULL;
  }
  g_free (r.line);
  self->port = (guint16) port;
  self->admin_port = (guint16) admin_port;
  return g_steal_pointer (&self);
}

guint16
sl_test_server_get_port (SlTestServer * self)
{
  return self->port;
}

guint16
sl_test_server_get_admin_port (SlTestServer * self)
{
  return self->admin_port;
}

/**
 * sl_test_server_get_url:
 * @self: the server
 *
 * Returns: (transfer full): "wss://127.0.0.1:PORT/v1/ws"
 */
char *
sl_test_server_get_url (SlTestServer * self)
{
  return sl_test_server_get_url_for (self, 1);
}

/**
 * sl_test_server_get_url_for:
 * @self: the server
 * @version: a protocol version
 *
 * Returns: (transfer full): "wss://127.0.0.1:PORT/vVERSION/ws"
 */
char *
sl_test_server_get_url_for (SlTestServer * self, guint version)
{
  return g_strdup_printf ("wss://127.0.0.1:%u/v%u/ws", self->port, version);
}

const char *
sl_test_server_get_log_path (SlTestServer * self)
{
  return self->log_path;
}

/**
 * sl_test_server_read_log:
 * @self: the server
 *
 * Returns: (transfer full) (nullable): everything it logged so far
 */
char *
sl_test_server_read_log (SlTestServer * self)
{
  char *text = NULL;

  g_file_get_contents (self->log_path, &text, NULL, NULL);
  return text;
}

/**
 * sl_test_server_http_get:
 * @self: the server
 * @path: "/healthz" or "/metrics"
 * @out_status: (out) (optional): the HTTP status
 *
 * Fetches from the admin listener (plain HTTP on 127.0.0.1).
 *
 * Returns: (transfer full) (nullable): the body
 */
char *
sl_test_server_http_get (SlTestServer * self, const char *path,
    guint * out_status)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s",
      self->admin_port, path);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) body = NULL;
  gsize len;
  const char *data;

  body = soup_session_send_and_read (session, msg, NULL, NULL);
  if (out_status)
    *out_status = soup_message_get_status (msg);
  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  return g_strndup (data, len);
}

/**
 * sl_test_server_metric:
 * @self: the server
 * @series: a series as printed, e.g. "sightline_connections" or
 *   "sightline_refusals_total{reason=\"revoked\"}"
 *
 * Returns: its value from /metrics, or -1 if absent
 */
gint64
sl_test_server_metric (SlTestServer * self, const char *series)
{
  g_autofree char *text = sl_test_server_http_get (self, "/metrics", NULL);
  g_auto (GStrv) lines = text ? g_strsplit (text, "\n", -1) : NULL;
  gsize n = strlen (series);
  guint i;

  for (i = 0; lines && lines[i]; i++) {
    if (strncmp (lines[i], series, n) == 0 && lines[i][n] == ' ')
      return g_ascii_strtoll (lines[i] + n + 1, NULL, 10);
  }
  return -1;
}

void
sl_test_server_send_signal (SlTestServer * self, int signum)
{
  g_subprocess_send_signal (self->proc, signum);
}

static gboolean
has_exited (gpointer user_data)
{
  return ((SlTestServer *) user_data)->exited;
}

/**
 * sl_test_server_wait_exit:
 * @self: the server
 * @timeout_ms: how long to wait
 * @out_status: (out) (optional): exit status (128 + signal if killed)
 *
 * Returns: whether it exited in time
 */
gboolean
sl_test_server_wait_exit (SlTestServer * self, guint timeout_ms,
    int *out_status)
{
  if (!sl_test_iterate_until (has_exited, self, timeout_ms))
    return FALSE;
  if (out_status)
    *out_status = self->exit_status;
  return TRUE;
}

/**
 * sl_test_server_check_exit:
 * @self: the server
 *
 * Stops the server gracefully (SIGTERM) unless it has exited already and
 * waits for it.  Under the sanitizers a clean exit also means that no
 * memory error and no leak was found in the server process.
 *
 * Returns: whether it exited with status 0
 */
gboolean
sl_test_server_check_exit (SlTestServer * self)
{
  int status = -1;

  if (!self->exited)
    sl_test_server_send_signal (self, SIGTERM);
  if (!sl_test_server_wait_exit (self, 60000, &status))
    return FALSE;
  if (status != 0) {
    g_autofree char *log = sl_test_server_read_log (self);

    g_test_message ("the server exited with status %d; its log:\n%s",
        status, log ? log : "(none)");
  }
  return status == 0;
}

/**
 * sl_test_server_stop:
 * @self: the server
 * @out_status: (out) (optional): its exit status
 *
 * Sends SIGTERM (graceful shutdown) and waits up to 10 s.
 *
 * Returns: whether it exited in time
 */
gboolean
sl_test_server_stop (SlTestServer * self, int *out_status)
{
  if (!self->exited)
    g_subprocess_send_signal (self->proc, SIGTERM);
  return sl_test_server_wait_exit (self, 10000, out_status);
}

static void
sl_test_server_dispose (GObject * object)
{
  SlTestServer *self = SL_TEST_SERVER (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  if (self->proc && !self->exited) {
    g_subprocess_force_exit (self->proc);
    g_subprocess_wait (self->proc, NULL, NULL);
  }
  g_clear_object (&self->proc);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sl_test_server_parent_class)->dispose (object);
}

static void
sl_test_server_finalize (GObject * object)
{
  SlTestServer *self = SL_TEST_SERVER (object);

  g_free (self->log_path);
  G_OBJECT_CLASS (sl_test_server_parent_class)->finalize (object);
}

static void
sl_test_server_class_init (SlTestServerClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_test_server_dispose;
  object_class->finalize = sl_test_server_finalize;
}

static void
sl_test_server_init (SlTestServer * self)
{
}
