/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Integration tests: mutual TLS 1.3.  No client certificate, one from a
 * foreign CA, a revoked one, an expired one, a server certificate posing
 * as a device, and a TLS 1.2 client are all refused before any
 * application message; revoking a connected device disconnects it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sl-signalling.h"
#include "sl-test-client.h"

static SlTestPki *pki;
static SlTestPki *foreign;

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

static void
expect_refused (Fixture * f, GTlsCertificate * cert, GTlsDatabase * db,
    const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) client = NULL;
  g_autofree char *series = g_strdup_printf
      ("sightline_refusals_total{reason=\"%s\"}", reason);

  client = sl_test_client_connect_with (f->server, cert, db, &error);
  g_assert_null (client);
  g_assert_nonnull (error);
  g_test_message ("refused as expected: %s", error->message);
  g_assert_cmpint (sl_test_server_metric (f->server, series), ==, 1);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_connections_accepted_total"), ==, 0);
}

static void
test_valid_device_accepted (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) client = NULL;

  /* The control case: the same path succeeds with a good certificate. */
  client = sl_test_client_connect (f->server, pki, "goggles-1", &error);
  g_assert_no_error (error);
  sl_message_unref (sl_test_client_expect (client, "welcome"));
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_connections_accepted_total"), ==, 1);
}

static void
test_no_certificate (Fixture * f, gconstpointer data)
{
  expect_refused (f, NULL, sl_test_pki_get_database (pki), "no-certificate");
}

static void
test_foreign_ca (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) cert = sl_test_pki_load_device (foreign,
      "goggles-1", &error);

  g_assert_no_error (error);
  /* Same device id, right role, wrong CA. */
  expect_refused (f, cert, sl_test_pki_get_database (pki), "unknown-ca");
}

static void
test_revoked (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) cert = sl_test_pki_load_device (pki,
      "revoked-1", &error);

  g_assert_no_error (error);
  expect_refused (f, cert, sl_test_pki_get_database (pki), "revoked");
}

static void
test_expired (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) cert = sl_test_pki_load_device (pki,
      "expired-1", &error);

  g_assert_no_error (error);
  expect_refused (f, cert, sl_test_pki_get_database (pki), "expired");
}

static void
test_server_cert_as_device (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *crt = sl_test_pki_path (pki, "server/server.crt");
  g_autofree char *key = sl_test_pki_path (pki, "server/server.key");
  g_autoptr (GTlsCertificate) cert = g_tls_certificate_new_from_files (crt,
      key, &error);

  g_assert_no_error (error);
  /* Issued by the right CA, but for serverAuth and with no device
   * subject: the identity check refuses it during the handshake. */
  expect_refused (f, cert, sl_test_pki_get_database (pki), "not-device");
}

/* Runs openssl s_client with a valid device certificate and the WebSocket
 * upgrade request; returns what the server answered.  @chain: (nullable)
 * more certificates for s_client to send after the device's. */
static char *
s_client (Fixture * f, const char *version_flag, const char *chain)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *connect = g_strdup_printf ("127.0.0.1:%u",
      sl_test_server_get_port (f->server));
  g_autofree char *crt = sl_test_pki_path (pki, "devices/goggles-1.crt");
  g_autofree char *key = sl_test_pki_path (pki, "devices/goggles-1.key");
  g_autofree char *ca = sl_test_pki_path (pki, "ca.crt");
  const char *upgrade = "GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n";
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autofree char *request = NULL;
  g_autoptr (GBytes) out = NULL;
  char *text = NULL;
  gsize len;
  int fd;

  /* The request comes from a file, not a pipe: a server that refuses at
   * once makes s_client exit before it reads, and writing to its pipe
   * would then fail the test for the wrong reason. */
  fd = g_file_open_tmp ("sl-upgrade-XXXXXX", &request, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (request, upgrade, -1, &error));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
      G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdin_file_path (launcher, request);
  proc = g_subprocess_launcher_spawn (launcher, &error, "timeout", "5",
      "openssl", "s_client", "-ign_eof", version_flag, "-connect", connect,
      "-cert", crt, "-key", key, "-CAfile", ca, chain ? "-cert_chain" : NULL,
      chain, NULL);
  g_assert_no_error (error);
  /* s_client exits when the server closes; -ign_eof keeps it reading
   * after our request so that the answer is captured. */
  g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_unlink (request);
  text = g_strndup (g_bytes_get_data (out, &len), g_bytes_get_size (out));
  return text;
}

static void
test_tls12_refused (Fixture * f, gconstpointer data)
{
  g_autofree char *tls13 = NULL;
  g_autofree char *tls12 = NULL;

  /* Control: the same client over TLS 1.3 gets the upgrade... */
  tls13 = s_client (f, "-tls1_3", NULL);
  g_assert_nonnull (strstr (tls13, "HTTP/1.1 101"));
  /* ...over TLS 1.2 it gets no application byte at all. */
  tls12 = s_client (f, "-tls1_2", NULL);
  g_assert_null (strstr (tls12, "HTTP/1.1"));
  g_assert_null (strstr (tls12, "welcome"));
  /* ...and is counted as what it is. */
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_refusals_total{reason=\"tls-version\"}"), ==, 1);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_refusals_total{reason=\"handshake-failed\"}"), <=, 0);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_connections_accepted_total"), ==, 1);
}

static void
test_oversized_certificate (Fixture * f, gconstpointer data)
{
  g_autofree char *ca = sl_test_pki_path (pki, "ca.crt");
  g_autofree char *chain = sl_test_pki_path (pki, "big-chain.pem");
  g_autofree char *pem = NULL;
  g_autoptr (GString) many = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *big = NULL;
  guint i;

  /* Control: the device alone gets its upgrade. */
  normal = s_client (f, "-tls1_3", NULL);
  g_assert_nonnull (strstr (normal, "HTTP/1.1 101"));
  /* The same device sending a Certificate message of more than 16 KiB
   * (its certificate followed by forty copies of the CA's) is refused
   * before the server buffers or checks it. */
  g_assert_true (g_file_get_contents (ca, &pem, NULL, &error));
  for (i = 0; i < 40; i++)
    g_string_append (many, pem);
  g_assert_true (g_file_set_contents (chain, many->str, -1, &error));
  big = s_client (f, "-tls1_3", chain);
  g_assert_null (strstr (big, "HTTP/1.1"));
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_refusals_total{reason=\"handshake-failed\"}"), ==, 1);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_connections_accepted_total"), ==, 1);
}

static gboolean
not_tls_counted (gpointer user_data)
{
  return sl_test_server_metric (user_data,
      "sightline_refusals_total{reason=\"not-tls\"}") == 1;
}

static void
test_plain_http_refused (Fixture * f, gconstpointer data)
{
  g_autoptr (GSocketClient) tcp = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  const char *request = "GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  char buf[256];
  gssize n;

  /* Cleartext HTTP on the device port: no HTTP answer, counted apart. */
  conn = g_socket_client_connect_to_host (tcp, "127.0.0.1",
      sl_test_server_get_port (f->server), NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 10);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream
          (G_IO_STREAM (conn)), request, strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)),
      buf, sizeof buf - 1, NULL, NULL);
  if (n > 0) {
    buf[n] = '\0';
    g_assert_null (g_strstr_len (buf, n, "HTTP/"));
  }
  g_assert_true (sl_test_iterate_until (not_tls_counted, f->server, 5000));
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_connections_accepted_total"), ==, 0);
}

static void
test_revocation_disconnects (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) victim = NULL;
  g_autoptr (SlTestClient) other = NULL;
  g_autoptr (SlMessage) left = NULL;
  g_autoptr (GTlsCertificate) cert = NULL;
  g_autoptr (SlTestClient) again = NULL;

  victim = sl_test_client_connect (f->server, pki, "doomed-1", &error);
  g_assert_no_error (error);
  sl_message_unref (sl_test_client_expect (victim, "welcome"));
  other = sl_test_client_connect (f->server, pki, "goggles-1", &error);
  g_assert_no_error (error);
  sl_message_unref (sl_test_client_expect (other, "welcome"));

  /* The operator revokes; the server sees crl.pem change. */
  g_assert_true (sl_test_pki_revoke (pki, "doomed-1", &error));
  g_assert_true (sl_test_client_wait_closed (victim, SL_TEST_TIMEOUT_MS));
  g_assert_cmpuint (sl_test_client_get_close_code (victim), ==,
      SL_CLOSE_REVOKED);
  left = sl_test_client_wait_for (other, "presence", SL_TEST_TIMEOUT_MS);
  g_assert_nonnull (left);
  g_assert_cmpstr (sl_message_get_string (left, "event"), ==, "leave");

  /* And it cannot come back. */
  cert = sl_test_pki_load_device (pki, "doomed-1", &error);
  g_assert_no_error (error);
  again = sl_test_client_connect_with (f->server, cert,
      sl_test_pki_get_database (pki), &error);
  g_assert_null (again);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_refusals_total{reason=\"revoked\"}"), >=, 1);
}

static gboolean
log_contains (gpointer user_data)
{
  gpointer *args = user_data;
  g_autofree char *log = sl_test_server_read_log (args[0]);

  return log && strstr (log, args[1]) != NULL;
}

static void
test_sighup_reloads (Fixture * f, gconstpointer data)
{
  gpointer args[] = { f->server, (gpointer) "revocation list reloaded" };

  g_assert_false (log_contains (args));
  sl_test_server_send_signal (f->server, SIGHUP);
  g_assert_true (sl_test_iterate_until (log_contains, args, 5000));
  /* The server is still serving. */
  test_valid_device_accepted (f, data);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *expired_args[] = { "--not-before", "2020-01-01T00:00:00Z",
    "--not-after", "2020-01-02T00:00:00Z", NULL
  };
  int ret;

  g_test_init (&argc, &argv, NULL);

  pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
  foreign = sl_test_pki_new (&error);
  g_assert_no_error (error);
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-1", "Goggles One",
          "goggles", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "revoked-1", "Revoked",
          "goggles", NULL, &error));
  g_assert_true (sl_test_pki_revoke (pki, "revoked-1", &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expired-1", "Expired",
          "expert", expired_args, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "doomed-1", "Doomed",
          "expert", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (foreign, "goggles-1",
          "Goggles One", "goggles", NULL, &error));

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/server/tls/valid-device-accepted", test_valid_device_accepted);
  ADD ("/server/tls/no-certificate", test_no_certificate);
  ADD ("/server/tls/foreign-ca", test_foreign_ca);
  ADD ("/server/tls/revoked", test_revoked);
  ADD ("/server/tls/oversized-certificate", test_oversized_certificate);
  ADD ("/server/tls/expired", test_expired);
  ADD ("/server/tls/server-certificate-as-device", test_server_cert_as_device);
  ADD ("/server/tls/tls12-refused", test_tls12_refused);
  ADD ("/server/tls/plain-http-refused", test_plain_http_refused);
  ADD ("/server/tls/revocation-disconnects", test_revocation_disconnects);
  ADD ("/server/tls/sighup-reloads", test_sighup_reloads);
#undef ADD

  ret = g_test_run ();
  g_clear_object (&pki);
  g_clear_object (&foreign);
  sl_test_settle ();
  return ret;
}
