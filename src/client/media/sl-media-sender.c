/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A call's sent media: the capture and encode branches linked to
 * webrtcbin's sink pads, and the local capture handed to a display that
 * wants it (a tee branch of the capture that feeds the encoder, or a
 * capture of its own).  The offerer adds its branches before the offer;
 * the answerer once the offer tells which video codec was chosen, in a
 * running pipeline.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-sender.h"
#include "sl-media-branches.h"
#include "sl-media-tuning.h"
#include "sightline/sl-media-error.h"

#include <gst/video/video.h>

struct _SlMediaSender
{
  GObject parent_instance;

  SlMediaOptions *opts;
  GstBin *pipeline;
  GstElement *webrtc;
  SlMediaMeter *meter;
  GstElement *display;
  GstElement *video_source;     /* until the branches take it */
  GstElement *audio_source;
  GstElement *video_send;
  GstElement *audio_send;
  gboolean mic_muted;
  gboolean camera_paused;
};

G_DEFINE_FINAL_TYPE (SlMediaSender, sl_media_sender, G_TYPE_OBJECT);

static gboolean
display_wants_camera (SlMediaSender * self)
{
  g_autoptr (GstPad) pad = self->display ?
      gst_element_get_static_pad (self->display, "camera") : NULL;

  return pad != NULL;
}

/* Links @src to the display's "camera" input. */
static gboolean
link_camera (SlMediaSender * self, GstPad * src, GError ** error)
{
  g_autoptr (GstPad) input = gst_element_get_static_pad (self->display,
      "camera");

  if (src == NULL || GST_PAD_LINK_FAILED (gst_pad_link (src, input))) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Cannot link the capture to the display's camera input");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_media_sender_new:
 * @opts: media options (copied)
 * @pipeline: the call's pipeline (a reference is kept)
 * @webrtc: its webrtcbin (a reference is kept)
 * @meter: marks the frames sent when the options ask (a reference is kept)
 * @display: (nullable): a display bin in @pipeline; with a "camera" input
 *   it gets the local capture
 * @video_source: (nullable) (transfer full): the capture to send instead
 *   of the options' video source
 * @audio_source: (nullable) (transfer full): the same for audio
 * @error: set when a display's own camera capture cannot be built
 *
 * Returns: (transfer full): a sender, or %NULL
 */
SlMediaSender *
sl_media_sender_new (const SlMediaOptions * opts, GstBin * pipeline,
    GstElement * webrtc, SlMediaMeter * meter, GstElement * display,
    GstElement * video_source, GstElement * audio_source, GError ** error)
{
  g_autoptr (SlMediaSender) self = g_object_new (SL_TYPE_MEDIA_SENDER, NULL);
  g_autoptr (GstPad) src = NULL;
  GstElement *camera;

  self->opts = sl_media_options_copy (opts);
  self->pipeline = gst_object_ref (pipeline);
  self->webrtc = gst_object_ref (webrtc);
  self->meter = g_object_ref (meter);
  self->display = display ? gst_object_ref (display) : NULL;
  self->video_source = video_source;
  self->audio_source = audio_source;
  if (!display_wants_camera (self) || opts->camera_source == NULL)
    return g_steal_pointer (&self);
  camera = sl_media_make_camera (opts, error);
  if (camera == NULL)
    return NULL;
  gst_bin_add (pipeline, camera);
  src = gst_element_get_static_pad (camera, "src");
  if (!link_camera (self, src, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
link_to_webrtc (SlMediaSender * self, GstElement * branch, GError ** error)
{
  g_autoptr (GstPad) src = gst_element_get_static_pad (branch, "src");
  g_autoptr (GstPad) sink = NULL;

  gst_bin_add (self->pipeline, branch);
  sink = gst_element_request_pad_simple (self->webrtc, "sink_%u");
  if (sink == NULL || GST_PAD_LINK_FAILED (gst_pad_link (src, sink))) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Cannot link %s to webrtcbin", GST_OBJECT_NAME (branch));
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_media_sender_add_branches:
 * @self: a sender
 * @codec: the video codec to send
 * @running: the pipeline runs already: start the branches with it
 * @error: set when a branch cannot be built or linked
 *
 * Returns: %TRUE when video and audio are linked to webrtcbin
 */
gboolean
sl_media_sender_add_branches (SlMediaSender * self, SlVideoCodec codec,
    gboolean running, GError ** error)
{
  gboolean shared = display_wants_camera (self)
      && self->opts->camera_source == NULL;
  GstElement *branches[3] = { NULL, };
  GstElement *video, *audio;
  g_autoptr (GstElement) mark = NULL;

  g_return_val_if_fail (self->video_send == NULL, FALSE);

  video = sl_media_make_video_send (self->opts, codec,
      g_steal_pointer (&self->video_source), shared, error);
  if (video == NULL)
    return FALSE;
  audio = sl_media_make_audio_send (self->opts,
      g_steal_pointer (&self->audio_source), error);
  if (audio == NULL) {
    gst_object_unref (gst_object_ref_sink (video));
    return FALSE;
  }
  branches[0] = video;
  branches[1] = audio;
  if (!self->opts->stock)
    sl_media_tune_send_pacing (self->webrtc, branches);
  if (!link_to_webrtc (self, video, error)) {
    gst_object_unref (gst_object_ref_sink (audio));
    return FALSE;
  }
  self->video_send = gst_object_ref (video);
  if (shared) {
    g_autoptr (GstPad) camera = gst_element_get_static_pad (video,
        SL_BRANCH_CAMERA_PAD);

    if (!link_camera (self, camera, error)) {
      gst_object_unref (gst_object_ref_sink (audio));
      return FALSE;
    }
  }
  mark = gst_bin_get_by_name (GST_BIN (video), SL_BRANCH_MARK);
  if (mark)
    sl_media_meter_watch_mark (self->meter, mark);
  if (!link_to_webrtc (self, audio, error))
    return FALSE;
  self->audio_send = gst_object_ref (audio);
  sl_media_sender_set_paused (self, self->mic_muted, self->camera_paused);
  if (running) {
    gst_element_sync_state_with_parent (video);
    gst_element_sync_state_with_parent (audio);
  }
  return TRUE;
}

/**
 * sl_media_sender_request_keyframe:
 * @self: a sender
 *
 * Asks the video encoder for a keyframe, so that the peer can start
 * decoding without waiting for the next periodic one.
 */
void
sl_media_sender_request_keyframe (SlMediaSender * self)
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

static void
set_branch_property (GstElement * branch, const char *name,
    const char *property, gboolean value)
{
  g_autoptr (GstElement) element = branch ?
      gst_bin_get_by_name (GST_BIN (branch), name) : NULL;

  if (element)
    g_object_set (element, property, value, NULL);
}

/**
 * sl_media_sender_set_paused:
 * @self: a sender
 * @mic_muted: send silence instead of the microphone
 * @camera_paused: send no new video frames
 *
 * Mutes without renegotiating: the audio stream goes on carrying silence
 * and the video valve drops frames before the encoder, so the peer's
 * picture stops at the last frame sent (the peer is told over the data
 * channel).  The local display keeps the capture.  Branches added later
 * start in this state.
 */
void
sl_media_sender_set_paused (SlMediaSender * self, gboolean mic_muted,
    gboolean camera_paused)
{
  gboolean resumed = self->camera_paused && !camera_paused;

  self->mic_muted = mic_muted;
  self->camera_paused = camera_paused;
  set_branch_property (self->audio_send, SL_BRANCH_MUTE, "mute", mic_muted);
  set_branch_property (self->video_send, SL_BRANCH_PAUSE, "drop",
      camera_paused);
  /* The peer decodes from the first frame after the pause at once. */
  if (resumed)
    sl_media_sender_request_keyframe (self);
}

static void
sl_media_sender_dispose (GObject * object)
{
  SlMediaSender *self = SL_MEDIA_SENDER (object);

  g_clear_pointer (&self->video_send, gst_object_unref);
  g_clear_pointer (&self->audio_send, gst_object_unref);
  g_clear_pointer (&self->video_source, gst_object_unref);
  g_clear_pointer (&self->audio_source, gst_object_unref);
  g_clear_pointer (&self->display, gst_object_unref);
  g_clear_object (&self->meter);
  g_clear_pointer (&self->webrtc, gst_object_unref);
  g_clear_pointer (&self->pipeline, gst_object_unref);

  G_OBJECT_CLASS (sl_media_sender_parent_class)->dispose (object);
}

static void
sl_media_sender_finalize (GObject * object)
{
  SlMediaSender *self = SL_MEDIA_SENDER (object);

  g_clear_pointer (&self->opts, sl_media_options_free);

  G_OBJECT_CLASS (sl_media_sender_parent_class)->finalize (object);
}

static void
sl_media_sender_class_init (SlMediaSenderClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_media_sender_dispose;
  object_class->finalize = sl_media_sender_finalize;
}

static void
sl_media_sender_init (SlMediaSender * self)
{
}
