/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Call benchmarks.  Each prints our figure beside two baselines measured
 * in the same run, the ratios, and the load average at start and end.
 *
 *   sl-bench-call media [SECONDS]
 *     Two media sessions in this process, 1280x720 at 30 fps both ways over
 *     127.0.0.1: capture-to-decode latency per frame (frames carry their
 *     capture time as a simplevideomark pattern; both ends share
 *     CLOCK_MONOTONIC) and CPU per peer.  Two contents: the near-black
 *     moving ball of the test source, and SMPTE bars scrolling sideways
 *     (every pixel moves every frame: hard to encode).
 *
 *   sl-bench-call click SERVER-URL CA-DIR [RUNS]
 *     Click-to-video through a running sightline-server: from placing the
 *     call to the first decoded remote frame at the caller, callee
 *     auto-answering, including TLS signalling and the handshake.
 *     CA-DIR is a sightline-ca directory with devices bench-a and bench-b.
 *     bench/call/run-bench.sh does all of this.
 *
 * Baselines:
 *   tuned stock  two plain webrtcbins in this (warm) process, SDP and
 *                candidates handed over directly, with Sightline's encoder
 *                settings, jitterbuffer and keyframe policy and an ECDSA
 *                certificate made before timing (sl-bench-plain.c): the
 *                ratio against it is the cost of Sightline's own layer.
 *   naive stock  GStreamer's defaults (vp8enc defaults, 200 ms
 *                jitterbuffer, no forced keyframes), as upstream examples
 *                do; for click-to-video one fresh process per call that
 *                makes its RSA certificate on first use.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <gst/gst.h>

#include "sl-bench-plain.h"
#include "sightline/sightline.h"
#include "media/sl-media-session.h"
#include "sl-crypto.h"
#include "sl-dtls-tuning.h"
#include "sl-pki.h"

#define WAIT_SECONDS 60

/* Busy content for the media benchmark: SMPTE bars scrolling sideways. */
#define BUSY_SOURCE "videotestsrc is-live=true pattern=smpte horizontal-speed=6"

static void
print_load (const char *when)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL)) {
    fields = g_strsplit (text, " ", 4);
    printf ("load average at %s: %s %s %s\n", when, fields[0], fields[1],
        fields[2]);
  }
}

/* (transfer full): an ECDSA P-256 certificate and its key, PEM, for the
 * tuned baseline's DTLS.  A leaf (digitalSignature) from a throwaway CA:
 * OpenSSL refuses to sign a handshake with a CA-only key usage. */
static char *
make_ecdsa_pem (void)
{
  static const char *const ips[] = { "127.0.0.1", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) ca_key = sl_pki_generate_key (&error);
  g_autoptr (GBytes) ca = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (GBytes) cert = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (ca_key)
    ca = sl_pki_make_ca (ca_key, "tuned stock CA", now - 3600, now + 86400,
        &error);
  if (ca)
    key = sl_pki_generate_key (&error);
  if (key)
    cert = sl_pki_issue (ca, ca_key, key, SL_PKI_USAGE_SERVER, "tuned stock",
        NULL, NULL, NULL, ips, now - 3600, now + 86400, NULL, &error);
  if (cert == NULL) {
    g_printerr ("cannot make the ECDSA certificate: %s\n", error->message);
    exit (1);
  }
  return g_strdup_printf ("%.*s%.*s", (int) g_bytes_get_size (cert),
      (const char *) g_bytes_get_data (cert, NULL),
      (int) g_bytes_get_size (key), (const char *) g_bytes_get_data (key,
          NULL));
}

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

typedef enum
{
  RUN_OURS,
  RUN_TUNED,
  RUN_TUNED_UNPACED,
  RUN_NAIVE,
} RunKind;

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

static SlMediaOptions *
media_options (const char *source, gboolean stock)
{
  SlMediaOptions *opts = sl_media_options_new ();
  char *addresses[] = { (char *) "127.0.0.1", NULL };

  opts->video_source = g_strdup (source);
  opts->audio_source = g_strdup ("test");
  opts->width = 1280;
  opts->height = 720;
  opts->framerate = 30;
  opts->video_kbps = 2500;
  opts->mark_frames = TRUE;
  opts->stock = stock;
  opts->ice_addresses = g_strdupv (addresses);
  return opts;
}

/* Sightline's sessions (ours, or the naive stock settings): media flowing
 * both ways.  Returns the frames shown so far, both sides. */
static guint64
session_frames (Pair * p)
{
  SlMediaStats sa, sb;
  guint64 frames;

  sl_media_session_get_stats (p->a, &sa);
  sl_media_session_get_stats (p->b, &sb);
  frames = sa.video_frames_rendered + sb.video_frames_rendered;
  sl_media_stats_clear (&sa);
  sl_media_stats_clear (&sb);
  return frames;
}

static GArray *
session_latencies (Pair * p)
{
  g_autoptr (GArray) la = sl_media_session_get_latencies (p->a);
  g_autoptr (GArray) lb = sl_media_session_get_latencies (p->b);
  GArray *all = g_array_new (FALSE, FALSE, sizeof (double));

  g_array_append_vals (all, la->data, la->len);
  g_array_append_vals (all, lb->data, lb->len);
  return all;
}

static void
run_media (RunKind kind, const char *source, int seconds, MediaResult * r)
{
  g_autoptr (SlMediaOptions) opts = media_options (source, kind == RUN_NAIVE);
  g_autoptr (SlBenchPlain) plain = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) all = NULL;
  Pair p = { 0, };
  gboolean flowing = FALSE, done = FALSE;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint64 frames0, frames1;
  double cpu0, cpu1;
  gint64 t0, t1;

  if (kind == RUN_TUNED || kind == RUN_TUNED_UNPACED) {
    plain = sl_bench_plain_new (opts, kind == RUN_TUNED_UNPACED, &error);
    if (plain == NULL) {
      g_printerr ("tuned stock: %s\n", error->message);
      exit (1);
    }
  } else {
    pair_start (&p, opts);
  }
  while (!flowing && g_get_monotonic_time () < deadline) {
    g_main_context_iteration (NULL, TRUE);
    if (plain)
      flowing = sl_bench_plain_connected (plain)
          && sl_bench_plain_first_frame_us (plain) > 0;
    else
      flowing = p.verified == 2 && p.first_frame_us > 0;
    if (p.failed || (plain && sl_bench_plain_failed (plain)))
      break;
  }
  if (!flowing) {
    g_printerr ("media did not flow\n");
    exit (1);
  }
  /* Warm-up: let rate control and the jitterbuffers settle. */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  iterate_until (&done, deadline);
  if (plain) {
    g_array_unref (sl_bench_plain_take_latencies (plain));
    frames0 = sl_bench_plain_frames (plain);
  } else {
    sl_media_session_reset_latencies (p.a);
    sl_media_session_reset_latencies (p.b);
    frames0 = session_frames (&p);
  }

  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  done = FALSE;
  iterate_until (&done, t0 + seconds * G_USEC_PER_SEC);
  cpu1 = cpu_seconds ();
  t1 = g_get_monotonic_time ();

  if (plain) {
    frames1 = sl_bench_plain_frames (plain);
    all = sl_bench_plain_take_latencies (plain);
  } else {
    frames1 = session_frames (&p);
    all = session_latencies (&p);
    pair_stop (&p);
  }
  r->fps = (frames1 - frames0) / 2.0 / ((t1 - t0) / 1e6);
  g_array_sort (all, compare_double);
  r->p50 = percentile (all, 0.50);
  r->p95 = percentile (all, 0.95);
  r->samples = all->len;
  r->cpu_per_peer = (cpu1 - cpu0) / ((t1 - t0) / 1e6) / 2.0;
}

static void
print_row3 (const char *what, double ours, double tuned, double naive)
{
  printf ("%-30s %10.1f %10.1f %10.1f %8.2f %8.2f\n", what, ours, tuned,
      naive, ours / tuned, ours / naive);
}

static int
bench_media (int seconds)
{
  static const struct
  {
    const char *name;
    const char *source;
  } contents[] = {
    {"ball (near-black, videotestsrc pattern=ball)", "test"},
    {"busy (SMPTE bars scrolling 6 px per frame)", BUSY_SOURCE},
  };
  guint c;

  printf ("media: 1280x720 30 fps VP8 + Opus both ways over 127.0.0.1, "
      "%d s per run (after 2 s warm-up)\n", seconds);
  print_load ("start");
  for (c = 0; c < G_N_ELEMENTS (contents); c++) {
    MediaResult ours = { 0, }, tuned = { 0, }, unpaced = { 0, }, naive = {
      0,
    };

    run_media (RUN_OURS, contents[c].source, seconds, &ours);
    run_media (RUN_TUNED, contents[c].source, seconds, &tuned);
    run_media (RUN_TUNED_UNPACED, contents[c].source, seconds, &unpaced);
    run_media (RUN_NAIVE, contents[c].source, seconds, &naive);
    printf ("\ncontent: %s\n", contents[c].name);
    printf ("%-30s %10s %10s %10s %8s %8s\n", "", "sightline", "tuned",
        "naive", "/tuned", "/naive");
    print_row3 ("latency p50 (ms)", ours.p50, tuned.p50, naive.p50);
    print_row3 ("latency p95 (ms)", ours.p95, tuned.p95, naive.p95);
    printf ("%-30s %10u %10u %10u\n", "latency samples", ours.samples,
        tuned.samples, naive.samples);
    printf ("%-30s %10.2f %10.2f %10.2f %8.2f %8.2f\n",
        "CPU per peer (cores)", ours.cpu_per_peer, tuned.cpu_per_peer,
        naive.cpu_per_peer, ours.cpu_per_peer / tuned.cpu_per_peer,
        ours.cpu_per_peer / naive.cpu_per_peer);
    printf ("%-30s %10.1f %10.1f %10.1f\n", "received fps per peer",
        ours.fps, tuned.fps, naive.fps);
    printf ("tuned stock with the engine's send pacing change too: latency "
        "p50 %.1f ms, p95 %.1f ms, CPU %.2f cores, %.1f fps (sightline / "
        "it: %.2f, %.2f, %.2f)\n", unpaced.p50, unpaced.p95,
        unpaced.cpu_per_peer, unpaced.fps, ours.p50 / unpaced.p50,
        ours.p95 / unpaced.p95, ours.cpu_per_peer / unpaced.cpu_per_peer);
  }
  printf ("\ngoals: p50 <= 25 ms, p95 <= 40 ms, CPU <= 0.5 core per peer\n");
  print_load ("end");
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
  SlPhone *pa;
  SlPhone *pb;
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
on_caller_added (SlPhone * phone, SlCall * call, Click * c)
{
  g_signal_connect (call, "first-frame", G_CALLBACK (on_click_first_frame), c);
  g_signal_connect (call, "ended", G_CALLBACK (on_click_ended), c);
}

static void
on_callee_added (SlPhone * phone, SlCall * call, Click * c)
{
  g_clear_object (&c->callee);
  c->callee = g_object_ref (call);
}

static void
on_incoming_call (SlPhone * phone, SlCall * call, Click * c)
{
  sl_call_accept (call);
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

/* One tuned-stock call in this warm process: plain webrtcbins, the
 * ECDSA certificate already made.  Returns the click-to-video time in ms. */
static double
tuned_once (const SlMediaOptions * opts)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlBenchPlain) plain = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + WAIT_SECONDS * G_USEC_PER_SEC;
  gint64 first = -1;
  gboolean done = FALSE;

  plain = sl_bench_plain_new (opts, FALSE, &error);
  if (plain == NULL) {
    g_printerr ("tuned stock: %s\n", error->message);
    exit (1);
  }
  while (first < 0 && !sl_bench_plain_failed (plain)
      && g_get_monotonic_time () < deadline) {
    g_main_context_iteration (NULL, TRUE);
    first = sl_bench_plain_first_frame_us (plain);
  }
  if (first < 0) {
    g_printerr ("tuned stock: no frame\n");
    exit (1);
  }
  /* Connected by now on both sides (the first frame needs it at both). */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!sl_bench_plain_connected (plain)
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!sl_bench_plain_used_certificate (plain)) {
    g_printerr ("tuned stock: the peers did not present the ECDSA "
        "certificate\n");
    exit (1);
  }
  g_clear_pointer (&plain, sl_bench_plain_free);
  /* The same pause as after one of ours. */
  iterate_until (&done, g_get_monotonic_time () + 300 * 1000);
  return (first - start) / 1000.0;
}

/* One of ours: the caller's call from creation to its first frame shown. */
static double
ours_once (Click * c, const char *peer_id, int run)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  gboolean done = FALSE;
  double ms;

  c->first_frame_us = -1;
  c->ended = c->failed = FALSE;
  c->caller = sl_phone_call (c->pa, peer_id, NULL, NULL);
  if (c->caller == NULL) {
    g_printerr ("run %d: cannot call\n", run);
    exit (1);
  }
  while (c->first_frame_us < 0 && !c->ended
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (c->first_frame_us < 0) {
    g_printerr ("run %d: no frame\n", run);
    exit (1);
  }
  ms = (c->first_frame_us - sl_call_get_created_us (c->caller)) / 1000.0;
  sl_call_hangup (c->caller);
  /* Let both ends finish before the next call. */
  while ((!c->ended || (c->callee
              && sl_call_get_state (c->callee) != SL_CALL_STATE_ENDED))
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  iterate_until (&done, g_get_monotonic_time () + 300 * 1000);
  g_clear_object (&c->caller);
  g_clear_object (&c->callee);
  return ms;
}

static double
naive_once (const char *self, int run)
{
  g_autofree char *output = NULL;
  const char *argv[] = { self, "baseline-once", NULL };
  const char *line;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL,
          NULL, &output, NULL, &status, NULL) || status != 0) {
    g_printerr ("naive baseline run %d failed\n", run);
    exit (1);
  }
  line = strstr (output, "baseline-ms=");
  if (line == NULL) {
    g_printerr ("naive baseline run %d printed no time\n", run);
    exit (1);
  }
  return g_ascii_strtod (line + strlen ("baseline-ms="), NULL);
}

static void
print_runs (const char *name, GArray * sorted)
{
  guint i;

  printf ("%s runs (ms, sorted):", name);
  for (i = 0; i < sorted->len; i++)
    printf (" %.0f", g_array_index (sorted, double, i));
  printf ("\n");
}

static int
bench_click (const char *url, const char *dir, int runs, const char *self)
{
  Click c = { 0, };
  char *addresses[] = { (char *) "127.0.0.1", NULL };
  g_autoptr (GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) tuned = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) naive = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (SlMediaOptions) tuned_opts = sl_media_options_new ();
  g_autofree char *pem = NULL;
  const char *peer_id;
  int i;

  print_load ("start");
  /* Both certificates exist before anything is timed: GStreamer's RSA one
   * (ours) and the tuned baseline's ECDSA one. */
  if (!sl_media_prepare_dtls (NULL))
    return 1;
  pem = make_ecdsa_pem ();
  sl_bench_plain_use_certificate (pem);
  c.opts = sl_media_options_new ();
  c.opts->video_source = g_strdup ("test");
  c.opts->audio_source = g_strdup ("test");
  c.opts->ice_addresses = g_strdupv (addresses);
  tuned_opts->video_source = g_strdup ("test");
  tuned_opts->audio_source = g_strdup ("test");
  tuned_opts->ice_addresses = g_strdupv (addresses);
  c.a = click_client (url, dir, "bench-a");
  c.b = click_client (url, dir, "bench-b");
  peer_id = sl_signal_client_get_device_id (c.b);
  c.pa = sl_phone_new (c.a, c.opts);
  c.pb = sl_phone_new (c.b, c.opts);
  sl_phone_set_accept_incoming (c.pa, FALSE);
  g_signal_connect (c.pa, "call-added", G_CALLBACK (on_caller_added), &c);
  g_signal_connect (c.pb, "call-added", G_CALLBACK (on_callee_added), &c);
  g_signal_connect (c.pb, "incoming-call", G_CALLBACK (on_incoming_call), &c);

  /* Ours and the tuned baseline alternate, so that both see the same load
   * on a shared machine; one untimed call of each warms the process. */
  ours_once (&c, peer_id, -1);
  tuned_once (tuned_opts);
  for (i = 0; i < runs; i++) {
    double ms = ours_once (&c, peer_id, i);

    g_array_append_val (ours, ms);
    ms = tuned_once (tuned_opts);
    g_array_append_val (tuned, ms);
  }
  g_clear_object (&c.pa);
  g_clear_object (&c.pb);
  sl_signal_client_stop (c.a);
  sl_signal_client_stop (c.b);

  for (i = 0; i < runs; i++) {
    double ms = naive_once (self, i);

    g_array_append_val (naive, ms);
  }
  g_array_sort (ours, compare_double);
  g_array_sort (tuned, compare_double);
  g_array_sort (naive, compare_double);
  printf ("click-to-video over %d calls (640x480 VP8, 127.0.0.1)\n", runs);
  print_runs ("sightline", ours);
  print_runs ("tuned stock", tuned);
  print_runs ("naive stock", naive);
  printf ("%-30s %10s %10s %10s %8s %8s\n", "", "sightline", "tuned",
      "naive", "/tuned", "/naive");
  print_row3 ("p50 (ms)", percentile (ours, 0.5), percentile (tuned, 0.5),
      percentile (naive, 0.5));
  print_row3 ("p95 (ms)", percentile (ours, 0.95), percentile (tuned, 0.95),
      percentile (naive, 0.95));
  printf ("sightline includes TLS signalling through the server, the "
      "end-to-end handshake, sealed SDP and candidates and the DTLS binding "
      "MAC; tuned stock hands SDP over directly in this warm process with an "
      "ECDSA certificate; naive stock is one fresh process per call\n");
  printf ("goals: p50 <= 150 ms, p95 <= 250 ms; p50 <= 1.3x tuned stock\n");
  print_load ("end");
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
  /* Sightline's side tunes DTLS as the programs do (and so, in this
   * process, does the tuned baseline); the naive baseline's own process
   * keeps GStreamer's defaults. */
  if (argc < 2 || !g_str_equal (argv[1], "baseline-once")) {
    g_autoptr (GError) error = NULL;

    if (!sl_dtls_tuning_install (&error)) {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  }
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
