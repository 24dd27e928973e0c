/* slhud's layout against slseethrough's videos: for every placement, one
 * to three remote videos and the usual goggles sizes, no panel covers
 * another, a video or the clear centre, tiles keep the centre clear, and
 * the security panel is always shown; the HUD's reserve query; a warning
 * when the videos leave no room at all.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "hud-test-util.h"

#define MAX_REMOTES 3

/* A group call with everything at once: a verified pair (green), a secured
 * one (amber), one whose keys changed (red: only the security panel uses
 * red here, which tells whether it is shown), the wearer muted, a notice,
 * three chat lines; link figures unknown (grey). */
#define GROUP_HUD "call-state=connected mic-muted=true " \
    "notice=\"TEST CAMERA (no camera found)\" chat-lines=3 " \
    "chat-line=\"Alice: check the left valve\" " \
    "chat-line=\"Bob: the pressure gauge reads 4 bar\" " \
    "chat-line=\"Carol: close it slowly\" " \
    "participants=\"participant, id=alice, name=Alice, role=expert, " \
    "security=verified, verified-by=code; participant, id=bob, name=Bob, " \
    "role=expert, security=secured, sas=(string)\\\"1234 5678 9012\\\", " \
    "camera-paused=true; participant, id=carol, name=Carol, " \
    "security=secured, keys-changed=true, sas=(string)\\\"4812 5530 0912\\\"\""

typedef struct
{
  GstElement *bin;
  GstHarness *out;
  GstHarness *in[MAX_REMOTES];
} Fixture;

static void
fixture_setup (Fixture * f, gconstpointer data)
{
  memset (f, 0, sizeof (*f));
}

static void
fixture_teardown (Fixture * f, gconstpointer data)
{
  guint i;

  for (i = 0; i < MAX_REMOTES; i++)
    g_clear_pointer (&f->in[i], gst_harness_teardown);
  g_clear_pointer (&f->out, gst_harness_teardown);
  gst_clear_object (&f->bin);
}

/* slseethrough ! W×H ! slhud in a bin with ghost pads remote_0.. and src;
 * downstream takes the overlay meta, so the panels can be read back. */
static void
start (Fixture * f, const gchar * st_props, const gchar * hud_props, gint W,
    gint H, guint n_remotes)
{
  g_autofree gchar *desc = g_strdup_printf ("slseethrough name=st %s ! "
      "video/x-raw,width=%d,height=%d ! slhud name=hud %s", st_props, W, H,
      hud_props);
  g_autofree gchar *out_caps = g_strdup_printf ("video/x-raw("
      GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION "),format=RGBA,"
      "width=%d,height=%d,framerate=30/1", W, H);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) st = NULL;
  g_autoptr (GstElement) hud = NULL;
  g_autoptr (GstPad) src = NULL;
  guint i;

  f->bin = gst_parse_bin_from_description (desc, FALSE, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (f->bin);
  st = gst_bin_get_by_name (GST_BIN (f->bin), "st");
  hud = gst_bin_get_by_name (GST_BIN (f->bin), "hud");
  for (i = 0; i < n_remotes; i++) {
    g_autofree gchar *name = g_strdup_printf ("remote_%u", i);
    GstPad *pad = gst_element_request_pad_simple (st, name);

    g_assert_nonnull (pad);
    gst_element_add_pad (f->bin, gst_ghost_pad_new (name, pad));
    gst_object_unref (pad);
  }
  src = gst_element_get_static_pad (hud, "src");
  gst_element_add_pad (f->bin, gst_ghost_pad_new ("src", src));

  f->out = gst_harness_new_with_element (f->bin, NULL, "src");
  gst_harness_set_sink_caps_str (f->out, out_caps);
  for (i = 0; i < n_remotes; i++) {
    g_autofree gchar *name = g_strdup_printf ("remote_%u", i);
    /* 16:9 and 4:3 remotes */
    g_autofree gchar *caps = caps_str (GST_VIDEO_FORMAT_RGBA, 320,
        i == 1 ? 240 : 180);

    f->in[i] = gst_harness_new_with_element (f->bin, name, NULL);
    gst_harness_set_src_caps_str (f->in[i], caps);
  }
}

static GstBuffer *
run_frame (Fixture * f, guint n_remotes)
{
  guint i;

  for (i = 0; i < n_remotes; i++) {
    GstBuffer *buf = make_frame (GST_VIDEO_FORMAT_RGBA, 320,
        i == 1 ? 240 : 180, gen_gradient, GUINT_TO_POINTER (i), 0);

    g_assert_cmpint (gst_harness_push (f->in[i], buf), ==, GST_FLOW_OK);
  }
  return gst_harness_pull (f->out);
}

static GstElement *
seethrough_of (Fixture * f)
{
  return gst_bin_get_by_name (GST_BIN (f->bin), "st");
}

/* Every panel inside the frame and off the centre, the videos and the
 * other panels; with two or three auto-tiled videos, the tiles off the
 * centre and each other.  Returns the number of panels. */
static guint
check_no_overlap (GstBuffer * out, gint W, gint H, gboolean tiled,
    const gchar * what)
{
  GstVideoRectangle keep = { W / 4, H / 4, W - 2 * (W / 4), H - 2 * (H / 4) };
  GstVideoRectangle panels[8], videos[8];
  guint np = panel_rects (meta_of (out), panels, 8);
  guint nv = video_rects (out, videos, G_N_ELEMENTS (videos));
  guint i, j;

  for (i = 0; i < np; i++) {
    const GstVideoRectangle *p = &panels[i];

    if (p->x < 0 || p->y < 0 || p->x + p->w > W || p->y + p->h > H ||
        rects_intersect (p, &keep))
      g_error ("%s: panel %u (%d,%d %dx%d) outside the frame or over the "
          "centre", what, i, p->x, p->y, p->w, p->h);
    for (j = 0; j < i; j++) {
      if (rects_intersect (p, &panels[j]))
        g_error ("%s: panels %u and %u overlap", what, j, i);
    }
    for (j = 0; j < nv; j++) {
      if (rects_intersect (p, &videos[j]))
        g_error ("%s: panel %u (%d,%d %dx%d) covers video %u (%d,%d %dx%d)",
            what, i, p->x, p->y, p->w, p->h, j, videos[j].x, videos[j].y,
            videos[j].w, videos[j].h);
    }
  }
  for (i = 0; tiled && i < nv; i++) {
    if (rects_intersect (&videos[i], &keep))
      g_error ("%s: tile %u (%d,%d %dx%d) in the centre", what, i,
          videos[i].x, videos[i].y, videos[i].w, videos[i].h);
    for (j = 0; j < i; j++) {
      if (rects_intersect (&videos[i], &videos[j]))
        g_error ("%s: tiles %u and %u overlap", what, j, i);
    }
  }
  return np;
}

/* Every placement × 1-3 remote videos × 1280x720, 1920x1080, 640x480
 * (4:3) and 1024x768 (4:3), at scale 1 (largest) and 0.4.  One video is
 * placed by the element; with two or three, remote_0 gets the placement on
 * its own pad and the others are tiled.  custom is the top-right quarter,
 * where the SAS panel would be. */
static void
test_every_placement (Fixture * f, gconstpointer data)
{
  static const gint sizes[][2] = {
    {1280, 720}, {1920, 1080}, {640, 480}, {1024, 768},
  };
  static const gdouble scales[] = { 1.0, 0.4 };
  g_autoptr (GstElement) probe = gst_element_factory_make ("slseethrough",
      NULL);
  /* all values of the element's placement enum */
  g_autoptr (GEnumClass) placements =
      g_type_class_ref (g_object_class_find_property (G_OBJECT_GET_CLASS
          (probe), "placement")->value_type);
  guint pi, si, n, sc, cases = 0, panels = 0;

  g_assert_cmpuint (placements->n_values, ==, 10);
  for (pi = 0; pi < placements->n_values; pi++) {
    const gchar *placement = placements->values[pi].value_nick;
    gboolean custom = g_str_equal (placement, "custom");

    for (si = 0; si < G_N_ELEMENTS (sizes); si++) {
      gint W = sizes[si][0], H = sizes[si][1];

      for (n = 1; n <= MAX_REMOTES; n++) {
        for (sc = 0; sc < G_N_ELEMENTS (scales); sc++) {
          g_autofree gchar *box = g_strdup_printf ("x=%d y=0 width=%d "
              "height=%d", W / 2, W / 2, H / 2);
          g_autofree gchar *st_props = n == 1 ?
              g_strdup_printf ("opacity=0.7 scale=%g placement=%s %s",
              scales[sc], placement, custom ? box : "") :
              g_strdup_printf ("opacity=0.7 scale=%g", scales[sc]);
          g_autofree gchar *what = g_strdup_printf ("%s, %d remote(s), "
              "%dx%d, scale %g", placement, n, W, H, scales[sc]);
          g_autoptr (GstBuffer) out = NULL;
          GstVideoRectangle videos[8];
          guint np;

          start (f, st_props, GROUP_HUD, W, H, n);
          if (n > 1) {
            g_autoptr (GstElement) st = seethrough_of (f);
            g_autoptr (GstPad) pad =
                gst_element_get_static_pad (st, "remote_0");

            gst_util_set_object_arg (G_OBJECT (pad), "placement", placement);
            g_object_set (pad, "scale", scales[sc], NULL);
            if (custom)
              g_object_set (pad, "x", W / 2, "y", 0, "width", W / 2,
                  "height", H / 2, NULL);
          }
          out = run_frame (f, n);
          g_assert_nonnull (out);
          g_assert_nonnull (meta_of (out));
          g_assert_cmpuint (video_rects (out, videos, 8), ==, n);
          /* tiles: the videos without a placement of their own */
          np = check_no_overlap (out, W, H, FALSE, what);
          if (colour_pixels (meta_of (out), NULL, HUD_RED) <= 20)
            g_error ("%s: the security panel is not shown (%u panels)",
                what, np);
          g_test_message ("%s: %u panels", what, np);
          cases++;
          panels += np;
          fixture_teardown (f, NULL);
        }
      }
    }
  }
  g_test_message ("%u layouts, %u panels, none over another, a video or "
      "the centre, the security panel always shown", cases, panels);
}

/* Two and three videos tiled by the element: tiles never in the centre. */
static void
test_tiles_and_panels (Fixture * f, gconstpointer data)
{
  static const gint sizes[][2] = {
    {1280, 720}, {1920, 1080}, {640, 480}, {1024, 768},
  };
  guint si, n;

  for (si = 0; si < G_N_ELEMENTS (sizes); si++) {
    for (n = 2; n <= MAX_REMOTES; n++) {
      gint W = sizes[si][0], H = sizes[si][1];
      g_autofree gchar *what = g_strdup_printf ("tiles, %u remotes, %dx%d", n,
          W, H);
      g_autoptr (GstBuffer) out = NULL;

      start (f, "opacity=0.7", GROUP_HUD, W, H, n);
      out = run_frame (f, n);
      check_no_overlap (out, W, H, TRUE, what);
      g_assert_cmpuint (colour_pixels (meta_of (out), NULL, HUD_RED), >, 20);
      fixture_teardown (f, NULL);
    }
  }
}

/* slhud's answer to slseethrough's reserve query: three lines of text and
 * their panel's padding, the margin and spacing (more with a larger font,
 * none with reserve-lines=0); a centred video starts below it. */
static void
test_reserve (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const gchar *props;
    gint W, H;
  } cases[] = {
    {"", 1280, 720}, {"", 1920, 1080}, {"", 640, 480},
    {"font-scale=2", 1280, 720}, {"reserve-lines=1", 1280, 720},
    {"reserve-lines=0", 1280, 720},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree gchar *desc = g_strdup_printf ("slhud %s", cases[i].props);
    g_autoptr (GError) error = NULL;
    g_autoptr (GstElement) hud = gst_parse_launch (desc, &error);
    g_autoptr (GstPad) sink = gst_element_get_static_pad (hud, "sink");
    g_autoptr (GstQuery) q = gst_query_new_custom (GST_QUERY_CUSTOM,
        gst_structure_new ("GstSlHudReserve", "width", G_TYPE_INT,
            cases[i].W, "height", G_TYPE_INT, cases[i].H, NULL));
    const GstStructure *s;
    gint top = -1, bottom = -1, font;
    guint lines = 3;
    gdouble scale = 1.0;
    g_autoptr (GstBuffer) out = NULL;
    GstVideoRectangle v[1];

    g_assert_no_error (error);
    g_object_get (hud, "reserve-lines", &lines, "font-scale", &scale, NULL);
    g_assert_true (gst_pad_query (sink, q));
    s = gst_query_get_structure (q);
    g_assert_true (gst_structure_get_int (s, "top", &top));
    g_assert_true (gst_structure_get_int (s, "bottom", &bottom));
    g_assert_cmpint (top, ==, bottom);
    font = (gint) (MIN (cases[i].H, cases[i].W * 9 / 16) * scale / 30 + 0.5);
    g_test_message ("%dx%d %s: %d rows (text %d px)", cases[i].W,
        cases[i].H, cases[i].props, top, font);
    if (lines == 0) {
      g_assert_cmpint (top, ==, 0);
    } else {
      /* each line at least the text height, plus margin and padding */
      g_assert_cmpint (top, >=, (gint) lines * font + MIN (cases[i].W,
              cases[i].H) / 60);
      g_assert_cmpint (top, <=, (gint) lines * font * 2 + cases[i].H / 20);
    }

    /* end to end: a centred full-size video leaves those rows free */
    start (f, "placement=center scale=1", cases[i].props, cases[i].W,
        cases[i].H, 1);
    out = run_frame (f, 1);
    g_assert_cmpuint (video_rects (out, v, 1), ==, 1);
    g_assert_cmpint (v[0].y, >=, MIN (top, cases[i].H / 4));
    g_assert_cmpint (cases[i].H - (v[0].y + v[0].h), >=, MIN (bottom,
            cases[i].H / 4) - 1);
    fixture_teardown (f, NULL);
  }
}

/* The widest panel with amber text: the security panel below. */
static gint
amber_panel_width (GstBuffer * out)
{
  GstVideoOverlayComposition *comp = meta_of (out);
  GstVideoRectangle r[8];
  guint n = panel_rects (comp, r, 8), i;
  gint w = -1;

  for (i = 0; i < n; i++) {
    if (colour_pixels (comp, &r[i], HUD_AMBER) > 20)
      w = MAX (w, r[i].w);
  }
  return w;
}

/* A pair's SAS is never cut by an ellipsis: where three tiles leave the
 * top-right corner too narrow for "Bob ⚠ SAS 1234 5678 9012" (640x480),
 * the security panel goes where it fits whole, as wide as without any
 * video. */
static void
test_sas_whole (Fixture * f, gconstpointer data)
{
  const gchar *hud = "call-state=connected participants=\"participant, "
      "id=bob, name=Bob, security=secured, sas-confirmed=true, "
      "sas=(string)\\\"1234 5678 9012\\\"\"";
  gint alone, tiled;

  {
    g_autofree gchar *desc = g_strdup_printf ("slhud %s", hud);
    g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, 640, 480);
    g_autofree gchar *feature = g_strdup_printf ("video/x-raw("
        GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION "),format=RGBA,"
        "width=640,height=480,framerate=30/1");
    GstHarness *h = gst_harness_new_parse (desc);
    g_autoptr (GstBuffer) out = NULL;

    gst_harness_set_src_caps_str (h, plain);
    gst_harness_set_sink_caps_str (h, feature);
    out = gst_harness_push_and_pull (h, make_frame (GST_VIDEO_FORMAT_RGBA,
            640, 480, gen_gradient, NULL, 0));
    alone = amber_panel_width (out);
    gst_harness_teardown (h);
  }
  start (f, "opacity=0.7", hud, 640, 480, 3);
  {
    g_autoptr (GstBuffer) out = run_frame (f, 3);

    check_no_overlap (out, 640, 480, TRUE, "sas-whole");
    tiled = amber_panel_width (out);
  }
  g_test_message ("security panel %d px wide alone, %d px with three tiles",
      alone, tiled);
  g_assert_cmpint (alone, >, 0);
  g_assert_cmpint (tiled, ==, alone);
}

/* A video over the whole frame (custom, on purpose): no panel can be
 * shown; the HUD says so on the bus instead of drawing over the video. */
static void
test_no_room_warning (Fixture * f, gconstpointer data)
{
  g_autoptr (GstBus) bus = gst_bus_new ();
  g_autoptr (GstBuffer) out = NULL;
  g_autoptr (GstMessage) msg = NULL;
  g_autoptr (GError) err = NULL;

  start (f, "placement=custom x=0 y=0 width=1280 height=720",
      "call-state=connected security=secured sas=1234", 1280, 720, 1);
  gst_element_set_bus (f->bin, bus);
  out = run_frame (f, 1);
  g_assert_null (meta_of (out));
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  g_assert_nonnull (msg);
  gst_message_parse_warning (msg, &err, NULL);
  g_test_message ("warning: %s", err->message);
  g_assert_nonnull (strstr (err->message, "security panel"));
  gst_element_set_bus (f->bin, NULL);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, \
    fixture_teardown)
  ADD ("/hud/layout/every-placement", test_every_placement);
  ADD ("/hud/layout/tiles", test_tiles_and_panels);
  ADD ("/hud/layout/reserve", test_reserve);
  ADD ("/hud/layout/no-room", test_no_room_warning);
  ADD ("/hud/layout/sas-whole", test_sas_whole);
#undef ADD

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
