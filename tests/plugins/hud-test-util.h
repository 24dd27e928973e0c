/* Helpers for the slhud tests: the composition a buffer carries, its
 * rectangles and their colours, the remote video rectangles.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "plugin-test-util.h"

/* The HUD's colours (gstslhudlayout.c), as the tests expect them. */
#define HUD_GREEN 0x4cff7a
#define HUD_AMBER 0xffc83d
#define HUD_RED 0xff5a50

static inline gboolean
rects_intersect (const GstVideoRectangle * a, const GstVideoRectangle * b)
{
  return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
      b->y < a->y + a->h;
}

static inline GstVideoOverlayComposition *
meta_of (GstBuffer * buf)
{
  GstVideoOverlayCompositionMeta *meta =
      gst_buffer_get_video_overlay_composition_meta (buf);

  return meta ? meta->overlay : NULL;
}

/* The render rectangles of @comp (at most @max). */
static inline guint
panel_rects (GstVideoOverlayComposition * comp, GstVideoRectangle * r,
    guint max)
{
  guint n = comp ? gst_video_overlay_composition_n_rectangles (comp) : 0, i;

  g_assert_cmpuint (n, <=, max);
  for (i = 0; i < n; i++) {
    guint rw, rh;

    gst_video_overlay_rectangle_get_render_rectangle
        (gst_video_overlay_composition_get_rectangle (comp, i), &r[i].x,
        &r[i].y, &rw, &rh);
    r[i].w = rw;
    r[i].h = rh;
  }
  return n;
}

/* The remote video rectangles slseethrough attached to @buf, in slot
 * order. */
static inline guint
video_rects (GstBuffer * buf, GstVideoRectangle * r, guint max)
{
  GstVideoRectangle by_slot[SL_TEST_SLOTS];
  gboolean drawn[SL_TEST_SLOTS];
  guint present, slot, n = 0;

  remote_regions (buf, by_slot, drawn, &present);
  for (slot = 0; slot < SL_TEST_SLOTS; slot++) {
    if (present & (1u << slot)) {
      g_assert_cmpuint (n, <, max);
      r[n++] = by_slot[slot];
    }
  }
  return n;
}

/* Opaque pixels close to @rgb in the panels whose top-left corner lies in
 * @area (all panels when NULL). */
static inline guint
colour_pixels (GstVideoOverlayComposition * comp,
    const GstVideoRectangle * area, guint32 rgb)
{
  guint i, n = 0;

  for (i = 0; comp && i < gst_video_overlay_composition_n_rectangles (comp);
      i++) {
    GstVideoOverlayRectangle *r =
        gst_video_overlay_composition_get_rectangle (comp, i);
    GstBuffer *pix;
    GstVideoMeta *vm;
    GstMapInfo map;
    gint x, y, px, py;
    guint rw, rh;

    gst_video_overlay_rectangle_get_render_rectangle (r, &x, &y, &rw, &rh);
    if (area && (x < area->x || x >= area->x + area->w || y < area->y ||
            y >= area->y + area->h))
      continue;
    /* Straight alpha: the colours as drawn. */
    pix = gst_video_overlay_rectangle_get_pixels_unscaled_argb (r,
        GST_VIDEO_OVERLAY_FORMAT_FLAG_NONE);
    vm = gst_buffer_get_video_meta (pix);
    gst_buffer_map (pix, &map, GST_MAP_READ);
    for (py = 0; py < (gint) vm->height; py++) {
      for (px = 0; px < (gint) vm->width; px++) {
        const guint8 *q = map.data + py * vm->stride[0] + 4 * px;
        /* ARGB in native-endian 32-bit words: B G R A in memory. */
        gint b = q[0], g = q[1], red = q[2], a = q[3];

        n += a == 255 && ABS (red - (gint) (rgb >> 16)) <= 12 &&
            ABS (g - (gint) ((rgb >> 8) & 0xff)) <= 12 &&
            ABS (b - (gint) (rgb & 0xff)) <= 12;
      }
    }
    gst_buffer_unmap (pix, &map);
  }
  return n;
}
