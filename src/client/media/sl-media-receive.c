/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Received media: the decode branches linked to webrtcbin's src pads, the
 * gates (closed valves) in front of the sinks, the frame counters, and the
 * PNG snapshot of the last received frame.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-session-private.h"
#include "sl-media-branches.h"
#include "sl-dtls-fingerprint.h"
#include "sightline/sl-media-error.h"

#include <string.h>
#include <gst/video/video.h>

/* ------------------------------------------------------------------ */
/* Received media                                                       */

static void
first_frame_main (SlMediaSession * self, gpointer data)
{
  gint64 when;

  g_mutex_lock (&self->lock);
  when = self->first_frame_us;
  g_mutex_unlock (&self->lock);
  GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (self->pipeline),
      GST_DEBUG_GRAPH_SHOW_ALL, "sightline-first-frame");
  sl_media_session_emit (self, SL_MEDIA_SIGNAL_FIRST_FRAME, when);
}

static GstPadProbeReturn
on_video_rendered (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SlMediaSession *self = user_data;
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
    sl_media_hop (self->link, first_frame_main, NULL, NULL);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_video_decoded (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SlMediaSession *self = user_data;

  if (g_atomic_int_add (&self->video_decoded, 1) == 0)
    g_debug ("%s: first video frame decoded after %.1f ms (shown once the "
        "call is verified)", self->offerer ? "offerer" : "answerer",
        (g_get_monotonic_time () - self->started_us) / 1000.0);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_audio_rendered (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SlMediaSession *self = user_data;

  g_atomic_int_inc (&self->audio_rendered);
  return GST_PAD_PROBE_OK;
}

void
sl_media_add_probe (GstElement * element, const char *pad_name,
    GstPadProbeCallback callback, SlMediaSession * self)
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

/* Runs on a streaming thread: the branch must be linked before the pad
 * pushes, so this cannot hop to the main context first. */
void
sl_media_on_pad_added (GstElement * webrtc, GstPad * pad, SlMediaSession * self)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  g_autoptr (GstElement) gate = NULL;
  g_autoptr (GstElement) snapshot = NULL;
  GstElement *bin;
  gboolean is_video = FALSE;
  SlVideoCodec codec = SL_VIDEO_CODEC_VP8;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (!caps_codec (caps, &is_video, &codec)) {
    sl_media_fail_later (self->link, SL_MEDIA_ERROR_PROTOCOL,
        g_strdup ("The other device sends a stream this client cannot "
            "decode"));
    return;
  }

  bin = is_video ? sl_media_make_video_receive (self->opts, codec, &error) :
      sl_media_make_audio_receive (self->opts, &error);
  if (bin == NULL) {
    sl_media_fail_later (self->link, SL_MEDIA_ERROR_FAILED,
        g_strdup (error->message));
    return;
  }
  gate = gst_bin_get_by_name (GST_BIN (bin), SL_BRANCH_GATE);
  snapshot = gst_bin_get_by_name (GST_BIN (bin), SL_BRANCH_SNAPSHOT);

  g_mutex_lock (&self->lock);
  g_object_set (gate, "drop", !self->gates_open, NULL);
  g_ptr_array_add (self->gates, gst_object_ref (gate));
  if (snapshot && self->snapshot == NULL)
    self->snapshot = gst_object_ref (snapshot);
  g_mutex_unlock (&self->lock);

  if (is_video) {
    sl_media_add_probe (gate, "sink", on_video_decoded, self);
    sl_media_add_probe (gate, "src", on_video_rendered, self);
  } else {
    sl_media_add_probe (gate, "src", on_audio_rendered, self);
  }

  gst_bin_add (GST_BIN (self->pipeline), bin);
  if (is_video && self->view_bin
      && !sl_media_goggles_link_remote (self, bin, &error)) {
    sl_media_fail_later (self->link, SL_MEDIA_ERROR_FAILED,
        g_strdup (error->message));
    return;
  }
  gst_element_sync_state_with_parent (bin);
  sinkpad = gst_element_get_static_pad (bin, "sink");
  if (GST_PAD_LINK_FAILED (gst_pad_link (pad, sinkpad)))
    sl_media_fail_later (self->link, SL_MEDIA_ERROR_FAILED,
        g_strdup_printf ("Cannot link the received %s stream",
            is_video ? "video" : "audio"));
}

/**
 * sl_media_session_write_snapshot:
 * @self: a session with display png
 * @path: where to write the PNG
 * @error: set when no frame was received or the file cannot be written
 *
 * Returns: %TRUE when the last received frame was written
 */
gboolean
sl_media_session_write_snapshot (SlMediaSession * self, const char *path,
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
