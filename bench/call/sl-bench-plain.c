/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The "tuned stock" baseline of the call benchmarks: two plain webrtcbins
 * in this process, SDP and candidates handed over directly, set up the way
 * a careful GStreamer developer would without Sightline:
 *
 * - the same send and receive branches as Sightline's engine (built by
 *   sl-media-branches.c: vp8enc realtime settings, Opus, the same leaky
 *   queue, frame marks for the latency figure);
 * - the same jitterbuffer policy (webrtcbin latency 30 ms, rtpjitterbuffer
 *   faststart-min-packets 2), NACK/RTX on, and the same keyframe policy
 *   (a keyframe forced when the connection is up and when the data channel
 *   opens);
 * - ICE on 127.0.0.1 only, no UPnP or TCP, the engine's connectivity-check
 *   timers;
 * - an ECDSA P-256 certificate made before anything is timed (GStreamer
 *   1.22's own is RSA-2048, made on first use; webrtcbin 1.22 has no
 *   certificate property, so it is handed to every dtlsdec as it is made,
 *   by a tracer hook, which is also what webrtcbin's SDP fingerprint
 *   reads).
 *
 * What it leaves out is Sightline's own: the signalling server and its
 * TLS, the end-to-end handshake, sealed SDP and candidates, the SDP
 * fingerprint check against the DTLS certificate, the binding MAC on the
 * data channel and the media gates that wait for it, and the engine's send
 * pacing change: webrtcbin's clocksyncs keep sync=true unless @unpaced, a
 * second variant for the media benchmark that takes that change too (so
 * that what remains between it and Sightline is the engine itself).
 */

#include "config.h"

#include "sl-bench-plain.h"

#include <string.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>

#include "media/sl-media-branches.h"

#define MARK_MASK ((G_GUINT64_CONSTANT (1) << SL_MARK_BITS) - 1)
/* The engine's values (sl-media-ice.c, sl-media-tuning.c). */
#define ICE_PACING_MS 5
#define ICE_INITIAL_TIMEOUT_MS 100
#define FASTSTART_PACKETS 2

typedef struct
{
  SlBenchPlain *pair;
  gboolean offerer;
  GstElement *pipeline;
  GstElement *webrtc;
  GstElement *video_send;
  GstWebRTCDataChannel *channel;
  gint64 first_frame_us;
  gint frames;
  guint bus_watch;
} Peer;

struct _SlBenchPlain
{
  SlMediaOptions *opts;
  Peer peers[2];
  gboolean unpaced;
  GMutex lock;
  GArray *latencies;
  gint failed;
  gint connected;
  gint cert_seen;
};

/* ------------------------------------------------------------------ */
/* The certificate, handed to each dtlsdec as it is made                */

typedef struct
{
  GstTracer parent;
} BenchCertTracer;

typedef struct
{
  GstTracerClass parent_class;
} BenchCertTracerClass;

static GType bench_cert_tracer_get_type (void);
G_DEFINE_TYPE (BenchCertTracer, bench_cert_tracer, GST_TYPE_TRACER);

static GMutex cert_lock;
static char *cert_pem;
static gboolean cert_active;

static void
on_element_new (GstTracer * tracer, GstClockTime ts, GstElement * element)
{
  if (!g_str_equal (G_OBJECT_TYPE_NAME (element), "GstDtlsDec"))
    return;
  g_mutex_lock (&cert_lock);
  if (cert_active && cert_pem != NULL)
    g_object_set (element, "pem", cert_pem, NULL);
  g_mutex_unlock (&cert_lock);
}

static void
bench_cert_tracer_class_init (BenchCertTracerClass * klass)
{
}

static void
bench_cert_tracer_init (BenchCertTracer * self)
{
  gst_tracing_register_hook (GST_TRACER (self), "element-new",
      G_CALLBACK (on_element_new));
}

/**
 * sl_bench_plain_use_certificate:
 * @pem: (nullable): certificate and private key, PEM; NULL: GStreamer's
 *
 * Every plain pair made afterwards uses @pem for DTLS (Sightline's calls
 * are never affected: the hook acts only while a plain pair exists).
 */
void
sl_bench_plain_use_certificate (const char *pem)
{
  static BenchCertTracer *tracer;

  if (tracer == NULL)
    tracer = g_object_new (bench_cert_tracer_get_type (), NULL);
  g_mutex_lock (&cert_lock);
  g_free (cert_pem);
  cert_pem = g_strdup (pem);
  g_mutex_unlock (&cert_lock);
}

/* The base64 body of the first certificate in @pem, without white space. */
static char *
cert_body (const char *pem)
{
  const char *begin = pem ? strstr (pem, "-----BEGIN CERTIFICATE-----") : NULL;
  const char *end = begin ? strstr (begin, "-----END CERTIFICATE-----") : NULL;
  GString *body = g_string_new (NULL);
  const char *p;

  if (end)
    for (p = begin + strlen ("-----BEGIN CERTIFICATE-----"); p < end; p++)
      if (!g_ascii_isspace (*p))
        g_string_append_c (body, *p);
  return g_string_free (body, FALSE);
}

/* Whether @remote_pem is the certificate handed to the dtlsdecs. */
static gboolean
is_our_certificate (const char *remote_pem)
{
  g_autofree char *theirs = cert_body (remote_pem);
  g_autofree char *ours = NULL;

  g_mutex_lock (&cert_lock);
  ours = cert_body (cert_pem);
  g_mutex_unlock (&cert_lock);
  return *ours != '\0' && g_str_equal (ours, theirs);
}

static void
set_cert_active (gboolean active)
{
  g_mutex_lock (&cert_lock);
  cert_active = active;
  g_mutex_unlock (&cert_lock);
}

/* ------------------------------------------------------------------ */
/* Media                                                                */

static Peer *
other (Peer * peer)
{
  return peer == &peer->pair->peers[0] ? &peer->pair->peers[1] :
      &peer->pair->peers[0];
}

static void
fail (Peer * peer, const char *what)
{
  g_printerr ("tuned stock: %s\n", what);
  g_atomic_int_set (&peer->pair->failed, TRUE);
}

static void
request_keyframe (Peer * peer)
{
  g_autoptr (GstElement) encoder =
      gst_bin_get_by_name (GST_BIN (peer->video_send), SL_BRANCH_ENCODER);

  if (encoder)
    gst_element_send_event (encoder,
        gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
            TRUE, 0));
}

static GstBusSyncReply
on_bus_sync (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Peer *peer = user_data;
  double latency;

  if (!sl_media_mark_latency (message, &latency))
    return GST_BUS_PASS;
  g_mutex_lock (&peer->pair->lock);
  g_array_append_val (peer->pair->latencies, latency);
  g_mutex_unlock (&peer->pair->lock);
  return GST_BUS_DROP;
}

static gboolean
on_bus (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Peer *peer = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    g_autoptr (GError) error = NULL;

    gst_message_parse_error (message, &error, NULL);
    fail (peer, error->message);
  }
  return G_SOURCE_CONTINUE;
}

static GstPadProbeReturn
on_mark_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  guint64 now_ms = g_get_monotonic_time () / 1000;

  g_object_set (GST_OBJECT_PARENT (pad), "pattern-data", now_ms & MARK_MASK,
      NULL);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_video_rendered (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Peer *peer = user_data;

  if (g_atomic_int_add (&peer->frames, 1) == 0) {
    g_mutex_lock (&peer->pair->lock);
    peer->first_frame_us = g_get_monotonic_time ();
    g_mutex_unlock (&peer->pair->lock);
  }
  return GST_PAD_PROBE_OK;
}

static void
add_probe (GstElement * element, const char *pad_name,
    GstPadProbeCallback callback, Peer * peer)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (element, pad_name);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, callback, peer, NULL);
}

/* A streaming thread: link before the pad pushes. */
static void
on_pad_added (GstElement * webrtc, GstPad * pad, Peer * peer)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  g_autoptr (GstElement) gate = NULL;
  GstElement *bin;
  const char *media;
  gboolean video;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  media = gst_structure_get_string (gst_caps_get_structure (caps, 0), "media");
  video = g_strcmp0 (media, "video") == 0;
  bin = video ? sl_media_make_video_receive (peer->pair->opts,
      SL_VIDEO_CODEC_VP8, FALSE, &error) :
      sl_media_make_audio_receive (peer->pair->opts, FALSE, &error);
  if (bin == NULL) {
    fail (peer, error->message);
    return;
  }
  /* No verification to wait for: the gate opens at once. */
  gate = gst_bin_get_by_name (GST_BIN (bin), SL_BRANCH_GATE);
  g_object_set (gate, "drop", FALSE, NULL);
  if (video)
    add_probe (gate, "src", on_video_rendered, peer);
  gst_bin_add (GST_BIN (peer->pipeline), bin);
  gst_element_sync_state_with_parent (bin);
  sinkpad = gst_element_get_static_pad (bin, "sink");
  if (GST_PAD_LINK_FAILED (gst_pad_link (pad, sinkpad)))
    fail (peer, "cannot link a received stream");
}

static void
on_element_added (GstBin * bin, GstBin * sub, GstElement * element, Peer * peer)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory && g_str_equal (GST_OBJECT_NAME (factory), "rtpjitterbuffer"))
    g_object_set (element, "faststart-min-packets", FASTSTART_PACKETS, NULL);
  /* Our sources are live: they pace themselves (sl-media-tuning.c). */
  else if (factory && peer->pair->unpaced
      && g_str_equal (GST_OBJECT_NAME (factory), "clocksync"))
    g_object_set (element, "sync", FALSE, NULL);
}

static void
on_connection_state (GstElement * webrtc, GParamSpec * pspec, Peer * peer)
{
  GstWebRTCPeerConnectionState state;

  g_object_get (webrtc, "connection-state", &state, NULL);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED) {
    g_autoptr (GstWebRTCRTPTransceiver) trans = NULL;
    g_autoptr (GstWebRTCRTPSender) sender = NULL;
    g_autoptr (GstWebRTCDTLSTransport) dtls = NULL;
    g_autofree char *remote = NULL;

    /* The certificate the other peer really presented. */
    g_signal_emit_by_name (webrtc, "get-transceiver", 0, &trans);
    if (trans)
      g_object_get (trans, "sender", &sender, NULL);
    if (sender)
      g_object_get (sender, "transport", &dtls, NULL);
    if (dtls)
      g_object_get (dtls, "remote-certificate", &remote, NULL);
    if (is_our_certificate (remote))
      g_atomic_int_inc (&peer->pair->cert_seen);
    g_atomic_int_inc (&peer->pair->connected);
    request_keyframe (peer);
  } else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) {
    fail (peer, "the connection failed");
  }
}

static void
on_channel_open (GstWebRTCDataChannel * channel, Peer * peer)
{
  request_keyframe (peer);
}

static void
watch_channel (Peer * peer, GstWebRTCDataChannel * channel)
{
  g_signal_connect (channel, "on-open", G_CALLBACK (on_channel_open), peer);
}

static void
on_data_channel (GstElement * webrtc, GstWebRTCDataChannel * channel,
    Peer * peer)
{
  peer->channel = g_object_ref (channel);
  watch_channel (peer, channel);
}

/* ------------------------------------------------------------------ */
/* Negotiation, straight from one webrtcbin to the other                */

static void
on_candidate (GstElement * webrtc, guint mline, const char *candidate,
    Peer * peer)
{
  g_signal_emit_by_name (other (peer)->webrtc, "add-ice-candidate", mline,
      candidate);
}

static GstWebRTCSessionDescription *
reply_description (GstPromise * promise, const char *field, Peer * peer)
{
  const GstStructure *reply;
  GstWebRTCSessionDescription *desc = NULL;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED) {
    fail (peer, "webrtcbin did not answer");
    return NULL;
  }
  reply = gst_promise_get_reply (promise);
  if (reply == NULL || gst_structure_has_field (reply, "error")) {
    fail (peer, "webrtcbin refused to make a description");
    return NULL;
  }
  gst_structure_get (reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc,
      NULL);
  if (desc == NULL)
    fail (peer, "webrtcbin made no description");
  return desc;
}

static void
on_answer (GstPromise * promise, gpointer user_data)
{
  Peer *peer = user_data;
  GstWebRTCSessionDescription *answer =
      reply_description (promise, "answer", peer);

  gst_promise_unref (promise);
  if (answer == NULL)
    return;
  g_signal_emit_by_name (peer->webrtc, "set-local-description", answer, NULL);
  g_signal_emit_by_name (other (peer)->webrtc, "set-remote-description",
      answer, NULL);
  gst_webrtc_session_description_free (answer);
}

static void
on_offer (GstPromise * promise, gpointer user_data)
{
  Peer *peer = user_data;
  Peer *answerer = other (peer);
  GstWebRTCSessionDescription *offer =
      reply_description (promise, "offer", peer);

  gst_promise_unref (promise);
  if (offer == NULL)
    return;
  g_signal_emit_by_name (peer->webrtc, "set-local-description", offer, NULL);
  g_signal_emit_by_name (answerer->webrtc, "set-remote-description", offer,
      NULL);
  gst_webrtc_session_description_free (offer);
  g_signal_emit_by_name (answerer->webrtc, "create-answer", NULL,
      gst_promise_new_with_change_func (on_answer, answerer, NULL));
}


/* ------------------------------------------------------------------ */
/* Construction                                                         */

static void
restrict_ice (Peer * peer)
{
  g_autoptr (GstWebRTCICE) ice = NULL;
  g_autoptr (GObject) agent = NULL;
  char **addr;

  g_object_get (peer->webrtc, "ice-agent", &ice, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent"))
    g_object_get (ice, "agent", &agent, NULL);
  if (agent)
    g_object_set (agent, "upnp", FALSE, "stun-pacing-timer", ICE_PACING_MS,
        "stun-initial-timeout", ICE_INITIAL_TIMEOUT_MS, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "ice-tcp"))
    g_object_set (ice, "ice-tcp", FALSE, NULL);
  for (addr = peer->pair->opts->ice_addresses; addr && *addr; addr++) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (ice, "add-local-ip-address", *addr, &ok);
    if (!ok)
      fail (peer, "an ICE address is not local");
  }
}

static gboolean
link_send (Peer * peer, GstElement * branch, GError ** error)
{
  g_autoptr (GstPad) src = NULL;
  g_autoptr (GstPad) sink = NULL;

  if (branch == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (peer->pipeline), branch);
  src = gst_element_get_static_pad (branch, "src");
  sink = gst_element_request_pad_simple (peer->webrtc, "sink_%u");
  if (sink == NULL || GST_PAD_LINK_FAILED (gst_pad_link (src, sink))) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "cannot link %s to webrtcbin", GST_OBJECT_NAME (branch));
    return FALSE;
  }
  return TRUE;
}

static void
enable_nack (Peer * peer)
{
  g_autoptr (GArray) transceivers = NULL;
  guint i;

  g_signal_emit_by_name (peer->webrtc, "get-transceivers", &transceivers);
  for (i = 0; transceivers && i < transceivers->len; i++)
    g_object_set (g_array_index (transceivers, GstWebRTCRTPTransceiver *, i),
        "do-nack", TRUE, NULL);
}

static gboolean
peer_build (SlBenchPlain * pair, Peer * peer, gboolean offerer, GError ** error)
{
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstElement) mark = NULL;
  GstElement *audio;

  peer->pair = pair;
  peer->offerer = offerer;
  peer->first_frame_us = -1;
  peer->pipeline = gst_pipeline_new (offerer ? "plain-offerer" :
      "plain-answerer");
  peer->webrtc = gst_element_factory_make ("webrtcbin", NULL);
  gst_bin_add (GST_BIN (peer->pipeline), peer->webrtc);
  g_object_set (peer->webrtc, "bundle-policy",
      GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, "latency", pair->opts->latency_ms,
      NULL);
  restrict_ice (peer);
  g_signal_connect (peer->webrtc, "deep-element-added",
      G_CALLBACK (on_element_added), peer);
  g_signal_connect (peer->webrtc, "on-ice-candidate",
      G_CALLBACK (on_candidate), peer);
  g_signal_connect (peer->webrtc, "pad-added", G_CALLBACK (on_pad_added), peer);
  g_signal_connect (peer->webrtc, "notify::connection-state",
      G_CALLBACK (on_connection_state), peer);
  g_signal_connect (peer->webrtc, "on-data-channel",
      G_CALLBACK (on_data_channel), peer);

  peer->video_send = sl_media_make_video_send (pair->opts, SL_VIDEO_CODEC_VP8,
      NULL, FALSE, error);
  if (!link_send (peer, peer->video_send, error))
    return FALSE;
  mark = gst_bin_get_by_name (GST_BIN (peer->video_send), SL_BRANCH_MARK);
  if (mark)
    add_probe (mark, "sink", on_mark_buffer, peer);
  audio = sl_media_make_audio_send (pair->opts, NULL, error);
  if (!link_send (peer, audio, error))
    return FALSE;
  enable_nack (peer);

  bus = gst_pipeline_get_bus (GST_PIPELINE (peer->pipeline));
  gst_bus_set_sync_handler (bus, on_bus_sync, peer, NULL);
  peer->bus_watch = gst_bus_add_watch (bus, on_bus, peer);
  return TRUE;
}

/**
 * sl_bench_plain_new:
 * @opts: the media options (the engine's branches are built from them)
 * @unpaced: also turn webrtcbin's send pacing off, as the engine does for
 *   live sources
 * @error: set when a branch cannot be built
 *
 * Builds both peers and starts them; the offerer negotiates at once.
 *
 * Returns: (transfer full) (nullable): the pair
 */
SlBenchPlain *
sl_bench_plain_new (const SlMediaOptions * opts, gboolean unpaced,
    GError ** error)
{
  g_autoptr (SlBenchPlain) self = g_new0 (SlBenchPlain, 1);
  guint i;

  self->unpaced = unpaced;
  g_mutex_init (&self->lock);
  self->latencies = g_array_new (FALSE, FALSE, sizeof (double));
  self->opts = sl_media_options_copy (opts);
  set_cert_active (TRUE);
  for (i = 0; i < 2; i++)
    if (!peer_build (self, &self->peers[i], i == 0, error))
      return NULL;
  for (i = 0; i < 2; i++)
    if (gst_element_set_state (self->peers[i].pipeline, GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE) {
      g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
          "a plain pipeline does not start");
      return NULL;
    }
  /* Like the engine's offerer: one offer, made once the data channel
   * exists (on-negotiation-needed would fire for the pads and again for
   * the channel, and a second round would cost a renegotiation). */
  g_signal_emit_by_name (self->peers[0].webrtc, "create-data-channel", "chat",
      NULL, &self->peers[0].channel);
  if (self->peers[0].channel)
    watch_channel (&self->peers[0], self->peers[0].channel);
  g_signal_emit_by_name (self->peers[0].webrtc, "create-offer", NULL,
      gst_promise_new_with_change_func (on_offer, &self->peers[0], NULL));
  return g_steal_pointer (&self);
}

/* The first decoded frame shown at the offerer, or -1. */
gint64
sl_bench_plain_first_frame_us (SlBenchPlain * self)
{
  gint64 when;

  g_mutex_lock (&self->lock);
  when = self->peers[0].first_frame_us;
  g_mutex_unlock (&self->lock);
  return when;
}

/* Both peers were presented the certificate of
 * sl_bench_plain_use_certificate(). */
gboolean
sl_bench_plain_used_certificate (SlBenchPlain * self)
{
  return g_atomic_int_get (&self->cert_seen) >= 2;
}

gboolean
sl_bench_plain_failed (SlBenchPlain * self)
{
  return g_atomic_int_get (&self->failed);
}

/* Both peers' connections are up. */
gboolean
sl_bench_plain_connected (SlBenchPlain * self)
{
  return g_atomic_int_get (&self->connected) >= 2;
}

/* Frames shown so far, both peers together. */
guint64
sl_bench_plain_frames (SlBenchPlain * self)
{
  return (guint64) g_atomic_int_get (&self->peers[0].frames) +
      (guint64) g_atomic_int_get (&self->peers[1].frames);
}

/* (transfer full): the latencies measured so far (ms); starts anew. */
GArray *
sl_bench_plain_take_latencies (SlBenchPlain * self)
{
  GArray *taken;

  g_mutex_lock (&self->lock);
  taken = self->latencies;
  self->latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_mutex_unlock (&self->lock);
  return taken;
}

void
sl_bench_plain_free (SlBenchPlain * self)
{
  guint i;

  for (i = 0; i < 2; i++) {
    Peer *peer = &self->peers[i];

    if (peer->pipeline) {
      gst_element_set_state (peer->pipeline, GST_STATE_NULL);
      g_clear_handle_id (&peer->bus_watch, g_source_remove);
      gst_clear_object (&peer->pipeline);
    }
    g_clear_object (&peer->channel);
  }
  set_cert_active (FALSE);
  g_clear_pointer (&self->opts, sl_media_options_free);
  g_clear_pointer (&self->latencies, g_array_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}
