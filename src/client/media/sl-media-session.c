/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One call's media: a pipeline around webrtcbin with video and Opus audio
 * both ways and a data channel.  SDP and ICE candidates go in and out as
 * strings through signals so that the call layer can seal them; nothing
 * here waits for ICE gathering, every candidate is trickled.
 *
 * Threads: webrtcbin signals, promise replies and pad probes arrive on
 * GStreamer threads.  They only touch immutable fields, atomics and the
 * fields under @lock, and hop to the session's main context (an idle
 * source, never run in place) for everything else.  The hop holds a
 * SlMediaLink, not the session, so a late reply after the session is gone
 * is dropped instead of reviving it on a streaming thread.
 *
 * Received media passes a closed valve ("gate") until the call layer has
 * verified the DTLS fingerprints and the binding MAC: a call that fails
 * verification never renders a frame.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-session-private.h"
#include "sl-media-branches.h"
#include "sl-dtls-fingerprint.h"
#include "sl-dtls-guard.h"
#include "sightline/sl-media-error.h"

#include <string.h>

#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>

static guint signals[SL_MEDIA_N_SIGNALS];

G_DEFINE_TYPE (SlMediaSession, sl_media_session, G_TYPE_OBJECT);

/* For the other files of the session (sl-media-*.c). */
void
sl_media_session_emit (SlMediaSession * self, SlMediaSignal signal, ...)
{
  va_list args;

  va_start (args, signal);
  g_signal_emit_valist (self, signals[signal], 0, args);
  va_end (args);
}

/* ------------------------------------------------------------------ */
/* Negotiation                                                          */

typedef struct
{
  char *type;
  char *sdp;
} LocalDescription;

static void
local_description_free (gpointer data)
{
  LocalDescription *d = data;

  g_free (d->type);
  g_free (d->sdp);
  g_free (d);
}

static void
local_description_main (SlMediaSession * self, gpointer data)
{
  LocalDescription *d = data;
  g_autoptr (GError) error = NULL;

  g_debug ("local %s ready", d->type);

  g_free (self->local_fingerprint);
  self->local_fingerprint = sl_dtls_fingerprint_from_sdp (d->sdp, &error);
  if (self->local_fingerprint == NULL) {
    sl_media_fail_main (self, error);
    return;
  }
  g_signal_emit (self, signals[SL_MEDIA_SIGNAL_LOCAL_DESCRIPTION], 0, d->type,
      d->sdp);
}

static void
on_description_created (GstPromise * promise, gpointer user_data)
{
  PromiseCtx *ctx = user_data;
  SlMediaLink *link = ctx->link;
  gboolean offer = ctx->flag;
  const char *field = offer ? "offer" : "answer";
  const GstStructure *reply = NULL;
  GstWebRTCSessionDescription *desc = NULL;
  GstElement *webrtc;
  LocalDescription *d;

  g_debug ("description created (offer: %d)", offer);
  if (!sl_media_promise_ok (promise, link,
          offer ? "create-offer" : "create-answer", &reply) || reply == NULL) {
    return;
  }
  gst_structure_get (reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      &desc, NULL);
  webrtc = ctx->webrtc;
  if (desc != NULL && g_atomic_int_get (&link->closing)) {
    gst_webrtc_session_description_free (desc);
    return;
  }
  if (desc == NULL) {
    sl_media_fail_later (link, SL_MEDIA_ERROR_FAILED,
        g_strdup_printf ("webrtcbin made no %s", field));
    return;
  }
  {
    GstPromise *set = sl_media_checked_promise (link,
        "set-local-description");

    g_signal_emit_by_name (webrtc, "set-local-description", desc, set);
    gst_promise_unref (set);
  }
  d = g_new0 (LocalDescription, 1);
  d->type = g_strdup (field);
  d->sdp = gst_sdp_message_as_text (desc->sdp);
  gst_webrtc_session_description_free (desc);
  sl_media_hop (link, local_description_main, d, local_description_free);
}

static void
create_description (SlMediaSession * self, gboolean offer)
{
  GstPromise *promise;

  promise =
      sl_media_promise_new (on_description_created, self->link, self->webrtc,
      NULL, offer);
  g_signal_emit_by_name (self->webrtc, offer ? "create-offer" : "create-answer",
      NULL, promise);
  gst_promise_unref (promise);
}

static void
on_remote_set (GstPromise * promise, gpointer user_data)
{
  PromiseCtx *ctx = user_data;
  GstPromise *next;

  g_debug ("remote description set (answer next: %d)", ctx->flag);

  if (sl_media_promise_ok (promise, ctx->link, "set-remote-description", NULL)
      && ctx->flag && !g_atomic_int_get (&ctx->link->closing)) {
    next = sl_media_promise_new (on_description_created, ctx->link, ctx->webrtc,
        NULL, FALSE);
    g_signal_emit_by_name (ctx->webrtc, "create-answer", NULL, next);
    gst_promise_unref (next);
  }
}

typedef struct
{
  guint mline;
  char *candidate;
} Candidate;

static void
candidate_free (gpointer data)
{
  Candidate *c = data;

  g_free (c->candidate);
  g_free (c);
}

static void
local_candidate_main (SlMediaSession * self, gpointer data)
{
  Candidate *c = data;

  g_signal_emit (self, signals[SL_MEDIA_SIGNAL_LOCAL_CANDIDATE], 0, c->mline,
      c->candidate);
}

static void
on_ice_candidate (GstElement * webrtc, guint mline, const char *candidate,
    SlMediaSession * self)
{
  Candidate *c;

  g_debug ("local candidate for m-line %u", mline);
  if (candidate == NULL || !*candidate)
    return;
  c = g_new0 (Candidate, 1);
  c->mline = mline;
  c->candidate = g_strdup (candidate);
  sl_media_hop (self->link, local_candidate_main, c, candidate_free);
}

/* ------------------------------------------------------------------ */
/* Bus                                                                  */

static gboolean
on_bus_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  SlMediaSession *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, &debug);
      g_debug ("pipeline error from %s: %s (%s)",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message,
          debug ? debug : "");
      {
        g_autoptr (GError) media = g_error_new (SL_MEDIA_ERROR,
            SL_MEDIA_ERROR_FAILED, "Media pipeline error in %s: %s",
            GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message);
        sl_media_fail_main (self, media);
      }
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (message, &error, &debug);
      g_debug ("pipeline warning from %s: %s",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */
/* Construction                                                         */

static gboolean
link_to_webrtc (SlMediaSession * self, GstElement * branch, GError ** error)
{
  g_autoptr (GstPad) src = gst_element_get_static_pad (branch, "src");
  g_autoptr (GstPad) sink = NULL;

  gst_bin_add (GST_BIN (self->pipeline), branch);
  sink = gst_element_request_pad_simple (self->webrtc, "sink_%u");
  if (sink == NULL || GST_PAD_LINK_FAILED (gst_pad_link (src, sink))) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Cannot link %s to webrtcbin", GST_OBJECT_NAME (branch));
    return FALSE;
  }
  return TRUE;
}

static gboolean
add_send_branches (SlMediaSession * self, GError ** error)
{
  GstElement *video, *audio;
  GstElement *branches[3] = { NULL, };
  g_autoptr (GstElement) mark = NULL;

  video = sl_media_make_video_send (self->opts, self->codec, error);
  if (video == NULL)
    return FALSE;
  audio = sl_media_make_audio_send (self->opts, error);
  if (audio == NULL) {
    gst_object_unref (gst_object_ref_sink (video));
    return FALSE;
  }
  branches[0] = video;
  branches[1] = audio;
  sl_media_tune_send_pacing (self, branches);
  if (!link_to_webrtc (self, video, error)) {
    gst_object_unref (gst_object_ref_sink (audio));
    return FALSE;
  }
  self->video_send = gst_object_ref (video);
  if (!sl_media_goggles_link_camera (self, video, error)) {
    gst_object_unref (gst_object_ref_sink (audio));
    return FALSE;
  }
  mark = gst_bin_get_by_name (GST_BIN (video), SL_BRANCH_MARK);
  if (mark)
    sl_media_add_probe (mark, "sink", sl_media_on_mark_buffer, self);
  if (!link_to_webrtc (self, audio, error))
    return FALSE;
  if (self->started) {
    gst_element_sync_state_with_parent (video);
    gst_element_sync_state_with_parent (audio);
  }
  return TRUE;
}

static gboolean
build_pipeline (SlMediaSession * self, GError ** error)
{
  g_autoptr (GstBus) bus = NULL;

  sl_dtls_guard_install ();
  self->pipeline = gst_pipeline_new ("sightline-call");
  self->webrtc = gst_element_factory_make ("webrtcbin", "webrtc");
  if (self->webrtc == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "webrtcbin is missing (gstreamer1.0-plugins-bad, gstreamer1.0-nice)");
    return FALSE;
  }
  gst_object_ref (self->webrtc);
  gst_bin_add (GST_BIN (self->pipeline), self->webrtc);
  g_object_set (self->webrtc, "bundle-policy",
      GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, NULL);
  if (!self->opts->stock)
    g_object_set (self->webrtc, "latency", self->opts->latency_ms, NULL);
  if (!sl_media_restrict_ice (self, error))
    return FALSE;
  sl_media_tune_webrtc (self);

  g_signal_connect (self->webrtc, "on-ice-candidate",
      G_CALLBACK (on_ice_candidate), self);
  g_signal_connect (self->webrtc, "notify::connection-state",
      G_CALLBACK (sl_media_on_connection_state), self);
  g_signal_connect (self->webrtc, "on-data-channel",
      G_CALLBACK (sl_media_on_data_channel), self);
  g_signal_connect (self->webrtc, "pad-added",
      G_CALLBACK (sl_media_on_pad_added), self);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  if (self->opts->mark_frames)
    gst_bus_set_sync_handler (bus, sl_media_on_bus_sync, self, NULL);
  if (!sl_media_goggles_build (self, error))
    return FALSE;

  /* The offerer's branches exist before the offer; the answerer's are
   * built once the offer tells which video codec was chosen. */
  if (self->offerer && !add_send_branches (self, error))
    return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

/**
 * sl_media_session_new:
 * @opts: media options (copied)
 * @offerer: %TRUE for the side that makes the SDP offer (the caller)
 * @codec: the video codec the offerer sends; ignored by the answerer,
 *   which follows the offer
 * @error: set when the pipeline cannot be built
 *
 * Builds the pipeline on the calling thread's default main context, which
 * is where every signal of the session is emitted.
 *
 * Returns: (transfer full): a new session, or %NULL
 */
SlMediaSession *
sl_media_session_new (const SlMediaOptions * opts, gboolean offerer,
    SlVideoCodec codec, GError ** error)
{
  g_autoptr (SlMediaSession) self = NULL;

  g_return_val_if_fail (opts != NULL, NULL);

  self = g_object_new (SL_TYPE_MEDIA_SESSION, NULL);
  self->opts = sl_media_options_copy (opts);
  self->offerer = offerer;
  self->codec = codec;
#ifdef SL_TEST_HOOKS
  self->corrupt_fingerprint =
      g_getenv ("SL_TEST_CORRUPT_DTLS_FINGERPRINT") != NULL;
#endif
  if (offerer && !sl_video_codec_available (codec)) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "The %s elements are missing", sl_video_codec_to_string (codec));
    return NULL;
  }
  if (!build_pipeline (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sl_media_session_start:
 * @self: a session
 * @error: set when the pipeline does not start
 *
 * Starts the pipeline; the offerer also opens the data channel and makes
 * the offer ("local-description" follows).
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_session_start (SlMediaSession * self, GError ** error)
{
  g_return_val_if_fail (SL_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);

  self->started = TRUE;
  self->started_us = g_get_monotonic_time ();
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "The media pipeline does not start (camera or microphone busy?)");
    return FALSE;
  }
  self->stats_timer =
      g_timeout_add (STATS_INTERVAL_MS, sl_media_on_stats_tick, self);
  if (self->offerer) {
    g_signal_emit_by_name (self->webrtc, "create-data-channel", "sightline",
        NULL, &self->channel);
    if (self->channel == NULL) {
      g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
          "Cannot create the data channel");
      return FALSE;
    }
    sl_media_watch_channel (self, self->channel);
    create_description (self, TRUE);
  }
  return TRUE;
}

/**
 * sl_media_session_set_remote_description:
 * @self: a session
 * @sdp: the peer's offer (answerer) or answer (offerer), already opened
 *   from its sealed record
 * @error: set when the SDP does not parse or lacks a SHA-256 fingerprint
 *
 * The answerer answers with "local-description".
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_session_set_remote_description (SlMediaSession * self,
    const char *sdp, GError ** error)
{
  GstSDPMessage *msg = NULL;
  GstWebRTCSessionDescription *desc;
  GstPromise *promise;
  char *fingerprint;

  g_return_val_if_fail (SL_IS_MEDIA_SESSION (self), FALSE);

  if (self->remote_fingerprint != NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL,
        "The other device sent a second session description");
    return FALSE;
  }
  fingerprint = sl_dtls_fingerprint_from_sdp (sdp, error);
  if (fingerprint == NULL)
    return FALSE;
  if (gst_sdp_message_new_from_text (sdp, &msg) != GST_SDP_OK) {
    g_free (fingerprint);
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL,
        "The session description does not parse");
    return FALSE;
  }
  self->remote_fingerprint = fingerprint;

  if (!self->offerer) {
    gboolean found = FALSE;

    self->codec = sl_media_codec_from_sdp (sdp, &found);
    if (!found) {
      gst_sdp_message_free (msg);
      g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
          "The other device offers no video codec this client can use");
      return FALSE;
    }
    if (!add_send_branches (self, error)) {
      gst_sdp_message_free (msg);
      return FALSE;
    }
  }

  desc = gst_webrtc_session_description_new (self->offerer ?
      GST_WEBRTC_SDP_TYPE_ANSWER : GST_WEBRTC_SDP_TYPE_OFFER, msg);
  promise = sl_media_promise_new (on_remote_set, self->link, self->webrtc, NULL,
      !self->offerer);
  g_signal_emit_by_name (self->webrtc, "set-remote-description", desc, promise);
  gst_promise_unref (promise);
  gst_webrtc_session_description_free (desc);
  return TRUE;
}

/**
 * sl_media_session_add_remote_candidate:
 * @self: a session
 * @mline: the m-line index the candidate belongs to
 * @candidate: an "candidate:..." attribute value from the peer
 * @error: set when the candidate is not plausible
 *
 * Returns: %TRUE when the candidate was handed to ICE
 */
gboolean
sl_media_session_add_remote_candidate (SlMediaSession * self, guint mline,
    const char *candidate, GError ** error)
{
  g_return_val_if_fail (SL_IS_MEDIA_SESSION (self), FALSE);

  if (candidate == NULL || !g_str_has_prefix (candidate, "candidate:")
      || strlen (candidate) > 1024 || mline > 16
      || strpbrk (candidate, "\r\n") != NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL,
        "The other device sent an invalid ICE candidate");
    return FALSE;
  }
  g_signal_emit_by_name (self->webrtc, "add-ice-candidate", mline, candidate);
  return TRUE;
}

/**
 * sl_media_session_send_text:
 * @self: a session
 * @text: a message for the data channel
 * @error: set when the channel is not open
 *
 * Returns: %TRUE when queued
 */
gboolean
sl_media_session_send_text (SlMediaSession * self, const char *text,
    GError ** error)
{
  GstWebRTCDataChannelState state = GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED;

  g_return_val_if_fail (SL_IS_MEDIA_SESSION (self), FALSE);

  if (self->channel)
    g_object_get (self->channel, "ready-state", &state, NULL);
  if (state != GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CLOSED,
        "The data channel is not open");
    return FALSE;
  }
  if (!gst_webrtc_data_channel_send_string_full (self->channel, text, error))
    return FALSE;
  return TRUE;
}

/**
 * sl_media_session_open_gates:
 * @self: a session
 *
 * Lets received media through to the sinks.  Only after the DTLS
 * fingerprint matched; the call layer calls this once the binding MAC is
 * verified too.
 */
void
sl_media_session_open_gates (SlMediaSession * self)
{
  guint i;

  g_return_if_fail (SL_IS_MEDIA_SESSION (self));

  if (!self->dtls_ok || self->failed)
    return;
  g_mutex_lock (&self->lock);
  self->gates_open = TRUE;
  for (i = 0; i < self->gates->len; i++)
    g_object_set (g_ptr_array_index (self->gates, i), "drop", FALSE, NULL);
  g_mutex_unlock (&self->lock);
  sl_media_session_request_keyframe (self);
  GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (self->pipeline),
      GST_DEBUG_GRAPH_SHOW_ALL, "sightline-verified");
}

/**
 * sl_media_session_request_keyframe:
 * @self: a session
 *
 * Asks our video encoder for a keyframe, so that the peer can start
 * decoding without waiting for the next periodic one.
 */
void
sl_media_session_request_keyframe (SlMediaSession * self)
{
  g_autoptr (GstElement) encoder = NULL;

  if (self->video_send == NULL)
    return;
  encoder = gst_bin_get_by_name (GST_BIN (self->video_send), SL_BRANCH_ENCODER);
  if (encoder)
    gst_element_send_event (encoder,
        gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
            TRUE, 0));
}

/**
 * sl_media_session_get_local_fingerprint:
 *
 * Returns: (nullable): our DTLS fingerprint from our SDP
 */
const char *
sl_media_session_get_local_fingerprint (SlMediaSession * self)
{
  return self->local_fingerprint;
}

/**
 * sl_media_session_get_remote_fingerprint:
 *
 * Returns: (nullable): the fingerprint in the peer's (decrypted) SDP
 */
const char *
sl_media_session_get_remote_fingerprint (SlMediaSession * self)
{
  return self->remote_fingerprint;
}

SlVideoCodec
sl_media_session_get_codec (SlMediaSession * self)
{
  return self->codec;
}

/**
 * sl_media_session_stop:
 * @self: a session
 *
 * Tears the pipeline down and waits for its threads; no signal is emitted
 * afterwards.  Safe to call more than once.
 */
void
sl_media_session_stop (SlMediaSession * self)
{
  g_return_if_fail (SL_IS_MEDIA_SESSION (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->stats_timer, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->channel) {
    g_signal_handlers_disconnect_by_data (self->channel, self);
    gst_webrtc_data_channel_close (self->channel);
  }
  if (self->webrtc)
    g_signal_handlers_disconnect_by_data (self->webrtc, self);
  if (self->pipeline) {
    g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE
        (self->pipeline));

    GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (self->pipeline),
        GST_DEBUG_GRAPH_SHOW_ALL, "sightline-end");
    sl_media_goggles_release (self);
    /* Only a started webrtcbin runs the thread that answers. */
    if (self->webrtc && self->started)
      sl_media_link_drain (self->link, self->webrtc);
    if (self->webrtc)
      sl_media_hand_back_ice (self);
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
    gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  }
}

/* ------------------------------------------------------------------ */

static void
sl_media_session_dispose (GObject * object)
{
  SlMediaSession *self = SL_MEDIA_SESSION (object);

  if (self->link)
    self->link->self = NULL;
  sl_media_session_stop (self);
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->gates, 0);
  g_clear_pointer (&self->snapshot, gst_object_unref);
  g_mutex_unlock (&self->lock);
  g_clear_object (&self->channel);
  g_clear_pointer (&self->video_send, gst_object_unref);
  g_clear_pointer (&self->view_bin, gst_object_unref);
  g_clear_pointer (&self->webrtc, gst_object_unref);
  g_clear_pointer (&self->pipeline, gst_object_unref);

  G_OBJECT_CLASS (sl_media_session_parent_class)->dispose (object);
}

static void
sl_media_session_finalize (GObject * object)
{
  SlMediaSession *self = SL_MEDIA_SESSION (object);

  g_clear_pointer (&self->link, sl_media_link_unref);
  g_clear_pointer (&self->opts, sl_media_options_free);
  g_free (self->local_fingerprint);
  g_free (self->remote_fingerprint);
  g_ptr_array_unref (self->gates);
  g_array_unref (self->latencies);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sl_media_session_parent_class)->finalize (object);
}

static void
sl_media_session_class_init (SlMediaSessionClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_media_session_dispose;
  object_class->finalize = sl_media_session_finalize;

  /* (type "offer"|"answer", sdp): seal and send to the peer. */
  signals[SL_MEDIA_SIGNAL_LOCAL_DESCRIPTION] =
      g_signal_new ("local-description", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
      G_TYPE_STRING);
  /* (mline, candidate): seal and send, one record per candidate. */
  signals[SL_MEDIA_SIGNAL_LOCAL_CANDIDATE] = g_signal_new ("local-candidate",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /* DTLS is up and the peer's certificate matches its SDP fingerprint. */
  signals[SL_MEDIA_SIGNAL_DTLS_VERIFIED] = g_signal_new ("dtls-verified",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SL_MEDIA_SIGNAL_CHANNEL_OPEN] = g_signal_new ("channel-open",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SL_MEDIA_SIGNAL_CHANNEL_MESSAGE] = g_signal_new ("channel-message",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SL_MEDIA_SIGNAL_CHANNEL_CLOSED] = g_signal_new ("channel-closed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (monotonic time in µs) the first remote video frame was rendered. */
  signals[SL_MEDIA_SIGNAL_FIRST_FRAME] = g_signal_new ("first-frame",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (GError) the media failed; emitted once. */
  signals[SL_MEDIA_SIGNAL_FAILED] = g_signal_new ("failed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sl_media_session_init (SlMediaSession * self)
{
  g_mutex_init (&self->lock);
  self->gates = g_ptr_array_new_with_free_func (gst_object_unref);
  self->latencies = g_array_new (FALSE, FALSE, sizeof (double));
  self->first_frame_us = -1;
  self->net.rtt_ms = -1;
  self->started_us = -1;
  self->connected_us = -1;
  self->link = g_new0 (SlMediaLink, 1);
  g_atomic_ref_count_init (&self->link->rc);
  self->link->self = self;
  self->link->context = g_main_context_ref_thread_default ();
}
