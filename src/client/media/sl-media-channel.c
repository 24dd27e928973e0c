/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A call's data channel ("sightline"): the offerer creates it, the
 * answerer receives it from webrtcbin.  Its messages, opening and closing
 * arrive on SCTP's thread and hop to the main context; sending is a plain
 * call (webrtcbin queues it).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-channel.h"
#include "sl-media-link.h"
#include "sightline/sl-media-error.h"

#include <gst/webrtc/webrtc.h>

struct _SlMediaChannel
{
  GObject parent_instance;

  GstElement *webrtc;
  gboolean offerer;
  SlMediaLink *link;
  GstWebRTCDataChannel *channel;        /* main context */
  gulong data_channel_handler;
};

enum
{
  SIGNAL_OPEN,
  SIGNAL_MESSAGE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlMediaChannel, sl_media_channel, G_TYPE_OBJECT);

static void
message_main (gpointer target, gpointer data)
{
  g_signal_emit (target, signals[SIGNAL_MESSAGE], 0, (char *) data);
}

static void
open_main (gpointer target, gpointer data)
{
  g_signal_emit (target, signals[SIGNAL_OPEN], 0);
}

static void
closed_main (gpointer target, gpointer data)
{
  g_signal_emit (target, signals[SIGNAL_CLOSED], 0);
}

/* SCTP's thread: the link, not the object, is the callbacks' data. */
static void
on_message (GstWebRTCDataChannel * channel, const char *text, gpointer data)
{
  if (text)
    sl_media_link_hop (data, message_main, g_strdup (text), g_free);
}

static void
on_open (GstWebRTCDataChannel * channel, gpointer data)
{
  sl_media_link_hop (data, open_main, NULL, NULL);
}

static void
on_close (GstWebRTCDataChannel * channel, gpointer data)
{
  sl_media_link_hop (data, closed_main, NULL, NULL);
}

/* Any thread.  The handlers stay with the channel (webrtcbin's) and
 * reach nothing once the link is detached. */
static void
watch (GstWebRTCDataChannel * channel, SlMediaLink * link)
{
  g_signal_connect_data (channel, "on-message-string",
      G_CALLBACK (on_message), sl_media_link_ref (link),
      (GClosureNotify) sl_media_link_unref, 0);
  g_signal_connect_data (channel, "on-open", G_CALLBACK (on_open),
      sl_media_link_ref (link), (GClosureNotify) sl_media_link_unref, 0);
  g_signal_connect_data (channel, "on-close", G_CALLBACK (on_close),
      sl_media_link_ref (link), (GClosureNotify) sl_media_link_unref, 0);
}

static void
remote_channel_main (gpointer target, gpointer data)
{
  SlMediaChannel *self = target;
  GstWebRTCDataChannel *channel = data;
  GstWebRTCDataChannelState state;

  if (self->channel != NULL)
    return;
  self->channel = g_object_ref (channel);
  g_object_get (channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
    g_signal_emit (self, signals[SIGNAL_OPEN], 0);
}

/* webrtcbin's thread. */
static void
on_data_channel (GstElement * webrtc, GstWebRTCDataChannel * channel,
    gpointer data)
{
  SlMediaLink *link = data;

  /* Watched here, not after the hop, so no early message is lost. */
  watch (channel, link);
  sl_media_link_hop (link, remote_channel_main, g_object_ref (channel),
      g_object_unref);
}

/**
 * sl_media_channel_new:
 * @webrtc: the call's webrtcbin (a reference is kept)
 * @offerer: %TRUE for the side that creates the channel
 *
 * The answerer's channel is watched for at once.
 *
 * Returns: (transfer full): a channel; its signals come on the calling
 *   thread's default main context
 */
SlMediaChannel *
sl_media_channel_new (GstElement * webrtc, gboolean offerer)
{
  SlMediaChannel *self = g_object_new (SL_TYPE_MEDIA_CHANNEL, NULL);

  self->webrtc = gst_object_ref (webrtc);
  self->offerer = offerer;
  if (!offerer)
    self->data_channel_handler = g_signal_connect_data (webrtc,
        "on-data-channel", G_CALLBACK (on_data_channel),
        sl_media_link_ref (self->link), (GClosureNotify) sl_media_link_unref,
        0);
  return self;
}

/**
 * sl_media_channel_create:
 * @self: the offerer's channel
 * @error: set when webrtcbin makes none
 *
 * Call before the offer is made: the offer must carry it.
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_channel_create (SlMediaChannel * self, GError ** error)
{
  g_return_val_if_fail (self->offerer && self->channel == NULL, FALSE);

  g_signal_emit_by_name (self->webrtc, "create-data-channel", "sightline",
      NULL, &self->channel);
  if (self->channel == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Cannot create the data channel");
    return FALSE;
  }
  watch (self->channel, self->link);
  return TRUE;
}

/**
 * sl_media_channel_send_text:
 * @self: a channel
 * @text: a message
 * @error: set when the channel is not open
 *
 * Returns: %TRUE when queued
 */
gboolean
sl_media_channel_send_text (SlMediaChannel * self, const char *text,
    GError ** error)
{
  GstWebRTCDataChannelState state = GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED;

  if (self->channel)
    g_object_get (self->channel, "ready-state", &state, NULL);
  if (state != GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CLOSED,
        "The data channel is not open");
    return FALSE;
  }
  return gst_webrtc_data_channel_send_string_full (self->channel, text, error);
}

/**
 * sl_media_channel_close:
 * @self: a channel
 *
 * Closes the channel; no signal from now on.
 */
void
sl_media_channel_close (SlMediaChannel * self)
{
  sl_media_link_detach (self->link);
  g_clear_signal_handler (&self->data_channel_handler, self->webrtc);
  if (self->channel)
    gst_webrtc_data_channel_close (self->channel);
}

static void
sl_media_channel_dispose (GObject * object)
{
  SlMediaChannel *self = SL_MEDIA_CHANNEL (object);

  sl_media_link_detach (self->link);
  if (self->webrtc)
    g_clear_signal_handler (&self->data_channel_handler, self->webrtc);
  g_clear_object (&self->channel);
  g_clear_pointer (&self->webrtc, gst_object_unref);

  G_OBJECT_CLASS (sl_media_channel_parent_class)->dispose (object);
}

static void
sl_media_channel_finalize (GObject * object)
{
  SlMediaChannel *self = SL_MEDIA_CHANNEL (object);

  sl_media_link_unref (self->link);

  G_OBJECT_CLASS (sl_media_channel_parent_class)->finalize (object);
}

static void
sl_media_channel_class_init (SlMediaChannelClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_media_channel_dispose;
  object_class->finalize = sl_media_channel_finalize;

  signals[SIGNAL_OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (text) a message from the peer. */
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sl_media_channel_init (SlMediaChannel * self)
{
  self->link = sl_media_link_new (self, NULL);
}
