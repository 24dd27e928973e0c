/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Integration tests: the server's TLS records and its fairness, against a
 * device that crafts its own records (sl-test-raw-tls.c).
 *
 * - A record with a flipped tag byte ends the connection with a
 *   bad_record_mac alert and delivers nothing; an oversized record gets
 *   record_overflow (RFC 8446 sections 5.2 and 6.2).
 * - A KeyUpdate split across two records is accepted (RFC 8446 allows it).
 * - A device flooding empty records and KeyUpdates does not delay another
 *   device's round trip by more than 50 ms, and is disconnected when the
 *   rate limit is on.
 * - Silent TCP connections held at the pending-handshake limits do not
 *   keep a device with a valid certificate out. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sl-signalling.h"
#include "sl-test-client.h"
#include "sl-test-raw-tls.h"

#define MAX_DELAY_MS 50
#define FLOOD_SECONDS 5

/* The 50 ms and 1 s bounds are the product's: built with AddressSanitizer
 * the server and the test's TLS spend several times the CPU (a plain login
 * takes seconds on a busy machine), so there the timed tests report their
 * figures and check everything else. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

static SlTestPki *pki;

typedef struct
{
  SlTestServer *server;
  SlTestClient *observer;       /* expert-1, sees presence */
  gint64 observer_login_us;
} Fixture;

static void
setup (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  gint64 start;

  f->server = sl_test_server_start (pki, data, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  f->observer = sl_test_client_connect (f->server, pki, "expert-1", &error);
  g_assert_no_error (error);
  sl_message_unref (sl_test_client_expect (f->observer, "welcome"));
  f->observer_login_us = g_get_monotonic_time () - start;
  sl_message_unref (sl_test_client_expect (f->observer, "roster"));
}

static void
teardown (Fixture * f, gconstpointer data)
{
  g_clear_object (&f->observer);
  if (f->server)
    g_assert_true (sl_test_server_check_exit (f->server));
  g_clear_object (&f->server);
}

/* A raw device that is online; the observer has seen it join. */
static SlTestRawTls *
join_raw (Fixture * f, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) joined = NULL;
  SlTestRawTls *raw = sl_test_raw_tls_connect (f->server, pki, id, &error);

  g_assert_no_error (error);
  g_assert_true (sl_test_raw_tls_upgrade (raw, &error));
  g_assert_no_error (error);
  joined = sl_test_client_wait_for (f->observer, "presence",
      SL_TEST_TIMEOUT_MS);
  g_assert_nonnull (joined);
  g_assert_cmpstr (sl_message_get_string (joined, "event"), ==, "join");
  return raw;
}

/* The next presence event the observer sees. */
static char *
next_presence (Fixture * f)
{
  g_autoptr (SlMessage) msg = sl_test_client_wait_for (f->observer,
      "presence", SL_TEST_TIMEOUT_MS);

  g_assert_nonnull (msg);
  return g_strdup_printf ("%s %s", sl_message_get_string (msg, "event"),
      sl_message_get_string (sl_message_get_object (msg, "device"), "status"));
}

static void
test_tampered_record (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestRawTls) raw = join_raw (f, "goggles-1");
  g_autofree char *control = NULL;
  g_autofree char *after = NULL;
  guint8 frame[131], record[160];
  gsize frame_len, len;
  int alert = -1;

  /* Control: the same kind of record, intact, is delivered. */
  g_assert_true (sl_test_raw_tls_send_text (raw,
          "{\"type\":\"status\",\"status\":\"busy\"}"));
  control = next_presence (f);
  g_assert_cmpstr (control, ==, "status busy");

  /* One bit of the tag flipped: refused with bad_record_mac, and the
   * message inside never reaches the server's logic. */
  frame_len = sl_test_raw_tls_ws_text
      ("{\"type\":\"status\",\"status\":\"available\"}", frame);
  len = sl_test_raw_tls_seal (raw, SL_TEST_TLS_APPLICATION_DATA, frame,
      frame_len, record);
  record[len - 1] ^= 0x01;
  g_assert_true (sl_test_raw_tls_send (raw, record, len));
  g_assert_true (sl_test_raw_tls_wait_end (raw, SL_TEST_TIMEOUT_MS, &alert));
  g_assert_cmpint (alert, ==, SL_TEST_TLS_ALERT_BAD_RECORD_MAC);
  after = next_presence (f);
  /* It left as it was: the tampered "available" never applied. */
  g_assert_cmpstr (after, ==, "leave busy");
  g_assert_true (sl_test_client_quiet_for (f->observer, 300));
}

static void
test_oversized_record (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestRawTls) raw = join_raw (f, "goggles-1");
  g_autoptr (SlTestRawTls) raw2 = NULL;
  g_autofree guint8 *big = g_malloc0 (16385);
  g_autofree guint8 *record = g_malloc (16385 + 22);
  guint8 header[5 + 64] = { 23, 3, 3, (16641 >> 8), (16641 & 0xff) };
  gsize len;
  int alert = -1;

  /* 2^14 + 1 bytes of content: properly sealed, one byte too many. */
  len = sl_test_raw_tls_seal (raw, SL_TEST_TLS_APPLICATION_DATA, big, 16385,
      record);
  g_assert_true (sl_test_raw_tls_send (raw, record, len));
  g_assert_true (sl_test_raw_tls_wait_end (raw, SL_TEST_TIMEOUT_MS, &alert));
  g_assert_cmpint (alert, ==, SL_TEST_TLS_ALERT_RECORD_OVERFLOW);
  g_free (next_presence (f));   /* goggles-1 left */

  /* A header announcing more than 2^14 + 256 bytes: refused at once. */
  raw2 = join_raw (f, "goggles-2");
  g_assert_true (sl_test_raw_tls_send (raw2, header, sizeof header));
  g_assert_true (sl_test_raw_tls_wait_end (raw2, SL_TEST_TIMEOUT_MS, &alert));
  g_assert_cmpint (alert, ==, SL_TEST_TLS_ALERT_RECORD_OVERFLOW);
}

static void
test_split_key_update (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestRawTls) raw = join_raw (f, "goggles-1");
  static const guint8 key_update[5] = { 24, 0, 0, 1, 0 };
  g_autofree char *status = NULL;

  /* The handshake message in two records, then the next keys. */
  g_assert_true (sl_test_raw_tls_send_record (raw, SL_TEST_TLS_HANDSHAKE,
          key_update, 2));
  g_assert_true (sl_test_raw_tls_send_record (raw, SL_TEST_TLS_HANDSHAKE,
          key_update + 2, 3));
  sl_test_raw_tls_update_keys (raw);
  g_assert_true (sl_test_raw_tls_send_text (raw,
          "{\"type\":\"status\",\"status\":\"busy\"}"));
  status = next_presence (f);
  g_assert_cmpstr (status, ==, "status busy");
}

typedef struct
{
  SlTestRawTls *raw;
  gint stop;
  gboolean disconnected;
  guint64 records;
  gint64 disconnected_after_us;
} Flood;

/* Twenty empty application-data records, then a KeyUpdate, over and
 * over: nothing OpenSSL refuses by itself, and no message results. */
static gpointer
flood_thread (gpointer data)
{
  static const guint8 key_update[5] = { 24, 0, 0, 1, 0 };
  Flood *fl = data;
  g_autofree guint8 *buf = g_malloc (64 * 1024);
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + FLOOD_SECONDS * G_USEC_PER_SEC;

  /* A real flooder has its own machine: here it shares ours, so it takes
   * only the CPU time the server and the measuring device leave (Linux
   * gives each thread its own nice value). */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 19);

  while (g_get_monotonic_time () < end && !g_atomic_int_get (&fl->stop)) {
    gsize off = 0;
    guint i;

    while (off + 21 * 32 < 64 * 1024) {
      for (i = 0; i < 20; i++)
        off += sl_test_raw_tls_seal (fl->raw, SL_TEST_TLS_APPLICATION_DATA,
            NULL, 0, buf + off);
      off += sl_test_raw_tls_seal (fl->raw, SL_TEST_TLS_HANDSHAKE,
          key_update, sizeof key_update, buf + off);
      sl_test_raw_tls_update_keys (fl->raw);
      fl->records += 21;
    }
    if (!sl_test_raw_tls_send (fl->raw, buf, off)) {
      fl->disconnected = TRUE;
      fl->disconnected_after_us = g_get_monotonic_time () - start;
      break;
    }
  }
  return NULL;
}

/* One round trip through the server's message handling: a request it
 * answers (with an error: this server hands out no TURN credentials). */
static gint64
round_trip_us (Fixture * f)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (SlMessage) reply = NULL;

  sl_test_client_send_text (f->observer, "{\"type\":\"turn-credentials\"}");
  reply = sl_test_client_wait_for (f->observer, "error", SL_TEST_TIMEOUT_MS);
  g_assert_nonnull (reply);
  return g_get_monotonic_time () - start;
}

/* Round trips every 100 ms for FLOOD_SECONDS (while @fl, if any, floods):
 * the worst and the mean, in microseconds. */
static void
measure (Fixture * f, Flood * fl, gint64 * worst, double *mean)
{
  gint64 end = g_get_monotonic_time () + FLOOD_SECONDS * G_USEC_PER_SEC;
  gint64 total = 0;
  GThread *thread = NULL;
  guint samples = 0;

  if (fl)
    thread = g_thread_new ("flood", flood_thread, fl);
  *worst = 0;
  while (g_get_monotonic_time () < end) {
    gint64 rtt = round_trip_us (f);

    *worst = MAX (*worst, rtt);
    total += rtt;
    samples++;
    sl_test_sleep (100);
  }
  if (thread) {
    g_atomic_int_set (&fl->stop, 1);
    g_thread_join (thread);
  }
  g_assert_cmpuint (samples, >=, 20);
  *mean = (double) total / samples;
}

static void
test_flood (Fixture * f, gconstpointer data)
{
  gboolean limits_on = data == NULL;
  g_autoptr (SlTestRawTls) raw = join_raw (f, "goggles-1");
  Flood fl = { raw, 0, FALSE, 0, 0 };
  gint64 quiet_worst, flood_worst;
  double quiet_mean, flood_mean;

  /* The same measurement without a flood first: on a machine shared with
   * other work, scheduling alone can stall a round trip, and the delay
   * the flood causes is what it adds to that. */
  measure (f, NULL, &quiet_worst, &quiet_mean);
  measure (f, &fl, &flood_worst, &flood_mean);

  g_test_message ("flood (rate limit %s): %" G_GUINT64_FORMAT " records "
      "sent, %" G_GINT64_FORMAT " counted by the server, flooder %s; "
      "round trip of another device: worst %.1f ms, mean %.1f ms (without "
      "the flood: worst %.1f ms, mean %.1f ms)", limits_on ? "on" : "off",
      fl.records, sl_test_server_metric (f->server,
          "sightline_tls_records_without_data_total"),
      fl.disconnected ? "disconnected" : "still connected",
      flood_worst / 1000.0, flood_mean / 1000.0, quiet_worst / 1000.0,
      quiet_mean / 1000.0);
  if (!SANITIZED)
    g_assert_cmpint (flood_worst - quiet_worst, <=, MAX_DELAY_MS * 1000);
  if (limits_on) {
    g_assert_true (fl.disconnected);
    g_assert_cmpint (sl_test_server_metric (f->server,
            "sightline_closes_total{code=\"1008\"}"), ==, 1);
  } else {
    /* The flood lasted and was real: the server worked through it. */
    g_assert_false (fl.disconnected);
    g_assert_cmpint (sl_test_server_metric (f->server,
            "sightline_tls_records_without_data_total"), >=, 10000);
  }
}

static gboolean
pending_reaches (gpointer user_data)
{
  gpointer *args = user_data;

  return sl_test_server_metric (args[0], "sightline_tls_pending") >=
      GPOINTER_TO_INT (args[1]);
}

/* @limit silent TCP connections from 127.0.0.1 (the address the device
 * uses too), then a device with a valid certificate logs in at once. */
static void
test_silent_at_limit (Fixture * f, gconstpointer data)
{
  const int limit = 16;
  g_autoptr (GPtrArray) silent = g_ptr_array_new_with_free_func
      (g_object_unref);
  g_autoptr (GSocketClient) tcp = g_socket_client_new ();
  g_autoptr (SlTestClient) device = NULL;
  g_autoptr (GError) error = NULL;
  gpointer args[] = { f->server, GINT_TO_POINTER (limit) };
  gint64 start;
  int i;

  for (i = 0; i < limit; i++) {
    GSocketConnection *conn = g_socket_client_connect_to_host (tcp,
        "127.0.0.1", sl_test_server_get_port (f->server), NULL, &error);

    g_assert_no_error (error);
    g_ptr_array_add (silent, conn);
  }
  g_assert_true (sl_test_iterate_until (pending_reaches, args, 10000));

  start = g_get_monotonic_time ();
  device = sl_test_client_connect (f->server, pki, "expert-2", &error);
  g_assert_no_error (error);
  sl_message_unref (sl_test_client_expect (device, "welcome"));
  g_test_message ("logged in after %.0f ms with %d silent connections "
      "pending (expert-1 logged in after %.0f ms with none)",
      (g_get_monotonic_time () - start) / 1000.0, limit,
      f->observer_login_us / 1000.0);
  if (!SANITIZED)
    g_assert_cmpint (g_get_monotonic_time () - start, <=, G_USEC_PER_SEC);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_refusals_total{reason=\"handshake-evicted\"}"), ==, 1);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_tls_pending"), ==, limit - 1);
}

int
main (int argc, char **argv)
{
  static const char *no_limits[] = { "--rate-limit=10000000",
    "--rate-burst=10000000", NULL
  };
  static const char *per_address[] = { "--max-handshakes-per-address=16",
    NULL
  };
  static const char *in_all[] = { "--max-handshakes=16", NULL };
  g_autoptr (GError) error = NULL;
  const char *const ids[] = { "goggles-1", "goggles-2", "expert-1",
    "expert-2", NULL
  };
  int ret;
  guint i;

  g_test_init (&argc, &argv, NULL);
  /* The flood tests time round trips in milliseconds on a machine that
   * may be busy with other work: when allowed (root, as in CI), this
   * process and the server it starts run ahead of that work.  Without
   * the right, nothing changes. */
  if (setpriority (PRIO_PROCESS, 0, -10) != 0)
    g_test_message ("running at normal priority: %s", g_strerror (errno));

  pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
  for (i = 0; ids[i]; i++)
    g_assert_true (sl_test_pki_issue_device (pki, ids[i], ids[i],
            g_str_has_prefix (ids[i], "goggles") ? "goggles" : "expert", NULL,
            &error));

#define ADD(path, func, args) \
  g_test_add (path, Fixture, args, setup, func, teardown)
  ADD ("/server/transport/tampered-record", test_tampered_record, NULL);
  ADD ("/server/transport/oversized-record", test_oversized_record, NULL);
  ADD ("/server/transport/split-key-update", test_split_key_update, NULL);
  ADD ("/server/transport/flood-rate-limited", test_flood, NULL);
  ADD ("/server/transport/flood-no-limits", test_flood, no_limits);
  ADD ("/server/transport/silent-per-address", test_silent_at_limit,
      per_address);
  ADD ("/server/transport/silent-in-all", test_silent_at_limit, in_all);
#undef ADD

  ret = g_test_run ();
  g_clear_object (&pki);
  sl_test_settle ();
  return ret;
}
