/* The slseethrough test rig: one harness on the remote pad and the output,
 * one on the camera pad, frames timed 30/s.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "plugin-test-util.h"

typedef struct
{
  GstElement *element;
  GstHarness *h;                /* remote pad and output */
  GstHarness *cam;              /* camera pad, or NULL */
  GstVideoFormat format;
  gint out_w;
  gint out_h;
  guint64 n;
} Rig;

typedef struct
{
  Rig rig;
} Fixture;

static inline void
rig_start (Rig * r, const gchar * props, GstVideoFormat format, gint out_w,
    gint out_h, gint remote_w, gint remote_h, gboolean camera)
{
  g_autofree gchar *desc = g_strdup_printf ("slseethrough %s", props);
  g_autofree gchar *out_caps = caps_str (format, out_w, out_h);
  g_autofree gchar *in_caps = caps_str (format, remote_w, remote_h);
  g_autofree gchar *cam_caps = caps_str (format, out_w, out_h);
  g_autoptr (GError) error = NULL;

  r->element = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  r->format = format;
  r->out_w = out_w;
  r->out_h = out_h;
  r->n = 0;
  r->h = gst_harness_new_with_element (r->element, "remote", "src");
  gst_harness_set_src_caps_str (r->h, in_caps);
  gst_harness_set_sink_caps_str (r->h, out_caps);
  if (camera) {
    r->cam = gst_harness_new_with_element (r->element, "camera", NULL);
    gst_harness_set_src_caps_str (r->cam, cam_caps);
  }
}

static inline void
rig_stop (Rig * r)
{
  if (r->cam)
    gst_harness_teardown (r->cam);
  if (r->h)
    gst_harness_teardown (r->h);
  gst_clear_object (&r->element);
  memset (r, 0, sizeof (*r));
}

/* A copy of @buf (sharing its memory) timed as frame @n: the element may
 * still hold the previous one, so pushed buffers are never modified. */
static inline GstBuffer *
stamped (GstBuffer * buf, guint64 n)
{
  GstBuffer *copy = gst_buffer_copy (buf);

  GST_BUFFER_PTS (copy) = gst_util_uint64_scale (n, GST_SECOND, 30);
  GST_BUFFER_DURATION (copy) = gst_util_uint64_scale (1, GST_SECOND, 30);
  return copy;
}

/* Pushes one remote (and camera) frame and pulls the output. */
static inline GstBuffer *
rig_frame (Rig * r, GstBuffer * remote, GstBuffer * camera)
{
  guint64 n = r->n++;

  if (remote)
    g_assert_cmpint (gst_harness_push (r->h, stamped (remote, n)), ==,
        GST_FLOW_OK);
  if (camera)
    g_assert_cmpint (gst_harness_push (r->cam, stamped (camera, n)), ==,
        GST_FLOW_OK);
  return gst_harness_pull (r->h);
}

static inline void
fixture_setup (Fixture * f, gconstpointer data)
{
  memset (f, 0, sizeof (*f));
}

static inline void
fixture_teardown (Fixture * f, gconstpointer data)
{
  rig_stop (&f->rig);
}

/* Runs one remote frame through a rig and checks every output sample
 * against the model; the remote is not scaled. */
static inline void
check_one (Fixture * f, const gchar * props, GstVideoFormat format, gint W,
    gint H, gint rw, gint rh, gint x, gint y, PixelFunc remote_fn,
    gpointer remote_data, PixelFunc cam_fn, gpointer cam_data,
    const RefParams * p, gboolean src_alpha)
{
  g_autoptr (GstBuffer) remote = make_frame (format, rw, rh, remote_fn,
      remote_data, 0);
  g_autoptr (GstBuffer) camera = cam_fn ? make_frame (format, W, H, cam_fn,
      cam_data, 0) : NULL;
  g_autoptr (GstBuffer) out = NULL;
  GstVideoFrame of, rf, cf;

  rig_start (&f->rig, props, format, W, H, rw, rh, camera != NULL);
  out = rig_frame (&f->rig, remote, camera);
  g_assert_nonnull (out);
  map_output (f->rig.h, out, &of);
  map_input (format, rw, rh, remote, &rf);
  if (camera)
    map_input (format, W, H, camera, &cf);
  g_assert_cmpint (GST_VIDEO_FRAME_WIDTH (&of), ==, W);
  g_assert_cmpint (GST_VIDEO_FRAME_HEIGHT (&of), ==, H);
  g_assert_cmpuint (ref_check (&of, &rf, x, y, camera ? &cf : NULL, p,
          src_alpha), ==, 0);
  if (camera)
    gst_video_frame_unmap (&cf);
  gst_video_frame_unmap (&rf);
  gst_video_frame_unmap (&of);
  rig_stop (&f->rig);
}

