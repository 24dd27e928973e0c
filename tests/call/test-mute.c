/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Mute and camera pause reach the peer (issue 18 item 4): `/camera off`
 * stops the frames the peer renders and its terminal says so, `/camera on`
 * brings them back; `/mute` and `/unmute` are announced the same way and
 * the audio stream goes on (silence, no renegotiation).  The real server
 * and real `sightline` processes on 127.0.0.1.
 */

#include "config.h"

#include <string.h>

#include "call-harness.h"

#define EXIT_OK 0

typedef struct
{
  CallWorld *world;
  CallClient *goggles;
  CallClient *expert;
} Fixture;

static void
set_up (Fixture * f, gconstpointer data)
{
  f->world = call_world_new (3000);
}

static void
tear_down (Fixture * f, gconstpointer data)
{
  call_client_free (f->goggles);
  call_client_free (f->expert);
  call_world_free (f->world);
}

static guint
count_lines (CallClient * c, const char *prefix)
{
  guint i, n = 0;

  for (i = 0; i < c->lines->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (c->lines, i), prefix);
  return n;
}

/* Waits for @n more "stats:" lines (one a second). */
static void
wait_stats_lines (CallClient * c, guint n)
{
  guint want = count_lines (c, "stats:") + n;
  gint64 deadline = g_get_monotonic_time () + (n + 10) * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();

  while (count_lines (c, "stats:") < want && !c->eof
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  g_assert_cmpuint (count_lines (c, "stats:"), >=, want);
}

static void
test_mute_and_pause (Fixture * f, gconstpointer data)
{
  const char *expert_args[] = { "--code", "271828", "--auto-answer", "wait",
    "--once", NULL
  };
  const char *goggles_args[] = { "--code", "271828", "call", "expert", NULL };
  gint64 paused_at, still_at, audio_at;

  f->expert = call_client_spawn (f->world, "expert", NULL, expert_args);
  g_assert_true (call_client_wait_line (f->expert, "waiting: for a call", 60));
  f->goggles = call_client_spawn (f->world, "goggles", NULL, goggles_args);
  g_assert_true (call_client_wait_line (f->goggles, "verified: code", 60));
  g_assert_true (call_client_wait_stat (f->expert, "video_frames", 10, 60));
  /* Frames flow before the pause. */
  paused_at = call_client_last_stat (f->expert, "video_frames");
  wait_stats_lines (f->expert, 1);
  g_assert_cmpint (call_client_last_stat (f->expert, "video_frames"), >,
      paused_at);

  call_client_write (f->goggles, "/camera off");
  g_assert_true (call_client_wait_line (f->goggles, "camera: paused", 10));
  g_assert_true (call_client_wait_line (f->expert, "peer: camera paused", 10));
  g_assert_null (call_client_find_line (f->expert, "peer: microphone"));
  /* Frames already on their way land within a second; then none. */
  wait_stats_lines (f->expert, 2);
  paused_at = call_client_last_stat (f->expert, "video_frames");
  audio_at = call_client_last_stat (f->expert, "audio_buffers");
  wait_stats_lines (f->expert, 3);
  still_at = call_client_last_stat (f->expert, "video_frames");
  g_assert_cmpint (still_at, ==, paused_at);
  /* The audio goes on while the camera is paused. */
  g_assert_cmpint (call_client_last_stat (f->expert, "audio_buffers"), >,
      audio_at);

  call_client_write (f->goggles, "/camera on");
  g_assert_true (call_client_wait_line (f->expert, "peer: camera on", 10));
  g_assert_true (call_client_wait_stat (f->expert, "video_frames",
          still_at + 10, 20));

  call_client_write (f->goggles, "/mute");
  g_assert_true (call_client_wait_line (f->goggles, "microphone: muted", 10));
  g_assert_true (call_client_wait_line (f->expert, "peer: microphone muted",
          10));
  /* Muted is silence sent, not a stopped stream. */
  wait_stats_lines (f->expert, 1);
  audio_at = call_client_last_stat (f->expert, "audio_buffers");
  wait_stats_lines (f->expert, 2);
  g_assert_cmpint (call_client_last_stat (f->expert, "audio_buffers"), >,
      audio_at);
  call_client_write (f->goggles, "/unmute");
  g_assert_true (call_client_wait_line (f->expert, "peer: microphone on", 10));
  g_assert_cmpuint (count_lines (f->expert, "peer: camera "), ==, 2);

  /* Bad arguments are refused and change nothing. */
  call_client_write (f->goggles, "/camera sideways");
  g_assert_true (call_client_wait_line (f->goggles, "camera: say ", 10));

  call_client_write (f->goggles, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  g_assert_cmpuint (count_lines (f->expert, "peer: "), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/call/mute/camera-and-microphone", Fixture, NULL, set_up,
      test_mute_and_pause, tear_down);
  return g_test_run ();
}
