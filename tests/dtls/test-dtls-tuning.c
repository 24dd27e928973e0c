/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The DTLS tuning (src/core/crypto/sl-dtls-tuning.c), by what can be
 * observed: the retransmission schedule OpenSSL reports, the datagrams
 * GStreamer's dtlsenc puts on the wire, TLS objects left alone, and the
 * parts switched off for a GStreamer that sets the MTU itself.
 */

#include "config.h"

#include <gst/gst.h>
#include <openssl/ssl.h>

#include "sightline/sl-dtls-guard.h"
#include "sl-dtls-pair.h"
#include "sl-dtls-tuning-private.h"

#define HANDSHAKE_DEADLINE_S 20
/* GStreamer 1.22 alone sends nothing larger than this (256-byte MTU plus
 * record overhead; 278 bytes seen), the tuning's flights fill 1200. */
#define STOCK_DATAGRAM_MAX 400

/* --- OpenSSL-level facts --------------------------------------------- */

static guint
timeout_ms (SSL * ssl)
{
  struct timeval tv;

  g_assert_true (DTLSv1_get_timeout (ssl, &tv));
  return (tv.tv_sec * 1000000 + tv.tv_usec + 999) / 1000;
}

/* A DTLS client made through SSL_new, its ClientHello sent into a memory
 * BIO, waiting for an answer that never comes. */
static SSL *
dtls_client_waiting (SSL_CTX * ctx)
{
  SSL *ssl = SSL_new (ctx);

  g_assert_nonnull (ssl);
  SSL_set_bio (ssl, BIO_new (BIO_s_mem ()), BIO_new (BIO_s_mem ()));
  SSL_set_connect_state (ssl);
  g_assert_cmpint (SSL_do_handshake (ssl), ==, -1);
  g_assert_cmpint (SSL_get_error (ssl, -1), ==, SSL_ERROR_WANT_READ);
  return ssl;
}

static void
test_version_rule (void)
{
  const SlDtlsTuningParts both = SL_DTLS_TUNING_MTU | SL_DTLS_TUNING_TIMER;

  g_assert_cmpint (sl_dtls_tuning_parts_for (1, 22, 0), ==, both);
  g_assert_cmpint (sl_dtls_tuning_parts_for (1, 24, 12), ==, both);
  g_assert_cmpint (sl_dtls_tuning_parts_for (1, 26, 2), ==, both);
  g_assert_cmpint (sl_dtls_tuning_parts_for (1, 26, 7), ==, both);
  g_assert_cmpint (sl_dtls_tuning_parts_for (1, 27, 1), ==, both);
  /* GStreamer answers the MTU query with 1200 from these on. */
  g_assert_cmpint (sl_dtls_tuning_parts_for (1, 26, 8), ==,
      SL_DTLS_TUNING_TIMER);
  g_assert_cmpint (sl_dtls_tuning_parts_for (1, 28, 0), ==,
      SL_DTLS_TUNING_TIMER);
  g_assert_cmpint (sl_dtls_tuning_parts_for (1, 30, 1), ==,
      SL_DTLS_TUNING_TIMER);
  g_assert_cmpint (sl_dtls_tuning_parts_for (2, 0, 0), ==,
      SL_DTLS_TUNING_TIMER);
}

/* The server's TLS (and anything else using OpenSSL's TLS) goes through
 * the same SSL_new: such objects must come out exactly as OpenSSL makes
 * them. */
static void
test_tls_untouched (void)
{
  const SSL_METHOD *methods[] =
      { TLS_method (), TLS_server_method (), TLS_client_method () };
  guint tuned = sl_dtls_tuning_get_tuned ();
  SSL_CTX *dtls_ctx;
  SSL *dtls;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (methods); i++) {
    SSL_CTX *ctx = SSL_CTX_new (methods[i]);
    SSL *ssl = SSL_new (ctx);

    g_assert_nonnull (ssl);
    g_assert_false (SSL_is_dtls (ssl));
    g_assert_cmphex (SSL_get_options (ssl), ==, SSL_CTX_get_options (ctx));
    SSL_free (ssl);
    SSL_CTX_free (ctx);
  }
  g_assert_cmpuint (sl_dtls_tuning_get_tuned (), ==, tuned);

  /* The same call does tune a DTLS object. */
  dtls_ctx = SSL_CTX_new (DTLS_method ());
  dtls = SSL_new (dtls_ctx);
  g_assert_true (SSL_get_options (dtls) & SSL_OP_NO_QUERY_MTU);
  g_assert_cmpuint (sl_dtls_tuning_get_tuned (), ==, tuned + 1);
  SSL_free (dtls);
  SSL_CTX_free (dtls_ctx);
}

/* 150 ms, then doubling to 1.2 s, instead of OpenSSL's 1, 2, 4 ... s. */
static void
test_timer_schedule (void)
{
  const guint expected[] = { 150, 300, 600, 1200, 1200 };
  SSL_CTX *ctx = SSL_CTX_new (DTLS_client_method ());
  SSL *ssl = dtls_client_waiting (ctx);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (expected); i++) {
    guint ms = timeout_ms (ssl);

    g_test_message ("retransmission %u after %u ms", i + 1, ms);
    /* Measured just after the timer was set: a few µs have gone. */
    g_assert_cmpuint (ms, <=, expected[i]);
    g_assert_cmpuint (ms, >, expected[i] - 20);
    if (i + 1 == G_N_ELEMENTS (expected))
      break;
    g_usleep ((ms + 5) * 1000);
    g_assert_cmpint (DTLSv1_handle_timeout (ssl), ==, 1);
  }
  SSL_free (ssl);
  SSL_CTX_free (ctx);
}

/* --- On the wire: GStreamer's dtlsenc/dtlsdec ----------------------- */

/* What each side's dtlsenc sent, with the first datagrams of the client
 * dropped on request. */
typedef struct
{
  SlDtlsPair *pair;
  GMutex lock;
  GArray *sizes[2];
  GArray *times[2];
  /* What follows each datagram's 13-byte record header. */
  GPtrArray *sent[2];
  guint drop_first;
} Pair;

static GstPadProbeReturn
on_datagram (Pair * pair, guint side, GstPadProbeInfo * info)
{
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint size = gst_buffer_get_size (buffer);
  gint64 now = g_get_monotonic_time ();
  gsize body_size = size > 13 ? size - 13 : 0;
  guint8 *body = g_malloc (body_size);
  gboolean drop;

  gst_buffer_extract (buffer, 13, body, body_size);
  g_mutex_lock (&pair->lock);
  g_array_append_val (pair->sizes[side], size);
  g_array_append_val (pair->times[side], now);
  g_ptr_array_add (pair->sent[side], g_bytes_new_take (body, body_size));
  drop = side == 0 && pair->sizes[side]->len <= pair->drop_first;
  g_mutex_unlock (&pair->lock);
  return drop ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_client_datagram (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  return on_datagram (data, 0, info);
}

static GstPadProbeReturn
on_server_datagram (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  return on_datagram (data, 1, info);
}

/* A handshake started, the client's first DROP_FIRST datagrams lost. */
static Pair *
pair_new (guint drop_first)
{
  Pair *pair = g_new0 (Pair, 1);
  guint i;

  g_mutex_init (&pair->lock);
  pair->drop_first = drop_first;
  for (i = 0; i < 2; i++) {
    pair->sizes[i] = g_array_new (FALSE, FALSE, sizeof (guint));
    pair->times[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
    pair->sent[i] = g_ptr_array_new_with_free_func ((GDestroyNotify)
        g_bytes_unref);
  }
  pair->pair = sl_dtls_pair_new ();
  sl_dtls_pair_add_probe (pair->pair, 0, SL_DTLS_PAIR_SENT,
      on_client_datagram, pair);
  sl_dtls_pair_add_probe (pair->pair, 1, SL_DTLS_PAIR_SENT,
      on_server_datagram, pair);
  sl_dtls_pair_start (pair->pair);
  return pair;
}

static void
pair_wait_connected (Pair * pair)
{
  gint64 deadline = g_get_monotonic_time () +
      HANDSHAKE_DEADLINE_S * G_USEC_PER_SEC;

  if (!sl_dtls_pair_wait (pair->pair, deadline))
    g_error ("the DTLS handshake did not complete within %d s",
        HANDSHAKE_DEADLINE_S);
}

static guint
pair_max_datagram (Pair * pair, guint side)
{
  guint i, max = 0;

  for (i = 0; i < pair->sizes[side]->len; i++)
    max = MAX (max, g_array_index (pair->sizes[side], guint, i));
  return max;
}

/* How long the client waited before sending its first datagram (the
 * ClientHello, or its first fragment), dropped, again: the first later
 * datagram with the same handshake fragment (record header aside: its
 * sequence number changes). */
static guint
pair_first_resend_ms (Pair * pair)
{
  GArray *t = pair->times[0];
  GBytes *first = g_ptr_array_index (pair->sent[0], 0);
  guint i;

  for (i = 1; i < pair->sent[0]->len; i++)
    if (g_bytes_equal (first, g_ptr_array_index (pair->sent[0], i)))
      return (g_array_index (t, gint64, i) - g_array_index (t, gint64, 0))
          / 1000;
  g_error ("the client never sent its first datagram again");
}

static void
pair_free (Pair * pair)
{
  guint i;

  sl_dtls_pair_free (pair->pair);
  for (i = 0; i < 2; i++) {
    g_array_unref (pair->sizes[i]);
    g_array_unref (pair->times[i]);
    g_ptr_array_unref (pair->sent[i]);
  }
  g_mutex_clear (&pair->lock);
  g_free (pair);
}

static void
install_for_running_gstreamer (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sl_dtls_tuning_install (&error));
  g_assert_no_error (error);
}

/* Datagrams of up to 1200 bytes: the server's first flight (certificate,
 * key exchange, certificate request) fills them. */
static void
test_wire_mtu (void)
{
  Pair *pair;
  guint side, max;

  install_for_running_gstreamer ();
  pair = pair_new (0);
  pair_wait_connected (pair);
  for (side = 0; side < 2; side++) {
    max = pair_max_datagram (pair, side);
    g_test_message ("side %u: %u datagrams, largest %u bytes", side,
        pair->sizes[side]->len, max);
    g_assert_cmpuint (max, <=, SL_DTLS_TUNING_MTU_BYTES);
  }
  g_assert_cmpuint (pair_max_datagram (pair, 1), >, STOCK_DATAGRAM_MAX);
  pair_free (pair);
}

/* A lost ClientHello is sent again after ~150 ms, not 1 s. */
static void
test_wire_first_flight_resent (void)
{
  Pair *pair;
  guint ms;

  install_for_running_gstreamer ();
  pair = pair_new (1);
  pair_wait_connected (pair);
  ms = pair_first_resend_ms (pair);
  g_test_message ("the dropped ClientHello was sent again after %u ms", ms);
  g_assert_cmpuint (ms, <=, 300);
  pair_free (pair);
}

/* For a GStreamer that sets the MTU itself the MTU part stays off (and
 * GStreamer 1.22's own 256-byte datagrams show); the timer stays on. */
static void
test_switch_off (void)
{
  g_autoptr (GError) error = NULL;
  SSL_CTX *ctx = SSL_CTX_new (DTLS_method ());
  SSL *ssl;
  Pair *pair;
  guint ms;

  g_assert_true (sl_dtls_tuning_install_for (1, 28, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_dtls_tuning_get_parts (), ==, SL_DTLS_TUNING_TIMER);
  ssl = SSL_new (ctx);
  g_assert_cmphex (SSL_get_options (ssl), ==, SSL_CTX_get_options (ctx));
  SSL_free (ssl);
  SSL_CTX_free (ctx);

  pair = pair_new (1);
  pair_wait_connected (pair);
  ms = pair_first_resend_ms (pair);
  g_test_message ("largest datagrams %u/%u bytes; ClientHello again after "
      "%u ms", pair_max_datagram (pair, 0), pair_max_datagram (pair, 1), ms);
  g_assert_cmpuint (pair_max_datagram (pair, 0), <=, STOCK_DATAGRAM_MAX);
  g_assert_cmpuint (pair_max_datagram (pair, 1), <=, STOCK_DATAGRAM_MAX);
  g_assert_cmpuint (ms, <=, 300);
  pair_free (pair);

  g_assert_true (sl_dtls_tuning_install_for (1, 26, 8, &error));
  g_assert_cmpint (sl_dtls_tuning_get_parts (), ==, SL_DTLS_TUNING_TIMER);
  g_assert_true (sl_dtls_tuning_install_for (1, 26, 7, &error));
  g_assert_cmpint (sl_dtls_tuning_get_parts (), ==,
      SL_DTLS_TUNING_MTU | SL_DTLS_TUNING_TIMER);
}

/* A plugin with its own copy of the tuning, loaded into a program that
 * has one (the sightline command loading Sightline's plugin): the
 * program's SSL_new comes first, and the plugin's install configures it
 * rather than failing (a failure would warn, fatally in a GTest). */
static void
test_plugin_in_program (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstPlugin) plugin = NULL;

  sl_dtls_tuning_set_parts (SL_DTLS_TUNING_NONE);
  plugin = gst_plugin_load_file (SL_TUNE_TEST_PLUGIN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sl_dtls_tuning_get_parts (), ==,
      SL_DTLS_TUNING_MTU | SL_DTLS_TUNING_TIMER);
}

int
main (int argc, char **argv)
{
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  /* dtlsdec's connections die on the clock thread otherwise (see
   * tests/call/test-dtls-teardown.c). */
  sl_dtls_guard_install ();
  install_for_running_gstreamer ();

  g_test_add_func ("/dtls-tuning/version-rule", test_version_rule);
  g_test_add_func ("/dtls-tuning/tls-untouched", test_tls_untouched);
  g_test_add_func ("/dtls-tuning/timer-schedule", test_timer_schedule);
  g_test_add_func ("/dtls-tuning/wire-mtu", test_wire_mtu);
  g_test_add_func ("/dtls-tuning/wire-first-flight-resent",
      test_wire_first_flight_resent);
  g_test_add_func ("/dtls-tuning/switch-off", test_switch_off);
  g_test_add_func ("/dtls-tuning/plugin-in-program", test_plugin_in_program);
  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
