/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The four branches around webrtcbin: capture + encode + payload for video
 * and audio, and depayload + decode + gate + sink for each.  Branches are
 * gst-launch descriptions turned into bins, so that what a call runs can
 * be reproduced with gst-launch-1.0 and inspected with
 * GST_DEBUG_DUMP_DOT_DIR.  Encoder settings favour latency: realtime
 * deadline, no lag frames, CBR, short Opus frames.
 *
 * A program that brings its own capture (sightlinebin's appsrc) hands it
 * over as an element: the branch is then the same chain behind it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-branches.h"
#include "sl-media-devices.h"
#include "sightline/sl-media-error.h"

#include <string.h>
#include <gst/sdp/sdp.h>

#define VP8_PT 96
#define H264_PT 102
#define OPUS_PT 111
#define MARK_SIZE 16

/**
 * sl_media_resolve_video_source:
 * @opts: options
 *
 * Returns: (transfer full): the source description a call will use: the
 *   user's, a V4L2 camera when one is present, or a live test pattern
 */
char *
sl_media_resolve_video_source (const SlMediaOptions * opts)
{
  if (opts->video_source && g_strcmp0 (opts->video_source, "test") != 0)
    return g_strdup (opts->video_source);
  if (opts->video_source == NULL && sl_media_devices_get ()->camera)
    return g_strdup (sl_media_devices_get ()->camera);
  return g_strdup ("videotestsrc is-live=true pattern=ball");
}

/**
 * sl_media_resolve_audio_source:
 * @opts: options
 *
 * Returns: (transfer full): the user's description, the default
 *   microphone when one is present, or a quiet live test tone
 */
char *
sl_media_resolve_audio_source (const SlMediaOptions * opts)
{
  if (opts->audio_source && g_strcmp0 (opts->audio_source, "test") != 0)
    return g_strdup (opts->audio_source);
  if (opts->audio_source == NULL && sl_media_devices_get ()->microphone)
    return g_strdup ("autoaudiosrc");
  return g_strdup ("audiotestsrc is-live=true wave=sine freq=440 "
      "volume=0.05 samplesperbuffer=480");
}

/* A send branch ghosts its source pad only.  gst_parse_bin_from_description()
 * ghosts every unlinked pad, so a user's capture description with an input
 * it does not feed (textoverlay's text_sink in "videotestsrc ! textoverlay
 * text=...") got a sink ghost, and the element then waited for text that
 * never came: the branch stalled without an error.  Receive branches are
 * linked on both sides and keep GStreamer's ghosting. */
static GstElement *
make_bin (const char *name, const char *desc, gboolean send, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  GstElement *bin;

  bin = gst_parse_bin_from_description_full (desc, !send, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
  if (bin == NULL) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Cannot build the %s branch: %s", name, local_error->message);
    return NULL;
  }
  gst_object_set_name (GST_OBJECT (bin), name);
  if (send) {
    g_autoptr (GstPad) inner = gst_bin_find_unlinked_pad (GST_BIN (bin),
        GST_PAD_SRC);

    if (inner) {
      GstPad *ghost = gst_ghost_pad_new ("src", inner);

      gst_pad_set_active (ghost, TRUE);
      gst_element_add_pad (bin, ghost);
    }
  }
  return bin;
}

#define SL_BRANCH_INPUT "input"

/* @chain starts with an element named SL_BRANCH_INPUT; @source (taken,
 * floating or not) goes in front of it instead of a described source. */
static GstElement *
make_bin_after (const char *name, GstElement * source, const char *chain,
    GError ** error)
{
  g_autoptr (GstElement) input = NULL;
  GstElement *bin;

  if (g_object_is_floating (source))
    gst_object_ref_sink (source);
  bin = make_bin (name, chain, TRUE, error);
  if (bin == NULL) {
    gst_object_unref (source);
    return NULL;
  }
  /* The source takes the place of the chain's unlinked input. */
  input = gst_bin_get_by_name (GST_BIN (bin), SL_BRANCH_INPUT);
  gst_bin_add (GST_BIN (bin), source);
  gst_object_unref (source);
  if (!gst_element_link (source, input)) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "Cannot link the given source to the %s branch", name);
    gst_object_unref (gst_object_ref_sink (bin));
    return NULL;
  }
  return bin;
}

static void ghost_tee (GstElement * bin);

/**
 * sl_media_mark_latency:
 * @message: a bus message
 * @latency_ms: (out): the frame's capture-to-detection time
 *
 * Reads a frame mark back: the capture time (ms, CLOCK_MONOTONIC, low
 * %SL_MARK_BITS bits) the sender's simplevideomark wrote, from the
 * receiver's simplevideomarkdetect message.  Call it where the message is
 * posted: a hop to a main loop would add its own delay.
 *
 * Returns: %TRUE for a detect message with a plausible latency (under
 *   10 s: anything longer is a misread mark)
 */
gboolean
sl_media_mark_latency (GstMessage * message, double *latency_ms)
{
  const GstStructure *s;
  gboolean have = FALSE;
  guint64 data = 0;
  guint64 now_ms = g_get_monotonic_time () / 1000;
  guint64 mask = (G_GUINT64_CONSTANT (1) << SL_MARK_BITS) - 1;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT)
    return FALSE;
  s = gst_message_get_structure (message);
  if (!gst_structure_has_name (s, "GstSimpleVideoMarkDetect")
      || !gst_structure_get_boolean (s, "have-pattern", &have) || !have
      || !gst_structure_get_uint64 (s, "data", &data))
    return FALSE;
  *latency_ms = (double) ((now_ms - data) & mask);
  return *latency_ms < 10000;
}

static char *
mark_description (const char *element)
{
  return g_strdup_printf ("%s name=%s pattern-width=%d pattern-height=%d "
      "pattern-count=4 pattern-data-count=%d ! ", element,
      g_str_equal (element, "simplevideomark") ? SL_BRANCH_MARK :
      SL_BRANCH_DETECT, MARK_SIZE, MARK_SIZE, SL_MARK_BITS);
}

/**
 * sl_media_make_video_send:
 * @opts: options
 * @codec: the negotiated codec
 * @source: (nullable) (transfer full): the capture, instead of the
 *   options' source description
 * @camera_pad: also give the raw capture out as a "camera" pad (a tee
 *   branch), for a display's camera input
 * @error: set when an element is missing or the source does not parse
 *
 * Returns: (transfer floating): a bin whose ghost src pad gives RTP
 */
GstElement *
sl_media_make_video_send (const SlMediaOptions * opts, SlVideoCodec codec,
    GstElement * source, gboolean camera_pad, GError ** error)
{
  g_autofree char *described = source ? NULL :
      sl_media_resolve_video_source (opts);
  g_autofree char *mark = opts->mark_frames ?
      mark_description ("simplevideomark") : g_strdup ("");
  g_autofree char *encoder = NULL;
  g_autofree char *chain = NULL;
  GstElement *bin;
  guint keyframe_dist = MAX (opts->framerate, 1) * 10;

  if (opts->stock && codec == SL_VIDEO_CODEC_VP8) {
    encoder = g_strdup_printf ("vp8enc name=" SL_BRANCH_ENCODER
        " target-bitrate=%u ! rtpvp8pay pt=%d ! capsfilter caps=\"application/"
        "x-rtp,media=video,encoding-name=VP8,payload=%d,clock-rate=90000\"",
        opts->video_kbps * 1000, VP8_PT, VP8_PT);
  } else if (codec == SL_VIDEO_CODEC_H264) {
    encoder = g_strdup_printf ("openh264enc name=" SL_BRANCH_ENCODER
        " complexity=low rate-control=bitrate bitrate=%u gop-size=%u "
        "usage-type=camera multi-thread=2 ! h264parse ! "
        "rtph264pay pt=%d mtu=1200 config-interval=-1 "
        "aggregate-mode=zero-latency ! capsfilter caps=\"application/x-rtp,media=video,"
        "encoding-name=H264,payload=%d,clock-rate=90000,"
        "packetization-mode=(string)1\"", opts->video_kbps * 1000,
        keyframe_dist, H264_PT, H264_PT);
  } else {
    /* deadline=1 is libvpx's realtime mode; lag-in-frames=0 keeps the
     * encoder from holding frames back for look-ahead. */
    encoder = g_strdup_printf ("vp8enc name=" SL_BRANCH_ENCODER
        " deadline=1 cpu-used=16 lag-in-frames=0 error-resilient=default "
        "keyframe-max-dist=%u end-usage=cbr target-bitrate=%u threads=1 "
        "buffer-size=300 buffer-initial-size=200 buffer-optimal-size=250 "
        "undershoot=95 max-quantizer=56 ! rtpvp8pay pt=%d mtu=1200 "
        "picture-id-mode=15-bit ! capsfilter caps=\"application/x-rtp,media=video,"
        "encoding-name=VP8,payload=%d,clock-rate=90000\"", keyframe_dist,
        opts->video_kbps * 1000, VP8_PT, VP8_PT);
  }
  /* A given capture may come at any rate: videorate makes it the call's. */
  chain = g_strdup_printf ("%s%s%s ! videoscale ! "
      "video/x-raw,width=%u,height=%u,framerate=%u/1 ! %svalve name="
      SL_BRANCH_PAUSE " drop-mode=forward-sticky-events ! %s"
      "queue max-size-buffers=2 max-size-bytes=0 max-size-time=0 "
      "leaky=downstream ! %s", source ? "videorate name=" SL_BRANCH_INPUT
      " ! " : described, source ? "" : " ! ", "videoconvert", opts->width,
      opts->height, opts->framerate, camera_pad ?
      "tee name=" SL_BRANCH_CAMERA_TEE " allow-not-linked=true ! " : "", mark,
      encoder);
  bin = source ? make_bin_after ("video-send", source, chain, error) :
      make_bin ("video-send", chain, TRUE, error);
  if (bin && camera_pad)
    ghost_tee (bin);
  return bin;
}

/* The capture also feeds a display: a second branch of the tee, ghosted
 * as the bin's "camera" pad. */
static void
ghost_tee (GstElement * bin)
{
  g_autoptr (GstElement) tee = gst_bin_get_by_name (GST_BIN (bin),
      SL_BRANCH_CAMERA_TEE);
  g_autoptr (GstPad) pad = gst_element_request_pad_simple (tee, "src_%u");
  GstPad *ghost = gst_ghost_pad_new (SL_BRANCH_CAMERA_PAD, pad);

  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (bin, ghost);
}

/**
 * sl_media_make_camera:
 * @opts: options with a camera_source of its own
 * @error: set when the description does not parse
 *
 * Returns: (transfer floating): a bin whose ghost src pad gives a
 *   display's camera input as raw video
 */
GstElement *
sl_media_make_camera (const SlMediaOptions * opts, GError ** error)
{
  g_autofree char *desc = g_strdup_printf ("%s ! videoconvert",
      g_strcmp0 (opts->camera_source, "test") == 0 ?
      "videotestsrc is-live=true" : opts->camera_source);

  return make_bin ("display-camera", desc, TRUE, error);
}

/**
 * sl_media_make_audio_send:
 * @opts: options
 * @source: (nullable) (transfer full): the capture, instead of the
 *   options' source description
 * @error: set when an element is missing or the source does not parse
 *
 * Returns: (transfer floating): a bin whose ghost src pad gives Opus RTP
 */
GstElement *
sl_media_make_audio_send (const SlMediaOptions * opts, GstElement * source,
    GError ** error)
{
  g_autofree char *described = source ? NULL :
      sl_media_resolve_audio_source (opts);
  g_autofree char *chain = NULL;

  /* 10 ms Opus frames halve the packetisation delay of the default 20. */
  chain = g_strdup_printf ("%s%saudioconvert%s ! audioresample ! "
      "volume name=" SL_BRANCH_MUTE
      " ! queue max-size-buffers=0 max-size-bytes=0 max-size-time=100000000 "
      "leaky=downstream ! opusenc bitrate=%u frame-size=10 ! "
      "rtpopuspay pt=%d ! capsfilter caps=\"application/x-rtp,media=audio,encoding-name=OPUS,"
      "payload=%d,clock-rate=48000\"", source ? "" : described,
      source ? "" : " ! ", source ? " name=" SL_BRANCH_INPUT : "",
      opts->audio_kbps * 1000, OPUS_PT, OPUS_PT);
  return source ? make_bin_after ("audio-send", source, chain,
      error) : make_bin ("audio-send", chain, TRUE, error);
}

static const char *
video_sink_description (const SlMediaOptions * opts)
{
  if (opts->video_sink)
    return opts->video_sink;
  switch (opts->display) {
    case SL_DISPLAY_WINDOW:
      return "autovideosink sync=false";
    case SL_DISPLAY_PNG:
      return "fakesink name=" SL_BRANCH_SNAPSHOT
          " sync=false enable-last-sample=true";
    case SL_DISPLAY_NONE:
    default:
      return "fakesink sync=false";
  }
}

/**
 * sl_media_make_video_receive:
 * @opts: options
 * @codec: the codec of the incoming stream
 * @to_display: end at a ghost src pad for a display bin instead of a sink
 * @error: set when an element is missing or the sink does not parse
 *
 * The bin holds a closed valve named %SL_BRANCH_GATE in front of the sink
 * (or the src pad): nothing is shown until the call is verified.
 *
 * Returns: (transfer floating): a bin with a ghost sink pad for RTP
 */
GstElement *
sl_media_make_video_receive (const SlMediaOptions * opts, SlVideoCodec codec,
    gboolean to_display, GError ** error)
{
  g_autofree char *detect = opts->mark_frames ?
      mark_description ("simplevideomarkdetect") : g_strdup ("");
  g_autofree char *desc = NULL;
  const char *decoder;

  if (codec == SL_VIDEO_CODEC_H264)
    decoder = "rtph264depay request-keyframe=true ! h264parse ! openh264dec";
  else
    decoder = "rtpvp8depay request-keyframe=true ! vp8dec";
  desc = g_strdup_printf ("queue max-size-buffers=0 max-size-bytes=0 "
      "max-size-time=500000000 ! %s ! %svideoconvert ! "
      "valve name=" SL_BRANCH_GATE " drop=true drop-mode=forward-sticky-events "
      "%s%s", decoder, detect, to_display ? "" : "! ",
      to_display ? "" : video_sink_description (opts));
  return make_bin ("video-receive", desc, FALSE, error);
}

/* autoaudiosink falls back on sinks that fail at run time when there is
 * no sound card (openalsink), which would end the call: only use it when
 * an output device exists. */
static const char *
audio_sink_description (const SlMediaOptions * opts)
{
  if (opts->audio_sink)
    return opts->audio_sink;
  if (opts->play_audio && sl_media_devices_get ()->speaker)
    return "autoaudiosink";
  return "fakesink sync=false";
}

/**
 * sl_media_make_audio_receive:
 * @opts: options
 * @to_display: end at a ghost src pad for a display bin instead of a sink
 * @error: set when an element is missing or the sink does not parse
 *
 * Returns: (transfer floating): a bin with a ghost sink pad for Opus RTP
 *   and a closed valve named %SL_BRANCH_GATE
 */
GstElement *
sl_media_make_audio_receive (const SlMediaOptions * opts,
    gboolean to_display, GError ** error)
{
  g_autofree char *desc = NULL;

  desc = g_strdup_printf ("queue max-size-buffers=0 max-size-bytes=0 "
      "max-size-time=500000000 ! rtpopusdepay ! opusdec plc=true ! "
      "audioconvert ! audioresample ! valve name=" SL_BRANCH_GATE
      " drop=true drop-mode=forward-sticky-events %s%s", to_display ? "" :
      "! ", to_display ? "" : audio_sink_description (opts));
  return make_bin ("audio-receive", desc, FALSE, error);
}

/**
 * sl_media_codec_from_sdp:
 * @sdp: an offer
 * @found: (out) (optional): whether a usable video codec was found
 *
 * Returns: the first video codec of the offer that this machine can
 *   decode and encode
 */
SlVideoCodec
sl_media_codec_from_sdp (const char *sdp, gboolean * found)
{
  GstSDPMessage *msg = NULL;
  SlVideoCodec codec = SL_VIDEO_CODEC_VP8;
  gboolean ok = FALSE;
  guint i, j;

  if (sdp && gst_sdp_message_new_from_text (sdp, &msg) == GST_SDP_OK) {
    for (i = 0; !ok && i < gst_sdp_message_medias_len (msg); i++) {
      const GstSDPMedia *m = gst_sdp_message_get_media (msg, i);
      const char *rtpmap;

      if (g_strcmp0 (gst_sdp_media_get_media (m), "video") != 0)
        continue;
      for (j = 0; !ok && (rtpmap = gst_sdp_media_get_attribute_val_n (m,
                  "rtpmap", j)); j++) {
        if (strstr (rtpmap, " H264/")
            && sl_video_codec_available (SL_VIDEO_CODEC_H264)) {
          codec = SL_VIDEO_CODEC_H264;
          ok = TRUE;
        } else if (strstr (rtpmap, " VP8/")) {
          codec = SL_VIDEO_CODEC_VP8;
          ok = TRUE;
        }
      }
    }
    gst_sdp_message_free (msg);
  }
  if (found)
    *found = ok;
  return codec;
}
