/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Unit tests of the table-driven protocol module and the signalling
 * tables: every error code, both build paths, and builders that refuse
 * what the parser would refuse. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "sl-protocol.h"
#include "sl-signalling.h"

#define CALL_ID "0123456789abcdef0123456789abcdef"

typedef struct
{
  SlMessage *msg;
  GError *error;
} Fixture;

static void
fixture_setup (Fixture * f, gconstpointer data)
{
  f->msg = NULL;
  f->error = NULL;
}

static void
fixture_teardown (Fixture * f, gconstpointer data)
{
  g_clear_pointer (&f->msg, sl_message_unref);
  g_clear_error (&f->error);
}

static SlMessage *
parse_c2s (Fixture * f, const char *text)
{
  g_clear_pointer (&f->msg, sl_message_unref);
  g_clear_error (&f->error);
  f->msg = sl_protocol_parse (&sl_signalling_to_server, text, strlen (text),
      &f->error);
  return f->msg;
}

static void
expect_error (Fixture * f, const char *text, SlProtocolError code,
    const char *fragment)
{
  parse_c2s (f, text);
  g_assert_null (f->msg);
  g_assert_error (f->error, SL_PROTOCOL_ERROR, (gint) code);
  if (fragment && !strstr (f->error->message, fragment))
    g_error ("error '%s' does not mention '%s'", f->error->message, fragment);
}

static void
test_tables_consistent (Fixture * f, gconstpointer data)
{
  g_assert_true (sl_protocol_family_check (&sl_signalling_to_server,
          &f->error));
  g_assert_no_error (f->error);
  g_assert_true (sl_protocol_family_check (&sl_signalling_to_client,
          &f->error));
  g_assert_no_error (f->error);
  g_assert_true (sl_protocol_family_check (&sl_signalling_v2_to_server,
          &f->error));
  g_assert_no_error (f->error);
  g_assert_true (sl_protocol_family_check (&sl_signalling_v2_to_client,
          &f->error));
  g_assert_no_error (f->error);
  g_assert_true (sl_signalling_to_server_for (1) == &sl_signalling_to_server);
  g_assert_true (sl_signalling_to_server_for (2) ==
      &sl_signalling_v2_to_server);
  g_assert_true (sl_signalling_to_client_for (1) == &sl_signalling_to_client);
  g_assert_true (sl_signalling_to_client_for (2) ==
      &sl_signalling_v2_to_client);
}

static SlMessage *
parse_in (Fixture * f, const SlProtocolFamily * family, const char *text)
{
  g_clear_pointer (&f->msg, sl_message_unref);
  g_clear_error (&f->error);
  f->msg = sl_protocol_parse (family, text, strlen (text), &f->error);
  return f->msg;
}

/* Version 2 adds members version 1 refuses, and requires them. */
static void
test_version_2 (Fixture * f, gconstpointer data)
{
  static const char relay_to[] = "{\"type\":\"relay\",\"call_id\":\""
      CALL_ID "\",\"to\":\"expert-2\",\"blob\":\"QUJD\"}";
  static const char relay_v1[] = "{\"type\":\"relay\",\"call_id\":\""
      CALL_ID "\",\"blob\":\"QUJD\"}";
  static const char joined[] = "{\"type\":\"joined\",\"call_id\":\""
      CALL_ID "\",\"device\":{\"id\":\"d\",\"name\":\"D\","
      "\"role\":\"expert\"}}";
  GString *many = g_string_new ("{\"type\":\"participants\",\"call_id\":\""
      CALL_ID "\",\"devices\":[");
  guint i;

  g_assert_nonnull (parse_in (f, &sl_signalling_v2_to_server, relay_to));
  g_assert_cmpstr (sl_message_get_string (f->msg, "to"), ==, "expert-2");
  g_assert_null (parse_in (f, &sl_signalling_to_server, relay_to));
  g_assert_error (f->error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER);
  g_assert_null (parse_in (f, &sl_signalling_v2_to_server, relay_v1));
  g_assert_error (f->error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER);
  g_assert_nonnull (strstr (f->error->message, "'to'"));

  g_assert_nonnull (parse_in (f, &sl_signalling_v2_to_client, joined));
  g_assert_null (parse_in (f, &sl_signalling_to_client, joined));
  g_assert_error (f->error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_UNKNOWN_TYPE);

  /* At most seven others in a call of eight. */
  for (i = 0; i < 8; i++)
    g_string_append_printf (many, "%s{\"id\":\"e-%u\",\"name\":\"E\","
        "\"role\":\"expert\"}", i ? "," : "", i);
  g_string_append (many, "]}");
  g_assert_null (parse_in (f, &sl_signalling_v2_to_client, many->str));
  g_assert_error (f->error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER);
  g_string_free (many, TRUE);
}

static void
test_parse_invite (Fixture * f, gconstpointer data)
{
  g_autofree char *a = NULL;
  const char *text = " {\"type\": \"invite\", \"call_id\": \"" CALL_ID "\","
      " \"to\": \"expert-1\", \"hs\": \"AQIDBA==\"}\n";

  g_assert_nonnull (parse_c2s (f, text));
  g_assert_no_error (f->error);
  g_assert_cmpstr (sl_message_get_type_name (f->msg), ==, "invite");
  g_assert_cmpstr (sl_message_get_string (f->msg, "call_id"), ==, CALL_ID);
  g_assert_cmpstr (sl_message_get_string (f->msg, "to"), ==, "expert-1");
  g_assert_cmpstr (sl_message_get_string (f->msg, "hs"), ==, "AQIDBA==");
  g_assert_true (sl_message_get_family (f->msg) == &sl_signalling_to_server);

  a = sl_message_to_json (f->msg, NULL, &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpstr (a, ==, "{\"type\":\"invite\",\"call_id\":\"" CALL_ID
      "\",\"to\":\"expert-1\",\"hs\":\"AQIDBA==\"}");
}

static void
test_escapes (Fixture * f, gconstpointer data)
{
  /* Escaped type and enum values are unescaped before the lookup. */
  g_assert_nonnull (parse_c2s (f,
          "{\"type\":\"st\\u0061tus\",\"status\":\"b\\u0075sy\"}"));
  g_assert_cmpstr (sl_message_get_string (f->msg, "status"), ==, "busy");

  expect_error (f, "{\"type\":\"status\",\"status\":\"a\\u0000\"}",
      SL_PROTOCOL_ERROR_MALFORMED_JSON, "U+0000");
  expect_error (f, "{\"type\":\"status\",\"status\":\"\\ud800\"}",
      SL_PROTOCOL_ERROR_MALFORMED_JSON, "surrogate");
  expect_error (f, "{\"type\":\"status\",\"status\":\"\\udc00x\"}",
      SL_PROTOCOL_ERROR_MALFORMED_JSON, "surrogate");
  expect_error (f, "{\"type\":\"status\",\"st\\u0061tus\":\"busy\"}",
      SL_PROTOCOL_ERROR_MALFORMED_JSON, "escapes");
  expect_error (f, "{\"type\":\"status\",\"status\":\"\\x\"}",
      SL_PROTOCOL_ERROR_MALFORMED_JSON, "escape");
}

static void
test_malformed (Fixture * f, gconstpointer data)
{
  static const char *const bad[] = {
    "", " ", "{", "}", "[]", "\"x\"", "42", "null",
    "{\"type\":\"status\"", "{\"type\":\"status\",}",
    "{\"type\" \"status\"}", "{\"type\":\"status\"}}",
    "{\"type\":\"status\"} {}", "{'type':'status'}",
    "{\"type\":\"status\",\"status\":busy}",
    "{\"type\":\"status\",\"status\":\"busy\" // x\n}",
    "{\"type\":\"status\",\"n\":01}", "{\"type\":\"status\",\"n\":1.}",
    "{\"type\":\"status\",\"n\":-}", "{\"type\":\"status\",\"n\":1e}",
    "{\"type\":\"status\",\"n\":tru}", "{\"type\":\"status\",\"n\":NaN}",
    "{\"type\":\"status\",\"n\":99999999999999999999}",
    "{\"type\":\"status\",\"s\":\"tab\there\"}",
    "{\"type\":\"status\",\"status\":\"busy\",\"status\":\"available\"}",
    "{\"type\":\"x\",\"o\":{\"a\":1,\"a\":2}}",
    "\xef\xbb\xbf{\"type\":\"status\"}",
    "{\"type\":\"st\xff\"}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autofree char *shown = g_strescape (bad[i], NULL);

    g_test_message ("document %u: %s", i, shown);
    expect_error (f, bad[i], SL_PROTOCOL_ERROR_MALFORMED_JSON, NULL);
  }

  /* An embedded NUL byte, which strlen() would hide. */
  g_clear_error (&f->error);
  f->msg = sl_protocol_parse (&sl_signalling_to_server,
      "{\"type\":\"st\0tus\"}", 17, &f->error);
  g_assert_null (f->msg);
  g_assert_error (f->error, SL_PROTOCOL_ERROR,
      SL_PROTOCOL_ERROR_MALFORMED_JSON);
}

static void
test_too_many_members (Fixture * f, gconstpointer data)
{
  g_autoptr (GString) doc = g_string_new ("{\"type\":\"status\"");
  guint i;

  for (i = 0; i < 64; i++)
    g_string_append_printf (doc, ",\"m%u\":1", i);
  g_string_append_c (doc, '}');
  expect_error (f, doc->str, SL_PROTOCOL_ERROR_MALFORMED_JSON, "64 members");
}

static void
test_too_large (Fixture * f, gconstpointer data)
{
  gsize n = SL_SIGNALLING_MAX_CLIENT_MESSAGE + 1;
  g_autofree char *doc = g_malloc (n + 1);

  memset (doc, ' ', n);
  doc[0] = '{';
  doc[n - 1] = '}';
  doc[n] = '\0';
  expect_error (f, doc, SL_PROTOCOL_ERROR_TOO_LARGE, "limit");
}

static void
test_too_deep (Fixture * f, gconstpointer data)
{
  g_autoptr (GString) doc = g_string_new ("{\"type\":\"status\",\"x\":");
  guint i;

  /* Far deeper than any recursive parser's stack would survive. */
  for (i = 0; i < 40000; i++)
    g_string_append_c (doc, '[');
  for (i = 0; i < 40000; i++)
    g_string_append_c (doc, ']');
  g_string_append_c (doc, '}');
  expect_error (f, doc->str, SL_PROTOCOL_ERROR_TOO_DEEP, "8 levels");

  /* Exactly at the limit is fine for the depth check (and then refused
   * as an unknown member). */
  g_string_assign (doc, "{\"type\":\"status\",\"x\":");
  for (i = 0; i < SL_SIGNALLING_MAX_DEPTH - 1; i++)
    g_string_append_c (doc, '[');
  for (i = 0; i < SL_SIGNALLING_MAX_DEPTH - 1; i++)
    g_string_append_c (doc, ']');
  g_string_append_c (doc, '}');
  expect_error (f, doc->str, SL_PROTOCOL_ERROR_BAD_MEMBER, "'x'");
}

static void
test_unknown_type (Fixture * f, gconstpointer data)
{
  expect_error (f, "{\"type\":\"launch-missiles\"}",
      SL_PROTOCOL_ERROR_UNKNOWN_TYPE, "'launch-missiles'");
  /* Server-to-client types are unknown in the other direction. */
  expect_error (f, "{\"type\":\"welcome\"}", SL_PROTOCOL_ERROR_UNKNOWN_TYPE,
      "welcome");
  /* Peer-chosen text is not echoed when it is not a plain name. */
  expect_error (f, "{\"type\":\"<script>\"}", SL_PROTOCOL_ERROR_UNKNOWN_TYPE,
      "(unprintable)");
}

static void
test_bad_member (Fixture * f, gconstpointer data)
{
  expect_error (f, "{}", SL_PROTOCOL_ERROR_BAD_MEMBER, "'type' is required");
  expect_error (f, "{\"type\":7}", SL_PROTOCOL_ERROR_BAD_MEMBER,
      "'type' must be a string");
  expect_error (f, "{\"type\":\"status\"}", SL_PROTOCOL_ERROR_BAD_MEMBER,
      "'status' is required");
  expect_error (f, "{\"type\":\"status\",\"status\":3}",
      SL_PROTOCOL_ERROR_BAD_MEMBER, "'status' must be a string");
  expect_error (f, "{\"type\":\"status\",\"status\":null}",
      SL_PROTOCOL_ERROR_BAD_MEMBER, "'status' must be a string");
  expect_error (f, "{\"type\":\"status\",\"status\":\"asleep\"}",
      SL_PROTOCOL_ERROR_BAD_MEMBER, "accepted values");
  expect_error (f, "{\"type\":\"status\",\"status\":\"busy\",\"x\":1}",
      SL_PROTOCOL_ERROR_BAD_MEMBER, "'x' is not part");
  expect_error (f, "{\"type\":\"cancel\",\"call_id\":\"0123\"}",
      SL_PROTOCOL_ERROR_BAD_MEMBER, "'call_id' must be 32 lowercase");
  expect_error (f, "{\"type\":\"cancel\",\"call_id\":\""
      "0123456789ABCDEF0123456789abcdef\"}", SL_PROTOCOL_ERROR_BAD_MEMBER,
      "'call_id' must be 32 lowercase");
  expect_error (f, "{\"type\":\"cancel\",\"call_id\":{\"a\":1}}",
      SL_PROTOCOL_ERROR_BAD_MEMBER, "'call_id' must be a string");
  expect_error (f, "{\"type\":\"cancel\",\"call_id\":[\"" CALL_ID "\"]}",
      SL_PROTOCOL_ERROR_BAD_MEMBER, "'call_id' must be a string");
  expect_error (f, "{\"type\":\"relay\",\"call_id\":\"" CALL_ID
      "\",\"blob\":\"not base64!\"}", SL_PROTOCOL_ERROR_BAD_MEMBER,
      "'blob' must be non-empty padded base64");
  expect_error (f, "{\"type\":\"relay\",\"call_id\":\"" CALL_ID
      "\",\"blob\":\"\"}", SL_PROTOCOL_ERROR_BAD_MEMBER, "'blob'");
  expect_error (f, "{\"type\":\"invite\",\"call_id\":\"" CALL_ID
      "\",\"to\":\"Bad Id\",\"hs\":\"AAAA\"}", SL_PROTOCOL_ERROR_BAD_MEMBER,
      "'to' must be 1 to 63");
  expect_error (f, "{\"type\":\"hangup\",\"call_id\":\"" CALL_ID
      "\",\"reason\":true}", SL_PROTOCOL_ERROR_BAD_MEMBER,
      "'reason' must be a string");
}

static void
test_blob_limit (Fixture * f, gconstpointer data)
{
  g_autoptr (GString) doc = g_string_new ("{\"type\":\"relay\",\"call_id\":\""
      CALL_ID "\",\"blob\":\"");
  gsize prefix = doc->len;

  /* The largest blob (70,000 bytes, 93,336 base64 characters) passes. */
  while (doc->len - prefix < SL_SIGNALLING_MAX_BLOB_LEN)
    g_string_append (doc, "QUJD");
  g_string_append (doc, "\"}");
  g_assert_nonnull (parse_c2s (f, doc->str));
  g_assert_cmpuint (strlen (sl_message_get_string (f->msg, "blob")), ==,
      SL_SIGNALLING_MAX_BLOB_LEN);

  /* Four more characters do not. */
  g_string_truncate (doc, doc->len - 2);
  g_string_append (doc, "QUJD\"}");
  expect_error (f, doc->str, SL_PROTOCOL_ERROR_BAD_MEMBER,
      "'blob' is longer than 93336 bytes");
}

static void
build_welcome (SlMessage * msg, gboolean with_turn)
{
  SlMessage *device = sl_message_set_object (msg, "device");

  sl_message_set_string (device, "id", "goggles-7");
  sl_message_set_string (device, "name", "Goggles \"seven\" \xc3\xa9");
  sl_message_set_string (device, "role", "goggles");
  sl_message_set_string (msg, "server_version", "0.1.0");
  sl_message_set_int (msg, "ping_interval_ms", 15000);
  sl_message_set_int (msg, "idle_timeout_ms", 30000);
  sl_message_set_int (msg, "ring_timeout_ms", 30000);
  sl_message_set_int (msg, "max_message_size", 98304);
  if (with_turn) {
    SlMessage *turn = sl_message_set_object (msg, "turn");

    sl_message_append_string (turn, "urls", "turn:127.0.0.1:3478");
    sl_message_append_string (turn, "urls", "turns:127.0.0.1:5349");
    sl_message_set_string (turn, "username", "1700000000:goggles-7");
    sl_message_set_string (turn, "credential", "3q2+7w8sK9b2Y5h5o2dY0p1f4lU=");
    sl_message_set_int (turn, "ttl", 3600);
  }
}

static void
test_nested_round_trip (Fixture * f, gconstpointer data)
{
  g_autoptr (SlMessage) welcome = sl_message_new (&sl_signalling_to_client,
      "welcome");
  g_autoptr (SlMessage) back = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  const SlMessage *device;
  const SlMessage *turn;
  gsize len;

  build_welcome (welcome, TRUE);
  json = sl_message_to_json (welcome, &len, &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpuint (len, ==, strlen (json));

  back = sl_protocol_parse (&sl_signalling_to_client, json, len, &f->error);
  g_assert_no_error (f->error);
  device = sl_message_get_object (back, "device");
  g_assert_cmpstr (sl_message_get_string (device, "name"), ==,
      "Goggles \"seven\" \xc3\xa9");
  g_assert_cmpint (sl_message_get_int (back, "ping_interval_ms"), ==, 15000);
  turn = sl_message_get_object (back, "turn");
  g_assert_cmpuint (sl_message_get_array_length (turn, "urls"), ==, 2);
  g_assert_cmpstr (sl_message_get_array_string (turn, "urls", 1), ==,
      "turns:127.0.0.1:5349");
  g_assert_cmpint (sl_message_get_int (turn, "ttl"), ==, 3600);

  again = sl_message_to_json (back, NULL, &f->error);
  g_assert_cmpstr (json, ==, again);

  /* The optional member may be left out. */
  sl_message_unset (welcome, "turn");
  g_free (again);
  again = sl_message_to_json (welcome, NULL, &f->error);
  g_assert_no_error (f->error);
  g_assert_null (strstr (again, "turn"));
}

static void
test_nested_errors (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const char *doc;
    const char *fragment;
  } cases[] = {
    {"{\"type\":\"roster\",\"devices\":[{\"id\":\"a\",\"name\":\"A\","
          "\"role\":\"expert\",\"status\":\"available\"},{\"id\":\"b\","
          "\"name\":\"B\",\"role\":\"expert\"}]}",
        "'devices[1].status' is required"},
    {"{\"type\":\"roster\",\"devices\":{}}", "'devices' must be an array"},
    {"{\"type\":\"roster\",\"devices\":[1]}",
        "'devices[0]' must be an object"},
    {"{\"type\":\"presence\",\"event\":\"join\",\"device\":{\"id\":\"a\","
          "\"name\":\"A\",\"role\":\"expert\",\"status\":\"available\","
          "\"extra\":[]}}", "'device.extra' is not part"},
    {"{\"type\":\"welcome\",\"device\":{\"id\":\"a\",\"name\":\"A\","
          "\"role\":\"x\"},\"server_version\":\"1\",\"ping_interval_ms\":1.5,"
          "\"idle_timeout_ms\":1000,\"ring_timeout_ms\":1000,"
          "\"max_message_size\":2000}", "'ping_interval_ms' must be an "
          "integer"},
    {"{\"type\":\"welcome\",\"device\":{\"id\":\"a\",\"name\":\"A\","
          "\"role\":\"x\"},\"server_version\":\"1\",\"ping_interval_ms\":5,"
          "\"idle_timeout_ms\":1000,\"ring_timeout_ms\":1000,"
          "\"max_message_size\":2000}", "'ping_interval_ms' must be between"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (SlMessage) msg = NULL;
    g_autoptr (GError) error = NULL;

    msg = sl_protocol_parse (&sl_signalling_to_client, cases[i].doc,
        strlen (cases[i].doc), &error);
    g_assert_null (msg);
    g_assert_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER);
    if (!strstr (error->message, cases[i].fragment))
      g_error ("case %u: '%s' lacks '%s'", i, error->message,
          cases[i].fragment);
  }
}

static void
test_roster_limit (Fixture * f, gconstpointer data)
{
  g_autoptr (GString) doc = g_string_new ("{\"type\":\"roster\",\"devices\":[");
  guint i;

  for (i = 0; i <= SL_SIGNALLING_MAX_ROSTER; i++)
    g_string_append (doc, i ? ",{}" : "{}");
  g_string_append (doc, "]}");
  f->msg = sl_protocol_parse (&sl_signalling_to_client, doc->str, doc->len,
      &f->error);
  g_assert_null (f->msg);
  g_assert_error (f->error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER);
  g_assert_nonnull (strstr (f->error->message, "more than 16384 items"));
}

static void
test_builder_refuses (Fixture * f, gconstpointer data)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_signalling_to_server,
      "invite");
  g_autoptr (SlMessage) welcome = NULL;
  char *json;

  sl_message_set_string (msg, "call_id", CALL_ID);
  sl_message_set_string (msg, "to", "expert-1");
  json = sl_message_to_json (msg, NULL, &f->error);
  g_assert_null (json);
  g_assert_error (f->error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_BAD_MEMBER);
  g_assert_nonnull (strstr (f->error->message, "'hs' is required"));
  g_clear_error (&f->error);

  sl_message_set_string (msg, "hs", "AAAA");
  sl_message_set_string (msg, "to", "Expert 1");
  json = sl_message_to_json (msg, NULL, &f->error);
  g_assert_null (json);
  g_assert_nonnull (strstr (f->error->message, "'to' must be 1 to 63"));
  g_clear_error (&f->error);

  sl_message_set_string_len (msg, "to", "exp\0ert", 7);
  json = sl_message_to_json (msg, NULL, &f->error);
  g_assert_null (json);
  g_assert_nonnull (strstr (f->error->message, "'to' must be"));
  g_clear_error (&f->error);

  sl_message_set_string (msg, "to", "expert-1");
  sl_message_set_string_len (msg, "hs", "AA\0A", 4);
  json = sl_message_to_json (msg, NULL, &f->error);
  g_assert_null (json);
  g_assert_nonnull (strstr (f->error->message, "'hs' must be"));
  g_clear_error (&f->error);

  welcome = sl_message_new (&sl_signalling_to_client, "welcome");
  build_welcome (welcome, TRUE);
  sl_message_set_string (sl_message_set_object (welcome, "device"), "id", "x");
  json = sl_message_to_json (welcome, NULL, &f->error);
  g_assert_null (json);
  g_assert_nonnull (strstr (f->error->message, "'device.name' is required"));
  g_clear_error (&f->error);

  build_welcome (welcome, TRUE);
  sl_message_set_int (welcome, "ring_timeout_ms", 0);
  json = sl_message_to_json (welcome, NULL, &f->error);
  g_assert_null (json);
  g_assert_nonnull (strstr (f->error->message, "'ring_timeout_ms' must be"));
}

static void
test_output_escaping (Fixture * f, gconstpointer data)
{
  g_autoptr (SlMessage) msg = sl_message_new (&sl_signalling_to_client,
      "error");
  g_autoptr (SlMessage) back = NULL;
  g_autofree char *json = NULL;

  sl_message_set_string (msg, "code", "bad-member");
  sl_message_set_string (msg, "message", "quote \" backslash \\ slash /");
  json = sl_message_to_json (msg, NULL, &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpstr (json, ==, "{\"type\":\"error\",\"code\":\"bad-member\","
      "\"message\":\"quote \\\" backslash \\\\ slash /\"}");
  back = sl_protocol_parse (&sl_signalling_to_client, json, strlen (json),
      &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpstr (sl_message_get_string (back, "message"), ==,
      "quote \" backslash \\ slash /");
}

static void
test_check_string (Fixture * f, gconstpointer data)
{
  const SlMemberSpec *id = &sl_signalling_device_id_member;

  g_assert_null (sl_protocol_check_string (id, "goggles-1", 9));
  g_assert_null (sl_protocol_check_string (id, "a", 1));
  g_assert_nonnull (sl_protocol_check_string (id, "", 0));
  g_assert_nonnull (sl_protocol_check_string (id, "-a", 2));
  g_assert_nonnull (sl_protocol_check_string (id, "A", 1));
  g_assert_nonnull (sl_protocol_check_string (id, "a b", 3));
  g_assert_null (sl_protocol_check_string (&sl_signalling_display_name_member,
          "Zo\xc3\xa9", 4));
  g_assert_nonnull (sl_protocol_check_string
      (&sl_signalling_display_name_member, "a\nb", 3));
  g_assert_nonnull (sl_protocol_check_string
      (&sl_signalling_display_name_member, "\xc3", 1));
  g_assert_cmpstr (sl_protocol_error_code_name (SL_PROTOCOL_ERROR_TOO_DEEP),
      ==, "too-deep");
}

static void
test_check_base64 (Fixture * f, gconstpointer data)
{
  static const char bad_chars[] = { '!', '-', '_', '=', ' ', '@', '[', '`',
    '{', '\x80', ':'
  };
  const SlMemberSpec blob = {.name = "blob",.kind = SL_MEMBER_STRING,
    .max_len = 100,.syntax = SL_SYNTAX_BASE64
  };
  char good[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  gsize len = strlen (good);
  gsize i, j;

  g_assert_null (sl_protocol_check_string (&blob, good, len));
  g_assert_null (sl_protocol_check_string (&blob, "AAA=", 4));
  g_assert_null (sl_protocol_check_string (&blob, "AA==", 4));
  g_assert_nonnull (sl_protocol_check_string (&blob, "A===", 4));
  g_assert_nonnull (sl_protocol_check_string (&blob, "AAA", 3));
  /* Every position, in the word-at-a-time part and in the tail. */
  for (i = 0; i < len; i++) {
    for (j = 0; j < G_N_ELEMENTS (bad_chars); j++) {
      char copy[sizeof good];

      if (bad_chars[j] == '=' && i >= len - 2)
        continue;               /* padding is fine there */
      memcpy (copy, good, sizeof good);
      copy[i] = bad_chars[j];
      g_assert_nonnull (sl_protocol_check_string (&blob, copy, len));
    }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/protocol/tables-consistent", test_tables_consistent);
  ADD ("/protocol/parse/invite", test_parse_invite);
  ADD ("/protocol/parse/version-2", test_version_2);
  ADD ("/protocol/parse/escapes", test_escapes);
  ADD ("/protocol/error/malformed", test_malformed);
  ADD ("/protocol/error/too-many-members", test_too_many_members);
  ADD ("/protocol/error/too-large", test_too_large);
  ADD ("/protocol/error/too-deep", test_too_deep);
  ADD ("/protocol/error/unknown-type", test_unknown_type);
  ADD ("/protocol/error/bad-member", test_bad_member);
  ADD ("/protocol/blob-limit", test_blob_limit);
  ADD ("/protocol/nested/round-trip", test_nested_round_trip);
  ADD ("/protocol/nested/errors", test_nested_errors);
  ADD ("/protocol/nested/roster-limit", test_roster_limit);
  ADD ("/protocol/build/refuses", test_builder_refuses);
  ADD ("/protocol/build/escaping", test_output_escaping);
  ADD ("/protocol/check-string", test_check_string);
  ADD ("/protocol/check-base64", test_check_base64);
#undef ADD

  return g_test_run ();
}
