/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Calls the operator's call policy refuses (docs/PROTOCOL.md §6.3), with
 * the real server and real `sightline` processes on 127.0.0.1: the
 * command exits with its documented status and the other device never
 * rings.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <string.h>

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, set_up, func, tear_down)
  ADD ("/group/policy-denied", test_policy_denied);
#undef ADD

  return g_test_run ();
}
