/* slseethrough with several remote videos: tiles around a clear centre,
 * per-pad opacity, pause and placement, pads joining and leaving while
 * playing, the rectangles reported downstream, the HUD's reserve, and the
 * aspect ratio of the camera and the remote videos.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "compose-model.h"

#define MAX_REMOTES 3

typedef struct
{
  GstElement *element;
  GstHarness *out;              /* the element's src pad only */
  GstHarness *in[MAX_REMOTES];  /* remote pads, in tile order */
  GstHarness *cam;
  GstVideoFormat format;
  gint W;
  gint H;
  guint64 n;
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

  g_clear_pointer (&f->cam, gst_harness_teardown);
  for (i = 0; i < MAX_REMOTES; i++)
    g_clear_pointer (&f->in[i], gst_harness_teardown);
  g_clear_pointer (&f->out, gst_harness_teardown);
  gst_clear_object (&f->element);
}

static void
group_start (Fixture * f, const gchar * props, GstVideoFormat format, gint W,
    gint H)
{
  g_autofree gchar *desc = g_strdup_printf ("slseethrough %s", props);
  g_autofree gchar *caps = caps_str (format, W, H);
  g_autoptr (GError) error = NULL;

  f->element = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  f->format = format;
  f->W = W;
  f->H = H;
  f->n = 0;
  f->out = gst_harness_new_with_element (f->element, NULL, "src");
  gst_harness_set_sink_caps_str (f->out, caps);
}

/* Requests @pad_name (a remote pad) as input @i with frames of w × h. */
static void
group_add (Fixture * f, guint i, const gchar * pad_name, gint w, gint h)
{
  g_autofree gchar *caps = caps_str (f->format, w, h);

  g_assert_null (f->in[i]);
  f->in[i] = gst_harness_new_with_element (f->element, pad_name, NULL);
  gst_harness_set_src_caps_str (f->in[i], caps);
}

static void
group_add_camera (Fixture * f, GstVideoFormat format, gint w, gint h)
{
  g_autofree gchar *caps = caps_str (format, w, h);

  f->cam = gst_harness_new_with_element (f->element, "camera", NULL);
  gst_harness_set_src_caps_str (f->cam, caps);
}

/* A copy of @buf timed as frame @n. */
static GstBuffer *
stamped (GstBuffer * buf, guint64 n)
{
  GstBuffer *copy = gst_buffer_copy (buf);

  GST_BUFFER_PTS (copy) = gst_util_uint64_scale (n, GST_SECOND, 30);
  GST_BUFFER_DURATION (copy) = gst_util_uint64_scale (1, GST_SECOND, 30);
  return copy;
}

/* Pushes one frame on every input that has one and pulls the output. */
static GstBuffer *
group_frame (Fixture * f, GstBuffer * remotes[MAX_REMOTES], GstBuffer * cam)
{
  guint64 n = f->n++;
  GstBuffer *out;
  guint i;

  for (i = 0; i < MAX_REMOTES; i++) {
    if (f->in[i] && remotes[i])
      g_assert_cmpint (gst_harness_push (f->in[i], stamped (remotes[i], n)),
          ==, GST_FLOW_OK);
  }
  if (f->cam && cam)
    g_assert_cmpint (gst_harness_push (f->cam, stamped (cam, n)), ==,
        GST_FLOW_OK);
  out = gst_harness_pull (f->out);
  g_assert_nonnull (out);
  g_assert_cmpuint (GST_BUFFER_PTS (out), ==,
      gst_util_uint64_scale (n, GST_SECOND, 30));
  return out;
}

typedef GstVideoRectangle Rect;

/* Checks @out against the model: @remotes[i] at @rects[i] in slot order
 * (the default z-order) with @params[i], over @camera or black. */
static void
check_composed (Fixture * f, GstBuffer * out, GstBuffer * remotes[],
    const Rect rects[], const RefParams params[], guint n, GstBuffer * camera)
{
  g_autoptr (GstBuffer) exp_buf = NULL;
  GstVideoFrame of, ef, cf;
  guint i;

  if (camera)
    map_input (f->format, f->W, f->H, camera, &cf);
  exp_buf = model_background (f->format, f->W, f->H, camera ? &cf : NULL);
  g_assert_true (gst_buffer_is_writable (exp_buf));
  {
    GstVideoInfo info;

    gst_video_info_set_format (&info, f->format, f->W, f->H);
    g_assert_true (gst_video_frame_map (&ef, &info, exp_buf,
            GST_MAP_READWRITE));
  }
  for (i = 0; i < n; i++) {
    GstVideoFrame rf;

    if (!remotes[i])
      continue;
    map_input (f->format, rects[i].w, rects[i].h, remotes[i], &rf);
    model_blend (&ef, &rf, rects[i].x, rects[i].y, &params[i], FALSE);
    gst_video_frame_unmap (&rf);
  }
  map_output (f->out, out, &of);
  g_assert_cmpuint (model_compare (&of, &ef), ==, 0);
  gst_video_frame_unmap (&of);
  gst_video_frame_unmap (&ef);
  if (camera)
    gst_video_frame_unmap (&cf);
}

static gboolean
rects_intersect (const Rect * a, const Rect * b)
{
  return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
      b->y < a->y + a->h;
}

/* ---- tiles ------------------------------------------------------------- */

/* 640x360 output, 16:9 remotes of 160x90 (no scaling): one video at the
 * centre (scale 0.25), two at the left and right edges, three with the
 * third at the top; the bands are a quarter of the width (160) and of the
 * height (90).  I420 centres on even rows (134, not 135). */
static void
test_tiles (Fixture * f, gconstpointer data)
{
  static const GstVideoFormat formats[] = {
    GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_BGRx,
  };
  static const Rect expected[4][MAX_REMOTES] = {
    {{0}},
    {{240, 135, 160, 90}},
    {{0, 135, 160, 90}, {480, 135, 160, 90}},
    {{0, 135, 160, 90}, {480, 135, 160, 90}, {240, 0, 160, 90}},
  };
  const Rect keep = { 160, 90, 320, 180 };
  guint fi, n, video;

  for (fi = 0; fi < G_N_ELEMENTS (formats); fi++) {
    for (video = 0; video < 2; video++) {
      for (n = 1; n <= MAX_REMOTES; n++) {
        /* one video: placed by the element (scale 0.25 of the frame);
         * tiles: the whole cell (scale 1) */
        g_autofree gchar *props = g_strdup_printf ("mode=%s opacity=0.6 "
            "placement=center scale=%s", video ? "video" : "optical",
            n == 1 ? "0.25" : "1");
        g_autoptr (GstBuffer) camera = NULL;
        g_autoptr (GstBuffer) out = NULL;
        GstBuffer *remotes[MAX_REMOTES] = { NULL, };
        RefParams params[MAX_REMOTES];
        Rect rects[MAX_REMOTES], got[MAX_REMOTES];
        gboolean drawn[MAX_REMOTES];
        guint i, j;

        group_start (f, props, formats[fi], 640, 360);
        for (i = 0; i < n; i++) {
          g_autofree gchar *name = g_strdup_printf ("remote_%u", i);

          group_add (f, i, name, 160, 90);
          remotes[i] = make_frame (formats[fi], 160, 90, gen_gradient,
              GUINT_TO_POINTER (10 + 7 * i), 0);
          params[i] = (RefParams) {
          .opacity = 0.6};
          rects[i] = expected[n][i];
          if (fmt_is_yuv (formats[fi]))
            rects[i].y -= rects[i].y & 1;
        }
        if (video) {
          group_add_camera (f, formats[fi], 640, 360);
          camera = make_frame (formats[fi], 640, 360, gen_gradient,
              GUINT_TO_POINTER (77), 0);
        }
        out = group_frame (f, remotes, camera);
        check_composed (f, out, remotes, rects, params, n, camera);

        /* the rectangles reported downstream are the drawn ones */
        g_assert_cmpuint (remote_regions (out, got, drawn, NULL), ==, n);
        for (i = 0; i < n; i++) {
          g_assert_cmpmem (&got[i], sizeof (Rect), &rects[i], sizeof (Rect));
          g_assert_true (drawn[i]);
          /* tiles never cover the centre nor each other */
          if (n > 1)
            g_assert_false (rects_intersect (&rects[i], &keep));
          for (j = 0; j < i; j++)
            g_assert_false (rects_intersect (&rects[i], &rects[j]));
        }
        for (i = 0; i < n; i++)
          gst_buffer_unref (remotes[i]);
        fixture_teardown (f, NULL);
      }
    }
  }
}

/* Each pad's opacity (or the element's), its pause and its own placement. */
static void
test_pad_properties (Fixture * f, gconstpointer data)
{
  GstBuffer *remotes[MAX_REMOTES];
  RefParams params[MAX_REMOTES] = { {.opacity = 0.6}, {.opacity = 0.25},
  {.opacity = 1.0}
  };
  Rect rects[MAX_REMOTES] = { {0, 135, 160, 90}, {480, 135, 160, 90},
  {240, 0, 160, 90}
  };
  Rect got[MAX_REMOTES];
  gboolean drawn[MAX_REMOTES];
  GstPad *pad;
  guint i;

  group_start (f, "opacity=0.6", GST_VIDEO_FORMAT_RGBA, 640, 360);
  for (i = 0; i < MAX_REMOTES; i++) {
    g_autofree gchar *name = g_strdup_printf ("remote_%u", i);

    group_add (f, i, name, 160, 90);
    remotes[i] = make_frame (GST_VIDEO_FORMAT_RGBA, 160, 90, gen_gradient,
        GUINT_TO_POINTER (3 + i), 0);
  }
  pad = gst_element_get_static_pad (f->element, "remote_1");
  g_object_set (pad, "opacity", 0.25, NULL);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (f->element, "remote_2");
  g_object_set (pad, "opacity", 1.0, NULL);
  {
    g_autoptr (GstBuffer) out = group_frame (f, remotes, NULL);

    check_composed (f, out, remotes, rects, params, 3, NULL);
  }

  /* paused: not drawn, not frozen; its tile stays reserved */
  g_object_set (pad, "paused", TRUE, NULL);
  {
    g_autoptr (GstBuffer) out = group_frame (f, remotes, NULL);
    GstBuffer *shown[MAX_REMOTES] = { remotes[0], remotes[1], NULL };

    check_composed (f, out, shown, rects, params, 3, NULL);
    g_assert_cmpuint (remote_regions (out, got, drawn, NULL), ==, 3);
    g_assert_cmpmem (&got[2], sizeof (Rect), &rects[2], sizeof (Rect));
    g_assert_false (drawn[2]);
    g_assert_true (drawn[0] && drawn[1]);
  }
  g_object_set (pad, "paused", FALSE, NULL);
  {
    g_autoptr (GstBuffer) out = group_frame (f, remotes, NULL);

    check_composed (f, out, remotes, rects, params, 3, NULL);
  }

  /* remote_2 placed on its own (custom box over the centre): the other two
   * stay the two tiles; remote_2 is drawn last (z-order) */
  gst_util_set_object_arg (G_OBJECT (pad), "placement", "custom");
  g_object_set (pad, "x", 300, "y", 100, "width", 160, "height", 90, NULL);
  gst_object_unref (pad);
  rects[2] = (Rect) {
  300, 100, 160, 90};
  {
    g_autoptr (GstBuffer) out = group_frame (f, remotes, NULL);

    check_composed (f, out, remotes, rects, params, 3, NULL);
  }
  for (i = 0; i < MAX_REMOTES; i++)
    gst_buffer_unref (remotes[i]);
}

/* ---- participants joining and leaving while playing -------------------- */

/* A stream of frames while the third participant leaves and comes back and
 * the first one leaves: every input frame time gives one output frame,
 * each exactly the tiles of the pads present at that time. */
static void
test_join_leave (Fixture * f, gconstpointer data)
{
  static const Rect three[] = { {0, 135, 160, 90}, {480, 135, 160, 90},
  {240, 0, 160, 90}
  };
  static const Rect two[] = { {0, 135, 160, 90}, {480, 135, 160, 90} };
  RefParams params[MAX_REMOTES] = { {.opacity = 0.7}, {.opacity = 0.7},
  {.opacity = 0.7}
  };
  GstBuffer *remotes[MAX_REMOTES];
  guint i, round;

  group_start (f, "opacity=0.7", GST_VIDEO_FORMAT_RGBA, 640, 360);
  for (i = 0; i < MAX_REMOTES; i++) {
    g_autofree gchar *name = g_strdup_printf ("remote_%u", i);

    group_add (f, i, name, 160, 90);
    remotes[i] = make_frame (GST_VIDEO_FORMAT_RGBA, 160, 90, gen_gradient,
        GUINT_TO_POINTER (20 + i), 0);
  }

  for (round = 0; round < 3; round++) {
    g_autoptr (GstBuffer) out3 = group_frame (f, remotes, NULL);
    g_autoptr (GstBuffer) out2 = NULL;
    GstBuffer *left[MAX_REMOTES] = { remotes[0], remotes[1], NULL };
    Rect got[MAX_REMOTES];
    gboolean drawn[MAX_REMOTES];
    GstPad *gone;

    check_composed (f, out3, remotes, three, params, 3, NULL);

    /* remote_2 leaves: released while the element is playing, and the
     * pad is gone with it (nothing keeps a reference) */
    gone = gst_element_get_static_pad (f->element, "remote_2");
    g_assert_nonnull (gone);
    gst_object_unref (gone);
    g_object_add_weak_pointer (G_OBJECT (gone), (gpointer *) & gone);
    g_clear_pointer (&f->in[2], gst_harness_teardown);
    g_assert_null (gst_element_get_static_pad (f->element, "remote_2"));
    g_assert_null (gone);
    out2 = group_frame (f, left, NULL);
    check_composed (f, out2, left, two, params, 2, NULL);
    g_assert_cmpuint (remote_regions (out2, got, drawn, NULL), ==, 2);

    /* and joins again, in the same slot */
    group_add (f, 2, "remote_2", 160, 90);
  }

  /* the first participant leaves: remote_1 and remote_2 take the left and
   * right tiles in slot order */
  g_clear_pointer (&f->in[0], gst_harness_teardown);
  {
    GstBuffer *rest[MAX_REMOTES] = { NULL, remotes[1], remotes[2] };
    GstBuffer *order[MAX_REMOTES] = { remotes[1], remotes[2], NULL };
    g_autoptr (GstBuffer) out = group_frame (f, rest, NULL);

    check_composed (f, out, order, two, params, 2, NULL);
  }
  /* the last two leave one after the other: a single video is placed by
   * the element (centre of 640x360 at scale 1 is the whole frame: here
   * scaled, so only its rectangle is checked), then nothing */
  g_clear_pointer (&f->in[1], gst_harness_teardown);
  {
    GstBuffer *rest[MAX_REMOTES] = { NULL, NULL, remotes[2] };
    g_autoptr (GstBuffer) out = group_frame (f, rest, NULL);
    Rect got[MAX_REMOTES];
    gboolean drawn[MAX_REMOTES];

    g_assert_cmpuint (remote_regions (out, got, drawn, NULL), ==, 1);
    g_assert_cmpint (got[2].x, ==, 0);
    g_assert_cmpint (got[2].w, ==, 640);
    g_assert_cmpint (got[2].h, ==, 360);
  }
  for (i = 0; i < MAX_REMOTES; i++)
    gst_buffer_unref (remotes[i]);
}

/* Pad names: "remote" takes the lowest free slot, remote_%u its own; at
 * most three remote pads; a taken or unknown name is refused. */
static void
test_pad_requests (Fixture * f, gconstpointer data)
{
  GstElement *el = gst_element_factory_make ("slseethrough", NULL);
  GstPadTemplate *alias = gst_element_get_pad_template (el, "remote");
  GstPadTemplate *numbered = gst_element_get_pad_template (el, "remote_%u");
  GstPad *a, *b, *c, *d;

  g_assert_nonnull (alias);
  g_assert_nonnull (numbered);
  a = gst_element_request_pad (el, alias, NULL, NULL);
  g_assert_cmpstr (GST_OBJECT_NAME (a), ==, "remote");
  /* slot 0 is the alias's */
  g_assert_null (gst_element_request_pad (el, numbered, "remote_0", NULL));
  g_assert_null (gst_element_request_pad (el, alias, NULL, NULL));
  b = gst_element_request_pad (el, numbered, NULL, NULL);
  g_assert_cmpstr (GST_OBJECT_NAME (b), ==, "remote_1");
  g_assert_null (gst_element_request_pad (el, numbered, "remote_3", NULL));
  g_assert_null (gst_element_request_pad (el, numbered, "remote_4294967295",
          NULL));
  c = gst_element_request_pad (el, numbered, "remote_2", NULL);
  g_assert_nonnull (c);
  /* three in use */
  g_assert_null (gst_element_request_pad (el, numbered, NULL, NULL));
  gst_element_release_request_pad (el, a);
  gst_object_unref (a);
  d = gst_element_request_pad_simple (el, "remote_%u");
  g_assert_cmpstr (GST_OBJECT_NAME (d), ==, "remote_0");

  gst_element_release_request_pad (el, b);
  gst_element_release_request_pad (el, c);
  gst_element_release_request_pad (el, d);
  gst_object_unref (b);
  gst_object_unref (c);
  gst_object_unref (d);
  gst_object_unref (el);
}

/* ---- aspect ratios ----------------------------------------------------- */

/* A bright square (or disc) on a dark background. */
typedef struct
{
  gint cx, cy, half;
  gboolean disc;
} Shape;

static void
gen_shape (gint x, gint y, guint8 px[4], gpointer data)
{
  const Shape *s = data;
  gint dx = x - s->cx, dy = y - s->cy;
  /* the square spans 2 × half pixels, the disc 2 × half + 1 */
  gboolean in = s->disc ? dx * dx + dy * dy <= s->half * s->half :
      dx >= -s->half && dx < s->half && dy >= -s->half && dy < s->half;

  px[0] = px[1] = px[2] = in ? 230 : 20;
  px[3] = 255;
}

/* The bounding box of pixels brighter than mid-grey inside @in. */
static void
bright_box (const GstVideoFrame * f, const Rect * in, Rect * box)
{
  gint x, y, x0 = G_MAXINT, y0 = G_MAXINT, x1 = -1, y1 = -1;

  for (y = in->y; y < in->y + in->h; y++) {
    for (x = in->x; x < in->x + in->w; x++) {
      guint8 px[4];

      read_px (f, x, y, px);
      if (px[0] > 125) {
        x0 = MIN (x0, x);
        y0 = MIN (y0, y);
        x1 = MAX (x1, x);
        y1 = MAX (y1, y);
      }
    }
  }
  box->x = x0;
  box->y = y0;
  box->w = x1 - x0 + 1;
  box->h = y1 - y0 + 1;
}

/* Video see-through: the camera is cropped to the output's aspect ratio
 * (crop to fill), never stretched.  A square and a disc keep equal width
 * and height: exactly without scaling, within one pixel when scaled. */
static void
test_camera_aspect (Fixture * f, gconstpointer data)
{
  static const struct
  {
    gint cw, ch, W, H, half;
    gboolean disc;
    Rect expected;              /* the shape's box in the output */
  } cases[] = {
    /* 4:3 into 16:9, same width: rows 60..419 kept, no scaling */
    {640, 480, 640, 360, 50, FALSE, {270, 130, 100, 100}},
    {640, 480, 640, 360, 50, TRUE, {270, 130, 101, 101}},
    /* 4:3 into 16:9 at twice the size */
    {640, 480, 1280, 720, 50, FALSE, {540, 260, 200, 200}},
    /* 16:9 into 4:3: columns 160..1119 kept, scaled by 2/3 */
    {1280, 720, 640, 480, 75, FALSE, {270, 190, 100, 100}},
    /* same aspect ratio: nothing cropped, scaled by 2 */
    {320, 240, 640, 480, 50, FALSE, {220, 140, 200, 200}},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    Shape shape = { cases[i].cw / 2, cases[i].ch / 2, cases[i].half,
      cases[i].disc
    };
    Rect all = { 0, 0, cases[i].W, cases[i].H };
    g_autoptr (GstBuffer) camera = NULL;
    g_autoptr (GstBuffer) out = NULL;
    GstBuffer *remotes[MAX_REMOTES] = { NULL, };
    GstVideoFrame of;
    Rect box;
    gint tol;

    group_start (f, "mode=video", GST_VIDEO_FORMAT_RGBA, cases[i].W,
        cases[i].H);
    group_add_camera (f, GST_VIDEO_FORMAT_RGBA, cases[i].cw, cases[i].ch);
    camera = make_frame (GST_VIDEO_FORMAT_RGBA, cases[i].cw, cases[i].ch,
        gen_shape, &shape, 0);
    out = group_frame (f, remotes, camera);
    map_output (f->out, out, &of);
    bright_box (&of, &all, &box);
    gst_video_frame_unmap (&of);
    g_test_message ("camera %dx%d -> %dx%d: shape %dx%d at %d,%d",
        cases[i].cw, cases[i].ch, cases[i].W, cases[i].H, box.w, box.h,
        box.x, box.y);
    /* unscaled cases are exact; scaled edges land within one pixel */
    tol = cases[i].cw == cases[i].W ? 0 : 1;
    g_assert_cmpint (ABS (box.w - cases[i].expected.w), <=, tol);
    g_assert_cmpint (ABS (box.h - cases[i].expected.h), <=, tol);
    g_assert_cmpint (ABS (box.w - box.h), <=, tol);
    g_assert_cmpint (ABS (box.x - cases[i].expected.x), <=, tol);
    g_assert_cmpint (ABS (box.y - cases[i].expected.y), <=, tol);
    fixture_teardown (f, NULL);
  }
}

/* Remote videos are fitted into their tile or box, never stretched: a 4:3
 * remote with a 120x120 square in a left tile (160 wide: 160x120, scale
 * 1/4) and in a wide custom box (400x100: 133x100, scale 5/6). */
static void
test_remote_aspect (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const gchar *props;
    guint n;
    gint side;
  } cases[] = {
    {"placement=center", 2, 30},
    {"placement=custom x=100 y=50 width=400 height=100", 1, 25},
  };
  Shape shape = { 320, 240, 60, FALSE };
  guint i, k;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_RGBA, 640,
        480, gen_shape, &shape, 0);
    g_autoptr (GstBuffer) out = NULL;
    GstBuffer *remotes[MAX_REMOTES] = { NULL, };
    Rect got[MAX_REMOTES], box;
    gboolean drawn[MAX_REMOTES];
    GstVideoFrame of;

    group_start (f, cases[i].props, GST_VIDEO_FORMAT_RGBA, 640, 360);
    g_object_set (f->element, "opacity", 1.0, NULL);
    for (k = 0; k < cases[i].n; k++) {
      g_autofree gchar *name = g_strdup_printf ("remote_%u", k);

      group_add (f, k, name, 640, 480);
      remotes[k] = remote;
    }
    out = group_frame (f, remotes, NULL);
    g_assert_cmpuint (remote_regions (out, got, drawn, NULL), ==, cases[i].n);
    /* the drawn rectangle has the remote's 4:3 shape */
    g_assert_cmpint (ABS (got[0].w * 3 - got[0].h * 4), <=, 4);
    /* the square of the first video, inside its rectangle */
    map_output (f->out, out, &of);
    bright_box (&of, &got[0], &box);
    gst_video_frame_unmap (&of);
    g_test_message ("%s: video %dx%d, square %dx%d", cases[i].props,
        got[0].w, got[0].h, box.w, box.h);
    g_assert_cmpint (ABS (box.w - box.h), <=, 1);
    g_assert_cmpint (ABS (box.h - cases[i].side), <=, 1);
    fixture_teardown (f, NULL);
  }
}

/* ---- the HUD's reserve ------------------------------------------------- */

static GstPadProbeReturn
answer_reserve (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  const GstStructure *s = gst_query_get_structure (query);
  const gint *rows = data;

  if (GST_QUERY_TYPE (query) != GST_QUERY_CUSTOM || !s ||
      !gst_structure_has_name (s, "GstSlHudReserve"))
    return GST_PAD_PROBE_OK;
  gst_structure_set (gst_query_writable_structure (query), "top", G_TYPE_INT,
      rows[0], "bottom", G_TYPE_INT, rows[1], NULL);
  return GST_PAD_PROBE_HANDLED;
}

/* A HUD downstream asking for 60 rows at the top and 40 at the bottom of
 * 640x360: a 16:9 video at the centre fits 640 × 260 (462x260 at 89,60),
 * top-right sits below the band; side tiles are centred between the bands,
 * the top tile (third video) stays at the top.  More than a quarter of the
 * height (90 rows) is not granted. */
static void
test_reserve (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const gchar *props;
    gint top, bottom;
    guint n;
    Rect expected[MAX_REMOTES];
  } cases[] = {
    {"placement=center", 60, 40, 1, {{89, 60, 462, 260}}},
    {"placement=top-right scale=0.5", 60, 40, 1, {{409, 60, 231, 130}}},
    {"placement=bottom scale=0.5", 60, 40, 1, {{204, 190, 231, 130}}},
    {"placement=center", 500, 500, 1, {{160, 90, 320, 180}}},
    {"placement=center", 0, 0, 1, {{0, 0, 640, 360}}},
    {"placement=center", 60, 40, 3, {{0, 145, 160, 90}, {480, 145, 160, 90},
            {240, 0, 160, 90}}},
  };
  guint i, k;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gint rows[2] = { cases[i].top, cases[i].bottom };
    g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_RGBA, 160,
        90, gen_gradient, NULL, 0);
    GstBuffer *remotes[MAX_REMOTES] = { NULL, };
    Rect got[MAX_REMOTES];
    gboolean drawn[MAX_REMOTES];
    GstPad *src;

    group_start (f, cases[i].props, GST_VIDEO_FORMAT_RGBA, 640, 360);
    src = gst_element_get_static_pad (f->element, "src");
    gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM,
        answer_reserve, rows, NULL);
    gst_object_unref (src);
    for (k = 0; k < cases[i].n; k++) {
      g_autofree gchar *name = g_strdup_printf ("remote_%u", k);

      group_add (f, k, name, 160, 90);
      remotes[k] = remote;
    }
    /* the first frame already follows the reserve */
    for (k = 0; k < 2; k++) {
      g_autoptr (GstBuffer) out = group_frame (f, remotes, NULL);
      guint j;

      g_assert_cmpuint (remote_regions (out, got, drawn, NULL), ==, cases[i].n);
      for (j = 0; j < cases[i].n; j++) {
        g_test_message ("%s reserve %d/%d: %d,%d %dx%d", cases[i].props,
            rows[0], rows[1], got[j].x, got[j].y, got[j].w, got[j].h);
        g_assert_cmpmem (&got[j], sizeof (Rect), &cases[i].expected[j],
            sizeof (Rect));
      }
    }
    fixture_teardown (f, NULL);
  }
}

/* The documented three-expert launch line, headless; pad properties set
 * on the launch line (the pads are the element's GstChildProxy children). */
static void
test_launch_line (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstElement) st = NULL;
  g_autoptr (GstPad) pad = NULL;
  gdouble opacity = 0;
  gboolean paused = FALSE;

  run_to_eos ("slseethrough name=s opacity=0.7 ! video/x-raw,width=1280,"
      "height=720 ! slhud call-state=connected ! videoconvert ! fakesink "
      "videotestsrc num-buffers=5 pattern=smpte ! s.remote_0 "
      "videotestsrc num-buffers=5 pattern=ball ! s.remote_1 "
      "videotestsrc num-buffers=5 pattern=snow ! s.remote_2");
  run_to_eos ("slseethrough name=s remote_1::opacity=0.3 "
      "remote_0::placement=top-left remote_0::scale=0.25 ! fakesink "
      "videotestsrc num-buffers=5 ! s.remote_0 "
      "videotestsrc num-buffers=5 ! s.remote_1");

  pipeline = gst_parse_launch ("slseethrough name=s remote_1::opacity=0.3 "
      "remote_1::paused=true ! fakesink videotestsrc ! s.remote_0 "
      "videotestsrc ! s.remote_1", &error);
  g_assert_no_error (error);
  st = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  pad = gst_element_get_static_pad (st, "remote_1");
  g_assert_nonnull (pad);
  g_object_get (pad, "opacity", &opacity, "paused", &paused, NULL);
  g_assert_cmpfloat (opacity, ==, 0.3);
  g_assert_true (paused);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, \
    fixture_teardown)
  ADD ("/seethrough/group/tiles", test_tiles);
  ADD ("/seethrough/group/pad-properties", test_pad_properties);
  ADD ("/seethrough/group/join-leave", test_join_leave);
  ADD ("/seethrough/group/pad-requests", test_pad_requests);
  ADD ("/seethrough/aspect/camera", test_camera_aspect);
  ADD ("/seethrough/aspect/remote", test_remote_aspect);
  ADD ("/seethrough/hud-reserve", test_reserve);
  ADD ("/seethrough/group/launch-line", test_launch_line);
#undef ADD

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
