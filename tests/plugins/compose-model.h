/* Reference model of slseethrough with several remote videos: the
 * documented formulas applied one video after the other, each over what
 * the previous ones produced (docs/GOGGLES.md, "Several remote videos").
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Written from the documentation like plugin-test-util.h's ref_check(),
 * whose per-pixel weight (ref_weight) it reuses; the expected frame is
 * built in a buffer of the output's format and compared sample by sample.
 */
#pragma once

#include "plugin-test-util.h"

/* The background: a copy of @camera, or black (alpha/padding 255). */
static inline GstBuffer *
model_background (GstVideoFormat format, gint w, gint h,
    const GstVideoFrame * camera)
{
  Solid black = { {0, 0, 0, 255} };
  GstBuffer *buf;
  GstVideoFrame f;
  gint x, y;

  if (fmt_is_yuv (format)) {
    black.v[0] = 16;
    black.v[1] = black.v[2] = 128;
  }
  buf = make_frame (format, w, h, gen_solid, &black, 0);
  if (!camera)
    return buf;
  map_input (format, w, h, buf, &f);
  for (y = 0; y < h; y++) {
    for (x = 0; x < w; x++) {
      guint8 px[4];
      guint c;

      read_px (camera, x, y, px);
      for (c = 0; c < 3; c++) {
        if (c == 0 || !fmt_is_yuv (format) || (x % 2 == 0 && y % 2 == 0))
          *sample_ptr (&f, c, x, y) = px[c];
      }
    }
  }
  gst_video_frame_unmap (&f);
  return buf;
}

/* Blends @remote at (x, y) (rounded down to even for YUV) over @exp, which
 * is mapped writable: the same per-pixel definition as ref_check() with the
 * current content of @exp as the background. */
static inline void
model_blend (GstVideoFrame * exp, const GstVideoFrame * remote, gint x,
    gint y, const RefParams * p, gboolean src_alpha)
{
  GstVideoFormat fmt = GST_VIDEO_FRAME_FORMAT (exp);
  gint W = GST_VIDEO_FRAME_WIDTH (exp), H = GST_VIDEO_FRAME_HEIGHT (exp);
  gint rw = GST_VIDEO_FRAME_WIDTH (remote), rh = GST_VIDEO_FRAME_HEIGHT (remote);
  gboolean yuv = fmt_is_yuv (fmt);
  gint ox0, ox1, oy0, oy1, ox, oy;

  if (yuv) {
    x -= ((x % 2) + 2) % 2;
    y -= ((y % 2) + 2) % 2;
  }
  ox0 = CLAMP (x, 0, W);
  ox1 = CLAMP (x + rw, 0, W);
  oy0 = CLAMP (y, 0, H);
  oy1 = CLAMP (y + rh, 0, H);

  for (oy = oy0; oy < oy1; oy++) {
    for (ox = ox0; ox < ox1; ox++) {
      guint w = ref_weight (remote, ox - x, oy - y, p, src_alpha);
      guint8 src[4];
      guint c;

      read_px (remote, ox - x, oy - y, src);
      for (c = 0; c < (yuv ? 1u : 3u); c++) {
        guint8 *d = sample_ptr (exp, c, ox, oy);

        *d = ref_div255 (src[c] * w + *d * (255 - w));
      }
      if (yuv && ox % 2 == 0 && oy % 2 == 0) {
        guint sum = 0, i;

        for (i = 0; i < 4; i++) {
          gint lx = MIN (ox + (gint) (i % 2), ox1 - 1);
          gint ly = MIN (oy + (gint) (i / 2), oy1 - 1);

          sum += ref_weight (remote, lx - x, ly - y, p, FALSE);
        }
        w = (sum + 2) / 4;
        for (c = 1; c < 3; c++) {
          guint8 *d = sample_ptr (exp, c, ox, oy);

          *d = ref_div255 (src[c] * w + *d * (255 - w));
        }
      }
    }
  }
}

/* Mismatching samples between @out and @exp (the first few reported);
 * the fourth byte of packed RGB formats must be 255. */
static inline guint
model_compare (const GstVideoFrame * out, const GstVideoFrame * exp)
{
  GstVideoFormat fmt = GST_VIDEO_FRAME_FORMAT (out);
  gint W = GST_VIDEO_FRAME_WIDTH (out), H = GST_VIDEO_FRAME_HEIGHT (out);
  gboolean yuv = fmt_is_yuv (fmt);
  guint bad = 0;
  gint x, y;

  for (y = 0; y < H; y++) {
    for (x = 0; x < W; x++) {
      guint8 a[4], b[4];
      guint c, n = yuv ? (x % 2 == 0 && y % 2 == 0 ? 3 : 1) : 4;

      read_px (out, x, y, a);
      read_px (exp, x, y, b);
      if (!yuv)
        b[3] = 255;
      for (c = 0; c < n; c++) {
        if (a[c] != b[c] && bad++ < 5)
          g_printerr ("# %s %dx%d: (%d,%d) comp %u = %u, expected %u\n",
              gst_video_format_to_string (fmt), W, H, x, y, c, a[c], b[c]);
      }
    }
  }
  return bad;
}
