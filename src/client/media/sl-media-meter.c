/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What a call's media measures: webrtcbin's get-stats once a second (RTT,
 * loss, bytes), the received frame rate and bit rate over that second,
 * and the capture-to-decode latency of marked frames.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-meter.h"
#include "sl-media-branches.h"
#include "sl-media-link.h"
#include "sl-source.h"

#include <string.h>
#include <gst/webrtc/webrtc.h>

#define STATS_INTERVAL_MS 1000

struct _SlMediaMeter
{
  GObject parent_instance;

  GstElement *webrtc;
  SlMediaReceiver *receiver;
  SlMediaLink *link;
  GSource *timer;

  /* Streaming threads touch these. */
  GMutex lock;
  SlMediaStats net;
  GArray *latencies;            /* double, ms */

  /* Main thread. */
  guint64 last_rendered;
  guint64 last_bytes;
  gint64 last_tick_us;
  double fps;
  double kbps;
};

G_DEFINE_FINAL_TYPE (SlMediaMeter, sl_media_meter, G_TYPE_OBJECT);

#define MARK_MASK ((G_GUINT64_CONSTANT (1) << SL_MARK_BITS) - 1)

/* Frame marks are read where they are detected, on the posting thread:
 * a hop to the main loop would add its own delay to the measurement. */
GstBusSyncReply
sl_media_meter_on_bus_sync (GstBus * bus, GstMessage * message,
    gpointer user_data)
{
  SlMediaMeter *self = user_data;
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

static GstPadProbeReturn
on_mark_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstObject *mark = GST_OBJECT_PARENT (pad);
  guint64 now_ms = g_get_monotonic_time () / 1000;

  g_object_set (mark, "pattern-data", now_ms & MARK_MASK, NULL);
  return GST_PAD_PROBE_OK;
}

/**
 * sl_media_meter_watch_mark:
 * @self: a meter
 * @mark: the send branch's simplevideomark
 *
 * Writes each frame's capture time into its mark.
 */
void
sl_media_meter_watch_mark (SlMediaMeter * self, GstElement * mark)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (mark, "sink");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_mark_buffer, NULL,
      NULL);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/**
 * sl_media_meter_reset_latencies:
 * @self: a meter
 *
 * Forgets the latencies measured so far (benchmarks skip a warm-up).
 */
void
sl_media_meter_reset_latencies (SlMediaMeter * self)
{
  g_mutex_lock (&self->lock);
  g_array_set_size (self->latencies, 0);
  g_mutex_unlock (&self->lock);
}

/**
 * sl_media_meter_get_latencies:
 * @self: a meter of a session with mark_frames
 *
 * Returns: (transfer full): capture-to-decode latency of every marked
 *   frame received so far, in milliseconds, sorted
 */
GArray *
sl_media_meter_get_latencies (SlMediaMeter * self)
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
stats_main (gpointer target, gpointer data)
{
  SlMediaMeter *self = target;
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
  SlPromiseCtx *ctx = user_data;
  const GstStructure *reply;
  SlMediaStats *acc;

  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED
      && (reply = gst_promise_get_reply (promise))
      && !gst_structure_has_field (reply, "error")) {
    acc = g_new0 (SlMediaStats, 1);
    acc->rtt_ms = -1;
    gst_structure_foreach (reply, collect_stat, acc);
    sl_media_link_hop (ctx->link, stats_main, acc, g_free);
  }
}

static gboolean
on_tick (gpointer user_data)
{
  SlMediaMeter *self = user_data;
  gint64 now = g_get_monotonic_time ();
  guint64 rendered = 0;
  guint64 bytes;
  GstPromise *promise;
  double secs;

  sl_media_receiver_get_counts (self->receiver, NULL, &rendered, NULL);
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

  promise = sl_media_link_promise (self->link, on_stats, NULL, NULL, FALSE);
  g_signal_emit_by_name (self->webrtc, "get-stats", NULL, promise);
  gst_promise_unref (promise);
  return G_SOURCE_CONTINUE;
}

/**
 * sl_media_meter_new:
 * @webrtc: the call's webrtcbin (a reference is kept)
 * @receiver: where received frames are counted (a reference is kept)
 *
 * Returns: (transfer full): a meter, idle until sl_media_meter_start()
 */
SlMediaMeter *
sl_media_meter_new (GstElement * webrtc, SlMediaReceiver * receiver)
{
  SlMediaMeter *self = g_object_new (SL_TYPE_MEDIA_METER, NULL);

  self->webrtc = gst_object_ref (webrtc);
  self->receiver = g_object_ref (receiver);
  return self;
}

/**
 * sl_media_meter_start:
 * @self: a meter
 *
 * Asks webrtcbin for its statistics once a second from now on.
 */
void
sl_media_meter_start (SlMediaMeter * self)
{
  if (self->timer == NULL)
    self->timer = sl_timeout_attach (STATS_INTERVAL_MS, on_tick, self);
}

/**
 * sl_media_meter_stop:
 * @self: a meter
 *
 * No more requests; replies still on their way are dropped.
 */
void
sl_media_meter_stop (SlMediaMeter * self)
{
  sl_source_clear (&self->timer);
  sl_media_link_detach (self->link);
}

/**
 * sl_media_meter_fill:
 * @self: a meter
 * @out: (out caller-allocates): its network figures, rates and
 *   latencies are filled in; the other members are left alone
 */
void
sl_media_meter_fill (SlMediaMeter * self, SlMediaStats * out)
{
  g_autoptr (GArray) lat = sl_media_meter_get_latencies (self);

  g_mutex_lock (&self->lock);
  out->rtt_ms = self->net.rtt_ms;
  out->packets_lost = self->net.packets_lost;
  out->packets_received = self->net.packets_received;
  out->bytes_received = self->net.bytes_received;
  out->bytes_sent = self->net.bytes_sent;
  g_mutex_unlock (&self->lock);
  out->video_fps = self->fps;
  out->receive_kbps = self->kbps;
  out->latency_samples = lat->len;
  out->latency_p50_ms = 0;
  out->latency_p95_ms = 0;
  if (lat->len > 0) {
    out->latency_p50_ms = g_array_index (lat, double, lat->len / 2);
    out->latency_p95_ms = g_array_index (lat, double,
        MIN (lat->len - 1, lat->len * 95 / 100));
  }
}

static void
sl_media_meter_dispose (GObject * object)
{
  SlMediaMeter *self = SL_MEDIA_METER (object);

  sl_media_meter_stop (self);
  g_clear_object (&self->receiver);
  g_clear_pointer (&self->webrtc, gst_object_unref);

  G_OBJECT_CLASS (sl_media_meter_parent_class)->dispose (object);
}

static void
sl_media_meter_finalize (GObject * object)
{
  SlMediaMeter *self = SL_MEDIA_METER (object);

  sl_media_link_unref (self->link);
  g_array_unref (self->latencies);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sl_media_meter_parent_class)->finalize (object);
}

static void
sl_media_meter_class_init (SlMediaMeterClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_media_meter_dispose;
  object_class->finalize = sl_media_meter_finalize;
}

static void
sl_media_meter_init (SlMediaMeter * self)
{
  g_mutex_init (&self->lock);
  self->latencies = g_array_new (FALSE, FALSE, sizeof (double));
  self->net.rtt_ms = -1;
  self->link = sl_media_link_new (self, NULL);
}
