/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Media statistics: frame counters, webrtcbin's get-stats (RTT, loss,
 * bytes), and the capture-to-decode latency of marked frames.
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

#define MARK_MASK ((G_GUINT64_CONSTANT (1) << SL_MARK_BITS) - 1)

/* Frame marks are read where they are detected, on the posting thread:
 * a hop to the main loop would add its own delay to the measurement. */
GstBusSyncReply
sl_media_on_bus_sync (GstBus * bus, GstMessage * message, gpointer user_data)
{
  SlMediaSession *self = user_data;
  double latency;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT
      || !gst_structure_has_name (gst_message_get_structure (message),
          "GstSimpleVideoMarkDetect"))
    return GST_BUS_PASS;
  if (sl_media_mark_latency (message, &latency)) {
    g_mutex_lock (&self->lock);
    if (self->latencies->len < 100000)
      g_array_append_val (self->latencies, latency);
    g_mutex_unlock (&self->lock);
  }
  return GST_BUS_DROP;
}

GstPadProbeReturn
sl_media_on_mark_buffer (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data)
{
  GstObject *mark = GST_OBJECT_PARENT (pad);
  guint64 now_ms = g_get_monotonic_time () / 1000;

  g_object_set (mark, "pattern-data", now_ms & MARK_MASK, NULL);
  return GST_PAD_PROBE_OK;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
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
  g_mutex_lock (&self->lock);
  g_array_set_size (self->latencies, 0);
  g_mutex_unlock (&self->lock);
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
  GArray *copy = g_array_new (FALSE, FALSE, sizeof (double));

  g_mutex_lock (&self->lock);
  g_array_append_vals (copy, self->latencies->data, self->latencies->len);
  g_mutex_unlock (&self->lock);
  g_array_sort (copy, compare_double);
  return copy;
}

static double
stat_number (const GstStructure * s, const char *field)
{
  const GValue *v = gst_structure_get_value (s, field);
  GValue d = G_VALUE_INIT;
  double out = -1;

  if (v == NULL)
    return -1;
  g_value_init (&d, G_TYPE_DOUBLE);
  if (g_value_transform (v, &d))
    out = g_value_get_double (&d);
  g_value_unset (&d);
  return out;
}

static gboolean
collect_stat (GQuark field, const GValue * value, gpointer user_data)
{
  SlMediaStats *acc = user_data;
  const GstStructure *s;
  GstWebRTCStatsType type;
  double v;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (!gst_structure_get_enum (s, "type", GST_TYPE_WEBRTC_STATS_TYPE,
          (gint *) & type))
    return TRUE;
  switch (type) {
    case GST_WEBRTC_STATS_INBOUND_RTP:
      if ((v = stat_number (s, "bytes-received")) > 0)
        acc->bytes_received += (guint64) v;
      if ((v = stat_number (s, "packets-lost")) > 0)
        acc->packets_lost += (gint64) v;
      if ((v = stat_number (s, "packets-received")) > 0)
        acc->packets_received += (guint64) v;
      break;
    case GST_WEBRTC_STATS_OUTBOUND_RTP:
      if ((v = stat_number (s, "bytes-sent")) > 0)
        acc->bytes_sent += (guint64) v;
      break;
    case GST_WEBRTC_STATS_REMOTE_INBOUND_RTP:
      if ((v = stat_number (s, "round-trip-time")) > 0)
        acc->rtt_ms = MAX (acc->rtt_ms, v * 1000.0);
      break;
    default:
      break;
  }
  return TRUE;
}

static void
stats_main (SlMediaSession * self, gpointer data)
{
  SlMediaStats *acc = data;

  g_mutex_lock (&self->lock);
  self->net.bytes_received = acc->bytes_received;
  self->net.bytes_sent = acc->bytes_sent;
  self->net.packets_lost = acc->packets_lost;
  self->net.packets_received = acc->packets_received;
  if (acc->rtt_ms >= 0)
    self->net.rtt_ms = acc->rtt_ms;
  g_mutex_unlock (&self->lock);
}

static void
on_stats (GstPromise * promise, gpointer user_data)
{
  PromiseCtx *ctx = user_data;
  const GstStructure *reply;
  SlMediaStats *acc;

  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED
      && (reply = gst_promise_get_reply (promise))
      && !gst_structure_has_field (reply, "error")) {
    acc = g_new0 (SlMediaStats, 1);
    acc->rtt_ms = -1;
    gst_structure_foreach (reply, collect_stat, acc);
    sl_media_hop (ctx->link, stats_main, acc, g_free);
  }

}

gboolean
sl_media_on_stats_tick (gpointer user_data)
{
  SlMediaSession *self = user_data;
  gint64 now = g_get_monotonic_time ();
  guint64 rendered = g_atomic_int_get (&self->video_rendered);
  guint64 bytes;
  GstPromise *promise;
  double secs;

  g_mutex_lock (&self->lock);
  bytes = self->net.bytes_received;
  g_mutex_unlock (&self->lock);
  secs = (now - self->last_tick_us) / 1e6;
  if (self->last_tick_us > 0 && secs > 0) {
    self->fps = (rendered - self->last_rendered) / secs;
    self->kbps = (bytes - MIN (bytes, self->last_bytes)) * 8 / 1000.0 / secs;
  }
  self->last_tick_us = now;
  self->last_rendered = rendered;
  self->last_bytes = bytes;

  promise = sl_media_promise_new (on_stats, self->link, NULL, NULL, FALSE);
  g_signal_emit_by_name (self->webrtc, "get-stats", NULL, promise);
  gst_promise_unref (promise);
  return G_SOURCE_CONTINUE;
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
  g_mutex_lock (&self->lock);
  *out = self->net;
  out->first_frame_us = self->first_frame_us;
  g_mutex_unlock (&self->lock);
  out->video_frames_decoded = g_atomic_int_get (&self->video_decoded);
  out->video_frames_rendered = g_atomic_int_get (&self->video_rendered);
  out->audio_buffers_rendered = g_atomic_int_get (&self->audio_rendered);
  out->started_us = self->started_us;
  out->connected_us = self->dtls_ok ? self->connected_us : -1;
  out->video_fps = self->fps;
  out->receive_kbps = self->kbps;
  out->codec = g_strdup (sl_video_codec_to_string (self->codec));
  {
    g_autoptr (GArray) lat = sl_media_session_get_latencies (self);

    out->latency_samples = lat->len;
    if (lat->len > 0) {
      out->latency_p50_ms = g_array_index (lat, double, lat->len / 2);
      out->latency_p95_ms = g_array_index (lat, double,
          MIN (lat->len - 1, lat->len * 95 / 100));
    }
  }
}

void
sl_media_stats_clear (SlMediaStats * stats)
{
  g_clear_pointer (&stats->codec, g_free);
}
