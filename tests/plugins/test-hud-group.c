/* slhud in group calls and daily use: the participants property (checked,
 * refused whole when bad), each pair's badge and SAS, green only when
 * verified, the mute, camera and notice lines.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "hud-test-util.h"

#define W 1280
#define H 720

typedef struct
{
  GstElement *hud;
  GstHarness *h;
  GstBus *bus;
} Fixture;

static void
fixture_setup (Fixture * f, gconstpointer data)
{
  g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, W, H);
  g_autofree gchar *feature = g_strdup_printf ("video/x-raw("
      GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION "),format=RGBA,"
      "width=%d,height=%d,framerate=30/1", W, H);

  f->hud = gst_element_factory_make ("slhud", NULL);
  g_assert_nonnull (f->hud);
  gst_object_ref_sink (f->hud);
  f->bus = gst_bus_new ();
  gst_element_set_bus (f->hud, f->bus);
  f->h = gst_harness_new_with_element (f->hud, "sink", "src");
  gst_harness_set_src_caps_str (f->h, plain);
  gst_harness_set_sink_caps_str (f->h, feature);
}

static void
fixture_teardown (Fixture * f, gconstpointer data)
{
  gst_element_set_bus (f->hud, NULL);
  g_clear_pointer (&f->h, gst_harness_teardown);
  gst_clear_object (&f->hud);
  gst_clear_object (&f->bus);
}

/* One frame through the HUD; the caller owns the output. */
static GstBuffer *
frame (Fixture * f)
{
  GstBuffer *in = make_frame (GST_VIDEO_FORMAT_RGBA, W, H, gen_gradient,
      NULL, 0);
  GstBuffer *out;

  g_assert_cmpint (gst_harness_push (f->h, in), ==, GST_FLOW_OK);
  out = gst_harness_pull (f->h);
  g_assert_nonnull (out);
  g_assert_nonnull (meta_of (out));
  return out;
}

static void
set_participants (Fixture * f, const gchar * list)
{
  g_autoptr (GstCaps) caps = list ? gst_caps_from_string (list) : NULL;

  g_assert_true (list == NULL || caps != NULL);
  g_object_set (f->hud, "participants", caps, NULL);
}

static gchar *
get_participants (Fixture * f)
{
  g_autoptr (GstCaps) caps = NULL;

  g_object_get (f->hud, "participants", &caps, NULL);
  g_assert_nonnull (caps);
  return gst_caps_to_string (caps);
}

/* The panel whose top-left corner lies in @area: its height, or -1. */
static gint
panel_height_in (GstBuffer * out, const GstVideoRectangle * area)
{
  GstVideoRectangle r[8];
  guint n = panel_rects (meta_of (out), r, 8), i;

  for (i = 0; i < n; i++) {
    if (r[i].x >= area->x && r[i].x < area->x + area->w &&
        r[i].y >= area->y && r[i].y < area->y + area->h)
      return r[i].h;
  }
  return -1;
}

static const GstVideoRectangle top_left = { 0, 0, W / 2, H / 4 };
static const GstVideoRectangle top_right = { W / 2, 0, W / 2, H / 4 };

/* ---- the participants property ----------------------------------------- */

static void
test_round_trip (Fixture * f, gconstpointer data)
{
  g_autofree gchar *got = NULL;
  g_autoptr (GstCaps) caps = NULL;
  const GstStructure *s;
  const gchar *name;
  gint rtt;

  /* untrusted strings are sanitised; enums come back as nicks; missing
   * figures are -1 */
  set_participants (f, "participant, id=alice, name=Alice, "
      "security=verified, verified-by=code, rtt-ms=40; participant, id=bob, "
      "security=secured, sas=(string)\"1234 5678 9012\", muted=true");
  g_object_get (f->hud, "participants", &caps, NULL);
  g_assert_cmpuint (gst_caps_get_size (caps), ==, 2);
  s = gst_caps_get_structure (caps, 0);
  g_assert_cmpstr (gst_structure_get_string (s, "id"), ==, "alice");
  g_assert_cmpstr (gst_structure_get_string (s, "security"), ==, "verified");
  g_assert_cmpstr (gst_structure_get_string (s, "verified-by"), ==, "code");
  g_assert_true (gst_structure_get_int (s, "rtt-ms", &rtt));
  g_assert_cmpint (rtt, ==, 40);
  name = gst_structure_get_string (s, "name");
  g_assert_cmpstr (name, ==, "Alice");
  s = gst_caps_get_structure (caps, 1);
  g_assert_cmpstr (gst_structure_get_string (s, "sas"), ==, "1234 5678 9012");
  g_assert_true (gst_structure_get_int (s, "rtt-ms", &rtt));
  g_assert_cmpint (rtt, ==, -1);

  /* control characters never reach the screen */
  {
    g_autoptr (GstCaps) hostile = gst_caps_new_empty ();
    g_autoptr (GstCaps) back = NULL;

    gst_caps_append_structure (hostile, gst_structure_new ("participant",
            "id", G_TYPE_STRING, "x\n\xe2\x80\xae", "name", G_TYPE_STRING,
            "Mal\x01lory\xe2\x80\xae<b>", NULL));
    g_object_set (f->hud, "participants", hostile, NULL);
    g_object_get (f->hud, "participants", &back, NULL);
    g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure (back,
                0), "id"), ==, "x");
    g_assert_null (strchr (gst_structure_get_string (gst_caps_get_structure
                (back, 0), "name"), '\x01'));
    g_assert_nonnull (strstr (gst_structure_get_string (gst_caps_get_structure
                (back, 0), "name"), "<b>"));
  }

  /* empty or NULL: no participants, the two-party properties again */
  set_participants (f, NULL);
  got = get_participants (f);
  g_assert_cmpstr (got, ==, "EMPTY");
}

/* Each bad list is refused whole: a warning on the bus names the problem
 * and the list shown before stays. */
static void
test_refused (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const gchar *list;
    const gchar *message;
  } bad[] = {
    {"participant, id=a, rtt_ms=5", "unknown field 'rtt_ms'"},
    {"participant, id=a, security=bogus", "is not one of unknown, secured"},
    {"participant, id=a, verified-by=magic", "is not one of none, code"},
    {"participant, id=a, rtt-ms=700000", "outside -1..600000"},
    {"participant, id=a, loss-percent=101.0", "outside -1..100"},
    {"participant, id=a, bitrate-kbps=(string)fast", "must be an integer"},
    {"participant, id=a, sas=(int)1234", "must be a string"},
    {"participant, id=a, muted=3", "must be true or false"},
    {"participant, id=a; participant, id=a", "have the same id 'a'"},
    {"participant, name=nobody", "no id"},
    {"participant, id=(string)\"\"", "no id"},
    {"person, id=a", "is not a 'participant'"},
    {"participant, id=a; participant, id=b; participant, id=c; "
          "participant, id=d; participant, id=e; participant, id=f; "
          "participant, id=g; participant, id=h; participant, id=i",
        "9 given, at most 8"},
    {"ANY", "ANY is not a list"},
  };
  g_autofree gchar *good = NULL;
  guint i;

  set_participants (f, "participant, id=alice, security=verified");
  good = get_participants (f);
  {
    g_autoptr (GstBuffer) out = frame (f);
  }
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autofree gchar *now = NULL;
    g_autoptr (GstMessage) msg = NULL;
    g_autoptr (GError) err = NULL;
    g_autofree gchar *dbg = NULL;

    set_participants (f, bad[i].list);
    msg = gst_bus_pop_filtered (f->bus, GST_MESSAGE_WARNING);
    g_assert_nonnull (msg);
    gst_message_parse_warning (msg, &err, &dbg);
    g_test_message ("%s -> %s", bad[i].list, err->message);
    g_assert_nonnull (strstr (err->message, bad[i].message));
    now = get_participants (f);
    g_assert_cmpstr (now, ==, good);
  }
  /* and the HUD still renders */
  {
    g_autoptr (GstBuffer) out = frame (f);
  }
  g_assert_null (gst_bus_pop_filtered (f->bus, GST_MESSAGE_WARNING));
}

/* ---- what the wearer sees --------------------------------------------- */

/* Green only for verified pairs; "connected" green only when every pair
 * is; each unverified pair in amber with its SAS (red when its keys
 * changed or a check failed), one line per pair, plus the prompt while
 * one is secured and not confirmed here. */
static void
test_badges (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const gchar *list;
    gboolean green, amber, red, state_green;
    guint lines;
  } cases[] = {
    {"participant, id=a, security=verified, verified-by=code; "
          "participant, id=b, security=verified, verified-by=continuity",
        TRUE, FALSE, FALSE, TRUE, 2},
    {"participant, id=a, security=verified, verified-by=code; "
          "participant, id=b, security=secured, sas=(string)\"1 2 3\"",
        TRUE, TRUE, FALSE, FALSE, 3},
    {"participant, id=a, security=secured, sas=(string)\"1 2 3\"; "
          "participant, id=b, security=secured, sas=(string)\"4 5 6\"",
        FALSE, TRUE, FALSE, FALSE, 3},
    {"participant, id=a, security=secured, sas=(string)\"1 2 3\", "
          "sas-confirmed=true", FALSE, TRUE, FALSE, FALSE, 1},
    {"participant, id=a, security=secured, keys-changed=true, "
          "sas=(string)\"1 2 3\", sas-confirmed=true", FALSE, FALSE, TRUE,
        FALSE, 1},
    {"participant, id=a, security=failed; participant, id=b, "
          "security=unknown", FALSE, FALSE, TRUE, FALSE, 2},
  };
  gint one_line = -1;
  guint i;

  /* the height of a one-line security panel, and of each further line */
  set_participants (f, "participant, id=a, security=unknown");
  {
    g_autoptr (GstBuffer) out = frame (f);

    one_line = panel_height_in (out, &top_right);
    g_assert_cmpint (one_line, >, 0);
  }
  gst_util_set_object_arg (G_OBJECT (f->hud), "call-state", "connected");
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GstBuffer) out = NULL;
    GstVideoOverlayComposition *comp;
    guint ng, na, nr, ns;
    gint h;

    set_participants (f, cases[i].list);
    out = frame (f);
    comp = meta_of (out);
    ng = colour_pixels (comp, &top_right, HUD_GREEN);
    na = colour_pixels (comp, &top_right, HUD_AMBER);
    nr = colour_pixels (comp, &top_right, HUD_RED);
    ns = colour_pixels (comp, &top_left, HUD_GREEN);
    h = panel_height_in (out, &top_right);
    g_test_message ("%s: green %u amber %u red %u, state green %u, "
        "height %d (one line %d)", cases[i].list, ng, na, nr, ns, h, one_line);
    g_assert_cmpint (ng > 20, ==, cases[i].green);
    g_assert_cmpint (na > 20, ==, cases[i].amber);
    g_assert_cmpint (nr > 20, ==, cases[i].red);
    g_assert_cmpint (ns > 20, ==, cases[i].state_green);
    /* lines: a one-line panel plus (lines − 1) × (line + gap) */
    g_assert_cmpint (h, >=, one_line + (gint) (cases[i].lines - 1) *
        (one_line - 2 * (H / 30 / 4)));
    g_assert_cmpint (h, <, one_line + (gint) cases[i].lines *
        (one_line - 2 * (H / 30 / 4)));
  }
}

/* Each daily-use state adds one amber line to the call panel (top-left)
 * and goes away when cleared: the wearer's muted microphone or paused
 * camera, a notice such as "TEST CAMERA", the peer's mute and camera pause
 * (two-party), a participant's (group). */
static void
test_mute_lines (Fixture * f, gconstpointer data)
{
  static const gchar *const flags[] = {
    "mic-muted", "camera-paused", "peer-muted", "peer-camera-paused",
  };
  gint base_h;
  guint i;

  g_object_set (f->hud, "peer-name", "Alice", NULL);
  {
    g_autoptr (GstBuffer) out = frame (f);

    base_h = panel_height_in (out, &top_left);
    g_assert_cmpuint (colour_pixels (meta_of (out), &top_left, HUD_AMBER),
        ==, 0);
  }
  for (i = 0; i < G_N_ELEMENTS (flags); i++) {
    gboolean own = g_str_has_prefix (flags[i], "mic") ||
        g_str_has_prefix (flags[i], "camera");

    g_object_set (f->hud, flags[i], TRUE, NULL);
    {
      g_autoptr (GstBuffer) out = frame (f);
      gint h = panel_height_in (out, &top_left);

      g_test_message ("%s: call panel %d px (%d without), amber %u",
          flags[i], h, base_h, colour_pixels (meta_of (out), &top_left,
              HUD_AMBER));
      g_assert_cmpuint (colour_pixels (meta_of (out), &top_left, HUD_AMBER),
          >, 20);
      /* the wearer's states get a line of their own; the peer's are said
       * on the peer's line */
      if (own)
        g_assert_cmpint (h, >, base_h);
      else
        g_assert_cmpint (h, ==, base_h);
    }
    g_object_set (f->hud, flags[i], FALSE, NULL);
  }
  g_object_set (f->hud, "notice", "TEST CAMERA (no camera found)", NULL);
  {
    g_autoptr (GstBuffer) out = frame (f);

    g_assert_cmpint (panel_height_in (out, &top_left), >, base_h);
    g_assert_cmpuint (colour_pixels (meta_of (out), &top_left, HUD_AMBER),
        >, 20);
  }
  g_object_set (f->hud, "notice", "", NULL);
  {
    g_autoptr (GstBuffer) out = frame (f);

    g_assert_cmpint (panel_height_in (out, &top_left), ==, base_h);
    g_assert_cmpuint (colour_pixels (meta_of (out), &top_left, HUD_AMBER),
        ==, 0);
  }

  /* group: a muted participant's line turns amber */
  set_participants (f, "participant, id=a, name=Alice; participant, id=b, "
      "name=Bob");
  {
    g_autoptr (GstBuffer) out = frame (f);

    g_assert_cmpuint (colour_pixels (meta_of (out), &top_left, HUD_AMBER),
        ==, 0);
  }
  set_participants (f, "participant, id=a, name=Alice; participant, id=b, "
      "name=Bob, muted=true, camera-paused=true");
  {
    g_autoptr (GstBuffer) out = frame (f);

    g_assert_cmpuint (colour_pixels (meta_of (out), &top_left, HUD_AMBER),
        >, 20);
  }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, \
    fixture_teardown)
  ADD ("/hud/group/round-trip", test_round_trip);
  ADD ("/hud/group/refused", test_refused);
  ADD ("/hud/group/badges", test_badges);
  ADD ("/hud/group/mute-lines", test_mute_lines);
#undef ADD

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
