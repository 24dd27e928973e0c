/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sightline-server: the signalling server.
 *
 *   sightline-server --config /etc/sightline/server.conf
 *   sightline-server --port 0 --ready-fd 1 --cert ... --key ... --ca ...
 *
 * Settings come from the configuration file (GKeyFile; default
 * SL_SYSCONFDIR/server.conf when it exists), then command-line flags, which
 * win.  SIGTERM/SIGINT: graceful shutdown (devices are told); SIGHUP:
 * reload the revocation list and the call policy.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <glib-unix.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sl-log.h"
#include "sl-server.h"

typedef struct
{
  GKeyFile *overrides;
  GPtrArray *turn_urls;
  char *config_path;
  int ready_fd;
  GMainLoop *loop;
  SlServer *server;
  int exit_code;
} App;

static const struct
{
  const char *option;
  const char *key;
} flag_keys[] = {
  {"--listen", "listen"},
  {"--port", "port"},
  {"--admin-listen", "admin_listen"},
  {"--admin-port", "admin_port"},
  {"--cert", "cert"},
  {"--key", "key"},
  {"--ca", "ca"},
  {"--crl", "crl"},
  {"--max-connections", "max_connections"},
  {"--max-handshakes", "max_handshakes"},
  {"--max-handshakes-per-address", "max_handshakes_per_address"},
  {"--max-message-size", "max_message_size"},
  {"--rate-limit", "rate_limit"},
  {"--rate-burst", "rate_burst"},
  {"--handshake-timeout-ms", "handshake_timeout_ms"},
  {"--ping-interval", "ping_interval"},
  {"--idle-timeout", "idle_timeout"},
  {"--ring-timeout-ms", "ring_timeout_ms"},
  {"--shutdown-retry-after-ms", "shutdown_retry_after_ms"},
  {"--turn-secret-file", "turn_secret_file"},
  {"--turn-ttl", "turn_ttl"},
  {"--max-call-participants", "max_call_participants"},
  {"--log-format", "log_format"},
};

static gboolean
flag_cb (const char *option, const char *value, gpointer data, GError ** error)
{
  App *app = data;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (flag_keys); i++) {
    if (g_str_equal (option, flag_keys[i].option)) {
      g_key_file_set_value (app->overrides, "server", flag_keys[i].key, value);
      return TRUE;
    }
  }
  if (g_str_equal (option, "--turn-url")) {
    g_ptr_array_add (app->turn_urls, g_strdup (value));
    return TRUE;
  }
  if (g_str_equal (option, "--verbose") || g_str_equal (option, "-v")) {
    g_key_file_set_value (app->overrides, "server", "verbose", "true");
    return TRUE;
  }
  if (g_str_equal (option, "--visibility")) {
    const char *eq = strchr (value, '=');
    g_autofree char *role = eq ? g_strndup (value, eq - value) : NULL;

    if (role == NULL || role[0] == '\0') {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "--visibility takes ROLE=ROLE1,ROLE2");
      return FALSE;
    }
    g_key_file_set_value (app->overrides, "visibility", role, eq + 1);
    return TRUE;
  }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
      "unknown option %s", option);
  return FALSE;
}

#define FLAG(name, arg, help) \
  { name, 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) flag_cb, help, arg }

static const GOptionEntry flag_entries[] = {
  FLAG ("listen", "ADDRESS", "Device listener address (listen; 0.0.0.0)"),
  FLAG ("port", "PORT", "Device listener port, 0 for any free port (port; "
      "8443)"),
  FLAG ("admin-listen", "ADDRESS", "/healthz and /metrics address "
      "(admin_listen; 127.0.0.1)"),
  FLAG ("admin-port", "PORT", "/healthz and /metrics port, 0 for any, -1 "
      "for none (admin_port; 8444)"),
  FLAG ("cert", "FILE", "Server certificate, PEM (cert)"),
  FLAG ("key", "FILE", "Server private key, PEM (key)"),
  FLAG ("ca", "FILE", "Operator CA certificate, PEM (ca)"),
  FLAG ("crl", "FILE", "Revocation list from sightline-ca, PEM; empty for "
      "none (crl)"),
  FLAG ("max-connections", "N", "Devices logged in at once "
      "(max_connections; 10000)"),
  FLAG ("max-handshakes", "N", "TLS handshakes pending at once "
      "(max_handshakes; 1000)"),
  FLAG ("max-handshakes-per-address", "N", "TLS handshakes pending at once "
      "from one address (max_handshakes_per_address; 64)"),
  FLAG ("max-message-size", "BYTES", "Largest message from a device "
      "(max_message_size; 98304)"),
  FLAG ("rate-limit", "N", "Messages per second per device (rate_limit; "
      "200)"),
  FLAG ("rate-burst", "N", "Burst of messages per device (rate_burst; 400)"),
  FLAG ("handshake-timeout-ms", "MS", "TLS handshake and WebSocket upgrade "
      "time limit (handshake_timeout_ms; 10000)"),
  FLAG ("ping-interval", "SECONDS", "WebSocket ping interval "
      "(ping_interval; 15)"),
  FLAG ("idle-timeout", "SECONDS", "Close a silent device after this "
      "(idle_timeout; 2 x ping interval)"),
  FLAG ("ring-timeout-ms", "MS", "Unanswered call time limit "
      "(ring_timeout_ms; 30000)"),
  FLAG ("shutdown-retry-after-ms", "MS", "retry_after_ms sent at shutdown "
      "(shutdown_retry_after_ms; 5000)"),
  FLAG ("turn-url", "URL", "TURN/STUN URL for devices, repeatable "
      "(turn_urls)"),
  FLAG ("turn-secret-file", "FILE", "coturn static-auth-secret file "
      "(turn_secret_file)"),
  FLAG ("turn-ttl", "SECONDS", "TURN credential lifetime (turn_ttl; 3600)"),
  FLAG ("max-call-participants", "N", "Devices in one call, ringing ones "
      "included, 2 to 8 (max_call_participants; 4)"),
  FLAG ("visibility", "ROLE=ROLES", "Devices of ROLE see only ROLES in "
      "presence, repeatable; calls follow [policy] ([visibility])"),
  FLAG ("log-format", "FORMAT", "text or logfmt (log_format; text)"),
  {"verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,
      (gpointer) flag_cb, "Also log info and debug events (verbose)", NULL},
  {NULL}
};

static void
raise_fd_limit (void)
{
  struct rlimit rl;

  /* Each device is one socket. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit (RLIMIT_NOFILE, &rl);
  }
}

/* Relaying allocates and frees the same buffer sizes (TLS records, frames)
 * over and over.  glibc's defaults hand freed memory at the top of the
 * heap back to the kernel and map buffers of 128 KiB and more afresh each
 * time, so every message paid page faults; keep both in the process. */
static void
tune_malloc (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 8 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

/* libsoup reports every WebSocket frame with g_debug(); unless verbose,
 * drop those before they are formatted into log lines only to be
 * discarded. */
static void
drop_log (const char *domain, GLogLevelFlags level, const char *message,
    gpointer user_data)
{
}

static gboolean
load_settings (App * app, SlServerConfig * config, GError ** error)
{
  g_autoptr (GKeyFile) file = NULL;
  g_autofree char *default_path = g_build_filename (SL_SYSCONFDIR,
      "server.conf", NULL);
  const char *path = app->config_path;

  if (path == NULL && g_file_test (default_path, G_FILE_TEST_EXISTS))
    path = default_path;
  if (app->turn_urls->len > 0) {
    g_key_file_set_string_list (app->overrides, "server", "turn_urls",
        (const char *const *) app->turn_urls->pdata, app->turn_urls->len);
  }
  file = sl_server_config_read (path, app->overrides, error);
  if (file == NULL || !sl_server_config_load (config, file, error))
    return FALSE;
  sl_server_config_set_source (config, path, app->overrides);
  return TRUE;
}

static void
shutdown_done (gpointer user_data)
{
  App *app = user_data;

  g_main_loop_quit (app->loop);
}

static gboolean
on_terminate (gpointer user_data)
{
  App *app = user_data;

  sl_server_shutdown (app->server, shutdown_done, app);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_hangup (gpointer user_data)
{
  App *app = user_data;

  sl_server_reload (app->server);
  return G_SOURCE_CONTINUE;
}

static void
report_ready (App * app)
{
  g_autofree char *line = NULL;
  gsize len, done = 0;

  if (app->ready_fd < 0)
    return;
  line = g_strdup_printf ("READY port=%u admin_port=%u\n",
      sl_server_get_port (app->server), sl_server_get_admin_port (app->server));
  len = strlen (line);
  while (done < len) {
    ssize_t n = write (app->ready_fd, line + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    done += (gsize) n;
  }
  if (app->ready_fd > 2)
    close (app->ready_fd);
}

int
main (int argc, char **argv)
{
  App app = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GOptionGroup) flags = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SlServerConfig) config = NULL;
  gboolean version = FALSE;
  GOptionEntry main_entries[] = {
    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &app.config_path,
        "Configuration file (default " SL_SYSCONFDIR "/server.conf if it "
          "exists)", "FILE"},
    {"ready-fd", 0, 0, G_OPTION_ARG_INT, &app.ready_fd,
        "Once listening, write \"READY port=P admin_port=A\\n\" to file "
          "descriptor FD (use with --port 0)", "FD"},
    {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL},
    {NULL}
  };
  int status;

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);
  raise_fd_limit ();
  tune_malloc ();

  app.ready_fd = -1;
  app.overrides = g_key_file_new ();
  app.turn_urls = g_ptr_array_new_with_free_func (g_free);

  context = g_option_context_new ("- Sightline signalling server");
  g_option_context_set_summary (context, "Relays call control and sealed "
      "blobs between devices over WebSocket on mutual TLS 1.3.\nEvery flag "
      "overrides the configuration key named in parentheses.");
  /* One group for everything, so --help lists every flag; its user data
   * reaches flag_cb. */
  flags = g_option_group_new ("server", "Options:", "Show all options", &app,
      NULL);
  g_option_group_add_entries (flags, main_entries);
  g_option_group_add_entries (flags, flag_entries);
  g_option_context_set_main_group (context, g_steal_pointer (&flags));
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("sightline-server: %s\n", error->message);
    status = 2;
    goto out;
  }
  if (version) {
    g_print ("sightline-server %s\n", PACKAGE_VERSION);
    status = 0;
    goto out;
  }

  config = sl_server_config_new ();
  if (!load_settings (&app, config, &error)) {
    g_printerr ("sightline-server: %s\n", error->message);
    status = 2;
    goto out;
  }
  sl_log_init ("sightline-server", config->log_format, config->verbose);
  if (!config->verbose)
    g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, drop_log, NULL);

  app.server = sl_server_new (g_steal_pointer (&config), &error);
  if (app.server == NULL || !sl_server_start (app.server, &error)) {
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "EVENT",
        "start-failed", "MESSAGE", "%s", error->message);
    status = 1;
    goto out;
  }
  /* Signal handlers first: whoever reads READY may signal at once. */
  app.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_terminate, &app);
  g_unix_signal_add (SIGINT, on_terminate, &app);
  g_unix_signal_add (SIGHUP, on_hangup, &app);
  report_ready (&app);
  g_main_loop_run (app.loop);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EVENT", "stopped",
      "MESSAGE", "stopped");
  status = 0;

out:
  g_clear_object (&app.server);
  g_clear_pointer (&app.loop, g_main_loop_unref);
  g_clear_pointer (&app.overrides, g_key_file_unref);
  g_clear_pointer (&app.turn_urls, g_ptr_array_unref);
  g_free (app.config_path);
  return status;
}
