/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target for the WebSocket frame guard (src/server/sl-ws-guard.c),
 * the one parser of device bytes that remains in the server's transport
 * (TLS records are OpenSSL's).  The input is a message limit, a read
 * pattern and the bytes a device sends after the upgrade.  The guard's
 * output is compared with a model written from RFC 6455 section 5.2: data
 * frames pass until a message would exceed the limit; from then on every
 * data frame (header and payload) is dropped and the owner is told once;
 * control frames always pass; a header cut off at the end never passes.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl-ws-guard.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

/* What the guard must let through, and whether it must report a message
 * over @max. */
static GByteArray *
model (const guint8 * in, gsize len, guint64 max, gboolean * oversize)
{
  GByteArray *out = g_byte_array_new ();
  guint64 message = 0;
  gboolean poisoned = FALSE;
  gsize pos = 0;

  while (pos + 2 <= len) {
    const guint8 *h = in + pos;
    gsize hlen = 2;
    guint64 plen = h[1] & 0x7f;
    guint opcode = h[0] & 0x0f;
    gboolean pass = TRUE;
    guint i;

    if (plen == 126)
      hlen += 2;
    else if (plen == 127)
      hlen += 8;
    if (h[1] & 0x80)
      hlen += 4;
    if (pos + hlen > len)
      break;                    /* a header cut off: held back */
    if (plen == 126)
      plen = ((guint64) h[2] << 8) | h[3];
    else if (plen == 127)
      for (i = 0, plen = 0; i < 8; i++)
        plen = (plen << 8) | h[2 + i];
    if (opcode < 0x8) {
      if (opcode != 0)
        message = 0;
      if (poisoned || plen > max - MIN (message, max)) {
        poisoned = TRUE;
        pass = FALSE;
        message = 0;
      } else {
        message = (h[0] & 0x80) ? 0 : message + plen;
      }
    }
    plen = MIN (plen, (guint64) (len - pos - hlen));
    if (pass)
      g_byte_array_append (out, h, (guint) (hlen + plen));
    pos += hlen + (gsize) plen;
  }
  *oversize = poisoned;
  return out;
}

static void
oversize_cb (gpointer user_data)
{
  (*(guint *) user_data)++;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  g_autoptr (GInputStream) base = NULL;
  g_autoptr (SlWsGuard) guard = NULL;
  g_autoptr (GByteArray) got = g_byte_array_new ();
  g_autoptr (GByteArray) want = NULL;
  guint64 max;
  guint32 pattern;
  gboolean want_oversize;
  guint told = 0;

  if (size < 3)
    return 0;
  /* A limit from 0 to 65535 bytes, then a seed for the read sizes. */
  max = (guint64) data[0] << 8 | data[1];
  pattern = data[2];
  data += 3;
  size -= 3;

  base = g_memory_input_stream_new_from_data (g_memdup2 (data, size), size,
      g_free);
  guard = sl_ws_guard_new (base);
  sl_ws_guard_start (guard, max, oversize_cb, &told);
  for (;;) {
    g_autoptr (GError) error = NULL;
    guint8 buf[300];
    gsize want_now;
    gssize n;

    /* Reads of 1 to 300 bytes, as libsoup's vary. */
    pattern = pattern * 1103515245u + 12345u;
    want_now = 1 + (pattern >> 16) % sizeof buf;
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM
        (guard), buf, want_now, NULL, &error);
    if (n < 0)
      abort ();                 /* a memory stream never fails or waits */
    if (n == 0)
      break;
    g_byte_array_append (got, buf, (guint) n);
  }
  while (g_main_context_iteration (NULL, FALSE));

  want = model (data, size, max, &want_oversize);
  if (got->len != want->len || memcmp (got->data, want->data, got->len) != 0)
    abort ();
  if (told != (want_oversize ? 1u : 0u))
    abort ();
  sl_ws_guard_stop (guard);
  return 0;
}
