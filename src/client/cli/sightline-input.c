/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What the user types during a call, line by line, without blocking the
 * main loop: each line (trimmed, never empty) is a "line" signal; the end
 * of the input is the end of typing, not of the call.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline-input.h"

#include <gio/gunixinputstream.h>

struct _SightlineInput
{
  GObject parent_instance;

  GDataInputStream *input;
  GCancellable *cancellable;
};

enum
{
  SIGNAL_LINE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SightlineInput, sightline_input, G_TYPE_OBJECT);

static void read_line (SightlineInput * self);

static void
on_line (GObject * source, GAsyncResult * result, gpointer data)
{
  g_autoptr (SightlineInput) self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM
      (source), result, NULL, &error);
  if (line == NULL)
    return;                     /* end of input or stopped */
  g_strstrip (line);
  if (*line != '\0')
    g_signal_emit (self, signals[SIGNAL_LINE], 0, line);
  if (!g_cancellable_is_cancelled (self->cancellable))
    read_line (self);
}

static void
read_line (SightlineInput * self)
{
  g_data_input_stream_read_line_async (self->input, G_PRIORITY_DEFAULT,
      self->cancellable, on_line, g_object_ref (self));
}

/**
 * sightline_input_new:
 * @fd: the file descriptor to read (not closed)
 *
 * Returns: (transfer full): a reader, reading from now on
 */
SightlineInput *
sightline_input_new (int fd)
{
  SightlineInput *self = g_object_new (SIGHTLINE_TYPE_INPUT, NULL);
  g_autoptr (GInputStream) in = g_unix_input_stream_new (fd, FALSE);

  self->input = g_data_input_stream_new (in);
  read_line (self);
  return self;
}

/**
 * sightline_input_stop:
 * @self: a reader
 *
 * No "line" from now on.
 */
void
sightline_input_stop (SightlineInput * self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
sightline_input_dispose (GObject * object)
{
  SightlineInput *self = SIGHTLINE_INPUT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->input);

  G_OBJECT_CLASS (sightline_input_parent_class)->dispose (object);
}

static void
sightline_input_finalize (GObject * object)
{
  SightlineInput *self = SIGHTLINE_INPUT (object);

  g_object_unref (self->cancellable);

  G_OBJECT_CLASS (sightline_input_parent_class)->finalize (object);
}

static void
sightline_input_class_init (SightlineInputClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sightline_input_dispose;
  object_class->finalize = sightline_input_finalize;

  /* (text) a line the user typed, trimmed, not empty. */
  signals[SIGNAL_LINE] = g_signal_new ("line", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sightline_input_init (SightlineInput * self)
{
  self->cancellable = g_cancellable_new ();
}
