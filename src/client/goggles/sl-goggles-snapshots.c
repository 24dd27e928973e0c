/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * goggles-png:PATH: the view's sink keeps its last frame, which is written
 * as PNG every second (encoded off the main thread) and once more,
 * blocking, when the call's pipeline is about to stop, so that the file
 * always holds exactly what the wearer saw last.  A file is written to a
 * temporary name and renamed: readers never see half a PNG.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-goggles-snapshots.h"
#include "sightline/sl-goggles-error.h"
#include "sl-source.h"

#include <gio/gio.h>
#include <gst/video/video.h>

struct _SlGogglesSnapshots
{
  GObject parent_instance;

  char *path;
  GstElement *sink;
  GSource *timer;
  gboolean busy;
  guint count;
  guint64 seq;
  GMutex write_lock;
  guint64 written_seq;
};

enum
{
  SIGNAL_NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlGogglesSnapshots, sl_goggles_snapshots, G_TYPE_OBJECT);

static void
notice (SlGogglesSnapshots * self, const char *format, ...)
G_GNUC_PRINTF (2, 3);

     static void notice (SlGogglesSnapshots * self, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit (self, signals[SIGNAL_NOTICE], 0, text);
}

/* Writes @sample as PNG unless a newer snapshot was written meanwhile
 * (the final one must not be overwritten by a periodic one that was
 * still being encoded): *@written says which.  Any thread. */
static gboolean
write_png (SlGogglesSnapshots * self, GstSample * sample, guint64 seq,
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
    ok = g_file_set_contents (self->path, (const char *) map.data,
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
  SlGogglesSnapshots *self = source;
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
  SlGogglesSnapshots *self = SL_GOGGLES_SNAPSHOTS (source);
  g_autoptr (GError) error = NULL;

  self->busy = FALSE;
  /* FALSE without an error: the final snapshot overtook this one. */
  if (g_task_propagate_boolean (G_TASK (result), &error)) {
    self->count++;
    notice (self, "snapshot %u: %s", self->count, self->path);
  } else if (error) {
    notice (self, "no snapshot: %s", error->message);
  }
}

static GstSample *
last_sample (SlGogglesSnapshots * self)
{
  GstSample *sample = NULL;

  if (self->sink)
    g_object_get (self->sink, "last-sample", &sample, NULL);
  return sample;
}

static gboolean
on_snapshot_tick (gpointer data)
{
  SlGogglesSnapshots *self = data;
  g_autoptr (GTask) task = NULL;
  GstSample *sample;
  SnapshotJob *job;

  if (self->busy || (sample = last_sample (self)) == NULL)
    return G_SOURCE_CONTINUE;
  self->busy = TRUE;
  job = g_new0 (SnapshotJob, 1);
  job->sample = sample;
  job->seq = ++self->seq;
  task = g_task_new (self, NULL, snapshot_done, NULL);
  g_task_set_source_tag (task, on_snapshot_tick);
  g_task_set_task_data (task, job, snapshot_job_free);
  g_task_run_in_thread (task, snapshot_thread);
  return G_SOURCE_CONTINUE;
}

/**
 * sl_goggles_snapshots_new:
 * @path: the PNG file to keep rewriting
 *
 * Returns: (transfer full): snapshots, idle until started
 */
SlGogglesSnapshots *
sl_goggles_snapshots_new (const char *path)
{
  SlGogglesSnapshots *self = g_object_new (SL_TYPE_GOGGLES_SNAPSHOTS, NULL);

  self->path = g_strdup (path);
  return self;
}

/**
 * sl_goggles_snapshots_start:
 * @self: snapshots
 * @sink: a sink with enable-last-sample (a reference is kept)
 *
 * Writes @sink's last frame every %SL_GOGGLES_SNAPSHOT_MS from now on.
 */
void
sl_goggles_snapshots_start (SlGogglesSnapshots * self, GstElement * sink)
{
  gst_object_replace ((GstObject **) & self->sink, GST_OBJECT (sink));
  if (self->timer == NULL)
    self->timer = sl_timeout_attach (SL_GOGGLES_SNAPSHOT_MS, on_snapshot_tick,
        self);
}

/**
 * sl_goggles_snapshots_finish:
 * @self: snapshots
 *
 * The sink's pipeline is about to stop: writes the last frame shown as the
 * final snapshot (blocks for one PNG encode) and lets go of the sink.
 */
void
sl_goggles_snapshots_finish (SlGogglesSnapshots * self)
{
  g_autoptr (GstSample) sample = NULL;
  g_autoptr (GError) error = NULL;
  gboolean written = FALSE;

  sl_source_clear (&self->timer);
  if ((sample = last_sample (self)) != NULL) {
    if (write_png (self, sample, ++self->seq, &written, &error)) {
      self->count++;
      notice (self, "snapshot %u (final): %s", self->count, self->path);
    } else {
      notice (self, "no final snapshot: %s", error->message);
    }
  }
  gst_object_replace ((GstObject **) & self->sink, NULL);
}

/**
 * sl_goggles_snapshots_get_count:
 *
 * Returns: how many snapshots have been written so far
 */
guint
sl_goggles_snapshots_get_count (SlGogglesSnapshots * self)
{
  return self->count;
}

static void
sl_goggles_snapshots_dispose (GObject * object)
{
  SlGogglesSnapshots *self = SL_GOGGLES_SNAPSHOTS (object);

  sl_source_clear (&self->timer);
  gst_object_replace ((GstObject **) & self->sink, NULL);

  G_OBJECT_CLASS (sl_goggles_snapshots_parent_class)->dispose (object);
}

static void
sl_goggles_snapshots_finalize (GObject * object)
{
  SlGogglesSnapshots *self = SL_GOGGLES_SNAPSHOTS (object);

  g_free (self->path);
  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (sl_goggles_snapshots_parent_class)->finalize (object);
}

static void
sl_goggles_snapshots_class_init (SlGogglesSnapshotsClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_goggles_snapshots_dispose;
  object_class->finalize = sl_goggles_snapshots_finalize;

  /* (text) a snapshot written, or why not. */
  signals[SIGNAL_NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sl_goggles_snapshots_init (SlGogglesSnapshots * self)
{
  g_mutex_init (&self->write_lock);
}
