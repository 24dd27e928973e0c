/* Sightline call HUD: where the panels go
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The layout engine, on measured sizes only (no text rendering), so that
 * the rule is small enough to state and to test:
 *
 *  - panels are placed one after the other in the order given, which is
 *    their importance (security first);
 *  - a panel never covers the clear centre, a remote video or a panel
 *    placed before it, and keeps the spacing from videos and panels and
 *    the margin from the frame's edges;
 *  - among the free positions it takes the one nearest its corner (sum of
 *    the horizontal and vertical distance);
 *  - it first looks inside its corner's quarter of the frame, as wide as
 *    its text (at most half the frame width minus the margin and spacing),
 *    then narrower, one step (the text height) at a time down to half that
 *    width, long lines being ellipsised (never before the end of their
 *    essential part, such as a SAS); then anywhere in the frame the
 *    same way; then it tries all that again without its least important
 *    line (the lowest keep value, among equals the last line), down to one
 *    line; when even that does not fit, the panel is not shown.
 *
 * Only the positions whose left edge is the margin or the right edge of an
 * obstacle, and whose top edge is the margin or the bottom edge of an
 * obstacle, need to be tried to find a free one if any exists (a free
 * position slid left and up until it touches something is one of them);
 * the positions flush with the right and bottom edges of the frame or
 * against the left and top of an obstacle are tried too, so that the
 * nearest one to a right or bottom corner is found.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslhudplace.h"

#include <string.h>

/* keep-out + videos + panels */
#define MAX_OBSTACLES (1 + 16 + 8)
#define MAX_CANDIDATES (2 + 2 * MAX_OBSTACLES)

typedef struct
{
  GstVideoRectangle rects[MAX_OBSTACLES];
  guint n;
} Obstacles;

static gboolean
intersect (const GstVideoRectangle * a, const GstVideoRectangle * b)
{
  return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
      b->y < a->y + a->h;
}

/* @r grown by @d on every side. */
static void
add_obstacle (Obstacles * o, const GstVideoRectangle * r, gint d)
{
  GstVideoRectangle *dst;

  if (o->n >= MAX_OBSTACLES || r->w <= 0 || r->h <= 0)
    return;
  dst = &o->rects[o->n++];
  dst->x = r->x - d;
  dst->y = r->y - d;
  dst->w = r->w + 2 * d;
  dst->h = r->h + 2 * d;
}

/**
 * gst_sl_hud_panel_height:
 * @params: the frame's spacing rules
 * @line_h: (array length=n_lines): height of each shown line
 * @n_lines: how many
 *
 * Returns: the height of a panel with these lines, padding included
 */
gint
gst_sl_hud_panel_height (const GstSlHudPlaceParams * params,
    const gint * line_h, guint n_lines)
{
  gint h = 2 * params->pad;
  guint i;

  for (i = 0; i < n_lines; i++)
    h += line_h[i] + (i > 0 ? params->gap : 0);
  return h;
}

/* @corner: the panel must lie in that corner's quarter of the frame, or
 * -1 for anywhere. */
static gboolean
is_free (const GstSlHudPlaceParams * p, const Obstacles * o, gint corner,
    gint x, gint y, gint w, gint h)
{
  GstVideoRectangle r = { x, y, w, h };
  guint i;

  if (x < p->margin || y < p->margin || x + w > p->width - p->margin ||
      y + h > p->height - p->margin)
    return FALSE;
  if (corner >= 0) {
    gboolean right = corner == GST_SL_HUD_CORNER_TOP_RIGHT ||
        corner == GST_SL_HUD_CORNER_BOTTOM_RIGHT;
    gboolean bottom = corner == GST_SL_HUD_CORNER_BOTTOM_LEFT ||
        corner == GST_SL_HUD_CORNER_BOTTOM_RIGHT;

    if (right ? x < p->width / 2 : x + w > p->width / 2)
      return FALSE;
    if (bottom ? y < p->height / 2 : y + h > p->height / 2)
      return FALSE;
  }
  for (i = 0; i < o->n; i++) {
    if (intersect (&r, &o->rects[i]))
      return FALSE;
  }
  return TRUE;
}

/* The free position nearest to @corner for a w × h panel, or FALSE;
 * @in_quarter: only inside the corner's quarter of the frame. */
static gboolean
find_spot (const GstSlHudPlaceParams * p, const Obstacles * o,
    GstSlHudCorner corner, gboolean in_quarter, gint w, gint h, gint * x,
    gint * y)
{
  gint xs[MAX_CANDIDATES], ys[MAX_CANDIDATES];
  gint ax, ay, nx = 0, ny = 0, i, j;
  gint64 best = G_MAXINT64;

  ax = corner == GST_SL_HUD_CORNER_TOP_RIGHT ||
      corner == GST_SL_HUD_CORNER_BOTTOM_RIGHT ? p->width - p->margin - w :
      p->margin;
  ay = corner == GST_SL_HUD_CORNER_BOTTOM_LEFT ||
      corner == GST_SL_HUD_CORNER_BOTTOM_RIGHT ? p->height - p->margin - h :
      p->margin;

  /* flush with either edge of the frame */
  xs[nx++] = p->margin;
  xs[nx++] = p->width - p->margin - w;
  ys[ny++] = p->margin;
  ys[ny++] = p->height - p->margin - h;
  for (i = 0; i < (gint) o->n; i++) {
    xs[nx++] = o->rects[i].x + o->rects[i].w;
    xs[nx++] = o->rects[i].x - w;
    ys[ny++] = o->rects[i].y + o->rects[i].h;
    ys[ny++] = o->rects[i].y - h;
  }

  for (j = 0; j < ny; j++) {
    for (i = 0; i < nx; i++) {
      gint64 cost = ABS ((gint64) xs[i] - ax) + ABS ((gint64) ys[j] - ay);

      if (cost < best && is_free (p, o, in_quarter ? (gint) corner : -1,
              xs[i], ys[j], w, h)) {
        best = cost;
        *x = xs[i];
        *y = ys[j];
      }
    }
  }
  return best != G_MAXINT64;
}

/* The next line to drop from @shown: lowest keep value, the last among
 * equals. */
static gint
next_to_drop (const GstSlHudPanelRequest * r, guint32 shown)
{
  gint i, worst = -1;

  for (i = 0; i < (gint) r->n_lines; i++) {
    if (!(shown & (1u << i)))
      continue;
    if (worst < 0 || r->line_keep[i] <= r->line_keep[worst])
      worst = i;
  }
  return worst;
}

/* Tries @r with the lines in @shown, in its quarter then anywhere, each at
 * every width from its text's (at most half the frame) down to half that
 * bound. */
static gboolean
try_lines (const GstSlHudPlaceParams * p, const Obstacles * o,
    const GstSlHudPanelRequest * r, guint32 shown, GstSlHudPanelPlacement * out)
{
  gint max_text = p->width / 2 - p->margin - p->spacing - 2 * p->pad;
  gint min_text = MAX (p->min_text_w, max_text / 2);
  gint step = MAX (1, p->width_step);
  gint heights[GST_SL_HUD_MAX_PANEL_LINES];
  gint widest = 0, h, pass;
  guint i, n = 0;

  for (i = 0; i < r->n_lines; i++) {
    if (shown & (1u << i)) {
      heights[n++] = r->line_h[i];
      widest = MAX (widest, r->line_w[i]);
      min_text = MAX (min_text, MIN (r->line_min_w[i], r->line_w[i]));
    }
  }
  h = gst_sl_hud_panel_height (p, heights, n);
  if (max_text < p->min_text_w || min_text > max_text)
    return FALSE;
  for (pass = 0; pass < 2; pass++) {
    gint text_w;

    for (text_w = CLAMP (widest, 1, max_text);; text_w -= step) {
      gint x, y;

      if (find_spot (p, o, r->corner, pass == 0, text_w + 2 * p->pad, h, &x,
              &y)) {
        out->placed = TRUE;
        out->rect.x = x;
        out->rect.y = y;
        out->rect.w = text_w + 2 * p->pad;
        out->rect.h = h;
        out->lines = shown;
        out->text_w = text_w;
        return TRUE;
      }
      if (text_w - step < min_text)
        break;
    }
  }
  return FALSE;
}

/**
 * gst_sl_hud_place_panels:
 * @params: the frame, its clear centre and its videos
 * @requests: (array length=n_requests): the panels, most important first
 * @n_requests: how many (at most 8)
 * @placements: (out caller-allocates) (array length=n_requests): where
 *     each panel goes, if anywhere
 *
 * Places the panels by the rule in this file's header: never over the
 * centre, a video or another panel.
 */
void
gst_sl_hud_place_panels (const GstSlHudPlaceParams * params,
    const GstSlHudPanelRequest * requests, guint n_requests,
    GstSlHudPanelPlacement * placements)
{
  gint max_text = params->width / 2 - params->margin - params->spacing -
      2 * params->pad;
  Obstacles o = { 0, };
  guint i, j;

  add_obstacle (&o, &params->keepout, 0);
  for (i = 0; i < params->n_videos; i++)
    add_obstacle (&o, &params->videos[i], params->spacing);

  for (i = 0; i < n_requests; i++) {
    const GstSlHudPanelRequest *r = &requests[i];
    GstSlHudPanelPlacement *out = &placements[i];
    guint32 shown;

    memset (out, 0, sizeof (*out));
    if (r->n_lines == 0 || r->n_lines > GST_SL_HUD_MAX_PANEL_LINES)
      continue;
    shown = (1u << r->n_lines) - 1;
    /* a line whose essential part is wider than any panel can be never
     * fits: it goes first */
    for (j = 0; j < r->n_lines; j++) {
      if (MIN (r->line_min_w[j], r->line_w[j]) > max_text)
        shown &= ~(1u << j);
    }
    while (shown && !try_lines (params, &o, r, shown, out)) {
      if ((shown & (shown - 1)) == 0)
        break;
      shown &= ~(1u << next_to_drop (r, shown));
    }
    if (out->placed)
      add_obstacle (&o, &out->rect, params->spacing);
  }
}
