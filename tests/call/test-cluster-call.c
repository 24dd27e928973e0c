/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A call by the real `sightline` client across two server instances of a
 * cluster (issue 17): the caller on one, the callee on the other, sharing
 * a redis-server on a Unix socket.  ICE stays on 127.0.0.1. */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "call-harness.h"
#include "sl-test-redis.h"

#define EXIT_OK 0

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
      "--auto-answer", "wait", NULL
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cluster/real-client-call", test_cross_instance_call);
  return g_test_run ();
}
