/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target for the protocol parser, on every signalling family
 * (both directions, protocol versions 1 and 2):
 * a refusal is a protocol error; an accepted message must serialise, and
 * its serialisation must parse back to the same text.  Criticals and
 * warnings abort: network input must never reach one.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl-protocol.h"
#include "sl-cluster-bus.h"
#include "sl-signalling.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
check_family (const SlProtocolFamily * family, const char *text, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) msg = sl_protocol_parse (family, text, size, &error);
  g_autoptr (SlMessage) again = NULL;
  g_autofree char *a = NULL;
  g_autofree char *c = NULL;
  gsize len;

  if ((msg == NULL) == (error == NULL))
    g_error ("a verdict must come with an error or a message, not both");
  if (msg == NULL) {
    g_assert (error->domain == SL_PROTOCOL_ERROR);
    return;
  }
  a = sl_message_to_json (msg, &len, &error);
  if (a == NULL)
    g_error ("an accepted message does not serialise: %s", error->message);
  again = sl_protocol_parse (family, a, len, &error);
  if (again == NULL)
    g_error ("own output refused: %s", error->message);
  c = sl_message_to_json (again, NULL, NULL);
  if (c == NULL || strcmp (a, c) != 0)
    g_error ("round trip changed the message");
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  check_family (&sl_signalling_to_server, (const char *) data, size);
  check_family (&sl_signalling_to_client, (const char *) data, size);
  check_family (&sl_signalling_v2_to_server, (const char *) data, size);
  check_family (&sl_signalling_v2_to_client, (const char *) data, size);
  /* What server instances read from Redis (issue 17). */
  check_family (&sl_cluster_bus, (const char *) data, size);
  return 0;
}
