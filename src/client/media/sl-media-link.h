/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * SlMediaLink:
 *
 * The bridge from GStreamer's threads to the main context of one media
 * object (its "target").  Opaque and reference counted; a hop holds the
 * link, never the target.
 */
typedef struct _SlMediaLink SlMediaLink;

/* Runs on the link's context with the target alive. */
typedef void (*SlHopFunc) (gpointer target, gpointer data);

/* Called on the link's context when a checked webrtcbin request failed;
 * takes nothing (the error is freed after). */
typedef void (*SlLinkFailFunc) (gpointer target, const GError *error);

/* What a promise callback needs: never the target itself. */
typedef struct
{
  SlMediaLink *link;
  GstElement  *webrtc;
  const char  *what;
  gboolean     flag;
} SlPromiseCtx;

SlMediaLink * sl_media_link_new          (gpointer        target,
                                          SlLinkFailFunc  fail);
SlMediaLink * sl_media_link_ref          (SlMediaLink    *link);
void          sl_media_link_unref        (gpointer        link);
void          sl_media_link_detach       (SlMediaLink    *link);
GMainContext * sl_media_link_get_context (SlMediaLink    *link);

void          sl_media_link_hop          (SlMediaLink    *link,
                                          SlHopFunc       func,
                                          gpointer        data,
                                          GDestroyNotify  destroy);
void          sl_media_link_fail_later   (SlMediaLink    *link,
                                          gint            code,
                                          char           *message);

void          sl_media_link_close        (SlMediaLink    *link);
gboolean      sl_media_link_is_closing   (SlMediaLink    *link);

GstPromise *  sl_media_link_promise      (SlMediaLink         *link,
                                          GstPromiseChangeFunc func,
                                          GstElement          *webrtc,
                                          const char          *what,
                                          gboolean             flag);
gboolean      sl_media_link_promise_ok   (GstPromise          *promise,
                                          SlMediaLink         *link,
                                          const char          *what,
                                          const GstStructure **out_reply);
GstPromise *  sl_media_link_checked_promise (SlMediaLink *link,
                                             const char  *what);

void          sl_media_link_drain        (SlMediaLink         *link,
                                          GstElement          *webrtc,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      sl_media_link_drain_finish (SlMediaLink         *link,
                                          GAsyncResult        *result,
                                          GError             **error);
gboolean      sl_media_link_drain_sync   (SlMediaLink         *link,
                                          GstElement          *webrtc,
                                          GError             **error);

G_END_DECLS
