/* Helpers for the plugins suite: known frames and the reference model of
 * slseethrough's documented formulas (docs/GOGGLES.md).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The reference is written from the documentation, not from the plugin:
 * rounding uses (2x + 255) / 510 instead of the plugin's shift trick, and
 * every pixel is computed on its own.
 */
#pragma once

#include <gst/gst.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>

/* Fills one sample set: R,G,B,A for RGB formats, Y,U,V for YUV formats
 * (chroma is taken at the even luma coordinate of its block). */
typedef void (*PixelFunc) (gint x, gint y, guint8 px[4], gpointer data);

typedef struct
{
  gdouble opacity;
  gboolean luma_key;
  guint threshold;
  guint softness;
  gboolean edge_boost;
  gdouble strength;
} RefParams;

static inline guint
ref_div255 (guint x)
{
  return (2 * x + 255) / 510;
}

static inline guint
ref_byte (gdouble v)
{
  return (guint) floor (v * 255.0 + 0.5);
}

static inline gboolean
fmt_is_yuv (GstVideoFormat f)
{
  return GST_VIDEO_FORMAT_INFO_IS_YUV (gst_video_format_get_info (f));
}

/* Byte offset of the fourth (alpha or padding) byte in a packed format. */
static inline guint
fourth_byte (const GstVideoFrame * f)
{
  const GstVideoFormatInfo *fi = f->info.finfo;

  return 6 - (GST_VIDEO_FORMAT_INFO_POFFSET (fi, 0) +
      GST_VIDEO_FORMAT_INFO_POFFSET (fi, 1) +
      GST_VIDEO_FORMAT_INFO_POFFSET (fi, 2));
}

static inline guint8 *
sample_ptr (const GstVideoFrame * f, guint comp, gint x, gint y)
{
  if (fmt_is_yuv (GST_VIDEO_FRAME_FORMAT (f)) && comp > 0) {
    x /= 2;
    y /= 2;
  }
  return (guint8 *) GST_VIDEO_FRAME_COMP_DATA (f, comp) +
      (gsize) y * GST_VIDEO_FRAME_COMP_STRIDE (f, comp) +
      (gsize) x * GST_VIDEO_FRAME_COMP_PSTRIDE (f, comp);
}

/* R,G,B,4th byte or Y,U,V at luma (x, y) */
static inline void
read_px (const GstVideoFrame * f, gint x, gint y, guint8 px[4])
{
  guint c;

  for (c = 0; c < 3; c++)
    px[c] = *sample_ptr (f, c, x, y);
  if (fmt_is_yuv (GST_VIDEO_FRAME_FORMAT (f)))
    px[3] = 0;
  else
    px[3] = ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (f, 0))[(gsize) y *
        GST_VIDEO_FRAME_PLANE_STRIDE (f, 0) + 4 * x + fourth_byte (f)];
}

static inline GstBuffer *
make_frame (GstVideoFormat format, gint w, gint h, PixelFunc fn,
    gpointer data, guint64 n)
{
  GstVideoInfo info;
  GstVideoFrame f;
  GstBuffer *buf;
  gint x, y;

  gst_video_info_set_format (&info, format, w, h);
  buf = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  gst_buffer_memset (buf, 0, 0x5a, GST_VIDEO_INFO_SIZE (&info));
  g_assert_true (gst_video_frame_map (&f, &info, buf, GST_MAP_WRITE));
  for (y = 0; y < h; y++) {
    for (x = 0; x < w; x++) {
      guint8 px[4] = { 0, 0, 0, 255 };

      fn (x, y, px, data);
      if (fmt_is_yuv (format)) {
        *sample_ptr (&f, 0, x, y) = px[0];
        if (x % 2 == 0 && y % 2 == 0) {
          *sample_ptr (&f, 1, x, y) = px[1];
          *sample_ptr (&f, 2, x, y) = px[2];
        }
      } else {
        guint c;

        for (c = 0; c < 3; c++)
          *sample_ptr (&f, c, x, y) = px[c];
        ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0))[(gsize) y *
            GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) + 4 * x + fourth_byte (&f)] =
            px[3];
      }
    }
  }
  gst_video_frame_unmap (&f);
  GST_BUFFER_PTS (buf) = gst_util_uint64_scale (n, GST_SECOND, 30);
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (1, GST_SECOND, 30);
  return buf;
}

static inline gchar *
caps_str (GstVideoFormat format, gint w, gint h)
{
  return g_strdup_printf ("video/x-raw,format=%s,width=%d,height=%d,"
      "framerate=30/1", gst_video_format_to_string (format), w, h);
}

/* ---- generators ------------------------------------------------------ */

typedef struct
{
  guint8 v[4];
} Solid;

static inline void
gen_solid (gint x, gint y, guint8 px[4], gpointer data)
{
  memcpy (px, ((Solid *) data)->v, 4);
}

/* every byte value appears in each channel */
static inline void
gen_gradient (gint x, gint y, guint8 px[4], gpointer data)
{
  guint seed = GPOINTER_TO_UINT (data);

  px[0] = (x * 3 + y * 7 + seed) & 255;
  px[1] = (x * 5 + y * 11 + 17 + seed) & 255;
  px[2] = (x * 13 + y * 3 + 101 + seed) & 255;
  px[3] = 255;
}

/* ---- reference model --------------------------------------------------- */

static inline guint
ref_luma (GstVideoFormat fmt, const guint8 px[4])
{
  if (fmt_is_yuv (fmt)) {
    if (px[0] <= 16)
      return 0;
    return MIN (255, ((px[0] - 16) * 255 + 109) / 219);
  }
  return (77 * px[0] + 150 * px[1] + 29 * px[2] + 128) / 256;
}

static inline guint
ref_key (guint l, const RefParams * p)
{
  if (!p->luma_key)
    return 255;
  if (l < p->threshold)
    return 0;
  if (p->softness == 0 || l >= p->threshold + p->softness)
    return 255;
  return ((l - p->threshold) * 255 + p->softness / 2) / p->softness;
}

/* weight of remote pixel (rx, ry) */
static inline guint
ref_weight (const GstVideoFrame * remote, gint rx, gint ry,
    const RefParams * p, gboolean src_alpha)
{
  GstVideoFormat fmt = GST_VIDEO_FRAME_FORMAT (remote);
  gint rw = GST_VIDEO_FRAME_WIDTH (remote), rh = GST_VIDEO_FRAME_HEIGHT (remote);
  guint8 px[4];
  guint w;

  read_px (remote, rx, ry, px);
  w = ref_div255 (ref_byte (p->opacity) * ref_key (ref_luma (fmt, px), p));
  if (src_alpha)
    w = ref_div255 (w * px[3]);
  if (p->edge_boost) {
    static const gint dx[] = { 0, -1, 1, 0, 0 }, dy[] = { 0, 0, 0, -1, 1 };
    guint mx = 0, mn = 255, i;

    for (i = 0; i < 5; i++) {
      guint8 q[4];
      guint l;

      read_px (remote, CLAMP (rx + dx[i], 0, rw - 1), CLAMP (ry + dy[i], 0,
              rh - 1), q);
      l = ref_luma (fmt, q);
      mx = MAX (mx, l);
      mn = MIN (mn, l);
    }
    w = w + ref_div255 ((255 - w) *
        ref_div255 ((mx - mn) * ref_byte (p->strength)));
  }
  return w;
}

/* Compares every output sample with the model: remote at (x, y) (rounded
 * down to even for YUV) over @camera or black.  Returns the number of
 * mismatches (and reports the first few). */
static inline guint
ref_check (const GstVideoFrame * out, const GstVideoFrame * remote, gint x,
    gint y, const GstVideoFrame * camera, const RefParams * p,
    gboolean src_alpha)
{
  GstVideoFormat fmt = GST_VIDEO_FRAME_FORMAT (out);
  gint W = GST_VIDEO_FRAME_WIDTH (out), H = GST_VIDEO_FRAME_HEIGHT (out);
  gboolean yuv = fmt_is_yuv (fmt);
  gint rw = remote ? GST_VIDEO_FRAME_WIDTH (remote) : 0;
  gint rh = remote ? GST_VIDEO_FRAME_HEIGHT (remote) : 0;
  gint ox0, ox1, oy0, oy1, ox, oy;
  guint bad = 0;

  if (yuv) {
    x -= ((x % 2) + 2) % 2;
    y -= ((y % 2) + 2) % 2;
  }
  ox0 = CLAMP (x, 0, W);
  ox1 = CLAMP (x + rw, 0, W);
  oy0 = CLAMP (y, 0, H);
  oy1 = CLAMP (y + rh, 0, H);

  for (oy = 0; oy < H; oy++) {
    for (ox = 0; ox < W; ox++) {
      gboolean inside = ox >= ox0 && ox < ox1 && oy >= oy0 && oy < oy1;
      guint8 got[4], bg[4] = { 0, 0, 0, 255 }, src[4];
      guint exp[4], c, n_comp = yuv ? 1 : 4;
      gboolean chroma_here = yuv && ox % 2 == 0 && oy % 2 == 0;
      guint wc = 0;

      read_px (out, ox, oy, got);
      if (yuv) {
        bg[0] = 16;
        bg[1] = bg[2] = 128;
      }
      if (camera)
        read_px (camera, ox, oy, bg);
      if (!yuv)
        bg[3] = 255;

      if (inside) {
        guint w = ref_weight (remote, ox - x, oy - y, p, src_alpha);

        read_px (remote, ox - x, oy - y, src);
        for (c = 0; c < 3; c++)
          exp[c] = ref_div255 (src[c] * w + bg[c] * (255 - w));
        exp[3] = 255;
        if (chroma_here) {
          /* mean of the block's weights, block clamped to the visible part */
          guint sum = 0, i;

          for (i = 0; i < 4; i++) {
            gint lx = MIN (ox + (gint) (i % 2), ox1 - 1);
            gint ly = MIN (oy + (gint) (i / 2), oy1 - 1);

            sum += ref_weight (remote, lx - x, ly - y, p, FALSE);
          }
          wc = (sum + 2) / 4;
        }
      } else {
        memcpy (src, bg, 4);
        for (c = 0; c < 4; c++)
          exp[c] = bg[c];
      }
      if (chroma_here) {
        n_comp = 3;
        if (inside) {
          for (c = 1; c < 3; c++)
            exp[c] = ref_div255 (src[c] * wc + bg[c] * (255 - wc));
        }
      }
      for (c = 0; c < n_comp; c++) {
        if (got[c] != exp[c]) {
          if (bad < 5)
            g_printerr ("# %s %dx%d: pixel (%d,%d) comp %u = %u, expected "
                "%u\n", gst_video_format_to_string (fmt), W, H, ox, oy, c,
                got[c], exp[c]);
          bad++;
        }
      }
    }
  }
  return bad;
}

/* Maps @buf with the caps currently on @h's sink pad. */
static inline void
map_output (GstHarness * h, GstBuffer * buf, GstVideoFrame * frame)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  GstVideoInfo info;

  g_assert_nonnull (caps);
  g_assert_true (gst_video_info_from_caps (&info, caps));
  gst_caps_unref (caps);
  g_assert_true (gst_video_frame_map (frame, &info, buf, GST_MAP_READ));
}

static inline void
map_input (GstVideoFormat format, gint w, gint h, GstBuffer * buf,
    GstVideoFrame * frame)
{
  GstVideoInfo info;

  gst_video_info_set_format (&info, format, w, h);
  g_assert_true (gst_video_frame_map (frame, &info, buf, GST_MAP_READ));
}

/* Runs @launch to EOS (20 s at most); an error message fails the test. */
static inline void
run_to_eos (const gchar * launch)
{
  g_autoptr (GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (launch, &error);
  GstBus *bus;
  GstMessage *msg;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    g_autoptr (GError) err = NULL;
    g_autofree gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    g_printerr ("# %s: %s\n", launch, dbg);
    g_assert_no_error (err);
  }
  gst_message_unref (msg);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

/* slseethrough's remote pads: remote_0 to remote_2 */
#define SL_TEST_SLOTS 3

/* The remote video rectangles slseethrough attached to @buf as
 * "sightline-remote-video" region metas, by slot: @rects[slot] and
 * @drawn[slot] (SL_TEST_SLOTS entries each; absent slots are left as they
 * are) and, if @present is not NULL, a bit per slot found.  Returns how
 * many there are. */
static inline guint
remote_regions (GstBuffer * buf, GstVideoRectangle * rects, gboolean * drawn,
    guint * present)
{
  gpointer state = NULL;
  GstMeta *meta;
  guint n = 0;

  if (present)
    *present = 0;
  while ((meta = gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) meta;
    GstStructure *s = gst_video_region_of_interest_meta_get_param (roi,
        "sightline-remote-video");
    guint slot;

    g_assert_cmpstr (g_quark_to_string (roi->roi_type), ==,
        "sightline-remote-video");
    g_assert_nonnull (s);
    g_assert_true (gst_structure_get_uint (s, "slot", &slot));
    g_assert_cmpuint (slot, <, SL_TEST_SLOTS);
    g_assert_true (gst_structure_get_boolean (s, "drawn", &drawn[slot]));
    rects[slot].x = roi->x;
    rects[slot].y = roi->y;
    rects[slot].w = roi->w;
    rects[slot].h = roi->h;
    if (present)
      *present |= 1u << slot;
    n++;
  }
  return n;
}
