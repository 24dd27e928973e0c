/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SlMediaStats:
 *
 * A snapshot of a call's media, for the UI, --stats-json and tests.
 * Times are monotonic microseconds (g_get_monotonic_time()), -1 if not yet.
 */
typedef struct
{
  guint64 video_frames_decoded;
  guint64 video_frames_rendered;
  guint64 audio_buffers_rendered;
  gint64  started_us;
  gint64  connected_us;
  gint64  first_frame_us;
  double  video_fps;
  double  rtt_ms;
  gint64  packets_lost;
  guint64 packets_received;
  guint64 bytes_received;
  guint64 bytes_sent;
  double  receive_kbps;
  guint   latency_samples;
  double  latency_p50_ms;
  double  latency_p95_ms;
  char   *codec;
} SlMediaStats;

void sl_media_stats_copy  (const SlMediaStats *from,
                           SlMediaStats       *to);

void sl_media_stats_clear (SlMediaStats       *stats);

G_END_DECLS
