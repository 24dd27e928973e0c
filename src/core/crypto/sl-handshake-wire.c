/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Building and checking handshake messages: headers, Alerts, the Commit's
 * commitment.  The state machine is in sl-handshake.c.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-handshake-wire.h"

#include <string.h>

static const char commit_label[] = "sightline-v2 commit";


guint8 *
sl_hs_message_new (const guint8 call_id[SL_CALL_ID_LEN], SlWireType type,
    gsize body_len, gsize * out_len)
{
  guint8 *msg = g_malloc (SL_HS_HEADER_LEN + body_len);

  msg[0] = SL_HANDSHAKE_VERSION;
  msg[1] = (guint8) type;
  memcpy (msg + 2, call_id, SL_CALL_ID_LEN);
  *out_len = SL_HS_HEADER_LEN + body_len;
  return msg;
}

GBytes *
sl_hs_alert_new (const guint8 call_id[SL_CALL_ID_LEN], SlCryptoError reason)
{
  gsize len;
  guint8 *msg = sl_hs_message_new (call_id, SL_WIRE_HS_ALERT,
      SL_HS_ALERT_BODY_LEN, &len);

  msg[SL_HS_HEADER_LEN] = (guint8) reason;
  return g_bytes_new_take (msg, len);
}

gboolean
sl_hs_commitment (const guint8 call_id[SL_CALL_ID_LEN],
    const guint8 pub[SL_X25519_LEN], const guint8 * share,
    guint8 out[SL_SHA256_LEN], GError ** error)
{
  guint8 buf[sizeof commit_label - 1 + SL_CALL_ID_LEN + SL_X25519_LEN +
      SL_P256_POINT_LEN];
  gsize n = 0;

  memcpy (buf, commit_label, sizeof commit_label - 1);
  n += sizeof commit_label - 1;
  memcpy (buf + n, call_id, SL_CALL_ID_LEN);
  n += SL_CALL_ID_LEN;
  memcpy (buf + n, pub, SL_X25519_LEN);
  n += SL_X25519_LEN;
  if (share != NULL) {
    memcpy (buf + n, share, SL_P256_POINT_LEN);
    n += SL_P256_POINT_LEN;
  }
  return sl_crypto_sha256 (buf, n, out, error);
}

gboolean
sl_hs_set_malformed (GError ** error, const char *message)
{
  g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
      message);
  return FALSE;
}

gboolean
sl_hs_parse_alert (const guint8 * data, gsize size, GError ** error)
{
  static const char *const messages[] = {
    [SL_CRYPTO_ERROR_AUTH] = "The other device ended the call set-up: the "
        "security codes do not match, or someone intercepted the call.",
    [SL_CRYPTO_ERROR_MALFORMED] = "The other device ended the call set-up: "
        "it received a damaged message.",
    [SL_CRYPTO_ERROR_REPLAY] = "The other device ended the call set-up: it "
        "received a message twice.",
    [SL_CRYPTO_ERROR_OUT_OF_ORDER] = "The other device ended the call "
        "set-up: it received a message it did not expect.",
    [SL_CRYPTO_ERROR_INVALID_CODE] = "The other device ended the call "
        "set-up: its security code is not valid.",
    [SL_CRYPTO_ERROR_INTERNAL] = "The other device ended the call set-up "
        "because of an internal error.",
  };
  guint reason;

  if (size != SL_HS_HEADER_LEN + SL_HS_ALERT_BODY_LEN)
    return sl_hs_set_malformed (error,
        "The call set-up message has a wrong size.");

  reason = data[SL_HS_HEADER_LEN];
  if (reason >= G_N_ELEMENTS (messages))
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "The other device ended the call set-up for an unknown reason.");
  else
    g_set_error_literal (error, SL_CRYPTO_ERROR, reason, messages[reason]);
  return TRUE;
}

gboolean
sl_hs_check_header (const guint8 call_id[SL_CALL_ID_LEN], const guint8 * data,
    gsize size, GError ** error)
{
  if (size < SL_HS_HEADER_LEN)
    return sl_hs_set_malformed (error, "A call set-up message is too short.");
  if (data[0] != SL_HANDSHAKE_VERSION)
    return sl_hs_set_malformed (error,
        "The other device uses an incompatible version of Sightline.");
  if (memcmp (data + 2, call_id, SL_CALL_ID_LEN) != 0)
    return sl_hs_set_malformed (error,
        "A call set-up message belongs to another call.");
  return TRUE;
}
