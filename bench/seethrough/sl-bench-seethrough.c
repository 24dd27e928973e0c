/* Per-frame cost of slseethrough beside the stock compositor doing the same
 * alpha blend, in the same run.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   sl-bench-seethrough [--frames N] [--rounds R]
 *
 * Both elements are driven the same way: GstHarness pushes pre-generated
 * RGBA frames (made once by videotestsrc, so the source costs nothing during
 * timing) into the aggregator's sink pads and pulls the output, one frame at
 * a time, so only one thread works at any moment.  compositor runs with
 * max-threads=1.  Equivalent work:
 *
 *   optical  slseethrough mode=optical opacity=0.6 placement=center scale=1
 *            compositor background=black, sink_0::alpha=0.6
 *   video    slseethrough mode=video opacity=0.6 (+ camera pad)
 *            compositor sink_0 = camera (alpha 1), sink_1 = remote alpha 0.6
 *
 * Rounds alternate between the two elements and the median round is
 * reported, which keeps a noisy neighbour from favouring either side.
 */

#include <gst/gst.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include <stdlib.h>
#include <sys/resource.h>

#define N_SOURCE_FRAMES 4

typedef struct
{
  gint width;
  gint height;
  gboolean video_mode;
  const gchar *extra;           /* extra slseethrough properties, or NULL */
} Case;

typedef struct
{
  GstHarness *main;             /* remote (ours) / first sink pad (compositor) */
  GstHarness *second;           /* camera, or NULL */
  gboolean remote_on_second;    /* compositor video mode: remote is sink_1 */
} Rig;

static GstBuffer *remote_frames[N_SOURCE_FRAMES];
static GstBuffer *camera_frames[N_SOURCE_FRAMES];

static gchar *
caps_string (gint w, gint h)
{
  return g_strdup_printf ("video/x-raw,format=RGBA,width=%d,height=%d,"
      "framerate=30/1", w, h);
}

static void
generate (GstBuffer ** out, const gchar * pattern, gint w, gint h)
{
  g_autofree gchar *caps = caps_string (w, h);
  g_autofree gchar *launch = g_strdup_printf ("videotestsrc pattern=%s",
      pattern);
  GstHarness *h_src = gst_harness_new_parse (launch);
  gint i;

  gst_harness_set_sink_caps_str (h_src, caps);
  gst_harness_play (h_src);
  for (i = 0; i < N_SOURCE_FRAMES; i++) {
    gst_clear_buffer (&out[i]);
    out[i] = gst_harness_pull (h_src);
  }
  gst_harness_teardown (h_src);
}

static GstBuffer *
stamp (GstBuffer * src, guint64 n)
{
  GstBuffer *buf = gst_buffer_copy (src);

  GST_BUFFER_PTS (buf) = gst_util_uint64_scale (n, GST_SECOND, 30);
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (1, GST_SECOND, 30);
  return buf;
}

static void
rig_setup (Rig * rig, GstElement * element, const gchar * first_pad,
    const gchar * second_pad, gint w, gint h)
{
  g_autofree gchar *caps = caps_string (w, h);

  rig->main = gst_harness_new_with_element (element, first_pad, "src");
  gst_harness_set_src_caps_str (rig->main, caps);
  gst_harness_set_sink_caps_str (rig->main, caps);
  if (second_pad) {
    rig->second = gst_harness_new_with_element (element, second_pad, NULL);
    gst_harness_set_src_caps_str (rig->second, caps);
  }
}

static void
rig_teardown (Rig * rig)
{
  if (rig->second)
    gst_harness_teardown (rig->second);
  gst_harness_teardown (rig->main);
  memset (rig, 0, sizeof (*rig));
}

static void
rig_frame (Rig * rig, guint64 n)
{
  GstBuffer *remote = stamp (remote_frames[n % N_SOURCE_FRAMES], n);
  GstBuffer *out;

  if (rig->second) {
    GstBuffer *camera = stamp (camera_frames[n % N_SOURCE_FRAMES], n);

    if (rig->remote_on_second) {
      gst_harness_push (rig->main, camera);
      gst_harness_push (rig->second, remote);
    } else {
      gst_harness_push (rig->main, remote);
      gst_harness_push (rig->second, camera);
    }
  } else {
    gst_harness_push (rig->main, remote);
  }
  out = gst_harness_pull (rig->main);
  if (!out) {
    g_printerr ("no output frame\n");
    exit (1);
  }
  gst_buffer_unref (out);
}

static gdouble
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Times @frames frames; returns ms per frame (wall) and CPU ms in @cpu_ms. */
static gdouble
rig_time (Rig * rig, guint64 * counter, guint frames, gdouble * cpu_ms)
{
  gint64 t0 = g_get_monotonic_time ();
  gdouble c0 = cpu_seconds ();
  guint i;

  for (i = 0; i < frames; i++)
    rig_frame (rig, (*counter)++);
  *cpu_ms = (cpu_seconds () - c0) * 1000.0 / frames;
  return (g_get_monotonic_time () - t0) / 1000.0 / frames;
}

static void
make_ours (Rig * rig, const Case * c)
{
  g_autofree gchar *desc = g_strdup_printf ("slseethrough mode=%s "
      "opacity=0.6 placement=center scale=1.0 %s",
      c->video_mode ? "video" : "optical", c->extra ? c->extra : "");
  g_autoptr (GError) error = NULL;
  GstElement *el = gst_parse_launch (desc, &error);

  if (!el) {
    g_printerr ("cannot create slseethrough (is GST_PLUGIN_PATH set?): %s\n",
        error ? error->message : "?");
    exit (1);
  }
  rig_setup (rig, el, "remote", c->video_mode ? "camera" : NULL, c->width,
      c->height);
  gst_object_unref (el);
}

static void
make_compositor (Rig * rig, const Case * c)
{
  GstElement *el = gst_element_factory_make ("compositor", NULL);
  GstPad *pad;

  g_object_set (el, "max-threads", 1, NULL);
  gst_util_set_object_arg (G_OBJECT (el), "background", "black");
  rig_setup (rig, el, "sink_0", c->video_mode ? "sink_1" : NULL, c->width,
      c->height);
  rig->remote_on_second = c->video_mode;
  pad = gst_element_get_static_pad (el, c->video_mode ? "sink_1" : "sink_0");
  g_object_set (pad, "alpha", 0.6, NULL);
  gst_object_unref (pad);
  gst_object_unref (el);
}

static int
cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  static const Case cases[] = {
    {1280, 720, FALSE, NULL},
    {1280, 720, TRUE, NULL},
    {1920, 1080, FALSE, NULL},
    {1920, 1080, TRUE, NULL},
    {1280, 720, FALSE, "luma-key=true"},
    {1280, 720, FALSE, "edge-boost=true"},
  };
  gint frames = 300, rounds = 5;
  GOptionEntry entries[] = {
    {"frames", 'n', 0, G_OPTION_ARG_INT, &frames, "Timed frames per case",
        "N"},
    {"rounds", 'r', 0, G_OPTION_ARG_INT, &rounds,
        "Alternating rounds the frames are split into", "R"},
    {NULL},
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  gboolean goal_ok = TRUE;
  guint i;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  if (frames < 10 || rounds < 1 || rounds > frames) {
    g_printerr ("need --frames >= 10 and 1 <= --rounds <= frames\n");
    return 2;
  }

  g_print ("slseethrough vs compositor (max-threads=1), RGBA, %d frames per "
      "case in %d alternating rounds, median round\n\n", frames, rounds);
  g_print ("%-10s %-22s %12s %10s %12s %10s %7s\n", "size", "mode",
      "ours ms/fr", "cpu ms", "compositor", "cpu ms", "ratio");

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    const Case *c = &cases[i];
    g_autofree gdouble *ours = g_new0 (gdouble, rounds);
    g_autofree gdouble *theirs = g_new0 (gdouble, rounds);
    gdouble ours_cpu = 0, theirs_cpu = 0, cpu;
    Rig a = { 0, }, b = { 0, };
    guint64 na = 0, nb = 0;
    g_autofree gchar *mode = g_strdup_printf ("%s%s%s",
        c->video_mode ? "video" : "optical", c->extra ? " " : "",
        c->extra ? c->extra : "");
    gint r;

    generate (remote_frames, "smpte", c->width, c->height);
    generate (camera_frames, "ball", c->width, c->height);

    make_ours (&a, c);
    make_compositor (&b, c);
    /* warm up: negotiation, pools, caches */
    rig_time (&a, &na, 10, &cpu);
    rig_time (&b, &nb, 10, &cpu);

    for (r = 0; r < rounds; r++) {
      ours[r] = rig_time (&a, &na, frames / rounds, &cpu);
      ours_cpu += cpu / rounds;
      theirs[r] = rig_time (&b, &nb, frames / rounds, &cpu);
      theirs_cpu += cpu / rounds;
    }
    rig_teardown (&a);
    rig_teardown (&b);

    qsort (ours, rounds, sizeof (gdouble), cmp_double);
    qsort (theirs, rounds, sizeof (gdouble), cmp_double);
    g_print ("%4dx%-5d %-22s %12.3f %10.3f %12.3f %10.3f %7.2f%s\n",
        c->width, c->height, mode, ours[rounds / 2], ours_cpu,
        theirs[rounds / 2], theirs_cpu, ours[rounds / 2] / theirs[rounds / 2],
        c->extra ? "  (compositor: plain blend)" : "");
    if (c->width == 1280 && !c->extra && ours[rounds / 2] >= 2.0)
      goal_ok = FALSE;
  }

  g_print ("\nratio = ours / compositor (below 1 is faster). Goal: ratio <= 1 "
      "and < 2 ms per 720p frame: %s\n", goal_ok ? "720p under 2 ms" :
      "720p NOT under 2 ms");

  for (i = 0; i < N_SOURCE_FRAMES; i++) {
    gst_clear_buffer (&remote_frames[i]);
    gst_clear_buffer (&camera_frames[i]);
  }
  gst_deinit ();
  return 0;
}
