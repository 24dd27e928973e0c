/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * How webrtcbin is set up beyond its properties: ICE limited to the
 * chosen addresses and servers, and low-latency settings found with
 * GST_TRACERS=latency and per-stage timestamps (G_MESSAGES_DEBUG=sightline).
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

#include "sl-media-session-private.h"

#include <gst/base/gstbasesrc.h>
#include <nice/agent.h>

#define SL_ICE_PACING_MS 5
#define SL_ICE_INITIAL_TIMEOUT_MS 100
/* stun-max-retransmissions stays at libnice's 3 sends on purpose.  At 20%
 * loss each way a check transaction fails with p = 0.36, so all 3 sends of
 * the nominating check are lost in ~5% of calls, and ICE fails.  More
 * sends would fix that, but libnice 0.1.21's regular nomination waits for
 * every higher-priority pair to fail first, and a dead pair (the peer's
 * private host address behind another NAT) takes 500 ms * 2^(n-1) to
 * fail: 2 s with 3 sends, 8 s with 5, 32 s with 7, added to every call
 * across two NATs (measured: the srflx-srflx call then missed the 20 s
 * connecting deadline).  See docs/RELIABILITY.md. */

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

/* Any thread: webrtcbin adds its elements when pads are requested and
 * streams appear. */
static void
on_element_added (GstBin * webrtc, GstBin * sub_bin, GstElement * element,
    SlMediaSession * self)
{
  GstElementFactory *f = gst_element_get_factory (element);
  const char *name = f ? GST_OBJECT_NAME (f) : "";

  if (g_str_equal (name, "clocksync") && g_atomic_int_get (&self->unpaced))
    g_object_set (element, "sync", FALSE, NULL);
  else if (g_str_equal (name, "rtpjitterbuffer")
      && g_object_class_find_property (G_OBJECT_GET_CLASS (element),
          "faststart-min-packets"))
    g_object_set (element, "faststart-min-packets", FASTSTART_PACKETS, NULL);
}

/**
 * sl_media_tune_webrtc:
 * @self: a session whose webrtcbin has no pads yet
 *
 * Watches webrtcbin's elements to tune them as they appear.  Not for the
 * stock baseline.
 */
static void
on_channel_open (SlMediaSession * self, gpointer data)
{
  sl_media_session_request_keyframe (self);
}

void
sl_media_tune_webrtc (SlMediaSession * self)
{
  if (self->opts->stock)
    return;
  g_signal_connect (self->webrtc, "deep-element-added",
      G_CALLBACK (on_element_added), self);
  g_signal_connect (self, "channel-open", G_CALLBACK (on_channel_open), NULL);
}

/**
 * sl_media_tune_send_pacing:
 * @self: a session
 * @branches: (array zero-terminated=1): the send branches, before they
 *   are linked to webrtcbin
 *
 * Turns webrtcbin's send pacing off when every send branch is live.
 * Not for the stock baseline.
 */
void
sl_media_tune_send_pacing (SlMediaSession * self, GstElement ** branches)
{
  GstElement **b;
  gboolean live = TRUE;

  if (self->opts->stock)
    return;
  for (b = branches; *b; b++)
    live = live && branch_is_live (*b);
  g_atomic_int_set (&self->unpaced, live);
}

/* webrtcbin's libnice agent (GstWebRTCNice's "agent"), or NULL when its
 * ICE implementation is another one. */
static GObject *
nice_agent_of (GstWebRTCICE * ice)
{
  GObject *agent = NULL;

  if (ice == NULL
      || !g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent"))
    return NULL;
  g_object_get (ice, "agent", &agent, NULL);
  if (agent != NULL && !NICE_IS_AGENT (agent))
    g_clear_object (&agent);
  return agent;
}

/**
 * sl_media_restrict_ice:
 * @self: a session whose webrtcbin has no pads yet
 * @error: set when an address or TURN server is not usable
 *
 * Limits ICE to the addresses and servers of the options, without UPnP
 * or TCP candidates, with faster connectivity checks.
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_restrict_ice (SlMediaSession * self, GError ** error)
{
  g_autoptr (GstWebRTCICE) ice = NULL;
  g_autoptr (GObject) agent = NULL;
  char **addr;
  char **turn;

  g_object_get (self->webrtc, "ice-agent", &ice, NULL);
  agent = nice_agent_of (ice);
  /* No UPnP port mapping: it multicasts discovery on every interface.
   * Faster connectivity checks than libnice's defaults (20 ms pacing,
   * 500 ms first retransmission): a call has one component to check. */
  if (agent)
    g_object_set (agent, "upnp", FALSE, "stun-pacing-timer", SL_ICE_PACING_MS,
        "stun-initial-timeout", SL_ICE_INITIAL_TIMEOUT_MS, NULL);
  /* TCP candidates only slow gathering down for peer-to-peer calls. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "ice-tcp"))
    g_object_set (ice, "ice-tcp", FALSE, NULL);
  /* libnice skips loopback while enumerating interfaces, and once any
   * address is added it uses only the added ones. */
  for (addr = self->opts->ice_addresses; addr && *addr; addr++) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (ice, "add-local-ip-address", *addr, &ok);
    if (!ok) {
      g_set_error (error, SL_CLIENT_ERROR, SL_CLIENT_ERROR_CONFIG,
          "\"%s\" is not a local address ICE can use", *addr);
      return FALSE;
    }
  }
  if (self->opts->stun_server)
    g_object_set (self->webrtc, "stun-server", self->opts->stun_server, NULL);
  for (turn = self->opts->turn_servers; turn && *turn; turn++) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (self->webrtc, "add-turn-server", *turn, &ok);
    if (!ok) {
      g_set_error (error, SL_CLIENT_ERROR, SL_CLIENT_ERROR_CONFIG,
          "Bad TURN server \"%s\": use turn://user:password@host:port", *turn);
      return FALSE;
    }
  }
  if (self->opts->relay_only)
    g_object_set (self->webrtc, "ice-transport-policy",
        GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
  return TRUE;
}

static void
on_relays_released (GObject * agent, GAsyncResult * result, gpointer data)
{
  gboolean *done = data;

  *done = TRUE;
}

static gboolean
on_release_deadline (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* webrtcbin 1.22 frees its libnice agent with the TURN allocations still
 * open, so the server keeps them for their lifetime (10 minutes).  The
 * next call often binds the same local port and the NAT maps it to the
 * same public port: the TURN server then answers the new Allocate with
 * 437 (allocation mismatch) and libnice gathers neither a relay nor a
 * server-reflexive candidate, so a call across two NATs fails (3 of 200
 * soak calls, see docs/RELIABILITY.md).  libnice sends each release once
 * and retransmits it on its own timer (at most 1.5 s with our STUN
 * timeouts); the reply is read by the running nicesrc.  The completion is
 * delivered on the context that asks, a private one here, so the wait
 * neither runs the application's sources nor depends on them.
 *
 * Only after gathering is complete: an Allocate still in flight would add
 * a refresh after the release started, and libnice would then wait for it
 * for ever, holding the agent and its sockets. */
/**
 * sl_media_release_relays:
 * @self: a session whose pipeline still runs
 *
 * Closes the TURN allocations of the call, waiting at most 2 s.
 */
void
sl_media_release_relays (SlMediaSession * self)
{
  g_autoptr (GstWebRTCICE) ice = NULL;
  g_autoptr (GObject) agent = NULL;
  g_autoptr (GMainContext) context = NULL;
  g_autoptr (GSource) deadline = NULL;
  GstWebRTCICEGatheringState gathering = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  gboolean *done;

  if (self->opts->turn_servers == NULL)
    return;
  g_object_get (self->webrtc, "ice-agent", &ice, "ice-gathering-state",
      &gathering, NULL);
  if (gathering != GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE
      || (agent = nice_agent_of (ice)) == NULL)
    return;

  context = g_main_context_new ();
  done = g_new0 (gboolean, 1);
  g_main_context_push_thread_default (context);
  nice_agent_close_async (NICE_AGENT (agent), on_relays_released, done);
  deadline = g_timeout_source_new (2000);
  g_source_set_callback (deadline, on_release_deadline, NULL, NULL);
  g_source_attach (deadline, context);
  while (!*done && !g_source_is_destroyed (deadline))
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  if (*done) {
    g_free (done);
    return;
  }
  /* libnice still holds @done and will complete on @context: both are
   * left to it (a few bytes) rather than freed under it. */
  g_warning ("the TURN server did not confirm the release within 2 s");
  g_main_context_ref (context);
}
