/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One call's media: a pipeline around webrtcbin with video and Opus audio
 * both ways and a data channel.  SDP and ICE candidates go in and out as
 * strings through signals so that the call layer can seal them; nothing
 * here waits for ICE gathering, every candidate is trickled.  The session
 * negotiates and checks the peer's DTLS certificate; its parts do the
 * rest: received streams (SlMediaReceiver), statistics (SlMediaMeter), the
 * data channel (SlMediaChannel), and helpers for the branches, ICE,
 * transport and tuning that never name a session.
 *
 * Threads: webrtcbin signals and promise replies arrive on GStreamer
 * threads.  They only touch immutable fields and hop to the session's
 * main context (SlMediaLink) for everything else.
 *
 * Received media passes a closed valve ("gate") until the call layer has
 * verified the DTLS fingerprints and the binding MAC: a call that fails
 * verification never renders a frame.  Programs bring their own elements
 * (SlMediaElements): a display bin that shows or passes on what is
 * received, and captures to send; the session links them and never
 * knows what they are.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-session.h"
#include "sl-media-branches.h"
#include "sl-media-channel.h"
#include "sl-media-ice.h"
#include "sl-media-link.h"
#include "sl-media-meter.h"
#include "sl-media-negotiator.h"
#include "sl-media-receiver.h"
#include "sl-media-sender.h"
#include "sl-media-transport.h"
#include "sl-media-tuning.h"
#include "sightline/sl-dtls-guard.h"
#include "sightline/sl-media-error.h"

#include <string.h>

#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>

struct _SlMediaSession
{
  GObject parent_instance;

  SlMediaOptions *opts;
  gboolean offerer;
  SlVideoCodec codec;
  SlMediaLink *link;

  GstElement *pipeline;
  GstElement *webrtc;
  GstElement *display;
  GstElement *video_source;     /* until the sender takes it */
  GstElement *audio_source;
  SlMediaNegotiator *negotiator;
  SlMediaSender *sender;
  SlMediaReceiver *receiver;
  SlMediaMeter *meter;
  SlMediaChannel *channel;
  gboolean bus_watch;           /* on the thread-default context */
  gboolean started;
  gboolean stopping;
  gboolean stopped;
  gboolean failed;

  gboolean dtls_checked;
  gboolean dtls_ok;
  gint64 started_us;
  gint64 connected_us;
};

enum
{
  SIGNAL_LOCAL_DESCRIPTION,
  SIGNAL_LOCAL_CANDIDATE,
  SIGNAL_DTLS_VERIFIED,
  SIGNAL_FIRST_FRAME,
  SIGNAL_FAILED,
  SIGNAL_STOPPING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlMediaSession, sl_media_session, G_TYPE_OBJECT);

static void
fail_main (gpointer target, const GError * error)
{
  SlMediaSession *self = target;

  if (self->failed)
    return;
  self->failed = TRUE;
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

/* ------------------------------------------------------------------ */
/* Negotiation                                                          */

static void
on_local_description (SlMediaNegotiator * negotiator, const char *type,
    const char *sdp, SlMediaSession * self)
{
  g_signal_emit (self, signals[SIGNAL_LOCAL_DESCRIPTION], 0, type, sdp);
}

static void
on_local_candidate (SlMediaNegotiator * negotiator, guint mline,
    const char *candidate, SlMediaSession * self)
{
  g_signal_emit (self, signals[SIGNAL_LOCAL_CANDIDATE], 0, mline, candidate);
}

static void
on_negotiator_failed (SlMediaNegotiator * negotiator, GError * error,
    SlMediaSession * self)
{
  fail_main (self, error);
}

/* ------------------------------------------------------------------ */
/* Connection and DTLS fingerprint check                                */

static void
check_peer (SlMediaSession * self)
{
  g_autoptr (GError) error = NULL;

  self->dtls_checked = TRUE;
  if (!sl_media_transport_check_peer (self->webrtc,
          sl_media_negotiator_get_remote_fingerprint (self->negotiator),
          &error)) {
    fail_main (self, error);
    return;
  }
  self->dtls_ok = TRUE;
  self->connected_us = g_get_monotonic_time ();
  GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (self->pipeline),
      GST_DEBUG_GRAPH_SHOW_ALL, "sightline-connected");
  sl_media_session_request_keyframe (self);
  g_signal_emit (self, signals[SIGNAL_DTLS_VERIFIED], 0);
}

static void
connection_state_main (gpointer target, gpointer data)
{
  SlMediaSession *self = target;
  GstWebRTCPeerConnectionState state = GPOINTER_TO_INT (data);

  g_debug ("%s: connection state %d", self->offerer ? "offerer" : "answerer",
      state);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED
      && !self->dtls_checked
      && sl_media_negotiator_get_remote_fingerprint (self->negotiator)) {
    check_peer (self);
  } else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) {
    g_autoptr (GError) error = g_error_new_literal (SL_MEDIA_ERROR,
        SL_MEDIA_ERROR_FAILED, "The media connection (ICE/DTLS) failed");
    fail_main (self, error);
  }
}

static void
on_connection_state (GObject * webrtc, GParamSpec * pspec,
    SlMediaSession * self)
{
  GstWebRTCPeerConnectionState state;

  g_object_get (webrtc, "connection-state", &state, NULL);
  sl_media_link_hop (self->link, connection_state_main,
      GINT_TO_POINTER (state), NULL);
}

/* Streaming thread: the branch must be linked before the pad pushes, so
 * this cannot hop to the main context first. */
static void
on_pad_added (GstElement * webrtc, GstPad * pad, SlMediaSession * self)
{
  g_autoptr (GError) error = NULL;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  if (!sl_media_receiver_add_stream (self->receiver, pad, &error))
    sl_media_link_fail_later (self->link, error->code,
        g_strdup (error->message));
}

/* ------------------------------------------------------------------ */
/* Data channel and first frame                                         */

static void
on_channel_open (SlMediaChannel * channel, SlMediaSession * self)
{
  /* The first moment both ends are known to have their keys: the peer can
   * decode from a keyframe sent now (sl-media-tuning.c). */
  sl_media_session_request_keyframe (self);
}

static void
on_first_frame (SlMediaReceiver * receiver, gint64 when, SlMediaSession * self)
{
  g_signal_emit (self, signals[SIGNAL_FIRST_FRAME], 0, when);
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
    case GST_MESSAGE_ERROR:{
      g_autoptr (GError) media = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_debug ("pipeline error from %s: %s (%s)",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message,
          debug ? debug : "");
      media = g_error_new (SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
          "Media pipeline error in %s: %s",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message);
      fail_main (self, media);
      break;
    }
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
  if (!sl_media_ice_restrict (self->webrtc, self->opts, error))
    return FALSE;
  if (!self->opts->stock)
    sl_media_tune_webrtc (self->webrtc);

  self->negotiator = sl_media_negotiator_new (self->webrtc, self->offerer);
  g_signal_connect (self->negotiator, "local-description",
      G_CALLBACK (on_local_description), self);
  g_signal_connect (self->negotiator, "local-candidate",
      G_CALLBACK (on_local_candidate), self);
  g_signal_connect (self->negotiator, "failed",
      G_CALLBACK (on_negotiator_failed), self);
  self->receiver = sl_media_receiver_new (self->opts,
      GST_BIN (self->pipeline), self->display);
  g_signal_connect (self->receiver, "first-frame",
      G_CALLBACK (on_first_frame), self);
  self->meter = sl_media_meter_new (self->webrtc, self->receiver);
  self->channel = sl_media_channel_new (self->webrtc, self->offerer);
  if (!self->opts->stock)
    g_signal_connect (self->channel, "open", G_CALLBACK (on_channel_open),
        self);

  g_signal_connect (self->webrtc, "notify::connection-state",
      G_CALLBACK (on_connection_state), self);
  g_signal_connect (self->webrtc, "pad-added", G_CALLBACK (on_pad_added), self);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self) != 0;
  if (self->opts->mark_frames)
    gst_bus_set_sync_handler (bus, sl_media_meter_on_bus_sync,
        g_object_ref (self->meter), g_object_unref);
  if (self->display)
    gst_bin_add (GST_BIN (self->pipeline), self->display);
  self->sender = sl_media_sender_new (self->opts, GST_BIN (self->pipeline),
      self->webrtc, self->meter, self->display,
      g_steal_pointer (&self->video_source),
      g_steal_pointer (&self->audio_source), error);
  if (self->sender == NULL)
    return FALSE;

  /* The offerer's branches exist before the offer; the answerer's are
   * built once the offer tells which video codec was chosen. */
  if (self->offerer && !sl_media_sender_add_branches (self->sender,
          self->codec, FALSE, error))
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
 * sl_media_session_new_full() with the options' sources and sinks only.
 *
 * Returns: (transfer full): a new session, or %NULL
 */
SlMediaSession *
sl_media_session_new (const SlMediaOptions * opts, gboolean offerer,
    SlVideoCodec codec, GError ** error)
{
  return sl_media_session_new_full (opts, offerer, codec, NULL, error);
}

/**
 * sl_media_session_new_full:
 * @opts: media options (copied)
 * @offerer: %TRUE for the side that makes the SDP offer (the caller)
 * @codec: the video codec the offerer sends; ignored by the answerer
 * @elements: (nullable): a display and captures of the program's own;
 *   the session takes them, also on failure
 * @error: set when the pipeline cannot be built
 *
 * Builds the pipeline on the calling thread's default main context, which
 * is where every signal of the session is emitted.
 *
 * Returns: (transfer full): a new session, or %NULL
 */
SlMediaSession *
sl_media_session_new_full (const SlMediaOptions * opts, gboolean offerer,
    SlVideoCodec codec, const SlMediaElements * elements, GError ** error)
{
  g_autoptr (SlMediaSession) self = NULL;

  g_return_val_if_fail (opts != NULL, NULL);

  self = g_object_new (SL_TYPE_MEDIA_SESSION, NULL);
  self->opts = sl_media_options_copy (opts);
  self->offerer = offerer;
  self->codec = codec;
  if (elements) {
    if (elements->display)
      self->display = gst_object_ref_sink (elements->display);
    if (elements->video_source)
      self->video_source = gst_object_ref_sink (elements->video_source);
    if (elements->audio_source)
      self->audio_source = gst_object_ref_sink (elements->audio_source);
  }
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
 * sl_media_session_enable_recovery:
 * @self: a session, not started yet
 *
 * NACK/RTX on every stream (sl-media-transport.c says why).
 */
void
sl_media_session_enable_recovery (SlMediaSession * self)
{
  g_return_if_fail (SL_IS_MEDIA_SESSION (self));

  sl_media_transport_enable_recovery (self->webrtc);
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
  sl_media_meter_start (self->meter);
  if (self->offerer) {
    if (!sl_media_channel_create (self->channel, error))
      return FALSE;
    sl_media_negotiator_offer (self->negotiator);
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
  GstSDPMessage *msg;

  g_return_val_if_fail (SL_IS_MEDIA_SESSION (self), FALSE);

  msg = sl_media_negotiator_take_remote (self->negotiator, sdp, error);
  if (msg == NULL)
    return FALSE;
  if (!self->offerer) {
    gboolean found = FALSE;

    self->codec = sl_media_codec_from_sdp (sdp, &found);
    if (!found) {
      gst_sdp_message_free (msg);
      g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
          "The other device offers no video codec this client can use");
      return FALSE;
    }
    if (!sl_media_sender_add_branches (self->sender, self->codec,
            self->started, error)) {
      gst_sdp_message_free (msg);
      return FALSE;
    }
  }
  sl_media_negotiator_set_remote (self->negotiator, msg);
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

  return sl_media_negotiator_add_candidate (self->negotiator, mline,
      candidate, error);
}

/**
 * sl_media_session_get_channel:
 * @self: a session
 *
 * Returns: (transfer none): the call's data channel
 */
SlMediaChannel *
sl_media_session_get_channel (SlMediaSession * self)
{
  g_return_val_if_fail (SL_IS_MEDIA_SESSION (self), NULL);

  return self->channel;
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
  g_return_if_fail (SL_IS_MEDIA_SESSION (self));

  if (!self->dtls_ok || self->failed)
    return;
  sl_media_receiver_open_gates (self->receiver);
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
  if (self->sender)
    sl_media_sender_request_keyframe (self->sender);
}

/**
 * sl_media_session_set_paused:
 * @self: a session
 * @mic_muted: send silence
 * @camera_paused: send no new video frames
 *
 * See sl_media_sender_set_paused().
 */
void
sl_media_session_set_paused (SlMediaSession * self, gboolean mic_muted,
    gboolean camera_paused)
{
  if (self->sender)
    sl_media_sender_set_paused (self->sender, mic_muted, camera_paused);
}

/**
 * sl_media_session_get_local_fingerprint:
 *
 * Returns: (nullable): our DTLS fingerprint from our SDP
 */
const char *
sl_media_session_get_local_fingerprint (SlMediaSession * self)
{
  return sl_media_negotiator_get_local_fingerprint (self->negotiator);
}

/**
 * sl_media_session_get_remote_fingerprint:
 *
 * Returns: (nullable): the fingerprint in the peer's (decrypted) SDP
 */
const char *
sl_media_session_get_remote_fingerprint (SlMediaSession * self)
{
  return sl_media_negotiator_get_remote_fingerprint (self->negotiator);
}

SlVideoCodec
sl_media_session_get_codec (SlMediaSession * self)
{
  return self->codec;
}

/**
 * sl_media_session_get_stats:
 * @self: a session
 * @out: (out caller-allocates): filled; release with sl_media_stats_clear()
 */
void
sl_media_session_get_stats (SlMediaSession * self, SlMediaStats * out)
{
  g_return_if_fail (SL_IS_MEDIA_SESSION (self));

  memset (out, 0, sizeof *out);
  sl_media_meter_fill (self->meter, out);
  sl_media_receiver_get_counts (self->receiver, &out->video_frames_decoded,
      &out->video_frames_rendered, &out->audio_buffers_rendered);
  out->first_frame_us = sl_media_receiver_get_first_frame_us (self->receiver);
  out->started_us = self->started_us;
  out->connected_us = self->dtls_ok ? self->connected_us : -1;
  out->codec = g_strdup (sl_video_codec_to_string (self->codec));
}

/**
 * sl_media_session_get_latencies:
 * @self: a session with mark_frames
 *
 * Returns: (transfer full): capture-to-decode latency of every marked
 *   frame received so far, in milliseconds, sorted
 */
GArray *
sl_media_session_get_latencies (SlMediaSession * self)
{
  return sl_media_meter_get_latencies (self->meter);
}

/**
 * sl_media_session_reset_latencies:
 * @self: a session
 *
 * Forgets the latencies measured so far (benchmarks skip a warm-up).
 */
void
sl_media_session_reset_latencies (SlMediaSession * self)
{
  sl_media_meter_reset_latencies (self->meter);
}

/**
 * sl_media_session_query_pair:
 * @self: a started session
 * @func: called once on the session's main context with the selected ICE
 *   pair's candidate types (or %NULL when ICE selected none)
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data, also when the session stops
 *   before the answer
 */
void
sl_media_session_query_pair (SlMediaSession * self,
    void (*func) (const char *, const char *, gpointer), gpointer user_data,
    GDestroyNotify destroy)
{
  g_return_if_fail (SL_IS_MEDIA_SESSION (self));

  sl_media_transport_query_pair (self->webrtc, self->link, func, user_data,
      destroy);
}

/* ------------------------------------------------------------------ */
/* Stopping                                                             */

/* Everything that must not run once stopping begins: no signal from now
 * on, the last frame kept if asked, the display told. */
static void
begin_stop (SlMediaSession * self)
{
  self->stopping = TRUE;
  sl_media_link_detach (self->link);
  if (self->bus_watch) {
    g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE
        (self->pipeline));

    /* Not g_source_remove(): the watch is on this thread's context. */
    gst_bus_remove_watch (bus);
    self->bus_watch = FALSE;
  }
  /* A pipeline whose construction failed may lack its parts. */
  if (self->meter)
    sl_media_meter_stop (self->meter);
  if (self->receiver)
    sl_media_receiver_stop (self->receiver);
  if (self->channel) {
    g_signal_handlers_disconnect_by_data (self->channel, self);
    sl_media_channel_close (self->channel);
  }
  if (self->negotiator)
    g_signal_handlers_disconnect_by_data (self->negotiator, self);
  if (self->webrtc)
    g_signal_handlers_disconnect_by_data (self->webrtc, self);
  GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (self->pipeline),
      GST_DEBUG_GRAPH_SHOW_ALL, "sightline-end");
  if (self->receiver && self->opts->display == SL_DISPLAY_PNG
      && self->opts->png_path) {
    g_autoptr (GError) error = NULL;

    if (!sl_media_receiver_write_snapshot (self->receiver,
            self->opts->png_path, &error))
      g_info ("no snapshot: %s", error->message);
  }
  /* A display's last chance to use the running pipeline (a final
   * snapshot, end of stream on its outputs). */
  g_signal_emit (self, signals[SIGNAL_STOPPING], 0);
}

static void
end_stop (SlMediaSession * self)
{
  g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));

  if (self->webrtc)
    sl_media_ice_hand_back (self->webrtc, self->opts, self->started);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  if (self->webrtc)
    sl_media_transport_finish_stop (self->webrtc);
  self->stopped = TRUE;
}

static void
on_drained (GObject * source, GAsyncResult * result, gpointer data)
{
  GTask *task = data;
  SlMediaSession *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;

  if (!sl_media_negotiator_drain_finish (self->negotiator, result, &error))
    g_warning ("%s", error->message);
  end_stop (self);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * sl_media_session_stop_async:
 * @self: a session
 * @callback: called on the session's main context once the pipeline is
 *   stopped
 * @user_data: for @callback
 *
 * Tears the pipeline down: no signal is emitted once this returns, except
 * "stopping" from within it.  webrtcbin's pending work is waited for on
 * its own event, without blocking.  Safe to call more than once; a second
 * call completes at once.
 */
void
sl_media_session_stop_async (SlMediaSession * self,
    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (SL_IS_MEDIA_SESSION (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sl_media_session_stop_async);
  if (self->stopping) {
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  begin_stop (self);
  /* Only a started webrtcbin runs the thread that answers. */
  if (!self->started) {
    end_stop (self);
    g_task_return_boolean (task, TRUE);
    g_object_unref (task);
    return;
  }
  sl_media_negotiator_drain (self->negotiator, on_drained, task);
}

void
sl_media_session_stop_finish (SlMediaSession * self, GAsyncResult * result)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

/**
 * sl_media_session_stop:
 * @self: a session
 *
 * sl_media_session_stop_async() for a teardown that cannot wait for the
 * main loop: blocks until the pipeline is stopped (webrtcbin's pending
 * work within a bound).  A stop already under way is left to finish.
 */
void
sl_media_session_stop (SlMediaSession * self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (SL_IS_MEDIA_SESSION (self));

  if (self->stopping)
    return;
  begin_stop (self);
  if (self->started
      && !sl_media_negotiator_drain_sync (self->negotiator, &error))
    g_warning ("%s", error->message);
  end_stop (self);
}

/* ------------------------------------------------------------------ */

static void
sl_media_session_dispose (GObject * object)
{
  SlMediaSession *self = SL_MEDIA_SESSION (object);

  if (self->pipeline)
    sl_media_session_stop (self);
  g_clear_object (&self->channel);
  g_clear_object (&self->meter);
  g_clear_object (&self->receiver);
  g_clear_object (&self->sender);
  g_clear_object (&self->negotiator);
  g_clear_pointer (&self->display, gst_object_unref);
  g_clear_pointer (&self->video_source, gst_object_unref);
  g_clear_pointer (&self->audio_source, gst_object_unref);
  g_clear_pointer (&self->webrtc, gst_object_unref);
  g_clear_pointer (&self->pipeline, gst_object_unref);

  G_OBJECT_CLASS (sl_media_session_parent_class)->dispose (object);
}

static void
sl_media_session_finalize (GObject * object)
{
  SlMediaSession *self = SL_MEDIA_SESSION (object);

  sl_media_link_unref (self->link);
  g_clear_pointer (&self->opts, sl_media_options_free);

  G_OBJECT_CLASS (sl_media_session_parent_class)->finalize (object);
}

static void
sl_media_session_class_init (SlMediaSessionClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_media_session_dispose;
  object_class->finalize = sl_media_session_finalize;

  /* (type "offer"|"answer", sdp): seal and send to the peer. */
  signals[SIGNAL_LOCAL_DESCRIPTION] =
      g_signal_new ("local-description", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
      G_TYPE_STRING);
  /* (mline, candidate): seal and send, one record per candidate. */
  signals[SIGNAL_LOCAL_CANDIDATE] = g_signal_new ("local-candidate",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /* DTLS is up and the peer's certificate matches its SDP fingerprint. */
  signals[SIGNAL_DTLS_VERIFIED] = g_signal_new ("dtls-verified",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (monotonic time in µs) the first remote video frame was rendered. */
  signals[SIGNAL_FIRST_FRAME] = g_signal_new ("first-frame",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (GError) the media failed; emitted once. */
  signals[SIGNAL_FAILED] = g_signal_new ("failed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* The pipeline is about to stop: the last moment it runs. */
  signals[SIGNAL_STOPPING] = g_signal_new ("stopping",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
}

static void
sl_media_session_init (SlMediaSession * self)
{
  self->started_us = -1;
  self->connected_us = -1;
  self->link = sl_media_link_new (self, fail_main);
}
