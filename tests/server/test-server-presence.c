/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Integration tests: presence, identity, duplicate login, operation
 * (shutdown, admin endpoints, TURN credentials, visibility).  A real
 * sightline-server per test, certificates from the real sightline-ca. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <string.h>

#include "sl-signalling.h"
#include "sl-test-call.h"

static SlTestPki *pki;

typedef struct
{
  SlTestServer *server;
} Fixture;

static void
setup (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->server = sl_test_server_start (pki, data, &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  /* A clean exit: no leak or memory error in the server either. */
  if (f->server)
    g_assert_true (sl_test_server_check_exit (f->server));
  g_clear_object (&f->server);
}

static SlTestClient *
join (Fixture * f, const char *id, SlMessage ** out_roster)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) welcome = NULL;
  g_autoptr (SlMessage) roster = NULL;
  SlTestClient *client = sl_test_client_connect (f->server, pki, id, &error);

  g_assert_no_error (error);
  welcome = sl_test_client_expect (client, "welcome");
  g_assert_cmpstr (sl_message_get_string (sl_message_get_object (welcome,
              "device"), "id"), ==, id);
  roster = sl_test_client_expect (client, "roster");
  if (out_roster)
    *out_roster = g_steal_pointer (&roster);
  return client;
}

/* The presence event @client receives next must be @event about @id. */
static void
expect_presence (SlTestClient * client, const char *event, const char *id,
    const char *status)
{
  g_autoptr (SlMessage) msg = sl_test_client_expect (client, "presence");
  const SlMessage *device = sl_message_get_object (msg, "device");

  g_assert_cmpstr (sl_message_get_string (msg, "event"), ==, event);
  g_assert_cmpstr (sl_message_get_string (device, "id"), ==, id);
  if (status)
    g_assert_cmpstr (sl_message_get_string (device, "status"), ==, status);
}

static void
test_welcome_and_roster (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) a = NULL;
  g_autoptr (SlTestClient) b = NULL;
  g_autoptr (SlMessage) welcome = NULL;
  g_autoptr (SlMessage) roster = NULL;
  const SlMessage *device;

  a = sl_test_client_connect (f->server, pki, "goggles-1", &error);
  g_assert_no_error (error);
  welcome = sl_test_client_expect (a, "welcome");
  device = sl_message_get_object (welcome, "device");
  /* The identity is the certificate's, word for word. */
  g_assert_cmpstr (sl_message_get_string (device, "id"), ==, "goggles-1");
  g_assert_cmpstr (sl_message_get_string (device, "name"), ==,
      "Goggles \xc3\x9cne");
  g_assert_cmpstr (sl_message_get_string (device, "role"), ==, "goggles");
  g_assert_cmpint (sl_message_get_int (welcome, "ping_interval_ms"), ==, 15000);
  g_assert_cmpint (sl_message_get_int (welcome, "idle_timeout_ms"), ==, 30000);
  g_assert_cmpint (sl_message_get_int (welcome, "max_message_size"), ==,
      SL_SIGNALLING_MAX_CLIENT_MESSAGE);
  g_assert_false (sl_message_has_member (welcome, "turn"));
  roster = sl_test_client_expect (a, "roster");
  g_assert_cmpuint (sl_message_get_array_length (roster, "devices"), ==, 0);
  g_clear_pointer (&roster, sl_message_unref);

  b = join (f, "expert-1", &roster);
  g_assert_cmpuint (sl_message_get_array_length (roster, "devices"), ==, 1);
  g_assert_true (sl_test_roster_has (roster, "goggles-1", "available"));
  expect_presence (a, "join", "expert-1", "available");
  g_assert_cmpint (sl_test_server_metric (f->server, "sightline_connections"),
      ==, 2);
}

static void
test_leave (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f, "goggles-1", NULL);
  g_autoptr (SlTestClient) b = join (f, "expert-1", NULL);
  g_autoptr (SlTestClient) c = NULL;
  g_autoptr (SlMessage) roster = NULL;

  expect_presence (a, "join", "expert-1", NULL);
  sl_test_client_close (b);
  expect_presence (a, "leave", "expert-1", NULL);

  c = join (f, "expert-2", &roster);
  g_assert_false (sl_test_roster_has (roster, "expert-1", NULL));
  g_assert_true (sl_test_roster_has (roster, "goggles-1", NULL));
}

static void
test_status (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f, "goggles-1", NULL);
  g_autoptr (SlTestClient) b = join (f, "expert-1", NULL);
  g_autoptr (SlTestClient) c = NULL;
  g_autoptr (SlMessage) roster = NULL;

  expect_presence (a, "join", "expert-1", NULL);
  sl_test_client_send_text (b, "{\"type\":\"status\",\"status\":\"busy\"}");
  expect_presence (a, "status", "expert-1", "busy");
  /* A newcomer sees the current status. */
  c = join (f, "expert-2", &roster);
  g_assert_true (sl_test_roster_has (roster, "expert-1", "busy"));
  expect_presence (a, "join", "expert-2", "available");
  expect_presence (b, "join", "expert-2", "available");
  /* Repeating the same status announces nothing. */
  sl_test_client_send_text (b, "{\"type\":\"status\",\"status\":\"busy\"}");
  g_assert_true (sl_test_client_quiet_for (a, 300));
  sl_test_client_send_text (b, "{\"type\":\"status\",\"status\":"
      "\"available\"}");
  expect_presence (a, "status", "expert-1", "available");
  expect_presence (c, "status", "expert-1", "available");
}

static void
test_identity_not_from_messages (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f, "goggles-1", NULL);
  g_autoptr (SlTestClient) b = join (f, "expert-1", NULL);
  g_autoptr (SlMessage) err = NULL;

  expect_presence (a, "join", "expert-1", NULL);
  /* There is no member through which a device could name itself. */
  sl_test_client_send_text (b, "{\"type\":\"status\",\"status\":\"busy\","
      "\"device\":{\"id\":\"goggles-9\"}}");
  err = sl_test_client_expect (b, "error");
  g_assert_cmpstr (sl_message_get_string (err, "code"), ==, "bad-member");
  g_assert_nonnull (strstr (sl_message_get_string (err, "message"),
          "'device'"));
  g_assert_true (sl_test_client_quiet_for (a, 300));
}

static void
test_duplicate_login (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a1 = join (f, "goggles-1", NULL);
  g_autoptr (SlTestClient) b = join (f, "expert-1", NULL);
  g_autoptr (SlTestClient) a2 = NULL;
  g_autoptr (SlMessage) replaced = NULL;
  g_autoptr (SlMessage) roster = NULL;

  expect_presence (a1, "join", "expert-1", NULL);
  a2 = join (f, "goggles-1", &roster);
  g_assert_true (sl_test_roster_has (roster, "expert-1", NULL));
  g_assert_false (sl_test_roster_has (roster, "goggles-1", NULL));

  /* The old connection is told why, then closed with 4001. */
  replaced = sl_test_client_expect (a1, "replaced");
  g_assert_true (sl_test_client_wait_closed (a1, SL_TEST_TIMEOUT_MS));
  g_assert_cmpuint (sl_test_client_get_close_code (a1), ==, SL_CLOSE_REPLACED);
  /* Others see the device (re)join, never leave. */
  expect_presence (b, "join", "goggles-1", "available");
  g_assert_true (sl_test_client_quiet_for (b, 300));
  g_assert_true (sl_test_client_is_open (a2));
  g_assert_cmpint (sl_test_server_metric (f->server, "sightline_connections"),
      ==, 2);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_closes_total{code=\"4001\"}"), ==, 1);
}

static void
test_shutdown (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f, "goggles-1", NULL);
  g_autoptr (SlMessage) msg = NULL;
  int status = -1;

  sl_test_server_send_signal (f->server, SIGTERM);
  msg = sl_test_client_expect (a, "shutdown");
  g_assert_cmpstr (sl_message_get_string (msg, "reason"), ==,
      "server-shutdown");
  g_assert_cmpint (sl_message_get_int (msg, "retry_after_ms"), ==, 5000);
  g_assert_true (sl_test_client_wait_closed (a, SL_TEST_TIMEOUT_MS));
  g_assert_cmpuint (sl_test_client_get_close_code (a), ==, SL_CLOSE_SHUTDOWN);
  g_assert_true (sl_test_server_wait_exit (f->server, 10000, &status));
  g_assert_cmpint (status, ==, 0);
}

static void
test_admin_endpoints (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f, "goggles-1", NULL);
  g_autofree char *health = NULL;
  g_autofree char *metrics = NULL;
  g_autofree char *missing = NULL;
  guint status = 0;

  health = sl_test_server_http_get (f->server, "/healthz", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (health, ==, "ok\n");
  metrics = sl_test_server_http_get (f->server, "/metrics", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (metrics, "# TYPE sightline_connections gauge\n"
          "sightline_connections 1\n"));
  g_assert_nonnull (strstr (metrics, "sightline_connections_accepted_total 1"));
  g_assert_nonnull (strstr (metrics, "process_resident_memory_bytes "));
  missing = sl_test_server_http_get (f->server, "/nope", &status);
  g_assert_cmpuint (status, ==, 404);
}

static char *
expected_credential (const char *secret, const char *username)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1,
      (const guchar *) secret, strlen (secret));
  guint8 digest[20];
  gsize len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) username, -1);
  g_hmac_get_digest (hmac, digest, &len);
  return g_base64_encode (digest, len);
}

static void
check_turn (const SlMessage * turn, const char *id, gint64 ttl)
{
  const char *username = sl_message_get_string (turn, "username");
  g_autofree char *expected = expected_credential ("s3cret-for-tests",
      username);
  g_autofree char *suffix = g_strconcat (":", id, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 expiry = g_ascii_strtoll (username, NULL, 10);

  g_assert_true (g_str_has_suffix (username, suffix));
  g_assert_cmpint (expiry, >=, now + ttl - 5);
  g_assert_cmpint (expiry, <=, now + ttl + 5);
  g_assert_cmpstr (sl_message_get_string (turn, "credential"), ==, expected);
  g_assert_cmpint (sl_message_get_int (turn, "ttl"), ==, ttl);
  g_assert_cmpuint (sl_message_get_array_length (turn, "urls"), ==, 2);
  g_assert_cmpstr (sl_message_get_array_string (turn, "urls", 0), ==,
      "turn:127.0.0.1:3478");
}

static void
test_turn_credentials (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) a = NULL;
  g_autoptr (SlMessage) welcome = NULL;
  g_autoptr (SlMessage) fresh = NULL;

  a = sl_test_client_connect (f->server, pki, "expert-1", &error);
  g_assert_no_error (error);
  welcome = sl_test_client_expect (a, "welcome");
  check_turn (sl_message_get_object (welcome, "turn"), "expert-1", 600);
  g_clear_pointer (&welcome, sl_message_unref);
  welcome = sl_test_client_expect (a, "roster");

  sl_test_client_send_text (a, "{\"type\":\"turn-credentials\"}");
  fresh = sl_test_client_expect (a, "turn-credentials");
  check_turn (fresh, "expert-1", 600);
}

static void
test_turn_unavailable (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f, "expert-1", NULL);
  g_autoptr (SlMessage) err = NULL;

  sl_test_client_send_text (a, "{\"type\":\"turn-credentials\"}");
  err = sl_test_client_expect (a, "error");
  g_assert_cmpstr (sl_message_get_string (err, "code"), ==, "turn-unavailable");
}

static void
test_visibility (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) g1 = join (f, "goggles-1", NULL);
  g_autoptr (SlTestClient) e1 = NULL;
  g_autoptr (SlTestClient) g2 = NULL;
  g_autoptr (SlMessage) roster = NULL;

  /* Goggles see only experts; experts see everyone. */
  e1 = join (f, "expert-1", &roster);
  g_assert_true (sl_test_roster_has (roster, "goggles-1", NULL));
  expect_presence (g1, "join", "expert-1", NULL);
  g_clear_pointer (&roster, sl_message_unref);

  g2 = join (f, "goggles-2", &roster);
  g_assert_true (sl_test_roster_has (roster, "expert-1", NULL));
  g_assert_false (sl_test_roster_has (roster, "goggles-1", NULL));
  expect_presence (e1, "join", "goggles-2", NULL);
  g_assert_true (sl_test_client_quiet_for (g1, 300));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *secret_arg = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-1",
          "Goggles \xc3\x9cne", "goggles", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-2", "Goggles Two",
          "goggles", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expert-1", "Expert One",
          "expert", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expert-2", "Expert Two",
          "expert", NULL, &error));
  g_assert_no_error (error);

  secret_path = sl_test_pki_path (pki, "turn.secret");
  g_assert_true (g_file_set_contents (secret_path, "s3cret-for-tests\n", -1,
          NULL));
  secret_arg = g_strconcat ("--turn-secret-file=", secret_path, NULL);
  {
    const char *turn_args[] = { "--turn-url=turn:127.0.0.1:3478",
      "--turn-url=turns:127.0.0.1:5349", secret_arg, "--turn-ttl=600", NULL
    };
    static const char *visibility_args[] = { "--visibility=goggles=expert",
      NULL
    };

#define ADD(path, func, args) \
    g_test_add (path, Fixture, args, setup, func, teardown)
    ADD ("/server/presence/welcome-and-roster", test_welcome_and_roster, NULL);
    ADD ("/server/presence/leave", test_leave, NULL);
    ADD ("/server/presence/status", test_status, NULL);
    ADD ("/server/presence/identity-from-certificate",
        test_identity_not_from_messages, NULL);
    ADD ("/server/presence/duplicate-login", test_duplicate_login, NULL);
    ADD ("/server/presence/visibility", test_visibility, visibility_args);
    ADD ("/server/operation/shutdown", test_shutdown, NULL);
    ADD ("/server/operation/admin-endpoints", test_admin_endpoints, NULL);
    ADD ("/server/operation/turn-credentials", test_turn_credentials,
        turn_args);
    ADD ("/server/operation/turn-unavailable", test_turn_unavailable, NULL);
#undef ADD
    ret = g_test_run ();
  }
  g_clear_object (&pki);
  sl_test_settle ();
  return ret;
}
