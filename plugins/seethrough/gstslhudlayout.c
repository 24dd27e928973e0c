/* Sightline call HUD: layout and rendering
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Four panels in the corners of the frame, never inside the keep-out
 * region, the middle 50% × 50% of the frame where the wearer works:
 *
 *   top-left      call state; peer name · role
 *   top-right     SAS; security badge (secured: a prompt to compare the
 *                 SAS aloud, in amber; verified in green; failed in red)
 *   bottom-left   the newest chat lines
 *   bottom-right  link quality; RTT · loss · bitrate
 *
 * Top panels live in the band above the keep-out region, bottom panels in
 * the band below it, and each panel is at most half the frame wide, so no
 * two panels overlap.  Lines that do not fit are ellipsised (too long) or
 * dropped (too many; chat keeps the newest).  The text height is 1/30 of
 * the frame height times font-scale (24 px at 720p, 36 px at 1080p), at
 * least 10 px; frames narrower than 16:9 use width × 9/16 instead of the
 * height.  Each panel is one premultiplied ARGB rectangle of a
 * GstVideoOverlayComposition.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslhudlayout.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#define HUD_FONT "Sans Bold"
#define MIN_FONT_PX 10
#define MAX_PANEL_LINES 8

#define RGB_WHITE 0xffffff
#define RGB_GREEN 0x4cff7a
#define RGB_AMBER 0xffc83d
#define RGB_RED 0xff5a50
#define RGB_GREY 0xb4b4b4
#define RGB_BLUE 0x7fc8ff

typedef struct
{
  gchar *text;
  guint32 rgb;
} HudLine;

typedef struct
{
  gint frame_w;
  gint frame_h;
  gint margin;
  gint max_w;
  gint max_h;
  gint font_px;
  PangoContext *context;
  PangoFontDescription *font;
} LayoutCtx;

static const struct
{
  const gchar *label;
  guint32 rgb;
} call_states[] = {
  [GST_SL_HUD_CALL_STATE_IDLE] = {"● IDLE", RGB_GREY},
  [GST_SL_HUD_CALL_STATE_CALLING] = {"● CALLING…", RGB_AMBER},
  [GST_SL_HUD_CALL_STATE_RINGING] = {"● RINGING…", RGB_AMBER},
  [GST_SL_HUD_CALL_STATE_CONNECTING] = {"● CONNECTING…", RGB_AMBER},
  [GST_SL_HUD_CALL_STATE_CONNECTED] = {"● CONNECTED", RGB_GREEN},
  [GST_SL_HUD_CALL_STATE_ON_HOLD] = {"● ON HOLD", RGB_BLUE},
  [GST_SL_HUD_CALL_STATE_RECONNECTING] = {"● RECONNECTING…", RGB_AMBER},
  [GST_SL_HUD_CALL_STATE_ENDED] = {"● CALL ENDED", RGB_GREY},
  [GST_SL_HUD_CALL_STATE_FAILED] = {"● CALL FAILED", RGB_RED},
};

/**
 * gst_sl_hud_state_copy:
 * @dest: (out caller-allocates): receives a deep copy; clear it with
 *     gst_sl_hud_state_clear()
 * @src: the state to copy
 */
void
gst_sl_hud_state_copy (GstSlHudState * dest, const GstSlHudState * src)
{
  *dest = *src;
  dest->peer_name = g_strdup (src->peer_name);
  dest->peer_role = g_strdup (src->peer_role);
  dest->sas = g_strdup (src->sas);
  dest->chat = g_strdupv (src->chat);
}

/**
 * gst_sl_hud_state_clear:
 * @state: a state whose strings are freed (the struct itself is not)
 */
void
gst_sl_hud_state_clear (GstSlHudState * state)
{
  g_clear_pointer (&state->peer_name, g_free);
  g_clear_pointer (&state->peer_role, g_free);
  g_clear_pointer (&state->sas, g_free);
  g_clear_pointer (&state->chat, g_strfreev);
}

static gboolean
is_unsafe_char (gunichar c)
{
  /* controls, line/paragraph separators and bidi overrides, which could
   * reorder what the wearer reads */
  return g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 ||
      (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
      c == 0x200e || c == 0x200f || c == 0x061c;
}

/**
 * gst_sl_hud_sanitize:
 * @text: (nullable): untrusted text (peer name, chat line...)
 * @max_chars: longest result in characters, before the ellipsis
 *
 * Makes @text valid UTF-8, replaces control and bidi-override characters
 * by spaces, strips surrounding space and truncates with "…".
 *
 * Returns: (transfer full): the displayable text, never %NULL
 */
gchar *
gst_sl_hud_sanitize (const gchar * text, glong max_chars)
{
  g_autofree gchar *valid = NULL;
  GString *out;
  const gchar *p;
  glong n = 0;

  if (!text)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (p = valid; *p && n < max_chars; p = g_utf8_next_char (p), n++) {
    gunichar c = g_utf8_get_char (p);

    g_string_append_unichar (out, is_unsafe_char (c) ? ' ' : c);
  }
  if (*p)
    g_string_append (out, "…");
  return g_strstrip (g_string_free (out, FALSE));
}

/**
 * gst_sl_hud_font_px:
 * @width: frame width
 * @height: frame height
 * @font_scale: factor on the default size
 *
 * The reference height is the frame height, or width × 9/16 for frames
 * narrower than 16:9 (portrait frames would otherwise get text wider than
 * the frame).
 *
 * Returns: the text height in pixels: round (reference × font_scale / 30),
 * at least 10
 */
gint
gst_sl_hud_font_px (gint width, gint height, gdouble font_scale)
{
  gdouble ref = MIN ((gdouble) height, width * 9.0 / 16.0);
  gint px = (gint) floor (ref * font_scale / 30.0 + 0.5);

  return MAX (MIN_FONT_PX, px);
}

/**
 * gst_sl_hud_keepout:
 * @width: frame width
 * @height: frame height
 * @rect: (out): the centre region the HUD never draws in: x from width/4,
 *     y from height/4, the middle 50% × 50% (integer division)
 */
void
gst_sl_hud_keepout (gint width, gint height, GstVideoRectangle * rect)
{
  rect->x = width / 4;
  rect->y = height / 4;
  rect->w = width - 2 * (width / 4);
  rect->h = height - 2 * (height / 4);
}

static void
set_source_rgb (cairo_t * cr, guint32 rgb, gdouble alpha)
{
  cairo_set_source_rgba (cr, ((rgb >> 16) & 0xff) / 255.0,
      ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, alpha);
}

static void
rounded_rect (cairo_t * cr, gdouble w, gdouble h, gdouble r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, w - r, r, r, -G_PI / 2, 0);
  cairo_arc (cr, w - r, h - r, r, 0, G_PI / 2);
  cairo_arc (cr, r, h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, r, r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* One panel as an overlay rectangle, or NULL if not even one line fits.
 * @keep_last: drop the first lines rather than the last ones. */
static GstVideoOverlayRectangle *
render_panel (const LayoutCtx * ctx, const HudLine * lines, guint n_lines,
    gboolean right, gboolean bottom, gboolean keep_last)
{
  PangoLayout *layouts[MAX_PANEL_LINES] = { NULL, };
  gint heights[MAX_PANEL_LINES], widths[MAX_PANEL_LINES];
  gint pad = MAX (2, ctx->font_px / 4);
  gint gap = MAX (1, ctx->font_px / 8);
  gint first = 0, last, panel_w = 0, panel_h, i, x, y;
  GstVideoOverlayRectangle *rect = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  cairo_surface_t *surface;
  cairo_t *cr;

  n_lines = MIN (n_lines, MAX_PANEL_LINES);
  if (n_lines == 0 || ctx->max_w < 2 * pad + ctx->font_px)
    return NULL;

  for (i = 0; i < (gint) n_lines; i++) {
    PangoRectangle logical;

    layouts[i] = pango_layout_new (ctx->context);
    pango_layout_set_font_description (layouts[i], ctx->font);
    pango_layout_set_single_paragraph_mode (layouts[i], TRUE);
    pango_layout_set_width (layouts[i], (ctx->max_w - 2 * pad) * PANGO_SCALE);
    pango_layout_set_ellipsize (layouts[i], PANGO_ELLIPSIZE_END);
    pango_layout_set_text (layouts[i], lines[i].text, -1);
    pango_layout_get_pixel_extents (layouts[i], NULL, &logical);
    heights[i] = logical.height;
    widths[i] = MIN (logical.x + logical.width, ctx->max_w - 2 * pad);
  }

  /* drop lines until the panel fits its band */
  last = n_lines - 1;
  for (;;) {
    panel_h = 2 * pad;
    for (i = first; i <= last; i++)
      panel_h += heights[i] + (i > first ? gap : 0);
    if (panel_h <= ctx->max_h || first == last)
      break;
    if (keep_last)
      first++;
    else
      last--;
  }
  if (panel_h > ctx->max_h)
    goto done;

  for (i = first; i <= last; i++)
    panel_w = MAX (panel_w, widths[i] + 2 * pad);

  buffer = gst_buffer_new_allocate (NULL, (gsize) panel_w * panel_h * 4, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  memset (map.data, 0, map.size);
  surface = cairo_image_surface_create_for_data (map.data,
      CAIRO_FORMAT_ARGB32, panel_w, panel_h, panel_w * 4);
  cr = cairo_create (surface);

  /* the dark backing helps on video see-through; on additive displays it
   * is invisible, the outline and bright text do the work there */
  rounded_rect (cr, panel_w, panel_h, pad);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
  cairo_fill (cr);

  y = pad;
  for (i = first; i <= last; i++) {
    x = right ? panel_w - pad - widths[i] : pad;
    cairo_move_to (cr, x, y);
    pango_cairo_layout_path (cr, layouts[i]);
    cairo_set_line_width (cr, MAX (1.0, ctx->font_px / 12.0));
    cairo_set_source_rgba (cr, 0, 0, 0, 0.9);
    cairo_stroke_preserve (cr);
    set_source_rgb (cr, lines[i].rgb, 1.0);
    cairo_fill (cr);
    y += heights[i] + gap;
  }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
  gst_buffer_unmap (buffer, &map);

  gst_buffer_add_video_meta (buffer, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, panel_w, panel_h);
  x = right ? ctx->frame_w - ctx->margin - panel_w : ctx->margin;
  y = bottom ? ctx->frame_h - ctx->margin - panel_h : ctx->margin;
  rect = gst_video_overlay_rectangle_new_raw (buffer, x, y, panel_w, panel_h,
      GST_VIDEO_OVERLAY_FORMAT_FLAG_PREMULTIPLIED_ALPHA);
  gst_buffer_unref (buffer);

done:
  for (i = 0; i < (gint) n_lines; i++)
    g_object_unref (layouts[i]);
  return rect;
}

static void
add_rect (GstVideoOverlayComposition ** comp, GstVideoOverlayRectangle * rect)
{
  if (!rect)
    return;
  if (*comp)
    gst_video_overlay_composition_add_rectangle (*comp, rect);
  else
    *comp = gst_video_overlay_composition_new (rect);
  gst_video_overlay_rectangle_unref (rect);
}

static void
clear_lines (HudLine * lines, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    g_free (lines[i].text);
}

static gchar *
format_link_figures (const GstSlHudState * s)
{
  g_autofree gchar *rtt = s->rtt_ms >= 0 ?
      g_strdup_printf ("RTT %d ms", s->rtt_ms) : g_strdup ("RTT —");
  g_autofree gchar *loss = s->loss_percent >= 0 ?
      g_strdup_printf ("loss %.1f %%", s->loss_percent) : g_strdup ("loss —");
  g_autofree gchar *rate = NULL;

  if (s->bitrate_kbps < 0)
    rate = g_strdup ("— kb/s");
  else if (s->bitrate_kbps < 1000)
    rate = g_strdup_printf ("%d kb/s", s->bitrate_kbps);
  else
    rate = g_strdup_printf ("%.1f Mb/s", s->bitrate_kbps / 1000.0);

  return g_strdup_printf ("%s · %s · %s", rtt, loss, rate);
}

static void
link_quality (const GstSlHudState * s, HudLine * line)
{
  gboolean know_rtt = s->rtt_ms >= 0, know_loss = s->loss_percent >= 0;

  if (!know_rtt && !know_loss) {
    line->text = g_strdup ("LINK —");
    line->rgb = RGB_GREY;
  } else if ((!know_rtt || s->rtt_ms <= 150) &&
      (!know_loss || s->loss_percent < 2.0)) {
    line->text = g_strdup ("LINK GOOD");
    line->rgb = RGB_GREEN;
  } else if ((!know_rtt || s->rtt_ms <= 400) &&
      (!know_loss || s->loss_percent < 8.0)) {
    line->text = g_strdup ("LINK FAIR");
    line->rgb = RGB_AMBER;
  } else {
    line->text = g_strdup ("LINK POOR");
    line->rgb = RGB_RED;
  }
}

/* The badge under the SAS: never the verified colour for a call that is
 * not verified.  Fills one or two lines; returns how many. */
static guint
security_badge (const GstSlHudState * s, HudLine * line)
{
  static const gchar *const by[] = {
    [GST_SL_HUD_VERIFIED_BY_NONE] = "✔ VERIFIED",
    [GST_SL_HUD_VERIFIED_BY_CODE] = "✔ VERIFIED · CODE",
    [GST_SL_HUD_VERIFIED_BY_SAS] = "✔ VERIFIED · SAS",
    [GST_SL_HUD_VERIFIED_BY_CONTINUITY] = "✔ VERIFIED · KNOWN DEVICE",
  };

  switch (s->security) {
    case GST_SL_HUD_SECURITY_VERIFIED:
      line[0].text = g_strdup (by[MIN ((guint) s->verified_by,
                  G_N_ELEMENTS (by) - 1)]);
      line[0].rgb = RGB_GREEN;
      return 1;
    case GST_SL_HUD_SECURITY_FAILED:
      line[0].text = g_strdup ("✖ SECURITY CHECK FAILED");
      line[0].rgb = RGB_RED;
      return 1;
    case GST_SL_HUD_SECURITY_SECURED:
      if (s->keys_changed) {
        line[0].text = g_strdup ("⚠ KEYS CHANGED SINCE LAST CALL");
        line[0].rgb = RGB_RED;
      } else {
        line[0].text = g_strdup ("⚠ NOT VERIFIED");
        line[0].rgb = RGB_AMBER;
      }
      line[1].text = g_strdup (s->sas_confirmed ?
          "confirmed here, waiting for the peer" :
          "compare the SAS aloud with the peer");
      line[1].rgb = RGB_AMBER;
      return 2;
    case GST_SL_HUD_SECURITY_UNKNOWN:
    default:
      line[0].text = g_strdup ("NOT SECURED YET");
      line[0].rgb = RGB_GREY;
      return 1;
  }
}

/**
 * gst_sl_hud_layout_render:
 * @state: what to show
 * @width: frame width
 * @height: frame height
 *
 * Returns: (transfer full) (nullable): the HUD panels, or %NULL when the
 * frame is too small for any of them
 */
GstVideoOverlayComposition *
gst_sl_hud_layout_render (const GstSlHudState * state, gint width, gint height)
{
  GstVideoOverlayComposition *comp = NULL;
  GstVideoRectangle keep;
  HudLine lines[MAX_PANEL_LINES];
  LayoutCtx ctx;
  guint n, i, n_chat, shown;
  guint cs = MIN ((guint) state->call_state, G_N_ELEMENTS (call_states) - 1);

  if (width <= 0 || height <= 0)
    return NULL;

  gst_sl_hud_keepout (width, height, &keep);
  ctx.frame_w = width;
  ctx.frame_h = height;
  ctx.margin = MAX (2, MIN (width, height) / 60);
  ctx.font_px = gst_sl_hud_font_px (width, height, state->font_scale);
  /* both bands are keep.y − margin high; each side gets half the width */
  ctx.max_h = keep.y - ctx.margin;
  ctx.max_w = width / 2 - ctx.margin - ctx.margin / 2;
  if (ctx.max_h <= 0 || ctx.max_w <= 0)
    return NULL;

  ctx.context = pango_font_map_create_context (pango_cairo_font_map_get_default
      ());
  ctx.font = pango_font_description_from_string (HUD_FONT);
  pango_font_description_set_absolute_size (ctx.font,
      (gdouble) ctx.font_px * PANGO_SCALE);

  /* top-left: call state, peer; "connected" is green only when verified,
   * so that no green on the HUD can be read as "safe" for a call that is
   * merely secured */
  lines[0].text = g_strdup (call_states[cs].label);
  lines[0].rgb = call_states[cs].rgb;
  if (state->call_state == GST_SL_HUD_CALL_STATE_CONNECTED &&
      state->security != GST_SL_HUD_SECURITY_VERIFIED)
    lines[0].rgb = RGB_WHITE;
  if (state->peer_name && *state->peer_name && state->peer_role &&
      *state->peer_role)
    lines[1].text = g_strdup_printf ("%s · %s", state->peer_name,
        state->peer_role);
  else if (state->peer_name && *state->peer_name)
    lines[1].text = g_strdup (state->peer_name);
  else if (state->peer_role && *state->peer_role)
    lines[1].text = g_strdup (state->peer_role);
  else
    lines[1].text = g_strdup ("no peer");
  lines[1].rgb = RGB_WHITE;
  add_rect (&comp, render_panel (&ctx, lines, 2, FALSE, FALSE, FALSE));
  clear_lines (lines, 2);

  /* top-right: SAS and security badge */
  lines[0].text = g_strdup_printf ("SAS %s", state->sas && *state->sas ?
      state->sas : "—");
  lines[0].rgb = RGB_WHITE;
  n = 1 + security_badge (state, &lines[1]);
  add_rect (&comp, render_panel (&ctx, lines, n, TRUE, FALSE, FALSE));
  clear_lines (lines, n);

  /* bottom-left: the newest chat lines, oldest on top */
  n_chat = state->chat ? g_strv_length (state->chat) : 0;
  shown = MIN (MIN (n_chat, state->chat_lines), MAX_PANEL_LINES);
  for (i = 0, n = 0; i < shown; i++, n++) {
    lines[n].text = g_strdup (state->chat[n_chat - shown + i]);
    lines[n].rgb = RGB_WHITE;
  }
  add_rect (&comp, render_panel (&ctx, lines, n, FALSE, TRUE, TRUE));
  clear_lines (lines, n);

  /* bottom-right: link quality */
  link_quality (state, &lines[0]);
  lines[1].text = format_link_figures (state);
  lines[1].rgb = RGB_WHITE;
  add_rect (&comp, render_panel (&ctx, lines, 2, TRUE, TRUE, FALSE));
  clear_lines (lines, 2);

  pango_font_description_free (ctx.font);
  g_object_unref (ctx.context);
  return comp;
}
