/* slseethrough: exact pixels in every format for opacity, placement,
 * scaling, luma key, edge boost, the remote's alpha and video mode.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "seethrough-rig.h"

static const GstVideoFormat all_formats[] = {
  GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_BGRA, GST_VIDEO_FORMAT_ARGB,
  GST_VIDEO_FORMAT_ABGR, GST_VIDEO_FORMAT_RGBx, GST_VIDEO_FORMAT_BGRx,
  GST_VIDEO_FORMAT_xRGB, GST_VIDEO_FORMAT_xBGR, GST_VIDEO_FORMAT_I420,
  GST_VIDEO_FORMAT_YV12,
};

static void
test_opacity_all_formats (Fixture * f, gconstpointer data)
{
  static const gdouble opacities[] = { 0.0, 1.0 / 255, 0.25, 0.6, 1.0 };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (all_formats); i++) {
    for (j = 0; j < G_N_ELEMENTS (opacities); j++) {
      RefParams p = {.opacity = opacities[j] };
      g_autofree gchar *props = g_strdup_printf ("mode=optical opacity=%.17g"
          " placement=custom x=0 y=0", opacities[j]);

      /* 256 columns: every byte value in every channel */
      check_one (f, props, all_formats[i], 256, 8, 256, 8, 0, 0, gen_gradient,
          GUINT_TO_POINTER (3), NULL, NULL, &p, FALSE);
    }
  }
}

/* Worked example from the docs: 60% of (200, 100, 50) over black. */
static void
test_opacity_literal (Fixture * f, gconstpointer data)
{
  Solid color = { {200, 100, 50, 255} };
  g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_RGBA, 4, 4,
      gen_solid, &color, 0);
  g_autoptr (GstBuffer) out = NULL;
  GstVideoFrame of;
  guint8 px[4];

  rig_start (&f->rig, "opacity=0.6", GST_VIDEO_FORMAT_RGBA, 4, 4, 4, 4, FALSE);
  out = rig_frame (&f->rig, remote, NULL);
  map_output (f->rig.h, out, &of);
  read_px (&of, 2, 1, px);
  /* A = round (0.6 × 255) = 153; 200 × 153 / 255 = 120 */
  g_assert_cmpuint (px[0], ==, 120);
  g_assert_cmpuint (px[1], ==, 60);
  g_assert_cmpuint (px[2], ==, 30);
  g_assert_cmpuint (px[3], ==, 255);
  gst_video_frame_unmap (&of);
}

/* Optical mode: everything outside the remote video stays exactly black. */
static void
test_black_outside (Fixture * f, gconstpointer data)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (all_formats); i++) {
    Solid white = { {255, 255, 255, 255}
    };
    RefParams p = {.opacity = 1.0 };

    if (fmt_is_yuv (all_formats[i]))
      white.v[0] = 235, white.v[1] = white.v[2] = 128;
    check_one (f, "opacity=1.0 placement=custom x=20 y=10",
        all_formats[i], 96, 64, 40, 30, 20, 10, gen_solid, &white, NULL, NULL,
        &p, FALSE);
  }
}

/* The anchored presets put an unscaled 40x30 remote (fitted 160x120 × 0.25)
 * where the docs say; I420 rounds down to even coordinates. */
static void
test_placement_presets (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const gchar *name;
    gint x, y;
  } presets[] = {
    {"center", 60, 45}, {"top-left", 0, 0}, {"top-right", 120, 0},
    {"bottom-left", 0, 90}, {"bottom-right", 120, 90}, {"top", 60, 0},
    {"bottom", 60, 90}, {"left", 0, 45}, {"right", 120, 45},
  };
  static const GstVideoFormat formats[] = {
    GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_BGRA, GST_VIDEO_FORMAT_I420,
  };
  guint i, j;

  for (j = 0; j < G_N_ELEMENTS (formats); j++) {
    for (i = 0; i < G_N_ELEMENTS (presets); i++) {
      RefParams p = {.opacity = 0.5 };
      g_autofree gchar *props = g_strdup_printf ("opacity=0.5 scale=0.25 "
          "placement=%s", presets[i].name);

      check_one (f, props, formats[j], 160, 120, 40, 30, presets[i].x,
          presets[i].y, gen_gradient, GUINT_TO_POINTER (9), NULL, NULL, &p,
          FALSE);
    }
  }
}

/* A custom rectangle partly or wholly outside the frame is clipped. */
static void
test_placement_clip (Fixture * f, gconstpointer data)
{
  static const gint positions[][2] = {
    {-10, -6}, {70, 50}, {-39, 0}, {0, -29}, {80, 0}, {-40, -30}, {500, 500},
    {-16384, 16384},
  };
  guint i, j;

  for (j = 0; j < 2; j++) {
    GstVideoFormat fmt = j ? GST_VIDEO_FORMAT_I420 : GST_VIDEO_FORMAT_RGBA;

    for (i = 0; i < G_N_ELEMENTS (positions); i++) {
      RefParams p = {.opacity = 0.8 };
      g_autofree gchar *props = g_strdup_printf ("opacity=0.8 "
          "placement=custom x=%d y=%d", positions[i][0], positions[i][1]);

      check_one (f, props, fmt, 80, 60, 40, 30, positions[i][0],
          positions[i][1], gen_gradient, GUINT_TO_POINTER (1), NULL, NULL,
          &p, FALSE);
    }
  }
}

/* Scaling through the pad's converter: a solid 32x24 remote fitted into
 * 128x96 and halved is a 64x48 solid block at (32, 24); a square remote
 * keeps its aspect ratio.  Factors 1.5, 2 and 4 come out exact; elsewhere
 * GstVideoConverter's default cubic taps overshoot by up to 3% (6 levels)
 * near the edges, so those cases check the block's extent exactly and its
 * colour within 8 levels. */
static void
test_scale (Fixture * f, gconstpointer data)
{
  static const struct
  {
    gint rw, rh;
    const gchar *props;
    gint x, y, w, h;
    guint tolerance;
  } cases[] = {
    {32, 24, "scale=0.5", 32, 24, 64, 48, 0},
    {64, 64, "scale=1.0", 16, 0, 96, 96, 0},
    {64, 64, "scale=0.5 placement=bottom-right", 80, 48, 48, 48, 0},
    {20, 10, "placement=custom x=8 y=4 width=60 height=30 scale=1.0", 8, 4,
        60, 30, 8},
    {20, 10, "placement=custom x=8 y=4 width=0 height=0 scale=2.0", 8, 4,
        40, 20, 0},
    /* a box of another aspect ratio: fitted (50x25) and centred, never
     * stretched */
    {20, 10, "placement=custom x=8 y=4 width=50 height=33 scale=1.0", 8, 8,
        50, 25, 8},
    /* one side given: the other follows the aspect ratio */
    {20, 10, "placement=custom x=8 y=4 width=0 height=30 scale=1.0", 8, 4,
        60, 30, 8},
    /* 1000x10 × 1 is wider than twice the output: shrunk to 256x3 */
    {1000, 10, "placement=custom x=-64 y=1 scale=1.0", -64, 1, 256, 3, 8},
  };
  Solid color = { {200, 100, 50, 255} };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree gchar *props = g_strdup_printf ("opacity=1.0 %s",
        cases[i].props);
    g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_RGBA,
        cases[i].rw, cases[i].rh, gen_solid, &color, 0);
    g_autoptr (GstBuffer) out = NULL;
    guint tol = cases[i].tolerance;
    GstVideoFrame of;
    gint x, y;

    rig_start (&f->rig, props, GST_VIDEO_FORMAT_RGBA, 128, 96, cases[i].rw,
        cases[i].rh, FALSE);
    out = rig_frame (&f->rig, remote, NULL);
    map_output (f->rig.h, out, &of);
    for (y = 0; y < 96; y++) {
      for (x = 0; x < 128; x++) {
        gboolean inside = x >= cases[i].x && x < cases[i].x + cases[i].w &&
            y >= cases[i].y && y < cases[i].y + cases[i].h;
        guint8 px[4];

        read_px (&of, x, y, px);
        if (inside) {
          g_assert_cmpuint (ABS (px[0] - 200), <=, tol);
          g_assert_cmpuint (ABS (px[1] - 100), <=, tol);
          g_assert_cmpuint (ABS (px[2] - 50), <=, tol);
        } else {
          g_assert_cmpuint (px[0] | px[1] | px[2], ==, 0);
        }
        g_assert_cmpuint (px[3], ==, 255);
      }
    }
    gst_video_frame_unmap (&of);
    rig_stop (&f->rig);
  }
}

static void
gen_luma_ramp (gint x, gint y, guint8 px[4], gpointer data)
{
  gboolean yuv = GPOINTER_TO_INT (data);

  if (yuv) {
    px[0] = x;
    px[1] = 128 + (y * 9 % 40) - 20;
    px[2] = 128 - (x % 30);
  } else {
    px[0] = x;
    px[1] = (x + y * 3) & 255;
    px[2] = 255 - x;
  }
  px[3] = 255;
}

static void
test_luma_key (Fixture * f, gconstpointer data)
{
  static const guint keys[][2] = { {100, 20}, {24, 0}, {0, 255}, {255, 1} };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (all_formats); i++) {
    for (j = 0; j < G_N_ELEMENTS (keys); j++) {
      RefParams p = {.opacity = 0.9,.luma_key = TRUE,.threshold = keys[j][0],
        .softness = keys[j][1]
      };
      g_autofree gchar *props = g_strdup_printf ("opacity=0.9 luma-key=true "
          "key-threshold=%u key-softness=%u placement=custom x=0 y=0",
          keys[j][0], keys[j][1]);

      check_one (f, props, all_formats[i], 256, 6, 256, 6, 0, 0,
          gen_luma_ramp, GINT_TO_POINTER (fmt_is_yuv (all_formats[i])), NULL,
          NULL, &p, FALSE);
    }
  }
}

/* A dark frame with a 1-pixel bright line and a 3-pixel bright bar. */
static void
gen_annotation (gint x, gint y, guint8 px[4], gpointer data)
{
  gboolean yuv = GPOINTER_TO_INT (data);
  gboolean bright = x == 10 || (x >= 20 && x < 23) || y == 7;

  if (yuv) {
    px[0] = bright ? 235 : 30;
    px[1] = bright ? 90 : 128;
    px[2] = bright ? 240 : 128;
  } else {
    px[0] = bright ? 255 : 20;
    px[1] = bright ? 40 : 20;
    px[2] = bright ? 40 : 20;
  }
  px[3] = 255;
}

static void
test_edge_boost (Fixture * f, gconstpointer data)
{
  static const gdouble strengths[] = { 1.0, 0.5, 0.0 };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (all_formats); i++) {
    for (j = 0; j < G_N_ELEMENTS (strengths); j++) {
      RefParams p = {.opacity = 0.3,.edge_boost = TRUE,
        .strength = strengths[j]
      };
      g_autofree gchar *props = g_strdup_printf ("opacity=0.3 "
          "edge-boost=true edge-strength=%.17g placement=custom x=4 y=2",
          strengths[j]);

      check_one (f, props, all_formats[i], 48, 20, 32, 14, 4, 2,
          gen_annotation, GINT_TO_POINTER (fmt_is_yuv (all_formats[i])), NULL,
          NULL, &p, FALSE);
    }
  }
}

/* The worked edge example: at opacity 0.3 and strength 1 the 1-pixel red
 * line and its dark neighbours become fully opaque. */
static void
test_edge_boost_literal (Fixture * f, gconstpointer data)
{
  g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_RGBA, 32, 14,
      gen_annotation, GINT_TO_POINTER (FALSE), 0);
  g_autoptr (GstBuffer) out = NULL;
  GstVideoFrame of;
  guint8 px[4];

  rig_start (&f->rig, "opacity=0.3 edge-boost=true edge-strength=1.0 "
      "placement=custom x=0 y=0", GST_VIDEO_FORMAT_RGBA, 32, 14, 32, 14, FALSE);
  out = rig_frame (&f->rig, remote, NULL);
  map_output (f->rig.h, out, &of);
  /* line pixel: L = (77·255 + 150·40 + 29·40 + 128) >> 8 = 105, dark
   * neighbour L = 20, E = 85 → b = 85: w = 77 + round (178 × 85 / 255) =
   * 136; 255 × 136 / 255 = 136, 40 × 136 / 255 = 21 */
  read_px (&of, 10, 3, px);
  g_assert_cmpuint (px[0], ==, 136);
  g_assert_cmpuint (px[1], ==, 21);
  /* flat dark area: w = A = 77, 20 × 77 / 255 = 6 */
  read_px (&of, 15, 3, px);
  g_assert_cmpuint (px[0], ==, 6);
  gst_video_frame_unmap (&of);
}

static void
gen_alpha_ramp (gint x, gint y, guint8 px[4], gpointer data)
{
  gen_gradient (x, y, px, data);
  px[3] = (x * 4 + y * 50) & 255;
}

static void
test_src_alpha_honoured (Fixture * f, gconstpointer data)
{
  static const GstVideoFormat formats[] = {
    GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_BGRA, GST_VIDEO_FORMAT_ARGB,
    GST_VIDEO_FORMAT_ABGR,
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    RefParams p = {.opacity = 0.8 };
    RefParams pk = {.opacity = 0.8,.luma_key = TRUE,.threshold = 50,
      .softness = 10,.edge_boost = TRUE,.strength = 0.6
    };

    check_one (f, "opacity=0.8 placement=custom x=0 y=0", formats[i], 64, 6,
        64, 6, 0, 0, gen_alpha_ramp, GUINT_TO_POINTER (2), NULL, NULL, &p,
        TRUE);
    check_one (f, "mode=video opacity=0.8 luma-key=true key-threshold=50 "
        "key-softness=10 edge-boost=true edge-strength=0.6 "
        "placement=custom x=0 y=0", formats[i], 64, 6, 64, 6, 0, 0,
        gen_alpha_ramp, GUINT_TO_POINTER (2), gen_gradient,
        GUINT_TO_POINTER (40), &pk, TRUE);
  }
}

/* Video mode: inside = blend over the camera, outside = the camera. */
static void
test_video_mode (Fixture * f, gconstpointer data)
{
  static const gdouble opacities[] = { 0.6, 0.0, 1.0 };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (all_formats); i++) {
    for (j = 0; j < G_N_ELEMENTS (opacities); j++) {
      RefParams p = {.opacity = opacities[j] };
      g_autofree gchar *props = g_strdup_printf ("mode=video opacity=%.17g "
          "placement=custom x=24 y=10", opacities[j]);

      check_one (f, props, all_formats[i], 256, 40, 200, 20, 24, 10,
          gen_gradient, GUINT_TO_POINTER (0), gen_gradient,
          GUINT_TO_POINTER (99), &p, FALSE);
    }
    {
      RefParams pk = {.opacity = 0.6,.luma_key = TRUE,.threshold = 80,
        .softness = 40
      };
      check_one (f, "mode=video opacity=0.6 luma-key=true key-threshold=80 "
          "key-softness=40 placement=custom x=2 y=2", all_formats[i], 256, 12,
          256, 8, 2, 2, gen_luma_ramp,
          GINT_TO_POINTER (fmt_is_yuv (all_formats[i])), gen_gradient,
          GUINT_TO_POINTER (7), &pk, FALSE);
    }
  }
}

/* Video mode without a camera pad draws over black; optical mode ignores
 * a linked camera. */
static void
test_camera_absent_or_ignored (Fixture * f, gconstpointer data)
{
  RefParams p = {.opacity = 0.6 };

  check_one (f, "mode=video opacity=0.6 placement=custom x=3 y=1",
      GST_VIDEO_FORMAT_RGBA, 64, 16, 32, 8, 3, 1, gen_gradient,
      GUINT_TO_POINTER (4), NULL, NULL, &p, FALSE);
  {
    g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_RGBA, 32, 8,
        gen_gradient, GUINT_TO_POINTER (4), 0);
    g_autoptr (GstBuffer) camera = make_frame (GST_VIDEO_FORMAT_RGBA, 64, 16,
        gen_gradient, GUINT_TO_POINTER (8), 0);
    g_autoptr (GstBuffer) out = NULL;
    GstVideoFrame of, rf;

    rig_start (&f->rig, "mode=optical opacity=0.6 placement=custom x=3 y=1",
        GST_VIDEO_FORMAT_RGBA, 64, 16, 32, 8, TRUE);
    out = rig_frame (&f->rig, remote, camera);
    map_output (f->rig.h, out, &of);
    map_input (GST_VIDEO_FORMAT_RGBA, 32, 8, remote, &rf);
    g_assert_cmpuint (ref_check (&of, &rf, 3, 1, NULL, &p, FALSE), ==, 0);
    gst_video_frame_unmap (&rf);
    gst_video_frame_unmap (&of);
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
  ADD ("/seethrough/optical/opacity-all-formats", test_opacity_all_formats);
  ADD ("/seethrough/optical/opacity-literal", test_opacity_literal);
  ADD ("/seethrough/optical/black-outside", test_black_outside);
  ADD ("/seethrough/placement/presets", test_placement_presets);
  ADD ("/seethrough/placement/clip", test_placement_clip);
  ADD ("/seethrough/placement/scale", test_scale);
  ADD ("/seethrough/luma-key", test_luma_key);
  ADD ("/seethrough/edge-boost/formats", test_edge_boost);
  ADD ("/seethrough/edge-boost/literal", test_edge_boost_literal);
  ADD ("/seethrough/alpha/remote-alpha", test_src_alpha_honoured);
  ADD ("/seethrough/video/blend", test_video_mode);
  ADD ("/seethrough/video/camera-absent-or-ignored",
      test_camera_absent_or_ignored);
#undef ADD

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
