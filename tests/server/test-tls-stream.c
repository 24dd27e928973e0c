/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Units: the server's OpenSSL TLS stream (SlTlsStream) and its epoll
 * poller against a GnuTLS client (glib-networking, as the devices use) on
 * 127.0.0.1: the handshake yields the device identity, data goes both ways
 * in order, a peer that stops reading makes writes wait at a bounded
 * amount and resume when it reads again, and a peer that leaves is seen
 * as the end of the stream.  Against OpenSSL's s_client: the records of
 * every TLS 1.3 suite, KeyUpdate both ways, close_notify, and no session
 * ticket. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "sl-poller.h"
#include "sl-test-server.h"
#include "sl-tls-stream.h"

static SlTestPki *pki;

typedef struct
{
  SlTlsConfig *config;
  SlPoller *poller;
  GSocketService *service;
  guint16 port;
  SlTlsStream *server;          /* accepted, handshake done */
  GError *server_error;
  gboolean server_done;
  GIOStream *client;            /* GTlsClientConnection */
  GError *client_error;
  gboolean client_done;
} Fixture;

static void
server_handshake_cb (SlTlsStream * stream, const GError * error,
    gpointer user_data)
{
  Fixture *f = user_data;

  f->server_done = TRUE;
  if (error)
    f->server_error = g_error_copy (error);
}

static gboolean
incoming_cb (GSocketService * service, GSocketConnection * connection,
    GObject * source, gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_null (f->server);
  f->server = sl_tls_stream_new_server (f->config, connection, &error);
  g_assert_no_error (error);
  sl_tls_stream_handshake (f->server, server_handshake_cb, f);
  sl_poller_add (f->poller, f->server);
  return TRUE;
}

static void
client_handshake_cb (GObject * source, GAsyncResult * result,
    gpointer user_data)
{
  Fixture *f = user_data;

  g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result,
      &f->client_error);
  f->client_done = TRUE;
}

static gboolean
both_done (gpointer user_data)
{
  Fixture *f = user_data;

  return f->server_done && f->client_done;
}

static void
setup_server (Fixture * f, gconstpointer data)
{
  g_autofree char *crt = sl_test_pki_path (pki, "server/server.crt");
  g_autofree char *key = sl_test_pki_path (pki, "server/server.key");
  g_autofree char *ca = sl_test_pki_path (pki, "ca.crt");
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback
      (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  f->config = sl_tls_config_new_server (crt, key, ca, &error);
  g_assert_no_error (error);
  f->poller = sl_poller_new (&error);
  g_assert_no_error (error);
  f->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER
          (f->service), any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
          NULL, &bound, &error));
  g_assert_no_error (error);
  f->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (f->service, "incoming", G_CALLBACK (incoming_cb), f);
}

static void
setup (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketClient) tcp = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GTlsCertificate) device = NULL;
  g_autoptr (GSocketConnectable) identity = NULL;

  setup_server (f, data);

  conn = g_socket_client_connect_to_host (tcp, "127.0.0.1", f->port, NULL,
      &error);
  g_assert_no_error (error);
  identity = g_network_address_new ("127.0.0.1", f->port);
  f->client = g_tls_client_connection_new (G_IO_STREAM (conn), identity,
      &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (f->client),
      sl_test_pki_get_database (pki));
  device = sl_test_pki_load_device (pki, "goggles-1", &error);
  g_assert_no_error (error);
  g_tls_connection_set_certificate (G_TLS_CONNECTION (f->client), device);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (f->client),
      G_PRIORITY_DEFAULT, NULL, client_handshake_cb, f);
  g_assert_true (sl_test_iterate_until (both_done, f, 20000));
  g_assert_no_error (f->client_error);
  g_assert_no_error (f->server_error);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  if (f->client)
    g_io_stream_close (f->client, NULL, NULL);
  g_clear_object (&f->client);
  if (f->server)
    g_io_stream_close (G_IO_STREAM (f->server), NULL, NULL);
  g_clear_object (&f->server);
  g_socket_service_stop (f->service);
  g_socket_listener_close (G_SOCKET_LISTENER (f->service));
  g_clear_object (&f->service);
  g_clear_object (&f->poller);
  g_clear_object (&f->config);
  g_clear_error (&f->client_error);
  g_clear_error (&f->server_error);
}

/* Reads what the server stream has now, appending to @into. */
static gssize
server_drain (Fixture * f, GByteArray * into)
{
  GPollableInputStream *in = G_POLLABLE_INPUT_STREAM
      (g_io_stream_get_input_stream (G_IO_STREAM (f->server)));
  guint8 buf[4096];
  gssize n, total = 0;

  while ((n = g_pollable_input_stream_read_nonblocking (in, buf, sizeof buf,
              NULL, NULL)) > 0) {
    g_byte_array_append (into, buf, (guint) n);
    total += n;
  }
  return n == 0 ? 0 : total;
}

typedef struct
{
  Fixture *f;
  GByteArray *got;
  gsize want;
} Collect;

/* Reads from the client without blocking the main loop, which the server
 * side needs to make progress. */
static gsize
client_read (Fixture * f, guint8 * buf, gsize len)
{
  GPollableInputStream *in = G_POLLABLE_INPUT_STREAM
      (g_io_stream_get_input_stream (f->client));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    g_autoptr (GError) error = NULL;
    gssize n = g_pollable_input_stream_read_nonblocking (in, buf, len, NULL,
        &error);

    if (n > 0)
      return (gsize) n;
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
  g_error ("the client received nothing for 10 s");
  return 0;
}

static gboolean
server_has (gpointer user_data)
{
  Collect *c = user_data;

  server_drain (c->f, c->got);
  return c->got->len >= c->want;
}

static void
test_identity (Fixture * f, gconstpointer data)
{
  g_autoptr (SlPkiIdentity) identity = sl_tls_stream_steal_identity (f->server);

  g_assert_nonnull (identity);
  g_assert_cmpstr (identity->device_id, ==, "goggles-1");
  g_assert_cmpstr (identity->display_name, ==, "Goggles One");
  g_assert_cmpstr (identity->role, ==, "goggles");
  g_assert_cmpuint (g_tls_connection_get_protocol_version (G_TLS_CONNECTION
          (f->client)), ==, G_TLS_PROTOCOL_VERSION_TLS_1_3);
}

static void
test_both_ways (Fixture * f, gconstpointer data)
{
  GOutputStream *client_out = g_io_stream_get_output_stream (f->client);
  GPollableOutputStream *server_out = G_POLLABLE_OUTPUT_STREAM
      (g_io_stream_get_output_stream (G_IO_STREAM (f->server)));
  g_autoptr (GByteArray) got = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  Collect c = { f, got, 0 };
  char expect[64], back[4096];
  gsize done = 0;
  guint i;

  /* Many small writes from the client arrive whole and in order. */
  for (i = 0; i < 200; i++) {
    g_snprintf (expect, sizeof expect, "message %03u;", i);
    g_assert_true (g_output_stream_write_all (client_out, expect,
            strlen (expect), NULL, NULL, &error));
    c.want += strlen (expect);
  }
  g_assert_true (sl_test_iterate_until (server_has, &c, 10000));
  g_assert_cmpuint (got->len, ==, c.want);
  g_assert_cmpint (memcmp (got->data, "message 000;message 001;", 24), ==, 0);
  g_assert_cmpint (memcmp (got->data + got->len - 12, "message 199;", 12),
      ==, 0);

  /* Many small writes from the server are gathered (one flush) and
   * arrive whole and in order too. */
  for (i = 0; i < 200; i++) {
    g_snprintf (expect, sizeof expect, "reply %03u;", i);
    g_assert_cmpint (g_pollable_output_stream_write_nonblocking (server_out,
            expect, strlen (expect), NULL, &error), ==, strlen (expect));
  }
  sl_poller_flush (f->poller);
  while (done < 200 * 10)
    done += client_read (f, (guint8 *) back + done, sizeof back - done);
  g_assert_cmpuint (done, ==, 200 * 10);
  g_assert_cmpint (memcmp (back, "reply 000;", 10), ==, 0);
  g_assert_cmpint (memcmp (back + done - 10, "reply 199;", 10), ==, 0);
}

typedef struct
{
  Fixture *f;
  gboolean writable;
} Writable;

static gboolean
writable_cb (GObject * stream, gpointer user_data)
{
  ((Writable *) user_data)->writable = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_writable (gpointer user_data)
{
  return ((Writable *) user_data)->writable;
}

static void
test_backpressure (Fixture * f, gconstpointer data)
{
  GPollableOutputStream *out = G_POLLABLE_OUTPUT_STREAM
      (g_io_stream_get_output_stream (G_IO_STREAM (f->server)));
  g_autofree guint8 *chunk = g_malloc (65536);
  g_autofree guint8 *buf = g_malloc (65536);
  g_autoptr (GSource) source = NULL;
  Writable w = { f, FALSE };
  gsize accepted = 0, received = 0;
  guint i;

  for (i = 0; i < 65536; i++)
    chunk[i] = (guint8) (i * 7);
  /* The client reads nothing: the server must stop taking writes at some
   * bounded point (the socket buffers plus its high-water mark). */
  for (;;) {
    g_autoptr (GError) error = NULL;
    gssize n = g_pollable_output_stream_write_nonblocking (out, chunk,
        65536, NULL, &error);

    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      break;
    }
    g_assert_cmpint (n, ==, 65536);     /* whole or nothing */
    accepted += (gsize) n;
    g_assert_cmpuint (accepted, <, 64 * 1024 * 1024);
    sl_poller_flush (f->poller);
    g_main_context_iteration (NULL, FALSE);
  }
  g_test_message ("writes waited after %" G_GSIZE_FORMAT " bytes", accepted);
  g_assert_false (g_pollable_output_stream_is_writable (out));
  source = g_pollable_output_stream_create_source (out, NULL);
  g_source_set_callback (source, (GSourceFunc) writable_cb, &w, NULL);
  g_source_attach (source, NULL);

  /* Once the client reads, the stream becomes writable again and every
   * byte it took arrives, intact. */
  while (received < accepted) {
    gsize n = client_read (f, buf, 65536);

    for (i = 0; i < n; i++)
      g_assert_cmpuint (buf[i], ==, (guint8) ((received + i) % 65536 * 7));
    received += n;
  }
  g_assert_cmpuint (received, ==, accepted);
  g_assert_true (sl_test_iterate_until (is_writable, &w, 5000));
  g_source_destroy (source);
}

static gboolean
server_sees_end (gpointer user_data)
{
  Collect *c = user_data;

  return server_drain (c->f, c->got) == 0;
}

static void
test_peer_leaves (Fixture * f, gconstpointer data)
{
  g_autoptr (GByteArray) got = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  Collect c = { f, got, 0 };

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream
          (f->client), "bye", 3, NULL, NULL, &error));
  g_io_stream_close (f->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sl_test_iterate_until (server_sees_end, &c, 10000));
  g_assert_cmpuint (got->len, ==, 3);
  g_assert_cmpint (memcmp (got->data, "bye", 3), ==, 0);
}

static gboolean
server_done (gpointer user_data)
{
  return ((Fixture *) user_data)->server_done;
}

static void
feed_line (GSubprocess * proc, const char *line)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe
          (proc), line, strlen (line), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Waits (running the main loop) until the server has read @want. */
static void
server_expect (Fixture * f, const char *want)
{
  g_autoptr (GByteArray) got = g_byte_array_new ();
  Collect c = { f, got, strlen (want) };

  g_assert_true (sl_test_iterate_until (server_has, &c, 10000));
  g_assert_cmpmem (got->data, got->len, want, strlen (want));
}

typedef struct
{
  const char *path;
  const char *want;
} FileHas;

static gboolean
file_has (gpointer user_data)
{
  FileHas *fh = user_data;
  g_autofree char *text = NULL;

  return g_file_get_contents (fh->path, &text, NULL, NULL) &&
      strstr (text, fh->want) != NULL;
}

/* As sl_test_iterate_until(), for conditions no main-loop event
 * announces (a file another process writes). */
static gboolean
poll_until (SlTestCondition condition, gpointer data, guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (!condition (data)) {
    if (g_get_monotonic_time () > until)
      return FALSE;
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  }
  return TRUE;
}

static void
pause_loop (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* The server's TLS against OpenSSL's client in each TLS 1.3 suite, across
 * KeyUpdates in both directions (requested: the server answers with its
 * own and switches keys) and the peer's close_notify. */
static void
test_openssl_client (Fixture * f, gconstpointer data)
{
  const char *suite = data;
  g_autofree char *ca = sl_test_pki_path (pki, "ca.crt");
  g_autofree char *crt = sl_test_pki_path (pki, "devices/goggles-1.crt");
  g_autofree char *key = sl_test_pki_path (pki, "devices/goggles-1.key");
  g_autofree char *out = sl_test_pki_path (pki, "s_client.out");
  g_autofree char *connect = NULL;
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) rest = g_byte_array_new ();
  GPollableOutputStream *server_out;
  FileHas fh = { out, NULL };
  Collect c = { f, rest, 0 };
  const char *reply;

  setup_server (f, NULL);
  connect = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_subprocess_launcher_set_stdout_file_path (launcher, out);
  g_subprocess_launcher_set_stderr_file_path (launcher, "/dev/null");
  proc = g_subprocess_launcher_spawn (launcher, &error, "openssl", "s_client",
      "-connect", connect, "-tls1_3", "-ciphersuites", suite, "-cert", crt,
      "-key", key, "-CAfile", ca, "-verify_return_error", "-msg", NULL);
  g_assert_no_error (error);
  g_assert_true (sl_test_iterate_until (server_done, f, 20000));
  g_assert_no_error (f->server_error);
  server_out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream
      (G_IO_STREAM (f->server)));

  feed_line (proc, "before\n");
  server_expect (f, "before\n");
  /* s_client takes a line that is just "K" as "send a KeyUpdate and ask
   * for one back", "k" as one without asking. */
  feed_line (proc, "K\n");
  pause_loop (300);
  server_drain (f, rest);       /* reads the KeyUpdate, answers */
  g_assert_cmpuint (rest->len, ==, 0);
  feed_line (proc, "after K\n");
  server_expect (f, "after K\n");
  reply = "sealed with our next keys\n";
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (server_out,
          reply, strlen (reply), NULL, &error), ==, strlen (reply));
  sl_poller_flush (f->poller);
  fh.want = reply;
  g_assert_true (poll_until (file_has, &fh, 10000));

  feed_line (proc, "k\n");
  pause_loop (300);
  feed_line (proc, "after k\n");
  server_expect (f, "after k\n");

  /* Closing its input makes s_client send close_notify: the end. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (proc), NULL, NULL);
  g_assert_true (sl_test_iterate_until (server_sees_end, &c, 10000));
  g_assert_cmpuint (rest->len, ==, 0);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  /* s_client -msg logs what it received (through stdio, so only complete
   * once it has exited): our KeyUpdate, sent in answer to its request. */
  fh.want = "<<< TLS 1.3, Handshake [length 0005], KeyUpdate";
  g_assert_true (file_has (&fh));
  /* No session tickets: nothing can be resumed past a revocation. */
  fh.want = "NewSessionTicket";
  g_assert_false (file_has (&fh));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-1", "Goggles One",
          "goggles", NULL, &error));

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/server/tls-stream/identity", test_identity);
  ADD ("/server/tls-stream/both-ways", test_both_ways);
  ADD ("/server/tls-stream/backpressure", test_backpressure);
  ADD ("/server/tls-stream/peer-leaves", test_peer_leaves);
#undef ADD
  g_test_add ("/server/tls-stream/openssl-client/aes128gcm", Fixture,
      "TLS_AES_128_GCM_SHA256", NULL, test_openssl_client, teardown);
  g_test_add ("/server/tls-stream/openssl-client/aes256gcm", Fixture,
      "TLS_AES_256_GCM_SHA384", NULL, test_openssl_client, teardown);
  g_test_add ("/server/tls-stream/openssl-client/chacha20", Fixture,
      "TLS_CHACHA20_POLY1305_SHA256", NULL, test_openssl_client, teardown);

  ret = g_test_run ();
  g_clear_object (&pki);
  sl_test_settle ();
  return ret;
}
