/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A call's session descriptions and ICE candidates: the offer or answer
 * webrtcbin makes, the peer's description and candidates handed to it,
 * and the DTLS fingerprints each description carries.  Descriptions and
 * candidates leave as strings through signals, so that the call layer
 * can seal them; nothing waits for ICE gathering, every candidate is
 * trickled.  Every webrtcbin promise is checked; a request still pending
 * when the call stops chains no other (sl_media_negotiator_drain()).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-negotiator.h"
#include "sl-media-link.h"
#include "sl-dtls-fingerprint.h"
#include "sightline/sl-media-error.h"

#include <string.h>
#include <gst/webrtc/webrtc.h>

struct _SlMediaNegotiator
{
  GObject parent_instance;

  GstElement *webrtc;
  gboolean offerer;
  SlMediaLink *link;
  gulong candidate_handler;
  char *local_fingerprint;
  char *remote_fingerprint;
};

enum
{
  SIGNAL_LOCAL_DESCRIPTION,
  SIGNAL_LOCAL_CANDIDATE,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlMediaNegotiator, sl_media_negotiator, G_TYPE_OBJECT);

static void
fail (gpointer target, const GError * error)
{
  g_signal_emit (target, signals[SIGNAL_FAILED], 0, error);
}

typedef struct
{
  char *type;
  char *sdp;
} LocalDescription;

static void
local_description_free (gpointer data)
{
  LocalDescription *d = data;

  g_free (d->type);
  g_free (d->sdp);
  g_free (d);
}

static void
local_description_main (gpointer target, gpointer data)
{
  SlMediaNegotiator *self = target;
  LocalDescription *d = data;
  g_autoptr (GError) error = NULL;

  g_debug ("local %s ready", d->type);

  g_free (self->local_fingerprint);
  self->local_fingerprint = sl_dtls_fingerprint_from_sdp (d->sdp, &error);
  if (self->local_fingerprint == NULL) {
    fail (self, error);
    return;
  }
  g_signal_emit (self, signals[SIGNAL_LOCAL_DESCRIPTION], 0, d->type, d->sdp);
}

static void
on_description_created (GstPromise * promise, gpointer user_data)
{
  SlPromiseCtx *ctx = user_data;
  SlMediaLink *link = ctx->link;
  gboolean offer = ctx->flag;
  const char *field = offer ? "offer" : "answer";
  const GstStructure *reply = NULL;
  GstWebRTCSessionDescription *desc = NULL;
  GstPromise *set;
  LocalDescription *d;

  g_debug ("description created (offer: %d)", offer);
  if (!sl_media_link_promise_ok (promise, link,
          offer ? "create-offer" : "create-answer", &reply) || reply == NULL)
    return;
  gst_structure_get (reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
      &desc, NULL);
  if (desc != NULL && sl_media_link_is_closing (link)) {
    gst_webrtc_session_description_free (desc);
    return;
  }
  if (desc == NULL) {
    sl_media_link_fail_later (link, SL_MEDIA_ERROR_FAILED,
        g_strdup_printf ("webrtcbin made no %s", field));
    return;
  }
  set = sl_media_link_checked_promise (link, "set-local-description");
  g_signal_emit_by_name (ctx->webrtc, "set-local-description", desc, set);
  gst_promise_unref (set);
  d = g_new0 (LocalDescription, 1);
  d->type = g_strdup (field);
  d->sdp = gst_sdp_message_as_text (desc->sdp);
  gst_webrtc_session_description_free (desc);
  sl_media_link_hop (link, local_description_main, d, local_description_free);
}

static void
create_description (SlMediaNegotiator * self, gboolean offer)
{
  GstPromise *promise;

  promise = sl_media_link_promise (self->link, on_description_created,
      self->webrtc, NULL, offer);
  g_signal_emit_by_name (self->webrtc, offer ? "create-offer" : "create-answer",
      NULL, promise);
  gst_promise_unref (promise);
}

static void
on_remote_set (GstPromise * promise, gpointer user_data)
{
  SlPromiseCtx *ctx = user_data;
  GstPromise *next;

  g_debug ("remote description set (answer next: %d)", ctx->flag);

  if (sl_media_link_promise_ok (promise, ctx->link, "set-remote-description",
          NULL) && ctx->flag && !sl_media_link_is_closing (ctx->link)) {
    next = sl_media_link_promise (ctx->link, on_description_created,
        ctx->webrtc, NULL, FALSE);
    g_signal_emit_by_name (ctx->webrtc, "create-answer", NULL, next);
    gst_promise_unref (next);
  }
}

typedef struct
{
  guint mline;
  char *candidate;
} Candidate;

static void
candidate_free (gpointer data)
{
  Candidate *c = data;

  g_free (c->candidate);
  g_free (c);
}

static void
local_candidate_main (gpointer target, gpointer data)
{
  Candidate *c = data;

  g_signal_emit (target, signals[SIGNAL_LOCAL_CANDIDATE], 0, c->mline,
      c->candidate);
}

static void
on_ice_candidate (GstElement * webrtc, guint mline, const char *candidate,
    gpointer data)
{
  SlMediaLink *link = data;
  Candidate *c;

  g_debug ("local candidate for m-line %u", mline);
  if (candidate == NULL || !*candidate)
    return;
  c = g_new0 (Candidate, 1);
  c->mline = mline;
  c->candidate = g_strdup (candidate);
  sl_media_link_hop (link, local_candidate_main, c, candidate_free);
}

/**
 * sl_media_negotiator_new:
 * @webrtc: the call's webrtcbin, without pads yet (a reference is kept)
 * @offerer: %TRUE for the side that makes the offer
 *
 * Returns: (transfer full): a negotiator; its signals come on the calling
 *   thread's default main context
 */
SlMediaNegotiator *
sl_media_negotiator_new (GstElement * webrtc, gboolean offerer)
{
  SlMediaNegotiator *self = g_object_new (SL_TYPE_MEDIA_NEGOTIATOR, NULL);

  self->webrtc = gst_object_ref (webrtc);
  self->offerer = offerer;
  self->candidate_handler = g_signal_connect_data (webrtc,
      "on-ice-candidate", G_CALLBACK (on_ice_candidate),
      sl_media_link_ref (self->link), (GClosureNotify) sl_media_link_unref, 0);
  return self;
}

/**
 * sl_media_negotiator_offer:
 * @self: the offerer's negotiator, its pipeline running
 *
 * Makes the offer: "local-description" follows.
 */
void
sl_media_negotiator_offer (SlMediaNegotiator * self)
{
  g_return_if_fail (self->offerer);

  create_description (self, TRUE);
}

/**
 * sl_media_negotiator_take_remote:
 * @self: a negotiator
 * @sdp: the peer's offer (answerer) or answer (offerer), already opened
 *   from its sealed record
 * @error: set when the SDP does not parse, lacks a SHA-256 fingerprint,
 *   or is the second one
 *
 * Checks the peer's description and keeps its fingerprint; hand it to
 * webrtcbin with sl_media_negotiator_set_remote().
 *
 * Returns: (transfer full) (nullable): the parsed description
 */
GstSDPMessage *
sl_media_negotiator_take_remote (SlMediaNegotiator * self, const char *sdp,
    GError ** error)
{
  GstSDPMessage *msg = NULL;
  char *fingerprint;

  if (self->remote_fingerprint != NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL,
        "The other device sent a second session description");
    return NULL;
  }
  fingerprint = sl_dtls_fingerprint_from_sdp (sdp, error);
  if (fingerprint == NULL)
    return NULL;
  if (gst_sdp_message_new_from_text (sdp, &msg) != GST_SDP_OK) {
    g_free (fingerprint);
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL,
        "The session description does not parse");
    return NULL;
  }
  self->remote_fingerprint = fingerprint;
  return msg;
}

/**
 * sl_media_negotiator_set_remote:
 * @self: a negotiator
 * @msg: (transfer full): from sl_media_negotiator_take_remote()
 *
 * The answerer answers with "local-description".
 */
void
sl_media_negotiator_set_remote (SlMediaNegotiator * self, GstSDPMessage * msg)
{
  GstWebRTCSessionDescription *desc;
  GstPromise *promise;

  desc = gst_webrtc_session_description_new (self->offerer ?
      GST_WEBRTC_SDP_TYPE_ANSWER : GST_WEBRTC_SDP_TYPE_OFFER, msg);
  promise = sl_media_link_promise (self->link, on_remote_set, self->webrtc,
      NULL, !self->offerer);
  g_signal_emit_by_name (self->webrtc, "set-remote-description", desc, promise);
  gst_promise_unref (promise);
  gst_webrtc_session_description_free (desc);
}

/**
 * sl_media_negotiator_add_candidate:
 * @self: a negotiator
 * @mline: the m-line index the candidate belongs to
 * @candidate: an "candidate:..." attribute value from the peer
 * @error: set when the candidate is not plausible
 *
 * Returns: %TRUE when the candidate was handed to ICE
 */
gboolean
sl_media_negotiator_add_candidate (SlMediaNegotiator * self, guint mline,
    const char *candidate, GError ** error)
{
  if (candidate == NULL || !g_str_has_prefix (candidate, "candidate:")
      || strlen (candidate) > 1024 || mline > 16
      || strpbrk (candidate, "\r\n") != NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL,
        "The other device sent an invalid ICE candidate");
    return FALSE;
  }
  g_signal_emit_by_name (self->webrtc, "add-ice-candidate", mline, candidate);
  return TRUE;
}

/**
 * sl_media_negotiator_get_local_fingerprint:
 *
 * Returns: (nullable): our DTLS fingerprint from our description
 */
const char *
sl_media_negotiator_get_local_fingerprint (SlMediaNegotiator * self)
{
  return self->local_fingerprint;
}

/**
 * sl_media_negotiator_get_remote_fingerprint:
 *
 * Returns: (nullable): the fingerprint in the peer's (decrypted)
 *   description
 */
const char *
sl_media_negotiator_get_remote_fingerprint (SlMediaNegotiator * self)
{
  return self->remote_fingerprint;
}

/**
 * sl_media_negotiator_drain:
 * @self: a negotiator whose webrtcbin runs
 * @callback: called once webrtcbin's pending requests are done, or after
 *   a generous bound (an error then)
 * @user_data: for @callback
 *
 * The call stops: no signal from now on, no new request chained, and
 * the pending ones waited for without blocking (sl-media-link.c).
 */
void
sl_media_negotiator_drain (SlMediaNegotiator * self,
    GAsyncReadyCallback callback, gpointer user_data)
{
  sl_media_link_detach (self->link);
  sl_media_link_drain (self->link, self->webrtc, NULL, callback, user_data);
}

gboolean
sl_media_negotiator_drain_finish (SlMediaNegotiator * self,
    GAsyncResult * result, GError ** error)
{
  return sl_media_link_drain_finish (self->link, result, error);
}

/**
 * sl_media_negotiator_drain_sync:
 * @self: a negotiator whose webrtcbin runs
 * @error: set when webrtcbin did not finish within the bound
 *
 * sl_media_negotiator_drain() for a teardown that cannot wait: blocks.
 *
 * Returns: %TRUE when webrtcbin's pending requests are done
 */
gboolean
sl_media_negotiator_drain_sync (SlMediaNegotiator * self, GError ** error)
{
  sl_media_link_detach (self->link);
  return sl_media_link_drain_sync (self->link, self->webrtc, error);
}

static void
sl_media_negotiator_dispose (GObject * object)
{
  SlMediaNegotiator *self = SL_MEDIA_NEGOTIATOR (object);

  sl_media_link_detach (self->link);
  sl_media_link_close (self->link);
  if (self->webrtc)
    g_clear_signal_handler (&self->candidate_handler, self->webrtc);
  g_clear_pointer (&self->webrtc, gst_object_unref);

  G_OBJECT_CLASS (sl_media_negotiator_parent_class)->dispose (object);
}

static void
sl_media_negotiator_finalize (GObject * object)
{
  SlMediaNegotiator *self = SL_MEDIA_NEGOTIATOR (object);

  sl_media_link_unref (self->link);
  g_free (self->local_fingerprint);
  g_free (self->remote_fingerprint);

  G_OBJECT_CLASS (sl_media_negotiator_parent_class)->finalize (object);
}

static void
sl_media_negotiator_class_init (SlMediaNegotiatorClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_media_negotiator_dispose;
  object_class->finalize = sl_media_negotiator_finalize;

  /* (type "offer"|"answer", sdp): seal and send to the peer. */
  signals[SIGNAL_LOCAL_DESCRIPTION] =
      g_signal_new ("local-description", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
      G_TYPE_STRING);
  /* (mline, candidate): seal and send, one record per candidate. */
  signals[SIGNAL_LOCAL_CANDIDATE] = g_signal_new ("local-candidate",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /* (GError) a webrtcbin request failed, or our own description carries
   * no usable fingerprint. */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sl_media_negotiator_init (SlMediaNegotiator * self)
{
  self->link = sl_media_link_new (self, fail);
}
