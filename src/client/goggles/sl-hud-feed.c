/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What the goggles' head-up display shows, fed from a call's signals on
 * the main context: its state, the peer's name and role (from the
 * roster), the SAS and the call's security as SlPeerAuth tells it (secured
 * with a prompt to compare the SAS aloud, verified, or failed), chat, and
 * link quality once a second.  The state outlives the call's pipeline and
 * is applied to each slhud element the view makes, so that a new pipeline
 * starts with what the call has shown so far.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-hud-feed.h"
#include "sl-source.h"

struct _SlHudFeed
{
  GObject parent_instance;

  GstElement *hud;
  char *call_state;
  char *peer_name;
  char *peer_role;
  char *sas;
  const char *security;         /* slhud's nicks: unknown, secured, ... */
  const char *verified_by;      /* none, code, sas, continuity */
  gboolean keys_changed;
  gboolean sas_confirmed;
  GPtrArray *chat;
  int rtt_ms;
  double loss_percent;
  int bitrate_kbps;
  char *notice;                 /* a warning line, e.g. a test source */
  gboolean mic_muted;           /* ours, kept from call to call */
  gboolean camera_paused;
  gboolean peer_muted;          /* the current call's peer */
  gboolean peer_camera_paused;

  SlCall *call;
  gboolean path_silent;         /* the call's media path: "reconnecting" */
  SlSignalClient *signal;
  GSource *stats_timer;
  guint64 last_lost;
  guint64 last_received;
};

G_DEFINE_FINAL_TYPE (SlHudFeed, sl_hud_feed, G_TYPE_OBJECT);

SlHudFeed *
sl_hud_feed_new (void)
{
  return g_object_new (SL_TYPE_HUD_FEED, NULL);
}

static void
apply (SlHudFeed * self)
{
  if (self->hud == NULL)
    return;
  g_ptr_array_add (self->chat, NULL);
  gst_util_set_object_arg (G_OBJECT (self->hud), "call-state",
      self->call_state);
  gst_util_set_object_arg (G_OBJECT (self->hud), "security", self->security);
  gst_util_set_object_arg (G_OBJECT (self->hud), "verified-by",
      self->verified_by);
  g_object_set (self->hud, "peer-name", self->peer_name, "peer-role",
      self->peer_role, "sas", self->sas, "keys-changed", self->keys_changed,
      "sas-confirmed", self->sas_confirmed, "chat",
      (char **) self->chat->pdata, "rtt-ms", self->rtt_ms,
      "loss-percent", self->loss_percent, "bitrate-kbps",
      self->bitrate_kbps, "notice", self->notice, "mic-muted", self->mic_muted,
      "camera-paused", self->camera_paused, "peer-muted", self->peer_muted,
      "peer-camera-paused", self->peer_camera_paused, NULL);
  g_ptr_array_remove_index (self->chat, self->chat->len - 1);
}

/**
 * sl_hud_feed_set_element:
 * @self: a feed
 * @hud: (nullable): the slhud element of the view's current bin (a
 *   reference is kept), or %NULL once the bin is gone
 *
 * The element shows the feed's state at once and follows it.
 */
void
sl_hud_feed_set_element (SlHudFeed * self, GstElement * hud)
{
  gst_object_replace ((GstObject **) & self->hud, GST_OBJECT (hud));
  apply (self);
}

static void
set_string (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/**
 * sl_hud_feed_set_notice:
 * @self: a feed
 * @notice: (nullable): a warning line the HUD places in its call panel
 *   (e.g. that the call sends a test picture), or %NULL for none
 */
void
sl_hud_feed_set_notice (SlHudFeed * self, const char *notice)
{
  set_string (&self->notice, notice);
  apply (self);
}

/**
 * sl_hud_feed_set_call_state:
 * @self: a feed
 * @nick: one of slhud's call states ("calling", "connected", ...)
 */
void
sl_hud_feed_set_call_state (SlHudFeed * self, const char *nick)
{
  set_string (&self->call_state, nick);
  apply (self);
}

/**
 * sl_hud_feed_add_chat:
 * @self: a feed
 * @who: who wrote it ("You", the peer's name)
 * @text: the message, as typed or received (the HUD sanitises it)
 */
void
sl_hud_feed_add_chat (SlHudFeed * self, const char *who, const char *text)
{
  g_ptr_array_add (self->chat, g_strdup_printf ("%s: %s", who, text));
  if (self->chat->len > SL_HUD_CHAT_KEEP)
    g_ptr_array_remove_index (self->chat, 0);
  apply (self);
}

static const char *
hud_state (SlHudFeed * self, SlCall * call, SlCallState state)
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
      /* A SAS confirmed while the path is silent keeps "reconnecting". */
      return self->path_silent ? "reconnecting" : "connected";
    case SL_CALL_STATE_ENDED:
    default:
      return sl_call_get_error (call) ? "failed" : "ended";
  }
}

/* The security badge, from the call's state and its SlPeerAuth. */
static void
update_security (SlHudFeed * self, SlCall * call)
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
on_state_changed (SlCall * call, int state, SlHudFeed * self)
{
  update_security (self, call);
  sl_hud_feed_set_call_state (self, hud_state (self, call, state));
}

/* The HUD says "reconnecting" while the media path is silent. */
static void
on_media_path (SlCall * call, gboolean alive, SlHudFeed * self)
{
  self->path_silent = !alive;
  sl_hud_feed_set_call_state (self, hud_state (self, call,
          sl_call_get_state (call)));
}

static void
on_peer_media_state (SlCall * call, gboolean mic_muted,
    gboolean camera_paused, SlHudFeed * self)
{
  self->peer_muted = mic_muted;
  self->peer_camera_paused = camera_paused;
  apply (self);
}

/**
 * sl_hud_feed_set_paused:
 * @self: a feed
 * @mic_muted: our microphone sends silence
 * @camera_paused: our camera sends no new frames
 */
void
sl_hud_feed_set_paused (SlHudFeed * self, gboolean mic_muted,
    gboolean camera_paused)
{
  self->mic_muted = mic_muted;
  self->camera_paused = camera_paused;
  apply (self);
}

static void
on_auth_changed (SlPeerAuth * auth, SlHudFeed * self)
{
  if (self->call == NULL)
    return;
  update_security (self, self->call);
  apply (self);
}

static void
on_sas (SlCall * call, const char *sas, SlHudFeed * self)
{
  set_string (&self->sas, sas);
  apply (self);
}

static void
on_chat (SlCall * call, gint64 id, const char *text, SlHudFeed * self)
{
  sl_hud_feed_add_chat (self, self->peer_name ? self->peer_name : "Peer", text);
}

/* Link quality over the last interval: loss is the share of packets lost
 * among those expected since the previous tick. */
static gboolean
on_stats_tick (gpointer data)
{
  SlHudFeed *self = data;
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
  apply (self);
  return G_SOURCE_CONTINUE;
}

/* The roster may arrive after the call began: looked up again on each
 * change. */
static void
update_peer (SlHudFeed * self)
{
  const char *peer_id = self->call ? sl_call_get_peer_id (self->call) : NULL;
  const SlPeerInfo *peer = NULL;

  if (self->signal && peer_id)
    peer = sl_signal_client_get_peer (self->signal, peer_id);
  if (peer == NULL && self->peer_name != NULL)
    return;
  set_string (&self->peer_name, peer && peer->name ? peer->name : peer_id);
  set_string (&self->peer_role, peer ? peer->role : NULL);
  apply (self);
}

static void
on_roster_changed (SlSignalClient * signal, SlHudFeed * self)
{
  update_peer (self);
}

/* Ended: the last state is shown, and the call is let go. */
static void
on_ended (SlCall * call, GError * error, SlHudFeed * self)
{
  sl_hud_feed_set_call_state (self, error ? "failed" : "ended");
  sl_hud_feed_forget_call (self);
}

/**
 * sl_hud_feed_watch_call:
 * @self: a feed
 * @call: the call whose state, SAS, security, received chat and link
 *   statistics the HUD shows (a reference is kept until it ends)
 * @signal: (nullable): where the peer's name and role come from (its
 *   roster)
 *
 * Chat we send is not a call signal: see sl_hud_feed_add_chat().
 */
void
sl_hud_feed_watch_call (SlHudFeed * self, SlCall * call,
    SlSignalClient * signal)
{
  g_return_if_fail (SL_IS_HUD_FEED (self));
  g_return_if_fail (SL_IS_CALL (call));

  sl_hud_feed_forget_call (self);
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
  self->path_silent = FALSE;
  self->peer_muted = self->peer_camera_paused = FALSE;
  g_signal_connect (call, "peer-media-state",
      G_CALLBACK (on_peer_media_state), self);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (call, "sas", G_CALLBACK (on_sas), self);
  g_signal_connect (sl_call_get_auth (call), "changed",
      G_CALLBACK (on_auth_changed), self);
  g_signal_connect (call, "chat", G_CALLBACK (on_chat), self);
  g_signal_connect (call, "media-path", G_CALLBACK (on_media_path), self);
  g_signal_connect (call, "ended", G_CALLBACK (on_ended), self);
  self->stats_timer = sl_timeout_attach (1000, on_stats_tick, self);
  on_state_changed (call, sl_call_get_state (call), self);
}

/**
 * sl_hud_feed_forget_call:
 * @self: a feed
 *
 * Drops the feed's reference to its call (done by itself when the call
 * ends).
 */
void
sl_hud_feed_forget_call (SlHudFeed * self)
{
  sl_source_clear (&self->stats_timer);
  if (self->call) {
    g_signal_handlers_disconnect_by_data (self->call, self);
    g_signal_handlers_disconnect_by_data (sl_call_get_auth (self->call), self);
  }
  if (self->signal)
    g_signal_handlers_disconnect_by_data (self->signal, self);
  g_clear_object (&self->call);
  g_clear_object (&self->signal);
}

static void
sl_hud_feed_dispose (GObject * object)
{
  SlHudFeed *self = SL_HUD_FEED (object);

  sl_hud_feed_forget_call (self);
  gst_object_replace ((GstObject **) & self->hud, NULL);

  G_OBJECT_CLASS (sl_hud_feed_parent_class)->dispose (object);
}

static void
sl_hud_feed_finalize (GObject * object)
{
  SlHudFeed *self = SL_HUD_FEED (object);

  g_free (self->call_state);
  g_free (self->notice);
  g_free (self->peer_name);
  g_free (self->peer_role);
  g_free (self->sas);
  g_ptr_array_unref (self->chat);

  G_OBJECT_CLASS (sl_hud_feed_parent_class)->finalize (object);
}

static void
sl_hud_feed_class_init (SlHudFeedClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_hud_feed_dispose;
  object_class->finalize = sl_hud_feed_finalize;
}

static void
sl_hud_feed_init (SlHudFeed * self)
{
  self->chat = g_ptr_array_new_with_free_func (g_free);
  self->call_state = g_strdup ("idle");
  self->security = "unknown";
  self->verified_by = "none";
  self->rtt_ms = -1;
  self->loss_percent = -1;
  self->bitrate_kbps = -1;
}
