/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The expert stays available (issue 18): `wait` takes one call after
 * another until stopped, `--once` one call; `/dnd on|off` sets the busy
 * status of the protocol; `call NAME` by a device's display name.  The
 * real server and real `sightline` processes on 127.0.0.1.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "call-harness.h"

#define EXIT_OK 0
#define EXIT_USAGE 2
#define EXIT_BUSY 4

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

static gboolean
wait_count (CallClient * c, const char *prefix, guint n, int seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();

  while (call_client_count_lines (c, prefix) < n && !c->eof
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  return call_client_count_lines (c, prefix) >= n;
}

/* The @n-th (from 1) "summary: " line's frames, -1 if none. */
static gint64
summary_frames (CallClient * c, guint n)
{
  guint i;

  for (i = 0; i < c->lines->len; i++) {
    const char *line = g_ptr_array_index (c->lines, i);
    const char *at;

    if (!g_str_has_prefix (line, "summary: ") || --n > 0)
      continue;
    g_assert_nonnull (strstr (line, "security=verified "));
    at = strstr (line, " frames=");
    return at ? g_ascii_strtoll (at + strlen (" frames="), NULL, 10) : -1;
  }
  return -1;
}

/* The expert stays available: one `wait` takes three calls in a row, each
 * verified with media, says it waits again after each, and exits 0 when
 * stopped; --stats-json then holds the last call's figures. */
static void
test_wait_many (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--code", "314159", "--auto-answer", "wait",
    NULL
  };
  const char *caller_args[] = { "--code", "314159", "call", "expert", NULL };
  g_autoptr (JsonObject) stats = NULL;
  guint i;

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "waiting: for calls", 60));
  for (i = 1; i <= 3; i++) {
    f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
    g_assert_true (call_client_wait_line (f->caller, "verified: code", 60));
    g_assert_true (wait_count (f->callee, "verified: code", i, 60));
    g_assert_true (call_client_wait_stat (f->caller, "video_frames", 30, 60));
    call_client_write (f->caller, "/hangup");
    g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
    g_clear_pointer (&f->caller, call_client_free);
    /* Ready again, roster shown, still running. */
    g_assert_true (wait_count (f->callee, "waiting: for the next call", i, 60));
    g_assert_cmpuint (call_client_count_lines (f->callee, "roster: goggles "),
        >=, i);
    g_assert_cmpint (summary_frames (f->callee, i), >, 0);
  }
  g_subprocess_send_signal (f->callee->proc, SIGTERM);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
  g_assert_cmpuint (call_client_count_lines (f->callee,
          "incoming: call from goggles"), ==, 3);
  stats = call_client_stats (f->callee);
  g_assert_true (json_object_get_boolean_member (stats, "verified"));
  g_assert_cmpint (json_object_get_int_member (stats,
          "video_frames_rendered"), >, 0);
}

/* --once: today's `wait`, one call and the exit with its status, without
 * being stopped. */
static void
test_wait_once (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--once", "--auto-answer", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "waiting: for a call", 60));
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_true (call_client_wait_line (f->caller, "secured: ", 60));
  call_client_write (f->caller, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
  g_assert_null (call_client_find_line (f->callee, "waiting: for the next"));
}

/* What `list` run by "third" says of the expert: "available" or "busy". */
static char *
expert_status_seen (Fixture * f)
{
  const char *list_args[] = { "list", NULL };
  const char *line;
  char *status;

  f->third = call_client_spawn (f->world, "third", NULL, list_args);
  g_assert_cmpint (call_client_wait_exit (f->third, 60), ==, EXIT_OK);
  line = call_client_find_line (f->third, "roster: expert ");
  g_assert_nonnull (line);
  status = g_strdup (strrchr (line, ' ') + 1);
  g_clear_pointer (&f->third, call_client_free);
  return status;
}

/* /dnd on: the protocol's busy status (the roster shows it, callers hear
 * busy); /dnd off: available again, and a call goes through. */
static void
test_dnd (Fixture * f, gconstpointer data)
{
  const char *callee_args[] = { "--auto-answer", "wait", NULL };
  const char *caller_args[] = { "call", "expert", NULL };
  g_autofree char *seen_on = NULL;
  g_autofree char *seen_off = NULL;

  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "waiting: for calls", 60));
  call_client_write (f->callee, "/dnd maybe");
  g_assert_true (call_client_wait_line (f->callee, "dnd: say /dnd on", 30));
  call_client_write (f->callee, "/dnd on");
  g_assert_true (call_client_wait_line (f->callee, "dnd: on", 30));
  seen_on = expert_status_seen (f);
  g_assert_cmpstr (seen_on, ==, "busy");
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_BUSY);
  g_clear_pointer (&f->caller, call_client_free);
  g_assert_null (call_client_find_line (f->callee, "incoming: "));

  call_client_write (f->callee, "/dnd off");
  g_assert_true (call_client_wait_line (f->callee, "dnd: off", 30));
  seen_off = expert_status_seen (f);
  g_assert_cmpstr (seen_off, ==, "available");
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_true (call_client_wait_line (f->caller, "secured: ", 60));
  call_client_write (f->caller, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_true (call_client_wait_line (f->callee, "waiting: for the next",
          60));
  g_subprocess_send_signal (f->callee->proc, SIGTERM);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
}

/* A caller whose `call NAME` is refused (exit 2) with @message. */
static void
expect_name_refused (Fixture * f, const char *name, const char *message)
{
  const char *args[] = { "call", name, NULL };
  g_autofree char *log = NULL;

  f->caller = call_client_spawn (f->world, "goggles", NULL, args);
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_USAGE);
  log = call_client_stderr (f->caller);
  if (strstr (log, message) == NULL)
    g_error ("expected \"%s\" on stderr, got: %s", message, log);
  g_assert_null (call_client_find_line (f->caller, "calling: "));
  g_clear_pointer (&f->caller, call_client_free);
}

/* `call NAME`: the display name of exactly one device online, any case;
 * two devices with that name, or none, are refused with their ids. */
static void
test_call_by_name (Fixture * f, gconstpointer data)
{
  const char *twin_issue[] = { "issue-device", "--id", "twin", "--name",
    "THE EXPERT", "--role", "expert", NULL
  };
  const char *callee_args[] = { "--once", "--auto-answer", "wait", NULL };
  const char *caller_args[] = { "call", "the Expert", NULL };

  call_world_ca_run (f->world, twin_issue);
  f->callee = call_client_spawn (f->world, "expert", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->callee, "server: connected", 60));
  /* Issued into the CA directory, where the harness looks. */
  f->third = call_client_spawn (f->world, "twin", NULL, callee_args);
  g_assert_true (call_client_wait_line (f->third, "server: connected", 60));

  expect_name_refused (f, "The Expert", "is the name of 2 devices online "
      "(expert, twin)");
  expect_name_refused (f, "Nobody Here", "no device online has the id or "
      "name \"Nobody Here\"");

  g_subprocess_send_signal (f->third->proc, SIGTERM);
  g_assert_cmpint (call_client_wait_exit (f->third, 60), ==, EXIT_OK);
  f->caller = call_client_spawn (f->world, "goggles", NULL, caller_args);
  g_assert_true (call_client_wait_line (f->caller, "secured: ", 60));
  g_assert_nonnull (call_client_find_line (f->caller,
          "calling: expert (the Expert)"));
  call_client_write (f->caller, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->caller, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->callee, 60), ==, EXIT_OK);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, set_up, func, tear_down)
  ADD ("/expert/wait-many", test_wait_many);
  ADD ("/expert/wait-once", test_wait_once);
  ADD ("/expert/dnd", test_dnd);
  ADD ("/expert/by-name", test_call_by_name);
#undef ADD

  return g_test_run ();
}
