/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The media session's side of the goggles view: the view's bin joins the
 * call's pipeline when the pipeline is built, the wearer's camera is
 * plugged into it with the capture (a branch of the tee that also feeds
 * the encoder, or a capture of its own with --camera), and the expert's
 * video when webrtcbin adds its pad.  The received video still passes the
 * gate first: nothing of the expert's picture is shown before the call is
 * verified, while the HUD already shows the call's progress.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-session-private.h"
#include "sl-media-branches.h"
#include "goggles/sl-goggles-view.h"
#include "sightline/sl-media-error.h"

static SlGogglesView *
view_of (SlMediaSession * self)
{
  return self->opts->goggles_view ?
      SL_GOGGLES_VIEW (self->opts->goggles_view) : NULL;
}

/* Main thread, while the pipeline is built. */
gboolean
sl_media_goggles_build (SlMediaSession * self, GError ** error)
{
  SlGogglesView *view = view_of (self);
  GstElement *bin, *camera;
  g_autoptr (GstPad) src = NULL;

  if (view == NULL)
    return TRUE;
  bin = sl_goggles_view_make_bin (view, self->opts->framerate, error);
  if (bin == NULL)
    return FALSE;
  self->view_bin = gst_object_ref (bin);
  gst_bin_add (GST_BIN (self->pipeline), bin);
  if (sl_media_camera_is_shared (self->opts))
    return TRUE;
  camera = sl_media_make_camera (self->opts, error);
  if (camera == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self->pipeline), camera);
  src = gst_element_get_static_pad (camera, "src");
  return src != NULL && sl_goggles_view_link_input (self->view_bin, "camera",
      src, sl_media_camera_is_test (self->opts), error);
}

/* Main thread, when the send branches are added (the answerer adds them
 * in a running pipeline). */
gboolean
sl_media_goggles_link_camera (SlMediaSession * self, GstElement * video_send,
    GError ** error)
{
  g_autoptr (GstPad) src = NULL;

  if (self->view_bin == NULL || !sl_media_camera_is_shared (self->opts))
    return TRUE;
  src = gst_element_get_static_pad (video_send, SL_BRANCH_CAMERA_PAD);
  if (src == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "The capture has no branch for the goggles view");
    return FALSE;
  }
  return sl_goggles_view_link_input (self->view_bin, "camera", src,
      sl_media_camera_is_test (self->opts), error);
}

/* Streaming thread (webrtcbin's pad-added): @receive is in the pipeline
 * and its ghost src pad is the gate's output. */
gboolean
sl_media_goggles_link_remote (SlMediaSession * self, GstElement * receive,
    GError ** error)
{
  g_autoptr (GstPad) src = gst_element_get_static_pad (receive, "src");

  if (src == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "The received video has no output for the goggles view");
    return FALSE;
  }
  return sl_goggles_view_link_input (self->view_bin, "remote", src, FALSE,
      error);
}

/* Main thread, before the pipeline stops. */
void
sl_media_goggles_release (SlMediaSession * self)
{
  SlGogglesView *view = view_of (self);

  if (view && self->view_bin)
    sl_goggles_view_release_bin (view);
}
