/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The input and output halves of an SlTlsStream: thin pollable streams
 * that forward to it (sl-tls-stream.c has the reasons and the state).
 * Two small types in one file because neither exists without the other.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-tls-private.h"

#include <poll.h>

/* The two halves; they point back at their SlTlsStream until it goes. */
#define SL_TYPE_TLS_INPUT (sl_tls_input_get_type ())
G_DECLARE_FINAL_TYPE (SlTlsInput, sl_tls_input, SL, TLS_INPUT, GInputStream);
#define SL_TYPE_TLS_OUTPUT (sl_tls_output_get_type ())
G_DECLARE_FINAL_TYPE (SlTlsOutput, sl_tls_output, SL, TLS_OUTPUT,
    GOutputStream);

struct _SlTlsInput
{
  GInputStream parent_instance;
  SlTlsStream *owner;
};

struct _SlTlsOutput
{
  GOutputStream parent_instance;
  SlTlsStream *owner;
};

static void sl_tls_input_pollable_init (GPollableInputStreamInterface * i);
static void sl_tls_output_pollable_init (GPollableOutputStreamInterface * i);

G_DEFINE_FINAL_TYPE_WITH_CODE (SlTlsInput, sl_tls_input, G_TYPE_INPUT_STREAM,
    G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
        sl_tls_input_pollable_init));
G_DEFINE_FINAL_TYPE_WITH_CODE (SlTlsOutput, sl_tls_output,
    G_TYPE_OUTPUT_STREAM,
    G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
        sl_tls_output_pollable_init));

/* --- sources: woken by the stream, never polling --------------------- */

typedef struct
{
  GSource source;
  GObject *pollable;            /* the half the callback is told about */
  SlTlsStream *owner;           /* cleared when the stream goes */
  GIOCondition condition;
} StreamSource;

static gboolean
stream_source_dispatch (GSource * source, GSourceFunc callback,
    gpointer user_data)
{
  StreamSource *s = (StreamSource *) source;
  gboolean keep;

  g_source_set_ready_time (source, -1);
  if (callback == NULL)
    return G_SOURCE_REMOVE;
  keep = ((GPollableSourceFunc) callback) (s->pollable, user_data);
  /* Still ready (the callback read only part): come back next time. */
  if (keep && !g_source_is_destroyed (source) &&
      sl_tls_stream_is_ready (s->owner, s->condition))
    g_source_set_ready_time (source, 0);
  return keep;
}

static void
stream_source_finalize (GSource * source)
{
  StreamSource *s = (StreamSource *) source;

  if (s->owner)
    sl_tls_stream_untrack_source (s->owner, source);
  g_clear_object (&s->pollable);
}

/* For g_source_set_closure() and g_source_set_dummy_callback() (GLib's
 * pollable sources make their children dummies), as GLib's own pollable
 * source does it. */
static gboolean
stream_source_closure_callback (GObject * pollable, gpointer data)
{
  GClosure *closure = data;
  GValue param = G_VALUE_INIT;
  GValue result = G_VALUE_INIT;
  gboolean keep;

  g_value_init (&result, G_TYPE_BOOLEAN);
  g_value_init (&param, G_TYPE_OBJECT);
  g_value_set_object (&param, pollable);
  g_closure_invoke (closure, &result, 1, &param, NULL);
  keep = g_value_get_boolean (&result);
  g_value_unset (&result);
  g_value_unset (&param);
  return keep;
}

static GSourceFuncs stream_source_funcs = {
  NULL, NULL, stream_source_dispatch, stream_source_finalize,
  (GSourceFunc) (void (*)(void)) stream_source_closure_callback, NULL
};

GSource *
sl_tls_source_new (SlTlsStream * owner, GObject * pollable,
    GIOCondition condition)
{
  GSource *source = g_source_new (&stream_source_funcs,
      sizeof (StreamSource));
  StreamSource *s = (StreamSource *) source;

  g_source_set_static_name (source, "SlTlsStream");
  s->pollable = g_object_ref (pollable);
  s->owner = owner;
  s->condition = condition;
  if (owner)
    sl_tls_stream_track_source (owner, source);
  if (sl_tls_stream_is_ready (owner, condition))
    g_source_set_ready_time (source, 0);
  return source;
}


/* Makes @source ready if it waits for @condition and that holds now. */
void
sl_tls_source_wake (GSource * source, GIOCondition condition)
{
  StreamSource *s = (StreamSource *) source;

  if ((s->condition & condition) && sl_tls_stream_is_ready (s->owner,
          s->condition))
    g_source_set_ready_time (source, 0);
}

/* The stream is going: the source fires once more and its callback sees
 * the stream closed. */
void
sl_tls_source_detach (GSource * source)
{
  ((StreamSource *) source)->owner = NULL;
  g_source_set_ready_time (source, 0);
}

/* --- the halves ------------------------------------------------------- */

/* The blocking read or write of either half: try, and wait on the socket
 * while OpenSSL wants more. */
static gssize
blocking_io (SlTlsStream * owner, gboolean writing, void *buffer, gsize count,
    GCancellable * cancellable, GError ** error)
{
  for (;;) {
    g_autoptr (GError) local_error = NULL;
    gssize n = writing ?
        sl_tls_stream_write (owner, buffer, count, &local_error) :
        sl_tls_stream_read (owner, buffer, count, &local_error);

    if (n >= 0 || !g_error_matches (local_error, G_IO_ERROR,
            G_IO_ERROR_WOULD_BLOCK)) {
      if (n < 0)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return n;
    }
    if (!sl_tls_stream_wait (owner, writing ? POLLOUT : POLLIN, cancellable,
            error))
      return -1;
  }
}

/* A pollable source of either half; cancelling also wakes it, as with
 * GLib's own pollable sources. */
static GSource *
pollable_source_new (SlTlsStream * owner, GObject * half,
    GIOCondition condition, GCancellable * cancellable)
{
  GSource *source = sl_tls_source_new (owner, half, condition);

  if (cancellable) {
    g_autoptr (GSource) cancel = g_cancellable_source_new (cancellable);

    g_source_set_dummy_callback (cancel);
    g_source_add_child_source (source, cancel);
  }
  return source;
}

static gssize
sl_tls_input_read (GInputStream * stream, void *buffer, gsize count,
    GCancellable * cancellable, GError ** error)
{
  return blocking_io (SL_TLS_INPUT (stream)->owner, FALSE, buffer, count,
      cancellable, error);
}

static gssize
sl_tls_input_read_nonblocking (GPollableInputStream * stream, void *buffer,
    gsize count, GError ** error)
{
  return sl_tls_stream_read (SL_TLS_INPUT (stream)->owner, buffer, count,
      error);
}

static gboolean
sl_tls_input_can_poll (GPollableInputStream * stream)
{
  return TRUE;
}

static gboolean
sl_tls_input_is_readable (GPollableInputStream * stream)
{
  return sl_tls_stream_is_ready (SL_TLS_INPUT (stream)->owner, G_IO_IN);
}

static GSource *
sl_tls_input_create_source (GPollableInputStream * stream,
    GCancellable * cancellable)
{
  return pollable_source_new (SL_TLS_INPUT (stream)->owner, G_OBJECT (stream),
      G_IO_IN, cancellable);
}

static void
sl_tls_input_pollable_init (GPollableInputStreamInterface * iface)
{
  iface->can_poll = sl_tls_input_can_poll;
  iface->is_readable = sl_tls_input_is_readable;
  iface->create_source = sl_tls_input_create_source;
  iface->read_nonblocking = sl_tls_input_read_nonblocking;
}

static gboolean
sl_tls_input_close (GInputStream * stream, GCancellable * cancellable,
    GError ** error)
{
  /* The connection closes with the GIOStream or the output half. */
  return TRUE;
}

/* GLib's default asynchronous close runs the synchronous one in a worker
 * thread; nothing here may run outside the main thread, and closing never
 * blocks anyway, so the asynchronous closes finish at once. */
static void
sl_tls_input_close_async (GInputStream * stream, int io_priority,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (stream, cancellable, callback,
      user_data);

  g_task_set_source_tag (task, sl_tls_input_close_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
sl_tls_input_close_finish (GInputStream * stream, GAsyncResult * result,
    GError ** error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sl_tls_input_class_init (SlTlsInputClass * klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  input_class->read_fn = sl_tls_input_read;
  input_class->close_fn = sl_tls_input_close;
  input_class->close_async = sl_tls_input_close_async;
  input_class->close_finish = sl_tls_input_close_finish;
}

static void
sl_tls_input_init (SlTlsInput * self)
{
}

static gssize
sl_tls_output_write (GOutputStream * stream, const void *buffer, gsize count,
    GCancellable * cancellable, GError ** error)
{
  /* blocking_io() only reads from @buffer when writing. */
  return blocking_io (SL_TLS_OUTPUT (stream)->owner, TRUE, (void *) buffer,
      count, cancellable, error);
}

static gssize
sl_tls_output_write_nonblocking (GPollableOutputStream * stream,
    const void *buffer, gsize count, GError ** error)
{
  return sl_tls_stream_write (SL_TLS_OUTPUT (stream)->owner, buffer, count,
      error);
}

static gboolean
sl_tls_output_can_poll (GPollableOutputStream * stream)
{
  return TRUE;
}

static gboolean
sl_tls_output_is_writable (GPollableOutputStream * stream)
{
  return sl_tls_stream_is_ready (SL_TLS_OUTPUT (stream)->owner, G_IO_OUT);
}

static GSource *
sl_tls_output_create_source (GPollableOutputStream * stream,
    GCancellable * cancellable)
{
  return pollable_source_new (SL_TLS_OUTPUT (stream)->owner, G_OBJECT (stream),
      G_IO_OUT, cancellable);
}

static void
sl_tls_output_pollable_init (GPollableOutputStreamInterface * iface)
{
  iface->can_poll = sl_tls_output_can_poll;
  iface->is_writable = sl_tls_output_is_writable;
  iface->create_source = sl_tls_output_create_source;
  iface->write_nonblocking = sl_tls_output_write_nonblocking;
}

static gboolean
sl_tls_output_flush (GOutputStream * stream, GCancellable * cancellable,
    GError ** error)
{
  SlTlsOutput *self = SL_TLS_OUTPUT (stream);

  if (self->owner)
    sl_tls_stream_flush (self->owner);
  return TRUE;
}

static gboolean
sl_tls_output_close (GOutputStream * stream, GCancellable * cancellable,
    GError ** error)
{
  SlTlsOutput *self = SL_TLS_OUTPUT (stream);

  /* Closing the sending half ends the connection, as with GTlsConnection
   * (libsoup closes the streams it was given, not this GIOStream). */
  if (self->owner)
    sl_tls_stream_close_internal (self->owner);
  return TRUE;
}

/* In the main thread, at once (see sl_tls_input_close_async()). */
static void
sl_tls_output_flush_async (GOutputStream * stream, int io_priority,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (stream, cancellable, callback,
      user_data);

  g_task_set_source_tag (task, sl_tls_output_flush_async);
  sl_tls_output_flush (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
sl_tls_output_close_async (GOutputStream * stream, int io_priority,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (stream, cancellable, callback,
      user_data);

  g_task_set_source_tag (task, sl_tls_output_close_async);
  sl_tls_output_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
sl_tls_output_finish (GOutputStream * stream, GAsyncResult * result,
    GError ** error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sl_tls_output_class_init (SlTlsOutputClass * klass)
{
  GOutputStreamClass *output_class = G_OUTPUT_STREAM_CLASS (klass);

  output_class->write_fn = sl_tls_output_write;
  output_class->flush = sl_tls_output_flush;
  output_class->flush_async = sl_tls_output_flush_async;
  output_class->flush_finish = sl_tls_output_finish;
  output_class->close_fn = sl_tls_output_close;
  output_class->close_async = sl_tls_output_close_async;
  output_class->close_finish = sl_tls_output_finish;
}

static void
sl_tls_output_init (SlTlsOutput * self)
{
}

/**
 * sl_tls_input_new:
 * @owner: the stream this half reads from
 *
 * Returns: (transfer full): the input half
 */
GInputStream *
sl_tls_input_new (SlTlsStream * owner)
{
  SlTlsInput *self = g_object_new (SL_TYPE_TLS_INPUT, NULL);

  self->owner = owner;
  return G_INPUT_STREAM (self);
}

/**
 * sl_tls_output_new:
 * @owner: the stream this half writes to
 *
 * Returns: (transfer full): the output half
 */
GOutputStream *
sl_tls_output_new (SlTlsStream * owner)
{
  SlTlsOutput *self = g_object_new (SL_TYPE_TLS_OUTPUT, NULL);

  self->owner = owner;
  return G_OUTPUT_STREAM (self);
}

/* The stream is going: from now on both halves report it closed. */
void
sl_tls_halves_detach (GInputStream * input, GOutputStream * output)
{
  if (input)
    SL_TLS_INPUT (input)->owner = NULL;
  if (output)
    SL_TLS_OUTPUT (output)->owner = NULL;
}
