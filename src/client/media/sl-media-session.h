/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "sl-media-channel.h"
#include "sightline/sl-media-options.h"
#include "sightline/sl-media-stats.h"

G_BEGIN_DECLS

/**
 * SlMediaElements:
 * @display: (nullable): a bin for received media, with a ghost sink pad
 *   "video" (raw video, after the gate) and optionally "camera" (the
 *   local capture, raw) and "audio" (raw audio, after the gate)
 * @video_source: (nullable): a bin with a ghost src pad of raw video, the
 *   capture to send instead of the options' source description
 * @audio_source: (nullable): the same for audio
 *
 * Elements a program brings to a call's pipeline.  All floating: the
 * session takes them.
 */
typedef struct
{
  GstElement *display;
  GstElement *video_source;
  GstElement *audio_source;
} SlMediaElements;

#define SL_TYPE_MEDIA_SESSION (sl_media_session_get_type ())
G_DECLARE_FINAL_TYPE (SlMediaSession, sl_media_session, SL, MEDIA_SESSION,
                      GObject)

SlMediaSession * sl_media_session_new         (const SlMediaOptions  *opts,
                                               gboolean               offerer,
                                               SlVideoCodec           codec,
                                               GError               **error);

SlMediaSession * sl_media_session_new_full    (const SlMediaOptions  *opts,
                                               gboolean               offerer,
                                               SlVideoCodec           codec,
                                               const SlMediaElements *elements,
                                               GError               **error);

void             sl_media_session_enable_recovery (SlMediaSession *self);

gboolean         sl_media_session_start       (SlMediaSession *self,
                                               GError        **error);

gboolean         sl_media_session_set_remote_description (SlMediaSession *self,
                                                          const char     *sdp,
                                                          GError        **error);

gboolean         sl_media_session_add_remote_candidate (SlMediaSession *self,
                                                        guint           mline,
                                                        const char     *candidate,
                                                        GError        **error);

SlMediaChannel * sl_media_session_get_channel (SlMediaSession *self);

void             sl_media_session_open_gates  (SlMediaSession *self);

void             sl_media_session_request_keyframe (SlMediaSession *self);

void             sl_media_session_set_paused  (SlMediaSession *self,
                                               gboolean        mic_muted,
                                               gboolean        camera_paused);

const char *     sl_media_session_get_local_fingerprint  (SlMediaSession *self);
const char *     sl_media_session_get_remote_fingerprint (SlMediaSession *self);

SlVideoCodec     sl_media_session_get_codec   (SlMediaSession *self);

void             sl_media_session_get_stats   (SlMediaSession *self,
                                               SlMediaStats   *out);

void             sl_media_session_query_pair  (SlMediaSession *self,
                                               void          (*func) (const char *local_type,
                                                                      const char *remote_type,
                                                                      gpointer    user_data),
                                               gpointer        user_data,
                                               GDestroyNotify  destroy);

void             sl_media_session_stop_async  (SlMediaSession      *self,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
void             sl_media_session_stop_finish (SlMediaSession      *self,
                                               GAsyncResult        *result);
void             sl_media_session_stop        (SlMediaSession *self);

GArray *         sl_media_session_get_latencies (SlMediaSession *self);
void             sl_media_session_reset_latencies (SlMediaSession *self);

G_END_DECLS
