/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The goggles view: what the wearer sees.  For each call it makes the
 * call's display: the expert's video through `slseethrough` (over black
 * for optical see-through, over the wearer's camera for video
 * see-through) and the call's head-up display through `slhud`, into a
 * full-screen window or PNG snapshots.
 *
 * The view observes the call: it answers the call's request for a display
 * ("create-element"), feeds the HUD from the call's signals (SlHudFeed),
 * and takes its final snapshot when the call's pipeline is about to stop.
 * Media links the display bin's ghost pads ("video", "camera") and never
 * knows it is the goggles view.
 *
 * The view outlives the call's pipeline: it keeps the see-through
 * settings and the HUD's state and applies them to the elements while a
 * pipeline runs.  Opacity, placement, scale and mode change at run time
 * through standard-input commands (`/opacity 0.4`) and keys in the window;
 * keys `y` and `n` answer the SAS question through the "sas-answer"
 * signal, which the program passes on to the call.
 *
 * The composition is made at the goggles' resolution in BGRx, an RGB
 * format, so that a snapshot holds exactly the bytes the display gets and
 * the HUD is blended into them (the sinks used here do not take overlay
 * metas).  Each input sits behind a small leaky queue: a slow display
 * never holds the decoder or the camera back.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-goggles-view.h"
#include "sightline/sl-goggles-error.h"
#include "sl-goggles-keys.h"
#include "sl-goggles-snapshots.h"
#include "sl-goggles-window.h"
#include "sl-hud-feed.h"

#include <string.h>
#include <gst/video/video.h>
#include <gst/video/navigation.h>

/* Names inside the view's bin. */
#define SL_GOGGLES_SEETHROUGH "seethrough"
/* Data on slseethrough: the peer's camera is paused. */
#define SL_GOGGLES_PEER_PAUSED "sl-peer-paused"
#define SL_GOGGLES_HUD        "hud"

struct _SlGogglesView
{
  GObject parent_instance;

  SlGogglesOptions *opts;       /* see-through settings, changed at run time */
  guint width;
  guint height;
  GMainContext *context;
  SlGogglesWindow *window;
  SlGogglesSnapshots *snapshots;
  SlHudFeed *hud;

  /* The bin in the current call's pipeline (main thread). */
  GstElement *bin;
  GstElement *seethrough;
  GstElement *sink;

  SlCall *call;
};

enum
{
  SIGNAL_NOTICE,
  SIGNAL_SAS_ANSWER,
  SIGNAL_COMMAND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlGogglesView, sl_goggles_view, G_TYPE_OBJECT);

/* A headset's volume buttons brighten or dim the expert's video. */
static const char *const keys_more[] = { "plus", "equal", "KP_Add",
  "XF86AudioRaiseVolume", NULL
};

static const char *const keys_less[] = { "minus", "KP_Subtract",
  "XF86AudioLowerVolume", NULL
};

/* Placements in the order the "p" key walks through them. */
static const char *const placements[] = { "center", "top-left", "top-right",
  "bottom-right", "bottom-left", "top", "right", "bottom", "left", NULL
};

static void
notice (SlGogglesView * self, const char *format, ...)
G_GNUC_PRINTF (2, 3);

     static void notice (SlGogglesView * self, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit (self, signals[SIGNAL_NOTICE], 0, text);
}

static void
on_snapshot_notice (SlGogglesSnapshots * snapshots, const char *text,
    SlGogglesView * self)
{
  g_signal_emit (self, signals[SIGNAL_NOTICE], 0, text);
}

/**
 * sl_goggles_view_new:
 * @opts: the view's settings (copied)
 * @error: set when the plugin is missing or there is no display for the
 *   window
 *
 * Returns: (transfer full): a view, or %NULL
 */
SlGogglesView *
sl_goggles_view_new (const SlGogglesOptions * opts, GError ** error)
{
  g_autoptr (SlGogglesView) self = NULL;
  g_autoptr (GstElementFactory) seethrough = NULL;
  g_autoptr (GstElementFactory) hud = NULL;

  g_return_val_if_fail (opts != NULL, NULL);

  seethrough = gst_element_factory_find ("slseethrough");
  hud = gst_element_factory_find ("slhud");
  if (seethrough == NULL || hud == NULL) {
    g_set_error_literal (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "The goggles view needs the sightline GStreamer plugin (slseethrough, "
        "slhud): install it or point GST_PLUGIN_PATH at build/plugins");
    return NULL;
  }
  if (!sl_goggles_check_placement (opts->placement, error))
    return NULL;

  self = g_object_new (SL_TYPE_GOGGLES_VIEW, NULL);
  self->opts = sl_goggles_options_new ();
  self->opts->output = opts->output;
  self->opts->png_path = g_strdup (opts->png_path);
  self->opts->opacity = CLAMP (opts->opacity, 0.0, 1.0);
  g_free (self->opts->placement);
  self->opts->placement = g_strdup (opts->placement);
  self->opts->scale = CLAMP (opts->scale, 0.01, 2.0);
  self->opts->mode = opts->mode;
  self->opts->framerate = MAX (opts->framerate, 1);
  self->width = opts->width;
  self->height = opts->height;
  self->window = sl_goggles_window_open (opts, &self->width, &self->height,
      error);
  if (self->window == NULL)
    return NULL;
  if (self->width == 0 || self->height == 0) {
    self->width = 1280;
    self->height = 720;
  }
  if (opts->output == SL_GOGGLES_OUTPUT_PNG) {
    self->snapshots = sl_goggles_snapshots_new (opts->png_path);
    g_signal_connect (self->snapshots, "notice",
        G_CALLBACK (on_snapshot_notice), self);
  }
  return g_steal_pointer (&self);
}

guint
sl_goggles_view_get_width (SlGogglesView * self)
{
  return self->width;
}

guint
sl_goggles_view_get_height (SlGogglesView * self)
{
  return self->height;
}

/**
 * sl_goggles_view_get_snapshots:
 *
 * Returns: how many snapshots goggles-png:PATH has been written so far
 */
guint
sl_goggles_view_get_snapshots (SlGogglesView * self)
{
  return self->snapshots ? sl_goggles_snapshots_get_count (self->snapshots) : 0;
}

/**
 * sl_goggles_view_set_notice:
 * @self: a view
 * @notice: (nullable): a warning line in the HUD's call panel (e.g. that
 *   the call sends a test picture or tone), or %NULL for none
 *
 * The HUD's layout places it, so it never covers the chat or the expert's
 * video as a line drawn over the camera input did.
 */
void
sl_goggles_view_set_notice (SlGogglesView * self, const char *notice)
{
  sl_hud_feed_set_notice (self->hud, notice);
}

/* ------------------------------------------------------------------ */
/* Settings                                                             */

static void
set_string (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
apply_view (SlGogglesView * self)
{
  if (self->seethrough == NULL)
    return;
  g_object_set (self->seethrough, "opacity", self->opts->opacity, "scale",
      self->opts->scale, NULL);
  gst_util_set_object_arg (G_OBJECT (self->seethrough), "placement",
      self->opts->placement);
  gst_util_set_object_arg (G_OBJECT (self->seethrough), "mode",
      self->opts->mode == SL_SEE_THROUGH_VIDEO ? "video" : "optical");
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


/* A ghost pad of the bin was linked (any thread: the remote video is
 * linked on webrtcbin's streaming thread): the input it leads to takes a
 * slseethrough pad of its own now, as when the input appears. */
static void
on_input_linked (GstPad * ghost, GstPad * peer, gpointer data)
{
  GstElement *queue_out = data;
  g_autoptr (GstElement) bin = GST_ELEMENT (gst_object_get_parent
      (GST_OBJECT (ghost)));
  g_autoptr (GstElement) seethrough = NULL;
  g_autoptr (GstPad) request = NULL;
  g_autoptr (GstPad) out = gst_element_get_static_pad (queue_out, "src");

  if (bin == NULL)
    return;
  seethrough = gst_bin_get_by_name (GST_BIN (bin), SL_GOGGLES_SEETHROUGH);
  request = gst_element_request_pad_simple (seethrough,
      g_object_get_data (G_OBJECT (ghost), "sl-seethrough-pad"));
  /* A camera paused before its video arrived is not drawn either. */
  if (request && g_str_equal (GST_OBJECT_NAME (ghost), "video"))
    g_object_set (request, "paused", GPOINTER_TO_INT (g_object_get_data
            (G_OBJECT (seethrough), SL_GOGGLES_PEER_PAUSED)), NULL);
  /* An error on the call's bus ends the call as a media failure. */
  if (request == NULL || GST_PAD_LINK_FAILED (gst_pad_link (out, request)))
    GST_ELEMENT_ERROR (bin, CORE, PAD, ("The goggles view has no free %s "
            "input", GST_OBJECT_NAME (ghost)), (NULL));
}

/* An input of the bin: a leaky queue (and the camera's label) behind a
 * ghost sink pad @name that leads to slseethrough's @pad_name once it is
 * linked. */
static void
add_input (SlGogglesView * self, GstElement * bin, const char *name,
    const char *pad_name)
{
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  g_autoptr (GstPad) qsink = NULL;
  g_autoptr (GstPad) out = NULL;
  GstPad *ghost;

  g_object_set (queue, "max-size-buffers", 2, "max-size-bytes", 0,
      "max-size-time", G_GUINT64_CONSTANT (0), NULL);
  gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");
  gst_bin_add (GST_BIN (bin), queue);
  out = gst_element_get_static_pad (queue, "src");
  if (g_str_equal (pad_name, "remote"))
    gst_pad_add_probe (out, GST_PAD_PROBE_TYPE_BUFFER, on_remote_frame,
        queue, NULL);
  qsink = gst_element_get_static_pad (queue, "sink");
  ghost = gst_ghost_pad_new (name, qsink);
  g_object_set_data_full (G_OBJECT (ghost), "sl-seethrough-pad",
      g_strdup (pad_name), g_free);
  g_signal_connect_data (ghost, "linked", G_CALLBACK (on_input_linked),
      gst_object_ref (queue), (GClosureNotify) gst_object_unref, 0);
  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (bin, ghost);
}

/**
 * sl_goggles_view_make_bin:
 * @self: a view
 * @error: set when an element is missing
 *
 * Makes the view's part of a call's pipeline: a bin with ghost sink pads
 * "video" (the expert's picture) and "camera" (the wearer's), as a call
 * asks for its display.  The view keeps the elements to apply its
 * settings until sl_goggles_view_release_bin().
 *
 * Returns: (transfer floating): a bin named "goggles-view"
 */
GstElement *
sl_goggles_view_make_bin (SlGogglesView * self, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *desc = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  g_autoptr (GstElement) hud = NULL;
  GstElement *bin;

  g_return_val_if_fail (SL_IS_GOGGLES_VIEW (self), NULL);
  g_return_val_if_fail (self->bin == NULL, NULL);

  /* start-time-selection=first: the inputs arrive a while after the
   * pipeline starts, and the composition starts with them. */
  desc = g_strdup_printf ("slseethrough name=" SL_GOGGLES_SEETHROUGH
      " start-time-selection=first ! video/x-raw,format=BGRx,width=%u,"
      "height=%u,framerate=%u/1,pixel-aspect-ratio=1/1 ! slhud name="
      SL_GOGGLES_HUD " ! %s", self->width, self->height,
      self->opts->framerate, sl_goggles_window_sink (self->window));
  bin = gst_parse_bin_from_description_full (desc, FALSE, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
  if (bin == NULL) {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Cannot build the goggles view: %s", local_error->message);
    return NULL;
  }
  gst_object_set_name (GST_OBJECT (bin), "goggles-view");
  add_input (self, bin, "video", "remote");
  add_input (self, bin, "camera", "camera");
  self->bin = gst_object_ref (bin);
  self->seethrough = gst_bin_get_by_name (GST_BIN (bin), SL_GOGGLES_SEETHROUGH);
  self->sink = gst_bin_get_by_name (GST_BIN (bin), SL_GOGGLES_SINK);
  hud = gst_bin_get_by_name (GST_BIN (bin), SL_GOGGLES_HUD);
  apply_view (self);
  sl_hud_feed_set_element (self->hud, hud);
  sl_goggles_window_attach (self->window, self->sink);
  sinkpad = gst_element_get_static_pad (self->sink, "sink");
  if (sinkpad)
    gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
        on_sink_event, g_object_ref (self), g_object_unref);
  if (self->snapshots)
    sl_goggles_snapshots_start (self->snapshots, self->sink);
  return bin;
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
  g_return_if_fail (SL_IS_GOGGLES_VIEW (self));

  if (self->bin == NULL)
    return;
  if (self->snapshots)
    sl_goggles_snapshots_finish (self->snapshots);
  sl_hud_feed_set_element (self->hud, NULL);
  g_clear_object (&self->seethrough);
  g_clear_object (&self->sink);
  g_clear_object (&self->bin);
}

/* ------------------------------------------------------------------ */
/* The call shown                                                       */

static GstElement *
on_create_element (SlCall * call, const char *role, SlGogglesView * self)
{
  g_autoptr (GError) error = NULL;
  GstElement *bin;

  if (!g_str_equal (role, "display"))
    return NULL;
  /* A bin still held is the last call's: its pipeline is gone. */
  sl_goggles_view_release_bin (self);
  bin = sl_goggles_view_make_bin (self, &error);
  if (bin == NULL)
    notice (self, "no view: %s", error->message);
  return bin;
}

static void
on_media_stopping (SlCall * call, SlGogglesView * self)
{
  sl_goggles_view_release_bin (self);
}

static gboolean
pause_remote (GstElement * seethrough, GstPad * pad, gpointer paused)
{
  if (g_str_has_prefix (GST_OBJECT_NAME (pad), "remote"))
    g_object_set (pad, "paused", GPOINTER_TO_INT (paused), NULL);
  return TRUE;
}

/* The peer paused its camera: its last frame is not left frozen on the
 * wearer's view (slseethrough draws nothing there). */
static void
on_peer_media_state (SlCall * call, gboolean mic_muted,
    gboolean camera_paused, SlGogglesView * self)
{
  if (self->seethrough == NULL)
    return;
  g_object_set_data (G_OBJECT (self->seethrough), SL_GOGGLES_PEER_PAUSED,
      GINT_TO_POINTER (camera_paused));
  gst_element_foreach_sink_pad (self->seethrough, pause_remote,
      GINT_TO_POINTER (camera_paused));
}

static void
on_ended (SlCall * call, GError * error, SlGogglesView * self)
{
  sl_goggles_view_forget_call (self);
}

/**
 * sl_goggles_view_watch_call:
 * @self: a view
 * @call: a call that has not built its media yet: the view becomes its
 *   display and its HUD shows the call (a reference is kept until the call
 *   ends)
 * @signal: (nullable): where the peer's name and role come from (its
 *   roster)
 *
 * Chat we send is not a call signal: see sl_goggles_view_add_chat().
 */
void
sl_goggles_view_watch_call (SlGogglesView * self, SlCall * call,
    SlSignalClient * signal)
{
  g_return_if_fail (SL_IS_GOGGLES_VIEW (self));
  g_return_if_fail (SL_IS_CALL (call));

  sl_goggles_view_forget_call (self);
  self->call = g_object_ref (call);
  g_signal_connect (call, "create-element", G_CALLBACK (on_create_element),
      self);
  g_signal_connect (call, "media-stopping", G_CALLBACK (on_media_stopping),
      self);
  g_signal_connect (call, "ended", G_CALLBACK (on_ended), self);
  g_signal_connect (call, "peer-media-state",
      G_CALLBACK (on_peer_media_state), self);
  sl_hud_feed_watch_call (self->hud, call, signal);
}

/**
 * sl_goggles_view_forget_call:
 * @self: a view
 *
 * Drops the view's reference to its call (done by itself when the call
 * ends), for a program that stops with a call still running.
 */
void
sl_goggles_view_forget_call (SlGogglesView * self)
{
  g_return_if_fail (SL_IS_GOGGLES_VIEW (self));

  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  sl_hud_feed_forget_call (self->hud);
}

/**
 * sl_goggles_view_set_paused:
 * @self: a view
 * @mic_muted: our microphone sends silence
 * @camera_paused: our camera sends no new frames
 *
 * Shows it on the HUD.
 */
void
sl_goggles_view_set_paused (SlGogglesView * self, gboolean mic_muted,
    gboolean camera_paused)
{
  sl_hud_feed_set_paused (self->hud, mic_muted, camera_paused);
}

/**
 * sl_goggles_view_add_chat:
 * @self: a view
 * @who: who wrote it ("You", the peer's name)
 * @text: the message, as typed or received (the HUD sanitises it)
 */
void
sl_goggles_view_add_chat (SlGogglesView * self, const char *who,
    const char *text)
{
  sl_hud_feed_add_chat (self->hud, who, text);
}

/* ------------------------------------------------------------------ */
/* Runtime changes                                                      */

static const char *const commands[] = { "/opacity", "/placement", "/scale",
  "/mode", NULL
};

/**
 * sl_goggles_view_is_command:
 * @line: a line typed during a call
 *
 * Returns: %TRUE when @line is one of the view's commands (/opacity,
 *   /placement, /scale, /mode), whatever its argument
 */
gboolean
sl_goggles_view_is_command (const char *line)
{
  const char *const *c;

  for (c = commands; *c; c++) {
    gsize n = strlen (*c);

    if (strncmp (line, *c, n) == 0 && (line[n] == '\0' || line[n] == ' '))
      return TRUE;
  }
  return FALSE;
}

static void
announce (SlGogglesView * self)
{
  notice (self, "opacity %.2f, placement %s, scale %.2f, "
      "mode %s", self->opts->opacity, self->opts->placement, self->opts->scale,
      self->opts->mode == SL_SEE_THROUGH_VIDEO ? "video" : "optical");
}

/**
 * sl_goggles_view_run_command:
 * @self: a view
 * @line: "/opacity 0..1", "/placement NAME", "/scale 0.01..2" or
 *   "/mode optical|video"
 * @error: set when the command or its argument is not valid
 *
 * Applies the change at once (from the next composed frame) and
 * announces the new settings through the "notice" signal.
 *
 * Returns: %TRUE when applied
 */
gboolean
sl_goggles_view_run_command (SlGogglesView * self, const char *line,
    GError ** error)
{
  g_auto (GStrv) words = g_strsplit (line, " ", 2);
  const char *arg = words[0] && words[1] ? g_strstrip (words[1]) : NULL;
  double v;

  g_return_val_if_fail (SL_IS_GOGGLES_VIEW (self), FALSE);

  if (!sl_goggles_view_is_command (line) || arg == NULL || *arg == '\0') {
    g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
        "Say /opacity 0..1, /placement NAME, /scale 0.01..2 or "
        "/mode optical|video");
    return FALSE;
  }
  if (g_str_equal (words[0], "/opacity")) {
    if (!sl_goggles_check_opacity (arg, &v, error))
      return FALSE;
    self->opts->opacity = v;
  } else if (g_str_equal (words[0], "/scale")) {
    if (!sl_goggles_check_scale (arg, &v, error))
      return FALSE;
    self->opts->scale = v;
  } else if (g_str_equal (words[0], "/placement")) {
    if (!sl_goggles_check_placement (arg, error))
      return FALSE;
    set_string (&self->opts->placement, arg);
  } else if (!sl_goggles_check_mode (arg, &self->opts->mode, error)) {
    return FALSE;
  }
  apply_view (self);
  announce (self);
  return TRUE;
}

/**
 * sl_goggles_view_handle_key:
 * @self: a view
 * @key: an X key name from a GstNavigation key-press event
 *
 * "+"/"-" change the opacity by 0.1, "p" moves the video to the next
 * placement, "s"/"S" shrink and grow it, "v" switches optical/video;
 * "y"/"n" answer the SAS question ("sas-answer"); the call keys
 * (sl-goggles-keys.c) emit "command" with the standard input command
 * they stand for.
 *
 * Returns: %TRUE when @key did something
 */
gboolean
sl_goggles_view_handle_key (SlGogglesView * self, const char *key)
{
  const char *command = sl_goggles_key_command (key);
  guint i;

  if (command) {
    notice (self, "key %s: %s", key, command);
    g_signal_emit (self, signals[SIGNAL_COMMAND], 0, command);
    return TRUE;
  }

  if (g_str_equal (key, "y") || g_str_equal (key, "n")) {
    notice (self, "key %s: the SAS %s", key,
        g_str_equal (key, "y") ? "match" : "do not match");
    g_signal_emit (self, signals[SIGNAL_SAS_ANSWER], 0, g_str_equal (key, "y"));
    return TRUE;
  }
  if (g_strv_contains (keys_more, key)) {
    self->opts->opacity = MIN (1.0, self->opts->opacity + 0.1);
  } else if (g_strv_contains (keys_less, key)) {
    self->opts->opacity = MAX (0.0, self->opts->opacity - 0.1);
  } else if (g_str_equal (key, "p")) {
    for (i = 0; placements[i]; i++)
      if (g_str_equal (placements[i], self->opts->placement))
        break;
    set_string (&self->opts->placement, placements[i] && placements[i + 1] ?
        placements[i + 1] : placements[0]);
  } else if (g_str_equal (key, "s")) {
    self->opts->scale = MAX (0.1, self->opts->scale - 0.1);
  } else if (g_str_equal (key, "S")) {
    self->opts->scale = MIN (2.0, self->opts->scale + 0.1);
  } else if (g_str_equal (key, "v")) {
    self->opts->mode = self->opts->mode == SL_SEE_THROUGH_VIDEO ?
        SL_SEE_THROUGH_OPTICAL : SL_SEE_THROUGH_VIDEO;
  } else {
    return FALSE;
  }
  apply_view (self);
  announce (self);
  return TRUE;
}

static void
sl_goggles_view_dispose (GObject * object)
{
  SlGogglesView *self = SL_GOGGLES_VIEW (object);

  sl_goggles_view_forget_call (self);
  sl_goggles_view_release_bin (self);
  g_clear_object (&self->snapshots);
  g_clear_object (&self->hud);
  g_clear_object (&self->window);

  G_OBJECT_CLASS (sl_goggles_view_parent_class)->dispose (object);
}

static void
sl_goggles_view_finalize (GObject * object)
{
  SlGogglesView *self = SL_GOGGLES_VIEW (object);

  g_clear_pointer (&self->opts, sl_goggles_options_free);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (sl_goggles_view_parent_class)->finalize (object);
}

static void
sl_goggles_view_class_init (SlGogglesViewClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_goggles_view_dispose;
  object_class->finalize = sl_goggles_view_finalize;

  /* (text) something the user may want to know: new settings after a
   * key or command, a snapshot written. */
  signals[SIGNAL_NOTICE] = g_signal_new ("notice",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (match) the wearer answered the SAS question with a key: the program
   * hands it to the call (sl_call_confirm_sas()). */
  signals[SIGNAL_SAS_ANSWER] = g_signal_new ("sas-answer",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /* (command) the wearer pressed a call key: the standard input command
   * it stands for ("/accept", "/hangup"...), for the program to run. */
  signals[SIGNAL_COMMAND] = g_signal_new ("command",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sl_goggles_view_init (SlGogglesView * self)
{
  self->context = g_main_context_ref_thread_default ();
  self->hud = sl_hud_feed_new ();
}
