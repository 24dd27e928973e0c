/* Sightline see-through blending kernels
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Integer-only blending of the (already scaled) remote video over black
 * (optical see-through) or over the wearer's camera (video see-through).
 * Every result is defined exactly so that tests can predict each byte:
 *
 *   div255 (x)  = (x + 128 + ((x + 128) >> 8)) >> 8   (= round (x / 255))
 *   A           = round (opacity × 255)
 *   L           = key luma: RGB: (77 R + 150 G + 29 B + 128) >> 8;
 *                 I420/YV12: 0 if Y <= 16, else
 *                 min (255, ((Y − 16) × 255 + 109) / 219)
 *   k           = 255 without luma key; with it, 0 if L < T, 255 if S = 0 or
 *                 L >= T + S, else ((L − T) × 255 + S / 2) / S
 *   w0          = div255 (A × k), then div255 (w0 × a) when the remote's own
 *                 alpha a is honoured
 *   E           = max − min of L over the pixel and its 4 neighbours
 *                 (coordinates clamped to the remote frame)
 *   w           = w0, or with edge boost w0 + div255 ((255 − w0) × b) where
 *                 b = div255 (E × round (strength × 255))
 *   out         = div255 (src × w + bg × (255 − w)) per colour byte
 *
 * bg is the camera pixel in video mode and black (RGB 0,0,0; YUV 16,128,128)
 * otherwise.  The fourth byte of packed RGB formats is always 255 in the
 * output.  In I420/YV12 the chroma weight is the rounded mean of the 2×2 luma
 * weights of its block ((w00 + w01 + w10 + w11 + 2) >> 2), the block clamped
 * to the visible part of the remote frame.
 *
 * The row loops are written so that GCC vectorises them (16-bit lanes).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslblend.h"

#include <math.h>
#include <string.h>

typedef struct
{
  GstVideoFormat format;
  guint r, g, b, a;
  gboolean has_alpha;
} PackedLayout;

/* a is the byte the output always sets to 255 (alpha or padding) */
static const PackedLayout packed_layouts[] = {
  {GST_VIDEO_FORMAT_RGBA, 0, 1, 2, 3, TRUE},
  {GST_VIDEO_FORMAT_BGRA, 2, 1, 0, 3, TRUE},
  {GST_VIDEO_FORMAT_ARGB, 1, 2, 3, 0, TRUE},
  {GST_VIDEO_FORMAT_ABGR, 3, 2, 1, 0, TRUE},
  {GST_VIDEO_FORMAT_RGBx, 0, 1, 2, 3, FALSE},
  {GST_VIDEO_FORMAT_BGRx, 2, 1, 0, 3, FALSE},
  {GST_VIDEO_FORMAT_xRGB, 1, 2, 3, 0, FALSE},
  {GST_VIDEO_FORMAT_xBGR, 3, 2, 1, 0, FALSE},
};

typedef struct
{
  const GstSlBlendParams *p;
  gboolean planar;
  const PackedLayout *layout;
  /* L → div255 (A × k (L)) */
  guint8 key_lut[256];
  /* Y sample → L (planar formats only) */
  guint8 luma_lut[256];

  /* three cached rows of L, each n + 2 entries (one clamped column either
   * side), for the visible columns of the remote frame */
  guint8 *luma_rows[3];
  gint luma_row_index[3];
  /* E of the current row */
  guint8 *edge_scratch;
  gint luma_next_slot;
  gint vis_rx0;
  gint vis_w;
  const GstVideoFrame *remote;
} BlendCtx;

static inline guint
div255 (guint x)
{
  x += 128;
  return (x + (x >> 8)) >> 8;
}

static guint8
key_alpha (guint l, guint t, guint s)
{
  if (l < t)
    return 0;
  if (s == 0 || l >= t + s)
    return 255;
  return ((l - t) * 255 + s / 2) / s;
}

static guint8
y_to_key_luma (guint y)
{
  if (y <= 16)
    return 0;
  return MIN (255, ((y - 16) * 255 + 109) / 219);
}

static const PackedLayout *
find_layout (GstVideoFormat format)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (packed_layouts); i++) {
    if (packed_layouts[i].format == format)
      return &packed_layouts[i];
  }
  return NULL;
}

/**
 * gst_sl_blend_opacity_byte:
 * @opacity: 0 to 1 (clamped)
 *
 * Returns: round (opacity × 255), the A of the formulas
 */
guint8
gst_sl_blend_opacity_byte (gdouble opacity)
{
  return (guint8) CLAMP (floor (opacity * 255.0 + 0.5), 0, 255);
}

gboolean
gst_sl_blend_supports_format (GstVideoFormat format)
{
  return find_layout (format) != NULL || format == GST_VIDEO_FORMAT_I420
      || format == GST_VIDEO_FORMAT_YV12;
}

/* ---- row kernels ------------------------------------------------------ */

static void
blend_row_const (guint8 * restrict d, const guint8 * restrict s,
    const guint8 * restrict b, gsize n, guint w)
{
  const guint16 w16 = w, iw16 = 255 - w;
  gsize j;

  for (j = 0; j < n; j++) {
    guint16 t = (guint16) (s[j] * w16 + b[j] * iw16 + 128);
    d[j] = (guint8) ((t + (t >> 8)) >> 8);
  }
}

static void
blend_row_var1 (guint8 * restrict d, const guint8 * restrict s,
    const guint8 * restrict b, const guint8 * restrict w, gsize n)
{
  gsize j;

  for (j = 0; j < n; j++) {
    guint16 wv = w[j];
    guint16 t = (guint16) (s[j] * wv + b[j] * (255 - wv) + 128);
    d[j] = (guint8) ((t + (t >> 8)) >> 8);
  }
}

/* Spreads each pixel weight over its four bytes so the blend itself is the
 * same byte loop as blend_row_var1. */
static void
expand_weights4 (guint8 * restrict w4, const guint8 * restrict w, gsize n)
{
  gsize i;

  for (i = 0; i < n; i++) {
    w4[4 * i + 0] = w[i];
    w4[4 * i + 1] = w[i];
    w4[4 * i + 2] = w[i];
    w4[4 * i + 3] = w[i];
  }
}

static void
set_byte4 (guint8 * restrict d, gsize n_px, guint off)
{
  gsize i;

  for (i = 0; i < n_px; i++)
    d[4 * i + off] = 255;
}

static gboolean
row_alpha_opaque (const guint8 * s, gsize n_px, guint off)
{
  guint acc = 255;
  gsize i;

  for (i = 0; i < n_px; i++)
    acc &= s[4 * i + off];
  return acc == 255;
}

/* ---- key luma rows ---------------------------------------------------- */

/* L of @n packed pixels; the byte offsets are constants at every call so
 * that each layout gets its own vectorised loop. */
static inline void
luma_packed (guint8 * restrict l, const guint8 * restrict p, gint n, guint r,
    guint g, guint b)
{
  gint i;

  for (i = 0; i < n; i++)
    l[i] = (77 * p[4 * i + r] + 150 * p[4 * i + g] + 29 * p[4 * i + b] +
        128) >> 8;
}

static void
luma_packed_any (guint8 * l, const guint8 * p, gint n, const PackedLayout * lay)
{
  if (lay->r == 0 && lay->b == 2)
    luma_packed (l, p, n, 0, 1, 2);
  else if (lay->r == 2 && lay->b == 0)
    luma_packed (l, p, n, 2, 1, 0);
  else if (lay->r == 1)
    luma_packed (l, p, n, 1, 2, 3);
  else
    luma_packed (l, p, n, 3, 2, 1);
}

/* l[0] and l[n + 1] are the columns either side of the visible ones,
 * clamped to the remote frame. */
static void
compute_luma_row (BlendCtx * ctx, guint8 * l, gint ry)
{
  const GstVideoFrame *f = ctx->remote;
  gint rw = GST_VIDEO_FRAME_WIDTH (f);
  gint x0 = ctx->vis_rx0, n = ctx->vis_w;
  gint left = MAX (x0 - 1, 0), right = MIN (x0 + n, rw - 1);
  gint i;

  if (ctx->planar) {
    const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_COMP_DATA (f, 0) +
        (gsize) ry * GST_VIDEO_FRAME_COMP_STRIDE (f, 0);

    for (i = 0; i < n; i++)
      l[i + 1] = ctx->luma_lut[row[x0 + i]];
    l[0] = ctx->luma_lut[row[left]];
    l[n + 1] = ctx->luma_lut[row[right]];
  } else {
    const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (f, 0) +
        (gsize) ry * GST_VIDEO_FRAME_PLANE_STRIDE (f, 0);

    luma_packed_any (l + 1, row + 4 * (gsize) x0, n, ctx->layout);
    luma_packed_any (l, row + 4 * (gsize) left, 1, ctx->layout);
    luma_packed_any (l + n + 1, row + 4 * (gsize) right, 1, ctx->layout);
  }
}

/* Rows are requested in increasing order, so three slots are enough. */
static const guint8 *
get_luma_row (BlendCtx * ctx, gint ry)
{
  gint rh = GST_VIDEO_FRAME_HEIGHT (ctx->remote);
  gint slot, i;

  ry = CLAMP (ry, 0, rh - 1);
  for (i = 0; i < 3; i++) {
    if (ctx->luma_row_index[i] == ry)
      return ctx->luma_rows[i];
  }
  slot = ctx->luma_next_slot;
  ctx->luma_next_slot = (slot + 1) % 3;
  compute_luma_row (ctx, ctx->luma_rows[slot], ry);
  ctx->luma_row_index[slot] = ry;
  return ctx->luma_rows[slot];
}

/* E = max − min over the cross of five, for the visible columns. */
static void
edge_row (guint8 * restrict e, const guint8 * restrict lp,
    const guint8 * restrict lc, const guint8 * restrict ln, gint n)
{
  gint i;

  for (i = 0; i < n; i++) {
    guint8 mx = lc[i + 1], mn = lc[i + 1];

    mx = MAX (mx, lc[i]);
    mn = MIN (mn, lc[i]);
    mx = MAX (mx, lc[i + 2]);
    mn = MIN (mn, lc[i + 2]);
    mx = MAX (mx, lp[i + 1]);
    mn = MIN (mn, lp[i + 1]);
    mx = MAX (mx, ln[i + 1]);
    mn = MIN (mn, ln[i + 1]);
    e[i] = mx - mn;
  }
}

static inline void
apply_alpha_at (guint8 * restrict w, const guint8 * restrict s, gint n,
    guint aoff)
{
  gint i;

  for (i = 0; i < n; i++) {
    guint16 t = (guint16) (w[i] * s[4 * i + aoff] + 128);

    w[i] = (guint8) ((t + (t >> 8)) >> 8);
  }
}

/* w = div255 (w × a); the alpha offset is a constant per call so that both
 * loops vectorise */
static void
apply_src_alpha (guint8 * w, const guint8 * s, gint n, guint aoff)
{
  if (aoff == 0)
    apply_alpha_at (w, s, n, 0);
  else
    apply_alpha_at (w, s, n, 3);
}

/* w += div255 ((255 − w) × div255 (e × strength)) */
static void
apply_edge_boost (guint8 * restrict w, const guint8 * restrict e, gint n,
    guint strength)
{
  const guint16 st = strength;
  gint i;

  for (i = 0; i < n; i++) {
    guint16 t = (guint16) (e[i] * st + 128);
    guint16 b = (t + (t >> 8)) >> 8;
    guint16 u = (guint16) ((255 - w[i]) * b + 128);

    w[i] = (guint8) (w[i] + ((u + (u >> 8)) >> 8));
  }
}

/* Per-pixel weights of remote row @ry over the visible columns.  @s points at
 * the first visible pixel (packed) or sample (planar Y).  Returns FALSE and
 * leaves @w untouched when the weight is the constant A for the whole row. */
static gboolean
row_weights (BlendCtx * ctx, guint8 * w, const guint8 * s, gint ry)
{
  const GstSlBlendParams *p = ctx->p;
  gboolean alpha = !ctx->planar && p->use_src_alpha;
  guint aoff = ctx->planar ? 0 : ctx->layout->a;
  gint n = ctx->vis_w;
  gint i;

  if (!p->luma_key && !p->edge_boost) {
    if (!alpha || row_alpha_opaque (s, n, aoff))
      return FALSE;
  }

  if (p->luma_key) {
    const guint8 *lc = get_luma_row (ctx, ry);

    for (i = 0; i < n; i++)
      w[i] = ctx->key_lut[lc[i + 1]];
  } else {
    memset (w, p->opacity, n);
  }

  if (alpha && !row_alpha_opaque (s, n, aoff))
    apply_src_alpha (w, s, n, aoff);

  if (p->edge_boost) {
    const guint8 *lp = get_luma_row (ctx, ry - 1);
    const guint8 *lc = get_luma_row (ctx, ry);
    const guint8 *ln = get_luma_row (ctx, ry + 1);

    edge_row (ctx->edge_scratch, lp, lc, ln, n);
    apply_edge_boost (w, ctx->edge_scratch, n, p->edge_strength);
  }
  return TRUE;
}

/* ---- packed RGB ------------------------------------------------------- */

static void
copy_bg_packed (guint8 * d, const guint8 * bg, gsize n_px, gboolean fix,
    guint aoff)
{
  memcpy (d, bg, n_px * 4);
  if (fix)
    set_byte4 (d, n_px, aoff);
}

/* @over: blend over what @out holds (only the remote's rectangle is
 * written), else over @camera or black (every pixel is written). */
static void
blend_packed (BlendCtx * ctx, GstVideoFrame * out, const GstVideoFrame * remote,
    gint x, gint y, const GstVideoFrame * camera, gboolean over)
{
  const PackedLayout *lay = ctx->layout;
  gint W = GST_VIDEO_FRAME_WIDTH (out), H = GST_VIDEO_FRAME_HEIGHT (out);
  gint ox0 = 0, ox1 = 0, oy0 = 0, oy1 = 0, vis_w, oy;
  g_autofree guint8 *black = NULL;
  g_autofree guint8 *scratch = NULL;
  guint8 *w = NULL, *w4 = NULL, *under = NULL;
  /* the camera converted from a format with alpha or padding may carry a
   * fourth byte other than 255 */
  gboolean fix_bg = camera != NULL;

  if (!over && !camera) {
    black = g_malloc0 ((gsize) W * 4);
    set_byte4 (black, W, lay->a);
  }

  if (remote) {
    gint rw = GST_VIDEO_FRAME_WIDTH (remote);
    gint rh = GST_VIDEO_FRAME_HEIGHT (remote);

    ox0 = CLAMP (x, 0, W);
    ox1 = CLAMP ((gint64) x + rw, 0, W);
    oy0 = CLAMP (y, 0, H);
    oy1 = CLAMP ((gint64) y + rh, 0, H);
  }
  vis_w = ox1 - ox0;
  if (vis_w <= 0 || oy1 <= oy0) {
    vis_w = 0;
    oy0 = oy1 = 0;
  } else {
    gint i;

    scratch = g_malloc ((gsize) vis_w * 10 + (gsize) (vis_w + 2) * 3);
    w = scratch;
    w4 = w + vis_w;
    under = w4 + 4 * (gsize) vis_w;
    ctx->edge_scratch = under + 4 * (gsize) vis_w;
    for (i = 0; i < 3; i++) {
      ctx->luma_rows[i] = ctx->edge_scratch + vis_w + (gsize) (vis_w + 2) * i;
      ctx->luma_row_index[i] = -1;
    }
    ctx->luma_next_slot = 0;
    ctx->vis_rx0 = ox0 - x;
    ctx->vis_w = vis_w;
    ctx->remote = remote;
  }

  for (oy = 0; oy < H; oy++) {
    guint8 *d = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (out, 0) +
        (gsize) oy * GST_VIDEO_FRAME_PLANE_STRIDE (out, 0);
    const guint8 *bg = over ? NULL : camera ?
        (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (camera, 0) +
        (gsize) oy * GST_VIDEO_FRAME_PLANE_STRIDE (camera, 0) : black;
    const guint8 *s;
    gint ry;

    if (vis_w == 0 || oy < oy0 || oy >= oy1) {
      if (!over)
        copy_bg_packed (d, bg, W, fix_bg, lay->a);
      continue;
    }
    if (!over && ox0 > 0)
      copy_bg_packed (d, bg, ox0, fix_bg, lay->a);
    if (!over && ox1 < W)
      copy_bg_packed (d + 4 * ox1, bg + 4 * ox1, W - ox1, fix_bg, lay->a);

    ry = oy - y;
    s = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (remote, 0) +
        GST_VIDEO_FRAME_PLANE_STRIDE (remote, 0) * (gsize) ry +
        4 * (gsize) (ox0 - x);
    d += 4 * ox0;
    if (over) {
      /* the kernels never read and write the same row: copy it first */
      memcpy (under, d, (gsize) vis_w * 4);
      bg = under;
    } else {
      bg += 4 * ox0;
    }

    if (row_weights (ctx, w, s, ry)) {
      expand_weights4 (w4, w, vis_w);
      blend_row_var1 (d, s, bg, w4, (gsize) vis_w * 4);
    } else {
      blend_row_const (d, s, bg, (gsize) vis_w * 4, ctx->p->opacity);
    }
    set_byte4 (d, vis_w, lay->a);
  }
}

/* ---- planar I420 / YV12 ----------------------------------------------- */

static guint8 *
comp_row (const GstVideoFrame * f, gint comp, gint row)
{
  return (guint8 *) GST_VIDEO_FRAME_COMP_DATA (f, comp) +
      GST_VIDEO_FRAME_COMP_STRIDE (f, comp) * (gsize) row;
}

static void
copy_or_fill (guint8 * d, const guint8 * bg, guint8 fill, gsize n)
{
  if (bg)
    memcpy (d, bg, n);
  else
    memset (d, fill, n);
}

/* One output row of one plane: background outside [v0, v1), the remote
 * samples @s blended over it inside.  With @under (room for v1 − v0
 * samples) the row's own samples are the background and only [v0, v1) is
 * written. */
static void
plane_row (guint8 * d, const guint8 * bg, guint8 fill, gint width, gint v0,
    gint v1, const guint8 * s, const guint8 * w, guint opacity,
    guint8 * fill_row, guint8 * under)
{
  const guint8 *b;

  if (!s || v1 <= v0) {
    if (!under)
      copy_or_fill (d, bg, fill, width);
    return;
  }
  if (under) {
    /* the kernels never read and write the same row: copy it first */
    memcpy (under, d + v0, v1 - v0);
    b = under;
  } else {
    if (v0 > 0)
      copy_or_fill (d, bg, fill, v0);
    if (v1 < width)
      copy_or_fill (d + v1, bg ? bg + v1 : NULL, fill, width - v1);
    b = bg ? bg + v0 : fill_row;
  }
  if (w)
    blend_row_var1 (d + v0, s, b, w, v1 - v0);
  else
    blend_row_const (d + v0, s, b, v1 - v0, opacity);
}

/* @over as in blend_packed(). */
static void
blend_planar (BlendCtx * ctx, GstVideoFrame * out, const GstVideoFrame * remote,
    gint x, gint y, const GstVideoFrame * camera, gboolean over)
{
  gint W = GST_VIDEO_FRAME_WIDTH (out), H = GST_VIDEO_FRAME_HEIGHT (out);
  gint CW = GST_VIDEO_FRAME_COMP_WIDTH (out, 1);
  gint CH = GST_VIDEO_FRAME_COMP_HEIGHT (out, 1);
  gint ox0 = 0, ox1 = 0, oy0 = 0, oy1 = 0, cx0 = 0, cx1 = 0, vis_w, cy;
  g_autofree guint8 *scratch = NULL;
  guint8 *wy[2] = { NULL, NULL }, *wc = NULL, *fill_y = NULL, *fill_c = NULL;
  guint8 *under = NULL;

  /* chroma samples cover 2×2 luma blocks starting at even coordinates */
  x -= x & 1;
  y -= y & 1;

  if (remote) {
    gint rw = GST_VIDEO_FRAME_WIDTH (remote);
    gint rh = GST_VIDEO_FRAME_HEIGHT (remote);

    ox0 = CLAMP (x, 0, W);
    ox1 = CLAMP ((gint64) x + rw, 0, W);
    oy0 = CLAMP (y, 0, H);
    oy1 = CLAMP ((gint64) y + rh, 0, H);
  }
  vis_w = ox1 - ox0;
  if (vis_w <= 0 || oy1 <= oy0) {
    vis_w = 0;
    oy0 = oy1 = 0;
  } else {
    gint i;

    cx0 = ox0 / 2;
    cx1 = MIN ((ox1 + 1) / 2, CW);
    scratch = g_malloc ((gsize) vis_w * 7 + (gsize) (vis_w + 2) * 3);
    wy[0] = scratch;
    wy[1] = wy[0] + vis_w;
    wc = wy[1] + vis_w;
    fill_y = wc + vis_w;
    fill_c = fill_y + vis_w;
    ctx->edge_scratch = fill_c + vis_w;
    if (over)
      under = ctx->edge_scratch + vis_w + (gsize) (vis_w + 2) * 3;
    memset (fill_y, 16, vis_w);
    memset (fill_c, 128, vis_w);
    for (i = 0; i < 3; i++) {
      ctx->luma_rows[i] = ctx->edge_scratch + vis_w + (gsize) (vis_w + 2) * i;
      ctx->luma_row_index[i] = -1;
    }
    ctx->luma_next_slot = 0;
    ctx->vis_rx0 = ox0 - x;
    ctx->vis_w = vis_w;
    ctx->remote = remote;
  }

  for (cy = 0; cy < CH; cy++) {
    gboolean have_w[2] = { FALSE, FALSE }, any_w = FALSE;
    gboolean row_vis[2] = { FALSE, FALSE };
    gint k, comp;

    for (k = 0; k < 2; k++) {
      gint oy = 2 * cy + k;
      const guint8 *s = NULL;

      if (oy >= H)
        break;
      row_vis[k] = vis_w > 0 && oy >= oy0 && oy < oy1;
      if (row_vis[k]) {
        s = comp_row (remote, 0, oy - y) + (ox0 - x);
        have_w[k] = row_weights (ctx, wy[k], s, oy - y);
        any_w |= have_w[k];
      }
      plane_row (comp_row (out, 0, oy), camera ? comp_row (camera, 0, oy) :
          NULL, 16, W, ox0, ox1, s, have_w[k] ? wy[k] : NULL,
          ctx->p->opacity, fill_y, under);
    }

    /* chroma of this row pair */
    if (row_vis[0] && any_w) {
      gint n = cx1 - cx0, j;
      /* rows outside the visible part are replaced by the nearest one */
      gint k1 = row_vis[1] ? 1 : 0;

      for (k = 0; k < 2; k++) {
        if ((k == 0 || row_vis[1]) && !have_w[k])
          memset (wy[k], ctx->p->opacity, vis_w);
      }
      for (j = 0; j < n; j++) {
        gint l0 = 2 * (cx0 + j) - ox0;
        gint l1 = MIN (l0 + 1, vis_w - 1);

        wc[j] = (wy[0][l0] + wy[0][l1] + wy[k1][l0] + wy[k1][l1] + 2) >> 2;
      }
    }
    for (comp = 1; comp < 3; comp++) {
      const guint8 *s = NULL;

      if (row_vis[0])
        s = comp_row (remote, comp, cy - y / 2) + (cx0 - x / 2);
      plane_row (comp_row (out, comp, cy), camera ? comp_row (camera, comp,
              cy) : NULL, 128, CW, cx0, cx1, s, any_w ? wc : NULL,
          ctx->p->opacity, fill_c, under);
    }
  }
}

/* ---- entry point ------------------------------------------------------ */

static gboolean
blend (GstVideoFrame * out, const GstVideoFrame * remote, gint x, gint y,
    const GstVideoFrame * camera, const GstSlBlendParams * params,
    gboolean over)
{
  GstVideoFormat format = GST_VIDEO_FRAME_FORMAT (out);
  BlendCtx ctx;
  guint code;

  g_return_val_if_fail (params != NULL, FALSE);

  if (!gst_sl_blend_supports_format (format))
    return FALSE;
  if (remote && (GST_VIDEO_FRAME_FORMAT (remote) != format
          || GST_VIDEO_FRAME_WIDTH (remote) <= 0
          || GST_VIDEO_FRAME_HEIGHT (remote) <= 0))
    return FALSE;
  if (camera && (GST_VIDEO_FRAME_FORMAT (camera) != format
          || GST_VIDEO_FRAME_WIDTH (camera) != GST_VIDEO_FRAME_WIDTH (out)
          || GST_VIDEO_FRAME_HEIGHT (camera) != GST_VIDEO_FRAME_HEIGHT (out)))
    return FALSE;
  if (over && !remote)
    return TRUE;

  memset (&ctx, 0, sizeof (ctx));
  ctx.p = params;
  ctx.layout = find_layout (format);
  ctx.planar = ctx.layout == NULL;

  for (code = 0; code < 256; code++) {
    guint k = params->luma_key ?
        key_alpha (code, params->key_threshold, params->key_softness) : 255;

    ctx.luma_lut[code] = y_to_key_luma (code);
    ctx.key_lut[code] = div255 (params->opacity * k);
  }

  if (ctx.planar)
    blend_planar (&ctx, out, remote, x, y, camera, over);
  else
    blend_packed (&ctx, out, remote, x, y, camera, over);
  return TRUE;
}

/**
 * gst_sl_blend_frame:
 * @out: mapped writable output frame
 * @remote: (nullable): remote frame in the output format, already scaled
 * @x: left edge of @remote in @out (may be negative; rounded down to even
 *     for I420/YV12)
 * @y: top edge of @remote in @out (idem)
 * @camera: (nullable): background frame in the output format and size;
 *     %NULL draws over black
 * @params: blending parameters
 *
 * Writes every pixel of @out.  The parts of @remote outside @out are clipped.
 *
 * Returns: %FALSE if the frames do not share a supported format or @camera
 * does not have the size of @out (nothing is written then).
 */
gboolean
gst_sl_blend_frame (GstVideoFrame * out, const GstVideoFrame * remote, gint x,
    gint y, const GstVideoFrame * camera, const GstSlBlendParams * params)
{
  return blend (out, remote, x, y, camera, params, FALSE);
}

/**
 * gst_sl_blend_frame_over:
 * @out: mapped writable output frame, already composed
 * @remote: remote frame in the output format, already scaled
 * @x: left edge of @remote in @out (as for gst_sl_blend_frame())
 * @y: top edge of @remote in @out
 * @params: blending parameters
 *
 * Blends @remote over what @out holds, by the same formulas with the
 * current pixel as the background; pixels outside @remote's rectangle are
 * not touched.  This is how the second and third remote videos are drawn.
 *
 * Returns: %FALSE if the frames do not share a supported format
 */
gboolean
gst_sl_blend_frame_over (GstVideoFrame * out, const GstVideoFrame * remote,
    gint x, gint y, const GstSlBlendParams * params)
{
  g_return_val_if_fail (remote != NULL, FALSE);

  return blend (out, remote, x, y, NULL, params, TRUE);
}
