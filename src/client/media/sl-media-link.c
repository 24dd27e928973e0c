/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The media session's bridge from GStreamer threads to its main context
 * (hops) and its checked webrtcbin promises.  A hop holds a SlMediaLink,
 * not the session: a reply that arrives after the session is gone is
 * dropped instead of reviving the session on a streaming thread.
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
/* Draining webrtcbin's requests before the pipeline stops            */

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;
} Drain;

static void
drain_clear (gpointer data)
{
  Drain *d = data;

  g_mutex_clear (&d->lock);
  g_cond_clear (&d->cond);
}

static void
drain_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, drain_clear);
}

static void
on_drained (GstPromise * promise, gpointer user_data)
{
  Drain *d = user_data;

  g_mutex_lock (&d->lock);
  d->done = TRUE;
  g_cond_signal (&d->cond);
  g_mutex_unlock (&d->lock);
}

/* One get-stats round trip through webrtcbin's request queue, at most
 * 500 ms.  The promise keeps its own reference on @d: a reply after the
 * wait gave up is harmless. */
static gboolean
drain_round (GstElement * webrtc)
{
  Drain *d = g_atomic_rc_box_new0 (Drain);
  GstPromise *promise;
  gint64 end = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
  gboolean done;

  g_mutex_init (&d->lock);
  g_cond_init (&d->cond);
  promise = gst_promise_new_with_change_func (on_drained,
      g_atomic_rc_box_acquire (d), drain_release);
  g_signal_emit_by_name (webrtc, "get-stats", NULL, promise);
  gst_promise_unref (promise);
  g_mutex_lock (&d->lock);
  while (!d->done && g_cond_wait_until (&d->cond, &d->lock, end));
  done = d->done;
  g_mutex_unlock (&d->lock);
  drain_release (d);
  return done;
}

/* webrtcbin runs requests one after the other on its own thread, and
 * set-local/remote-description adds and starts its transport bins there.
 * Stopping the pipeline while one runs races with it: a cut of the
 * signalling connection just as the answer arrived left a
 * TransportReceiveBin with an extra reference (its nicesrc, pads and 4
 * descriptors leaked, see tests/net/test-wscut.sh).  So no new request is
 * chained (link->closing) and a get-stats request, queued behind whatever
 * is pending, is waited for; three rounds cover set-remote-description ->
 * create-answer -> set-local-description.  Bounded (500 ms a round):
 * webrtcbin's thread never waits for ours. */
/**
 * sl_media_link_drain:
 * @link: the session's link
 * @webrtc: its webrtcbin, still running
 *
 * Call before the pipeline goes to NULL: chains no new webrtcbin request
 * from now on and waits (at most 1.5 s) for the pending ones.
 */
void
sl_media_link_drain (SlMediaLink * link, GstElement * webrtc)
{
  int round;

  g_atomic_int_set (&link->closing, TRUE);
  for (round = 0; round < 3; round++) {
    if (!drain_round (webrtc)) {
      g_warning ("webrtcbin did not answer within 500 ms while stopping");
      return;
    }
  }
}

/* ------------------------------------------------------------------ */
/* Hops from GStreamer threads to the main context                     */

SlMediaLink *
sl_media_link_ref (SlMediaLink * link)
{
  g_atomic_ref_count_inc (&link->rc);
  return link;
}

void
sl_media_link_unref (gpointer data)
{
  SlMediaLink *link = data;

  if (g_atomic_ref_count_dec (&link->rc)) {
    g_main_context_unref (link->context);
    g_free (link);
  }
}

typedef struct
{
  SlMediaLink *link;
  HopFunc func;
  gpointer data;
  GDestroyNotify destroy;
} Hop;

static gboolean
hop_dispatch (gpointer user_data)
{
  Hop *hop = user_data;
  SlMediaSession *self = hop->link->self;

  if (self != NULL && !self->stopped) {
    g_object_ref (self);
    hop->func (self, hop->data);
    g_object_unref (self);
  }
  return G_SOURCE_REMOVE;
}

static void
hop_free (gpointer user_data)
{
  Hop *hop = user_data;

  if (hop->destroy)
    hop->destroy (hop->data);
  sl_media_link_unref (hop->link);
  g_free (hop);
}

/* Always queued, never run in place: g_main_context_invoke() would run
 * @func on the streaming thread when the main context is free. */
void
sl_media_hop (SlMediaLink * link, HopFunc func, gpointer data,
    GDestroyNotify destroy)
{
  Hop *h = g_new0 (Hop, 1);
  GSource *source = g_idle_source_new ();

  h->link = sl_media_link_ref (link);
  h->func = func;
  h->data = data;
  h->destroy = destroy;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, hop_dispatch, h, hop_free);
  g_source_attach (source, link->context);
  g_source_unref (source);
}

void
sl_media_fail_main (SlMediaSession * self, gpointer data)
{
  GError *error = data;

  if (self->failed)
    return;
  self->failed = TRUE;
  sl_media_session_emit (self, SL_MEDIA_SIGNAL_FAILED, error);
}

/* Takes @message. */
void
sl_media_fail_later (SlMediaLink * link, SlMediaError code, char *message)
{
  GError *error = g_error_new_literal (SL_MEDIA_ERROR, code, message);

  g_free (message);
  sl_media_hop (link, sl_media_fail_main, error, (GDestroyNotify) g_error_free);
}

static void
promise_ctx_free (gpointer data)
{
  PromiseCtx *ctx = data;

  sl_media_link_unref (ctx->link);
  g_clear_pointer (&ctx->webrtc, gst_object_unref);
  g_free (ctx);
}

/* The caller emits the request with the promise and then drops its own
 * reference at once: webrtcbin holds one while the request is pending, and
 * a request dropped at teardown never calls @func, so a reference kept for
 * @func to drop would leak. */
GstPromise *
sl_media_promise_new (GstPromiseChangeFunc func, SlMediaLink * link,
    GstElement * webrtc, const char *what, gboolean flag)
{
  PromiseCtx *ctx = g_new0 (PromiseCtx, 1);

  ctx->link = sl_media_link_ref (link);
  ctx->webrtc = webrtc ? gst_object_ref (webrtc) : NULL;
  ctx->what = what;
  ctx->flag = flag;
  return gst_promise_new_with_change_func (func, ctx, promise_ctx_free);
}

/* Every promise reply is checked before it is used.  A successful reply
 * may carry no structure (set-*-description). */
gboolean
sl_media_promise_ok (GstPromise * promise, SlMediaLink * link, const char *what,
    const GstStructure ** out_reply)
{
  const GstStructure *reply;
  GError *error = NULL;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED) {
    sl_media_fail_later (link, SL_MEDIA_ERROR_FAILED,
        g_strdup_printf ("webrtcbin did not answer %s", what));
    return FALSE;
  }
  reply = gst_promise_get_reply (promise);
  if (reply && gst_structure_has_field (reply, "error")) {
    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
    sl_media_fail_later (link, SL_MEDIA_ERROR_FAILED,
        g_strdup_printf ("%s failed: %s", what,
            error ? error->message : "unknown error"));
    g_clear_error (&error);
    return FALSE;
  }
  if (out_reply)
    *out_reply = reply;
  return TRUE;
}

static void
on_promise_checked (GstPromise * promise, gpointer user_data)
{
  PromiseCtx *ctx = user_data;

  sl_media_promise_ok (promise, ctx->link, ctx->what, NULL);
}

GstPromise *
sl_media_checked_promise (SlMediaLink * link, const char *what)
{
  return sl_media_promise_new (on_promise_checked, link, NULL, what, FALSE);
}
