/* slseethrough while streaming: property changes while playing,
 * controllers, state cycles, caps renegotiation, odd sizes, bad input and
 * the documented launch lines.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "seethrough-rig.h"

#include <gst/controller/gstinterpolationcontrolsource.h>
#include <gst/controller/gstdirectcontrolbinding.h>

/* Checks that everything outside [x, x+w) × [y, y+h) is the camera. */
static void
check_outside_is (const GstVideoFrame * out, const GstVideoFrame * bg, gint x,
    gint y, gint w, gint h)
{
  gint ox, oy;

  for (oy = 0; oy < GST_VIDEO_FRAME_HEIGHT (out); oy++) {
    for (ox = 0; ox < GST_VIDEO_FRAME_WIDTH (out); ox++) {
      guint8 got[4], exp[4];

      if (ox >= x && ox < x + w && oy >= y && oy < y + h)
        continue;
      read_px (out, ox, oy, got);
      read_px (bg, ox, oy, exp);
      g_assert_cmpmem (got, 3, exp, 3);
    }
  }
}

/* Opacity, placement, mode, scale and the rectangle change between frames
 * while the element is playing; each output follows the settings in force
 * when its input arrived. */
static void
test_properties_while_playing (Fixture * f, gconstpointer data)
{
  g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_RGBA, 40, 30,
      gen_gradient, GUINT_TO_POINTER (6), 0);
  g_autoptr (GstBuffer) camera = make_frame (GST_VIDEO_FORMAT_RGBA, 160, 120,
      gen_gradient, GUINT_TO_POINTER (60), 0);
  static const struct
  {
    const gchar *props;
    gboolean video;
    gdouble opacity;
    gint x, y;
    gboolean scaled;
  } steps[] = {
    {"opacity=0.6", FALSE, 0.6, 60, 45, FALSE},
    {"opacity=0.2", FALSE, 0.2, 60, 45, FALSE},
    {"placement=top-right", FALSE, 0.2, 120, 0, FALSE},
    {"mode=video", TRUE, 0.2, 120, 0, FALSE},
    /* 160x120 × 0.125 = 20x15, downscaled by the pad's converter */
    {"scale=0.125", TRUE, 0.2, 140, 0, TRUE},
    {"scale=1.0 placement=custom", TRUE, 0.2, 7, 9, FALSE},
    {"x=-5", TRUE, 0.2, -5, 9, FALSE},
    {"mode=optical", FALSE, 0.2, -5, 9, FALSE},
  };
  GstVideoFrame rf, cf;
  guint i;

  rig_start (&f->rig, "scale=0.25 x=7 y=9", GST_VIDEO_FORMAT_RGBA, 160, 120,
      40, 30, TRUE);
  map_input (GST_VIDEO_FORMAT_RGBA, 160, 120, camera, &cf);
  map_input (GST_VIDEO_FORMAT_RGBA, 40, 30, remote, &rf);
  for (i = 0; i < G_N_ELEMENTS (steps); i++) {
    g_auto (GStrv) kv = g_strsplit (steps[i].props, " ", -1);
    g_autoptr (GstBuffer) out = NULL;
    RefParams p = {.opacity = steps[i].opacity };
    GstVideoFrame of;
    gchar **it;

    for (it = kv; *it; it++) {
      g_auto (GStrv) pair = g_strsplit (*it, "=", 2);

      gst_util_set_object_arg (G_OBJECT (f->rig.element), pair[0], pair[1]);
    }
    out = rig_frame (&f->rig, remote, camera);
    map_output (f->rig.h, out, &of);
    if (steps[i].scaled)
      check_outside_is (&of, &cf, steps[i].x, steps[i].y, 20, 15);
    else
      g_assert_cmpuint (ref_check (&of, &rf, steps[i].x, steps[i].y,
              steps[i].video ? &cf : NULL, &p, FALSE), ==, 0);
    gst_video_frame_unmap (&of);
  }
  gst_video_frame_unmap (&rf);
  gst_video_frame_unmap (&cf);
}

/* opacity and x driven by a control source over stream time */
static void
test_controller (Fixture * f, gconstpointer data)
{
  g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_RGBA, 40, 30,
      gen_gradient, GUINT_TO_POINTER (12), 0);
  GstControlSource *opacity_cs = gst_interpolation_control_source_new ();
  GstControlSource *x_cs = gst_interpolation_control_source_new ();
  GstTimedValueControlSource *tv;
  guint i;

  rig_start (&f->rig, "placement=custom y=5", GST_VIDEO_FORMAT_RGBA, 160, 40,
      40, 30, FALSE);
  g_object_set (opacity_cs, "mode", GST_INTERPOLATION_MODE_LINEAR, NULL);
  g_object_set (x_cs, "mode", GST_INTERPOLATION_MODE_NONE, NULL);
  tv = GST_TIMED_VALUE_CONTROL_SOURCE (opacity_cs);
  /* opacity 0 at 0 s to 1 at 1 s */
  gst_timed_value_control_source_set (tv, 0, 0.0);
  gst_timed_value_control_source_set (tv, GST_SECOND, 1.0);
  /* x: the control value 0..1 spans the property's -16384..16384 */
  tv = GST_TIMED_VALUE_CONTROL_SOURCE (x_cs);
  gst_timed_value_control_source_set (tv, 0, 0.5);
  gst_timed_value_control_source_set (tv, GST_SECOND / 2,
      0.5 + 100.0 / 32768.0);
  g_assert_true (gst_object_add_control_binding (GST_OBJECT (f->rig.element),
          gst_direct_control_binding_new_absolute (GST_OBJECT (f->rig.element),
              "opacity", opacity_cs)));
  g_assert_true (gst_object_add_control_binding (GST_OBJECT (f->rig.element),
          gst_direct_control_binding_new (GST_OBJECT (f->rig.element), "x",
              x_cs)));

  for (i = 0; i < 31; i++) {
    g_autoptr (GstBuffer) out = rig_frame (&f->rig, remote, NULL);
    GstClockTime t = gst_util_uint64_scale (i, GST_SECOND, 30);
    RefParams p = {.opacity = (gdouble) t / GST_SECOND };
    gint x = t >= GST_SECOND / 2 ? 100 : 0;
    GstVideoFrame of, rf;

    if (i % 5 != 0)
      continue;
    map_output (f->rig.h, out, &of);
    map_input (GST_VIDEO_FORMAT_RGBA, 40, 30, remote, &rf);
    g_assert_cmpuint (ref_check (&of, &rf, x, 5, NULL, &p, FALSE), ==, 0);
    gst_video_frame_unmap (&rf);
    gst_video_frame_unmap (&of);
  }
  gst_object_unref (opacity_cs);
  gst_object_unref (x_cs);
}

static void
test_state_cycles (Fixture * f, gconstpointer data)
{
  const gchar *launch = "slseethrough name=s mode=video opacity=0.5 "
      "placement=bottom-left scale=0.5 ! video/x-raw,format=I420 ! fakesink "
      "videotestsrc num-buffers=8 ! video/x-raw,width=642,height=362 ! s.remote "
      "videotestsrc num-buffers=8 pattern=ball ! "
      "video/x-raw,format=YUY2,width=642,height=362 ! s.camera";
  GstElement *el = gst_element_factory_make ("slseethrough", NULL);
  GstPad *pad;
  guint i;

  for (i = 0; i < 4; i++)
    run_to_eos (launch);

  /* NULL→PLAYING→NULL without data, and with pads requested and released */
  for (i = 0; i < 4; i++) {
    pad = gst_element_request_pad_simple (el, i % 2 ? "camera" : "remote");
    g_assert_nonnull (pad);
    g_assert_cmpint (gst_element_set_state (el, GST_STATE_PLAYING), !=,
        GST_STATE_CHANGE_FAILURE);
    g_assert_cmpint (gst_element_set_state (el, GST_STATE_NULL), ==,
        GST_STATE_CHANGE_SUCCESS);
    gst_element_release_request_pad (el, pad);
    gst_object_unref (pad);
  }
  gst_object_unref (el);
}

/* The remote's size and format change mid-stream; the output follows
 * (downstream accepts anything), 642x362 and odd sizes included. */
static void
test_renegotiation (Fixture * f, gconstpointer data)
{
  static const struct
  {
    GstVideoFormat format;
    gint w, h;
  } steps[] = {
    {GST_VIDEO_FORMAT_RGBA, 320, 240},
    {GST_VIDEO_FORMAT_RGBA, 642, 362},
    {GST_VIDEO_FORMAT_I420, 642, 362},
    {GST_VIDEO_FORMAT_I420, 641, 361},
    {GST_VIDEO_FORMAT_BGRA, 3, 3},
    {GST_VIDEO_FORMAT_I420, 1, 1},
    {GST_VIDEO_FORMAT_RGBA, 320, 240},
  };
  GstElement *el = gst_element_factory_make ("slseethrough", NULL);
  GstHarness *h;
  guint i;

  g_object_set (el, "opacity", 0.4, "placement", 9 /* custom */ , NULL);
  h = gst_harness_new_with_element (el, "remote", "src");
  for (i = 0; i < G_N_ELEMENTS (steps); i++) {
    g_autofree gchar *caps = caps_str (steps[i].format, steps[i].w,
        steps[i].h);
    g_autoptr (GstBuffer) in = make_frame (steps[i].format, steps[i].w,
        steps[i].h, gen_gradient, GUINT_TO_POINTER (i), 0);
    RefParams p = {.opacity = 0.4 };
    GstVideoFrame rf;
    guint k;

    /* GstVideoAggregator renegotiates when it picks the first buffer with
     * the new caps and then waits for more input: push two per step */
    gst_harness_set_src_caps_str (h, caps);
    for (k = 0; k < 2; k++)
      g_assert_cmpint (gst_harness_push (h, stamped (in, 2 * i + k)), ==,
          GST_FLOW_OK);
    map_input (steps[i].format, steps[i].w, steps[i].h, in, &rf);
    for (k = 0; k < 2; k++) {
      g_autoptr (GstBuffer) out = gst_harness_pull (h);
      GstVideoFrame of;

      g_assert_nonnull (out);
      map_output (h, out, &of);
      g_assert_cmpint (GST_VIDEO_FRAME_FORMAT (&of), ==, steps[i].format);
      g_assert_cmpint (GST_VIDEO_FRAME_WIDTH (&of), ==, steps[i].w);
      g_assert_cmpint (GST_VIDEO_FRAME_HEIGHT (&of), ==, steps[i].h);
      g_assert_cmpuint (ref_check (&of, &rf, 0, 0, NULL, &p, FALSE), ==, 0);
      gst_video_frame_unmap (&of);
    }
    gst_video_frame_unmap (&rf);
  }
  gst_harness_teardown (h);
  gst_object_unref (el);
}

/* 642x362 and odd sizes with odd offsets, all features on. */
static void
test_odd_sizes (Fixture * f, gconstpointer data)
{
  static const struct
  {
    gint W, H, rw, rh, x, y;
  } cases[] = {
    {642, 362, 101, 57, 7, 5},
    {641, 361, 641, 361, 0, 0},
    {641, 361, 77, 33, 600, 340},
    {3, 3, 3, 3, 1, 1},
    {1, 1, 1, 1, 0, 0},
    {2, 2, 4, 4, -1, -3},
  };
  static const GstVideoFormat formats[] = {
    GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_BGRx,
  };
  guint i, j;

  for (j = 0; j < G_N_ELEMENTS (formats); j++) {
    for (i = 0; i < G_N_ELEMENTS (cases); i++) {
      RefParams p = {.opacity = 0.65,.luma_key = TRUE,.threshold = 40,
        .softness = 25,.edge_boost = TRUE,.strength = 0.8
      };
      g_autofree gchar *props = g_strdup_printf ("mode=video opacity=0.65 "
          "luma-key=true key-threshold=40 key-softness=25 edge-boost=true "
          "edge-strength=0.8 placement=custom x=%d y=%d", cases[i].x,
          cases[i].y);

      check_one (f, props, formats[j], cases[i].W, cases[i].H, cases[i].rw,
          cases[i].rh, cases[i].x, cases[i].y, gen_gradient,
          GUINT_TO_POINTER (i), gen_gradient, GUINT_TO_POINTER (i + 50), &p,
          FALSE);
    }
  }
}

/* Bad input gets an error or is skipped, never a crash. */
static void
test_bad_input (Fixture * f, gconstpointer data)
{
  GstElement *el = gst_element_factory_make ("slseethrough", NULL);
  GstPad *remote, *again, *bogus;
  GstHarness *h;
  GstBuffer *buf;
  GstFlowReturn ret;
  gboolean output = FALSE;
  gint64 deadline;
  guint i;

  /* one pad per role */
  remote = gst_element_request_pad_simple (el, "remote");
  g_assert_nonnull (remote);
  again = gst_element_request_pad (el,
      gst_element_get_pad_template (el, "remote"), NULL, NULL);
  g_assert_null (again);
  bogus = gst_element_request_pad_simple (el, "sink_%u");
  g_assert_null (bogus);
  gst_element_release_request_pad (el, remote);
  gst_object_unref (remote);

  h = gst_harness_new_with_element (el, "remote", "src");
  gst_harness_set_src_caps_str (h, "video/x-raw,format=RGBA,width=64,"
      "height=48,framerate=30/1");

  /* a buffer far too small for its caps: the frame is skipped */
  buf = gst_buffer_new_allocate (NULL, 10, NULL);
  GST_BUFFER_PTS (buf) = 0;
  GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
  g_assert_cmpint (gst_harness_push (h, buf), ==, GST_FLOW_OK);
  buf = gst_harness_pull (h);
  g_assert_nonnull (buf);
  g_assert_cmpuint (gst_buffer_get_size (buf), ==, 64 * 48 * 4);
  gst_buffer_unref (buf);

  /* absurd geometry: everything off-screen or clamped */
  g_object_set (el, "placement", 9, "x", 16384, "y", -16384, "width", 16384,
      "height", 16384, "scale", 2.0, NULL);
  buf = make_frame (GST_VIDEO_FORMAT_RGBA, 64, 48, gen_gradient, NULL, 1);
  g_assert_cmpint (gst_harness_push (h, buf), ==, GST_FLOW_OK);
  buf = gst_harness_pull (h);
  g_assert_nonnull (buf);
  gst_buffer_unref (buf);

  /* a buffer without timestamp: GstVideoAggregator either drops it (it
   * cannot place it after the output position) and goes on, or fails the
   * stream with an error its upstream push returns; never a crash or hang */
  buf = make_frame (GST_VIDEO_FORMAT_RGBA, 64, 48, gen_gradient, NULL, 2);
  GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
  ret = gst_harness_push (h, buf);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (i = 3; ret == GST_FLOW_OK && !output &&
      g_get_monotonic_time () < deadline; i++) {
    ret = gst_harness_push (h, make_frame (GST_VIDEO_FORMAT_RGBA, 64, 48,
            gen_gradient, NULL, i));
    g_usleep (5000);
    while ((buf = gst_harness_try_pull (h))) {
      output = TRUE;
      gst_buffer_unref (buf);
    }
  }
  g_assert_true (ret == GST_FLOW_ERROR || output);

  gst_harness_teardown (h);
  gst_object_unref (el);
}

/* The launch lines of docs/GOGGLES.md, with fakesink and num-buffers. */
static void
test_launch_lines (Fixture * f, gconstpointer data)
{
  run_to_eos ("videotestsrc num-buffers=5 ! slseethrough mode=optical "
      "opacity=0.6 ! videoconvert ! fakesink");
  run_to_eos ("slseethrough name=s mode=video opacity=0.7 "
      "placement=top-right scale=0.4 ! videoconvert ! fakesink "
      "videotestsrc num-buffers=5 pattern=ball ! s.remote "
      "videotestsrc num-buffers=5 ! videoconvert ! s.camera");
  run_to_eos ("videotestsrc num-buffers=5 ! video/x-raw,width=1280,"
      "height=720 ! slseethrough mode=optical opacity=0.8 luma-key=true "
      "key-threshold=32 edge-boost=true ! videoconvert ! fakesink");
  run_to_eos ("videotestsrc num-buffers=5 ! slseethrough placement=custom "
      "x=40 y=20 width=320 height=180 opacity=0.9 ! "
      "video/x-raw,width=1280,height=720 ! videoconvert ! fakesink");
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, \
    fixture_teardown)
  ADD ("/seethrough/properties/while-playing", test_properties_while_playing);
  ADD ("/seethrough/properties/controller", test_controller);
  ADD ("/seethrough/state-cycles", test_state_cycles);
  ADD ("/seethrough/renegotiation", test_renegotiation);
  ADD ("/seethrough/odd-sizes", test_odd_sizes);
  ADD ("/seethrough/bad-input", test_bad_input);
  ADD ("/seethrough/launch-lines", test_launch_lines);
#undef ADD

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
