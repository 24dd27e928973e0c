/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A filter between a device's TLS stream and libsoup's WebSocket parser
 * that enforces the message size limit itself.  libsoup 3.2 drops a
 * connection whose frame is too big without sending a close frame (so
 * the device never learns why), and it has no limit at all on a message
 * split into continuation frames.  Once started (after the upgrade), the
 * guard reads each frame header (RFC 6455 section 5.2) before libsoup
 * sees it; a frame that would take the current message over the limit is
 * read and thrown away unseen, and the owner is told so that it can close
 * with 1009 while libsoup still handles the closing handshake and every
 * later frame.  Headers are read exactly, never past their end, so the
 * guard needs no buffer beyond the 14 bytes of one header.
 *
 * When it can go: libsoup 3.8 adds the total-message limit
 * (SoupWebsocketConnection:max-total-message-size, "Since: 3.8" in its
 * API; first in the 3.7 development releases).  Even there, a frame or
 * message over either limit closes the stream "with prejudice" (no close
 * frame), so the device still learns nothing.  Remove the guard once the
 * platform's libsoup has the total limit and either sends 1009 itself or
 * a bare close is acceptable: then set both limits on the connection in
 * sl_server_connection_attach() and drop this file.  Debian 12 has 3.2.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-ws-guard.h"

#include <string.h>

typedef enum
{
  GUARD_PASS,                   /* before the upgrade: bytes pass as they are */
  GUARD_HEADER,                 /* reading a frame header */
  GUARD_RELEASE,                /* handing the checked header to libsoup */
  GUARD_PAYLOAD,                /* passing the payload */
  GUARD_DISCARD,                /* throwing away an oversized payload */
} GuardState;

struct _SlWsGuard
{
  GFilterInputStream parent_instance;

  GuardState state;
  guint8 header[14];
  gsize header_len;
  gsize header_pos;
  guint64 left;                 /* payload bytes to pass or discard */
  guint64 message_len;          /* data so far in the current message */
  guint64 max_message;
  gboolean poisoned;            /* a message was too big: drop all data */
  SlWsGuardFunc oversize;
  gpointer user_data;
  guint oversize_id;
  gint64 last_frame_us;         /* monotonic time of the last header */
};

static void sl_ws_guard_pollable_init (GPollableInputStreamInterface * iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SlWsGuard, sl_ws_guard,
    G_TYPE_FILTER_INPUT_STREAM,
    G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
        sl_ws_guard_pollable_init));

/**
 * sl_ws_guard_new:
 * @base: a pollable input stream (a TLS stream's)
 *
 * Returns: (transfer full): a guard that passes everything until
 *   sl_ws_guard_start()
 */
SlWsGuard *
sl_ws_guard_new (GInputStream * base)
{
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base), NULL);
  return g_object_new (SL_TYPE_WS_GUARD, "base-stream", base,
      "close-base-stream", TRUE, NULL);
}

/**
 * sl_ws_guard_start:
 * @self: the guard
 * @max_message: the largest message payload accepted, in bytes
 * @oversize: called once when a message is too big
 * @user_data: for @oversize
 *
 * Starts checking frames; call when the WebSocket upgrade completed.
 */
void
sl_ws_guard_start (SlWsGuard * self, guint64 max_message,
    SlWsGuardFunc oversize, gpointer user_data)
{
  g_return_if_fail (SL_IS_WS_GUARD (self));
  self->max_message = max_message;
  self->oversize = oversize;
  self->user_data = user_data;
  self->state = GUARD_HEADER;
  self->header_len = 0;
}

/**
 * sl_ws_guard_stop:
 * @self: the guard
 *
 * Forgets the callback (its owner is going away).
 */
void
sl_ws_guard_stop (SlWsGuard * self)
{
  g_return_if_fail (SL_IS_WS_GUARD (self));
  g_clear_handle_id (&self->oversize_id, g_source_remove);
  self->oversize = NULL;
}

/**
 * sl_ws_guard_get_last_frame:
 * @self: the guard
 *
 * Returns: the monotonic time at which the last frame (of any kind)
 *   started arriving, 0 if none has since sl_ws_guard_start()
 */
gint64
sl_ws_guard_get_last_frame (SlWsGuard * self)
{
  g_return_val_if_fail (SL_IS_WS_GUARD (self), 0);
  return self->last_frame_us;
}

static gboolean
oversize_cb (gpointer user_data)
{
  SlWsGuard *self = user_data;

  self->oversize_id = 0;
  if (self->oversize)
    self->oversize (self->user_data);
  return G_SOURCE_REMOVE;
}

static gsize
header_size (const guint8 * h, gsize have)
{
  gsize size = 2;

  if (have < 2)
    return 2;
  if ((h[1] & 0x7f) == 126)
    size += 2;
  else if ((h[1] & 0x7f) == 127)
    size += 8;
  if (h[1] & 0x80)
    size += 4;
  return size;
}

/* A complete header is in self->header: decide what to do with the
 * frame's payload. */
static void
check_header (SlWsGuard * self)
{
  const guint8 *h = self->header;
  guint opcode = h[0] & 0x0f;
  gboolean fin = (h[0] & 0x80) != 0;
  guint len7 = h[1] & 0x7f;
  guint64 len = len7;
  guint i;

  /* Any frame, pongs included, shows the device is alive. */
  self->last_frame_us = g_get_monotonic_time ();

  if (len7 == 126) {
    len = ((guint64) h[2] << 8) | h[3];
  } else if (len7 == 127) {
    len = 0;
    for (i = 0; i < 8; i++)
      len = (len << 8) | h[2 + i];
  }

  /* Control frames (opcode 8 and up) are not part of a message and still
   * pass, so that the closing handshake works. */
  if (opcode < 0x8) {
    if (opcode != 0x0)
      self->message_len = 0;
    if (self->poisoned ||
        len > self->max_message - MIN (self->message_len, self->max_message)) {
      self->poisoned = TRUE;
      /* An empty frame has nothing to throw away: a read of zero bytes
       * would look like the end of the stream. */
      self->state = len ? GUARD_DISCARD : GUARD_HEADER;
      self->left = len;
      self->header_len = 0;
      self->message_len = 0;
      if (self->oversize && self->oversize_id == 0)
        self->oversize_id = g_idle_add (oversize_cb, self);
      return;
    }
    self->message_len = fin ? 0 : self->message_len + len;
  }
  self->state = GUARD_RELEASE;
  self->header_pos = 0;
  self->left = len;
}

/* Fills @buffer as far as the stream allows, like a plain read would:
 * libsoup reads once per wake-up after it sent a close frame, so bytes
 * left behind in the TLS layer would never wake it again. */
static gssize
guard_read (SlWsGuard * self, void *buffer, gsize count, gboolean blocking,
    GCancellable * cancellable, GError ** error)
{
  GInputStream *base = G_FILTER_INPUT_STREAM (self)->base_stream;
  guint8 *out = buffer;
  guint8 scratch[4096];
  gsize done = 0;

  if (self->state == GUARD_PASS)
    return g_pollable_stream_read (base, buffer, count, blocking,
        cancellable, error);

  while (done < count) {
    g_autoptr (GError) local_error = NULL;
    /* Block only while nothing has been read yet. */
    gboolean block = blocking && done == 0;
    gssize n = 0;

    switch (self->state) {
      case GUARD_PASS:
        g_assert_not_reached ();
        break;
      case GUARD_RELEASE:
        n = (gssize) MIN (count - done, self->header_len - self->header_pos);
        memcpy (out + done, self->header + self->header_pos, (gsize) n);
        self->header_pos += (gsize) n;
        done += (gsize) n;
        if (self->header_pos == self->header_len) {
          self->header_len = 0;
          self->state = self->left ? GUARD_PAYLOAD : GUARD_HEADER;
        }
        continue;
      case GUARD_PAYLOAD:
        n = g_pollable_stream_read (base, out + done, (gsize) MIN (count -
                done, self->left), block, cancellable, &local_error);
        if (n > 0) {
          done += (gsize) n;
          self->left -= (guint64) n;
          if (self->left == 0)
            self->state = GUARD_HEADER;
          continue;
        }
        break;
      case GUARD_DISCARD:
        n = g_pollable_stream_read (base, scratch, (gsize) MIN (sizeof scratch,
                self->left), block, cancellable, &local_error);
        if (n > 0) {
          self->left -= (guint64) n;
          if (self->left == 0)
            self->state = GUARD_HEADER;
          continue;
        }
        break;
      case GUARD_HEADER:{
        gsize want = header_size (self->header, self->header_len);

        n = g_pollable_stream_read (base, self->header + self->header_len,
            want - self->header_len, block, cancellable, &local_error);
        if (n > 0) {
          self->header_len += (gsize) n;
          if (self->header_len == header_size (self->header, self->header_len))
            check_header (self);
          continue;
        }
        break;
      }
    }
    /* End of stream, would-block or an error: hand over what there is;
     * the condition comes back on the next read. */
    if (done > 0)
      return (gssize) done;
    if (n < 0)
      g_propagate_error (error, g_steal_pointer (&local_error));
    return n;
  }
  return (gssize) done;
}

static gssize
sl_ws_guard_read (GInputStream * stream, void *buffer, gsize count,
    GCancellable * cancellable, GError ** error)
{
  return guard_read (SL_WS_GUARD (stream), buffer, count, TRUE, cancellable,
      error);
}

static gssize
sl_ws_guard_read_nonblocking (GPollableInputStream * stream, void *buffer,
    gsize count, GError ** error)
{
  return guard_read (SL_WS_GUARD (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
sl_ws_guard_can_poll (GPollableInputStream * stream)
{
  GInputStream *base = G_FILTER_INPUT_STREAM (stream)->base_stream;

  return g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
sl_ws_guard_is_readable (GPollableInputStream * stream)
{
  SlWsGuard *self = SL_WS_GUARD (stream);
  GInputStream *base = G_FILTER_INPUT_STREAM (stream)->base_stream;

  return self->state == GUARD_RELEASE ||
      g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base));
}

static GSource *
sl_ws_guard_create_source (GPollableInputStream * stream,
    GCancellable * cancellable)
{
  SlWsGuard *self = SL_WS_GUARD (stream);
  GInputStream *base = G_FILTER_INPUT_STREAM (stream)->base_stream;
  g_autoptr (GSource) base_source = NULL;

  /* The base's own source does when nothing waits here: one GSource less
   * per wake-up (the callback is told about the base stream; libsoup does
   * not look). */
  if (self->state != GUARD_RELEASE)
    return g_pollable_input_stream_create_source
        (G_POLLABLE_INPUT_STREAM (base), cancellable);
  /* A header waiting to be released is readable now. */
  base_source = g_timeout_source_new (0);
  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static void
sl_ws_guard_pollable_init (GPollableInputStreamInterface * iface)
{
  iface->can_poll = sl_ws_guard_can_poll;
  iface->is_readable = sl_ws_guard_is_readable;
  iface->create_source = sl_ws_guard_create_source;
  iface->read_nonblocking = sl_ws_guard_read_nonblocking;
}

static void
sl_ws_guard_dispose (GObject * object)
{
  SlWsGuard *self = SL_WS_GUARD (object);

  g_clear_handle_id (&self->oversize_id, g_source_remove);
  G_OBJECT_CLASS (sl_ws_guard_parent_class)->dispose (object);
}

static void
sl_ws_guard_class_init (SlWsGuardClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_ws_guard_dispose;
  G_INPUT_STREAM_CLASS (klass)->read_fn = sl_ws_guard_read;
}

static void
sl_ws_guard_init (SlWsGuard * self)
{
  self->state = GUARD_PASS;
}
