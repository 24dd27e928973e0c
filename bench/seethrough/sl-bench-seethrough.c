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
 *   3 remotes slseethrough remote_0..2 tiled (a group call)
 *            compositor one sink per remote at alpha 0.6, each given the
 *            rectangle slseethrough reports for it (so both scale the same
 *            full-size frames into the same tiles)
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
#define MAX_REMOTES 3
#define MAX_INPUTS (MAX_REMOTES + 1)

typedef struct
{
  gint width;
  gint height;
  gboolean video_mode;
  const gchar *extra;           /* extra slseethrough properties, or NULL */
  guint remotes;                /* 0 = 1, through the "remote" pad */
} Case;

/* One harness per sink pad; the first one also owns the src pad. */
typedef struct
{
  GstHarness *in[MAX_INPUTS];
  gboolean is_camera[MAX_INPUTS];
  guint n;
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
rig_add (Rig * rig, GstElement * element, const gchar * pad, gboolean camera,
    gint w, gint h)
{
  g_autofree gchar *caps = caps_string (w, h);
  GstHarness *h_in = gst_harness_new_with_element (element, pad,
      rig->n == 0 ? "src" : NULL);

  g_assert (rig->n < MAX_INPUTS);
  gst_harness_set_src_caps_str (h_in, caps);
  if (rig->n == 0)
    gst_harness_set_sink_caps_str (h_in, caps);
  rig->is_camera[rig->n] = camera;
  rig->in[rig->n++] = h_in;
}

static void
rig_teardown (Rig * rig)
{
  while (rig->n > 0)
    gst_harness_teardown (rig->in[--rig->n]);
}

/* Pushes frame @n on every input; returns the output (transfer full). */
static GstBuffer *
rig_frame (Rig * rig, guint64 n)
{
  GstBuffer *out;
  guint i;

  for (i = 0; i < rig->n; i++) {
    GstBuffer **frames = rig->is_camera[i] ? camera_frames : remote_frames;

    gst_harness_push (rig->in[i], stamp (frames[n % N_SOURCE_FRAMES], n));
  }
  out = gst_harness_pull (rig->in[0]);
  if (!out) {
    g_printerr ("no output frame\n");
    exit (1);
  }
  return out;
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
    gst_buffer_unref (rig_frame (rig, (*counter)++));
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
  if (c->remotes <= 1) {
    rig_add (rig, el, "remote", FALSE, c->width, c->height);
  } else {
    guint i;

    for (i = 0; i < c->remotes; i++) {
      g_autofree gchar *name = g_strdup_printf ("remote_%u", i);

      rig_add (rig, el, name, FALSE, c->width, c->height);
    }
  }
  if (c->video_mode)
    rig_add (rig, el, "camera", TRUE, c->width, c->height);
  gst_object_unref (el);
}

/* The rectangles slseethrough reports for its remote videos (one frame). */
static guint
ours_rects (Rig * rig, guint64 * counter, GstVideoRectangle * rects)
{
  g_autoptr (GstBuffer) out = rig_frame (rig, (*counter)++);
  gpointer state = NULL;
  GstMeta *meta;
  guint n = 0;

  while ((meta = gst_buffer_iterate_meta_filtered (out, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) meta;

    if (roi->id >= 0 && roi->id < MAX_REMOTES) {
      rects[roi->id].x = roi->x;
      rects[roi->id].y = roi->y;
      rects[roi->id].w = roi->w;
      rects[roi->id].h = roi->h;
      n++;
    }
  }
  return n;
}

/* compositor: the camera (opaque) first, then each remote at alpha 0.6, in
 * @rects when there are several. */
static void
make_compositor (Rig * rig, const Case * c, const GstVideoRectangle * rects)
{
  GstElement *el = gst_element_factory_make ("compositor", NULL);
  guint n = MAX (c->remotes, 1), i, sink = 0;

  g_object_set (el, "max-threads", 1, NULL);
  gst_util_set_object_arg (G_OBJECT (el), "background", "black");
  if (c->video_mode) {
    rig_add (rig, el, "sink_0", TRUE, c->width, c->height);
    sink++;
  }
  for (i = 0; i < n; i++, sink++) {
    g_autofree gchar *name = g_strdup_printf ("sink_%u", sink);
    g_autoptr (GstPad) pad = NULL;

    rig_add (rig, el, name, FALSE, c->width, c->height);
    pad = gst_element_get_static_pad (el, name);
    g_object_set (pad, "alpha", 0.6, NULL);
    if (n > 1)
      g_object_set (pad, "xpos", rects[i].x, "ypos", rects[i].y, "width",
          rects[i].w, "height", rects[i].h, NULL);
  }
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
    {1280, 720, FALSE, NULL, 3},
    {1280, 720, TRUE, NULL, 3},
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
    g_autofree gchar *mode = g_strdup_printf ("%s%s%s%s",
        c->video_mode ? "video" : "optical", c->extra ? " " : "",
        c->extra ? c->extra : "", c->remotes > 1 ? ", 3 remotes" : "");
    GstVideoRectangle rects[MAX_REMOTES] = { {0,}, };
    gint r;

    generate (remote_frames, "smpte", c->width, c->height);
    generate (camera_frames, "ball", c->width, c->height);

    make_ours (&a, c);
    if (c->remotes > 1 && ours_rects (&a, &na, rects) != c->remotes) {
      g_printerr ("slseethrough reported no tiles\n");
      return 1;
    }
    make_compositor (&b, c, rects);
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
    /* the goal is for one remote video, as in a two-party call */
    if (c->width == 1280 && !c->extra && c->remotes <= 1 &&
        ours[rounds / 2] >= 2.0)
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
