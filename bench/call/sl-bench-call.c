/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Call benchmarks.  Each prints our figure, a baseline measured in the
 * same run, and the ratio.
 *
 *   sl-bench-call media [SECONDS]
 *     Two media sessions in this process, 1280x720 at 30 fps both ways over
 *     127.0.0.1: capture-to-decode latency per frame (frames carry their
 *     capture time as a simplevideomark pattern; both ends share
 *     CLOCK_MONOTONIC) and CPU per peer.  Baseline: the same pipelines with
 *     GStreamer's stock encoder and webrtcbin settings.
 *
 *   sl-bench-call click SERVER-URL CA-DIR [RUNS]
 *     Click-to-video through a running sightline-server: from placing the
 *     call to the first decoded remote frame at the caller, callee
 *     auto-answering, including TLS signalling and the handshake.
 *     CA-DIR is a sightline-ca directory with devices bench-a and bench-b.
 *     bench/call/run-bench.sh does all of this.
 *     Baseline: two plain webrtcbins with stock settings exchanging SDP
 *     directly, each run in a fresh process so that it pays for its DTLS
 *     certificate like a real first call.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <gst/gst.h>

#include "sl-call.h"
#include "sl-crypto.h"
#include "sl-dtls-guard.h"
#include "sl-media-session.h"
#include "sl-signal-client.h"

#define WAIT_SECONDS 60

/* ------------------------------------------------------------------ */
/* Two media sessions in one process                                    */

typedef struct
{
  SlMediaSession *a;
  SlMediaSession *b;
  int verified;
  gboolean failed;
  gint64 first_frame_us;
} Pair;

static SlMediaSession *
other (Pair * p, SlMediaSession * s)
{
  return s == p->a ? p->b : p->a;
}

static void
on_description (SlMediaSession * s, const char *type, const char *sdp, Pair * p)
{
  if (!sl_media_session_set_remote_description (other (p, s), sdp, NULL))
    p->failed = TRUE;
}

static void
on_candidate (SlMediaSession * s, guint mline, const char *c, Pair * p)
{
  sl_media_session_add_remote_candidate (other (p, s), mline, c, NULL);
}

static void
on_verified (SlMediaSession * s, Pair * p)
{
  p->verified++;
  sl_media_session_open_gates (s);
}

static void
on_failed (SlMediaSession * s, GError * error, Pair * p)
{
  g_printerr ("media failed: %s\n", error->message);
  p->failed = TRUE;
}

static void
on_first_frame (SlMediaSession * s, gint64 when, Pair * p)
{
  if (s == p->a && p->first_frame_us < 0)
    p->first_frame_us = when;
}

static SlMediaSession *
pair_session (Pair * p, const SlMediaOptions * opts, gboolean offerer)
{
  g_autoptr (GError) error = NULL;
  SlMediaSession *s = sl_media_session_new (opts, offerer,
      SL_VIDEO_CODEC_VP8, &error);

  if (s == NULL) {
    g_printerr ("cannot build the pipeline: %s\n", error->message);
    exit (1);
  }
  g_signal_connect (s, "local-description", G_CALLBACK (on_description), p);
  g_signal_connect (s, "local-candidate", G_CALLBACK (on_candidate), p);
  g_signal_connect (s, "dtls-verified", G_CALLBACK (on_verified), p);
  g_signal_connect (s, "failed", G_CALLBACK (on_failed), p);
  g_signal_connect (s, "first-frame", G_CALLBACK (on_first_frame), p);
  return s;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
iterate_until (gboolean * flag, gint64 deadline)
{
  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return *flag;
}

static void
pair_start (Pair * p, const SlMediaOptions * opts)
{
  p->first_frame_us = -1;
  p->a = pair_session (p, opts, TRUE);
  p->b = pair_session (p, opts, FALSE);
  if (!sl_media_session_start (p->b, NULL)
      || !sl_media_session_start (p->a, NULL)) {
    g_printerr ("cannot start the pipelines\n");
    exit (1);
  }
}

static void
pair_stop (Pair * p)
{
  sl_media_session_stop (p->a);
  sl_media_session_stop (p->b);
  g_clear_object (&p->a);
  g_clear_object (&p->b);
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

typedef struct
{
  double p50;
  double p95;
  guint samples;
  double cpu_per_peer;
  double fps;
} MediaResult;

static double
percentile (GArray * sorted, double q)
{
  guint i;

  if (sorted->len == 0)
    return -1;
  i = MIN (sorted->len - 1, (guint) (sorted->len * q));
  return g_array_index (sorted, double, i);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run_media (gboolean stock, int seconds, MediaResult * r)
{
  g_autoptr (SlMediaOptions) opts = sl_media_options_new ();
  char *addresses[] = { (char *) "127.0.0.1", NULL };
  Pair p = { 0, };
  gboolean flowing = FALSE, done = FALSE;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) la = NULL, lb = NULL;
  SlMediaStats sa, sb;
  double cpu0, cpu1;
  gint64 t0, t1;

  opts->video_source = g_strdup ("test");
  opts->audio_source = g_strdup ("test");
  opts->width = 1280;
  opts->height = 720;
  opts->framerate = 30;
  opts->video_kbps = 2500;
  opts->mark_frames = TRUE;
  opts->stock = stock;
  opts->ice_addresses = g_strdupv (addresses);
  pair_start (&p, opts);

  while (!flowing && !p.failed && g_get_monotonic_time () < deadline) {
    g_main_context_iteration (NULL, TRUE);
    flowing = p.verified == 2 && p.first_frame_us > 0;
  }
  if (!flowing) {
    g_printerr ("media did not flow\n");
    exit (1);
  }
  /* Warm-up: let rate control and the jitterbuffers settle. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  iterate_until (&done, deadline);
  g_array_set_size (all, 0);
  sl_media_session_get_stats (p.a, &sa);
  sl_media_session_get_stats (p.b, &sb);
  sl_media_session_reset_latencies (p.a);
  sl_media_session_reset_latencies (p.b);
  {
    guint64 frames0 = sa.video_frames_rendered + sb.video_frames_rendered;

    sl_media_stats_clear (&sa);
    sl_media_stats_clear (&sb);

    cpu0 = cpu_seconds ();
    t0 = g_get_monotonic_time ();
    deadline = t0 + seconds * G_USEC_PER_SEC;
    done = FALSE;
    iterate_until (&done, deadline);
    cpu1 = cpu_seconds ();
    t1 = g_get_monotonic_time ();

    sl_media_session_get_stats (p.a, &sa);
    sl_media_session_get_stats (p.b, &sb);
    r->fps = (sa.video_frames_rendered + sb.video_frames_rendered - frames0)
        / 2.0 / ((t1 - t0) / 1e6);
    sl_media_stats_clear (&sa);
    sl_media_stats_clear (&sb);
    /* Latencies are kept sorted, so take every sample and re-sort. */
    la = sl_media_session_get_latencies (p.a);
    lb = sl_media_session_get_latencies (p.b);
    g_array_append_vals (all, la->data, la->len);
    g_array_append_vals (all, lb->data, lb->len);
  }
  g_array_sort (all, compare_double);
  r->p50 = percentile (all, 0.50);
  r->p95 = percentile (all, 0.95);
  r->samples = all->len;
  r->cpu_per_peer = (cpu1 - cpu0) / ((t1 - t0) / 1e6) / 2.0;
  pair_stop (&p);
}

static int
bench_media (int seconds)
{
  MediaResult ours = { 0, }, stock = { 0, };

  printf ("media: 1280x720 30 fps VP8 + Opus both ways over 127.0.0.1, "
      "%d s per run (after 2 s warm-up)\n", seconds);
  run_media (FALSE, seconds, &ours);
  run_media (TRUE, seconds, &stock);
  printf ("%-34s %10s %10s %8s\n", "", "sightline", "stock", "ratio");
  printf ("%-34s %10.1f %10.1f %8.2f\n", "latency p50 (ms)", ours.p50,
      stock.p50, ours.p50 / stock.p50);
  printf ("%-34s %10.1f %10.1f %8.2f\n", "latency p95 (ms)", ours.p95,
      stock.p95, ours.p95 / stock.p95);
  printf ("%-34s %10u %10u\n", "latency samples", ours.samples, stock.samples);
  printf ("%-34s %10.2f %10.2f %8.2f\n", "CPU per peer (cores)",
      ours.cpu_per_peer, stock.cpu_per_peer,
      ours.cpu_per_peer / stock.cpu_per_peer);
  printf ("%-34s %10.1f %10.1f\n", "received fps per peer", ours.fps,
      stock.fps);
  printf ("goals: p50 <= 25 ms, p95 <= 40 ms, CPU <= 0.5 core per peer\n");
  return 0;
}

/* ------------------------------------------------------------------ */
/* Click-to-video                                                       */

/* One baseline call in this (fresh) process: stock webrtcbin settings,
 * SDP exchanged directly, the DTLS certificate made on first use. */
static int
baseline_once (void)
{
  g_autoptr (SlMediaOptions) opts = sl_media_options_new ();
  char *addresses[] = { (char *) "127.0.0.1", NULL };
  Pair p = { 0, };
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + WAIT_SECONDS * G_USEC_PER_SEC;

  opts->video_source = g_strdup ("test");
  opts->audio_source = g_strdup ("test");
  opts->stock = TRUE;
  opts->ice_addresses = g_strdupv (addresses);
  pair_start (&p, opts);
  while (p.first_frame_us < 0 && !p.failed
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (p.first_frame_us < 0)
    return 1;
  printf ("baseline-ms=%.1f\n", (p.first_frame_us - start) / 1000.0);
  pair_stop (&p);
  return 0;
}

typedef struct
{
  SlSignalClient *a;
  SlSignalClient *b;
  SlCall *caller;
  SlCall *callee;
  SlMediaOptions *opts;
  gint64 first_frame_us;
  gboolean ended;
  gboolean failed;
} Click;

static void
on_click_first_frame (SlCall * call, gint64 when, Click * c)
{
  c->first_frame_us = when;
}

static void
on_click_ended (SlCall * call, GError * error, Click * c)
{
  if (error) {
    g_printerr ("call ended: %s\n", error->message);
    c->failed = TRUE;
  }
  c->ended = TRUE;
}

static void
on_incoming (SlSignalClient * signal, SlMessage * msg, Click * c)
{
  if (c->callee && sl_call_handle_message (c->callee, msg))
    return;
  if (!g_str_equal (sl_message_get_type_name (msg), "incoming"))
    return;
  g_clear_object (&c->callee);
  c->callee = sl_call_new_incoming (signal, c->opts, msg, NULL, NULL);
  if (c->callee) {
    sl_call_start (c->callee);
    sl_call_accept (c->callee);
  }
}

static void
on_caller_message (SlSignalClient * signal, SlMessage * msg, Click * c)
{
  if (c->caller)
    sl_call_handle_message (c->caller, msg);
}

static SlSignalClient *
click_client (const char *url, const char *dir, const char *name)
{
  g_autofree char *crt = g_strdup_printf ("%s/devices/%s.crt", dir, name);
  g_autofree char *key = g_strdup_printf ("%s/devices/%s.key", dir, name);
  g_autofree char *ca = g_strdup_printf ("%s/ca.crt", dir);
  g_autoptr (GError) error = NULL;
  SlSignalClient *s = sl_signal_client_new (url, crt, key, ca, &error);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  if (s == NULL) {
    g_printerr ("%s\n", error->message);
    exit (1);
  }
  sl_signal_client_start (s);
  while (!sl_signal_client_is_connected (s)
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!sl_signal_client_is_connected (s)) {
    g_printerr ("cannot connect to %s\n", url);
    exit (1);
  }
  return s;
}

static int
bench_click (const char *url, const char *dir, int runs, const char *self)
{
  Click c = { 0, };
  char *addresses[] = { (char *) "127.0.0.1", NULL };
  g_autoptr (GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) stock = g_array_new (FALSE, FALSE, sizeof (double));
  const char *peer_id;
  int i;

  if (!sl_media_prepare_dtls (NULL))
    return 1;
  c.opts = sl_media_options_new ();
  c.opts->video_source = g_strdup ("test");
  c.opts->audio_source = g_strdup ("test");
  c.opts->ice_addresses = g_strdupv (addresses);
  c.a = click_client (url, dir, "bench-a");
  c.b = click_client (url, dir, "bench-b");
  peer_id = sl_signal_client_get_device_id (c.b);
  g_signal_connect (c.a, "call-message", G_CALLBACK (on_caller_message), &c);
  g_signal_connect (c.b, "call-message", G_CALLBACK (on_incoming), &c);

  for (i = 0; i < runs; i++) {
    gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
    gboolean done = FALSE;
    double ms;

    c.first_frame_us = -1;
    c.ended = c.failed = FALSE;
    c.caller = sl_call_new_outgoing (c.a, c.opts, peer_id, NULL);
    g_signal_connect (c.caller, "first-frame",
        G_CALLBACK (on_click_first_frame), &c);
    g_signal_connect (c.caller, "ended", G_CALLBACK (on_click_ended), &c);
    sl_call_start (c.caller);
    while (c.first_frame_us < 0 && !c.ended
        && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    if (c.first_frame_us < 0) {
      g_printerr ("run %d: no frame\n", i);
      return 1;
    }
    ms = (c.first_frame_us - sl_call_get_created_us (c.caller)) / 1000.0;
    g_array_append_val (ours, ms);
    sl_call_hangup (c.caller);
    /* Let both ends finish before the next call. */
    while ((!c.ended || (c.callee
                && sl_call_get_state (c.callee) != SL_CALL_STATE_ENDED))
        && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    deadline = g_get_monotonic_time () + 300 * 1000;
    iterate_until (&done, deadline);
    g_clear_object (&c.caller);
    g_clear_object (&c.callee);
  }
  sl_signal_client_stop (c.a);
  sl_signal_client_stop (c.b);

  for (i = 0; i < runs; i++) {
    g_autofree char *output = NULL;
    const char *argv[] = { self, "baseline-once", NULL };
    int status = 0;
    double ms;

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL,
            NULL, &output, NULL, &status, NULL) || status != 0) {
      g_printerr ("baseline run %d failed\n", i);
      return 1;
    }
    {
      const char *line = strstr (output, "baseline-ms=");

      if (line == NULL) {
        g_printerr ("baseline run %d printed no time\n", i);
        return 1;
      }
      ms = g_ascii_strtod (line + strlen ("baseline-ms="), NULL);
    }
    g_array_append_val (stock, ms);
  }
  g_array_sort (ours, compare_double);
  g_array_sort (stock, compare_double);
  printf ("click-to-video over %d calls (640x480 VP8, 127.0.0.1)\n", runs);
  printf ("sightline runs (ms, sorted):");
  for (i = 0; i < (int) ours->len; i++)
    printf (" %.0f", g_array_index (ours, double, i));
  printf ("\nstock runs (ms, sorted):");
  for (i = 0; i < (int) stock->len; i++)
    printf (" %.0f", g_array_index (stock, double, i));
  printf ("\n");
  printf ("%-34s %10s %10s %8s\n", "", "sightline", "stock", "ratio");
  printf ("%-34s %10.1f %10.1f %8.2f\n", "p50 (ms)", percentile (ours, 0.5),
      percentile (stock, 0.5), percentile (ours, 0.5) / percentile (stock,
          0.5));
  printf ("%-34s %10.1f %10.1f %8.2f\n", "p95 (ms)", percentile (ours, 0.95),
      percentile (stock, 0.95), percentile (ours, 0.95) / percentile (stock,
          0.95));
  printf ("sightline includes TLS signalling, the handshake, sealing and "
      "the DTLS binding; stock exchanges SDP directly\n");
  printf ("goals: p50 <= 150 ms, p95 <= 250 ms\n");
  g_clear_object (&c.a);
  g_clear_object (&c.b);
  sl_media_options_free (c.opts);
  return 0;
}

int
main (int argc, char **argv)
{
  int ret = 2;

  sl_crypto_init_process ();
  gst_init (&argc, &argv);
  sl_dtls_guard_install ();
  setvbuf (stdout, NULL, _IOLBF, 0);
  /* Wakes every wait loop up, so that deadlines hold without events. */
  g_timeout_add (100, tick, NULL);
  if (argc >= 2 && g_str_equal (argv[1], "media"))
    ret = bench_media (argc > 2 ? atoi (argv[2]) : 10);
  else if (argc >= 2 && g_str_equal (argv[1], "baseline-once"))
    ret = baseline_once ();
  else if (argc >= 4 && g_str_equal (argv[1], "click"))
    ret = bench_click (argv[2], argv[3], argc > 4 ? atoi (argv[4]) : 20,
        argv[0]);
  else
    g_printerr ("usage: %s media [SECONDS] | click URL CERT-DIR [RUNS]\n",
        argv[0]);
  return ret;
}
