/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target for the protocol parser, on both signalling families.
 * Differential: the flat fast path and the json-glib tree path must give
 * the same verdict, the same error and the same message; an accepted
 * message must serialise, and its serialisation must parse back to the
 * same text.  Criticals and warnings abort: network input must never
 * reach one.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl-protocol.h"
#include "sl-protocol-private.h"
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
  g_autoptr (GError) fast_error = NULL;
  g_autoptr (GError) tree_error = NULL;
  g_autoptr (SlMessage) fast = sl_protocol_parse (family, text, size,
      &fast_error);
  g_autoptr (SlMessage) tree = sl_protocol_parse_with_tree (family, text,
      size, &tree_error);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) again = NULL;
  g_autofree char *c = NULL;
  gsize len;

  if ((fast == NULL) != (tree == NULL))
    g_error ("paths disagree: fast %s, tree %s",
        fast ? "accepted" : fast_error->message,
        tree ? "accepted" : tree_error->message);
  if (fast == NULL) {
    g_assert (fast_error->domain == SL_PROTOCOL_ERROR);
    if (fast_error->code != tree_error->code ||
        strcmp (fast_error->message, tree_error->message) != 0)
      g_error ("errors differ: '%s' / '%s'", fast_error->message,
          tree_error->message);
    return;
  }
  a = sl_message_to_json (fast, &len, &error);
  if (a == NULL)
    g_error ("an accepted message does not serialise: %s", error->message);
  b = sl_message_to_json (tree, NULL, NULL);
  if (b == NULL || strcmp (a, b) != 0)
    g_error ("paths built different messages:\n%s\n%s", a, b);
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
  return 0;
}
