/* Sightline call HUD: panels and rendering
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Four panels, most important first:
 *
 *   security (top-right)  the SAS and the security badge; in a group call
 *                         one badge per participant, with that pair's SAS
 *                         while it is not verified (secured: amber with a
 *                         prompt to compare it aloud; verified: green;
 *                         failed or keys changed: red)
 *   call (top-left)       call state; a notice such as "TEST CAMERA";
 *                         the wearer's muted microphone or paused camera;
 *                         who is in the call, with their mute and camera
 *                         states
 *   chat (bottom-left)    the newest chat lines
 *   link (bottom-right)   link quality; RTT · loss · bitrate, per
 *                         participant in a group call
 *
 * Each panel is measured, then placed by gstslhudplace.c: never over the
 * clear centre (the middle 50% × 50%), the remote videos or another panel;
 * when room runs out it is narrowed, then loses its least important lines
 * (the security prompt before any badge, verified participants before
 * unverified ones, the oldest chat lines first), then is left out.  The
 * text height is 1/30 of the frame height times font-scale (24 px at 720p,
 * 36 px at 1080p), at least 10 px; frames narrower than 16:9 use
 * width × 9/16 instead of the height.  Each panel is one premultiplied ARGB
 * rectangle of a GstVideoOverlayComposition.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslhudlayout.h"
#include "gstslhudplace.h"
#include "gstslvideolayout.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#define HUD_FONT "Sans Bold"
#define MIN_FONT_PX 10

#define RGB_WHITE 0xffffff
#define RGB_GREEN 0x4cff7a
#define RGB_AMBER 0xffc83d
#define RGB_RED 0xff5a50
#define RGB_GREY 0xb4b4b4
#define RGB_BLUE 0x7fc8ff

/* How long a line is kept when room runs out (higher: longer). */
#define KEEP_STATE 100
#define KEEP_BADGE_ALARM 100
#define KEEP_BADGE_SECURED 98
#define KEEP_SAS 97
#define KEEP_NOTICE 95
#define KEEP_BADGE_UNKNOWN 90
#define KEEP_LOCAL 90
#define KEEP_BADGE_VERIFIED 80
#define KEEP_PEER_FLAGGED 70
#define KEEP_PEER 60
#define KEEP_FIGURES 50
#define KEEP_PROMPT 20

/* @essential: bytes at the start of @text never ellipsised (0: none) */
typedef struct
{
  gchar *text;
  guint32 rgb;
  guint8 keep;
  gsize essential;
} HudLine;

typedef struct
{
  GstSlHudCorner corner;
  HudLine lines[GST_SL_HUD_MAX_PANEL_LINES];
  guint n;
} PanelContent;

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

/* The spacing rules of a frame. */
static void
frame_params (gint width, gint height, gint font_px, GstSlHudPlaceParams * p)
{
  memset (p, 0, sizeof (*p));
  p->width = width;
  p->height = height;
  p->margin = MAX (2, MIN (width, height) / 60);
  p->spacing = MAX (1, p->margin / 2);
  p->pad = MAX (2, font_px / 4);
  p->gap = MAX (1, font_px / 8);
  p->min_text_w = 3 * font_px;
  p->width_step = font_px;
  gst_sl_keepout (width, height, &p->keepout);
}

typedef struct
{
  PangoContext *context;
  PangoFontDescription *font;
  gint ellipsis_w;
} TextCtx;

static PangoLayout *line_layout (const TextCtx * t, const gchar * text);

static void
text_ctx_init (TextCtx * t, gint font_px)
{
  PangoLayout *layout;
  PangoRectangle logical;

  t->context =
      pango_font_map_create_context (pango_cairo_font_map_get_default ());
  t->font = pango_font_description_from_string (HUD_FONT);
  pango_font_description_set_absolute_size (t->font,
      (gdouble) font_px * PANGO_SCALE);
  layout = line_layout (t, "…");
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  t->ellipsis_w = logical.width;
  g_object_unref (layout);
}

static void
text_ctx_clear (TextCtx * t)
{
  pango_font_description_free (t->font);
  g_object_unref (t->context);
}

/* A single-line layout; never parses markup. */
static PangoLayout *
line_layout (const TextCtx * t, const gchar * text)
{
  PangoLayout *layout = pango_layout_new (t->context);

  pango_layout_set_font_description (layout, t->font);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/**
 * gst_sl_hud_reserve_rows:
 * @width: frame width
 * @height: frame height
 * @font_scale: the HUD's font scale
 * @lines: lines of text to keep room for, 0 for none
 *
 * Returns: the rows a panel of @lines lines needs at the top (or bottom)
 * of the frame, margin and spacing included: what slhud asks
 * slseethrough to keep free
 */
gint
gst_sl_hud_reserve_rows (gint width, gint height, gdouble font_scale,
    guint lines)
{
  gint font_px = gst_sl_hud_font_px (width, height, font_scale);
  gint heights[GST_SL_HUD_MAX_PANEL_LINES];
  GstSlHudPlaceParams p;
  PangoRectangle logical;
  PangoLayout *layout;
  TextCtx t;
  guint i;

  if (lines == 0 || width <= 0 || height <= 0)
    return 0;
  lines = MIN (lines, GST_SL_HUD_MAX_PANEL_LINES);
  frame_params (width, height, font_px, &p);
  text_ctx_init (&t, font_px);
  layout = line_layout (&t, "ÁSg");
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  g_object_unref (layout);
  text_ctx_clear (&t);
  for (i = 0; i < lines; i++)
    heights[i] = logical.height;
  return p.margin + gst_sl_hud_panel_height (&p, heights, lines) + p.spacing;
}

/* ---- panel contents ---------------------------------------------------- */

static void
add_line (PanelContent * p, guint32 rgb, guint8 keep, gchar * text)
{
  if (p->n >= GST_SL_HUD_MAX_PANEL_LINES) {
    g_free (text);
    return;
  }
  p->lines[p->n].text = text;
  p->lines[p->n].rgb = rgb;
  p->lines[p->n].keep = keep;
  p->lines[p->n].essential = 0;
  p->n++;
}

static void
clear_panel (PanelContent * p)
{
  guint i;

  for (i = 0; i < p->n; i++)
    g_free (p->lines[i].text);
  p->n = 0;
}

static gboolean
all_verified (const GstSlHudState * s)
{
  guint i;

  if (s->n_participants == 0)
    return s->security == GST_SL_HUD_SECURITY_VERIFIED;
  for (i = 0; i < s->n_participants; i++) {
    if (s->participants[i].security != GST_SL_HUD_SECURITY_VERIFIED)
      return FALSE;
  }
  return TRUE;
}

/* "name · role", with " · MUTED" and " · CAMERA PAUSED" when so (amber). */
static void
add_person (PanelContent * p, const gchar * name, const gchar * role,
    gboolean muted, gboolean camera_paused, guint8 keep)
{
  GString *s = g_string_new (NULL);

  if (name && *name)
    g_string_append (s, name);
  if (role && *role)
    g_string_append_printf (s, "%s%s", s->len ? " · " : "", role);
  if (s->len == 0)
    g_string_append (s, "no peer");
  if (muted)
    g_string_append (s, " · MUTED");
  if (camera_paused)
    g_string_append (s, " · CAMERA PAUSED");
  /* a muted or paused participant is news: kept longer */
  add_line (p, muted || camera_paused ? RGB_AMBER : RGB_WHITE,
      muted || camera_paused ? KEEP_PEER_FLAGGED : keep,
      g_string_free (s, FALSE));
}

static const gchar *
display_name (const GstSlHudParticipant * p)
{
  return p->name && *p->name ? p->name : p->id;
}

/* top-left: call state ("connected" is green only when every pair is
 * verified, so that no green on the HUD can be read as "safe" for a call
 * that is merely secured), notice, the wearer's own mute states, who is in
 * the call */
static void
build_call_panel (const GstSlHudState * s, PanelContent * p)
{
  guint cs = MIN ((guint) s->call_state, G_N_ELEMENTS (call_states) - 1);
  guint i;

  add_line (p, s->call_state == GST_SL_HUD_CALL_STATE_CONNECTED &&
      !all_verified (s) ? RGB_WHITE : call_states[cs].rgb, KEEP_STATE,
      g_strdup (call_states[cs].label));
  if (s->notice && *s->notice)
    add_line (p, RGB_AMBER, KEEP_NOTICE, g_strdup_printf ("⚠ %s", s->notice));
  if (s->mic_muted || s->camera_paused)
    add_line (p, RGB_AMBER, KEEP_LOCAL, g_strdup_printf ("YOU: %s%s%s",
            s->mic_muted ? "MIC MUTED" : "", s->mic_muted &&
            s->camera_paused ? " · " : "",
            s->camera_paused ? "CAMERA PAUSED" : ""));
  if (s->n_participants == 0) {
    add_person (p, s->peer_name, s->peer_role, s->peer_muted,
        s->peer_camera_paused, KEEP_PEER);
    return;
  }
  for (i = 0; i < s->n_participants; i++) {
    const GstSlHudParticipant *q = &s->participants[i];

    add_person (p, display_name (q), q->role, q->muted, q->camera_paused,
        KEEP_PEER);
  }
}

/* The badge of one pair: never the verified colour for a pair that is not
 * verified.  Returns the text and sets colour and keep. */
static gchar *
badge (GstSlHudSecurity security, GstSlHudVerifiedBy verified_by,
    gboolean keys_changed, guint32 * rgb, guint8 * keep)
{
  static const gchar *const by[] = {
    [GST_SL_HUD_VERIFIED_BY_NONE] = "✔ VERIFIED",
    [GST_SL_HUD_VERIFIED_BY_CODE] = "✔ VERIFIED · CODE",
    [GST_SL_HUD_VERIFIED_BY_SAS] = "✔ VERIFIED · SAS",
    [GST_SL_HUD_VERIFIED_BY_CONTINUITY] = "✔ VERIFIED · KNOWN DEVICE",
  };

  switch (security) {
    case GST_SL_HUD_SECURITY_VERIFIED:
      *rgb = RGB_GREEN;
      *keep = KEEP_BADGE_VERIFIED;
      return g_strdup (by[MIN ((guint) verified_by, G_N_ELEMENTS (by) - 1)]);
    case GST_SL_HUD_SECURITY_FAILED:
      *rgb = RGB_RED;
      *keep = KEEP_BADGE_ALARM;
      return g_strdup ("✖ SECURITY CHECK FAILED");
    case GST_SL_HUD_SECURITY_SECURED:
      *rgb = keys_changed ? RGB_RED : RGB_AMBER;
      *keep = keys_changed ? KEEP_BADGE_ALARM : KEEP_BADGE_SECURED;
      return g_strdup (keys_changed ? "⚠ KEYS CHANGED SINCE LAST CALL" :
          "⚠ NOT VERIFIED");
    case GST_SL_HUD_SECURITY_UNKNOWN:
    default:
      *rgb = RGB_GREY;
      *keep = KEEP_BADGE_UNKNOWN;
      return g_strdup ("NOT SECURED YET");
  }
}

/* One line per pair of a group call, the SAS right after the name: "Bob
 * ⚠ SAS 1234 5678 9012" (amber), "Carol ⚠ SAS … · KEYS CHANGED" (red),
 * "Alice ✔ VERIFIED · CODE" (green).  Sets @essential to the bytes up to
 * the end of the SAS, which an ellipsis never cuts. */
static gchar *
group_badge (const GstSlHudParticipant * q, guint32 * rgb, guint8 * keep,
    gsize * essential)
{
  g_autofree gchar *text = NULL;
  g_autofree gchar *head = NULL;

  *essential = 0;
  if (q->security != GST_SL_HUD_SECURITY_SECURED) {
    text = badge (q->security, q->verified_by, q->keys_changed, rgb, keep);
    return g_strdup_printf ("%s %s", display_name (q), text);
  }
  *rgb = q->keys_changed ? RGB_RED : RGB_AMBER;
  *keep = q->keys_changed ? KEEP_BADGE_ALARM : KEEP_BADGE_SECURED;
  head = g_strdup_printf ("%s ⚠ SAS %s", display_name (q),
      q->sas && *q->sas ? q->sas : "—");
  *essential = strlen (head);
  return g_strdup_printf ("%s%s%s", head,
      q->keys_changed ? " · KEYS CHANGED" : "",
      q->sas_confirmed ? " · confirmed here" : "");
}

/* top-right: two-party: "SAS ..." and the badge (secured: the prompt to
 * compare the SAS aloud); group: one line per pair, then the prompt while
 * a pair is secured but not confirmed here */
static void
build_security_panel (const GstSlHudState * s, PanelContent * p)
{
  gboolean prompt = FALSE;
  guint32 rgb;
  guint8 keep;
  guint i;

  if (s->n_participants == 0) {
    gchar *text;

    add_line (p, RGB_WHITE, KEEP_SAS, g_strdup_printf ("SAS %s",
            s->sas && *s->sas ? s->sas : "—"));
    p->lines[p->n - 1].essential = strlen (p->lines[p->n - 1].text);
    text = badge (s->security, s->verified_by, s->keys_changed, &rgb, &keep);
    add_line (p, rgb, keep, text);
    if (s->security == GST_SL_HUD_SECURITY_SECURED)
      add_line (p, RGB_AMBER, KEEP_PROMPT, g_strdup (s->sas_confirmed ?
              "confirmed here, waiting for the peer" :
              "compare the SAS aloud with the peer"));
    return;
  }
  for (i = 0; i < s->n_participants; i++) {
    const GstSlHudParticipant *q = &s->participants[i];
    gsize essential;
    gchar *text = group_badge (q, &rgb, &keep, &essential);

    add_line (p, rgb, keep, text);
    p->lines[p->n - 1].essential = essential;
    prompt |= q->security == GST_SL_HUD_SECURITY_SECURED && !q->sas_confirmed;
  }
  if (prompt)
    add_line (p, RGB_AMBER, KEEP_PROMPT,
        g_strdup ("⚠ compare each SAS aloud with that person"));
}

/* bottom-left: the newest chat lines, oldest on top (dropped first) */
static void
build_chat_panel (const GstSlHudState * s, PanelContent * p)
{
  guint n_chat = s->chat ? g_strv_length (s->chat) : 0;
  guint shown = MIN (MIN (n_chat, s->chat_lines), GST_SL_HUD_MAX_CHAT_LINES);
  guint i;

  for (i = 0; i < shown; i++)
    add_line (p, RGB_WHITE, (guint8) i, g_strdup (s->chat[n_chat - shown + i]));
}

static const gchar *
link_verdict (gint rtt_ms, gdouble loss_percent, guint32 * rgb)
{
  gboolean know_rtt = rtt_ms >= 0, know_loss = loss_percent >= 0;

  if (!know_rtt && !know_loss) {
    *rgb = RGB_GREY;
    return "—";
  }
  if ((!know_rtt || rtt_ms <= 150) && (!know_loss || loss_percent < 2.0)) {
    *rgb = RGB_GREEN;
    return "GOOD";
  }
  if ((!know_rtt || rtt_ms <= 400) && (!know_loss || loss_percent < 8.0)) {
    *rgb = RGB_AMBER;
    return "FAIR";
  }
  *rgb = RGB_RED;
  return "POOR";
}

static gchar *
link_figures (gint rtt_ms, gdouble loss_percent, gint bitrate_kbps)
{
  g_autofree gchar *rtt = rtt_ms >= 0 ?
      g_strdup_printf ("RTT %d ms", rtt_ms) : g_strdup ("RTT —");
  g_autofree gchar *loss = loss_percent >= 0 ?
      g_strdup_printf ("loss %.1f %%", loss_percent) : g_strdup ("loss —");
  g_autofree gchar *rate = NULL;

  if (bitrate_kbps < 0)
    rate = g_strdup ("— kb/s");
  else if (bitrate_kbps < 1000)
    rate = g_strdup_printf ("%d kb/s", bitrate_kbps);
  else
    rate = g_strdup_printf ("%.1f Mb/s", bitrate_kbps / 1000.0);

  return g_strdup_printf ("%s · %s · %s", rtt, loss, rate);
}

/* bottom-right: the verdict GOOD (RTT <= 150 ms and loss < 2%), FAIR
 * (<= 400 ms, < 8%) or POOR and the figures; per participant in a group */
static void
build_link_panel (const GstSlHudState * s, PanelContent * p)
{
  guint32 rgb;
  guint i;

  if (s->n_participants == 0) {
    const gchar *verdict = link_verdict (s->rtt_ms, s->loss_percent, &rgb);

    add_line (p, rgb, KEEP_PEER, g_strdup_printf ("LINK %s", verdict));
    add_line (p, RGB_WHITE, KEEP_FIGURES, link_figures (s->rtt_ms,
            s->loss_percent, s->bitrate_kbps));
    return;
  }
  for (i = 0; i < s->n_participants; i++) {
    const GstSlHudParticipant *q = &s->participants[i];
    const gchar *verdict = link_verdict (q->rtt_ms, q->loss_percent, &rgb);
    g_autofree gchar *figures = link_figures (q->rtt_ms, q->loss_percent,
        q->bitrate_kbps);

    add_line (p, rgb, KEEP_FIGURES, g_strdup_printf ("%s: %s · %s",
            display_name (q), verdict, figures));
  }
}

/* ---- rendering --------------------------------------------------------- */

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

/* Measures each line's natural size into @req. */
static void
measure_panel (const TextCtx * t, const PanelContent * c,
    GstSlHudPanelRequest * req)
{
  guint i;

  memset (req, 0, sizeof (*req));
  req->corner = c->corner;
  req->n_lines = c->n;
  for (i = 0; i < c->n; i++) {
    PangoLayout *layout = line_layout (t, c->lines[i].text);
    PangoRectangle logical;

    pango_layout_get_pixel_extents (layout, NULL, &logical);
    req->line_w[i] = logical.x + logical.width;
    req->line_h[i] = logical.height;
    req->line_keep[i] = c->lines[i].keep;
    g_object_unref (layout);
    if (c->lines[i].essential > 0) {
      g_autofree gchar *head = g_strndup (c->lines[i].text,
          c->lines[i].essential);

      layout = line_layout (t, head);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      /* room for the ellipsis after it */
      req->line_min_w[i] = logical.x + logical.width + t->ellipsis_w;
      g_object_unref (layout);
    }
  }
}

/* Draws the shown lines of a placed panel as an overlay rectangle. */
static GstVideoOverlayRectangle *
draw_panel (const TextCtx * t, const GstSlHudPlaceParams * p,
    const PanelContent * c, const GstSlHudPanelRequest * req,
    const GstSlHudPanelPlacement * place, gint font_px)
{
  gint pw = place->rect.w, ph = place->rect.h, y = p->pad;
  gboolean right = c->corner == GST_SL_HUD_CORNER_TOP_RIGHT ||
      c->corner == GST_SL_HUD_CORNER_BOTTOM_RIGHT;
  GstVideoOverlayRectangle *rect;
  cairo_surface_t *surface;
  GstBuffer *buffer;
  GstMapInfo map;
  cairo_t *cr;
  guint i;

  buffer = gst_buffer_new_allocate (NULL, (gsize) pw * ph * 4, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  memset (map.data, 0, map.size);
  surface = cairo_image_surface_create_for_data (map.data,
      CAIRO_FORMAT_ARGB32, pw, ph, pw * 4);
  cr = cairo_create (surface);

  /* the dark backing helps on video see-through; on additive displays it
   * is invisible, the outline and bright text do the work there */
  rounded_rect (cr, pw, ph, p->pad);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
  cairo_fill (cr);

  for (i = 0; i < c->n; i++) {
    PangoLayout *layout;
    gint w = MIN (req->line_w[i], place->text_w);

    if (!(place->lines & (1u << i)))
      continue;
    layout = line_layout (t, c->lines[i].text);
    pango_layout_set_width (layout, place->text_w * PANGO_SCALE);
    cairo_move_to (cr, right ? pw - p->pad - w : p->pad, y);
    pango_cairo_layout_path (cr, layout);
    cairo_set_line_width (cr, MAX (1.0, font_px / 12.0));
    cairo_set_source_rgba (cr, 0, 0, 0, 0.9);
    cairo_stroke_preserve (cr);
    set_source_rgb (cr, c->lines[i].rgb, 1.0);
    cairo_fill (cr);
    y += req->line_h[i] + p->gap;
    g_object_unref (layout);
  }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
  gst_buffer_unmap (buffer, &map);

  gst_buffer_add_video_meta (buffer, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, pw, ph);
  rect = gst_video_overlay_rectangle_new_raw (buffer, place->rect.x,
      place->rect.y, pw, ph, GST_VIDEO_OVERLAY_FORMAT_FLAG_PREMULTIPLIED_ALPHA);
  gst_buffer_unref (buffer);
  return rect;
}

/**
 * gst_sl_hud_layout_render:
 * @state: what to show
 * @width: frame width
 * @height: frame height
 * @videos: (array length=n_videos) (nullable): remote video rectangles the
 *     panels must not cover
 * @n_videos: how many
 * @shown: (out) (optional): bit #GstSlHudPanel set for each panel shown
 *
 * Returns: (transfer full) (nullable): the HUD panels in placement order,
 * or %NULL when none fits
 */
GstVideoOverlayComposition *
gst_sl_hud_layout_render (const GstSlHudState * state, gint width,
    gint height, const GstVideoRectangle * videos, guint n_videos,
    guint32 * shown)
{
  static const GstSlHudCorner corners[GST_SL_HUD_N_PANELS] = {
    [GST_SL_HUD_PANEL_SECURITY] = GST_SL_HUD_CORNER_TOP_RIGHT,
    [GST_SL_HUD_PANEL_CALL] = GST_SL_HUD_CORNER_TOP_LEFT,
    [GST_SL_HUD_PANEL_CHAT] = GST_SL_HUD_CORNER_BOTTOM_LEFT,
    [GST_SL_HUD_PANEL_LINK] = GST_SL_HUD_CORNER_BOTTOM_RIGHT,
  };
  PanelContent content[GST_SL_HUD_N_PANELS];
  GstSlHudPanelRequest req[GST_SL_HUD_N_PANELS];
  GstSlHudPanelPlacement place[GST_SL_HUD_N_PANELS];
  GstVideoOverlayComposition *comp = NULL;
  GstSlHudPlaceParams p;
  gint font_px;
  TextCtx t;
  guint i;

  if (shown)
    *shown = 0;
  if (width <= 0 || height <= 0)
    return NULL;

  font_px = gst_sl_hud_font_px (width, height, state->font_scale);
  frame_params (width, height, font_px, &p);
  p.videos = videos;
  p.n_videos = videos ? n_videos : 0;

  memset (content, 0, sizeof (content));
  for (i = 0; i < GST_SL_HUD_N_PANELS; i++)
    content[i].corner = corners[i];
  build_security_panel (state, &content[GST_SL_HUD_PANEL_SECURITY]);
  build_call_panel (state, &content[GST_SL_HUD_PANEL_CALL]);
  build_chat_panel (state, &content[GST_SL_HUD_PANEL_CHAT]);
  build_link_panel (state, &content[GST_SL_HUD_PANEL_LINK]);

  text_ctx_init (&t, font_px);
  for (i = 0; i < GST_SL_HUD_N_PANELS; i++)
    measure_panel (&t, &content[i], &req[i]);
  gst_sl_hud_place_panels (&p, req, GST_SL_HUD_N_PANELS, place);

  for (i = 0; i < GST_SL_HUD_N_PANELS; i++) {
    GstVideoOverlayRectangle *rect;

    if (place[i].placed) {
      rect = draw_panel (&t, &p, &content[i], &req[i], &place[i], font_px);
      if (comp)
        gst_video_overlay_composition_add_rectangle (comp, rect);
      else
        comp = gst_video_overlay_composition_new (rect);
      gst_video_overlay_rectangle_unref (rect);
      if (shown)
        *shown |= 1u << i;
    }
    clear_panel (&content[i]);
  }
  text_ctx_clear (&t);
  return comp;
}
