/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target for the sealed-record parser: arbitrary records, the
 * padded plaintext inside authentic records, sequences of records through
 * the replay window, and seal/open round trips (see
 * tests/crypto/fuzz-setup.h for the input layout).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>

#include "../crypto/fuzz-setup.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
open_one (SlFuzzRecord * fz, const guint8 * data, gsize len)
{
  g_autoptr (GBytes) record = g_bytes_new (data, len);
  g_autoptr (GBytes) plain = NULL;
  g_autoptr (GError) error = NULL;
  SlWireType type = 0;

  plain = sl_session_open (fz->b, record, &type, &error);
  if ((plain == NULL) == (error == NULL))
    abort ();
  if (plain != NULL && (type < 0x10 ||
          g_bytes_get_size (plain) > SL_RECORD_MAX_PLAINTEXT))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  SlFuzzRecord fz;

  if (size < 1)
    return 0;
  sl_fuzz_record_setup (&fz);

  switch (data[0] % SL_FUZZ_RECORD_N_MODES) {
    case SL_FUZZ_RECORD_OPEN:
      open_one (&fz, data + 1, size - 1);
      break;
    case SL_FUZZ_RECORD_INNER:
      if (size >= 9) {
        guint64 seq = 0;
        g_autoptr (GBytes) record = NULL;
        g_autoptr (GBytes) plain = NULL;
        guint i;

        for (i = 1; i < 9; i++)
          seq = (seq << 8) | data[i];
        record = sl_fuzz_record_raw (&fz, seq, data + 9, size - 9);
        plain = sl_session_open (fz.b, record, NULL, NULL);
        /* Accepted only if the length fits and the rest is zero. */
        if (plain != NULL && (size - 9 < 4 ||
                memcmp (g_bytes_get_data (plain, NULL), data + 13,
                    g_bytes_get_size (plain)) != 0))
          abort ();
      }
      break;
    case SL_FUZZ_RECORD_SEQUENCE:{
      gsize pos = 1;

      while (pos + 2 <= size) {
        gsize len = (gsize) data[pos] << 8 | data[pos + 1];

        pos += 2;
        len = MIN (len, size - pos);
        open_one (&fz, data + pos, len);
        pos += len;
      }
      break;
    }
    case SL_FUZZ_RECORD_ROUND_TRIP:
      if (size >= 2) {
        gsize len = size - 2;
        g_autofree guint8 *copy = g_memdup2 (data + 2, len);
        g_autoptr (GBytes) record = NULL;
        g_autoptr (GBytes) plain = NULL;
        SlWireType type = 0;

        record = sl_session_seal (fz.a, (SlWireType) data[1], copy, len, NULL);
        if ((record != NULL) != (data[1] >= 0x10))
          abort ();
        if (record != NULL) {
          plain = sl_session_open (fz.b, record, &type, NULL);
          if (plain == NULL || type != data[1] ||
              g_bytes_get_size (plain) != len ||
              memcmp (g_bytes_get_data (plain, NULL), data + 2, len) != 0)
            abort ();
        }
      }
      break;
    default:
      break;
  }

  sl_fuzz_record_clear (&fz);
  return 0;
}
