/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sightlinebin with gst-launch-1.0 itself, against the `sightline`
 * command through the real server, ICE on 127.0.0.1 only:
 *   - the element calls a device that waits and auto-answers: frames
 *     come out of remote_video, the command receives ours, and the
 *     pipeline ends (exit 0) when the command hangs up;
 *   - the element waits and auto-answers, the command calls it and keeps
 *     what it receives with --video-sink: frames both ways, exit 0 when
 *     the command hangs up;
 *   - a wrong security code: an error on the bus that says so, and
 *     gst-launch-1.0 exits non-zero.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "call-harness.h"

#define WAIT_SECONDS 90
#define MIN_FRAMES 30
#define WIDTH 320
#define HEIGHT 240

typedef struct
{
  CallWorld *world;
  CallClient *cli;
  CallClient *launch;
} Fixture;

static void
setup (Fixture * f, gconstpointer data)
{
  f->world = call_world_new (10000);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  call_client_free (f->launch);
  call_client_free (f->cli);
  call_world_free (f->world);
}

/* gst-launch-1.0 -m with sightlinebin as @device; @element_args and
 * @tail complete the line. */
static CallClient *
spawn_launch (Fixture * f, const char *device, const char *element_args,
    const char *tail)
{
  CallWorld *w = f->world;
  g_autofree char *line = g_strdup_printf ("videotestsrc is-live=true ! "
      "video/x-raw,width=%d,height=%d ! sightlinebin name=c server=%s "
      "cert=%s/devices/%s.crt key=%s/devices/%s.key ca=%s/ca.crt "
      "ice-address=127.0.0.1 width=%d height=%d bitrate=400 %s "
      "c.remote_video ! fakesink name=fs silent=false %s",
      WIDTH, HEIGHT, w->url, w->dir, device, w->dir, device, w->dir, WIDTH,
      HEIGHT,
      element_args, tail ? tail : "");
  g_autofree char *data_home = g_strdup_printf ("XDG_DATA_HOME=%s/launch",
      w->dir);
  g_autofree char *preload = NULL;
  g_auto (GStrv) words = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  /* GStreamer's DTLS log names the size of every datagram it writes. */
  const char *env[4] = { data_home, "GST_DEBUG=dtlsconnection:6", NULL, NULL };
  GError *error = NULL;
  guint i;

  /* A sanitized build's plugin needs the sanitizer's runtime first in
   * gst-launch-1.0, which is not built with it. */
  if (g_getenv ("SL_SANITIZER_PRELOAD")) {
    preload = g_strdup_printf ("LD_PRELOAD=%s",
        g_getenv ("SL_SANITIZER_PRELOAD"));
    env[2] = preload;
  }
  g_assert_true (g_shell_parse_argv (line, NULL, &words, &error));
  g_assert_no_error (error);
  g_ptr_array_add (argv, "gst-launch-1.0");
  g_ptr_array_add (argv, "-m");
  g_ptr_array_add (argv, "-v");
  for (i = 0; words[i]; i++)
    g_ptr_array_add (argv, words[i]);
  g_ptr_array_add (argv, NULL);
  g_test_message ("gst-launch-1.0 -m -v %s", line);
  return call_client_spawn_argv ("launch", env,
      (const char *const *) argv->pdata);
}

/* The lines gst-launch-1.0 printed that contain @text. */
static guint
count_lines (CallClient * c, const char *text)
{
  guint i, n = 0;

  for (i = 0; i < c->lines->len; i++)
    if (strstr (g_ptr_array_index (c->lines, i), text))
      n++;
  return n;
}

static gboolean
wait_for (CallClient * c, const char *text, int seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();

  while (count_lines (c, text) == 0 && !c->eof
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  return count_lines (c, text) > 0;
}

/* gst-launch-1.0 reports a pipeline error on standard error, which the
 * harness counts as a problem: only that one is expected here.  Returns
 * the exit status. */
static int
wait_failed_launch (CallClient * c, const char *error_text)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();
  guint i;

  while ((!c->eof || !c->err_eof) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  g_assert_true (c->eof && c->err_eof);
  g_assert_nonnull (strstr (c->err_text->str, error_text));
  for (i = 0; i < c->problems->len; i++)
    if (strstr (g_ptr_array_index (c->problems, i), error_text))
      g_ptr_array_remove_index (c->problems, i--);
  return call_client_wait_exit (c, WAIT_SECONDS);
}

/* The largest DTLS handshake datagram gst-launch-1.0's call wrote: GStreamer 1.22
 * alone writes at most 256-byte records (278 bytes seen, tests/dtls),
 * tuned flights fill up to 1200 (the plugin's sl_dtls_tuning_install()). */
static guint
largest_datagram (CallClient * c)
{
  const char *at = c->err_text->str;
  /* The handshake's only: the data channel's SCTP packets come after. */
  const char *end = strstr (at, "handshake just completed");
  guint largest = 0;

  g_assert_nonnull (end);
  while ((at = strstr (at, "BIO: writing ")) != NULL && at < end) {
    at += strlen ("BIO: writing ");
    largest = MAX (largest, (guint) g_ascii_strtoull (at, NULL, 10));
  }
  return largest;
}

/* Frames the fakesink behind remote_video received (-v prints each). */
static guint
received_frames (CallClient * launch)
{
  return count_lines (launch, "GstFakeSink:fs: last-message = chain");
}

static void
test_element_calls (Fixture * f, gconstpointer data)
{
  const char *cli_args[] =
      { "--auto-answer", "--duration=3", "--once", "wait", NULL };
  g_autoptr (JsonObject) stats = NULL;

  f->cli = call_client_spawn (f->world, "expert", NULL, cli_args);
  g_assert_true (call_client_wait_line (f->cli, "server: connected",
          WAIT_SECONDS));
  f->launch = spawn_launch (f, "goggles", "peer=expert", NULL);

  /* The command hangs up 3 s after the call is secured (however long a
   * loaded machine takes to get there): the element ends its streams and
   * gst-launch-1.0 its pipeline. */
  g_assert_cmpint (call_client_wait_exit (f->launch, WAIT_SECONDS), ==, 0);
  g_assert_cmpint (call_client_wait_exit (f->cli, WAIT_SECONDS), ==, 0);
  g_assert_cmpuint (count_lines (f->launch, "sightline-call-state, "
          "state=(string)secured, peer=(string)expert, caller=(boolean)true"),
      ==, 1);
  g_assert_cmpuint (count_lines (f->launch, "sightline-auth, "
          "security=(string)secured, authenticated-by=(string)none"), ==, 1);
  g_assert_cmpuint (count_lines (f->launch, "sightline-sas, sas=(string)"),
      ==, 1);
  g_assert_cmpuint (count_lines (f->launch, "Got EOS from element"), ==, 1);
  g_assert_cmpuint (received_frames (f->launch), >=, MIN_FRAMES);
  /* The plugin tuned the call's DTLS in gst-launch-1.0. */
  g_assert_cmpuint (largest_datagram (f->launch), >, 400);
  g_assert_cmpuint (largest_datagram (f->launch), <=, 1200);
  stats = call_client_stats (f->cli);
  g_assert_true (json_object_has_member (stats, "video_frames_rendered"));
  g_assert_cmpint (json_object_get_int_member (stats,
          "video_frames_rendered"), >=, MIN_FRAMES);
}

static void
test_element_waits (Fixture * f, gconstpointer data)
{
  g_autofree char *yuv = g_build_filename (f->world->dir, "received.yuv",
      NULL);
  g_autofree char *sink = g_strdup_printf ("--video-sink=videoconvert ! "
      "video/x-raw,format=I420 ! filesink location=%s", yuv);
  const char *cli_args[] = { sink, "--duration=3", "call", "expert", NULL };
  GStatBuf st;

  f->launch = spawn_launch (f, "expert", "auto-answer=true", NULL);
  g_assert_true (wait_for (f->launch, "sightline-connected, "
          "device=(string)expert", WAIT_SECONDS));
  f->cli = call_client_spawn (f->world, "goggles", NULL, cli_args);

  /* The command hangs up 3 s after the call is secured; the element ends
   * its streams and gst-launch-1.0 its pipeline. */
  g_assert_cmpint (call_client_wait_exit (f->cli, WAIT_SECONDS), ==, 0);
  g_assert_cmpint (call_client_wait_exit (f->launch, WAIT_SECONDS), ==, 0);
  g_assert_cmpuint (count_lines (f->launch, "sightline-incoming, "
          "peer=(string)goggles"), ==, 1);
  g_assert_cmpuint (count_lines (f->launch, "sightline-call-state, "
          "state=(string)secured, peer=(string)goggles, "
          "caller=(boolean)false"), ==, 1);
  g_assert_cmpuint (received_frames (f->launch), >=, MIN_FRAMES);
  /* What the element sent, raw, as the command's --video-sink kept it. */
  g_assert_cmpint (g_stat (yuv, &st), ==, 0);
  g_test_message ("--video-sink kept %" G_GINT64_FORMAT " bytes",
      (gint64) st.st_size);
  g_assert_cmpint (st.st_size, >=, (gint64) MIN_FRAMES * WIDTH * HEIGHT * 3
      / 2);
}

static void
test_wrong_code (Fixture * f, gconstpointer data)
{
  const char *cli_args[] =
      { "--code", "271828", "--auto-answer", "--once", "wait",
    NULL
  };

  f->cli = call_client_spawn (f->world, "expert", NULL, cli_args);
  g_assert_true (call_client_wait_line (f->cli, "server: connected",
          WAIT_SECONDS));
  f->launch = spawn_launch (f, "goggles", "peer=expert code=314159", NULL);
  g_assert_cmpint (wait_failed_launch (f->launch, "ERROR: from element "
          "/GstPipeline:pipeline0/GstSightlineBin:c: The other device ended "
          "the call set-up: the security codes do not match"), ==, 1);
  g_assert_cmpuint (count_lines (f->launch, "security=(string)failed"), ==, 1);
  g_assert_cmpuint (count_lines (f->launch, "state=(string)secured"), ==, 0);
  g_assert_cmpuint (received_frames (f->launch), ==, 0);
  g_assert_cmpint (call_client_wait_exit (f->cli, WAIT_SECONDS), !=, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/launch/element-calls", Fixture, NULL, setup,
      test_element_calls, teardown);
  g_test_add ("/launch/element-waits", Fixture, NULL, setup,
      test_element_waits, teardown);
  g_test_add ("/launch/wrong-code", Fixture, NULL, setup, test_wrong_code,
      teardown);
  return g_test_run ();
}
