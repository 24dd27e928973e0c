/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * How webrtcbin is tuned beyond its properties: low-latency settings
 * found with GST_TRACERS=latency and per-stage timestamps
 * (G_MESSAGES_DEBUG=sightline).  ICE is set up in sl-media-ice.c.
 *
 * webrtcbin puts a clocksync (sync=true) in front of each stream it
 * sends.  clocksync holds every buffer until its running time plus the
 * latency upstream of it: for a live capture that is one frame (the
 * source's own latency) minus the time encoding took, 15-25 ms of a 33 ms
 * frame spent waiting before the packets leave (measured with
 * GST_TRACERS=latency).  A live source already delivers frames when they
 * are captured, so there is nothing to pace: sync is turned off.  Sources
 * that are not live (a file given as --video) keep webrtcbin's pacing, or
 * they would be sent as fast as they decode.
 *
 * Each rtpjitterbuffer waits for its whole latency before it lets the
 * first packet of a stream through, in case earlier packets are still on
 * their way: the first picture of every call came 30 ms late.  With
 * faststart it starts as soon as a few consecutive packets are in.
 *
 * The peer can only decode our video from a keyframe that reaches it
 * after its own DTLS handshake.  Our encoder is asked for one when our
 * DTLS is up and when the call is verified; the data channel opening is
 * the first moment both ends are known to have their keys, so a keyframe
 * is asked for then too: the first picture arrives one frame earlier.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-tuning.h"

#include <gst/base/gstbasesrc.h>

/* Every element without sink pads in @bin is a live GstBaseSrc, or a
 * well-known live bin (autovideosrc/autoaudiosrc pick their source only
 * when they start). */
static gboolean
branch_is_live (GstElement * bin)
{
  g_autoptr (GstIterator) it = gst_bin_iterate_recurse (GST_BIN (bin));
  GValue item = G_VALUE_INIT;
  gboolean live = TRUE, done = FALSE;

  while (!done) {
    switch (gst_iterator_next (it, &item)) {
      case GST_ITERATOR_OK:{
        GstElement *e = g_value_get_object (&item);
        GstElementFactory *f = gst_element_get_factory (e);
        const char *name = f ? GST_OBJECT_NAME (f) : "";

        if (g_str_equal (name, "autovideosrc")
            || g_str_equal (name, "autoaudiosrc") || GST_IS_BIN (e)
            || e->numsinkpads > 0) {
          /* not a leaf source */
        } else if (!GST_IS_BASE_SRC (e)
            || !gst_base_src_is_live (GST_BASE_SRC (e))) {
          live = FALSE;
        }
        g_value_reset (&item);
        break;
      }
      case GST_ITERATOR_RESYNC:
        gst_iterator_resync (it);
        live = TRUE;
        break;
      default:
        done = TRUE;
        break;
    }
  }
  g_value_unset (&item);
  return live;
}

#define FASTSTART_PACKETS 2

/* Whether webrtcbin's send pacing is off, kept on the webrtcbin itself:
 * read on whichever thread adds its elements. */
#define UNPACED_KEY "sl-unpaced"

/* Any thread: webrtcbin adds its elements when pads are requested and
 * streams appear. */
static void
on_element_added (GstBin * webrtc, GstBin * sub_bin, GstElement * element,
    gpointer data)
{
  GstElementFactory *f = gst_element_get_factory (element);
  const char *name = f ? GST_OBJECT_NAME (f) : "";

  if (g_str_equal (name, "clocksync")
      && g_object_get_data (G_OBJECT (webrtc), UNPACED_KEY))
    g_object_set (element, "sync", FALSE, NULL);
  else if (g_str_equal (name, "rtpjitterbuffer")
      && g_object_class_find_property (G_OBJECT_GET_CLASS (element),
          "faststart-min-packets"))
    g_object_set (element, "faststart-min-packets", FASTSTART_PACKETS, NULL);
}

/**
 * sl_media_tune_webrtc:
 * @webrtc: a webrtcbin without pads yet
 *
 * Watches webrtcbin's elements to tune them as they appear.  Not for the
 * stock baseline.
 */
void
sl_media_tune_webrtc (GstElement * webrtc)
{
  g_signal_connect (webrtc, "deep-element-added",
      G_CALLBACK (on_element_added), NULL);
}

/**
 * sl_media_tune_send_pacing:
 * @webrtc: a webrtcbin tuned with sl_media_tune_webrtc()
 * @branches: (array zero-terminated=1): the send branches, before they
 *   are linked to webrtcbin
 *
 * Turns webrtcbin's send pacing off when every send branch is live.
 */
void
sl_media_tune_send_pacing (GstElement * webrtc, GstElement ** branches)
{
  GstElement **b;
  gboolean live = TRUE;

  for (b = branches; *b; b++)
    live = live && branch_is_live (*b);
  g_object_set_data (G_OBJECT (webrtc), UNPACED_KEY, GINT_TO_POINTER (live));
}
