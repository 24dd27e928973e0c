/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * How long each step of a call's set-up may take (sl-call-timing.h holds
 * the figures and why), and the test hook that stretches them under
 * valgrind.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-timing.h"
#include "sightline/sl-call.h"

/**
 * sl_call_test_scale:
 *
 * Test hook: valgrind runs a call some 30 times slower, so the set-up
 * deadlines and the heartbeat's are stretched by SL_TEST_SETUP_SCALE.
 *
 * Returns: the factor; always 1 in builds without test hooks
 */
guint
sl_call_test_scale (void)
{
  guint scale = 1;

#ifdef SL_TEST_HOOKS
  if (g_getenv ("SL_TEST_SETUP_SCALE"))
    scale = CLAMP (g_ascii_strtoull (g_getenv ("SL_TEST_SETUP_SCALE"), NULL,
            10), 1, 100);
#endif
  return scale;
}

/**
 * sl_call_set_up_deadline_ms:
 * @state: a #SlCallState
 * @ring_timeout_ms: how long the server lets a call ring
 *
 * Returns: how long a call may stay in @state before set-up is given up;
 *   0 for no deadline (preparing is local work, a secured call has the
 *   heartbeat)
 */
guint
sl_call_set_up_deadline_ms (int state, guint ring_timeout_ms)
{
  guint base;

  switch (state) {
    case SL_CALL_STATE_INVITING:
      base = SETUP_INVITE_MS;
      break;
    case SL_CALL_STATE_RINGING:
      /* The server ends an unanswered call; this only covers a server
       * that never says so. */
      base = ring_timeout_ms + SETUP_RING_MARGIN_MS;
      break;
    case SL_CALL_STATE_SECURING:
      base = SETUP_SECURING_MS;
      break;
    case SL_CALL_STATE_CONNECTING:
      base = SETUP_CONNECTING_MS;
      break;
    default:
      return 0;
  }
  return sl_call_test_scale () * base;
}
