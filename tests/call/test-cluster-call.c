/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The real `sightline` client with a cluster (issue 17): a call across
 * two server instances sharing a redis-server on a Unix socket, and the
 * client's list of instances (--server repeated) when one is down or
 * dies.  ICE stays on 127.0.0.1. */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "call-harness.h"
#include "sl-test-redis.h"

#define EXIT_OK 0
#define EXIT_SERVER 7
/* The bound: a device of a dead instance is back within 5 s. */
#define RECONNECT_S 5

/* Two instances sharing one redis-server: the world's (A) and B. */
typedef struct
{
  char *redis_dir;
  SlTestRedis *redis;
  CallWorld *world;
  GSubprocess *b;
  char *url_b;
  char *servers_b_first[3];     /* --server=B --server=A */
} Cluster;

static Cluster *
cluster_new (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  Cluster *c = g_new0 (Cluster, 1);

  c->redis_dir = g_dir_make_tmp ("sl-cluster-XXXXXX", &error);
  g_assert_no_error (error);
  c->redis = sl_test_redis_start (c->redis_dir);
  conf = sl_test_redis_config (c->redis);
  c->world = call_world_new_full (3000, conf);
  c->url_b = call_world_start_extra_server (c->world, &c->b);
  c->servers_b_first[0] = g_strdup_printf ("--server=%s", c->url_b);
  c->servers_b_first[1] = g_strdup_printf ("--server=%s", c->world->url);
  return c;
}

/* SIGKILL: the instance dies without a word to anyone. */
static void
cluster_kill_b (Cluster * c)
{
  g_subprocess_force_exit (c->b);
  g_assert_true (g_subprocess_wait (c->b, NULL, NULL));
}

static void
cluster_free (Cluster * c)
{
  g_autofree char *password = g_build_filename (c->redis_dir,
      "redis.password", NULL);

  if (g_subprocess_get_identifier (c->b)) {
    g_subprocess_send_signal (c->b, SIGTERM);
    g_assert_true (g_subprocess_wait (c->b, NULL, NULL));
  }
  g_object_unref (c->b);
  call_world_free (c->world);
  sl_test_redis_free (c->redis);
  g_unlink (password);
  g_rmdir (c->redis_dir);
  g_free (c->redis_dir);
  g_free (c->url_b);
  g_free (c->servers_b_first[0]);
  g_free (c->servers_b_first[1]);
  g_free (c);
}

/* Waits until @client has printed more than @than lines starting with
 * @prefix. */
static gboolean
wait_more_lines (CallClient * client, const char *prefix, guint than,
    int seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();

  while (call_client_count_lines (client, prefix) <= than && !client->eof
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  return call_client_count_lines (client, prefix) > than;
}

/* The delay the client chose before trying @url (its debug line, with
 * G_MESSAGES_DEBUG=sightline), -1 when it never said. */
static gint64
delay_before (CallClient * client, const char *url)
{
  g_autofree char *text = call_client_stderr (client);
  g_autofree char *key = g_strdup_printf ("connecting to %s/v2/ws in ", url);
  const char *at = strstr (text, key);

  return at ? g_ascii_strtoll (at + strlen (key), NULL, 10) : -1;
}

/* A port on 127.0.0.1 where nothing listens (bound, then closed). */
static guint16
dead_port (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4,
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback
      (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (sock, any, FALSE, &error));
  bound = g_socket_get_local_address (sock, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The first two URLs have nothing listening: the client goes on to the
 * next at once (a refused connect costs no backoff step: the backoff is
 * per round through the list) and lists the roster through the third. */
static void
test_first_url_down (void)
{
  CallWorld *world = call_world_new (3000);
  g_autofree char *dead2 = g_strdup_printf ("wss://127.0.0.1:%u",
      dead_port ());
  g_autofree char *down1 = g_strdup_printf ("--server=wss://127.0.0.1:%u",
      dead_port ());
  g_autofree char *down2 = g_strdup_printf ("--server=%s", dead2);
  g_autofree char *up = g_strdup_printf ("--server=%s", world->url);
  g_autofree char *via = g_strdup_printf ("server: connected as goggles "
      "via %s/", world->url);
  const char *env[] = { "G_MESSAGES_DEBUG=sightline", NULL };
  const char *args[] = { down1, down2, up, "--connect-timeout", "20", "list",
    NULL
  };
  CallClient *client = call_client_spawn (world, "goggles", env, args);
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (call_client_wait_exit (client, 60), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (client, via));
  g_assert_nonnull (call_client_find_line (client, "server: Cannot reach "
          "the server at wss://127.0.0.1:"));
  /* Not a reliability bound on a loaded machine, but the proof that the
   * second URL came without waiting for the connect timeout. */
  g_assert_cmpint ((g_get_monotonic_time () - start) / G_USEC_PER_SEC, <, 20);
  g_assert_cmpint (delay_before (client, dead2), ==, 0);
  g_assert_cmpint (delay_before (client, world->url), ==, 0);
  call_client_free (client);
  call_world_free (world);
}

/* A device waiting on instance B, which is SIGKILLed: it is back in the
 * roster through A within 5 s, as a device on A sees. */
static void
test_instance_killed_while_waiting (void)
{
  Cluster *c = cluster_new ();
  g_autofree char *via_a = g_strdup_printf ("server: connected as expert "
      "via %s/", c->world->url);
  const char *expert_args[] = { c->servers_b_first[0],
    c->servers_b_first[1], "--once", "wait", NULL
  };
  const char *third_args[] = { "--once", "wait", NULL };
  const char *env[] = { "G_MESSAGES_DEBUG=sightline", NULL };
  CallClient *expert, *third;
  guint seen;
  gint64 killed;

  expert = call_client_spawn (c->world, "expert", env, expert_args);
  g_assert_true (call_client_wait_line (expert, "server: connected", 60));
  g_assert_null (call_client_find_line (expert, via_a));
  third = call_client_spawn (c->world, "third", NULL, third_args);
  g_assert_true (call_client_wait_line (third, "roster: expert ", 60));
  seen = call_client_count_lines (third, "roster: expert ");

  cluster_kill_b (c);
  killed = g_get_monotonic_time ();
  g_assert_true (call_client_wait_line (expert, via_a, RECONNECT_S));
  g_assert_true (wait_more_lines (third, "roster: expert ", seen, RECONNECT_S));
  g_assert_cmpint (g_get_monotonic_time () - killed, <=,
      RECONNECT_S * G_USEC_PER_SEC);
  /* A lost connection starts a new round after a jittered delay (125 to
   * 250 ms), so that the devices of a dead instance do not all land on
   * the next one at once. */
  g_assert_cmpint (delay_before (expert, c->world->url), >=, 125);
  g_assert_cmpint (delay_before (expert, c->world->url), <=, 250);

  g_subprocess_send_signal (expert->proc, SIGTERM);
  g_subprocess_send_signal (third->proc, SIGTERM);
  g_assert_cmpint (call_client_wait_exit (expert, 30), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (third, 30), ==, EXIT_OK);
  call_client_free (expert);
  call_client_free (third);
  cluster_free (c);
}

/* A call between goggles on A (the instance holding the call) and the
 * expert on B; B is SIGKILLed mid-call: the media goes on, the expert
 * reconnects to A, and a hang-up by the goggles ends the call on both
 * sides through A. */
static void
test_callee_instance_killed_mid_call (void)
{
  Cluster *c = cluster_new ();
  g_autofree char *via_a = g_strdup_printf ("server: connected as expert "
      "via %s/", c->world->url);
  const char *expert_args[] = { c->servers_b_first[0],
    c->servers_b_first[1], "--code", "271828", "--auto-answer", "--once",
    "wait", NULL
  };
  const char *goggles_args[] = { "--code", "271828", "call", "expert", NULL };
  CallClient *expert, *goggles;
  gint64 frames_g, frames_e;

  expert = call_client_spawn (c->world, "expert", NULL, expert_args);
  g_assert_true (call_client_wait_line (expert, "server: connected", 60));
  goggles = call_client_spawn (c->world, "goggles", NULL, goggles_args);
  g_assert_true (call_client_wait_line (goggles, "verified: code", 60));
  g_assert_true (call_client_wait_line (expert, "verified: code", 60));
  g_assert_true (call_client_wait_stat (goggles, "video_frames", 30, 60));
  g_assert_true (call_client_wait_stat (expert, "video_frames", 30, 60));

  cluster_kill_b (c);
  g_assert_true (call_client_wait_line (expert, via_a, RECONNECT_S));
  /* Peer to peer: the frames keep coming on both sides. */
  frames_g = call_client_last_stat (goggles, "video_frames");
  frames_e = call_client_last_stat (expert, "video_frames");
  g_assert_true (call_client_wait_stat (goggles, "video_frames",
          frames_g + 30, 60));
  g_assert_true (call_client_wait_stat (expert, "video_frames",
          frames_e + 30, 60));

  call_client_write (goggles, "/hangup");
  g_assert_cmpint (call_client_wait_exit (goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (expert, 60), ==, EXIT_OK);
  call_client_free (goggles);
  call_client_free (expert);
  cluster_free (c);
}

/* Verified by the security code, media both ways, hang-up through the
 * call's instance. */
static void
test_cross_instance_call (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *redis_dir = g_dir_make_tmp ("sl-cluster-XXXXXX", &error);
  SlTestRedis *redis = NULL;
  g_autofree char *conf = NULL;
  CallWorld *world = NULL;
  g_autoptr (GSubprocess) second = NULL;
  g_autofree char *url2 = NULL;
  g_autofree char *server_arg = NULL;
  g_autofree char *password = NULL;
  CallClient *caller, *callee;
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;

  g_assert_no_error (error);
  redis = sl_test_redis_start (redis_dir);
  conf = sl_test_redis_config (redis);
  world = call_world_new_full (3000, conf);
  url2 = call_world_start_extra_server (world, &second);
  server_arg = g_strdup_printf ("--server=%s", url2);
  {
    const char *callee_args[] = { server_arg, "--code", "271828",
      "--auto-answer", "--once", "wait", NULL
    };
    const char *caller_args[] = { "--code", "271828", "call", "expert", NULL };

    callee = call_client_spawn (world, "expert", NULL, callee_args);
    g_assert_true (call_client_wait_line (callee, "server: connected", 60));
    /* The join travels through Redis to the caller's instance in
     * milliseconds; a second is plenty even on a loaded machine. */
    g_usleep (G_USEC_PER_SEC);
    caller = call_client_spawn (world, "goggles", NULL, caller_args);
  }
  g_assert_true (call_client_wait_line (caller, "verified: code", 60));
  g_assert_true (call_client_wait_line (callee, "verified: code", 60));
  g_assert_true (call_client_wait_stat (caller, "video_frames", 30, 60));
  g_assert_true (call_client_wait_stat (callee, "video_frames", 30, 60));
  g_assert_true (call_client_wait_stat (caller, "audio_buffers", 50, 60));
  g_assert_true (call_client_wait_stat (callee, "audio_buffers", 50, 60));
  call_client_write (caller, "/hangup");
  g_assert_cmpint (call_client_wait_exit (caller, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (callee, 60), ==, EXIT_OK);
  a = call_client_stats (caller);
  b = call_client_stats (callee);
  g_assert_true (json_object_get_boolean_member (a, "verified"));
  g_assert_true (json_object_get_boolean_member (b, "verified"));

  call_client_free (caller);
  call_client_free (callee);
  g_subprocess_send_signal (second, SIGTERM);
  g_assert_true (g_subprocess_wait (second, NULL, NULL));
  call_world_free (world);
  sl_test_redis_free (redis);
  password = g_build_filename (redis_dir, "redis.password", NULL);
  g_unlink (password);
  g_rmdir (redis_dir);
}

/* The "sightline:call:*" keys in Redis: the calls whose membership is
 * stored. */
static char *
stored_calls (Cluster * c)
{
  const char *args[] = { "--scan", "--pattern", "sightline:call:*", NULL };
  char *out = sl_test_redis_cli (c->redis, args);

  return g_strstrip (out);
}

/* Waits until no call's membership is left in Redis. */
static gboolean
wait_no_stored_call (Cluster * c, int seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    g_autofree char *keys = stored_calls (c);

    if (keys[0] == '\0')
      return TRUE;
    g_usleep (G_USEC_PER_SEC / 10);
  }
  return FALSE;
}

/* The instance holding the call (A, the caller's) is SIGKILLed mid-call.
 * Its membership is in Redis: the caller reconnects to B, its hang-up
 * makes B adopt the call and end it (the key goes), the expert is told
 * through B, and neither side hangs. */
static void
test_holder_instance_killed_mid_call (void)
{
  Cluster *c = cluster_new ();
  g_autofree char *a_first = g_strdup_printf ("--server=%s", c->world->url);
  g_autofree char *b_second = g_strdup_printf ("--server=%s", c->url_b);
  g_autofree char *via_b = g_strdup_printf ("server: connected as goggles "
      "via %s/", c->url_b);
  const char *expert_args[] = { b_second, "--code", "271828",
    "--auto-answer", "--once", "wait", NULL
  };
  const char *goggles_args[] = { a_first, b_second, "--code", "271828",
    "call", "expert", NULL
  };
  const char *env[] = { "G_MESSAGES_DEBUG=sightline", NULL };
  g_autofree char *stored = NULL;
  g_autofree char *after_kill = NULL;
  g_autofree char *goggles_err = NULL;
  CallClient *expert, *goggles;
  gint64 frames;

  expert = call_client_spawn (c->world, "expert", NULL, expert_args);
  g_assert_true (call_client_wait_line (expert, "server: connected", 60));
  goggles = call_client_spawn (c->world, "goggles", env, goggles_args);
  g_assert_true (call_client_wait_line (goggles, "verified: code", 60));
  g_assert_true (call_client_wait_line (expert, "verified: code", 60));
  g_assert_true (call_client_wait_stat (expert, "video_frames", 30, 60));
  stored = stored_calls (c);
  g_assert_true (g_str_has_prefix (stored, "sightline:call:"));

  call_world_kill_server (c->world);
  g_assert_true (call_client_wait_line (goggles, via_b, RECONNECT_S));
  frames = call_client_last_stat (expert, "video_frames");
  g_assert_true (call_client_wait_stat (expert, "video_frames", frames + 30,
          60));
  /* Still there: A died without ending the call. */
  after_kill = stored_calls (c);
  g_assert_cmpstr (after_kill, ==, stored);

  call_client_write (goggles, "/hangup");
  g_assert_cmpint (call_client_wait_exit (goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (expert, 60), ==, EXIT_OK);
  /* B took the call over and ended it: the hang-up was not refused. */
  g_assert_true (wait_no_stored_call (c, 5));
  goggles_err = call_client_stderr (goggles);
  g_assert_null (strstr (goggles_err, "not-in-call"));
  call_client_free (goggles);
  call_client_free (expert);
  cluster_free (c);
}

/* A device revoked by the operator (the CRL every instance reads): the
 * TLS refusal ends the client (exit 7) as with one server; it is never
 * taken for a dead instance and rotated through the list for ever.  A
 * refused attempt may see only the reset that follows the alert (see
 * sl-signal-client.c): the client then tries the next instance, which
 * refuses too. */
static void
test_refusal_not_rotated (void)
{
  CallWorld *world = call_world_new (3000);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) second = NULL;
  g_autofree char *url2 = NULL;
  g_autofree char *server1 = NULL;
  g_autofree char *server2 = NULL;
  const char *ca = g_getenv ("SL_CA") ? g_getenv ("SL_CA") : "sightline-ca";
  const char *argv[] = { ca, "revoke", "--dir", world->dir, "--id", "third",
    NULL
  };
  CallClient *third;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
          G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
          NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* Both instances start after the revocation: they refuse from the
   * first connection on. */
  call_world_kill_server (world);
  call_world_restart_server (world);
  url2 = call_world_start_extra_server (world, &second);
  server1 = g_strdup_printf ("--server=%s", url2);
  server2 = g_strdup_printf ("--server=%s", world->url);
  {
    const char *args[] = { server1, server2, "--connect-timeout", "300",
      "list", NULL
    };

    third = call_client_spawn (world, "third", NULL, args);
    g_assert_cmpint (call_client_wait_exit (third, 60), ==, EXIT_SERVER);
  }
  g_assert_nonnull (call_client_find_line (third, "server: refused: The "
          "server refused this device: the operator revoked this device's "
          "certificate"));
  g_assert_null (call_client_find_line (third, "server: connected"));
  call_client_free (third);
  g_subprocess_send_signal (second, SIGTERM);
  g_assert_true (g_subprocess_wait (second, NULL, NULL));
  call_world_free (world);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cluster/real-client-call", test_cross_instance_call);
  g_test_add_func ("/cluster/first-url-down", test_first_url_down);
  g_test_add_func ("/cluster/instance-killed-while-waiting",
      test_instance_killed_while_waiting);
  g_test_add_func ("/cluster/callee-instance-killed-mid-call",
      test_callee_instance_killed_mid_call);
  g_test_add_func ("/cluster/holder-instance-killed-mid-call",
      test_holder_instance_killed_mid_call);
  g_test_add_func ("/cluster/refusal-not-rotated", test_refusal_not_rotated);
  return g_test_run ();
}
