/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * One DTLS handshake between GStreamer's own elements, as webrtcbin's
 * transports run it over ICE: a client and a server connection, each a
 * dtlsenc/dtlsdec pair sharing a connection-id, the client's dtlsenc
 * feeding the server's dtlsdec and back.  The certificate is the one
 * dtlsdec makes by default (webrtcbin's, RSA-2048) and GStreamer's DTLS
 * agent offers the SRTP profiles on every connection, so the records on
 * the wire are webrtcbin's.  Shared by the dtls test suite and
 * bench/dtls, which watch and drop datagrams through pad probes.
 */

#include "config.h"

#include "sl-dtls-pair.h"

struct _SlDtlsPair
{
  GstElement *pipeline;
  /* [side]: 0 client, 1 server */
  GstElement *enc[2];
  GstElement *dec[2];
  GMutex lock;
  GCond cond;
  gint64 connected[2];
  gboolean failed;
};

static void
on_state (GObject * dec, GParamSpec * pspec, gpointer data)
{
  SlDtlsPair *pair = data;
  guint side = dec == G_OBJECT (pair->dec[0]) ? 0 : 1;
  gint state;

  g_object_get (dec, "connection-state", &state, NULL);
  g_mutex_lock (&pair->lock);
  if (state == 4 && pair->connected[side] == 0) /* connected */
    pair->connected[side] = g_get_monotonic_time ();
  else if (state == 2)          /* failed */
    pair->failed = TRUE;
  g_cond_broadcast (&pair->cond);
  g_mutex_unlock (&pair->lock);
}

static GstElement *
add (SlDtlsPair * pair, const char *factory, const char *id)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (e == NULL)
    g_error ("no %s element (gstreamer1.0-plugins-bad)", factory);
  /* dtlsdec makes the connection, and its SSL object, right here. */
  g_object_set (e, "connection-id", id, NULL);
  gst_bin_add (GST_BIN (pair->pipeline), e);
  return e;
}

/**
 * sl_dtls_pair_new:
 *
 * Makes the two connections (and their SSL objects), not yet started.
 *
 * Returns: (transfer full): the pair
 */
SlDtlsPair *
sl_dtls_pair_new (void)
{
  static gint serial;
  SlDtlsPair *pair = g_new0 (SlDtlsPair, 1);
  gint n = g_atomic_int_add (&serial, 1);
  guint i;

  g_mutex_init (&pair->lock);
  g_cond_init (&pair->cond);
  pair->pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  for (i = 0; i < 2; i++) {
    g_autofree char *id = g_strdup_printf ("sl-pair-%d-%s", n,
        i ? "server" : "client");

    pair->dec[i] = add (pair, "dtlsdec", id);
    pair->enc[i] = add (pair, "dtlsenc", id);
    g_signal_connect (pair->dec[i], "notify::connection-state",
        G_CALLBACK (on_state), pair);
  }
  g_object_set (pair->enc[0], "is-client", TRUE, NULL);
  for (i = 0; i < 2; i++)
    if (!gst_element_link (pair->enc[i], pair->dec[1 - i]))
      g_error ("cannot link dtlsenc to dtlsdec");
  return pair;
}

/**
 * sl_dtls_pair_add_probe:
 * @pair: the pair
 * @side: 0 the client, 1 the server
 * @where: its dtlsenc's output or its dtlsdec's input
 * @callback: a buffer probe (%GST_PAD_PROBE_DROP drops the datagram)
 * @user_data: for @callback
 */
void
sl_dtls_pair_add_probe (SlDtlsPair * pair, guint side, SlDtlsPairPad where,
    GstPadProbeCallback callback, gpointer user_data)
{
  g_autoptr (GstPad) pad = where == SL_DTLS_PAIR_SENT ?
      gst_element_get_static_pad (pair->enc[side], "src") :
      gst_element_get_static_pad (pair->dec[side], "sink");

  g_return_if_fail (side < 2);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, callback, user_data, NULL);
}

/**
 * sl_dtls_pair_start:
 * @pair: the pair
 *
 * Starts the server, then the client, whose dtlsenc sends the ClientHello
 * as it starts: a DTLS object not yet in accept state fails on it, and in
 * webrtcbin DTLS starts once ICE has connected, with both sides running.
 *
 * Returns: when the client started (monotonic time, µs)
 */
gint64
sl_dtls_pair_start (SlDtlsPair * pair)
{
  gint64 started;

  gst_element_set_locked_state (pair->enc[0], TRUE);
  if (gst_element_set_state (pair->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    g_error ("the DTLS server does not start");
  gst_element_set_locked_state (pair->enc[0], FALSE);
  started = g_get_monotonic_time ();
  if (!gst_element_sync_state_with_parent (pair->enc[0]))
    g_error ("the DTLS client does not start");
  return started;
}

/**
 * sl_dtls_pair_get_connected:
 * @pair: the pair
 * @side: 0 the client, 1 the server
 *
 * Returns: when @side's dtlsdec reported "connected" (monotonic time, µs),
 *   0 if it has not
 */
gint64
sl_dtls_pair_get_connected (SlDtlsPair * pair, guint side)
{
  gint64 t;

  g_return_val_if_fail (side < 2, 0);

  g_mutex_lock (&pair->lock);
  t = pair->connected[side];
  g_mutex_unlock (&pair->lock);
  return t;
}

/**
 * sl_dtls_pair_has_failed:
 * @pair: the pair
 *
 * Returns: whether a connection failed or an element posted an error
 */
gboolean
sl_dtls_pair_has_failed (SlDtlsPair * pair)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pair->pipeline);
  g_autoptr (GstMessage) message =
      gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gboolean failed;

  g_mutex_lock (&pair->lock);
  if (message != NULL)
    pair->failed = TRUE;
  failed = pair->failed;
  g_mutex_unlock (&pair->lock);
  return failed;
}

/**
 * sl_dtls_pair_wait:
 * @pair: the pair
 * @deadline: monotonic time (µs) to give up at
 *
 * Returns: whether both sides connected before @deadline
 */
gboolean
sl_dtls_pair_wait (SlDtlsPair * pair, gint64 deadline)
{
  gboolean done;

  g_mutex_lock (&pair->lock);
  while (!(done = pair->connected[0] && pair->connected[1]) && !pair->failed)
    if (!g_cond_wait_until (&pair->cond, &pair->lock, deadline))
      break;
  g_mutex_unlock (&pair->lock);
  return done;
}

/**
 * sl_dtls_pair_free:
 * @pair: (transfer full): the pair
 *
 * Stops and frees the pair.  Install the client's DTLS guard
 * (sl_dtls_guard_install()) in programs that free many pairs.
 */
void
sl_dtls_pair_free (SlDtlsPair * pair)
{
  gst_element_set_state (pair->pipeline, GST_STATE_NULL);
  gst_object_unref (pair->pipeline);
  g_cond_clear (&pair->cond);
  g_mutex_clear (&pair->lock);
  g_free (pair);
}
