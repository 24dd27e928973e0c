/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * How a call ended.  The codes are what a program acts on (the `sightline`
 * command turns each into its exit status, sightlinebin into a bus
 * message); the nicks name them for scripts and logs.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-call-error.h"

G_DEFINE_QUARK (sl_call_error, sl_call_error);

G_DEFINE_ENUM_TYPE (SlCallError, sl_call_error,
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_CONFIG, "config"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_REJECTED, "rejected"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_BUSY, "busy"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_NO_ANSWER, "no-answer"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_SECURITY, "security"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_SERVER, "server"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_MEDIA, "media"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_PEER_LOST, "peer-lost"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_PROTOCOL, "protocol"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_CANCELLED, "cancelled"),
    G_DEFINE_ENUM_VALUE (SL_CALL_ERROR_POLICY, "policy"));

/**
 * sl_call_error_nick:
 * @error: (nullable): why a call ended
 *
 * Returns: "none" for %NULL, the code's nick for a #SL_CALL_ERROR, "other"
 *   for any other domain
 */
const char *
sl_call_error_nick (const GError * error)
{
  static GEnumClass *klass;
  GEnumValue *value;

  if (error == NULL)
    return "none";
  if (error->domain != SL_CALL_ERROR)
    return "other";
  /* Kept for the process: a class is never freed anyway. */
  if (g_once_init_enter (&klass))
    g_once_init_leave (&klass, g_type_class_ref (SL_TYPE_CALL_ERROR));
  value = g_enum_get_value (klass, error->code);
  return value ? value->value_nick : "other";
}
