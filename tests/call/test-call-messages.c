/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The call's server messages by protocol version (sl-call-messages.c):
 * what a device sends is valid for the server of that version (checked by
 * parsing it with the server's own table), and a message about another
 * participant is told apart from one about the pair's peer.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "call/sl-call-messages.h"
#include "sl-signalling.h"

#define CALL_ID "3f1c0d8a9b2e4f6071829304a5b6c7d8"

/* @msg as the server of @version reads it. */
static SlMessage *
as_server_reads (SlMessage * msg, guint version)
{
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  g_autofree char *text = sl_message_to_json (msg, &len, &error);
  SlMessage *read;

  g_assert_no_error (error);
  read = sl_protocol_parse (sl_signalling_to_server_for (version), text, len,
      &error);
  g_assert_no_error (error);
  return read;
}

static void
test_relay_names_its_participant (void)
{
  g_autoptr (GBytes) blob = g_bytes_new_static ("\x01\x10\xff", 3);
  guint version;

  for (version = 1; version <= 2; version++) {
    g_autoptr (SlMessage) msg = sl_call_message_new_bytes (version, "relay",
        CALL_ID, "expert-2", blob);
    g_autoptr (SlMessage) read = as_server_reads (msg, version);
    g_autoptr (GBytes) back = sl_call_message_get_bytes (read, "blob");

    g_autofree char *text = sl_message_to_json (msg, NULL, NULL);

    g_assert_true (g_bytes_equal (back, blob));
    /* Version 1 has no such member: the server would refuse it. */
    if (version == 1)
      g_assert_null (strstr (text, "\"to\""));
    else
      g_assert_cmpstr (sl_message_get_string (read, "to"), ==, "expert-2");
  }
}

static void
test_cancel_and_invite (void)
{
  g_autoptr (GBytes) commit = g_bytes_new_static ("commit", 6);
  g_autoptr (SlMessage) cancel = sl_call_message_new (2, "cancel", CALL_ID,
      "expert-2");
  g_autoptr (SlMessage) cancel_read = as_server_reads (cancel, 2);
  g_autoptr (SlMessage) invite = sl_call_message_new_bytes (1, "invite",
      CALL_ID, "expert-1", commit);
  g_autoptr (SlMessage) invite_read = as_server_reads (invite, 1);

  g_assert_cmpstr (sl_message_get_string (cancel_read, "to"), ==, "expert-2");
  g_assert_cmpstr (sl_message_get_string (invite_read, "to"), ==, "expert-1");
}

static SlMessage *
from_server (guint version, const char *json)
{
  g_autoptr (GError) error = NULL;
  SlMessage *msg = sl_protocol_parse (sl_signalling_to_client_for (version),
      json, strlen (json), &error);

  g_assert_no_error (error);
  return msg;
}

static void
test_about (void)
{
  const struct
  {
    guint version;
    const char *json;
    const char *about;
  } cases[] = {
    {2, "{\"type\":\"relay\",\"call_id\":\"" CALL_ID "\",\"from\":\"expert-2\","
          "\"blob\":\"AQA=\"}", "expert-2"},
    {2, "{\"type\":\"hangup\",\"call_id\":\"" CALL_ID
          "\",\"peer\":\"expert-2\"," "\"reason\":\"normal\"}", "expert-2"},
    {2, "{\"type\":\"peer-gone\",\"call_id\":\"" CALL_ID "\","
          "\"peer\":\"goggles-1\"}", "goggles-1"},
    {2, "{\"type\":\"joined\",\"call_id\":\"" CALL_ID "\",\"device\":"
          "{\"id\":\"expert-3\",\"name\":\"E3\",\"role\":\"expert\"}}",
        "expert-3"},
    {1, "{\"type\":\"relay\",\"call_id\":\"" CALL_ID "\",\"blob\":\"AQA=\"}",
        NULL},
    {1, "{\"type\":\"hangup\",\"call_id\":\"" CALL_ID "\","
          "\"reason\":\"normal\"}", NULL},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (SlMessage) msg = from_server (cases[i].version, cases[i].json);

    g_assert_cmpstr (sl_call_message_about (msg, cases[i].version), ==,
        cases[i].about);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/call-messages/relay-names-its-participant",
      test_relay_names_its_participant);
  g_test_add_func ("/call-messages/cancel-and-invite", test_cancel_and_invite);
  g_test_add_func ("/call-messages/about", test_about);

  return g_test_run ();
}
