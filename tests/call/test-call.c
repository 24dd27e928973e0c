/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Whole calls: the real sightline-server and two (or three) real
 * `sightline` processes on 127.0.0.1, certificates from sightline-ca.
 * Each test checks what a user would see: exit statuses, printed lines,
 * and the statistics each process writes at exit.  The call's security
 * (secured, verified, failed; SAS, key continuity, hostile relays) is in
 * test-security.c.
 *
 * No test here depends on a timing window: each waits for the event it
 * checks (a line, an exit, a frame count) with a deadline generous enough
 * for a loaded machine; figures worth tracking are benchmarks (bench/).
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "call-harness.h"
#include "call/sl-call-timing.h"

#define EXIT_OK 0
#define EXIT_USAGE 2
#define EXIT_REJECTED 3
#define EXIT_BUSY 4
#define EXIT_NO_ANSWER 5
#define EXIT_SECURITY 6
#define EXIT_SERVER 7
#define EXIT_PEER_LOST 9
#define EXIT_CANCELLED 10

#define RING_TIMEOUT_MS 3000

typedef struct
{
  CallWorld *world;
  CallClient *caller;
  CallClient *callee;
  CallClient *third;
} Fixture;

static void
set_up (Fixture * f, gconstpointer data)
{
  f->world = call_world_new (RING_TIMEOUT_MS);
}

static void
tear_down (Fixture * f, gconstpointer data)
{
  call_client_free (f->caller);
  call_client_free (f->callee);
  call_client_free (f->third);
  call_world_free (f->world);
}

static gint64
get_int (JsonObject * o, const char *member)
{
  g_assert_true (json_object_has_member (o, member));
  return json_object_get_int_member (o, member);
}

/* Every secret of the session was wiped, and was all zero afterwards. */
static void
assert_keys_wiped (JsonObject * stats)
{
  JsonObject *wiped = json_object_get_object_member (stats, "wiped");
  const char *labels[] = { "send iv", "recv iv", "dtls binding key",
    "chaining key", "x25519 private"
  };
  guint i;

  g_assert_nonnull (wiped);
  for (i = 0; i < G_N_ELEMENTS (labels); i++) {
    g_assert_true (json_object_has_member (wiped, labels[i]));
    g_assert_cmpstr (json_object_get_string_member (wiped, labels[i]), ==,
        "zero");
  }
}

/* With the security code: verified by the code, chat both ways, media
 * both ways, keys wiped. */
static void
test_code_call (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--code", "314159", "--auto-answer",
    "--chat", "hello goggles", "--once", "wait", NULL
  };
  const char *caller_args[] = { "--code", "314159", "--chat", "hello expert",
    "call", "expert", NULL
  };
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  const char *sas_a, *sas_b;

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);

  /* Until the chat is acknowledged and media flowed both ways (a second
   * at 30 fps), however long a loaded machine takes; then hang up. */
  g_assert_true (call_client_wait_line (f->caller, "chat acked: [1]", 60));
  g_assert_true (call_client_wait_line (f->callee, "chat acked: [1]", 60));
  g_assert_true (call_client_wait_stat (f->caller, "video_frames", 30, 60));
  g_assert_true (call_client_wait_stat (f->callee, "video_frames", 30, 60));
  g_assert_true (call_client_wait_stat (f->caller, "audio_buffers", 50, 60));
  g_assert_true (call_client_wait_stat (f->callee, "audio_buffers", 50, 60));
  call_client_write (f->caller, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);

  /* The same SAS printed on both screens. */
  sas_a = call_client_find_line (f->caller, "sas: ");
  sas_b = call_client_find_line (f->callee, "sas: ");
  g_assert_nonnull (sas_a);
  g_assert_cmpstr (sas_a, ==, sas_b);
  g_assert_true (g_regex_match_simple ("^[0-9]{4} [0-9]{4} [0-9]{4}$", sas_a,
          0, 0));
  /* Chat delivered and acknowledged both ways. */
  g_assert_nonnull (call_client_find_line (f->caller,
          "chat< [1] hello goggles"));
  g_assert_nonnull (call_client_find_line (f->callee,
          "chat< [1] hello expert"));
  g_assert_nonnull (call_client_find_line (f->caller, "chat acked: [1]"));
  g_assert_nonnull (call_client_find_line (f->callee, "chat acked: [1]"));

  g_assert_nonnull (call_client_find_line (f->caller, "verified: code"));
  g_assert_nonnull (call_client_find_line (f->callee, "verified: code"));

  a = call_client_stats (f->caller);
  b = call_client_stats (f->callee);
  g_assert_true (json_object_get_boolean_member (a, "verified"));
  g_assert_true (json_object_get_boolean_member (b, "verified"));
  g_assert_cmpstr (json_object_get_string_member (a, "authenticated"), ==,
      "code");
  g_assert_cmpstr (json_object_get_string_member (b, "authenticated"), ==,
      "code");
  g_assert_cmpstr (json_object_get_string_member (a, "sas"), ==,
      json_object_get_string_member (b, "sas"));
  /* Video decoded and rendered both ways, audio flowing both ways. */
  g_assert_cmpint (get_int (a, "video_frames_rendered"), >=, 30);
  g_assert_cmpint (get_int (b, "video_frames_rendered"), >=, 30);
  g_assert_cmpint (get_int (a, "audio_buffers_rendered"), >=, 50);
  g_assert_cmpint (get_int (b, "audio_buffers_rendered"), >=, 50);
  g_assert_cmpint (get_int (a, "chat_acked"), ==, 1);
  g_assert_cmpint (get_int (b, "chat_received"), ==, 1);
  /* Keys wiped at the end (observed through the test hook). */
  assert_keys_wiped (a);
  assert_keys_wiped (b);
}

/* H.264 is used when the caller asks for it and both ends have it. */
static void
test_h264 (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *caller_args[] = { "--codec", "h264", "call", "expert", NULL };
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_true (call_client_wait_stat (f->caller, "video_frames", 10, 60));
  g_assert_true (call_client_wait_stat (f->callee, "video_frames", 10, 60));
  call_client_write (f->caller, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
  a = call_client_stats (f->caller);
  b = call_client_stats (f->callee);
  g_assert_cmpstr (json_object_get_string_member (a, "codec"), ==, "h264");
  g_assert_cmpstr (json_object_get_string_member (b, "codec"), ==, "h264");
  g_assert_cmpint (get_int (a, "video_frames_rendered"), >=, 10);
  g_assert_cmpint (get_int (b, "video_frames_rendered"), >=, 10);
}

static void
assert_failed_cleanly (CallClient * c, int status)
{
  g_autoptr (JsonObject) s = call_client_stats (c);

  g_assert_false (json_object_get_boolean_member (s, "verified"));
  g_assert_false (json_object_get_boolean_member (s, "secured"));
  g_assert_cmpstr (json_object_get_string_member (s, "authenticated"), ==,
      "none");
  if (status == EXIT_SECURITY) {
    g_assert_cmpstr (json_object_get_string_member (s, "security"), ==,
        "failed");
    g_assert_nonnull (call_client_find_line (c, "state: failed"));
  }
  g_assert_cmpint (get_int (s, "video_frames_rendered"), ==, 0);
  g_assert_cmpint (get_int (s, "audio_buffers_rendered"), ==, 0);
  g_assert_cmpint (get_int (s, "exit_status"), ==, status);
}

static void
test_wrong_code (Fixture * f, gconstpointer data)
{
  const char *callee_args[] =
      { "--code", "111111", "--auto-answer", "--once", "wait",
    NULL
  };
  const char *caller_args[] = { "--code", "222222", "call", "expert", NULL };

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_SECURITY);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_SECURITY);
  g_assert_null (call_client_find_line (f->caller, "sas: "));
  assert_failed_cleanly (f->caller, EXIT_SECURITY);
  assert_failed_cleanly (f->callee, EXIT_SECURITY);
  g_assert_nonnull (call_client_find_line (f->caller, "ended: "));
}

/* A relay that alters one sealed record (the SDP offer). */
static void
test_altered_record (Fixture * f, gconstpointer data)
{
  const char *env[] = { "SL_TEST_CORRUPT_RECORD=1", NULL };
  const char *callee_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", env, caller_args);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_SECURITY);
  g_assert_cmpint (call_client_wait_exit (f->caller, 20), ==, EXIT_SECURITY);
  assert_failed_cleanly (f->caller, EXIT_SECURITY);
  assert_failed_cleanly (f->callee, EXIT_SECURITY);
}

/* One side sees a DTLS certificate that does not match the fingerprint in
 * the decrypted SDP: the call ends before any frame is rendered. */
static void
test_fingerprint_mismatch (Fixture * f, gconstpointer data)
{
  const char *env[] = { "SL_TEST_CORRUPT_DTLS_FINGERPRINT=1", NULL };
  const char *callee_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };

  f->callee = call_client_spawn (f->world, "expert", env, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_SECURITY);
  g_assert_cmpint (call_client_wait_exit (f->caller, 20), ==, EXIT_SECURITY);
  assert_failed_cleanly (f->callee, EXIT_SECURITY);
  assert_failed_cleanly (f->caller, EXIT_SECURITY);
}

static void
test_rejected (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--auto-reject", "--once", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_REJECTED);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_REJECTED);
}

static void
test_no_answer (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--once", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_true (call_client_wait_line (f->callee, "incoming: ", 30));
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_NO_ANSWER);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_NO_ANSWER);
  /* The server's ring timeout (its `timeout` to both), not our own set-up
   * deadline ("Call set-up timed out while ringing"): said by the message,
   * not by a time window that a loaded machine could miss. */
  g_assert_nonnull (call_client_find_line (f->caller, "ended: Nobody "
          "answered"));
  g_assert_nonnull (call_client_find_line (f->callee, "ended: Nobody "
          "answered"));
}

static void
test_offline_peer (Fixture * f, gconstpointer data)
{
  const char *caller_args[] = { "call", "expert", NULL };

  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_NO_ANSWER);
}

static void
test_busy (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *third_args[] = { "call", "expert", NULL };
  const char *caller_args[] = { "call", "expert", NULL };

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->third = call_client_spawn (f->world, "third", NULL, third_args);
  g_assert_true (call_client_wait_line (f->third, "secured: ", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_BUSY);
  /* The call in progress is not disturbed; hang it up. */
  call_client_write (f->third, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->third, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
}

/* Media is peer to peer: the call survives the server, and the hang-up
 * goes through the data channel. */
static void
test_server_killed (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };
  g_autoptr (JsonObject) b = NULL;
  gint64 frames_at_kill;

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_true (call_client_wait_line (f->caller, "secured: ", 60));
  g_assert_true (call_client_wait_line (f->callee, "stats: ", 20));
  call_world_kill_server (f->world);
  frames_at_kill = call_client_last_stat (f->callee, "video_frames");
  g_assert_cmpint (frames_at_kill, >=, 0);
  /* Frames keep coming without the server: 40 more (a second and a half
   * at 30 fps), however slowly a loaded machine shows them. */
  g_assert_true (call_client_wait_line (f->caller, "server: The server", 30));
  g_assert_true (call_client_wait_stat (f->callee, "video_frames",
          frames_at_kill + 40, 60));
  call_client_write (f->caller, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
  b = call_client_stats (f->callee);
  g_assert_cmpint (get_int (b, "video_frames_rendered"), >,
      frames_at_kill + 40);
  g_assert_nonnull (call_client_find_line (f->callee, "ended: call completed"));
}

static void
test_peer_killed (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_true (call_client_wait_line (f->caller, "secured: ", 60));
  g_subprocess_send_signal (f->callee->proc, SIGKILL);
  g_assert_cmpint (call_client_wait_exit (f->caller,
          3 * HEARTBEAT_DEADLINE_MS / 1000 + 30), ==, EXIT_PEER_LOST);
  /* The server reported the dead peer's connection gone, and the caller
   * acted on that report (PEER_GONE_DEADLINE_MS of silence rather than
   * HEARTBEAT_DEADLINE_MS): the ended line says which.  An event, not a
   * time window, so a loaded machine cannot fail it. */
  g_assert_nonnull (call_client_find_line (f->caller, "ended: The other "
          "device stopped answering after the server lost its connection"));
}

static void
test_server_unreachable (Fixture * f, gconstpointer data)
{
  const char *args[] = { "--connect-timeout", "2", "list", NULL };

  call_world_kill_server (f->world);
  f->caller = call_client_spawn (f->world, "goggles", NULL, args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 20), ==, EXIT_SERVER);
}

/* A device reconnects by itself (backoff with jitter) when the server
 * comes back, and the roster is current again. */
static void
test_reconnect (Fixture * f, gconstpointer data)
{
  const char *wait_args[] = { "--once", "wait", NULL };
  const char *list_args[] = { "list", NULL };
  gint64 deadline;
  guint ticker;

  f->callee = call_client_spawn (f->world, "expert", NULL, wait_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  call_world_kill_server (f->world);
  g_assert_true (call_client_wait_line (f->callee, "server: The server", 10));
  call_world_restart_server (f->world);
  /* The backoff is at most 30 s; the first retries come sooner. */
  deadline = g_get_monotonic_time () + 40 * G_USEC_PER_SEC;
  ticker = call_harness_ticker ();
  while (call_client_count_lines (f->callee, "server: connected") < 2
      && !f->callee->eof && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  g_assert_cmpuint (call_client_count_lines (f->callee, "server: connected"),
      ==, 2);
  f->caller = call_client_spawn (f->world, "goggles", NULL, list_args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (f->caller,
          "roster: expert \"The expert\" expert available"));
}

static void
test_list (Fixture * f, gconstpointer data)
{
  const char *wait_args[] = { "--once", "wait", NULL };
  const char *list_args[] = { "list", NULL };

  f->callee = call_client_spawn (f->world, "expert", NULL, wait_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, list_args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (f->caller,
          "roster: expert \"The expert\" expert available"));
}

/* The user gives up while the other device rings: /hangup or Ctrl-C.
 * That is neither a media failure nor a completed call. */
static void
test_cancel_ringing (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--once", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };
  guint round;

  for (round = 0; round < 2; round++) {
    f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
    g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
    f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
    g_assert_true (call_client_wait_line (f->callee, "incoming: ", 30));
    g_assert_true (call_client_wait_line (f->caller, "state: ringing", 30));
    if (round == 0)
      call_client_write (f->caller, "/hangup");
    else
      g_subprocess_send_signal (f->caller->proc, SIGINT);
    g_assert_cmpint (call_client_wait_exit (f->caller, 30), ==, EXIT_CANCELLED);
    g_assert_nonnull (call_client_find_line (f->caller, "ended: You "
            "cancelled the call before it was set up"));
    /* The callee hears that the caller gave up (the server's
     * `cancelled`). */
    g_assert_cmpint (call_client_wait_exit (f->callee, 30), ==, EXIT_NO_ANSWER);
    g_assert_nonnull (call_client_find_line (f->callee, "ended: The caller "
            "gave up"));
    g_clear_pointer (&f->caller, call_client_free);
    g_clear_pointer (&f->callee, call_client_free);
  }
}


/* Runs `sightline ARGS` as @device with @cert/@key (NULL: the device's
 * own) and expects exit status 2 with @message on standard error. */
static void
expect_usage_error (Fixture * f, const char *cert, const char *key,
    const char *const *args, const char *message)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *log = NULL;
  CallClient *c;
  const char *const *a;

  if (cert)
    g_ptr_array_add (all, g_strdup_printf ("--cert=%s", cert));
  if (key)
    g_ptr_array_add (all, g_strdup_printf ("--key=%s", key));
  for (a = args; *a; a++)
    g_ptr_array_add (all, g_strdup (*a));
  g_ptr_array_add (all, NULL);
  c = call_client_spawn (f->world, "goggles", NULL,
      (const char *const *) all->pdata);
  g_assert_cmpint (call_client_wait_exit (c, 30), ==, EXIT_USAGE);
  /* Said at once, before any connection attempt. */
  g_assert_null (call_client_find_line (c, "server: "));
  log = call_client_stderr (c);
  if (strstr (log, message) == NULL)
    g_error ("expected \"%s\" on stderr, got: %s", message, log);
  call_client_free (c);
}

/* Problems with the device's own files or the command line are found
 * before connecting, and said (exit 2), not retried as an unreachable
 * server. */
static void
test_local_checks (Fixture * f, gconstpointer data)
{
  g_autofree char *expert_key = call_world_device_arg (f->world, "expert",
      "key");
  g_autofree char *old_cert = NULL, *old_key = NULL, *new_cert = NULL;
  g_autofree char *new_key = NULL, *bad_ca = NULL;
  const char *list[] = { "list", NULL };
  const char *self[] = { "call", "goggles", NULL };
  /* Neither a device id nor a name (names are looked up online). */
  const char *bad_id[] = { "call", "", NULL };
  const char *old_args[] = { "issue-device", "--id", "old", "--name", "Old",
    "--role", "expert", "--not-before", "now-10d", "--not-after", "now-1d",
    NULL
  };
  const char *new_args[] = { "issue-device", "--id", "early", "--name",
    "Early", "--role", "expert", "--not-before", "now+10d", "--days", "30",
    NULL
  };

  call_world_ca_run (f->world, old_args);
  call_world_ca_run (f->world, new_args);
  old_cert = call_world_device_arg (f->world, "old", "cert");
  old_key = call_world_device_arg (f->world, "old", "key");
  new_cert = call_world_device_arg (f->world, "early", "cert");
  new_key = call_world_device_arg (f->world, "early", "key");
  bad_ca = g_build_filename (f->world->dir, "missing-ca.crt", NULL);

  expect_usage_error (f, NULL, expert_key, list, "does not belong to the "
      "device certificate");
  expect_usage_error (f, old_cert, old_key, list, "expired on");
  expect_usage_error (f, new_cert, new_key, list, "is not valid before");
  {
    g_autofree char *ca = g_strdup_printf ("--ca=%s", bad_ca);
    const char *args[] = { ca, "list", NULL };

    expect_usage_error (f, NULL, NULL, args, "Cannot read the operator CA");
  }
  expect_usage_error (f, NULL, NULL, self, "you cannot call yourself");
  expect_usage_error (f, NULL, NULL, bad_id, "is not a device id");
}

/* A device the operator revoked: the server's TLS alert is reported with
 * its reason, and the device does not retry for ever (exit 7 on the
 * refusal, long before --connect-timeout). */
static void
test_tls_refused (Fixture * f, gconstpointer data)
{
  const char *revoke[] = { "revoke", "--id", "third", NULL };
  g_autoptr (GSubprocess) server = NULL;
  g_autofree char *url = NULL;
  g_autofree char *server_arg = NULL;

  call_world_ca_run (f->world, revoke);
  /* A server started after the revocation has it from its first
   * connection on. */
  url = call_world_start_extra_server (f->world, &server);
  server_arg = g_strdup_printf ("--server=%s", url);
  {
    const char *args[] = { server_arg, "--connect-timeout", "300", "list",
      NULL
    };

    f->third = call_client_spawn (f->world, "third", NULL, args);
    g_assert_cmpint (call_client_wait_exit (f->third, 120), ==, EXIT_SERVER);
  }
  g_assert_nonnull (call_client_find_line (f->third, "server: refused: The "
          "server refused this device: the operator revoked this device's "
          "certificate (TLS alert \"Certificate was revoked\")"));
  g_assert_null (call_client_find_line (f->third, "server: unreachable"));
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, set_up, func, tear_down)
  ADD ("/call/code", test_code_call);
  ADD ("/call/h264", test_h264);
  ADD ("/call/wrong-code", test_wrong_code);
  ADD ("/call/altered-record", test_altered_record);
  ADD ("/call/fingerprint-mismatch", test_fingerprint_mismatch);
  ADD ("/call/rejected", test_rejected);
  ADD ("/call/no-answer", test_no_answer);
  ADD ("/call/offline-peer", test_offline_peer);
  ADD ("/call/busy", test_busy);
  ADD ("/call/server-killed", test_server_killed);
  ADD ("/call/peer-killed", test_peer_killed);
  ADD ("/call/server-unreachable", test_server_unreachable);
  ADD ("/call/list", test_list);
  ADD ("/call/reconnect", test_reconnect);
  ADD ("/call/cancel-ringing", test_cancel_ringing);
  ADD ("/call/local-checks", test_local_checks);
  ADD ("/call/tls-refused", test_tls_refused);
#undef ADD

  return g_test_run ();
}
