/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the files of SlMediaSession (sl-media-*.c). */

#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include "sl-media-session.h"
#include "sightline/sl-media-error.h"

G_BEGIN_DECLS

#define STATS_INTERVAL_MS 1000

typedef struct
{
  gatomicrefcount rc;
  SlMediaSession *self;         /* main thread only; NULL once disposed */
  GMainContext *context;
  gint closing;                 /* atomic: no new webrtcbin requests */
} SlMediaLink;

struct _SlMediaSession
{
  GObject parent_instance;

  SlMediaOptions *opts;
  gboolean offerer;
  SlVideoCodec codec;
  SlMediaLink *link;

  GstElement *pipeline;
  GstElement *webrtc;
  GstElement *video_send;
  GstElement *view_bin;         /* goggles view, or NULL */
  GstWebRTCDataChannel *channel;
  guint bus_watch;
  guint stats_timer;
  gboolean started;
  gboolean stopped;
  gint unpaced;                 /* atomic: webrtcbin's send pacing off */
  gboolean failed;

  char *local_fingerprint;
  char *remote_fingerprint;
  gboolean dtls_checked;
  gboolean dtls_ok;
  gboolean corrupt_fingerprint;

  /* Streaming threads touch these. */
  GMutex lock;
  GPtrArray *gates;
  gboolean gates_open;
  GstElement *snapshot;
  gint64 first_frame_us;
  SlMediaStats net;
  gint video_decoded;
  gint video_rendered;
  gint audio_rendered;
  GArray *latencies;            /* double, ms */

  /* Main thread. */
  gint64 started_us;
  gint64 connected_us;
  guint64 last_rendered;
  guint64 last_bytes;
  gint64 last_tick_us;
  double fps;
  double kbps;
};

typedef enum
{
  SL_MEDIA_SIGNAL_LOCAL_DESCRIPTION,
  SL_MEDIA_SIGNAL_LOCAL_CANDIDATE,
  SL_MEDIA_SIGNAL_DTLS_VERIFIED,
  SL_MEDIA_SIGNAL_CHANNEL_OPEN,
  SL_MEDIA_SIGNAL_CHANNEL_MESSAGE,
  SL_MEDIA_SIGNAL_CHANNEL_CLOSED,
  SL_MEDIA_SIGNAL_FIRST_FRAME,
  SL_MEDIA_SIGNAL_FAILED,
  SL_MEDIA_N_SIGNALS
} SlMediaSignal;

typedef void (*HopFunc) (SlMediaSession * self, gpointer data);

/* What a promise callback needs: never the session itself. */
typedef struct
{
  SlMediaLink *link;
  GstElement  *webrtc;
  const char  *what;
  gboolean     flag;
} PromiseCtx;

void          sl_media_session_emit     (SlMediaSession *self,
                                         SlMediaSignal   signal,
                                         ...);

/* sl-media-link.c */
SlMediaLink * sl_media_link_ref         (SlMediaLink   *link);
void          sl_media_link_unref       (gpointer       data);
void          sl_media_link_drain       (SlMediaLink   *link,
                                         GstElement    *webrtc);
void          sl_media_hop              (SlMediaLink   *link,
                                         HopFunc        func,
                                         gpointer       data,
                                         GDestroyNotify destroy);
void          sl_media_fail_main        (SlMediaSession *self,
                                         gpointer        data);
void          sl_media_fail_later       (SlMediaLink   *link,
                                         SlMediaError  code,
                                         char          *message);
GstPromise *  sl_media_promise_new      (GstPromiseChangeFunc func,
                                         SlMediaLink   *link,
                                         GstElement    *webrtc,
                                         const char    *what,
                                         gboolean       flag);
gboolean      sl_media_promise_ok       (GstPromise          *promise,
                                         SlMediaLink         *link,
                                         const char          *what,
                                         const GstStructure **out_reply);
GstPromise *  sl_media_checked_promise  (SlMediaLink   *link,
                                         const char    *what);

/* sl-media-peer.c */
void          sl_media_on_connection_state (GObject        *webrtc,
                                            GParamSpec     *pspec,
                                            SlMediaSession *self);
void          sl_media_watch_channel    (SlMediaSession       *self,
                                         GstWebRTCDataChannel *channel);
void          sl_media_on_data_channel  (GstElement           *webrtc,
                                         GstWebRTCDataChannel *channel,
                                         SlMediaSession       *self);
GstWebRTCDTLSTransport * sl_media_dtls_transport (GstElement *webrtc);

/* sl-media-receive.c */
void          sl_media_add_probe        (GstElement          *element,
                                         const char          *pad_name,
                                         GstPadProbeCallback  callback,
                                         SlMediaSession      *self);
void          sl_media_on_pad_added     (GstElement     *webrtc,
                                         GstPad         *pad,
                                         SlMediaSession *self);

/* sl-media-goggles.c */
gboolean      sl_media_goggles_build    (SlMediaSession *self,
                                         GError        **error);
gboolean      sl_media_goggles_link_camera (SlMediaSession *self,
                                            GstElement     *video_send,
                                            GError        **error);
gboolean      sl_media_goggles_link_remote (SlMediaSession *self,
                                            GstElement     *receive,
                                            GError        **error);
void          sl_media_goggles_release  (SlMediaSession *self);

/* sl-media-ice.c */
gboolean      sl_media_restrict_ice     (SlMediaSession  *self,
                                         GError         **error);
void          sl_media_hand_back_ice    (SlMediaSession  *self);

/* sl-media-tuning.c */
void          sl_media_tune_webrtc      (SlMediaSession  *self);
void          sl_media_tune_send_pacing (SlMediaSession  *self,
                                         GstElement     **branches);

/* sl-media-stats.c */
GstBusSyncReply sl_media_on_bus_sync    (GstBus     *bus,
                                         GstMessage *message,
                                         gpointer    user_data);
GstPadProbeReturn sl_media_on_mark_buffer (GstPad          *pad,
                                           GstPadProbeInfo *info,
                                           gpointer         user_data);
gboolean      sl_media_on_stats_tick    (gpointer user_data);

G_END_DECLS
