/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * How a call's media crosses real networks: loss recovery on the RTP
 * transceivers, the DTLS transport and the certificate the peer presented
 * on it, and which ICE candidate pair carries the call (a direct pair
 * through the NATs, or a TURN relay), read from webrtcbin's stats.  Pure
 * helpers on a webrtcbin: nothing here names a session.
 *
 * Loss recovery is NACK with RTX retransmission (RFC 4588) on every
 * transceiver: the receiver's jitterbuffer asks for what is missing and
 * the sender resends it on a separate payload type.  It repairs random
 * loss as long as the round trip fits in the jitterbuffer latency; FEC
 * would cost bandwidth on every call for the rare one that needs it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-transport.h"
#include "sl-dtls-fingerprint.h"
#include "sightline/sl-media-error.h"

#include <string.h>

static void
enable_nack (GstWebRTCRTPTransceiver * trans)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (trans), "do-nack"))
    g_object_set (trans, "do-nack", TRUE, NULL);
}

static void
on_new_transceiver (GstElement * webrtc, GstWebRTCRTPTransceiver * trans,
    gpointer user_data)
{
  /* On whichever thread made it (the answerer's come from webrtcbin's
   * task when the offer is set): only the transceiver is touched. */
  enable_nack (trans);
}

/**
 * sl_media_transport_enable_recovery:
 * @webrtc: a webrtcbin, not started yet
 *
 * Turns NACK/RTX on for the transceivers it has and for those it makes
 * later (the answerer's, from the offer).  Call before the offer is made:
 * the offer must carry it.
 */
void
sl_media_transport_enable_recovery (GstElement * webrtc)
{
  GArray *transceivers = NULL;
  guint i;

  g_signal_connect (webrtc, "on-new-transceiver",
      G_CALLBACK (on_new_transceiver), NULL);
  g_signal_emit_by_name (webrtc, "get-transceivers", &transceivers);
  for (i = 0; transceivers && i < transceivers->len; i++)
    enable_nack (g_array_index (transceivers, GstWebRTCRTPTransceiver *, i));
  g_clear_pointer (&transceivers, g_array_unref);
}

/**
 * sl_ice_candidate_type:
 * @candidate: an ICE candidate attribute ("candidate:... typ host ...")
 *
 * Returns: (nullable): "host", "srflx", "prflx" or "relay" (static
 *   strings), or %NULL when @candidate names no known type
 */
const char *
sl_ice_candidate_type (const char *candidate)
{
  static const char *const types[] = { "host", "srflx", "prflx", "relay" };
  const char *p;
  guint i;

  if (candidate == NULL)
    return NULL;
  p = strstr (candidate, " typ ");
  if (p == NULL)
    return NULL;
  p += 5;
  for (i = 0; i < G_N_ELEMENTS (types); i++) {
    gsize len = strlen (types[i]);

    if (strncmp (p, types[i], len) == 0 && (p[len] == ' ' || p[len] == '\0'))
      return types[i];
  }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Selected pair                                                        */

typedef struct
{
  SlIcePairFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
  char *local_type;
  char *remote_type;
} PairQuery;

static void
pair_query_free (gpointer data)
{
  PairQuery *q = data;

  if (q->destroy)
    q->destroy (q->user_data);
  g_free (q->local_type);
  g_free (q->remote_type);
  g_free (q);
}

static void
pair_main (gpointer target, gpointer data)
{
  PairQuery *q = data;

  q->func (q->local_type, q->remote_type, q->user_data);
}

static const GstStructure *
stat_by_id (const GstStructure * stats, const char *id)
{
  const GValue *v;

  if (id == NULL)
    return NULL;
  v = gst_structure_get_value (stats, id);
  if (v == NULL || !GST_VALUE_HOLDS_STRUCTURE (v))
    return NULL;
  return gst_value_get_structure (v);
}

static char *
candidate_type_of (const GstStructure * stats, const GstStructure * pair,
    const char *field)
{
  const GstStructure *cand =
      stat_by_id (stats, gst_structure_get_string (pair, field));
  const char *type;

  if (cand == NULL)
    return NULL;
  type = gst_structure_get_string (cand, "candidate-type");
  return g_strdup (type);
}

typedef struct
{
  const GstStructure *stats;
  const GstStructure *pair;
} PairSearch;

/* The transport stats name their selected pair. */
static gboolean
find_selected (GQuark field, const GValue * value, gpointer user_data)
{
  PairSearch *search = user_data;
  const GstStructure *s;
  const char *id;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  id = gst_structure_get_string (s, "selected-candidate-pair-id");
  if (id == NULL)
    return TRUE;
  search->pair = stat_by_id (search->stats, id);
  return search->pair == NULL;
}

typedef struct
{
  SlMediaLink *link;
  PairQuery *query;             /* until on_stats takes it */
} StatsCtx;

static void
on_stats (GstPromise * promise, gpointer user_data)
{
  StatsCtx *ctx = user_data;
  PairQuery *q = g_steal_pointer (&ctx->query);
  const GstStructure *reply = NULL;
  PairSearch search = { NULL, NULL };

  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED)
    reply = gst_promise_get_reply (promise);
  if (reply && !gst_structure_has_field (reply, "error")) {
    search.stats = reply;
    gst_structure_foreach (reply, find_selected, &search);
    if (search.pair) {
      q->local_type = candidate_type_of (reply, search.pair,
          "local-candidate-id");
      q->remote_type = candidate_type_of (reply, search.pair,
          "remote-candidate-id");
    }
  }
  sl_media_link_hop (ctx->link, pair_main, q, pair_query_free);
}

static void
stats_ctx_free (gpointer data)
{
  StatsCtx *ctx = data;

  /* A request dropped at teardown never ran on_stats. */
  g_clear_pointer (&ctx->query, pair_query_free);
  sl_media_link_unref (ctx->link);
  g_free (ctx);
}

/**
 * sl_media_transport_query_pair:
 * @webrtc: a started webrtcbin
 * @link: the link whose context @func runs on, while its target lives
 * @func: called once with the pair
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data, also when @func is never called
 *   because the target went first
 *
 * Asks webrtcbin which candidate pair ICE selected; never blocks.
 */
void
sl_media_transport_query_pair (GstElement * webrtc, SlMediaLink * link,
    SlIcePairFunc func, gpointer user_data, GDestroyNotify destroy)
{
  PairQuery *q = g_new0 (PairQuery, 1);
  StatsCtx *ctx = g_new0 (StatsCtx, 1);
  GstPromise *promise;

  q->func = func;
  q->user_data = user_data;
  q->destroy = destroy;
  ctx->link = sl_media_link_ref (link);
  ctx->query = q;
  promise = gst_promise_new_with_change_func (on_stats, ctx, stats_ctx_free);
  g_signal_emit_by_name (webrtc, "get-stats", NULL, promise);
  gst_promise_unref (promise);
}

/* ------------------------------------------------------------------ */
/* DTLS                                                                 */

/**
 * sl_media_transport_dtls:
 * @webrtc: a call's webrtcbin
 *
 * Returns: (transfer full) (nullable): the DTLS transport every stream of
 *   the call shares (max-bundle), or %NULL before negotiation
 */
GstWebRTCDTLSTransport *
sl_media_transport_dtls (GstElement * webrtc)
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

/**
 * sl_media_transport_check_peer:
 * @webrtc: a connected webrtcbin
 * @fingerprint: the fingerprint of the peer's (decrypted) session
 *   description
 * @error: set when the peer presented no certificate or another one
 *
 * GStreamer's DTLS elements accept any peer certificate: the call is only
 * end to end once the one presented hashes to the sealed fingerprint.
 *
 * Returns: %TRUE when they match
 */
gboolean
sl_media_transport_check_peer (GstElement * webrtc, const char *fingerprint,
    GError ** error)
{
  g_autoptr (GstWebRTCDTLSTransport) dtls = sl_media_transport_dtls (webrtc);
  g_autofree char *pem = NULL;
  g_autofree char *seen = NULL;

  if (dtls)
    g_object_get (dtls, "remote-certificate", &pem, NULL);
  seen = sl_dtls_fingerprint_from_pem (pem, error);
  if (seen == NULL)
    return FALSE;
#ifdef SL_TEST_HOOKS
  /* Test hook: pretend the peer presented another certificate. */
  if (g_getenv ("SL_TEST_CORRUPT_DTLS_FINGERPRINT")) {
    char *last = seen + strlen (seen) - 1;
    *last = *last == '0' ? '1' : '0';
  }
#endif
  if (!sl_dtls_fingerprint_equal (seen, fingerprint)) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY,
        "The other device's media certificate does not match the one in "
        "its sealed session description: someone may be intercepting the "
        "call");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_media_transport_finish_stop:
 * @webrtc: a webrtcbin whose pipeline was just set to NULL
 *
 * webrtcbin keeps each transport's receive bin in a locked state until
 * the remote description arrives, and an operation already running on its
 * thread when the pipeline stops (a call ended during set-up) may still
 * add such a bin, in PLAYING.  Locked, it ignores the pipeline's change to
 * NULL: its nicesrc thread would keep it, its DTLS elements and its
 * sockets alive for ever.  Once the pipeline is in NULL (webrtcbin's
 * thread joined), this stops whatever is still running inside webrtcbin.
 */
void
sl_media_transport_finish_stop (GstElement * webrtc)
{
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  gboolean done = FALSE;

  it = gst_bin_iterate_recurse (GST_BIN (webrtc));
  while (!done) {
    switch (gst_iterator_next (it, &item)) {
      case GST_ITERATOR_OK:{
        GstElement *element = g_value_get_object (&item);

        if (gst_element_is_locked_state (element)) {
          g_debug ("stopping %s, left locked by webrtcbin",
              GST_OBJECT_NAME (element));
          gst_element_set_locked_state (element, FALSE);
          gst_element_set_state (element, GST_STATE_NULL);
        }
        g_value_reset (&item);
        break;
      }
      case GST_ITERATOR_RESYNC:
        gst_iterator_resync (it);
        break;
      default:
        done = TRUE;
        break;
    }
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}
