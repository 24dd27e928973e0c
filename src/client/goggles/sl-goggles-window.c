/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Where the goggles view is drawn: a full-screen window, or nowhere but
 * the sink that PNG snapshots are taken from.
 *
 * On X11 the view draws into a window of its own that covers the screen
 * and asks the window manager for full screen (_NET_WM_STATE_FULLSCREEN);
 * ximagesink renders into it through GstVideoOverlay and sends key
 * presses upstream as GstNavigation events, which become hotkeys.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-goggles-window.h"
#include "sightline/sl-goggles-error.h"

#include <gst/video/videooverlay.h>

#ifdef SL_HAVE_X11
#include <X11/Xlib.h>
#include <X11/Xatom.h>
#endif

struct _SlGogglesWindow
{
  GObject parent_instance;

  SlGogglesOutput output;
  /* X11 fullscreen window (Display *, Window), or NULL/0. */
  gpointer x_display;
  gulong x_window;
};

G_DEFINE_FINAL_TYPE (SlGogglesWindow, sl_goggles_window, G_TYPE_OBJECT);

static gboolean
have_env (const char *name)
{
  const char *v = g_getenv (name);

  return v != NULL && *v != '\0';
}

#ifdef SL_HAVE_X11
static gboolean
open_x11_window (SlGogglesWindow * self, guint * width, guint * height,
    GError ** error)
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
  if (*width == 0 || *height == 0) {
    *width = w;
    *height = h;
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

/**
 * sl_goggles_window_open:
 * @opts: the view's options
 * @width: (inout): the view's width, 0 for the display's
 * @height: (inout): the view's height, 0 for the display's
 * @error: set when there is no display for a window, or the snapshots'
 *   folder does not exist
 *
 * Opens the window, or checks that snapshots can be written.
 *
 * Returns: (transfer full): the view's output, or %NULL
 */
SlGogglesWindow *
sl_goggles_window_open (const SlGogglesOptions * opts, guint * width,
    guint * height, GError ** error)
{
  g_autoptr (SlGogglesWindow) self = g_object_new (SL_TYPE_GOGGLES_WINDOW,
      NULL);

  self->output = opts->output;
  if (opts->output == SL_GOGGLES_OUTPUT_PNG) {
    g_autofree char *dir = g_path_get_dirname (opts->png_path);

    if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
      g_set_error (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
          "Cannot write snapshots to %s: %s is not a folder", opts->png_path,
          dir);
      return NULL;
    }
    return g_steal_pointer (&self);
  }
#ifdef SL_HAVE_X11
  if (have_env ("DISPLAY"))
    return open_x11_window (self, width, height, error) ?
        g_steal_pointer (&self) : NULL;
#endif
  if (have_env ("WAYLAND_DISPLAY") || have_env ("DISPLAY"))
    return g_steal_pointer (&self);
  g_set_error_literal (error, SL_GOGGLES_ERROR, SL_GOGGLES_ERROR_CONFIG,
      "--display goggles needs a display (X11 or Wayland); without one use "
      "--display goggles-png:PATH");
  return NULL;
}

/**
 * sl_goggles_window_sink:
 * @self: an output
 *
 * Returns: the gst-launch description of the view's sink, named
 *   %SL_GOGGLES_SINK
 */
const char *
sl_goggles_window_sink (SlGogglesWindow * self)
{
  if (self->output == SL_GOGGLES_OUTPUT_PNG)
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

/**
 * sl_goggles_window_attach:
 * @self: an output
 * @sink: a sink made from sl_goggles_window_sink()
 *
 * Draws @sink into the window, when there is one of our own.
 */
void
sl_goggles_window_attach (SlGogglesWindow * self, GstElement * sink)
{
#ifdef SL_HAVE_X11
  if (self->x_display && GST_IS_VIDEO_OVERLAY (sink))
    gst_video_overlay_set_window_handle (GST_VIDEO_OVERLAY (sink),
        self->x_window);
#endif
}

static void
sl_goggles_window_dispose (GObject * object)
{
  SlGogglesWindow *self = SL_GOGGLES_WINDOW (object);

#ifdef SL_HAVE_X11
  if (self->x_display) {
    XDestroyWindow (self->x_display, self->x_window);
    XCloseDisplay (self->x_display);
  }
#endif
  self->x_display = NULL;
  self->x_window = 0;

  G_OBJECT_CLASS (sl_goggles_window_parent_class)->dispose (object);
}

static void
sl_goggles_window_class_init (SlGogglesWindowClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_goggles_window_dispose;
}

static void
sl_goggles_window_init (SlGogglesWindow * self)
{
}
