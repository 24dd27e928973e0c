/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The media session's link to the peer beyond RTP: the DTLS fingerprint
 * check once the connection is up, and the data channel.
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
/* DTLS fingerprint check                                               */

/**
 * sl_media_dtls_transport:
 * @webrtc: a call's webrtcbin
 *
 * Returns: (transfer full) (nullable): the DTLS transport every stream of
 *   the call shares (max-bundle), or %NULL before negotiation
 */
GstWebRTCDTLSTransport *
sl_media_dtls_transport (GstElement * webrtc)
{
  g_autoptr (GstWebRTCRTPTransceiver) trans = NULL;
  g_autoptr (GstWebRTCRTPSender) sender = NULL;
  GstWebRTCDTLSTransport *dtls = NULL;

  g_signal_emit_by_name (webrtc, "get-transceiver", 0, &trans);
  if (trans)
    g_object_get (trans, "sender", &sender, NULL);
  if (sender)
    g_object_get (sender, "transport", &dtls, NULL);
  return dtls;
}

static char *
remote_certificate (SlMediaSession * self)
{
  g_autoptr (GstWebRTCDTLSTransport) dtls =
      sl_media_dtls_transport (self->webrtc);
  char *pem = NULL;

  if (dtls)
    g_object_get (dtls, "remote-certificate", &pem, NULL);
  return pem;
}

static void
check_fingerprint (SlMediaSession * self)
{
  g_autofree char *pem = NULL;
  g_autofree char *seen = NULL;
  g_autoptr (GError) error = NULL;

  self->dtls_checked = TRUE;
  pem = remote_certificate (self);
  seen = sl_dtls_fingerprint_from_pem (pem, &error);
  if (seen == NULL) {
    sl_media_fail_main (self, error);
    return;
  }
#ifdef SL_TEST_HOOKS
  /* Test hook: pretend the peer presented another certificate. */
  if (self->corrupt_fingerprint) {
    char *last = seen + strlen (seen) - 1;
    *last = *last == '0' ? '1' : '0';
  }
#endif
  if (!sl_dtls_fingerprint_equal (seen, self->remote_fingerprint)) {
    g_autoptr (GError) mismatch =
        g_error_new_literal (SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY,
        "The other device's media certificate does not match the one in "
        "its sealed session description: someone may be intercepting the "
        "call");
    sl_media_fail_main (self, mismatch);
    return;
  }
  self->dtls_ok = TRUE;
  self->connected_us = g_get_monotonic_time ();
  GST_DEBUG_BIN_TO_DOT_FILE_WITH_TS (GST_BIN (self->pipeline),
      GST_DEBUG_GRAPH_SHOW_ALL, "sightline-connected");
  sl_media_session_request_keyframe (self);
  sl_media_session_emit (self, SL_MEDIA_SIGNAL_DTLS_VERIFIED);
}

static void
connection_state_main (SlMediaSession * self, gpointer data)
{
  GstWebRTCPeerConnectionState state = GPOINTER_TO_INT (data);

  g_debug ("%s: connection state %d", self->offerer ? "offerer" : "answerer",
      state);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED
      && !self->dtls_checked && self->remote_fingerprint != NULL) {
    check_fingerprint (self);
  } else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) {
    g_autoptr (GError) error = g_error_new_literal (SL_MEDIA_ERROR,
        SL_MEDIA_ERROR_FAILED, "The media connection (ICE/DTLS) failed");
    sl_media_fail_main (self, error);
  }
}

void
sl_media_on_connection_state (GObject * webrtc, GParamSpec * pspec,
    SlMediaSession * self)
{
  GstWebRTCPeerConnectionState state;

  g_object_get (webrtc, "connection-state", &state, NULL);
  sl_media_hop (self->link, connection_state_main, GINT_TO_POINTER (state),
      NULL);
}

/* ------------------------------------------------------------------ */
/* Data channel                                                         */

static void
channel_message_main (SlMediaSession * self, gpointer data)
{
  sl_media_session_emit (self, SL_MEDIA_SIGNAL_CHANNEL_MESSAGE, (char *) data);
}

static void
channel_open_main (SlMediaSession * self, gpointer data)
{
  sl_media_session_emit (self, SL_MEDIA_SIGNAL_CHANNEL_OPEN);
}

static void
channel_closed_main (SlMediaSession * self, gpointer data)
{
  sl_media_session_emit (self, SL_MEDIA_SIGNAL_CHANNEL_CLOSED);
}

static void
on_channel_message (GstWebRTCDataChannel * channel, const char *text,
    SlMediaSession * self)
{
  if (text)
    sl_media_hop (self->link, channel_message_main, g_strdup (text), g_free);
}

static void
on_channel_open (GstWebRTCDataChannel * channel, SlMediaSession * self)
{
  sl_media_hop (self->link, channel_open_main, NULL, NULL);
}

static void
on_channel_close (GstWebRTCDataChannel * channel, SlMediaSession * self)
{
  sl_media_hop (self->link, channel_closed_main, NULL, NULL);
}

void
sl_media_watch_channel (SlMediaSession * self, GstWebRTCDataChannel * channel)
{
  g_signal_connect (channel, "on-message-string",
      G_CALLBACK (on_channel_message), self);
  g_signal_connect (channel, "on-open", G_CALLBACK (on_channel_open), self);
  g_signal_connect (channel, "on-close", G_CALLBACK (on_channel_close), self);
}

static void
remote_channel_main (SlMediaSession * self, gpointer data)
{
  GstWebRTCDataChannel *channel = data;
  GstWebRTCDataChannelState state;

  if (self->channel != NULL)
    return;
  self->channel = g_object_ref (channel);
  g_object_get (channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
    sl_media_session_emit (self, SL_MEDIA_SIGNAL_CHANNEL_OPEN);
}

void
sl_media_on_data_channel (GstElement * webrtc, GstWebRTCDataChannel * channel,
    SlMediaSession * self)
{
  /* Connected here, not after the sl_media_hop, so no early message is lost. */
  sl_media_watch_channel (self, channel);
  sl_media_hop (self->link, remote_channel_main, g_object_ref (channel),
      g_object_unref);
}

static void
prepare_dtls_thread (GTask * task, gpointer source, gpointer data,
    GCancellable * cancellable)
{
  g_autoptr (GError) error = NULL;

  if (GPOINTER_TO_INT (data))
    sl_media_probe_devices ();
  if (sl_media_prepare_dtls (&error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * sl_media_prepare_dtls:
 * @error: set when the DTLS elements are missing
 *
 * GStreamer's DTLS elements make one certificate per process on first use,
 * which takes a few hundred milliseconds: paying it here, at start-up,
 * keeps it off the first call.  Blocks; see sl_media_prepare_dtls_async().
 *
 * Returns: %TRUE when the certificate is ready
 */
gboolean
sl_media_prepare_dtls (GError ** error)
{
  GstElement *dec = gst_element_factory_make ("dtlsdec", NULL);
  char *pem = NULL;

  if (dec == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "The DTLS elements are missing (gstreamer1.0-plugins-bad)");
    return FALSE;
  }
  g_object_get (dec, "pem", &pem, NULL);
  gst_object_unref (gst_object_ref_sink (dec));
  if (pem == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Could not make the DTLS certificate");
    return FALSE;
  }
  g_free (pem);
  return TRUE;
}

/**
 * sl_media_prepare_dtls_async:
 * @probe_devices: also look for a camera, microphone and speaker now
 *   (needed when sources are not given or received media is played), so
 *   that no call waits for it
 * @cancellable: (nullable): a cancellable
 * @callback: called on the calling thread's main context when done
 * @user_data: for @callback
 *
 * Runs sl_media_prepare_dtls() on a worker thread.
 */
void
sl_media_prepare_dtls_async (gboolean probe_devices,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sl_media_prepare_dtls_async);
  g_task_set_task_data (task, GINT_TO_POINTER (probe_devices), NULL);
  g_task_run_in_thread (task, prepare_dtls_thread);
}

gboolean
sl_media_prepare_dtls_finish (GAsyncResult * result, GError ** error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
