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
 * and real `sightline` processes on 127.0.0.1; the expert's goggles view
 * (goggles-png, optical) shows nothing where the paused video was instead
 * of its last frame.
 */

#include "config.h"

#include <string.h>
#include <cairo.h>

#include "call-harness.h"

#define EXIT_OK 0

typedef struct
{
  CallWorld *world;
  CallClient *goggles;
  CallClient *expert;
  char *png;                    /* the expert's view */
  char *own_png;                /* the goggles' own */
} Fixture;

static void
set_up (Fixture * f, gconstpointer data)
{
  f->world = call_world_new (3000);
  f->png = g_build_filename (f->world->dir, "view.png", NULL);
  f->own_png = g_build_filename (f->world->dir, "own.png", NULL);
}

static void
tear_down (Fixture * f, gconstpointer data)
{
  call_client_free (f->goggles);
  call_client_free (f->expert);
  call_world_free (f->world);
  g_free (f->png);
  g_free (f->own_png);
}

/* Waits for @n more "stats:" lines (one a second). */
static void
wait_stats_lines (CallClient * c, guint n)
{
  guint want = call_client_count_lines (c, "stats:") + n;
  gint64 deadline = g_get_monotonic_time () + (n + 10) * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();

  while (call_client_count_lines (c, "stats:") < want && !c->eof
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  g_assert_cmpuint (call_client_count_lines (c, "stats:"), >=, want);
}

/* Waits for @c's view to be rewritten once more. */
static void
wait_snapshot (CallClient * c)
{
  guint want = call_client_count_lines (c, "goggles: snapshot ") + 1;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();

  while (call_client_count_lines (c, "goggles: snapshot ") < want && !c->eof
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  g_assert_cmpuint (call_client_count_lines (c, "goggles: snapshot "), >=,
      want);
}

/* The green level at the centre of the view, where the remote video is. */
static int
centre_green (const char *path)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  guint32 *data;
  int stride, green;

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  data = (guint32 *) cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s) / 4;
  green = (data[(cairo_image_surface_get_height (s) / 2) * stride +
          cairo_image_surface_get_width (s) / 2] >> 8) & 0xff;
  cairo_surface_destroy (s);
  return green;
}

/* Pixels of slhud's amber (0xffc83d) in @path: in a verified call only the
 * HUD's "MUTED"/"CAMERA PAUSED" lines are amber. */
static guint
amber_pixels (const char *path)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  int x, y, stride;
  guint32 *data;
  guint n = 0;

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  data = (guint32 *) cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s) / 4;
  for (y = 0; y < cairo_image_surface_get_height (s); y++) {
    for (x = 0; x < cairo_image_surface_get_width (s); x++) {
      guint32 v = data[y * stride + x];
      int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;

      n += ABS (r - 0xff) <= 24 && ABS (g - 0xc8) <= 24 && ABS (b - 0x3d) <= 40;
    }
  }
  cairo_surface_destroy (s);
  return n;
}

/* The frames rendered once a stats line shows no new ones. */
static gint64
frames_settled (CallClient * c)
{
  gint64 last = call_client_last_stat (c, "video_frames");
  guint i;

  for (i = 0; i < 8; i++) {
    gint64 now;

    wait_stats_lines (c, 1);
    now = call_client_last_stat (c, "video_frames");
    if (now == last)
      return now;
    last = now;
  }
  g_error ("%s still renders new frames after 8 s", c->name);
  return -1;
}

static gboolean
video_shown (const char *path)
{
  return centre_green (path) > 0x80;
}

static gboolean
video_hidden (const char *path)
{
  return centre_green (path) < 0x10;
}

static gboolean
hud_amber (const char *path)
{
  return amber_pixels (path) > 10;
}

static gboolean
hud_plain (const char *path)
{
  return amber_pixels (path) == 0;
}

/* Waits until @c's view at @path passes @check: a loaded machine (ASan)
 * drops late frames, so a few snapshots may come first. */
static void
wait_view (CallClient * c, const char *path, gboolean (*check) (const char *),
    const char *what)
{
  guint i;

  for (i = 0; i < 15; i++) {
    wait_snapshot (c);
    if (check (path))
      return;
  }
  g_error ("%s's view: %s not seen in 15 snapshots", c->name, what);
}

static void
test_mute_and_pause (Fixture * f, gconstpointer data)
{
  g_autofree char *display = g_strdup_printf ("--display=goggles-png:%s",
      f->png);
  const char *expert_args[] = { "--code", "271828", display,
    "--goggles-size=320x180", "--mode=optical", "--opacity=1",
    "--auto-answer", "wait", "--once", NULL
  };
  g_autofree char *own = g_strdup_printf ("--display=goggles-png:%s",
      f->own_png);
  /* Green, so that the view's centre tells the video from black. */
  const char *goggles_args[] = { "--code", "271828", own,
    "--goggles-size=320x180",
    "--video=videotestsrc is-live=true pattern=solid-color "
        "foreground-color=0xff00c000", "call", "expert", NULL
  };
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
  wait_view (f->expert, f->png, video_shown, "the video");
  wait_view (f->expert, f->png, hud_plain, "a HUD without amber");
  wait_view (f->goggles, f->own_png, hud_plain, "a HUD without amber");

  call_client_write (f->goggles, "/camera off");
  g_assert_true (call_client_wait_line (f->goggles, "camera: paused", 10));
  g_assert_true (call_client_wait_line (f->expert, "peer: camera paused", 10));
  g_assert_null (call_client_find_line (f->expert, "peer: microphone"));
  /* Frames already on their way land (within a second, or a few on a
   * loaded machine); then none for three seconds. */
  paused_at = frames_settled (f->expert);
  audio_at = call_client_last_stat (f->expert, "audio_buffers");
  wait_stats_lines (f->expert, 3);
  still_at = call_client_last_stat (f->expert, "video_frames");
  g_assert_cmpint (still_at, ==, paused_at);
  /* Not the last frame frozen: nothing (black, see-through) there. */
  wait_view (f->expert, f->png, video_hidden, "no video");
  /* Both HUDs say so: "· CAMERA PAUSED" after the peer's name, and the
   * wearer's own "YOU: CAMERA PAUSED". */
  wait_view (f->expert, f->png, hud_amber, "the HUD's pause line");
  wait_view (f->goggles, f->own_png, hud_amber, "the HUD's pause line");
  /* The audio goes on while the camera is paused. */
  g_assert_cmpint (call_client_last_stat (f->expert, "audio_buffers"), >,
      audio_at);

  call_client_write (f->goggles, "/camera on");
  g_assert_true (call_client_wait_line (f->expert, "peer: camera on", 10));
  g_assert_true (call_client_wait_stat (f->expert, "video_frames",
          still_at + 10, 20));
  wait_view (f->expert, f->png, video_shown, "the video");
  wait_view (f->expert, f->png, hud_plain, "a HUD without amber");
  wait_view (f->goggles, f->own_png, hud_plain, "a HUD without amber");

  call_client_write (f->goggles, "/mute");
  g_assert_true (call_client_wait_line (f->goggles, "microphone: muted", 10));
  g_assert_true (call_client_wait_line (f->expert, "peer: microphone muted",
          10));
  wait_view (f->expert, f->png, hud_amber, "the HUD's mute line");
  wait_view (f->goggles, f->own_png, hud_amber, "the HUD's mute line");
  /* Muted is silence sent, not a stopped stream. */
  wait_stats_lines (f->expert, 1);
  audio_at = call_client_last_stat (f->expert, "audio_buffers");
  wait_stats_lines (f->expert, 2);
  g_assert_cmpint (call_client_last_stat (f->expert, "audio_buffers"), >,
      audio_at);
  call_client_write (f->goggles, "/unmute");
  g_assert_true (call_client_wait_line (f->expert, "peer: microphone on", 10));
  g_assert_cmpuint (call_client_count_lines (f->expert, "peer: camera "), ==,
      2);

  /* Bad arguments are refused and change nothing. */
  call_client_write (f->goggles, "/camera sideways");
  g_assert_true (call_client_wait_line (f->goggles, "camera: say ", 10));

  call_client_write (f->goggles, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  g_assert_cmpuint (call_client_count_lines (f->expert, "peer: "), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/call/mute/camera-and-microphone", Fixture, NULL, set_up,
      test_mute_and_pause, tear_down);
  return g_test_run ();
}
