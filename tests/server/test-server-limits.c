/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Integration tests: bad input of every kind gets its documented error or
 * close code while a second device keeps working; rate limit, connection
 * limit, handshake timeout, and dead devices leaving the roster. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "sl-signalling.h"
#include "sl-test-client.h"

static SlTestPki *pki;

typedef struct
{
  SlTestServer *server;
  SlTestClient *bad;            /* goggles-1 misbehaves */
  SlTestClient *good;           /* expert-1 keeps working */
} Fixture;

static SlTestClient *
join (Fixture * f, const char *id)
{
  g_autoptr (GError) error = NULL;
  SlTestClient *client = sl_test_client_connect (f->server, pki, id, &error);

  g_assert_no_error (error);
  sl_message_unref (sl_test_client_expect (client, "welcome"));
  sl_message_unref (sl_test_client_expect (client, "roster"));
  return client;
}

static void
setup (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->server = sl_test_server_start (pki, data, &error);
  g_assert_no_error (error);
  f->bad = join (f, "goggles-1");
  f->good = join (f, "expert-1");
  sl_message_unref (sl_test_client_expect (f->bad, "presence"));
}

/* No devices joined: the handshake-timeout test runs with a limit too
 * short for sanitizer builds to complete real handshakes in. */
static void
setup_bare (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->server = sl_test_server_start (pki, data, &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  g_clear_object (&f->bad);
  g_clear_object (&f->good);
  /* A clean exit: no leak or memory error in the server either. */
  if (f->server)
    g_assert_true (sl_test_server_check_exit (f->server));
  g_clear_object (&f->server);
}

/* A full round trip for the well-behaved device. */
static void
assert_good_served (Fixture * f)
{
  g_autoptr (SlMessage) err = NULL;

  sl_test_client_send_text (f->good, "{\"type\":\"cancel\",\"call_id\":"
      "\"00000000000000000000000000000000\"}");
  err = sl_test_client_wait_for (f->good, "error", SL_TEST_TIMEOUT_MS);
  g_assert_nonnull (err);
  g_assert_cmpstr (sl_message_get_string (err, "code"), ==, "not-in-call");
  g_assert_true (sl_test_client_is_open (f->good));
}

static void
expect_error_code (SlTestClient * client, const char *code,
    const char *fragment)
{
  g_autoptr (SlMessage) err = sl_test_client_expect (client, "error");

  g_assert_cmpstr (sl_message_get_string (err, "code"), ==, code);
  if (fragment && !strstr (sl_message_get_string (err, "message"), fragment))
    g_error ("'%s' does not mention '%s'", sl_message_get_string (err,
            "message"), fragment);
}

static void
test_bad_json (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const char *text;
    const char *code;
    const char *fragment;
  } cases[] = {
    {"{\"type\":", "malformed-json", "unexpected end"},
    {"not json", "malformed-json", "JSON object"},
    {"[\"status\"]", "malformed-json", "JSON object"},
    {"{\"type\":\"status\",\"status\":\"busy\",\"status\":\"busy\"}",
        "malformed-json", "duplicate"},
    {"{\"type\":\"status\",\"status\":7}", "bad-member",
        "'status' must be a string"},
    {"{\"type\":\"status\",\"status\":\"asleep\"}", "bad-member", "status"},
    {"{\"type\":\"invite\",\"call_id\":42,\"to\":\"x\",\"hs\":\"AAAA\"}",
        "bad-member", "'call_id' must be a string"},
    {"{\"type\":\"relay\",\"call_id\":\"0123456789abcdef0123456789abcdef\","
          "\"blob\":true}", "bad-member", "'blob' must be a string"},
    {"{\"type\":\"relay\",\"call_id\":\"0123456789abcdef0123456789abcdef\","
          "\"blob\":\"@@@@\"}", "bad-member", "'blob' must be non-empty"},
    {"{\"type\":\"invite\"}", "bad-member", "'call_id' is required"},
    {"{\"type\":\"status\",\"status\":\"busy\",\"extra\":1}", "bad-member",
        "'extra'"},
    {"{\"type\":\"launch\"}", "unknown-type", "'launch'"},
    {"{\"type\":\"welcome\"}", "unknown-type", "'welcome'"},
    {"{\"status\":\"busy\"}", "bad-member", "'type' is required"},
    {"{\"type\":null}", "bad-member", "'type' must be a string"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    sl_test_client_send_text (f->bad, cases[i].text);
    expect_error_code (f->bad, cases[i].code, cases[i].fragment);
    g_assert_true (sl_test_client_is_open (f->bad));
  }
  assert_good_served (f);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_errors_sent_total{code=\"malformed-json\"}"), ==, 4);
}

static void
test_deep_nesting (Fixture * f, gconstpointer data)
{
  g_autoptr (GString) doc = g_string_new ("{\"type\":\"status\",\"x\":");
  guint i;

  /* As deep as fits in one message. */
  for (i = 0; i < 45000; i++)
    g_string_append_c (doc, '[');
  for (i = 0; i < 45000; i++)
    g_string_append_c (doc, ']');
  g_string_append_c (doc, '}');
  sl_test_client_send_text (f->bad, doc->str);
  expect_error_code (f->bad, "too-deep", "8 levels");
  g_assert_true (sl_test_client_is_open (f->bad));
  assert_good_served (f);
}

static void
test_huge_frame (Fixture * f, gconstpointer data)
{
  gsize len = 2 * 1024 * 1024;
  g_autofree char *text = g_malloc (len + 1);

  memset (text, 'A', len);
  memcpy (text, "{\"type\":\"relay\",\"blob\":\"", 24);
  text[len - 2] = '"';
  text[len - 1] = '}';
  text[len] = '\0';
  sl_test_client_send_text (f->bad, text);
  g_assert_true (sl_test_client_wait_closed (f->bad, SL_TEST_TIMEOUT_MS));
  g_assert_cmpuint (sl_test_client_get_close_code (f->bad), ==,
      SL_CLOSE_TOO_BIG);
  assert_good_served (f);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_closes_total{code=\"1009\"}"), ==, 1);
}

static void
test_binary_frame (Fixture * f, gconstpointer data)
{
  static const guint8 junk[] = { 0x00, 0xff, 0x10, 0x20 };
  g_autoptr (SlMessage) left = NULL;

  sl_test_client_send_binary (f->bad, junk, sizeof junk);
  g_assert_true (sl_test_client_wait_closed (f->bad, SL_TEST_TIMEOUT_MS));
  g_assert_cmpuint (sl_test_client_get_close_code (f->bad), ==,
      SL_CLOSE_UNSUPPORTED_DATA);
  /* The device's leave is announced like any other. */
  left = sl_test_client_wait_for (f->good, "presence", SL_TEST_TIMEOUT_MS);
  g_assert_nonnull (left);
  g_assert_cmpstr (sl_message_get_string (left, "event"), ==, "leave");
  assert_good_served (f);
}

static guint
count_errors (SlTestClient * client, const char *code)
{
  guint n = 0;
  SlMessage *msg;

  while ((msg = sl_test_client_next (client, 300))) {
    if (g_str_equal (sl_message_get_type_name (msg), "error") &&
        g_str_equal (sl_message_get_string (msg, "code"), code))
      n++;
    sl_message_unref (msg);
  }
  return n;
}

static void
test_rate_limit_overshoot (Fixture * f, gconstpointer data)
{
  guint i;

  /* 30 at once against a burst of 20: some are dropped and answered (at
   * most one error a second), the connection stays. */
  for (i = 0; i < 30; i++)
    sl_test_client_send_text (f->bad, "{\"type\":\"status\",\"status\":"
        "\"available\"}");
  g_assert_cmpuint (count_errors (f->bad, "rate-limited"), ==, 1);
  g_assert_true (sl_test_client_is_open (f->bad));
  assert_good_served (f);
}

static void
test_rate_limit_flood (Fixture * f, gconstpointer data)
{
  guint i;

  for (i = 0; i < 500; i++)
    sl_test_client_send_text (f->bad, "{\"type\":\"status\",\"status\":"
        "\"available\"}");
  g_assert_true (sl_test_client_wait_closed (f->bad, SL_TEST_TIMEOUT_MS));
  g_assert_cmpuint (sl_test_client_get_close_code (f->bad), ==,
      SL_CLOSE_POLICY);
  g_assert_cmpuint (count_errors (f->bad, "rate-limited"), >=, 1);
  assert_good_served (f);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_closes_total{code=\"1008\"}"), ==, 1);
}

static void
test_max_connections (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) third = NULL;

  third = sl_test_client_connect (f->server, pki, "expert-2", &error);
  g_assert_null (third);
  g_assert_nonnull (error);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_refusals_total{reason=\"max-connections\"}"), ==, 1);
  assert_good_served (f);
}

static void
test_handshake_timeout (Fixture * f, gconstpointer data)
{
  g_autoptr (GSocketClient) tcp = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  char buf[16];
  gssize n;
  guint status = 0;
  gint64 start = g_get_monotonic_time ();

  /* Connects and says nothing: dropped after handshake_timeout_ms. */
  conn = g_socket_client_connect_to_host (tcp, "127.0.0.1",
      sl_test_server_get_port (f->server), NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 10);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)),
      buf, sizeof buf, NULL, &error);
  g_assert_cmpint (n, <=, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_refusals_total{reason=\"handshake-timeout\"}"), ==, 1);
  g_free (sl_test_server_http_get (f->server, "/healthz", &status));
  g_assert_cmpuint (status, ==, 200);
}

/* A device whose TCP connection stays up but which stops answering pings:
 * openssl s_client speaks TLS and the upgrade, then nothing. */
static GSubprocess *
start_silent_device (Fixture * f, const char *id, GError ** error)
{
  g_autofree char *connect = g_strdup_printf ("127.0.0.1:%u",
      sl_test_server_get_port (f->server));
  g_autofree char *crt = g_strdup_printf ("%s/devices/%s.crt",
      sl_test_pki_get_dir (pki), id);
  g_autofree char *key = g_strdup_printf ("%s/devices/%s.key",
      sl_test_pki_get_dir (pki), id);
  g_autofree char *ca = sl_test_pki_path (pki, "ca.crt");
  const char *upgrade = "GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n";
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
      error, "timeout", "60", "openssl", "s_client", "-quiet", "-tls1_3",
      "-connect", connect, "-cert", crt, "-key", key, "-CAfile", ca, NULL);
  if (proc && !g_output_stream_write_all (g_subprocess_get_stdin_pipe (proc),
          upgrade, strlen (upgrade), NULL, NULL, error))
    g_clear_object (&proc);
  return proc;
}

static void
test_dead_device_leaves (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) silent = start_silent_device (f, "expert-2", &error);
  g_autoptr (SlMessage) joined = NULL;
  g_autoptr (SlMessage) left = NULL;
  gint64 joined_at;

  g_assert_no_error (error);
  joined = sl_test_client_wait_for (f->good, "presence", SL_TEST_TIMEOUT_MS);
  g_assert_nonnull (joined);
  g_assert_cmpstr (sl_message_get_string (joined, "event"), ==, "join");
  joined_at = g_get_monotonic_time ();

  /* ping_interval 1 s, idle_timeout 2 s: gone within about two pings. */
  left = sl_test_client_wait_for (f->good, "presence", 6000);
  g_assert_nonnull (left);
  g_assert_cmpstr (sl_message_get_string (left, "event"), ==, "leave");
  g_assert_cmpstr (sl_message_get_string (sl_message_get_object (left,
              "device"), "id"), ==, "expert-2");
  g_assert_cmpint (g_get_monotonic_time () - joined_at, <,
      (gint64) 3500 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - joined_at, >,
      (gint64) 1500 * 1000);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_closes_total{code=\"4008\"}"), ==, 1);
  /* Devices that answer pings stay, silent or not. */
  g_assert_true (sl_test_client_is_open (f->bad));
  g_assert_true (sl_test_client_is_open (f->good));
  g_subprocess_force_exit (silent);
  g_subprocess_wait (silent, NULL, NULL);
}

int
main (int argc, char **argv)
{
  static const char *rate_args[] = { "--rate-limit=20", "--rate-burst=20",
    NULL
  };
  static const char *max_args[] = { "--max-connections=2", NULL };
  static const char *handshake_args[] = { "--handshake-timeout-ms=1000",
    NULL
  };
  static const char *ping_args[] = { "--ping-interval=1",
    "--idle-timeout=2", NULL
  };
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-1", "Goggles One",
          "goggles", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expert-1", "Expert One",
          "expert", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expert-2", "Expert Two",
          "expert", NULL, &error));

#define ADD(path, func, args) \
  g_test_add (path, Fixture, args, setup, func, teardown)
  ADD ("/server/limits/bad-json", test_bad_json, NULL);
  ADD ("/server/limits/deep-nesting", test_deep_nesting, NULL);
  ADD ("/server/limits/huge-frame", test_huge_frame, NULL);
  ADD ("/server/limits/binary-frame", test_binary_frame, NULL);
  ADD ("/server/limits/rate-overshoot", test_rate_limit_overshoot, rate_args);
  ADD ("/server/limits/rate-flood", test_rate_limit_flood, rate_args);
  ADD ("/server/limits/max-connections", test_max_connections, max_args);
  g_test_add ("/server/limits/handshake-timeout", Fixture, handshake_args,
      setup_bare, test_handshake_timeout, teardown);
  ADD ("/server/limits/dead-device-leaves", test_dead_device_leaves, ping_args);
#undef ADD

  ret = g_test_run ();
  g_clear_object (&pki);
  sl_test_settle ();
  return ret;
}
