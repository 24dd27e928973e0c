/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Protocol version 2 from the client's side, with the real server and
 * real `sightline` processes on 127.0.0.1: a two-party call between a
 * version 1 and a version 2 device, the fall-back to version 1 when a
 * server has no /v2/ws, and calls the operator's call policy refuses
 * (docs/PROTOCOL.md §6.3): the command exits with its documented status
 * and the other device never rings.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

#include "call-harness.h"

#define EXIT_OK 0
#define EXIT_POLICY 11

#define RING_TIMEOUT_MS 3000

/* goggles may call nobody but "third"; the experts keep the defaults. */
#define POLICY_CONF "[policy]\ndeny.goggles = *\nallow.goggles = third\n"

typedef struct
{
  CallWorld *world;
  CallClient *caller;
  CallClient *callee;
} Fixture;

static void
set_up (Fixture * f, gconstpointer data)
{
  f->world = call_world_new_full (RING_TIMEOUT_MS, POLICY_CONF);
}

static void
tear_down (Fixture * f, gconstpointer data)
{
  call_client_free (f->caller);
  call_client_free (f->callee);
  call_world_free (f->world);
}

/* goggles calls expert, whom its policy denies: the server refuses the
 * invite before anything rings, `sightline` says why and exits 11, and
 * the expert, online and waiting, never hears of it. */
static void
test_policy_denied (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--once", "--auto-answer", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };
  const char *ended;

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "waiting: for a call", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_POLICY);
  ended = call_client_find_line (f->caller, "ended: ");
  g_assert_nonnull (ended);
  g_assert_nonnull (strstr (ended, "call policy"));
  g_assert_null (call_client_find_line (f->callee, "incoming: "));
  g_subprocess_send_signal (f->callee->proc, SIGTERM);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
}

/* A device on /v1/ws calls one on the default path (version 2): the
 * versions meet in a verified call with media both ways. */
static void
test_mixed_versions (Fixture * f, gconstpointer data)
{
  g_autofree char *v1 = g_strdup_printf ("--server=%s/v1/ws", f->world->url);
  const char *callee_args[] = { v1, "--code", "271828", "--once",
    "--auto-answer", "wait", NULL
  };
  const char *caller_args[] = { "--code", "271828", "call", "third", NULL };

  f->callee = call_client_spawn (f->world, "third", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "waiting: for a call", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_true (call_client_wait_line (f->caller, "verified: code", 60));
  g_assert_true (call_client_wait_line (f->callee, "verified: code", 60));
  g_assert_true (call_client_wait_stat (f->caller, "video_frames", 10, 60));
  g_assert_true (call_client_wait_stat (f->callee, "video_frames", 10, 60));
  call_client_write (f->caller, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
}

/* This program, which is also the old server below. */
static const char *self_path;

/* A server of the first release: /v1/ws only, anything else 404.  It
 * runs as a child of this test (`test-group --old-server CERT KEY`), so
 * that its TLS threads and connections never live in the test process:
 * it prints its port, then every path asked for, and is killed at the
 * end. */
static void
old_server_any (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer data)
{
  g_print ("path %s\n", path);
  fflush (stdout);
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
old_server_ws (SoupServer * server, SoupServerMessage * msg,
    const char *path, SoupWebsocketConnection * conn, gpointer data)
{
  GPtrArray *conns = data;

  g_print ("path %s\n", path);
  fflush (stdout);
  g_ptr_array_add (conns, g_object_ref (conn));
  soup_websocket_connection_send_text (conn, "{\"type\":\"welcome\","
      "\"device\":{\"id\":\"goggles\",\"name\":\"The goggles\","
      "\"role\":\"goggles\"},\"server_version\":\"0.9\","
      "\"ping_interval_ms\":15000,\"idle_timeout_ms\":30000,"
      "\"ring_timeout_ms\":3000,\"max_message_size\":65536}");
  soup_websocket_connection_send_text (conn,
      "{\"type\":\"roster\",\"devices\":[]}");
}

static int
run_old_server (const char *crt, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) cert =
      g_tls_certificate_new_from_files (crt, key, &error);
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  GSList *uris;

  if (cert == NULL)
    g_error ("old server: %s", error->message);
  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, old_server_any, NULL, NULL);
  soup_server_add_websocket_handler (server, "/v1/ws", NULL, NULL,
      old_server_ws, conns, NULL);
  if (!soup_server_listen_local (server, 0,
          SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("old server: %s", error->message);
  uris = soup_server_get_uris (server);
  g_print ("port %d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static char *
read_line (GDataInputStream * in)
{
  g_autoptr (GError) error = NULL;
  char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

/* The client tries version 2 first and, answered 404, speaks version 1
 * to that server. */
static void
test_fall_back_to_v1 (Fixture * f, gconstpointer data)
{
  g_autofree char *crt = g_build_filename (f->world->dir, "server",
      "server.crt", NULL);
  g_autofree char *key = g_build_filename (f->world->dir, "server",
      "server.key", NULL);
  const char *argv[] = { self_path, "--old-server", crt, key, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) old = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *port = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *url = NULL;
  /* A loaded machine and a sanitizer build are slow to connect: the test
   * is about the path, not the time. */
  const char *args[] = { NULL, "--connect-timeout", "60", "list", NULL };

  old = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (old));
  port = read_line (out);
  g_assert_true (g_str_has_prefix (port, "port "));
  url = g_strdup_printf ("--server=wss://127.0.0.1:%s", port + 5);
  args[0] = url;
  f->caller = call_client_spawn (f->world, "goggles", NULL, args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (f->caller, "roster: 0 device"));
  first = read_line (out);
  second = read_line (out);
  g_assert_cmpstr (first, ==, "path /v2/ws");
  g_assert_cmpstr (second, ==, "path /v1/ws");
  g_subprocess_force_exit (old);
  g_subprocess_wait (old, NULL, NULL);
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--old-server"))
    return run_old_server (argv[2], argv[3]);
  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, set_up, func, tear_down)
  ADD ("/group/mixed-versions", test_mixed_versions);
  ADD ("/group/fall-back-to-v1", test_fall_back_to_v1);
  ADD ("/group/policy-denied", test_policy_denied);
#undef ADD

  return g_test_run ();
}
