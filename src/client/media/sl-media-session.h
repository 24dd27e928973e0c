/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-media-options.h"

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

void sl_media_stats_clear (SlMediaStats *stats);

#define SL_TYPE_MEDIA_SESSION (sl_media_session_get_type ())
G_DECLARE_FINAL_TYPE (SlMediaSession, sl_media_session, SL, MEDIA_SESSION,
                      GObject)

void             sl_media_prepare_dtls_async  (gboolean             probe_devices,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean         sl_media_prepare_dtls_finish (GAsyncResult  *result,
                                               GError       **error);
gboolean         sl_media_prepare_dtls        (GError **error);

SlMediaSession * sl_media_session_new         (const SlMediaOptions *opts,
                                               gboolean              offerer,
                                               SlVideoCodec          codec,
                                               GError              **error);

gboolean         sl_media_session_start       (SlMediaSession *self,
                                               GError        **error);

gboolean         sl_media_session_set_remote_description (SlMediaSession *self,
                                                          const char     *sdp,
                                                          GError        **error);

gboolean         sl_media_session_add_remote_candidate (SlMediaSession *self,
                                                        guint           mline,
                                                        const char     *candidate,
                                                        GError        **error);

gboolean         sl_media_session_send_text   (SlMediaSession *self,
                                               const char     *text,
                                               GError        **error);

void             sl_media_session_open_gates  (SlMediaSession *self);

void             sl_media_session_request_keyframe (SlMediaSession *self);

const char *     sl_media_session_get_local_fingerprint  (SlMediaSession *self);
const char *     sl_media_session_get_remote_fingerprint (SlMediaSession *self);

SlVideoCodec     sl_media_session_get_codec   (SlMediaSession *self);

void             sl_media_session_get_stats   (SlMediaSession *self,
                                               SlMediaStats   *out);

gboolean         sl_media_session_write_snapshot (SlMediaSession *self,
                                                  const char     *path,
                                                  GError        **error);

void             sl_media_session_stop        (SlMediaSession *self);

GArray *         sl_media_session_get_latencies (SlMediaSession *self);
void             sl_media_session_reset_latencies (SlMediaSession *self);

SlVideoCodec     sl_media_codec_from_sdp      (const char     *sdp,
                                               gboolean       *found);

G_END_DECLS
