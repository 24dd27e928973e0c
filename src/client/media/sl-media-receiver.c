/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A call's received media: the decode branches linked to webrtcbin's src
 * pads, the gates (closed valves) in front of the sinks, the frame
 * counters, and the PNG snapshot of the last received frame.
 *
 * With a display bin (a program's own: the goggles view, sightlinebin's
 * outputs) the branches end at its ghost sink pads instead of sinks:
 * "video" takes the remote picture, "audio" (when the display has one) the
 * remote sound.  The picture passes the gate first: nothing of it reaches
 * the display before the call is verified.
 *
 * Threads: streams are added on webrtcbin's streaming threads (the branch
 * must be linked before the pad pushes); counters are atomics, the rest
 * is under @lock; the first frame hops to the main context.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-receiver.h"
#include "sl-media-branches.h"
#include "sl-media-link.h"
#include "sightline/sl-media-error.h"

#include <gst/video/video.h>

struct _SlMediaReceiver
{
  GObject parent_instance;

  SlMediaOptions *opts;
  GstBin *pipeline;
  GstElement *display;
  SlMediaLink *link;
  gint64 created_us;

  GMutex lock;
  GPtrArray *gates;
  gboolean gates_open;
  GstElement *snapshot;
  gint64 first_frame_us;
  gint video_decoded;           /* atomic */
  gint video_rendered;          /* atomic */
  gint audio_rendered;          /* atomic */
};

enum
{
  SIGNAL_FIRST_FRAME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlMediaReceiver, sl_media_receiver, G_TYPE_OBJECT);

/**
 * sl_media_receiver_new:
 * @opts: media options (copied)
 * @pipeline: the call's pipeline (a reference is kept)
 * @display: (nullable): a display bin in @pipeline with a "video" ghost
 *   sink pad (and optionally "audio")
 *
 * Returns: (transfer full): a receiver; its signals come on the calling
 *   thread's default main context
 */
SlMediaReceiver *
sl_media_receiver_new (const SlMediaOptions * opts, GstBin * pipeline,
    GstElement * display)
{
  SlMediaReceiver *self = g_object_new (SL_TYPE_MEDIA_RECEIVER, NULL);

  self->opts = sl_media_options_copy (opts);
  self->pipeline = gst_object_ref (pipeline);
  self->display = display ? gst_object_ref (display) : NULL;
  return self;
}

static void
first_frame_main (gpointer target, gpointer data)
{
  SlMediaReceiver *self = target;
  gint64 when;

  g_mutex_lock (&self->lock);
  when = self->first_frame_us;
  g_mutex_unlock (&self->lock);
  GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (self->pipeline, GST_DEBUG_GRAPH_SHOW_ALL,
      "sightline-first-frame");
  g_signal_emit (self, signals[SIGNAL_FIRST_FRAME], 0, when);
}

static GstPadProbeReturn
on_video_rendered (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SlMediaReceiver *self = user_data;
  gboolean first = FALSE;

  if (g_atomic_int_add (&self->video_rendered, 1) == 0) {
    g_mutex_lock (&self->lock);
    if (self->first_frame_us < 0) {
      self->first_frame_us = g_get_monotonic_time ();
      first = TRUE;
    }
    g_mutex_unlock (&self->lock);
  }
  if (first)
    sl_media_link_hop (self->link, first_frame_main, NULL, NULL);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_video_decoded (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SlMediaReceiver *self = user_data;

  if (g_atomic_int_add (&self->video_decoded, 1) == 0)
    g_debug ("first video frame decoded after %.1f ms (shown once the call "
        "is verified)", (g_get_monotonic_time () - self->created_us) / 1000.0);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_audio_rendered (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SlMediaReceiver *self = user_data;

  g_atomic_int_inc (&self->audio_rendered);
  return GST_PAD_PROBE_OK;
}

static void
add_probe (GstElement * element, const char *pad_name,
    GstPadProbeCallback callback, SlMediaReceiver * self)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (element, pad_name);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, callback, self, NULL);
}

static gboolean
caps_codec (GstCaps * caps, gboolean * is_video, SlVideoCodec * codec)
{
  GstStructure *s;
  const char *media, *name;

  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return FALSE;
  s = gst_caps_get_structure (caps, 0);
  media = gst_structure_get_string (s, "media");
  name = gst_structure_get_string (s, "encoding-name");
  if (g_strcmp0 (media, "audio") == 0 && g_strcmp0 (name, "OPUS") == 0) {
    *is_video = FALSE;
    return TRUE;
  }
  if (g_strcmp0 (media, "video") != 0)
    return FALSE;
  *is_video = TRUE;
  if (g_strcmp0 (name, "VP8") == 0)
    *codec = SL_VIDEO_CODEC_VP8;
  else if (g_strcmp0 (name, "H264") == 0)
    *codec = SL_VIDEO_CODEC_H264;
  else
    return FALSE;
  return TRUE;
}

/* The display's input for this stream, or NULL to end in a sink. */
static GstPad *
display_input (SlMediaReceiver * self, gboolean is_video)
{
  if (self->display == NULL)
    return NULL;
  return gst_element_get_static_pad (self->display, is_video ? "video" :
      "audio");
}

/**
 * sl_media_receiver_add_stream:
 * @self: a receiver
 * @pad: a src pad webrtcbin just added
 * @error: set when the stream cannot be decoded or linked
 *
 * Streaming thread (webrtcbin's pad-added): builds the branch, puts it in
 * the pipeline with its gate closed (unless already open) and links it.
 *
 * Returns: %TRUE when linked
 */
gboolean
sl_media_receiver_add_stream (SlMediaReceiver * self, GstPad * pad,
    GError ** error)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  g_autoptr (GstPad) input = NULL;
  g_autoptr (GstElement) gate = NULL;
  g_autoptr (GstElement) snapshot = NULL;
  GstElement *bin;
  gboolean is_video = FALSE;
  SlVideoCodec codec = SL_VIDEO_CODEC_VP8;

  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (!caps_codec (caps, &is_video, &codec)) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL,
        "The other device sends a stream this client cannot decode");
    return FALSE;
  }
  input = display_input (self, is_video);
  bin = is_video ? sl_media_make_video_receive (self->opts, codec,
      input != NULL, error) : sl_media_make_audio_receive (self->opts,
      input != NULL, error);
  if (bin == NULL)
    return FALSE;
  gate = gst_bin_get_by_name (GST_BIN (bin), SL_BRANCH_GATE);
  snapshot = gst_bin_get_by_name (GST_BIN (bin), SL_BRANCH_SNAPSHOT);

  g_mutex_lock (&self->lock);
  g_object_set (gate, "drop", !self->gates_open, NULL);
  g_ptr_array_add (self->gates, gst_object_ref (gate));
  if (snapshot && self->snapshot == NULL)
    self->snapshot = gst_object_ref (snapshot);
  g_mutex_unlock (&self->lock);

  if (is_video) {
    add_probe (gate, "sink", on_video_decoded, self);
    add_probe (gate, "src", on_video_rendered, self);
  } else {
    add_probe (gate, "src", on_audio_rendered, self);
  }

  gst_bin_add (self->pipeline, bin);
  if (input) {
    g_autoptr (GstPad) out = gst_element_get_static_pad (bin, "src");

    if (out == NULL || GST_PAD_LINK_FAILED (gst_pad_link (out, input))) {
      g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
          "Cannot link the received %s to the display",
          is_video ? "video" : "audio");
      return FALSE;
    }
  }
  gst_element_sync_state_with_parent (bin);
  sinkpad = gst_element_get_static_pad (bin, "sink");
  if (GST_PAD_LINK_FAILED (gst_pad_link (pad, sinkpad))) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Cannot link the received %s stream", is_video ? "video" : "audio");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_media_receiver_open_gates:
 * @self: a receiver
 *
 * Lets received media through to the sinks and the display, from now on
 * and for streams added later.
 */
void
sl_media_receiver_open_gates (SlMediaReceiver * self)
{
  guint i;

  g_mutex_lock (&self->lock);
  self->gates_open = TRUE;
  for (i = 0; i < self->gates->len; i++)
    g_object_set (g_ptr_array_index (self->gates, i), "drop", FALSE, NULL);
  g_mutex_unlock (&self->lock);
}

/**
 * sl_media_receiver_get_counts:
 * @self: a receiver
 * @decoded: (out) (optional): video frames decoded
 * @rendered: (out) (optional): video frames past the gate
 * @audio: (out) (optional): audio buffers past the gate
 */
void
sl_media_receiver_get_counts (SlMediaReceiver * self, guint64 * decoded,
    guint64 * rendered, guint64 * audio)
{
  if (decoded)
    *decoded = g_atomic_int_get (&self->video_decoded);
  if (rendered)
    *rendered = g_atomic_int_get (&self->video_rendered);
  if (audio)
    *audio = g_atomic_int_get (&self->audio_rendered);
}

/**
 * sl_media_receiver_get_first_frame_us:
 *
 * Returns: when the first video frame passed the gate, -1 if none yet
 */
gint64
sl_media_receiver_get_first_frame_us (SlMediaReceiver * self)
{
  gint64 when;

  g_mutex_lock (&self->lock);
  when = self->first_frame_us;
  g_mutex_unlock (&self->lock);
  return when;
}

/**
 * sl_media_receiver_write_snapshot:
 * @self: a receiver with display png
 * @path: where to write the PNG
 * @error: set when no frame was received or the file cannot be written
 *
 * Returns: %TRUE when the last received frame was written
 */
gboolean
sl_media_receiver_write_snapshot (SlMediaReceiver * self, const char *path,
    GError ** error)
{
  g_autoptr (GstSample) sample = NULL;
  g_autoptr (GstSample) png = NULL;
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GError) local_error = NULL;
  GstElement *snapshot;
  GstBuffer *buffer;
  GstMapInfo map;
  gboolean ok;

  g_mutex_lock (&self->lock);
  snapshot = self->snapshot ? gst_object_ref (self->snapshot) : NULL;
  g_mutex_unlock (&self->lock);
  if (snapshot) {
    g_object_get (snapshot, "last-sample", &sample, NULL);
    gst_object_unref (snapshot);
  }
  if (sample == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "No video frame was received");
    return FALSE;
  }
  caps = gst_caps_new_empty_simple ("image/png");
  png = gst_video_convert_sample (sample, caps, 5 * GST_SECOND, &local_error);
  if (png == NULL) {
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Cannot convert the last frame to PNG: %s",
        local_error ? local_error->message : "unknown error");
    return FALSE;
  }
  buffer = gst_sample_get_buffer (png);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Cannot read the PNG");
    return FALSE;
  }
  ok = g_file_set_contents (path, (const char *) map.data, map.size, error);
  gst_buffer_unmap (buffer, &map);
  return ok;
}

/**
 * sl_media_receiver_stop:
 * @self: a receiver
 *
 * Main context: no "first-frame" from now on.
 */
void
sl_media_receiver_stop (SlMediaReceiver * self)
{
  sl_media_link_detach (self->link);
}

static void
sl_media_receiver_dispose (GObject * object)
{
  SlMediaReceiver *self = SL_MEDIA_RECEIVER (object);

  sl_media_link_detach (self->link);
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->gates, 0);
  g_clear_pointer (&self->snapshot, gst_object_unref);
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->display, gst_object_unref);
  g_clear_pointer (&self->pipeline, gst_object_unref);

  G_OBJECT_CLASS (sl_media_receiver_parent_class)->dispose (object);
}

static void
sl_media_receiver_finalize (GObject * object)
{
  SlMediaReceiver *self = SL_MEDIA_RECEIVER (object);

  sl_media_link_unref (self->link);
  g_clear_pointer (&self->opts, sl_media_options_free);
  g_ptr_array_unref (self->gates);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sl_media_receiver_parent_class)->finalize (object);
}

static void
sl_media_receiver_class_init (SlMediaReceiverClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_media_receiver_dispose;
  object_class->finalize = sl_media_receiver_finalize;

  /* (monotonic time in µs) the first remote video frame passed the gate. */
  signals[SIGNAL_FIRST_FRAME] = g_signal_new ("first-frame",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sl_media_receiver_init (SlMediaReceiver * self)
{
  g_mutex_init (&self->lock);
  self->gates = g_ptr_array_new_with_free_func (gst_object_unref);
  self->first_frame_us = -1;
  self->created_us = g_get_monotonic_time ();
  self->link = sl_media_link_new (self, NULL);
}
