/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * webrtcbin's ICE for one call: limited to the chosen addresses, servers
 * and ports, and handed back when the call ends: TURN allocations
 * released and the call's ports held out of the next calls' ranges
 * (sl-ice-ports.c says why).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-ice.h"
#include "sl-media-transport.h"
#include "sightline/sl-media-error.h"

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
 * sl_media_ice_restrict:
 * @webrtc: a webrtcbin without pads yet
 * @opts: the call's options
 * @error: set when an address or TURN server is not usable
 *
 * Limits ICE to the addresses, servers and ports of the options, without
 * UPnP or TCP candidates, with faster connectivity checks.
 *
 * Returns: %TRUE on success
 */
gboolean
sl_media_ice_restrict (GstElement * webrtc, const SlMediaOptions * opts,
    GError ** error)
{
  g_autoptr (GstWebRTCICE) ice = NULL;
  g_autoptr (GObject) agent = NULL;
  char **addr;
  char **turn;

  g_object_get (webrtc, "ice-agent", &ice, NULL);
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
  for (addr = opts->ice_addresses; addr && *addr; addr++) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (ice, "add-local-ip-address", *addr, &ok);
    if (!ok) {
      g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
          "\"%s\" is not a local address ICE can use", *addr);
      return FALSE;
    }
  }
  if (opts->stun_server)
    g_object_set (webrtc, "stun-server", opts->stun_server, NULL);
  for (turn = opts->turn_servers; turn && *turn; turn++) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (webrtc, "add-turn-server", *turn, &ok);
    if (!ok) {
      g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
          "Bad TURN server \"%s\": use turn://user:password@host:port", *turn);
      return FALSE;
    }
  }
  if (opts->relay_only)
    g_object_set (webrtc, "ice-transport-policy",
        GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
  if (opts->ice_ports) {
    guint min, max;

    sl_ice_ports_choose (opts->ice_ports, g_get_monotonic_time (), &min, &max);
    g_debug ("ICE ports %u-%u", min, max);
    g_object_set (ice, "min-rtp-port", min, "max-rtp-port", max, NULL);
  }
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
 * next call may bind the same local port and the NAT map it to the same
 * public port: the TURN server then answers the new Allocate with 437
 * (allocation mismatch) and libnice gathers neither a relay nor a
 * server-reflexive candidate, so a call across two NATs fails (3 of 200
 * soak calls, see docs/RELIABILITY.md).  libnice sends each release once
 * and retransmits it on its own timer (at most 1.5 s with our STUN
 * timeouts); the reply is read by the running nicesrc.  The completion is
 * delivered on the context that asks, a private one here, so the wait
 * neither runs the application's sources nor depends on them.
 *
 * Only after gathering is complete: an Allocate still in flight would add
 * a refresh after the release started, and libnice would then wait for it
 * for ever, holding the agent and its sockets.
 *
 * Returns TRUE when the call holds no allocation any more (none made, or
 * all released), waiting at most 2 s. */
static gboolean
release_relays (GstElement * webrtc, const SlMediaOptions * opts,
    gboolean started, NiceAgent * agent)
{
  g_autoptr (GMainContext) context = NULL;
  g_autoptr (GSource) deadline = NULL;
  GstWebRTCICEGatheringState gathering = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  gboolean *done;

  if (opts->turn_servers == NULL)
    return TRUE;
  /* Only a started webrtcbin reads the server's replies, so only its
   * allocations can be released; any other is left to expire. */
  if (!started)
    return FALSE;
  g_object_get (webrtc, "ice-gathering-state", &gathering, NULL);
  if (gathering != GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
    return FALSE;

  context = g_main_context_new ();
  done = g_new0 (gboolean, 1);
  g_main_context_push_thread_default (context);
  nice_agent_close_async (agent, on_relays_released, done);
  deadline = g_timeout_source_new (2000);
  g_source_set_callback (deadline, on_release_deadline, NULL, NULL);
  g_source_attach (deadline, context);
  while (!*done && !g_source_is_destroyed (deadline))
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  if (*done) {
    g_free (done);
    return TRUE;
  }
  /* libnice still holds @done and will complete on @context: both are
   * left to it (a few bytes) rather than freed under it. */
  g_warning ("the TURN server did not confirm the release within 2 s");
  g_main_context_ref (context);
  return FALSE;
}

/* The libnice stream of the call's (bundled) transport, or 0. */
static guint
ice_stream_id (GstElement * webrtc)
{
  g_autoptr (GstWebRTCDTLSTransport) dtls = sl_media_transport_dtls (webrtc);
  g_autoptr (GstWebRTCICETransport) transport = NULL;
  g_autoptr (GstWebRTCICEStream) stream = NULL;

  if (dtls == NULL)
    return 0;
  g_object_get (dtls, "transport", &transport, NULL);
  if (transport == NULL
      || !g_object_class_find_property (G_OBJECT_GET_CLASS (transport),
          "stream"))
    return 0;
  g_object_get (transport, "stream", &stream, NULL);
  return stream ? stream->stream_id : 0;
}

/* The local ports of the call's host candidates: its sockets. */
static GArray *
host_ports (GstElement * webrtc, NiceAgent * agent)
{
  GArray *ports = g_array_new (FALSE, FALSE, sizeof (guint));
  guint stream_id = ice_stream_id (webrtc);
  GSList *cands, *l;

  if (stream_id == 0)
    return ports;
  cands = nice_agent_get_local_candidates (agent, stream_id,
      NICE_COMPONENT_TYPE_RTP);
  for (l = cands; l; l = l->next) {
    NiceCandidate *c = l->data;
    guint port = nice_address_get_port (&c->addr);

    if (c->type == NICE_CANDIDATE_TYPE_HOST && port != 0)
      g_array_append_val (ports, port);
  }
  g_slist_free_full (cands, (GDestroyNotify) nice_candidate_free);
  return ports;
}

/**
 * sl_media_ice_hand_back:
 * @webrtc: a call's webrtcbin, its pipeline not yet stopped
 * @opts: the call's options
 * @started: whether the pipeline ran (only then can allocations be
 *   released)
 *
 * Releases the call's TURN allocations and holds its local ports out of
 * the next calls' port ranges: briefly when nothing of the call is left
 * on a TURN server, for an allocation's lifetime when something may be.
 */
void
sl_media_ice_hand_back (GstElement * webrtc, const SlMediaOptions * opts,
    gboolean started)
{
  g_autoptr (GstWebRTCICE) ice = NULL;
  g_autoptr (GObject) agent = NULL;
  g_autoptr (GArray) ports = NULL;
  gint64 until_us;
  guint i;

  g_object_get (webrtc, "ice-agent", &ice, NULL);
  agent = nice_agent_of (ice);
  if (agent == NULL)
    return;
  ports = host_ports (webrtc, NICE_AGENT (agent));
  until_us = g_get_monotonic_time ()
      + (release_relays (webrtc, opts, started,
          NICE_AGENT (agent)) ? SL_ICE_PORT_HOLD_US :
      SL_ICE_PORT_UNRELEASED_US);
  for (i = 0; opts->ice_ports && i < ports->len; i++) {
    g_debug ("ICE port %u held", g_array_index (ports, guint, i));
    sl_ice_ports_hold (opts->ice_ports, g_array_index (ports, guint, i),
        until_us);
  }
}
