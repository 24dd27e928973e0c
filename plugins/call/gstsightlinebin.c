/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-sightlinebin
 * @title: sightlinebin
 *
 * Places or takes one Sightline call from a pipeline: end-to-end keys
 * agreed with the other device (optionally with a security code), SDP and
 * every ICE candidate sealed, DTLS bound to the keys, as with the
 * `sightline` command.  What the request pads "video" and "audio" receive
 * is sent (scaled to width x height at framerate, encoded with codec);
 * what the other device sends comes out of the sometimes pads
 * "remote_video" and "remote_audio" as raw media, once the call is
 * secured.  An input left unrequested sends black video or silence.
 *
 * With "peer" set it calls that device once connected; without, it waits
 * and rings ("incoming-call"); "auto-answer" takes the call at once, or the
 * "accept" action signal does.  One call per run: when it ends normally
 * the element ends its streams (end of stream); when it fails, or no call
 * can be made, it posts an error whose message says why (a wrong security
 * code, a refused or busy call, an unreachable server...).  End of stream
 * on an input, or the pipeline going to READY or NULL, hangs the call up;
 * the call's keys are wiped when it ends.
 *
 * The call's progress is posted on the bus as element messages (see
 * docs/GSTREAMER.md): "sightline-call-state", "sightline-sas",
 * "sightline-auth", "sightline-chat", "sightline-chat-acked",
 * "sightline-incoming" and "sightline-connected"; the same news comes as
 * signals, emitted on the element's own thread.
 *
 * The engine runs on a thread of its own with its own main context: the
 * application need not run any main loop.  ICE is limited to the addresses
 * in "ice-address" when given.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -m videotestsrc is-live=true ! sightlinebin name=c \
 *     server=wss://127.0.0.1:8443 cert=goggles.crt key=goggles.key ca=ca.crt \
 *     peer=expert code=4711 ice-address=127.0.0.1 \
 *     c.remote_video ! videoconvert ! autovideosink
 * ]| Calls the device "expert" with a security code and shows its video.
 * |[
 * gst-launch-1.0 -m videotestsrc is-live=true ! sightlinebin name=c \
 *     server=wss://127.0.0.1:8443 cert=expert.crt key=expert.key ca=ca.crt \
 *     auto-answer=true c.remote_video ! videoconvert ! jpegenc ! \
 *     multifilesink location=frame-%05d.jpg
 * ]| Waits for a call, takes it, and keeps every frame received.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsightlinebin.h"
#include "gstsightlinebridge.h"
#include "gstsightlineengine.h"
#include "gstsightlinesettings.h"
#include "sl-dtls-tuning.h"

#include <string.h>

GST_DEBUG_CATEGORY (gst_sightline_bin_debug);
#define GST_CAT_DEFAULT gst_sightline_bin_debug

struct _GstSightlineBin
{
  GstBin parent;

  GstSightlineSettings settings;        /* under the object lock */
  /* What the call shows, under the object lock. */
  char *call_state;
  char *sas;
  char *security;
  char *authenticated_by;
  gboolean have_call;
  gboolean stopping;            /* leaving PAUSED: no end of stream */

  GstSightlineBridge *bridge;
  GstSightlineEngine *engine;   /* while PAUSED or PLAYING */
};

enum
{
  PROP_0,
  /* The settings' come first (gstsightlinesettings.h). */
  PROP_CALL_STATE = GST_SIGHTLINE_N_SETTINGS + 1,
  PROP_SAS,
  PROP_SECURITY,
  PROP_AUTHENTICATED_BY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_CALL_STATE_CHANGED,
  SIGNAL_SAS,
  SIGNAL_AUTH_CHANGED,
  SIGNAL_INCOMING_CALL,
  SIGNAL_CHAT_RECEIVED,
  SIGNAL_CHAT_ACKED,
  SIGNAL_HANGUP,
  SIGNAL_ACCEPT,
  SIGNAL_REJECT,
  SIGNAL_CONFIRM_SAS,
  SIGNAL_SEND_CHAT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GstStaticPadTemplate video_sink_template =
GST_STATIC_PAD_TEMPLATE ("video", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("video/x-raw"));
static GstStaticPadTemplate audio_sink_template =
GST_STATIC_PAD_TEMPLATE ("audio", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("audio/x-raw"));
static GstStaticPadTemplate video_src_template =
GST_STATIC_PAD_TEMPLATE ("remote_video", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("video/x-raw"));
static GstStaticPadTemplate audio_src_template =
GST_STATIC_PAD_TEMPLATE ("remote_audio", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("audio/x-raw"));

G_DEFINE_FINAL_TYPE (GstSightlineBin, gst_sightline_bin, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE (sightlinebin, "sightlinebin", GST_RANK_NONE,
    GST_TYPE_SIGHTLINE_BIN);

/* ------------------------------------------------------------------ */
/* What the call says: bus messages and signals (the engine's thread)   */

static void
post (GstSightlineBin * self, GstStructure * s)
{
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

static void
set_shown (GstSightlineBin * self, char **field, const char *value, int prop)
{
  GST_OBJECT_LOCK (self);
  g_free (*field);
  *field = g_strdup (value);
  GST_OBJECT_UNLOCK (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

/* "verified", "secured", "failed" or "none", as the command says it. */
static const char *
security_of (SlCall * call)
{
  const GError *error = sl_call_get_error (call);

  if (g_error_matches (error, SL_CALL_ERROR, SL_CALL_ERROR_SECURITY))
    return "failed";
  if (sl_call_was_verified (call))
    return "verified";
  return sl_call_was_secured (call) ? "secured" : "none";
}

static void
show_auth (GstSightlineBin * self, SlCall * call)
{
  const char *security = security_of (call);
  const char *by = sl_call_was_verified (call) ?
      sl_auth_method_to_string (sl_peer_auth_get_method (sl_call_get_auth
          (call))) : "none";
  gboolean changed;

  GST_OBJECT_LOCK (self);
  changed = g_strcmp0 (security, self->security) != 0
      || g_strcmp0 (by, self->authenticated_by) != 0;
  GST_OBJECT_UNLOCK (self);
  if (!changed)
    return;
  set_shown (self, &self->security, security, PROP_SECURITY);
  set_shown (self, &self->authenticated_by, by, PROP_AUTHENTICATED_BY);
  post (self, gst_structure_new ("sightline-auth", "security", G_TYPE_STRING,
          security, "authenticated-by", G_TYPE_STRING, by, NULL));
  g_signal_emit (self, signals[SIGNAL_AUTH_CHANGED], 0, security, by);
}

static void
on_state_changed (SlCall * call, int state, GstSightlineBin * self)
{
  const char *name = sl_call_state_to_string (state);

  GST_INFO_OBJECT (self, "call %s", name);
  set_shown (self, &self->call_state, name, PROP_CALL_STATE);
  post (self, gst_structure_new ("sightline-call-state", "state",
          G_TYPE_STRING, name, "peer", G_TYPE_STRING,
          sl_call_get_peer_id (call), "caller", G_TYPE_BOOLEAN,
          sl_call_is_caller (call), NULL));
  g_signal_emit (self, signals[SIGNAL_CALL_STATE_CHANGED], 0, name);
  show_auth (self, call);
}

static void
on_sas (SlCall * call, const char *sas, GstSightlineBin * self)
{
  set_shown (self, &self->sas, sas, PROP_SAS);
  post (self, gst_structure_new ("sightline-sas", "sas", G_TYPE_STRING, sas,
          "authenticated-by-code", G_TYPE_BOOLEAN,
          sl_peer_auth_get_method (sl_call_get_auth (call)) == SL_AUTH_CODE,
          NULL));
  g_signal_emit (self, signals[SIGNAL_SAS], 0, sas);
}

static void
on_chat (SlCall * call, gint64 id, const char *text, GstSightlineBin * self)
{
  post (self, gst_structure_new ("sightline-chat", "id", G_TYPE_INT64, id,
          "text", G_TYPE_STRING, text, NULL));
  g_signal_emit (self, signals[SIGNAL_CHAT_RECEIVED], 0, id, text);
}

static void
on_chat_acked (SlCall * call, gint64 id, GstSightlineBin * self)
{
  post (self, gst_structure_new ("sightline-chat-acked", "id", G_TYPE_INT64,
          id, NULL));
  g_signal_emit (self, signals[SIGNAL_CHAT_ACKED], 0, id);
}

static void
on_call_added (GstSightlineEngine * engine, SlCall * call,
    GstSightlineBin * self)
{
  GST_OBJECT_LOCK (self);
  self->have_call = TRUE;
  GST_OBJECT_UNLOCK (self);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (call, "sas", G_CALLBACK (on_sas), self);
  g_signal_connect (call, "chat", G_CALLBACK (on_chat), self);
  g_signal_connect (call, "chat-acked", G_CALLBACK (on_chat_acked), self);
}

static void
on_connected (GstSightlineEngine * engine, const char *device,
    GstSightlineBin * self)
{
  post (self, gst_structure_new ("sightline-connected", "device",
          G_TYPE_STRING, device, NULL));
}

static void
on_incoming (GstSightlineEngine * engine, const char *peer,
    GstSightlineBin * self)
{
  post (self, gst_structure_new ("sightline-incoming", "peer", G_TYPE_STRING,
          peer, NULL));
  g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, peer);
}

/* An error the application sees: gst-launch-1.0 prints its message and
 * exits with a failure status.  The call's own error domain and code
 * stay in the message (a program may tell a wrong code from a busy
 * peer). */
static void
post_error (GstSightlineBin * self, const GError * error)
{
  g_autofree char *debug = g_strdup_printf ("%s (%s)",
      error->domain == SL_CALL_ERROR ? sl_call_error_nick (error) :
      g_quark_to_string (error->domain), error->message);

  GST_WARNING_OBJECT (self, "%s", debug);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_error (GST_OBJECT (self), (GError *) error, debug));
}

/* End of stream on the element's streams, from a thread of GStreamer's
 * pool: an input's sink waits for preroll while the pipeline is paused,
 * and the engine's thread must never wait for the application's. */
static void
end_streams_async (GstElement * element, gpointer data)
{
  GstSightlineBin *self = GST_SIGHTLINE_BIN (element);

  gst_sightline_bridge_end (self->bridge);
}

static void
end_streams (GstSightlineBin * self)
{
  gboolean stopping;

  GST_OBJECT_LOCK (self);
  stopping = self->stopping;
  GST_OBJECT_UNLOCK (self);
  /* Leaving PAUSED: the application is taking the pipeline down. */
  if (!stopping)
    gst_element_call_async (GST_ELEMENT (self), end_streams_async, NULL, NULL);
}

static void
on_ended (GstSightlineEngine * engine, SlCall * call, GError * error,
    GstSightlineBin * self)
{
  g_signal_handlers_disconnect_by_data (call, self);
  show_auth (self, call);
  if (error)
    post_error (self, error);
  else
    end_streams (self);
}

static void
on_failed (GstSightlineEngine * engine, GError * error, GstSightlineBin * self)
{
  post_error (self, error);
}

static GstElement *
on_create_element (GstSightlineEngine * engine, const char *role,
    GstSightlineBin * self)
{
  if (g_str_equal (role, "display"))
    return gst_sightline_bridge_make_display (self->bridge);
  if (g_str_equal (role, "video-source"))
    return gst_sightline_bridge_make_capture (self->bridge, "video");
  if (g_str_equal (role, "audio-source"))
    return gst_sightline_bridge_make_capture (self->bridge, "audio");
  return NULL;
}

static void
on_media_stopping (GstSightlineEngine * engine, GstSightlineBin * self)
{
  gst_sightline_bridge_detach (self->bridge);
}

/* An input ended (a streaming thread): that hangs the call up; without a
 * call yet, none will be placed, and the element's streams end. */
static void
on_input_eos (GstSightlineBridge * bridge, GstSightlineBin * self)
{
  gboolean have_call;
  GstSightlineEngine *engine;

  GST_OBJECT_LOCK (self);
  have_call = self->have_call;
  engine = self->engine ? g_object_ref (self->engine) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (engine) {
    gst_sightline_engine_hangup (engine);
    g_object_unref (engine);
  }
  if (!have_call)
    end_streams (self);
}

/* ------------------------------------------------------------------ */
/* Starting and stopping                                                */

static gboolean
start (GstSightlineBin * self)
{
  g_autoptr (GError) error = NULL;
  GstSightlineConfig *config;
  GstSightlineEngine *engine;

  GST_OBJECT_LOCK (self);
  config = gst_sightline_settings_to_config (&self->settings);
  GST_OBJECT_UNLOCK (self);
  if (!config->server || !config->cert || !config->key || !config->ca) {
    gst_sightline_config_free (config);
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("sightlinebin needs "
            "server, cert, key and ca"), (NULL));
    return FALSE;
  }
  /* Harmless when the plugin's own call worked; says what a user gets
   * when another element loaded GStreamer's dtls plugin first. */
  if (!sl_dtls_tuning_install (&error)) {
    GST_ELEMENT_WARNING (self, LIBRARY, INIT, ("%s", error->message),
        ("the fallback: LD_PRELOAD=%s", SL_DTLS_PRELOAD_PATH));
    g_clear_error (&error);
  }
  engine = gst_sightline_engine_new (config);
  g_signal_connect (engine, "connected", G_CALLBACK (on_connected), self);
  g_signal_connect (engine, "call-added", G_CALLBACK (on_call_added), self);
  g_signal_connect (engine, "incoming", G_CALLBACK (on_incoming), self);
  g_signal_connect (engine, "ended", G_CALLBACK (on_ended), self);
  g_signal_connect (engine, "failed", G_CALLBACK (on_failed), self);
  g_signal_connect (engine, "create-element", G_CALLBACK (on_create_element),
      self);
  g_signal_connect (engine, "media-stopping", G_CALLBACK (on_media_stopping),
      self);
  if (!gst_sightline_engine_start (engine, &error)) {
    g_object_unref (engine);
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", error->message),
        (NULL));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->engine = engine;
  self->have_call = FALSE;
  self->stopping = FALSE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* Hangs the call up and waits for its end: its keys are wiped before the
 * element leaves PAUSED. */
static void
stop (GstSightlineBin * self)
{
  GstSightlineEngine *engine;

  GST_OBJECT_LOCK (self);
  engine = g_steal_pointer (&self->engine);
  self->stopping = engine != NULL;
  GST_OBJECT_UNLOCK (self);
  if (engine == NULL)
    return;
  gst_sightline_engine_stop (engine);
  g_signal_handlers_disconnect_by_data (engine, self);
  g_object_unref (engine);
  gst_sightline_bridge_detach (self->bridge);
}

static GstStateChangeReturn
gst_sightline_bin_change_state (GstElement * element, GstStateChange transition)
{
  GstSightlineBin *self = GST_SIGHTLINE_BIN (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start (self))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    stop (self);
  ret = GST_ELEMENT_CLASS (gst_sightline_bin_parent_class)->change_state
      (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    stop (self);
    return ret;
  }
  /* The peer's media is live: nothing to preroll. */
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED
      || transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED)
    ret = GST_STATE_CHANGE_NO_PREROLL;
  return ret;
}

/* ------------------------------------------------------------------ */
/* Pads                                                                 */

static GstPad *
gst_sightline_bin_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const char *name, const GstCaps * caps)
{
  GstSightlineBin *self = GST_SIGHTLINE_BIN (element);

  return gst_sightline_bridge_add_input (self->bridge,
      GST_PAD_TEMPLATE_NAME_TEMPLATE (templ), templ);
}

static void
gst_sightline_bin_release_pad (GstElement * element, GstPad * pad)
{
  GstSightlineBin *self = GST_SIGHTLINE_BIN (element);

  gst_sightline_bridge_remove_input (self->bridge, pad);
}

/* ------------------------------------------------------------------ */
/* Action signals: any thread                                           */

static GstSightlineEngine *
engine_of (GstSightlineBin * self)
{
  GstSightlineEngine *engine;

  GST_OBJECT_LOCK (self);
  engine = self->engine ? g_object_ref (self->engine) : NULL;
  GST_OBJECT_UNLOCK (self);
  return engine;
}

static void
action_hangup (GstSightlineBin * self)
{
  g_autoptr (GstSightlineEngine) engine = engine_of (self);

  if (engine)
    gst_sightline_engine_hangup (engine);
}

static void
action_accept (GstSightlineBin * self)
{
  g_autoptr (GstSightlineEngine) engine = engine_of (self);

  if (engine)
    gst_sightline_engine_accept (engine, TRUE);
}

static void
action_reject (GstSightlineBin * self)
{
  g_autoptr (GstSightlineEngine) engine = engine_of (self);

  if (engine)
    gst_sightline_engine_accept (engine, FALSE);
}

static void
action_confirm_sas (GstSightlineBin * self, gboolean match)
{
  g_autoptr (GstSightlineEngine) engine = engine_of (self);

  if (engine)
    gst_sightline_engine_confirm_sas (engine, match);
}

static void
action_send_chat (GstSightlineBin * self, const char *text)
{
  g_autoptr (GstSightlineEngine) engine = engine_of (self);

  if (engine && text)
    gst_sightline_engine_send_chat (engine, text);
}

/* ------------------------------------------------------------------ */
/* Properties                                                           */

static void
gst_sightline_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSightlineBin *self = GST_SIGHTLINE_BIN (object);
  gboolean known;

  GST_OBJECT_LOCK (self);
  known = gst_sightline_settings_set (&self->settings, prop_id, value);
  GST_OBJECT_UNLOCK (self);
  if (!known)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else
    g_object_notify_by_pspec (object, pspec);
}

static void
gst_sightline_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSightlineBin *self = GST_SIGHTLINE_BIN (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CALL_STATE:
      g_value_set_string (value, self->call_state);
      break;
    case PROP_SAS:
      g_value_set_string (value, self->sas);
      break;
    case PROP_SECURITY:
      g_value_set_string (value, self->security);
      break;
    case PROP_AUTHENTICATED_BY:
      g_value_set_string (value, self->authenticated_by);
      break;
    default:
      if (!gst_sightline_settings_get (&self->settings, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_sightline_bin_dispose (GObject * object)
{
  GstSightlineBin *self = GST_SIGHTLINE_BIN (object);

  stop (self);

  /* Releases the request pads through the bridge: it goes in finalize. */
  G_OBJECT_CLASS (gst_sightline_bin_parent_class)->dispose (object);
}

static void
gst_sightline_bin_finalize (GObject * object)
{
  GstSightlineBin *self = GST_SIGHTLINE_BIN (object);

  g_clear_object (&self->bridge);
  gst_sightline_settings_clear (&self->settings);
  g_free (self->call_state);
  g_free (self->sas);
  g_free (self->security);
  g_free (self->authenticated_by);

  G_OBJECT_CLASS (gst_sightline_bin_parent_class)->finalize (object);
}

#define SHOWN (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | \
    G_PARAM_EXPLICIT_NOTIFY)

static void
install_properties (GObjectClass * object_class)
{
  guint i;

  props[PROP_CALL_STATE] = g_param_spec_string ("call-state", "Call state",
      "idle, preparing, inviting, ringing, securing, connecting, secured, "
      "verified or ended", "idle", SHOWN);
  props[PROP_SAS] = g_param_spec_string ("sas", "SAS",
      "The short authentication string to compare aloud, once the keys "
      "are agreed", NULL, SHOWN);
  props[PROP_SECURITY] = g_param_spec_string ("security", "Security",
      "none, secured (keys agreed and media bound, the peer not "
      "authenticated), verified, or failed", "none", SHOWN);
  props[PROP_AUTHENTICATED_BY] = g_param_spec_string ("authenticated-by",
      "Authenticated by", "What authenticated the peer: none, code, sas or "
      "continuity", "none", SHOWN);
  gst_sightline_settings_install (object_class);
  for (i = PROP_CALL_STATE; i < N_PROPS; i++)
    g_object_class_install_property (object_class, i, props[i]);
}

static void
install_signals (GObjectClass * object_class)
{
  GType type = G_TYPE_FROM_CLASS (object_class);

  /* (state) the call's state, as "call-state". */
  signals[SIGNAL_CALL_STATE_CHANGED] = g_signal_new ("call-state-changed",
      type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_STRING);
  /* (sas) the short authentication string. */
  signals[SIGNAL_SAS] = g_signal_new ("sas", type, G_SIGNAL_RUN_LAST, 0, NULL,
      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (security, authenticated-by) as the properties. */
  signals[SIGNAL_AUTH_CHANGED] = g_signal_new ("auth-changed", type,
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
      G_TYPE_STRING);
  /* (peer) a call rings. */
  signals[SIGNAL_INCOMING_CALL] = g_signal_new ("incoming-call", type,
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (id, text) a chat message from the peer. */
  signals[SIGNAL_CHAT_RECEIVED] = g_signal_new ("chat-received", type,
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64,
      G_TYPE_STRING);
  /* (id) the peer received our chat message @id. */
  signals[SIGNAL_CHAT_ACKED] = g_signal_new ("chat-acked", type,
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* Actions. */
  signals[SIGNAL_HANGUP] = g_signal_new_class_handler ("hangup", type,
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (action_hangup), NULL,
      NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ACCEPT] = g_signal_new_class_handler ("accept", type,
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (action_accept), NULL,
      NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_REJECT] = g_signal_new_class_handler ("reject", type,
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (action_reject), NULL,
      NULL, NULL, G_TYPE_NONE, 0);
  /* (match) the user compared the SAS aloud. */
  signals[SIGNAL_CONFIRM_SAS] = g_signal_new_class_handler ("confirm-sas",
      type, G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (action_confirm_sas), NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_BOOLEAN);
  /* (text) a chat message for the peer. */
  signals[SIGNAL_SEND_CHAT] = g_signal_new_class_handler ("send-chat", type,
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (action_send_chat), NULL,
      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gst_sightline_bin_class_init (GstSightlineBinClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_sightline_bin_debug, "sightlinebin", 0,
      "Sightline calls in a pipeline");

  object_class->set_property = gst_sightline_bin_set_property;
  object_class->get_property = gst_sightline_bin_get_property;
  object_class->dispose = gst_sightline_bin_dispose;
  object_class->finalize = gst_sightline_bin_finalize;
  element_class->change_state = gst_sightline_bin_change_state;
  element_class->request_new_pad = gst_sightline_bin_request_new_pad;
  element_class->release_pad = gst_sightline_bin_release_pad;
  install_properties (object_class);
  install_signals (object_class);

  gst_element_class_add_static_pad_template (element_class,
      &video_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &audio_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &video_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &audio_src_template);
  gst_element_class_set_static_metadata (element_class, "Sightline call",
      "Source/Sink/Network", "Places or takes one end-to-end secured "
      "Sightline call: sends what its inputs receive, outputs what the "
      "other device sends", "Sightline developers");
  gst_type_mark_as_plugin_api (GST_TYPE_SIGHTLINE_CODEC, 0);
}

static void
gst_sightline_bin_init (GstSightlineBin * self)
{
  gst_sightline_settings_init (&self->settings);
  self->call_state = g_strdup ("idle");
  self->security = g_strdup ("none");
  self->authenticated_by = g_strdup ("none");
  self->bridge = gst_sightline_bridge_new (GST_ELEMENT (self));
  g_signal_connect (self->bridge, "input-eos", G_CALLBACK (on_input_eos), self);
}
