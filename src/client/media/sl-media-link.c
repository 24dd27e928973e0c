/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A media object's bridge from GStreamer threads to its main context
 * (hops), its checked webrtcbin promises, and the drain of webrtcbin's
 * pending requests before a pipeline stops.
 *
 * A hop holds the link, not the target: the target pointer is read on the
 * main context only and cleared there (sl_media_link_detach()), so a reply
 * that arrives after the target is gone is dropped instead of reviving it
 * on a streaming thread.  Hops are always queued, never run in place:
 * g_main_context_invoke() would run them on the streaming thread whenever
 * the main context is free.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-link.h"

#include "sightline/sl-media-error.h"
#include "sl-source.h"

/* How long webrtcbin may take to finish what it was doing when a call
 * stops.  Its thread runs one request after the other; a set-remote-
 * description that builds transport bins takes a few milliseconds on an
 * idle machine and was seen to take well over 500 ms under
 * AddressSanitizer on two loaded cores.  Past this bound something is
 * wrong, and it is reported. */
#define DRAIN_BOUND_MS 20000
/* set-remote-description -> create-answer -> set-local-description. */
#define DRAIN_ROUNDS 3

struct _SlMediaLink
{
  gatomicrefcount rc;
  gpointer target;              /* main context only; NULL once detached */
  SlLinkFailFunc fail;
  GMainContext *context;
  gint closing;                 /* atomic: no new webrtcbin requests */
};

/**
 * sl_media_link_new:
 * @target: the object hops are delivered to, on the calling thread's
 *   default main context
 * @fail: (nullable): what a failed checked request calls
 *
 * Returns: (transfer full): a link; detach it before @target goes
 */
SlMediaLink *
sl_media_link_new (gpointer target, SlLinkFailFunc fail)
{
  SlMediaLink *link = g_new0 (SlMediaLink, 1);

  g_atomic_ref_count_init (&link->rc);
  link->target = target;
  link->fail = fail;
  link->context = g_main_context_ref_thread_default ();
  return link;
}

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

/**
 * sl_media_link_detach:
 * @link: a link
 *
 * On the link's context: no hop reaches the target from now on.
 */
void
sl_media_link_detach (SlMediaLink * link)
{
  link->target = NULL;
}

GMainContext *
sl_media_link_get_context (SlMediaLink * link)
{
  return link->context;
}

/* ------------------------------------------------------------------ */
/* Hops                                                                 */

typedef struct
{
  SlMediaLink *link;
  SlHopFunc func;
  gpointer data;
  GDestroyNotify destroy;
} Hop;

static gboolean
hop_dispatch (gpointer user_data)
{
  Hop *hop = user_data;
  GObject *target = hop->link->target;

  if (target != NULL) {
    g_object_ref (target);
    hop->func (target, hop->data);
    g_object_unref (target);
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

static void
attach (GMainContext * context, GSourceFunc func, gpointer data,
    GDestroyNotify destroy)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_attach (source, context);
  g_source_unref (source);
}

/**
 * sl_media_link_hop:
 * @link: a link
 * @func: runs on the link's context, if the target is still attached
 * @data: for @func
 * @destroy: (nullable): frees @data, whether @func ran or not
 *
 * Any thread.
 */
void
sl_media_link_hop (SlMediaLink * link, SlHopFunc func, gpointer data,
    GDestroyNotify destroy)
{
  Hop *h = g_new0 (Hop, 1);

  h->link = sl_media_link_ref (link);
  h->func = func;
  h->data = data;
  h->destroy = destroy;
  attach (link->context, hop_dispatch, h, hop_free);
}

typedef struct
{
  SlLinkFailFunc fail;
  GError *error;
} Failure;

static void
failure_free (gpointer data)
{
  Failure *f = data;

  g_error_free (f->error);
  g_free (f);
}

static void
failure_main (gpointer target, gpointer data)
{
  Failure *f = data;

  f->fail (target, f->error);
}

/**
 * sl_media_link_fail_later:
 * @link: a link made with a fail function
 * @code: a #SlMediaError code
 * @message: (transfer full): what failed, for users
 *
 * Any thread: the link's fail function gets the error on its context.
 */
void
sl_media_link_fail_later (SlMediaLink * link, gint code, char *message)
{
  Failure *f;

  if (link->fail == NULL) {
    g_free (message);
    return;
  }
  f = g_new0 (Failure, 1);
  f->fail = link->fail;
  f->error = g_error_new_literal (SL_MEDIA_ERROR, code, message);
  g_free (message);
  sl_media_link_hop (link, failure_main, f, failure_free);
}

/**
 * sl_media_link_close:
 * @link: a link
 *
 * Any thread: promise callbacks chain no new webrtcbin request from now
 * on (see sl_media_link_is_closing()).
 */
void
sl_media_link_close (SlMediaLink * link)
{
  g_atomic_int_set (&link->closing, TRUE);
}

gboolean
sl_media_link_is_closing (SlMediaLink * link)
{
  return g_atomic_int_get (&link->closing);
}

/* ------------------------------------------------------------------ */
/* Checked promises                                                     */

static void
promise_ctx_free (gpointer data)
{
  SlPromiseCtx *ctx = data;

  sl_media_link_unref (ctx->link);
  g_clear_pointer (&ctx->webrtc, gst_object_unref);
  g_free (ctx);
}

/**
 * sl_media_link_promise:
 * @link: a link
 * @func: the promise's change function; its user data is a #SlPromiseCtx
 * @webrtc: (nullable): the webrtcbin @func may chain a request on
 * @what: (nullable): the request's name, for errors (static)
 * @flag: free for @func
 *
 * The caller emits the request with the promise and then drops its own
 * reference at once: webrtcbin holds one while the request is pending,
 * and a request dropped at teardown never calls @func, so a reference kept
 * for @func to drop would leak.
 *
 * Returns: (transfer full): a promise
 */
GstPromise *
sl_media_link_promise (SlMediaLink * link, GstPromiseChangeFunc func,
    GstElement * webrtc, const char *what, gboolean flag)
{
  SlPromiseCtx *ctx = g_new0 (SlPromiseCtx, 1);

  ctx->link = sl_media_link_ref (link);
  ctx->webrtc = webrtc ? gst_object_ref (webrtc) : NULL;
  ctx->what = what;
  ctx->flag = flag;
  return gst_promise_new_with_change_func (func, ctx, promise_ctx_free);
}

/**
 * sl_media_link_promise_ok:
 * @promise: a promise webrtcbin answered
 * @link: the link whose fail function hears of an error
 * @what: the request's name
 * @out_reply: (out) (optional) (transfer none): the reply, which may be
 *   %NULL for a successful set-*-description
 *
 * Every promise reply is checked before it is used.
 *
 * Returns: %TRUE when the request succeeded
 */
gboolean
sl_media_link_promise_ok (GstPromise * promise, SlMediaLink * link,
    const char *what, const GstStructure ** out_reply)
{
  const GstStructure *reply;
  GError *error = NULL;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED) {
    sl_media_link_fail_later (link, SL_MEDIA_ERROR_FAILED,
        g_strdup_printf ("webrtcbin did not answer %s", what));
    return FALSE;
  }
  reply = gst_promise_get_reply (promise);
  if (reply && gst_structure_has_field (reply, "error")) {
    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
    sl_media_link_fail_later (link, SL_MEDIA_ERROR_FAILED,
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
  SlPromiseCtx *ctx = user_data;

  sl_media_link_promise_ok (promise, ctx->link, ctx->what, NULL);
}

/**
 * sl_media_link_checked_promise:
 * @link: a link
 * @what: the request's name (static)
 *
 * Returns: (transfer full): a promise whose reply is only checked
 */
GstPromise *
sl_media_link_checked_promise (SlMediaLink * link, const char *what)
{
  return sl_media_link_promise (link, on_promise_checked, NULL, what, FALSE);
}

/* ------------------------------------------------------------------ */
/* Draining webrtcbin's requests before the pipeline stops             */

/* webrtcbin runs requests one after the other on its own thread, and
 * set-local/remote-description adds and starts its transport bins there.
 * Stopping the pipeline while one runs races with it: a cut of the
 * signalling connection just as the answer arrived left a
 * TransportReceiveBin with an extra reference (its nicesrc, pads and 4
 * descriptors leaked, see tests/net/test-wscut.sh).  So no new request is
 * chained (sl_media_link_close()) and a get-stats request, queued behind
 * whatever is pending, is waited for: its reply is the event that says the
 * queue ahead of it is done.  Three rounds cover set-remote-description ->
 * create-answer -> set-local-description.  webrtcbin's thread never waits
 * for ours. */

typedef struct
{
  GstElement *webrtc;
  guint round;
  GSource *bound_source;
} Drain;

static void
drain_free (gpointer data)
{
  Drain *d = data;

  sl_source_clear (&d->bound_source);
  gst_object_unref (d->webrtc);
  g_free (d);
}

static void drain_round (GTask * task);

static gboolean
drain_replied_main (gpointer data)
{
  GTask *task = data;
  Drain *d = g_task_get_task_data (task);

  if (g_task_get_completed (task) || g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  if (++d->round < DRAIN_ROUNDS)
    drain_round (task);
  else
    g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

/* webrtcbin's thread: only queues the next step. */
static void
on_drain_replied (GstPromise * promise, gpointer data)
{
  GTask *task = data;

  attach (g_task_get_context (task), drain_replied_main,
      g_object_ref (task), g_object_unref);
}

static void
drain_round (GTask * task)
{
  Drain *d = g_task_get_task_data (task);
  GstPromise *promise;

  /* The promise keeps its own reference on the task: a reply after the
   * task completed is harmless. */
  promise = gst_promise_new_with_change_func (on_drain_replied,
      g_object_ref (task), g_object_unref);
  g_signal_emit_by_name (d->webrtc, "get-stats", NULL, promise);
  gst_promise_unref (promise);
}

static gboolean
on_drain_bound (gpointer data)
{
  GTask *task = data;
  Drain *d = g_task_get_task_data (task);

  sl_source_clear (&d->bound_source);
  if (!g_task_get_completed (task))
    g_task_return_new_error (task, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "webrtcbin did not finish its pending work within %u s (%u of %u "
        "rounds) while stopping", DRAIN_BOUND_MS / 1000, d->round,
        DRAIN_ROUNDS);
  return G_SOURCE_REMOVE;
}

/**
 * sl_media_link_drain:
 * @link: a link
 * @webrtc: its webrtcbin, still running
 * @cancellable: (nullable): a cancellable
 * @callback: called on the calling thread's main context once webrtcbin's
 *   pending requests are done, or after a generous bound
 * @user_data: for @callback
 *
 * Call before the pipeline goes to NULL: chains no new webrtcbin request
 * from now on and waits, without blocking, for the pending ones.
 */
void
sl_media_link_drain (SlMediaLink * link, GstElement * webrtc,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Drain *d = g_new0 (Drain, 1);

  g_task_set_source_tag (task, sl_media_link_drain);
  sl_media_link_close (link);
  d->webrtc = gst_object_ref (webrtc);
  g_task_set_task_data (task, d, drain_free);
  /* g_task_new() took the thread-default context. */
  d->bound_source = sl_timeout_attach (DRAIN_BOUND_MS, on_drain_bound, task);
  drain_round (task);
}

gboolean
sl_media_link_drain_finish (SlMediaLink * link, GAsyncResult * result,
    GError ** error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;
} Wait;

static void
wait_clear (gpointer data)
{
  Wait *w = data;

  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
}

static void
wait_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, wait_clear);
}

static void
on_wait_replied (GstPromise * promise, gpointer user_data)
{
  Wait *w = user_data;

  g_mutex_lock (&w->lock);
  w->done = TRUE;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->lock);
}

/**
 * sl_media_link_drain_sync:
 * @link: a link
 * @webrtc: its webrtcbin, still running
 * @error: set when webrtcbin did not finish within the bound
 *
 * sl_media_link_drain() for a teardown that cannot wait for the main
 * loop (an object disposed with its call still running): blocks.
 *
 * Returns: %TRUE when webrtcbin's pending requests are done
 */
gboolean
sl_media_link_drain_sync (SlMediaLink * link, GstElement * webrtc,
    GError ** error)
{
  gint64 end =
      g_get_monotonic_time () + DRAIN_BOUND_MS * G_TIME_SPAN_MILLISECOND;
  guint round;

  sl_media_link_close (link);
  for (round = 0; round < DRAIN_ROUNDS; round++) {
    Wait *w = g_atomic_rc_box_new0 (Wait);
    GstPromise *promise;
    gboolean done;

    g_mutex_init (&w->lock);
    g_cond_init (&w->cond);
    /* The promise keeps its own reference on @w: a reply after the wait
     * gave up is harmless. */
    promise = gst_promise_new_with_change_func (on_wait_replied,
        g_atomic_rc_box_acquire (w), wait_release);
    g_signal_emit_by_name (webrtc, "get-stats", NULL, promise);
    gst_promise_unref (promise);
    g_mutex_lock (&w->lock);
    while (!w->done && g_cond_wait_until (&w->cond, &w->lock, end));
    done = w->done;
    g_mutex_unlock (&w->lock);
    wait_release (w);
    if (!done) {
      g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
          "webrtcbin did not finish its pending work within %u s (%u of %u "
          "rounds) while stopping", DRAIN_BOUND_MS / 1000, round, DRAIN_ROUNDS);
      return FALSE;
    }
  }
  return TRUE;
}
