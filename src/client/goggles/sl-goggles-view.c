/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The goggles view: what the wearer sees.  The call's pipeline draws the
 * expert's video through `slseethrough` (over black for optical
 * see-through, over the wearer's camera for video see-through) and the
 * call's head-up display through `slhud`, into a full-screen window or
 * PNG snapshots (sl-goggles-output.c builds that part).
 *
 * The view outlives the call's pipeline: it keeps the see-through
 * settings and everything the HUD shows, fed from the call's signals on
 * the main context, and applies them to the elements while a pipeline
 * runs.  Opacity, placement, scale and mode change at run time through
 * standard-input commands (`/opacity 0.4`) and keys in the window.  The
 * HUD shows the call's security as SlPeerAuth tells it: secured (amber,
 * with a prompt to compare the SAS aloud), verified (green) or failed
 * (red); keys `y` and `n` in the window answer the SAS question through
 * the "sas-answer" signal, which the program passes on to the call.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-goggles-view-private.h"
#include "sightline/sl-goggles-error.h"

#include <string.h>

static guint signals[SL_GOGGLES_N_SIGNALS];

G_DEFINE_TYPE (SlGogglesView, sl_goggles_view, G_TYPE_OBJECT);

static const char *const keys_more[] = { "plus", "equal", "KP_Add", NULL };
static const char *const keys_less[] = { "minus", "KP_Subtract", NULL };

/* Placements in the order the "p" key walks through them. */
static const char *const placements[] = { "center", "top-left", "top-right",
  "bottom-right", "bottom-left", "top", "right", "bottom", "left", NULL
};

/**
 * sl_goggles_view_new:
 * @opts: options with a goggles display and the view's settings
 * @error: set when the plugin is missing or there is no display for the
 *   window
 *
 * Returns: (transfer full): a view, or %NULL
 */
SlGogglesView *
sl_goggles_view_new (const SlMediaOptions * opts, GError ** error)
{
  g_autoptr (SlGogglesView) self = NULL;
  g_autoptr (GstElementFactory) seethrough = NULL;
  g_autoptr (GstElementFactory) hud = NULL;

  g_return_val_if_fail (opts != NULL, NULL);
  g_return_val_if_fail (sl_media_display_is_goggles (opts->display), NULL);

  seethrough = gst_element_factory_find ("slseethrough");
  hud = gst_element_factory_find ("slhud");
  if (seethrough == NULL || hud == NULL) {
    g_set_error_literal (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "The goggles view needs the sightline GStreamer plugin (slseethrough, "
        "slhud): install it or point GST_PLUGIN_PATH at build/plugins");
    return NULL;
  }
  if (!sl_media_check_placement (opts->goggles_placement, error))
    return NULL;

  self = g_object_new (SL_TYPE_GOGGLES_VIEW, NULL);
  self->display = opts->display;
  self->png_path = g_strdup (opts->png_path);
  self->width = opts->goggles_width;
  self->height = opts->goggles_height;
  self->opacity = CLAMP (opts->goggles_opacity, 0.0, 1.0);
  self->placement = g_strdup (opts->goggles_placement);
  self->scale = CLAMP (opts->goggles_scale, 0.01, 2.0);
  self->mode = opts->goggles_mode;
  if (!sl_goggles_output_open (self, error))
    return NULL;
  if (self->width == 0 || self->height == 0) {
    self->width = 1280;
    self->height = 720;
  }
  return g_steal_pointer (&self);
}

guint
sl_goggles_view_get_width (SlGogglesView * self)
{
  return self->width;
}

guint
sl_goggles_view_get_height (SlGogglesView * self)
{
  return self->height;
}

/**
 * sl_goggles_view_get_snapshots:
 *
 * Returns: how many snapshots goggles-png:PATH has been written so far
 */
guint
sl_goggles_view_get_snapshots (SlGogglesView * self)
{
  return self->snapshots;
}

void
sl_goggles_view_notice (SlGogglesView * self, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit (self, signals[SL_GOGGLES_SIGNAL_NOTICE], 0, text);
}

/* ------------------------------------------------------------------ */
/* What the HUD shows                                                   */

static void
set_string (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/**
 * sl_goggles_view_set_call_state:
 * @self: a view
 * @nick: one of slhud's call states ("calling", "connected", ...)
 */
void
sl_goggles_view_set_call_state (SlGogglesView * self, const char *nick)
{
  set_string (&self->call_state, nick);
  sl_goggles_output_apply_hud (self);
}

/**
 * sl_goggles_view_add_chat:
 * @self: a view
 * @who: who wrote it ("You", the peer's name)
 * @text: the message, as typed or received (the HUD sanitises it)
 */
void
sl_goggles_view_add_chat (SlGogglesView * self, const char *who,
    const char *text)
{
  g_ptr_array_add (self->chat, g_strdup_printf ("%s: %s", who, text));
  if (self->chat->len > SL_GOGGLES_CHAT_KEEP)
    g_ptr_array_remove_index (self->chat, 0);
  sl_goggles_output_apply_hud (self);
}

static const char *
hud_state (SlCall * call, SlCallState state)
{
  switch (state) {
    case SL_CALL_STATE_PREPARING:
    case SL_CALL_STATE_INVITING:
      return sl_call_is_caller (call) ? "calling" : "ringing";
    case SL_CALL_STATE_RINGING:
      return "ringing";
    case SL_CALL_STATE_SECURING:
    case SL_CALL_STATE_CONNECTING:
      return "connecting";
    case SL_CALL_STATE_SECURED:
    case SL_CALL_STATE_VERIFIED:
      return "connected";
    case SL_CALL_STATE_ENDED:
    default:
      return sl_call_get_error (call) ? "failed" : "ended";
  }
}

/* The security badge, from the call's state and its SlPeerAuth. */
static void
update_security (SlGogglesView * self, SlCall * call)
{
  SlPeerAuth *auth = sl_call_get_auth (call);
  SlCallState state = sl_call_get_state (call);
  const GError *error = sl_call_get_error (call);

  if (state == SL_CALL_STATE_ENDED && g_error_matches (error,
          SL_CALL_ERROR, SL_CALL_ERROR_SECURITY))
    self->security = "failed";
  else if (state == SL_CALL_STATE_VERIFIED)
    self->security = "verified";
  else if (state == SL_CALL_STATE_SECURED)
    self->security = "secured";
  else if (state != SL_CALL_STATE_ENDED)
    self->security = "unknown";
  self->verified_by = sl_auth_method_to_string (sl_peer_auth_get_method (auth));
  self->keys_changed = sl_peer_auth_keys_changed (auth);
  self->sas_confirmed = sl_peer_auth_sas_confirmed (auth, FALSE);
}

static void
on_state_changed (SlCall * call, int state, SlGogglesView * self)
{
  update_security (self, call);
  sl_goggles_view_set_call_state (self, hud_state (call, state));
}

static void
on_auth_changed (SlPeerAuth * auth, SlGogglesView * self)
{
  if (self->call == NULL)
    return;
  update_security (self, self->call);
  sl_goggles_output_apply_hud (self);
}

static void
on_sas (SlCall * call, const char *sas, SlGogglesView * self)
{
  set_string (&self->sas, sas);
  sl_goggles_output_apply_hud (self);
}

static void
on_chat (SlCall * call, gint64 id, const char *text, SlGogglesView * self)
{
  sl_goggles_view_add_chat (self, self->peer_name ? self->peer_name :
      "Peer", text);
}

/* Link quality over the last interval: loss is the share of packets lost
 * among those expected since the previous tick. */
static gboolean
on_stats_tick (gpointer data)
{
  SlGogglesView *self = data;
  SlMediaStats st = { 0, };
  guint64 lost, received;

  if (self->call == NULL || !sl_call_get_media_stats (self->call, &st))
    return G_SOURCE_CONTINUE;
  lost = st.packets_lost > 0 ? (guint64) st.packets_lost : 0;
  received = st.packets_received;
  self->rtt_ms = st.rtt_ms >= 0 ? (int) (st.rtt_ms + 0.5) : -1;
  self->bitrate_kbps = st.bytes_received > 0 ?
      (int) (st.receive_kbps + 0.5) : -1;
  if (received + lost > self->last_received + self->last_lost
      && received >= self->last_received && lost >= self->last_lost) {
    guint64 d_lost = lost - self->last_lost;
    guint64 d_all = d_lost + received - self->last_received;

    self->loss_percent = MIN (100.0, 100.0 * d_lost / d_all);
  }
  self->last_lost = lost;
  self->last_received = received;
  sl_media_stats_clear (&st);
  sl_goggles_output_apply_hud (self);
  return G_SOURCE_CONTINUE;
}

static void unwatch_call (SlGogglesView * self);

/* The call's media options hold the view, so the view lets go of the call
 * once it has ended: holding it longer was a reference cycle that kept the
 * call, its stopped pipeline and webrtcbin's ICE thread alive until exit,
 * where that thread still ran libnice's timers during gst_deinit() and
 * sometimes crashed the goggles (test-goggles /goggles/png-video). */
static void
on_ended (SlCall * call, GError * error, SlGogglesView * self)
{
  sl_goggles_view_set_call_state (self, error ? "failed" : "ended");
  unwatch_call (self);
}

static void
unwatch_call (SlGogglesView * self)
{
  g_clear_handle_id (&self->stats_timer, g_source_remove);
  if (self->call) {
    g_signal_handlers_disconnect_by_data (self->call, self);
    g_signal_handlers_disconnect_by_data (sl_call_get_auth (self->call), self);
  }
  if (self->signal)
    g_signal_handlers_disconnect_by_data (self->signal, self);
  g_clear_object (&self->call);
  g_clear_object (&self->signal);
}

/* The roster may arrive after the call began: looked up again on each
 * change. */
static void
update_peer (SlGogglesView * self)
{
  const char *peer_id = self->call ? sl_call_get_peer_id (self->call) : NULL;
  const SlPeerInfo *peer = NULL;

  if (self->signal && peer_id)
    peer = sl_signal_client_get_peer (self->signal, peer_id);
  if (peer == NULL && self->peer_name != NULL)
    return;
  set_string (&self->peer_name, peer && peer->name ? peer->name : peer_id);
  set_string (&self->peer_role, peer ? peer->role : NULL);
  sl_goggles_output_apply_hud (self);
}

static void
on_roster_changed (SlSignalClient * signal, SlGogglesView * self)
{
  update_peer (self);
}

/**
 * sl_goggles_view_watch_call:
 * @self: a view
 * @call: the call whose state, SAS, security, received chat and link
 *   statistics the HUD shows (a reference is kept)
 * @signal: (nullable): where the peer's name and role come from (its
 *   roster)
 *
 * Chat we send is not a call signal: see sl_goggles_view_add_chat().
 */
void
sl_goggles_view_watch_call (SlGogglesView * self, SlCall * call,
    SlSignalClient * signal)
{
  g_return_if_fail (SL_IS_GOGGLES_VIEW (self));
  g_return_if_fail (SL_IS_CALL (call));

  unwatch_call (self);
  self->call = g_object_ref (call);
  self->signal = signal ? g_object_ref (signal) : NULL;
  g_clear_pointer (&self->peer_name, g_free);
  update_peer (self);
  if (signal)
    g_signal_connect (signal, "roster-changed",
        G_CALLBACK (on_roster_changed), self);
  set_string (&self->sas, sl_call_get_sas (call));
  self->rtt_ms = -1;
  self->loss_percent = -1;
  self->bitrate_kbps = -1;
  self->last_lost = self->last_received = 0;
  g_signal_connect (call, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (call, "sas", G_CALLBACK (on_sas), self);
  g_signal_connect (sl_call_get_auth (call), "changed",
      G_CALLBACK (on_auth_changed), self);
  g_signal_connect (call, "chat", G_CALLBACK (on_chat), self);
  g_signal_connect (call, "ended", G_CALLBACK (on_ended), self);
  self->stats_timer = g_timeout_add (1000, on_stats_tick, self);
  on_state_changed (call, sl_call_get_state (call), self);
}

/**
 * sl_goggles_view_forget_call:
 * @self: a view
 *
 * Drops the view's reference to its call (done by itself when the call
 * ends); for a program that stops with a call still running, whose
 * options hold the view.
 */
void
sl_goggles_view_forget_call (SlGogglesView * self)
{
  g_return_if_fail (SL_IS_GOGGLES_VIEW (self));

  unwatch_call (self);
}

/* ------------------------------------------------------------------ */
/* Runtime changes                                                      */

static const char *const commands[] = { "/opacity", "/placement", "/scale",
  "/mode", NULL
};

/**
 * sl_goggles_view_is_command:
 * @line: a line typed during a call
 *
 * Returns: %TRUE when @line is one of the view's commands (/opacity,
 *   /placement, /scale, /mode), whatever its argument
 */
gboolean
sl_goggles_view_is_command (const char *line)
{
  const char *const *c;

  for (c = commands; *c; c++) {
    gsize n = strlen (*c);

    if (strncmp (line, *c, n) == 0 && (line[n] == '\0' || line[n] == ' '))
      return TRUE;
  }
  return FALSE;
}

static void
announce (SlGogglesView * self)
{
  sl_goggles_view_notice (self, "opacity %.2f, placement %s, scale %.2f, "
      "mode %s", self->opacity, self->placement, self->scale,
      self->mode == SL_SEE_THROUGH_VIDEO ? "video" : "optical");
}

/**
 * sl_goggles_view_run_command:
 * @self: a view
 * @line: "/opacity 0..1", "/placement NAME", "/scale 0.01..2" or
 *   "/mode optical|video"
 * @error: set when the command or its argument is not valid
 *
 * Applies the change at once (from the next composed frame) and
 * announces the new settings through the "notice" signal.
 *
 * Returns: %TRUE when applied
 */
gboolean
sl_goggles_view_run_command (SlGogglesView * self, const char *line,
    GError ** error)
{
  g_auto (GStrv) words = g_strsplit (line, " ", 2);
  const char *arg = words[0] && words[1] ? g_strstrip (words[1]) : NULL;
  double v;

  g_return_val_if_fail (SL_IS_GOGGLES_VIEW (self), FALSE);

  if (!sl_goggles_view_is_command (line) || arg == NULL || *arg == '\0') {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Say /opacity 0..1, /placement NAME, /scale 0.01..2 or "
        "/mode optical|video");
    return FALSE;
  }
  if (g_str_equal (words[0], "/opacity")) {
    if (!sl_media_check_opacity (arg, &v, error))
      return FALSE;
    self->opacity = v;
  } else if (g_str_equal (words[0], "/scale")) {
    if (!sl_media_check_scale (arg, &v, error))
      return FALSE;
    self->scale = v;
  } else if (g_str_equal (words[0], "/placement")) {
    if (!sl_media_check_placement (arg, error))
      return FALSE;
    set_string (&self->placement, arg);
  } else if (!sl_media_check_see_through_mode (arg, &self->mode, error)) {
    return FALSE;
  }
  sl_goggles_output_apply_view (self);
  announce (self);
  return TRUE;
}

/**
 * sl_goggles_view_handle_key:
 * @self: a view
 * @key: an X key name from a GstNavigation key-press event
 *
 * "+"/"-" change the opacity by 0.1, "p" moves the video to the next
 * placement, "s"/"S" shrink and grow it, "m" switches optical/video;
 * "y"/"n" answer the SAS question ("sas-answer").
 *
 * Returns: %TRUE when @key did something
 */
gboolean
sl_goggles_view_handle_key (SlGogglesView * self, const char *key)
{
  guint i;

  if (g_str_equal (key, "y") || g_str_equal (key, "n")) {
    sl_goggles_view_notice (self, "key %s: the SAS %s", key,
        g_str_equal (key, "y") ? "match" : "do not match");
    g_signal_emit (self, signals[SL_GOGGLES_SIGNAL_SAS_ANSWER], 0,
        g_str_equal (key, "y"));
    return TRUE;
  }
  if (g_strv_contains (keys_more, key)) {
    self->opacity = MIN (1.0, self->opacity + 0.1);
  } else if (g_strv_contains (keys_less, key)) {
    self->opacity = MAX (0.0, self->opacity - 0.1);
  } else if (g_str_equal (key, "p")) {
    for (i = 0; placements[i]; i++)
      if (g_str_equal (placements[i], self->placement))
        break;
    set_string (&self->placement, placements[i] && placements[i + 1] ?
        placements[i + 1] : placements[0]);
  } else if (g_str_equal (key, "s")) {
    self->scale = MAX (0.1, self->scale - 0.1);
  } else if (g_str_equal (key, "S")) {
    self->scale = MIN (2.0, self->scale + 0.1);
  } else if (g_str_equal (key, "m")) {
    self->mode = self->mode == SL_SEE_THROUGH_VIDEO ?
        SL_SEE_THROUGH_OPTICAL : SL_SEE_THROUGH_VIDEO;
  } else {
    return FALSE;
  }
  sl_goggles_output_apply_view (self);
  announce (self);
  return TRUE;
}

/* ------------------------------------------------------------------ */

static void
sl_goggles_view_dispose (GObject * object)
{
  SlGogglesView *self = SL_GOGGLES_VIEW (object);

  unwatch_call (self);
  sl_goggles_view_release_bin (self);
  sl_goggles_output_close (self);

  G_OBJECT_CLASS (sl_goggles_view_parent_class)->dispose (object);
}

static void
sl_goggles_view_finalize (GObject * object)
{
  SlGogglesView *self = SL_GOGGLES_VIEW (object);

  g_free (self->png_path);
  g_free (self->placement);
  g_free (self->call_state);
  g_free (self->peer_name);
  g_free (self->peer_role);
  g_free (self->sas);
  g_ptr_array_unref (self->chat);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (sl_goggles_view_parent_class)->finalize (object);
}

static void
sl_goggles_view_class_init (SlGogglesViewClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_goggles_view_dispose;
  object_class->finalize = sl_goggles_view_finalize;

  /* (text) something the user may want to know: new settings after a
   * key or command, a snapshot written, no camera found. */
  signals[SL_GOGGLES_SIGNAL_NOTICE] = g_signal_new ("notice",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (match) the wearer answered the SAS question with a key: the program
   * hands it to the call (sl_call_confirm_sas()). */
  signals[SL_GOGGLES_SIGNAL_SAS_ANSWER] = g_signal_new ("sas-answer",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
sl_goggles_view_init (SlGogglesView * self)
{
  self->chat = g_ptr_array_new_with_free_func (g_free);
  self->call_state = g_strdup ("idle");
  self->security = "unknown";
  self->verified_by = "none";
  self->rtt_ms = -1;
  self->loss_percent = -1;
  self->bitrate_kbps = -1;
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->write_lock);
}
