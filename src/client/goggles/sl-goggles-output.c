/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Where the goggles view goes: the elements in the call's pipeline
 * (slseethrough ! capsfilter ! slhud ! sink), the full-screen window, and
 * the PNG snapshots of goggles-png:PATH.
 *
 * The composition is made at the goggles' resolution in BGRx, an RGB
 * format, so that a snapshot holds exactly the bytes the display gets and
 * the HUD is blended into them (the sinks used here do not take overlay
 * metas).  Inputs are plugged in as they appear (the camera with the
 * capture branch, the expert's video when webrtcbin adds its pad), each
 * behind a small leaky queue: a slow display never holds the decoder or
 * the camera back.
 *
 * On X11 the view draws into a window of its own that covers the screen
 * and asks the window manager for full screen (_NET_WM_STATE_FULLSCREEN);
 * ximagesink renders into it through GstVideoOverlay and sends key
 * presses upstream as GstNavigation events, which become hotkeys.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-goggles-view-private.h"
#include "sightline/sl-goggles-error.h"

#include <string.h>
#include <gst/video/video.h>
#include <gst/video/navigation.h>
#include <gst/video/videooverlay.h>

#ifdef SL_HAVE_X11
#include <X11/Xlib.h>
#include <X11/Xatom.h>
#endif

/* ------------------------------------------------------------------ */
/* The display                                                          */

static gboolean
have_env (const char *name)
{
  const char *v = g_getenv (name);

  return v != NULL && *v != '\0';
}

#ifdef SL_HAVE_X11
static gboolean
open_x11_window (SlGogglesView * self, GError ** error)
{
  Display *dpy = XOpenDisplay (NULL);
  Atom state, fullscreen;
  Window window;
  int screen;
  guint w, h;

  if (dpy == NULL) {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Cannot open the X display \"%s\" for the goggles view",
        g_getenv ("DISPLAY"));
    return FALSE;
  }
  screen = DefaultScreen (dpy);
  w = DisplayWidth (dpy, screen);
  h = DisplayHeight (dpy, screen);
  if (self->width == 0 || self->height == 0) {
    self->width = w;
    self->height = h;
  }
  /* Black is transparent on additive displays: the window is black
   * wherever no frame has been drawn yet. */
  window = XCreateSimpleWindow (dpy, RootWindow (dpy, screen), 0, 0, w, h, 0,
      BlackPixel (dpy, screen), BlackPixel (dpy, screen));
  XStoreName (dpy, window, "Sightline goggles");
  state = XInternAtom (dpy, "_NET_WM_STATE", False);
  fullscreen = XInternAtom (dpy, "_NET_WM_STATE_FULLSCREEN", False);
  XChangeProperty (dpy, window, state, XA_ATOM, 32, PropModeReplace,
      (unsigned char *) &fullscreen, 1);
  XMapRaised (dpy, window);
  XSync (dpy, False);
  self->x_display = dpy;
  self->x_window = window;
  return TRUE;
}
#endif

/* Called once by sl_goggles_view_new(): opens the window, or checks that
 * snapshots can be written. */
gboolean
sl_goggles_output_open (SlGogglesView * self, GError ** error)
{
  if (self->display == SL_DISPLAY_GOGGLES_PNG) {
    g_autofree char *dir = g_path_get_dirname (self->png_path);

    if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
      g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
          "Cannot write snapshots to %s: %s is not a folder", self->png_path,
          dir);
      return FALSE;
    }
    return TRUE;
  }
#ifdef SL_HAVE_X11
  if (have_env ("DISPLAY"))
    return open_x11_window (self, error);
#endif
  if (have_env ("WAYLAND_DISPLAY") || have_env ("DISPLAY"))
    return TRUE;
  g_set_error_literal (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
      "--display goggles needs a display (X11 or Wayland); without one use "
      "--display goggles-png:PATH");
  return FALSE;
}

void
sl_goggles_output_close (SlGogglesView * self)
{
#ifdef SL_HAVE_X11
  if (self->x_display) {
    XDestroyWindow (self->x_display, self->x_window);
    XCloseDisplay (self->x_display);
  }
#endif
  self->x_display = NULL;
  self->x_window = 0;
}

static const char *
sink_description (SlGogglesView * self)
{
  if (self->display == SL_DISPLAY_GOGGLES_PNG)
    return "fakesink name=" SL_GOGGLES_SINK " sync=false async=false "
        "enable-last-sample=true";
  if (self->x_display)
    return "videoconvert ! ximagesink name=" SL_GOGGLES_SINK " sync=false "
        "handle-events=true";
  if (have_env ("WAYLAND_DISPLAY") && !have_env ("DISPLAY"))
    return "videoconvert ! waylandsink name=" SL_GOGGLES_SINK " sync=false "
        "fullscreen=true";
  /* Built without X11 support: a window of the goggles' size. */
  return "videoconvert ! autovideosink name=" SL_GOGGLES_SINK " sync=false";
}

/* ------------------------------------------------------------------ */
/* Applying settings                                                    */

void
sl_goggles_output_apply_view (SlGogglesView * self)
{
  if (self->seethrough == NULL)
    return;
  g_object_set (self->seethrough, "opacity", self->opacity, "scale",
      self->scale, NULL);
  gst_util_set_object_arg (G_OBJECT (self->seethrough), "placement",
      self->placement);
  gst_util_set_object_arg (G_OBJECT (self->seethrough), "mode",
      self->mode == SL_SEE_THROUGH_VIDEO ? "video" : "optical");
}

void
sl_goggles_output_apply_hud (SlGogglesView * self)
{
  g_ptr_array_add (self->chat, NULL);
  if (self->hud) {
    gst_util_set_object_arg (G_OBJECT (self->hud), "call-state",
        self->call_state);
    gst_util_set_object_arg (G_OBJECT (self->hud), "security", self->security);
    gst_util_set_object_arg (G_OBJECT (self->hud), "verified-by",
        self->verified_by);
    g_object_set (self->hud, "peer-name", self->peer_name, "peer-role",
        self->peer_role, "sas", self->sas, "keys-changed", self->keys_changed,
        "sas-confirmed", self->sas_confirmed, "chat",
        (char **) self->chat->pdata, "rtt-ms", self->rtt_ms,
        "loss-percent", self->loss_percent, "bitrate-kbps",
        self->bitrate_kbps, NULL);
  }
  g_ptr_array_remove_index (self->chat, self->chat->len - 1);
}

/* ------------------------------------------------------------------ */
/* Hotkeys                                                              */

typedef struct
{
  SlGogglesView *view;
  char *key;
} KeyHop;

static void
key_hop_free (gpointer data)
{
  KeyHop *k = data;

  g_object_unref (k->view);
  g_free (k->key);
  g_free (k);
}

static gboolean
key_hop_main (gpointer data)
{
  KeyHop *k = data;

  sl_goggles_view_handle_key (k->view, k->key);
  return G_SOURCE_REMOVE;
}

/* On the sink's streaming or event thread: queued to the main context,
 * never run in place. */
static GstPadProbeReturn
on_sink_event (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  SlGogglesView *self = data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  const char *key = NULL;
  GSource *source;
  KeyHop *k;

  if (GST_EVENT_TYPE (event) != GST_EVENT_NAVIGATION
      || gst_navigation_event_get_type (event) !=
      GST_NAVIGATION_EVENT_KEY_PRESS
      || !gst_navigation_event_parse_key_event (event, &key) || key == NULL)
    return GST_PAD_PROBE_OK;
  k = g_new0 (KeyHop, 1);
  k->view = g_object_ref (self);
  k->key = g_strdup (key);
  source = g_idle_source_new ();
  g_source_set_callback (source, key_hop_main, k, key_hop_free);
  g_source_attach (source, self->context);
  g_source_unref (source);
  return GST_PAD_PROBE_OK;
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                            */

/* Writes @sample as PNG unless a newer snapshot was written meanwhile
 * (the final one must not be overwritten by a periodic one that was
 * still being encoded): *@written says which.  Any thread. */
static gboolean
write_png (SlGogglesView * self, GstSample * sample, guint64 seq,
    gboolean * written, GError ** error)
{
  g_autoptr (GstCaps) caps = gst_caps_new_empty_simple ("image/png");
  g_autoptr (GstSample) png = NULL;
  g_autoptr (GError) local_error = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  gboolean ok = TRUE;

  *written = FALSE;
  png = gst_video_convert_sample (sample, caps, 5 * GST_SECOND, &local_error);
  if (png == NULL || (buffer = gst_sample_get_buffer (png)) == NULL) {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_FAILED,
        "Cannot encode the goggles view as PNG: %s",
        local_error ? local_error->message : "no output");
    return FALSE;
  }
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    g_set_error_literal (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_FAILED,
        "Cannot read the encoded PNG");
    return FALSE;
  }
  g_mutex_lock (&self->write_lock);
  if (seq > self->written_seq) {
    /* Written to a temporary file and renamed: readers never see half a
     * PNG. */
    ok = g_file_set_contents (self->png_path, (const char *) map.data,
        map.size, error);
    if (ok)
      self->written_seq = seq;
    *written = ok;
  }
  g_mutex_unlock (&self->write_lock);
  gst_buffer_unmap (buffer, &map);
  return ok;
}

typedef struct
{
  GstSample *sample;
  guint64 seq;
} SnapshotJob;

static void
snapshot_job_free (gpointer data)
{
  SnapshotJob *job = data;

  gst_sample_unref (job->sample);
  g_free (job);
}

static void
snapshot_thread (GTask * task, gpointer source, gpointer data,
    GCancellable * cancellable)
{
  SlGogglesView *self = source;
  SnapshotJob *job = data;
  GError *error = NULL;
  gboolean written = FALSE;

  if (write_png (self, job->sample, job->seq, &written, &error))
    g_task_return_boolean (task, written);
  else
    g_task_return_error (task, error);
}

static void
snapshot_done (GObject * source, GAsyncResult * result, gpointer data)
{
  SlGogglesView *self = SL_GOGGLES_VIEW (source);
  g_autoptr (GError) error = NULL;

  self->snapshot_busy = FALSE;
  /* FALSE without an error: the final snapshot overtook this one. */
  if (g_task_propagate_boolean (G_TASK (result), &error)) {
    self->snapshots++;
    sl_goggles_view_notice (self, "snapshot %u: %s", self->snapshots,
        self->png_path);
  } else if (error) {
    sl_goggles_view_notice (self, "no snapshot: %s", error->message);
  }
}

static GstSample *
last_sample (SlGogglesView * self)
{
  GstSample *sample = NULL;

  if (self->sink)
    g_object_get (self->sink, "last-sample", &sample, NULL);
  return sample;
}

static gboolean
on_snapshot_tick (gpointer data)
{
  SlGogglesView *self = data;
  g_autoptr (GTask) task = NULL;
  GstSample *sample;
  SnapshotJob *job;

  if (self->snapshot_busy || (sample = last_sample (self)) == NULL)
    return G_SOURCE_CONTINUE;
  self->snapshot_busy = TRUE;
  job = g_new0 (SnapshotJob, 1);
  job->sample = sample;
  job->seq = ++self->snapshot_seq;
  task = g_task_new (self, NULL, snapshot_done, NULL);
  g_task_set_source_tag (task, on_snapshot_tick);
  g_task_set_task_data (task, job, snapshot_job_free);
  g_task_run_in_thread (task, snapshot_thread);
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */
/* The bin                                                              */

/* The expert's frames are stamped with the time they arrive here.  Their
 * own timestamps follow the sender's capture clock through the
 * jitterbuffer; slseethrough, a live aggregator, drops a frame whose time
 * has passed when it is composed, so a busy goggles device would show
 * black instead of the newest picture.  Stamped on arrival a frame is
 * always shown from the next composed frame on, until a newer one
 * replaces it. */
static GstPadProbeReturn
on_remote_frame (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstElement *queue = GST_ELEMENT (data);
  g_autoptr (GstClock) clock = gst_element_get_clock (queue);
  g_autoptr (GstEvent) event = NULL;
  const GstSegment *segment = NULL;
  GstClockTime now, pos;
  GstBuffer *buffer;

  if (clock == NULL)
    return GST_PAD_PROBE_OK;
  event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  if (event)
    gst_event_parse_segment (event, &segment);
  now = gst_clock_get_time (clock);
  if (segment == NULL || segment->format != GST_FORMAT_TIME
      || now < gst_element_get_base_time (queue))
    return GST_PAD_PROBE_OK;
  pos = gst_segment_position_from_running_time (segment, GST_FORMAT_TIME,
      now - gst_element_get_base_time (queue));
  if (!GST_CLOCK_TIME_IS_VALID (pos))
    return GST_PAD_PROBE_OK;
  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_BUFFER_PTS (buffer) = pos;
  GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (buffer) = GST_CLOCK_TIME_NONE;
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  return GST_PAD_PROBE_OK;
}

/**
 * sl_goggles_view_make_bin:
 * @self: a view
 * @framerate: frames per second of the composition
 * @error: set when an element is missing
 *
 * Makes the view's part of a call's pipeline; inputs are added with
 * sl_goggles_view_link_input().  The view keeps the elements to apply
 * its settings until sl_goggles_view_release_bin().
 *
 * Returns: (transfer floating): a bin named "goggles-view"
 */
GstElement *
sl_goggles_view_make_bin (SlGogglesView * self, guint framerate,
    GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *desc = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  GstElement *bin;

  g_return_val_if_fail (SL_IS_GOGGLES_VIEW (self), NULL);
  g_return_val_if_fail (self->bin == NULL, NULL);

  /* start-time-selection=first: the inputs arrive a while after the
   * pipeline starts, and the composition starts with them. */
  desc = g_strdup_printf ("slseethrough name=" SL_GOGGLES_SEETHROUGH
      " start-time-selection=first ! video/x-raw,format=BGRx,width=%u,"
      "height=%u,framerate=%u/1,pixel-aspect-ratio=1/1 ! slhud name="
      SL_GOGGLES_HUD " ! %s", self->width, self->height, MAX (framerate, 1),
      sink_description (self));
  bin = gst_parse_bin_from_description_full (desc, FALSE, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
  if (bin == NULL) {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Cannot build the goggles view: %s", local_error->message);
    return NULL;
  }
  gst_object_set_name (GST_OBJECT (bin), "goggles-view");
  self->bin = gst_object_ref (bin);
  self->seethrough = gst_bin_get_by_name (GST_BIN (bin), SL_GOGGLES_SEETHROUGH);
  self->hud = gst_bin_get_by_name (GST_BIN (bin), SL_GOGGLES_HUD);
  self->sink = gst_bin_get_by_name (GST_BIN (bin), SL_GOGGLES_SINK);
  sl_goggles_output_apply_view (self);
  sl_goggles_output_apply_hud (self);

#ifdef SL_HAVE_X11
  if (self->x_display && GST_IS_VIDEO_OVERLAY (self->sink))
    gst_video_overlay_set_window_handle (GST_VIDEO_OVERLAY (self->sink),
        self->x_window);
#endif
  sinkpad = gst_element_get_static_pad (self->sink, "sink");
  if (sinkpad)
    gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
        on_sink_event, g_object_ref (self), g_object_unref);
  if (self->display == SL_DISPLAY_GOGGLES_PNG)
    self->snapshot_timer = g_timeout_add (SL_GOGGLES_SNAPSHOT_MS,
        on_snapshot_tick, self);
  return bin;
}

/**
 * sl_goggles_view_link_input:
 * @bin: a bin from sl_goggles_view_make_bin()
 * @pad_name: "remote" (the expert's video) or "camera" (the wearer's)
 * @src: a source pad of raw video in the same pipeline
 * @test_label: mark the input as a test picture ("TEST CAMERA")
 * @error: set when the input cannot be linked (e.g. it already is)
 *
 * Requests the slseethrough pad, puts a leaky queue in front of it and
 * links @src.  Thread-safe: webrtcbin's pads arrive on streaming threads.
 *
 * Returns: %TRUE when linked
 */
gboolean
sl_goggles_view_link_input (GstElement * bin, const char *pad_name,
    GstPad * src, gboolean test_label, GError ** error)
{
  g_autoptr (GstElement) seethrough = NULL;
  g_autoptr (GstPad) request = NULL;
  g_autoptr (GstPad) qsink = NULL;
  g_autoptr (GstPad) out = NULL;
  GstElement *queue, *label = NULL;
  GstPad *ghost;

  seethrough = gst_bin_get_by_name (GST_BIN (bin), SL_GOGGLES_SEETHROUGH);
  request = seethrough ? gst_element_request_pad_simple (seethrough,
      pad_name) : NULL;
  if (request == NULL) {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_FAILED,
        "The goggles view has no free %s input", pad_name);
    return FALSE;
  }
  queue = gst_element_factory_make ("queue", NULL);
  g_object_set (queue, "max-size-buffers", 2, "max-size-bytes", 0,
      "max-size-time", G_GUINT64_CONSTANT (0), NULL);
  gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");
  gst_bin_add (GST_BIN (bin), queue);
  if (test_label && (label = gst_element_factory_make ("textoverlay", NULL))) {
    g_object_set (label, "text", "TEST CAMERA (no camera found)",
        "font-desc", "Sans Bold 12", "shaded-background", TRUE, NULL);
    gst_util_set_object_arg (G_OBJECT (label), "valignment", "bottom");
    gst_bin_add (GST_BIN (bin), label);
    gst_element_link (queue, label);
  }
  out = gst_element_get_static_pad (label ? label : queue, "src");
  if (g_str_equal (pad_name, "remote"))
    gst_pad_add_probe (out, GST_PAD_PROBE_TYPE_BUFFER, on_remote_frame,
        queue, NULL);
  qsink = gst_element_get_static_pad (queue, "sink");
  ghost = gst_ghost_pad_new (pad_name, qsink);
  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (bin, ghost);
  if (GST_PAD_LINK_FAILED (gst_pad_link (out, request))
      || GST_PAD_LINK_FAILED (gst_pad_link (src, ghost))) {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_FAILED,
        "Cannot link the %s input of the goggles view", pad_name);
    return FALSE;
  }
  if (label)
    gst_element_sync_state_with_parent (label);
  gst_element_sync_state_with_parent (queue);
  return TRUE;
}

/**
 * sl_goggles_view_release_bin:
 * @self: a view
 *
 * The call's pipeline is about to stop: writes the last frame shown as
 * the final snapshot (goggles-png) and forgets the elements.
 */
void
sl_goggles_view_release_bin (SlGogglesView * self)
{
  g_autoptr (GstSample) sample = NULL;
  g_autoptr (GError) error = NULL;
  gboolean written = FALSE;

  g_return_if_fail (SL_IS_GOGGLES_VIEW (self));

  if (self->bin == NULL)
    return;
  g_clear_handle_id (&self->snapshot_timer, g_source_remove);
  if (self->display == SL_DISPLAY_GOGGLES_PNG
      && (sample = last_sample (self)) != NULL) {
    /* Blocks for one PNG encode, once, at the end of the call. */
    if (write_png (self, sample, ++self->snapshot_seq, &written, &error)) {
      self->snapshots++;
      sl_goggles_view_notice (self, "snapshot %u (final): %s",
          self->snapshots, self->png_path);
    } else {
      sl_goggles_view_notice (self, "no final snapshot: %s", error->message);
    }
  }
  g_clear_object (&self->seethrough);
  g_clear_object (&self->hud);
  g_clear_object (&self->sink);
  g_clear_object (&self->bin);
}
