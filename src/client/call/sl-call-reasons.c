/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What the other side's words mean for a call: the peer's hang-up reason
 * (data channel or server), the server's answer to an invite nobody took,
 * and its refusal of a request.  Pure helpers: each returns the call's
 * outcome as an error for users (NULL for a normal end).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-reasons.h"
#include "sl-signalling.h"
#include "sightline/sl-call-error.h"

/**
 * sl_call_reason_from_hangup:
 * @reason: (nullable): the peer's hang-up reason ("normal", "security",
 *   "peer-lost", "media", "timeout", ...), not "sas-mismatch"
 * @set_up: whether the call had been secured
 *
 * Returns: (transfer full) (nullable): why the call ended, %NULL for a
 *   normal end
 */
GError *
sl_call_reason_from_hangup (const char *reason, gboolean set_up)
{
  if (g_strcmp0 (reason, "security") == 0)
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_SECURITY,
        "The other device ended the call: it could not verify the call's "
        "security");
  if (g_strcmp0 (reason, "peer-lost") == 0)
    /* The peer's heartbeat noticed first and told us through the server:
     * the media path is gone both ways. */
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_PEER_LOST,
        "The other device lost the media connection");
  if (g_strcmp0 (reason, "media") == 0)
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_MEDIA,
        "The other device's media failed");
  if (g_strcmp0 (reason, "timeout") == 0 && !set_up)
    /* Its set-up deadline fired first (e.g. a very lossy path): the call
     * never worked, which is no "call completed" here either. */
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_MEDIA,
        "The other device gave up: the call could not be set up in time");
  if (!set_up)
    /* Its user hung up (or cancelled) before the call was set up. */
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_NO_ANSWER,
        "The other device hung up before the call was set up");
  return NULL;
}

/**
 * sl_call_reason_from_refusal:
 * @type: the server's message: "rejected", "busy", "timeout" or
 *   "cancelled"
 * @reason: (nullable): a rejection's reason ("declined" or "busy")
 *
 * Returns: (transfer full): why the call ended before it was answered
 */
GError *
sl_call_reason_from_refusal (const char *type, const char *reason)
{
  if (g_str_equal (type, "busy") || g_strcmp0 (reason, "busy") == 0)
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_BUSY,
        "The other device is busy in another call");
  if (g_str_equal (type, "rejected"))
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_REJECTED,
        "The other device declined the call");
  if (g_str_equal (type, "timeout"))
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_NO_ANSWER,
        "Nobody answered");
  return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_NO_ANSWER,
      "The caller gave up before the call was answered");
}

/**
 * sl_call_reason_from_server_error:
 * @code: (nullable): the server's error code
 * @message: (nullable): its message
 *
 * For an error before the call was answered.
 *
 * Returns: (transfer full): why the call ended
 */
GError *
sl_call_reason_from_server_error (const char *code, const char *message)
{
  if (g_strcmp0 (code, SL_SIGNALLING_ERROR_OFFLINE) == 0)
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_NO_ANSWER,
        "The other device is not online");
  if (g_strcmp0 (code, SL_SIGNALLING_ERROR_POLICY_DENIED) == 0)
    return g_error_new_literal (SL_CALL_ERROR, SL_CALL_ERROR_POLICY,
        "The operator's call policy does not allow this call");
  if (g_strcmp0 (code, "self-call") == 0 || g_strcmp0 (code, "bad-member") == 0)
    /* Our own request was wrong: a usage error, not the server. */
    return g_error_new (SL_CALL_ERROR, SL_CALL_ERROR_CONFIG,
        "The server refused the call: %s", message);
  return g_error_new (SL_CALL_ERROR, SL_CALL_ERROR_SERVER,
      "The server refused the call: %s", message);
}
