/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Drives two handshakes in one process, with an optional interceptor that
 * sees (and may replace) every message on the way.
 */

#pragma once

#include <glib.h>

#include "sl-crypto-private.h"

G_BEGIN_DECLS

#define SL_TEST_CALL_ID "00112233445566778899aabbccddeeff"
#define SL_TEST_ID_A "goggles-7f3a"
#define SL_TEST_ID_B "expert-pc-19c2"

enum
{
  SL_STEP_COMMIT,
  SL_STEP_REPLY,
  SL_STEP_REVEAL,
  SL_STEP_CONFIRM,
};

/* Returns the message to deliver for @step (transfer full); @msg is
 * borrowed. */
typedef GBytes *(*SlTestIntercept) (guint step, GBytes * msg,
    gpointer user_data);

static inline SlHandshake *
sl_test_handshake (SlRole role, const char *call_id, const guint8 * w)
{
  g_autoptr (GError) error = NULL;
  SlHandshake *hs = sl_handshake_new_with_scalar (role, call_id,
      role == SL_ROLE_CALLER ? SL_TEST_ID_A : SL_TEST_ID_B,
      role == SL_ROLE_CALLER ? SL_TEST_ID_B : SL_TEST_ID_A, w, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hs);
  return hs;
}

/* Runs A's and B's handshakes to the end.  When one side refuses a
 * message, its Alert goes to the other side, and the run stops.  Errors
 * land in @err_a and @err_b. */
static inline void
sl_test_drive (SlHandshake * a, SlHandshake * b, SlTestIntercept intercept,
    gpointer user_data, GError ** err_a, GError ** err_b)
{
  SlHandshake *to = b, *from = a;
  GError **to_err = err_b, **from_err = err_a;
  GBytes *msg = sl_handshake_start (a, err_a);
  guint step = 0;

  g_assert_nonnull (msg);
  while (msg != NULL) {
    GBytes *reply = NULL;
    gboolean ok;

    if (intercept != NULL) {
      GBytes *changed = intercept (step, msg, user_data);

      g_bytes_unref (msg);
      msg = changed;
    }
    ok = sl_handshake_process (to, msg, &reply, to_err);
    g_bytes_unref (msg);
    msg = reply;
    if (!ok) {
      if (reply != NULL) {
        GBytes *none = NULL;

        g_assert_false (sl_handshake_process (from, reply, &none, from_err));
        g_assert_null (none);
        g_bytes_unref (reply);
      }
      return;
    }
    {
      SlHandshake *t = to;
      GError **te = to_err;

      to = from;
      from = t;
      to_err = from_err;
      from_err = te;
    }
    step++;
  }
}

G_END_DECLS
