/* slhud: drawn text in the corners, never the centre, a rendered frame
 * written to PNG, meta vs blend negotiation, caching, hostile strings.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "hud-test-util.h"

#include <cairo.h>

#define FULL_HUD "call-state=connected peer-name=Alice peer-role=expert " \
    "sas=\"4812 5530\" security=verified verified-by=code rtt-ms=42 " \
    "loss-percent=0.4 " \
    "bitrate-kbps=1800 chat-line=\"Alice: check the left valve\""

typedef struct
{
  GstElement *element;
  GstHarness *h;
  GstHarness *cam;
} Fixture;

static void
fixture_setup (Fixture * f, gconstpointer data)
{
  memset (f, 0, sizeof (*f));
}

static void
fixture_teardown (Fixture * f, gconstpointer data)
{
  g_clear_pointer (&f->cam, gst_harness_teardown);
  g_clear_pointer (&f->h, gst_harness_teardown);
  gst_clear_object (&f->element);
}

static void
hud_start (Fixture * f, const gchar * props, const gchar * src_caps,
    const gchar * sink_caps)
{
  g_autofree gchar *desc = g_strdup_printf ("slhud %s", props);
  g_autoptr (GError) error = NULL;

  f->element = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  f->h = gst_harness_new_with_element (f->element, "sink", "src");
  gst_harness_set_src_caps_str (f->h, src_caps);
  gst_harness_set_sink_caps_str (f->h, sink_caps);
}

static GstBuffer *
push_pull (GstHarness * h, GstBuffer * in)
{
  g_assert_cmpint (gst_harness_push (h, gst_buffer_ref (in)), ==, GST_FLOW_OK);
  return gst_harness_pull (h);
}

/* Every rectangle inside the frame, outside the keep-out region, no two
 * overlapping.  Returns the number of rectangles. */
static guint
check_layout (GstVideoOverlayComposition * comp, gint W, gint H)
{
  GstVideoRectangle keep = { W / 4, H / 4, W - 2 * (W / 4), H - 2 * (H / 4) };
  GstVideoRectangle r[8];
  guint n = gst_video_overlay_composition_n_rectangles (comp), i, j;

  g_assert_cmpuint (n, <=, 8);
  for (i = 0; i < n; i++) {
    guint rw, rh;

    gst_video_overlay_rectangle_get_render_rectangle
        (gst_video_overlay_composition_get_rectangle (comp, i), &r[i].x,
        &r[i].y, &rw, &rh);
    r[i].w = rw;
    r[i].h = rh;
    g_assert_cmpint (r[i].x, >=, 0);
    g_assert_cmpint (r[i].y, >=, 0);
    g_assert_cmpint (r[i].x + r[i].w, <=, W);
    g_assert_cmpint (r[i].y + r[i].h, <=, H);
    g_assert_false (rects_intersect (&r[i], &keep));
    for (j = 0; j < i; j++)
      g_assert_false (rects_intersect (&r[i], &r[j]));
  }
  return n;
}

/* ---- PNG of a rendered frame ------------------------------------------- */

typedef struct
{
  gint w, h;
  gboolean video;
} PngCase;

/* The remote video covers exactly the clear centre (its own size at
 * (w/4, h/4)), so that every pixel there is predictable. */
static GstElement *
seethrough_hud_bin (gboolean video, gint w, gint h)
{
  g_autofree gchar *desc = g_strdup_printf ("slseethrough name=st "
      "mode=%s opacity=0.6 placement=custom x=%d y=%d ! "
      "video/x-raw,width=%d,height=%d ! slhud name=hud " FULL_HUD,
      video ? "video" : "optical", w / 4, h / 4, w, h);
  g_autoptr (GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (desc, FALSE, &error);
  GstElement *st, *hud;
  GstPad *pad;

  g_assert_no_error (error);
  st = gst_bin_get_by_name (GST_BIN (bin), "st");
  hud = gst_bin_get_by_name (GST_BIN (bin), "hud");
  pad = gst_element_request_pad_simple (st, "remote");
  gst_element_add_pad (bin, gst_ghost_pad_new ("remote", pad));
  gst_object_unref (pad);
  if (video) {
    pad = gst_element_request_pad_simple (st, "camera");
    gst_element_add_pad (bin, gst_ghost_pad_new ("camera", pad));
    gst_object_unref (pad);
  }
  pad = gst_element_get_static_pad (hud, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", pad));
  gst_object_unref (pad);
  gst_object_unref (st);
  gst_object_unref (hud);
  return bin;
}

/* Pixels of the reloaded PNG whose three channels are all >= 200: the
 * background (remote at 60% over black or blended over the camera) never
 * gets there, the HUD's white text does. */
static guint
count_text_pixels (const guint8 * data, gint stride, gint x0, gint y0,
    gint x1, gint y1)
{
  guint n = 0;
  gint x, y;

  for (y = y0; y < y1; y++) {
    for (x = x0; x < x1; x++) {
      const guint8 *p = data + (gsize) y * stride + 4 * x;

      if (p[0] >= 200 && p[1] >= 200 && p[2] >= 200)
        n++;
    }
  }
  return n;
}

static void
gen_dim (gint x, gint y, guint8 px[4], gpointer data)
{
  gen_gradient (x, y, px, data);
  /* keep the background away from the text's brightness */
  px[0] = px[0] * 3 / 4;
  px[1] = px[1] * 3 / 4;
  px[2] = px[2] * 3 / 4;
}

static void
test_png (Fixture * f, gconstpointer data)
{
  const PngCase *c = data;
  const gchar *dir = g_getenv ("SL_TEST_OUTPUT_DIR");
  g_autofree gchar *path = g_build_filename (dir ? dir : g_get_tmp_dir (),
      c->video ? "hud-video-see-through.png" : "hud-optical-see-through.png",
      NULL);
  g_autofree gchar *caps = caps_str (GST_VIDEO_FORMAT_BGRA, c->w, c->h);
  g_autofree gchar *remote_caps = caps_str (GST_VIDEO_FORMAT_BGRA,
      c->w - 2 * (c->w / 4), c->h - 2 * (c->h / 4));
  g_autoptr (GstBuffer) remote = make_frame (GST_VIDEO_FORMAT_BGRA,
      c->w - 2 * (c->w / 4), c->h - 2 * (c->h / 4), gen_dim,
      GUINT_TO_POINTER (1), 0);
  g_autoptr (GstBuffer) camera = make_frame (GST_VIDEO_FORMAT_BGRA, c->w,
      c->h, gen_dim, GUINT_TO_POINTER (2), 0);
  g_autoptr (GstBuffer) out = NULL;
  GstVideoRectangle keep = { c->w / 4, c->h / 4, c->w - 2 * (c->w / 4),
    c->h - 2 * (c->h / 4)
  };
  GstVideoFrame of, rf, cf;
  cairo_surface_t *surface, *png;
  const guint8 *pd;
  gint stride, x, y;
  guint bad = 0;

  f->element = seethrough_hud_bin (c->video, c->w, c->h);
  f->h = gst_harness_new_with_element (f->element, "remote", "src");
  gst_harness_set_src_caps_str (f->h, remote_caps);
  gst_harness_set_sink_caps_str (f->h, caps);
  if (c->video) {
    f->cam = gst_harness_new_with_element (f->element, "camera", NULL);
    gst_harness_set_src_caps_str (f->cam, caps);
  }
  g_assert_cmpint (gst_harness_push (f->h, gst_buffer_ref (remote)), ==,
      GST_FLOW_OK);
  if (c->video)
    g_assert_cmpint (gst_harness_push (f->cam, gst_buffer_ref (camera)), ==,
        GST_FLOW_OK);
  out = gst_harness_pull (f->h);
  g_assert_nonnull (out);
  g_assert_null (meta_of (out));

  /* write the frame as PNG (BGRA is cairo's RGB24 layout), read it back */
  map_output (f->h, out, &of);
  surface = cairo_image_surface_create_for_data (GST_VIDEO_FRAME_PLANE_DATA
      (&of, 0), CAIRO_FORMAT_RGB24, c->w, c->h,
      GST_VIDEO_FRAME_PLANE_STRIDE (&of, 0));
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==,
      CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_test_message ("rendered frame written to %s", path);

  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, c->w);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, c->h);
  pd = cairo_image_surface_get_data (png);
  stride = cairo_image_surface_get_stride (png);

  /* the see-through region: exactly the blended remote, no HUD */
  map_input (GST_VIDEO_FORMAT_BGRA, keep.w, keep.h, remote, &rf);
  map_input (GST_VIDEO_FORMAT_BGRA, c->w, c->h, camera, &cf);
  for (y = keep.y; y < keep.y + keep.h; y++) {
    for (x = keep.x; x < keep.x + keep.w; x++) {
      guint8 src[4], bg[4] = { 0, 0, 0, 255 };
      const guint8 *got = pd + (gsize) y * stride + 4 * x;
      guint comp;

      read_px (&rf, x - keep.x, y - keep.y, src);
      if (c->video)
        read_px (&cf, x, y, bg);
      for (comp = 0; comp < 3; comp++) {
        /* RGB from read_px; B,G,R in the PNG surface's memory */
        guint exp = ref_div255 (src[comp] * 153 + bg[comp] * 102);

        if (got[2 - comp] != exp && bad++ < 5)
          g_printerr ("# (%d,%d) %u != %u\n", x, y, got[2 - comp], exp);
      }
    }
  }
  g_assert_cmpuint (bad, ==, 0);

  /* each corner panel holds text */
  {
    gint band = c->h / 4, half = c->w / 2;
    guint min_px = (guint) (gst_util_uint64_scale (c->h, c->h, 30 * 30) / 4);
    guint tl = count_text_pixels (pd, stride, 0, 0, half, band);
    guint tr = count_text_pixels (pd, stride, half, 0, c->w, band);
    guint bl = count_text_pixels (pd, stride, 0, c->h - band, half, c->h);
    guint br = count_text_pixels (pd, stride, half, c->h - band, c->w, c->h);

    g_test_message ("text pixels: %u %u %u %u (min %u)", tl, tr, bl, br,
        min_px);
    g_assert_cmpuint (tl, >=, min_px);
    g_assert_cmpuint (tr, >=, min_px);
    g_assert_cmpuint (bl, >=, min_px);
    g_assert_cmpuint (br, >=, min_px);
    g_assert_cmpuint (count_text_pixels (pd, stride, keep.x, keep.y,
            keep.x + keep.w, keep.y + keep.h), ==, 0);
  }

  cairo_surface_destroy (png);
  gst_video_frame_unmap (&cf);
  gst_video_frame_unmap (&rf);
  gst_video_frame_unmap (&of);
}

/* ---- meta or blend ----------------------------------------------------- */

static void
test_meta_by_caps_feature (Fixture * f, gconstpointer data)
{
  g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, 1280, 720);
  g_autofree gchar *feature = g_strdup_printf ("video/x-raw("
      GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION "),format=RGBA,"
      "width=1280,height=720,framerate=30/1");
  g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, 1280, 720,
      gen_gradient, NULL, 0);
  g_autoptr (GstBuffer) out = NULL;
  g_autoptr (GstCaps) caps = NULL;
  GstMapInfo a, b;

  hud_start (f, FULL_HUD, plain, feature);
  out = push_pull (f->h, in);
  caps = gst_pad_get_current_caps (f->h->sinkpad);
  g_assert_true (gst_caps_features_contains (gst_caps_get_features (caps, 0),
          GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION));
  g_assert_nonnull (meta_of (out));
  g_assert_cmpuint (check_layout (meta_of (out), 1280, 720), ==, 4);
  /* attached, not drawn: the pixels are the input's */
  gst_buffer_map (in, &a, GST_MAP_READ);
  gst_buffer_map (out, &b, GST_MAP_READ);
  g_assert_cmpmem (a.data, a.size, b.data, b.size);
  gst_buffer_unmap (out, &b);
  gst_buffer_unmap (in, &a);
}

static void
test_meta_by_allocation (Fixture * f, gconstpointer data)
{
  g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_I420, 1920, 1080);
  g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_I420, 1920, 1080,
      gen_gradient, NULL, 0);
  g_autoptr (GstBuffer) out = NULL;

  hud_start (f, FULL_HUD, plain, plain);
  gst_harness_add_propose_allocation_meta (f->h,
      GST_VIDEO_OVERLAY_COMPOSITION_META_API_TYPE, NULL);
  out = push_pull (f->h, in);
  g_assert_nonnull (meta_of (out));
  g_assert_cmpuint (check_layout (meta_of (out), 1920, 1080), ==, 4);
}

/* Downstream takes neither: blended in every format, centre untouched. */
static void
test_blend_formats (Fixture * f, gconstpointer data)
{
  static const struct
  {
    GstVideoFormat format;
    gint w, h;
  } cases[] = {
    {GST_VIDEO_FORMAT_RGBA, 1280, 720},
    {GST_VIDEO_FORMAT_BGRx, 1920, 1080},
    {GST_VIDEO_FORMAT_I420, 642, 362},
    {GST_VIDEO_FORMAT_NV12, 640, 480},
    {GST_VIDEO_FORMAT_I420, 641, 361},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gint W = cases[i].w, H = cases[i].h, x, y;
    g_autofree gchar *caps = caps_str (cases[i].format, W, H);
    g_autoptr (GstBuffer) in = make_frame (cases[i].format, W, H,
        gen_gradient, NULL, 0);
    g_autoptr (GstBuffer) out = NULL;
    GstVideoFrame inf, of;
    guint changed_corner = 0;

    hud_start (f, FULL_HUD, caps, caps);
    out = push_pull (f->h, in);
    g_assert_null (meta_of (out));
    map_input (cases[i].format, W, H, in, &inf);
    map_output (f->h, out, &of);
    for (y = 0; y < H; y++) {
      for (x = 0; x < W; x++) {
        gboolean centre = x >= W / 4 && x < W - W / 4 && y >= H / 4 &&
            y < H - H / 4;
        guint8 a[4], b[4];

        read_px (&inf, x, y, a);
        read_px (&of, x, y, b);
        if (centre) {
          /* YUV chroma of the block straddling the border may mix */
          g_assert_cmpuint (a[0], ==, b[0]);
        } else if (memcmp (a, b, 3) != 0) {
          changed_corner++;
        }
      }
    }
    g_assert_cmpuint (changed_corner, >, (guint) (W * H / 100));
    gst_video_frame_unmap (&of);
    gst_video_frame_unmap (&inf);
    fixture_teardown (f, NULL);
  }
}

/* ---- layout ------------------------------------------------------------ */

static void
test_keepout_and_sizes (Fixture * f, gconstpointer data)
{
  static const gint sizes[][2] = {
    {1280, 720}, {1920, 1080}, {642, 362}, {320, 240}, {100, 60}, {16, 16},
    {2, 2}, {3000, 200}, {200, 3000},
  };
  static const gchar *contents[] = {
    FULL_HUD,
    "font-scale=3.0 chat-lines=8 peer-name=" "\"Alexandra Konstantinopoulou-"
        "Wojciechowska the Third of the Maintenance Crew\" "
        "peer-role=\"senior remote field expert\" sas=\"1234 5678 9012 3456\"",
    "font-scale=0.5 call-state=failed",
  };
  guint i, j, k;

  for (j = 0; j < G_N_ELEMENTS (contents); j++) {
    for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
      gint W = sizes[i][0], H = sizes[i][1];
      g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, W, H);
      g_autofree gchar *feature = g_strdup_printf ("video/x-raw("
          GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION "),format=RGBA,"
          "width=%d,height=%d,framerate=30/1", W, H);
      g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, W, H,
          gen_gradient, NULL, 0);
      g_autoptr (GstBuffer) out = NULL;

      hud_start (f, contents[j], plain, feature);
      for (k = 0; k < 8; k++) {
        g_autofree gchar *line = g_strdup_printf ("line %u: %s", k,
            "a chat message long enough to need ellipsising on any goggles "
            "display because nobody writes this much in a call, surely not");

        g_object_set (f->element, "chat-line", line, NULL);
      }
      out = push_pull (f->h, in);
      if (meta_of (out))
        check_layout (meta_of (out), W, H);
      else
        g_assert_cmpint (MIN (W, H), <, 64);
      fixture_teardown (f, NULL);
    }
  }
}

/* Text height scales with the frame: 24 px at 720p, 36 px at 1080p; the
 * two-line top-left panel is at least twice that. */
static void
test_readable (Fixture * f, gconstpointer data)
{
  static const gint sizes[][2] = { {1280, 720}, {1920, 1080} };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    gint W = sizes[i][0], H = sizes[i][1];
    g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, W, H);
    g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, W, H,
        gen_gradient, NULL, 0);
    g_autoptr (GstBuffer) out = NULL;
    GstVideoOverlayComposition *comp;
    gint x, y, top = G_MAXINT, bottom = -1;
    guint rw, rh;

    hud_start (f, FULL_HUD, plain, plain);
    gst_harness_add_propose_allocation_meta (f->h,
        GST_VIDEO_OVERLAY_COMPOSITION_META_API_TYPE, NULL);
    out = push_pull (f->h, in);
    comp = meta_of (out);
    g_assert_nonnull (comp);
    gst_video_overlay_rectangle_get_render_rectangle
        (gst_video_overlay_composition_get_rectangle (comp, 0), &x, &y, &rw,
        &rh);
    g_assert_cmpuint (rh, >=, 2 * (guint) (H / 30));
    g_assert_cmpuint (rh, <, (guint) (H / 4));

    /* the glyphs themselves: rows with opaque white pixels in the panel */
    {
      GstVideoOverlayRectangle *r =
          gst_video_overlay_composition_get_rectangle (comp, 0);
      GstBuffer *pix = gst_video_overlay_rectangle_get_pixels_unscaled_argb (r,
          GST_VIDEO_OVERLAY_FORMAT_FLAG_PREMULTIPLIED_ALPHA);
      GstVideoMeta *vm = gst_buffer_get_video_meta (pix);
      GstMapInfo map;
      gint px, py;

      gst_buffer_map (pix, &map, GST_MAP_READ);
      for (py = 0; py < (gint) vm->height; py++) {
        for (px = 0; px < (gint) vm->width; px++) {
          const guint8 *q = map.data + py * vm->stride[0] + 4 * px;

          if (q[0] > 240 && q[1] > 240 && q[2] > 240) {
            top = MIN (top, py);
            bottom = MAX (bottom, py);
          }
        }
      }
      gst_buffer_unmap (pix, &map);
    }
    /* the white second line alone spans more than half the text height */
    g_assert_cmpint (bottom - top, >=, H / 30 / 2);
    fixture_teardown (f, NULL);
  }
}

/* ---- cache, strings, chat ---------------------------------------------- */

static void
test_cache (Fixture * f, gconstpointer data)
{
  g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, 640, 360);
  g_autofree gchar *feature = g_strdup_printf ("video/x-raw("
      GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION "),format=RGBA,"
      "width=640,height=360,framerate=30/1");
  g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, 640, 360,
      gen_gradient, NULL, 0);
  g_autoptr (GstBuffer) o1 = NULL, o2 = NULL, o3 = NULL, o4 = NULL;

  hud_start (f, FULL_HUD, plain, feature);
  o1 = push_pull (f->h, in);
  o2 = push_pull (f->h, in);
  g_assert_true (meta_of (o1) == meta_of (o2));
  /* same value: nothing to redraw */
  g_object_set (f->element, "peer-name", "Alice", NULL);
  o3 = push_pull (f->h, in);
  g_assert_true (meta_of (o3) == meta_of (o1));
  g_object_set (f->element, "rtt-ms", 900, NULL);
  o4 = push_pull (f->h, in);
  g_assert_true (meta_of (o4) != meta_of (o1));
  g_assert_cmpuint (gst_video_overlay_composition_get_seqnum (meta_of (o4)),
      !=, gst_video_overlay_composition_get_seqnum (meta_of (o1)));
}

static gboolean
is_displayable (const gchar * s)
{
  const gchar *p;

  if (!g_utf8_validate (s, -1, NULL))
    return FALSE;
  for (p = s; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_iscntrl (c) || (c >= 0x202a && c <= 0x202e) ||
        (c >= 0x2066 && c <= 0x2069))
      return FALSE;
  }
  return TRUE;
}

static void
test_hostile_strings (Fixture * f, gconstpointer data)
{
  g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, 1280, 720);
  g_autofree gchar *huge = g_strnfill (100000, 'W');
  g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, 1280, 720,
      gen_gradient, NULL, 0);
  g_autoptr (GstBuffer) out = NULL;
  gchar *name = NULL, *sas = NULL;
  gchar **chat = NULL;
  guint i;

  hud_start (f, "", plain, plain);
  g_object_set (f->element,
      "peer-name", "\xff\xfe" "Al\x01ice\xe2\x80\xae<b>x</b>\n&amp;",
      "sas", "\xc3\x28" "12\t34", "peer-role", huge, NULL);
  for (i = 0; i < 1000; i++)
    g_object_set (f->element, "chat-line", i % 2 ? huge : "<span>hi</span>",
        NULL);
  g_object_set (f->element, "chat-line", NULL, NULL);

  g_object_get (f->element, "peer-name", &name, "sas", &sas, "chat", &chat,
      NULL);
  g_assert_true (is_displayable (name));
  g_assert_nonnull (strstr (name, "<b>x</b>"));
  g_assert_nonnull (strstr (name, "&amp;"));
  g_assert_true (is_displayable (sas));
  g_assert_cmpuint (g_strv_length (chat), ==, 8);
  for (i = 0; i < 8; i++) {
    g_assert_true (is_displayable (chat[i]));
    g_assert_cmpint (g_utf8_strlen (chat[i], -1), <=, 161);
  }
  /* the last line was the huge one: 160 characters and an ellipsis */
  g_assert_true (g_str_has_suffix (chat[7], "…"));
  g_assert_cmpint (g_utf8_strlen (chat[7], -1), ==, 161);
  g_assert_cmpstr (chat[6], ==, "<span>hi</span>");
  g_free (name);
  g_free (sas);
  g_strfreev (chat);

  out = push_pull (f->h, in);
  g_assert_nonnull (out);
}

static void
test_chat (Fixture * f, gconstpointer data)
{
  g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, 1280, 720);
  g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, 1280, 720,
      gen_gradient, NULL, 0);
  const gchar *ten[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
    NULL
  };
  gchar **chat = NULL;

  hud_start (f, "chat-lines=0", plain, plain);
  gst_harness_add_propose_allocation_meta (f->h,
      GST_VIDEO_OVERLAY_COMPOSITION_META_API_TYPE, NULL);
  g_object_set (f->element, "chat", ten, NULL);
  g_object_get (f->element, "chat", &chat, NULL);
  g_assert_cmpuint (g_strv_length (chat), ==, 8);
  g_assert_cmpstr (chat[0], ==, "2");
  g_assert_cmpstr (chat[7], ==, "9");
  g_strfreev (chat);

  {
    g_autoptr (GstBuffer) out = push_pull (f->h, in);
    /* chat hidden: state, SAS and link panels only */
    g_assert_cmpuint (check_layout (meta_of (out), 1280, 720), ==, 3);
  }
  g_object_set (f->element, "chat-lines", 5, NULL);
  {
    g_autoptr (GstBuffer) out = push_pull (f->h, in);
    g_assert_cmpuint (check_layout (meta_of (out), 1280, 720), ==, 4);
  }
  g_object_set (f->element, "chat", NULL, NULL);
  {
    g_autoptr (GstBuffer) out = push_pull (f->h, in);
    g_assert_cmpuint (check_layout (meta_of (out), 1280, 720), ==, 3);
  }
}

/* Upstream's own overlay stays, ours is added on top. */
static void
test_merge_upstream_meta (Fixture * f, gconstpointer data)
{
  g_autofree gchar *feature = g_strdup_printf ("video/x-raw("
      GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION "),format=RGBA,"
      "width=640,height=360,framerate=30/1");
  g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, 640, 360,
      gen_gradient, NULL, 0);
  g_autoptr (GstBuffer) out = NULL;
  GstBuffer *pixels = gst_buffer_new_allocate (NULL, 4 * 4 * 4, NULL);
  GstVideoOverlayRectangle *rect;
  GstVideoOverlayComposition *theirs;

  gst_buffer_add_video_meta (pixels, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, 4, 4);
  rect = gst_video_overlay_rectangle_new_raw (pixels, 300, 170, 4, 4,
      GST_VIDEO_OVERLAY_FORMAT_FLAG_NONE);
  theirs = gst_video_overlay_composition_new (rect);
  gst_buffer_add_video_overlay_composition_meta (in, theirs);

  hud_start (f, FULL_HUD, feature, feature);
  out = push_pull (f->h, in);
  g_assert_cmpuint (gst_video_overlay_composition_n_rectangles (meta_of
          (out)), ==, 5);
  gst_video_overlay_composition_unref (theirs);
  gst_video_overlay_rectangle_unref (rect);
  gst_buffer_unref (pixels);
}

static void
test_renegotiation (Fixture * f, gconstpointer data)
{
  static const gint sizes[][2] = { {1280, 720}, {642, 362}, {1920, 1080} };
  guint i;

  hud_start (f, FULL_HUD, "video/x-raw,format=RGBA,width=1280,height=720,"
      "framerate=30/1",
      "video/x-raw(" GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION ")");
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    g_autofree gchar *caps = caps_str (GST_VIDEO_FORMAT_RGBA, sizes[i][0],
        sizes[i][1]);
    g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, sizes[i][0],
        sizes[i][1], gen_gradient, NULL, i);
    g_autoptr (GstBuffer) out = NULL;

    gst_harness_set_src_caps_str (f->h, caps);
    out = push_pull (f->h, in);
    g_assert_cmpuint (check_layout (meta_of (out), sizes[i][0],
            sizes[i][1]), ==, 4);
  }
}

/* NULL→PLAYING→NULL cycles and the documented launch lines. */
static void
test_launch_and_cycles (Fixture * f, gconstpointer data)
{
  guint i;

  for (i = 0; i < 3; i++) {
    run_to_eos ("videotestsrc num-buffers=5 ! slhud " FULL_HUD
        " ! videoconvert ! fakesink");
    run_to_eos ("videotestsrc num-buffers=5 ! slseethrough mode=optical "
        "opacity=0.6 ! slhud call-state=connected peer-name=Alice ! "
        "videoconvert ! fakesink");
  }
}

/* ---- the security badge ------------------------------------------------ */

/* A call that is secured but not verified never shows the verified
 * colour, not even in its "connected" state: amber with the prompt, red
 * when the keys changed or the checks failed, green only for verified. */
static void
test_security_badge (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const gchar *props;
    gboolean green, amber, red;
  } cases[] = {
    /* The link panel says GOOD in green: it must not count. */
    {"call-state=connected sas=\"1234 5678 9012\" rtt-ms=20 loss-percent=0",
        FALSE, FALSE, FALSE},
    {"call-state=connected sas=\"1234 5678 9012\"", FALSE, FALSE, FALSE},
    {"call-state=connected sas=\"1234 5678 9012\" security=secured", FALSE,
        TRUE, FALSE},
    {"call-state=connected sas=\"1234 5678 9012\" security=secured sas-confirmed=true", FALSE,
        TRUE, FALSE},
    {"call-state=connected sas=\"1234 5678 9012\" security=secured keys-changed=true", FALSE,
        TRUE, TRUE},
    {"call-state=connected sas=\"1234 5678 9012\" security=verified verified-by=code", TRUE,
        FALSE, FALSE},
    {"call-state=connected sas=\"1234 5678 9012\" security=verified verified-by=continuity", TRUE,
        FALSE, FALSE},
    {"call-state=connected sas=\"1234 5678 9012\" security=failed", FALSE,
        FALSE, TRUE},
  };
  const guint32 green = HUD_GREEN, amber = HUD_AMBER, red = HUD_RED;
  /* the top panels: call state and peer; SAS and badge */
  const GstVideoRectangle top = { 0, 0, 1280, 720 / 4 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree gchar *plain = caps_str (GST_VIDEO_FORMAT_RGBA, 1280, 720);
    g_autoptr (GstBuffer) in = make_frame (GST_VIDEO_FORMAT_RGBA, 1280, 720,
        gen_gradient, NULL, 0);
    g_autoptr (GstBuffer) out = NULL;
    GstVideoOverlayComposition *comp;
    guint ng, na, nr;

    hud_start (f, cases[i].props, plain, plain);
    gst_harness_add_propose_allocation_meta (f->h,
        GST_VIDEO_OVERLAY_COMPOSITION_META_API_TYPE, NULL);
    out = push_pull (f->h, in);
    comp = meta_of (out);
    g_assert_nonnull (comp);
    ng = colour_pixels (comp, &top, green);
    na = colour_pixels (comp, &top, amber);
    nr = colour_pixels (comp, &top, red);
    g_test_message ("%s: green %u amber %u red %u", cases[i].props, ng, na, nr);
    g_assert_cmpint (ng > 20, ==, cases[i].green);
    g_assert_cmpint (na > 20, ==, cases[i].amber);
    g_assert_cmpint (nr > 20, ==, cases[i].red);
    fixture_teardown (f, NULL);
  }
}

int
main (int argc, char **argv)
{
  static const PngCase png_optical = { 1280, 720, FALSE };
  static const PngCase png_video = { 1920, 1080, TRUE };
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

#define ADD(path, d, fn) g_test_add (path, Fixture, d, fixture_setup, fn, \
    fixture_teardown)
  ADD ("/hud/png/optical-720p", &png_optical, test_png);
  ADD ("/hud/png/video-1080p", &png_video, test_png);
  ADD ("/hud/meta/caps-feature", NULL, test_meta_by_caps_feature);
  ADD ("/hud/meta/allocation-query", NULL, test_meta_by_allocation);
  ADD ("/hud/meta/merge-upstream", NULL, test_merge_upstream_meta);
  ADD ("/hud/blend/formats", NULL, test_blend_formats);
  ADD ("/hud/layout/keepout-and-sizes", NULL, test_keepout_and_sizes);
  ADD ("/hud/layout/readable", NULL, test_readable);
  ADD ("/hud/cache", NULL, test_cache);
  ADD ("/hud/strings/hostile", NULL, test_hostile_strings);
  ADD ("/hud/strings/chat", NULL, test_chat);
  ADD ("/hud/renegotiation", NULL, test_renegotiation);
  ADD ("/hud/launch-and-cycles", NULL, test_launch_and_cycles);
  ADD ("/hud/security-badge", NULL, test_security_badge);
#undef ADD

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
