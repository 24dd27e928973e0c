/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target for the server's TLS 1.3 record layer
 * (src/core/crypto/sl-tls-record.c), which reads whatever a connected
 * device sends after the handshake.
 *
 * Input: one byte picks the suite; then items, each one byte of kind and
 * a byte of length followed by that many bytes:
 *   kind & 3 == 0: raw bytes, straight onto the wire (headers, garbage);
 *   otherwise:     a record sealed by a peer holding the right keys, with
 *                  content type kind >> 2 (so that authentic records reach
 *                  the parsing of alerts, KeyUpdate and padding).
 * Everything is read back; reads must end in data, the end or an error,
 * and never return more than was asked.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl-tls-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static const char *const suites[] = {
  "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
};

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
feed (SlTlsRecord * rec, const guint8 * data, gsize len)
{
  while (len > 0) {
    gsize room = 0;
    guint8 *space = sl_tls_record_rx_space (rec, &room);
    gsize n = MIN (room, len);

    memcpy (space, data, n);
    sl_tls_record_rx_commit (rec, n);
    data += n;
    len -= n;
  }
}

/* Reads until the layer wants more bytes, ends or fails; FALSE once the
 * connection would be over. */
static gboolean
drain (SlTlsRecord * rec)
{
  for (;;) {
    g_autoptr (GError) error = NULL;
    guint8 buf[97];
    gssize n = sl_tls_record_read (rec, buf, sizeof buf, &error);

    if (n > (gssize) sizeof buf)
      abort ();
    if (n > 0)
      continue;
    if (n == 0)
      return FALSE;
    if (error == NULL)
      abort ();
    return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  guint8 client[SL_TLS_MAX_SECRET], server[SL_TLS_MAX_SECRET];
  const char *suite;
  gsize secret_len, i = 1;
  SlTlsRecord *us, *peer;

  if (size < 1)
    return 0;
  suite = suites[data[0] % G_N_ELEMENTS (suites)];
  secret_len = data[0] % G_N_ELEMENTS (suites) == 1 ? 48 : 32;
  memset (client, 0xc1, sizeof client);
  memset (server, 0x5e, sizeof server);
  us = sl_tls_record_new (suite, client, server, secret_len, NULL);
  peer = sl_tls_record_new (suite, server, client, secret_len, NULL);
  if (us == NULL || peer == NULL)
    abort ();

  while (i + 2 <= size) {
    guint8 kind = data[i], len = data[i + 1];
    const guint8 *body = data + i + 2;
    gsize avail = MIN ((gsize) len, size - i - 2);
    guint8 sealed[5 + 255 + 1 + 16];
    guint8 reply[64];
    gsize reply_len = 0;

    i += 2 + avail;
    if ((kind & 3) == 0) {
      feed (us, body, avail);
    } else {
      if (!sl_tls_record_seal (peer, kind >> 2, body, avail, sealed))
        abort ();
      feed (us, sealed, sl_tls_record_sealed_len (avail));
    }
    if (!drain (us))
      break;
    /* Our answer to a KeyUpdate must open at the peer. */
    if (sl_tls_record_take_key_update (us, reply, &reply_len))
      feed (peer, reply, reply_len);
  }
  sl_tls_record_free (us);
  sl_tls_record_free (peer);
  return 0;
}
