/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The goggles view in real calls: the real server and two real
 * `sightline` processes on 127.0.0.1, the goggles side with
 * --display goggles-png:PATH (or a window on a private Xvfb).  What the
 * wearer sees is checked pixel by pixel against docs/GOGGLES.md:
 *
 *   - the expert sends a flat grey (128) picture, so the remote video's
 *     pixels are div255(128 · A) over black, A = round(opacity · 255),
 *     within a small codec tolerance;
 *   - outside the remote video the output is the background exactly
 *     (black in optical mode, the camera in video mode);
 *   - the HUD's top panels (state, peer, SAS, badge) are byte for byte
 *     what slhud draws with those values over black, rendered here;
 *   - the HUD leaves the middle 50% x 50% alone;
 *   - /opacity, /mode and hotkeys change the composed pixels while the
 *     call runs; bad values are refused with a message.
 */

#include "config.h"

#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "call-harness.h"

#ifdef SL_HAVE_X11
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#endif

#define W 640
#define H 360
/* The harness sends 320x240 (4:3).  placement=right, scale=0.5: fitted
 * to the height slhud leaves between the rows it reserves for its panels
 * (answered to slseethrough's reserve query), halved, flush right, centred
 * in that band: 158x118 at (482, 121), as slseethrough's region meta
 * reports it (docs/GOGGLES.md). */
#define RX 482
#define RY 121
#define RW 158
#define RH 118
#define GREY 128
/* VP8 at the harness' 400 kbit/s on a flat picture, then I420 to RGB. */
#define CODEC_TOLERANCE 4

#define EXPERT_GREY "--video=videotestsrc is-live=true pattern=solid-color " \
  "foreground-color=0xff808080"

typedef struct
{
  CallWorld *world;
  CallClient *goggles;
  CallClient *expert;
  char *png;
  GPid xvfb;
  char *fbdir;
} Fixture;

static void
set_up (Fixture * f, gconstpointer data)
{
  f->world = call_world_new (3000);
  f->png = g_build_filename (f->world->dir, "view.png", NULL);
}

static void
tear_down (Fixture * f, gconstpointer data)
{
  call_client_free (f->goggles);
  call_client_free (f->expert);
  if (f->xvfb) {
    kill (f->xvfb, SIGTERM);
    waitpid (f->xvfb, NULL, 0);
    g_spawn_close_pid (f->xvfb);
  }
  if (f->fbdir) {
    g_autofree char *screen = g_build_filename (f->fbdir, "Xvfb_screen0",
        NULL);

    g_unlink (screen);
    g_rmdir (f->fbdir);
    g_free (f->fbdir);
  }
  g_unlink (f->png);
  g_free (f->png);
  call_world_free (f->world);
}

static gboolean
has_final_snapshot (CallClient * c)
{
  guint i;

  for (i = 0; i < c->lines->len; i++) {
    const char *line = g_ptr_array_index (c->lines, i);

    if (g_str_has_prefix (line, "goggles: snapshot ")
        && strstr (line, " (final): "))
      return TRUE;
  }
  return FALSE;
}

/* Waits for @n more snapshots than there are now: the last one is then
 * composed after everything the test did before calling this. */
static void
wait_snapshots (CallClient * c, guint n)
{
  guint want = call_client_count_lines (c, "goggles: snapshot ") + n;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();

  while (call_client_count_lines (c, "goggles: snapshot ") < want && !c->eof
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  g_assert_cmpuint (call_client_count_lines (c, "goggles: snapshot "), >=,
      want);
}

/* A picture as 0xXXRRGGBB words, from a PNG or a raw BGRx frame. */
typedef struct
{
  int width;
  int height;
  int stride;                   /* in words */
  guint32 *data;
  cairo_surface_t *surface;
  guint8 *owned;
} Picture;

static void
picture_clear (Picture * p)
{
  g_clear_pointer (&p->surface, cairo_surface_destroy);
  g_clear_pointer (&p->owned, g_free);
}

static void
load_png (const char *path, Picture * p)
{
  memset (p, 0, sizeof *p);
  p->surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (p->surface), ==, CAIRO_STATUS_SUCCESS);
  p->width = cairo_image_surface_get_width (p->surface);
  p->height = cairo_image_surface_get_height (p->surface);
  p->stride = cairo_image_surface_get_stride (p->surface) / 4;
  p->data = (guint32 *) cairo_image_surface_get_data (p->surface);
}

static void
rgb (const Picture * p, int x, int y, int *r, int *g, int *b)
{
  guint32 v = p->data[y * p->stride + x];

  *r = (v >> 16) & 0xff;
  *g = (v >> 8) & 0xff;
  *b = v & 0xff;
}

/* What slhud draws over black with these values, as the client would
 * show them for a call without a code: secured, not verified (the SAS
 * with the prompt to compare it aloud, in amber); BGRx memory is
 * 0xXXRRGGBB words on little-endian. */
static void
render_hud (int width, int height, const char *sas, const char *peer,
    Picture * p)
{
  g_autofree char *desc = g_strdup_printf ("videotestsrc pattern=black "
      "num-buffers=1 ! video/x-raw,format=BGRx,width=%d,height=%d ! "
      "slhud call-state=connected peer-name=\"%s\" peer-role=expert "
      "sas=\"%s\" security=secured ! fakesink name=out "
      "enable-last-sample=true",
      width, height, peer, sas);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  g_autoptr (GstSample) sample = NULL;
  GstMapInfo map;
  GstBuffer *buffer;

  g_assert_no_error (error);
  g_assert_cmpint (G_BYTE_ORDER, ==, G_LITTLE_ENDIAN);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  g_object_get (sink, "last-sample", &sample, NULL);
  g_assert_nonnull (sample);
  buffer = gst_sample_get_buffer (sample);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_assert_cmpuint (map.size, ==, (gsize) width * height * 4);
  memset (p, 0, sizeof *p);
  p->owned = g_memdup2 (map.data, map.size);
  p->data = (guint32 *) p->owned;
  p->width = width;
  p->height = height;
  p->stride = width;
  gst_buffer_unmap (buffer, &map);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* The top panels (state + peer top-left, SAS + badge top-right) sit above
 * the keep-out region, over black: they must be slhud's own pixels. */
static void
assert_top_panels (const Picture * view, const Picture * ref)
{
  int x, y, lit = 0;

  g_assert_cmpint (view->width, ==, ref->width);
  g_assert_cmpint (view->height, ==, ref->height);
  for (y = 0; y < view->height / 4; y++) {
    for (x = 0; x < view->width; x++) {
      guint32 a = view->data[y * view->stride + x] & 0xffffff;
      guint32 b = ref->data[y * ref->stride + x] & 0xffffff;

      if (a != b)
        g_error ("HUD pixel (%d, %d) is %06x, slhud draws %06x", x, y, a, b);
      lit += a != 0;
    }
  }
  /* Not a comparison of two black pictures. */
  g_assert_cmpint (lit, >, 500);
}

/* Everything in [x0, x1) x [y0, y1) is (r, g, b) +- tol. */
static void
assert_area (const Picture * p, int x0, int y0, int x1, int y1, int r, int g,
    int b, int tol, const char *what)
{
  int x, y, pr, pg, pb;

  for (y = y0; y < y1; y++) {
    for (x = x0; x < x1; x++) {
      rgb (p, x, y, &pr, &pg, &pb);
      if (ABS (pr - r) > tol || ABS (pg - g) > tol || ABS (pb - b) > tol)
        g_error ("%s: pixel (%d, %d) is (%d, %d, %d), expected (%d, %d, %d) "
            "+- %d", what, x, y, pr, pg, pb, r, g, b, tol);
    }
  }
}

static int
div255 (int x)
{
  return (x + 128 + ((x + 128) >> 8)) >> 8;
}

static int
blend (int src, int bg, double opacity)
{
  int a = (int) (opacity * 255 + 0.5);

  return div255 (src * a + bg * (255 - a));
}

static int
bright_pixels (const Picture * p, int x0, int y0, int x1, int y1)
{
  int x, y, r, g, b, n = 0;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++) {
      rgb (p, x, y, &r, &g, &b);
      n += r + g + b > 450;
    }
  return n;
}

/* The optical composition at @opacity: the remote video's rectangle (a
 * few pixels in from its edges, where scaling mixes in nothing else), black
 * everywhere else in the middle, HUD panels in the corners. */
static void
check_optical (const char *path, const Picture * hud, double opacity)
{
  Picture view;
  int v = blend (GREY, 0, opacity);

  load_png (path, &view);
  g_assert_cmpint (view.width, ==, W);
  g_assert_cmpint (view.height, ==, H);
  assert_area (&view, RX + 3, RY + 3, RX + RW - 3, RY + RH - 3, v, v, v,
      CODEC_TOLERANCE, "remote video");
  /* Between the panels, beside the remote video, including the keep-out
   * region (the middle 50% x 50%) up to the video: black. */
  assert_area (&view, 0, H / 4, RX, H - H / 4, 0, 0, 0, 0, "left of video");
  assert_top_panels (&view, hud);
  /* Chat (both ways) bottom-left, link quality bottom-right. */
  g_assert_cmpint (bright_pixels (&view, 0, H - H / 4, W / 2, H), >, 300);
  g_assert_cmpint (bright_pixels (&view, W / 2, H - H / 4, W, H), >, 300);
  picture_clear (&view);
}

/* Waits (snapshot by snapshot, at most @max of them) until the middle of
 * the remote video's rectangle is (r, g, b) +- tol: the first frames may
 * still be on their way, slowly under sanitizers.  Then the caller checks
 * the whole picture. */
static void
wait_remote_colour (Fixture * f, int r, int g, int b, int tol, guint max)
{
  guint i;

  for (i = 0; i < max; i++) {
    Picture view;
    int pr, pg, pb;

    wait_snapshots (f->goggles, 1);
    load_png (f->png, &view);
    rgb (&view, RX + RW / 2, RY + RH / 2, &pr, &pg, &pb);
    picture_clear (&view);
    if (ABS (pr - r) <= tol && ABS (pg - g) <= tol && ABS (pb - b) <= tol)
      return;
  }
  g_error ("the remote video did not become (%d, %d, %d) in %u snapshots", r,
      g, b, max);
}

/* GStreamer's leaks tracer lists, when the goggles process exits, every
 * element still alive in a log of its own: the view and the call once
 * held each other, and the call's whole pipeline with webrtcbin's ICE
 * thread outlived them until exit. */
static char *
leaks_log (Fixture * f)
{
  return g_build_filename (f->world->dir, "goggles-leaks.log", NULL);
}

static void
assert_no_leaked_elements (Fixture * f)
{
  g_autofree char *path = leaks_log (f);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  const char *record = "object-alive, type-name=(string)";
  gboolean tracer_ran = FALSE;
  guint i, alive = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    const char *at = strstr (lines[i], record);

    if (at == NULL)
      continue;
    /* The tracer registers its record's format ("(string)%s") first. */
    if (g_str_has_prefix (at + strlen (record), "%s")) {
      tracer_ran = TRUE;
      continue;
    }
    g_printerr ("%s\n", at);
    alive++;
  }
  g_assert_true (tracer_ran);
  g_assert_cmpuint (alive, ==, 0);
}

static void
start_call (Fixture * f, const char *const *goggles_args)
{
  const char *expert_args[] = { EXPERT_GREY, "--auto-answer",
    "--chat", "check the left valve", "--once", "wait", NULL
  };
  g_autofree char *log = leaks_log (f);
  g_autofree char *log_env = g_strdup_printf ("GST_DEBUG_FILE=%s", log);
  const char *env[] = {
    "GST_TRACERS=leaks(filters=GstElement,stack-traces-flags=none)",
    "GST_DEBUG=GST_TRACER:7", "GST_DEBUG_NO_COLOR=1", log_env, NULL
  };

  f->expert = call_client_spawn (f->world, "expert", NULL, expert_args);
  g_assert_true (call_client_wait_line (f->expert, "server: connected", 60));
  f->goggles = call_client_spawn (f->world, "goggles", env, goggles_args);
  g_assert_true (call_client_wait_line (f->goggles, "first-frame: ", 60));
  g_assert_true (call_client_wait_line (f->goggles, "chat< [1] ", 30));
}

static void
hang_up (Fixture * f)
{
  call_client_write (f->goggles, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, 0);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, 0);
}

static void
hang_up_checked (Fixture * f)
{
  hang_up (f);
  assert_no_leaked_elements (f);
}

static void
test_png_optical (Fixture * f, gconstpointer data)
{
  g_autofree char *display = g_strdup_printf ("--display=goggles-png:%s",
      f->png);
  const char *args[] = { display, "--goggles-size=640x360",
    "--placement=right", "--scale=0.5", "--opacity=0.8",
    "--chat", "hello expert", "call", "expert", NULL
  };
  g_autoptr (JsonObject) stats = NULL;
  Picture hud;
  const char *sas;

  start_call (f, args);
  sas = call_client_find_line (f->goggles, "sas: ");
  g_assert_nonnull (sas);
  render_hud (W, H, sas, "The expert", &hud);

  wait_remote_colour (f, blend (GREY, 0, 0.8), blend (GREY, 0, 0.8),
      blend (GREY, 0, 0.8), CODEC_TOLERANCE, 20);
  check_optical (f->png, &hud, 0.8);

  /* Bad values are refused and change nothing. */
  call_client_write (f->goggles, "/opacity 1.5");
  call_client_write (f->goggles, "/placement middle");
  call_client_write (f->goggles, "/mode xray");
  call_client_write (f->goggles, "/scale");
  g_assert_true (call_client_wait_line (f->goggles, "goggles: Bad opacity",
          20));
  g_assert_true (call_client_wait_line (f->goggles,
          "goggles: Unknown placement \"middle\"", 20));
  g_assert_true (call_client_wait_line (f->goggles,
          "goggles: Unknown see-through mode", 20));
  g_assert_true (call_client_wait_line (f->goggles, "goggles: Say /opacity",
          20));
  wait_snapshots (f->goggles, 2);
  check_optical (f->png, &hud, 0.8);

  /* A new opacity during the call. */
  call_client_write (f->goggles, "/opacity 0.4");
  g_assert_true (call_client_wait_line (f->goggles, "goggles: opacity 0.40, "
          "placement right, scale 0.50, mode optical", 20));
  wait_remote_colour (f, blend (GREY, 0, 0.4), blend (GREY, 0, 0.4),
      blend (GREY, 0, 0.4), CODEC_TOLERANCE, 10);
  check_optical (f->png, &hud, 0.4);

  hang_up_checked (f);
  g_assert_true (has_final_snapshot (f->goggles));
  g_assert_nonnull (call_client_find_line (f->goggles, "snapshot: "));
  stats = call_client_stats (f->goggles);
  g_assert_cmpint (json_object_get_int_member (stats, "goggles_snapshots"), ==,
      call_client_count_lines (f->goggles, "goggles: snapshot "));
  g_assert_cmpint (call_client_count_lines (f->goggles, "goggles: snapshot "),
      >=, 5);
  picture_clear (&hud);
}

/* Video see-through: the camera (here the goggles' own capture, a flat
 * dark grey, shared with the outgoing video through a tee) is the
 * background; /mode optical turns it black again.  Greys go through the
 * encoder branch's I420 unchanged but for rounding. */
static void
test_png_video (Fixture * f, gconstpointer data)
{
  g_autofree char *display = g_strdup_printf ("--display=goggles-png:%s",
      f->png);
  const char *args[] = { display, "--goggles-size=640x360",
    "--placement=right", "--scale=0.5", "--opacity=0.8", "--mode=video",
    "--video=videotestsrc is-live=true pattern=solid-color "
        "foreground-color=0xff404040", "call", "expert", NULL
  };
  Picture view;
  const int cr = 0x40, cg = 0x40, cb = 0x40;

  start_call (f, args);
  wait_remote_colour (f, blend (GREY, cr, 0.8), blend (GREY, cg, 0.8),
      blend (GREY, cb, 0.8), CODEC_TOLERANCE + 2, 20);
  load_png (f->png, &view);
  assert_area (&view, 0, H / 4, RX, H - H / 4, cr, cg, cb, 2, "camera");
  assert_area (&view, RX + 3, RY + 3, RX + RW - 3, RY + RH - 3,
      blend (GREY, cr, 0.8), blend (GREY, cg, 0.8), blend (GREY, cb, 0.8),
      CODEC_TOLERANCE + 2, "remote over camera");
  picture_clear (&view);

  call_client_write (f->goggles, "/mode optical");
  g_assert_true (call_client_wait_line (f->goggles, "goggles: opacity 0.80, "
          "placement right, scale 0.50, mode optical", 20));
  wait_remote_colour (f, blend (GREY, 0, 0.8), blend (GREY, 0, 0.8),
      blend (GREY, 0, 0.8), CODEC_TOLERANCE, 10);
  load_png (f->png, &view);
  assert_area (&view, 0, H / 4, RX, H - H / 4, 0, 0, 0, 0, "optical");
  assert_area (&view, RX + 3, RY + 3, RX + RW - 3, RY + RH - 3,
      blend (GREY, 0, 0.8), blend (GREY, 0, 0.8), blend (GREY, 0, 0.8),
      CODEC_TOLERANCE, "remote over black");
  picture_clear (&view);
  hang_up_checked (f);
}

/* Options a user can get wrong: each is refused before anything starts. */
static void
test_bad_options (Fixture * f, gconstpointer data)
{
  g_autofree char *png = g_strdup_printf ("--display=goggles-png:%s",
      f->png);
  const char *const bad[][4] = {
    {"--display=goggles-png:/nonexistent-folder/view.png", NULL},
    {"--display=goggles-png:", NULL},
    {"--display=goggle", NULL},
    {png, "--opacity=1.5", NULL},
    {png, "--opacity=nan", NULL},
    {png, "--placement=middle", NULL},
    {png, "--scale=0", NULL},
    {png, "--mode=xray", NULL},
    {png, "--goggles-size=8x8", NULL},
    {png, "--goggles-size=1280x", NULL},
    {"--opacity=0.5", NULL},
    {"--display=none", "--camera=test", NULL},
  };
  const char *no_display[] = { "DISPLAY=", "WAYLAND_DISPLAY=", NULL };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    const char *args[6] = { bad[i][0], bad[i][1], bad[i][2], NULL };
    CallClient *c;
    guint n = 0;

    while (args[n])
      n++;
    args[n] = "list";
    c = call_client_spawn (f->world, "goggles", NULL, args);
    g_assert_cmpint (call_client_wait_exit (c, 30), ==, 2);
    call_client_free (c);
  }
  {
    const char *args[] = { "--display=goggles", "list", NULL };
    CallClient *c = call_client_spawn (f->world, "goggles", no_display, args);

    g_assert_cmpint (call_client_wait_exit (c, 30), ==, 2);
    call_client_free (c);
  }
}

#ifdef SL_HAVE_X11
static Window
find_window (Display * dpy, Window w, const char *name)
{
  Window root, parent, *children = NULL, found = 0;
  unsigned int n = 0, i;
  char *title = NULL;

  if (XFetchName (dpy, w, &title) && title) {
    gboolean match = g_str_equal (title, name);

    XFree (title);
    if (match)
      return w;
  }
  if (!XQueryTree (dpy, w, &root, &parent, &children, &n))
    return 0;
  for (i = 0; i < n && !found; i++)
    found = find_window (dpy, children[i], name);
  if (children)
    XFree (children);
  return found;
}

static void
send_key (const char *display, const char *keysym)
{
  Display *dpy = XOpenDisplay (display);
  XKeyEvent ev = { 0, };
  Window w;

  g_assert_nonnull (dpy);
  w = find_window (dpy, DefaultRootWindow (dpy), "Sightline goggles");
  g_assert_cmpuint (w, !=, 0);
  ev.type = KeyPress;
  ev.display = dpy;
  ev.window = w;
  ev.root = DefaultRootWindow (dpy);
  ev.same_screen = True;
  ev.keycode = XKeysymToKeycode (dpy, XStringToKeysym (keysym));
  g_assert_cmpuint (ev.keycode, !=, 0);
  XSendEvent (dpy, w, True, KeyPressMask, (XEvent *) & ev);
  XSync (dpy, False);
  XCloseDisplay (dpy);
}

/* Xvfb keeps its screen in an XWD file: 32-bit pixels after the header
 * and colour map. */
static void
load_screen (const char *path, Picture * p)
{
  g_autofree guint8 *file = NULL;
  gsize len = 0;
  guint32 h[25];
  guint i;

  g_assert_true (g_file_get_contents (path, (char **) &file, &len, NULL));
  g_assert_cmpuint (len, >, sizeof h);
  memcpy (h, file, sizeof h);
  for (i = 0; i < G_N_ELEMENTS (h); i++)
    h[i] = GUINT32_FROM_BE (h[i]);
  g_assert_cmpuint (h[11], ==, 32);     /* bits per pixel */
  g_assert_cmpuint ((guint64) h[0] + h[19] * 12 + (guint64) h[12] * h[5], <=,
      len);
  memset (p, 0, sizeof *p);
  p->width = h[4];
  p->height = h[5];
  p->stride = h[12] / 4;
  p->owned = g_memdup2 (file + h[0] + h[19] * 12, (gsize) h[12] * h[5]);
  p->data = (guint32 *) p->owned;
}

/* --display goggles in a real (virtual) X server: a full-screen window at
 * the screen's size showing the HUD, and hotkeys from the window. */
static void
test_window (Fixture * f, gconstpointer data)
{
  g_autofree char *xvfb = g_find_program_in_path ("Xvfb");
  g_autofree char *screen = NULL;
  g_autofree char *env_display = NULL;
  g_autoptr (GError) error = NULL;
  const char *args[] = { "--display=goggles", "--placement=right",
    "--scale=0.5", "call", "expert", NULL
  };
  const char *expert_args[] =
      { EXPERT_GREY, "--auto-answer", "--once", "wait", NULL };
  const char *env[2] = { NULL, NULL };
  char display[16];
  Picture view, hud;
  int number;

  if (xvfb == NULL) {
    g_test_skip ("Xvfb is not installed");
    return;
  }
  f->fbdir = g_dir_make_tmp ("sl-xvfb-XXXXXX", &error);
  g_assert_no_error (error);
  number = 90 + g_random_int_range (0, 400);
  g_snprintf (display, sizeof display, ":%d", number);
  {
    const char *argv[] = { xvfb, display, "-screen", "0", "800x450x24",
      "-fbdir", f->fbdir, "-nolisten", "tcp", NULL
    };
    g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
            G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &f->xvfb, &error));
  }
  screen = g_build_filename (f->fbdir, "Xvfb_screen0", NULL);
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    Display *dpy = NULL;

    while (dpy == NULL && g_get_monotonic_time () < deadline) {
      g_usleep (50000);
      dpy = XOpenDisplay (display);
    }
    g_assert_nonnull (dpy);
    XCloseDisplay (dpy);
  }
  env_display = g_strdup_printf ("DISPLAY=%s", display);
  env[0] = env_display;

  f->expert = call_client_spawn (f->world, "expert", NULL, expert_args);
  g_assert_true (call_client_wait_line (f->expert, "server: connected", 60));
  f->goggles = call_client_spawn (f->world, "goggles", env, args);
  g_assert_true (call_client_wait_line (f->goggles,
          "goggles: 800x450, full screen", 30));
  g_assert_true (call_client_wait_line (f->goggles, "first-frame: ", 60));
  /* Two stats ticks: the HUD has been drawn secured for a while. */
  g_assert_true (call_client_wait_line (f->goggles, "stats: ", 20));
  send_key (display, "minus");
  g_assert_true (call_client_wait_line (f->goggles, "goggles: opacity 0.70, "
          "placement right, scale 0.50, mode optical", 20));
  send_key (display, "p");
  g_assert_true (call_client_wait_line (f->goggles, "goggles: opacity 0.70, "
          "placement bottom, scale 0.50, mode optical", 20));

  load_screen (screen, &view);
  g_assert_cmpint (view.width, ==, 800);
  g_assert_cmpint (view.height, ==, 450);
  render_hud (800, 450, call_client_find_line (f->goggles, "sas: "),
      "The expert", &hud);
  assert_top_panels (&view, &hud);
  /* The middle row: black but for the remote video, wherever the
   * placement has it by now. */
  g_assert_cmpint (bright_pixels (&view, 0, 0, 800, 450), >, 500);
  picture_clear (&view);
  picture_clear (&hud);

  /* The wearer confirms the SAS with a key, the expert on its keyboard:
   * verified. */
  send_key (display, "y");
  g_assert_true (call_client_wait_line (f->goggles, "goggles: key y: the "
          "SAS match", 20));
  g_assert_true (call_client_wait_line (f->goggles, "sas: you confirmed the "
          "SAS", 20));
  call_client_write (f->expert, "/sas-ok");
  g_assert_true (call_client_wait_line (f->goggles, "verified: sas", 20));
  g_assert_true (call_client_wait_line (f->expert, "verified: sas", 20));
  hang_up (f);
}
#endif

int
main (int argc, char **argv)
{
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, set_up, func, tear_down)
  ADD ("/goggles/png-optical", test_png_optical);
  ADD ("/goggles/png-video", test_png_video);
  ADD ("/goggles/bad-options", test_bad_options);
#ifdef SL_HAVE_X11
  ADD ("/goggles/window", test_window);
#endif
#undef ADD

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
