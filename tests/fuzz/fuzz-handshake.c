/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target for the handshake message parsers: one arbitrary
 * message to a handshake in any state, with or without a code (see
 * tests/crypto/fuzz-setup.h for the input layout).  If the message is
 * accepted, the handshake runs on honestly; should both sides complete,
 * they must agree on the SAS and their sessions must talk.
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
  /* A critical is a g_return_if_fail hit by network input: a bug. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
check_agreement (SlHandshake * a, SlHandshake * b)
{
  g_autoptr (SlSession) sa = NULL;
  g_autoptr (SlSession) sb = NULL;
  g_autoptr (GBytes) record = NULL;
  g_autoptr (GBytes) plain = NULL;
  guint8 text[] = "ping";

  if (g_strcmp0 (sl_handshake_get_sas (a), sl_handshake_get_sas (b)) != 0)
    abort ();
  sa = sl_handshake_take_session (a);
  sb = sl_handshake_take_session (b);
  if (sa == NULL || sb == NULL)
    abort ();
  record = sl_session_seal (sa, SL_WIRE_RECORD_CONTROL, text, 4, NULL);
  plain = record ? sl_session_open (sb, record, NULL, NULL) : NULL;
  if (plain == NULL || g_bytes_get_size (plain) != 4)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  SlFuzzHandshake fz;
  g_autoptr (GBytes) msg = NULL;
  GBytes *reply = NULL;
  SlHandshake *to, *from;
  gboolean ok;

  if (size < 1)
    return 0;
  sl_fuzz_handshake_setup (&fz, data[0] & 1,
      (SlFuzzState) ((data[0] >> 1) % SL_FUZZ_N_STATES));

  msg = g_bytes_new (data + 1, size - 1);
  ok = sl_handshake_process (fz.target, msg, &reply, NULL);
  to = fz.other;
  from = fz.target;

  /* Play the rest honestly; a refusal's Alert goes to the other side. */
  while (reply != NULL) {
    GBytes *next = NULL;
    SlHandshake *t;

    if (!ok) {
      if (sl_handshake_process (to, reply, &next, NULL) || next != NULL)
        abort ();
      g_bytes_unref (reply);
      break;
    }
    ok = sl_handshake_process (to, reply, &next, NULL);
    g_bytes_unref (reply);
    reply = next;
    t = to;
    to = from;
    from = t;
  }

  if (sl_handshake_is_complete (fz.a) && sl_handshake_is_complete (fz.b))
    check_agreement (fz.a, fz.b);
  sl_fuzz_handshake_clear (&fz);
  return 0;
}
