/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sl-loadgen: the signalling-server load generator (bench/server).
 *
 *   idle:  open N TLS WebSocket connections (Sightline: mutual TLS with a
 *          device certificate each), wait until every one is admitted,
 *          and report the server's resident memory per connection.
 *   relay: P pairs of devices set up a call, then relay opaque blobs of a
 *          fixed size back and forth, W in flight per device, closed loop;
 *          report messages per second, per server CPU-second, and the
 *          p50/p99 latency from sender to receiver.
 *
 * --protocol 2 runs Sightline's relay over protocol version 2 (/v2/ws,
 * relays naming their target), reported as target "sightline-v2";
 * --protocol 1 is the default path, reported as "sightline-v1" so that
 * the baseline of a version comparison stays apart from other runs.
 *
 * --port2 (with --server-pid2) puts the second device of every pair on
 * another server instance of a cluster (issue 17), reported as target
 * "sightline-cluster"; the server CPU is then both instances'.  Relay
 * mode also reports the call set-up time, invite sent to accepted
 * received, over all pairs set up at once.
 *
 * The same scenarios speak the PeerJS server's protocol (--target peerjs):
 * ids in the URL, OPEN on admission, CANDIDATE messages relayed to "dst".
 * Output lines start with "RESULT" and hold key=value pairs for
 * bench/server/run-bench.sh.
 */

#include "sl-bench-conn.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct
{
  BenchLoop loop;
  BenchConn *conns;
  guint n;
  gboolean peerjs;
  gboolean relay;
  guint protocol;               /* Sightline: 1 or 2 */
  gsize blob_len;               /* base64 characters */
  char *blob;
  guint window;
  gboolean measuring;
  guint64 received;
  guint64 errors;
  guint32 *hist;                /* latency histogram, 10 us buckets */
  guint64 n_samples;
  guint ready;
  gboolean hold;                /* cluster: invite once presence spread */
  gint64 *invite_at;            /* per caller, monotonic us */
  GArray *setup_ms;             /* double: invite to accepted */
} Gen;

#define HIST_BUCKETS 1000000    /* 10 s */

static void
send_blob (Gen * g, BenchConn * c)
{
  BenchConn *peer = &g->conns[c->peer];
  guint8 raw[9] = { 0 };
  gint64 now = g_get_monotonic_time ();
  g_autofree char *stamp = NULL;
  g_autofree char *msg = NULL;

  memcpy (raw, &now, sizeof now);
  stamp = g_base64_encode (raw, sizeof raw);    /* 12 characters */
  memcpy (g->blob, stamp, 12);
  if (g->peerjs)
    msg = g_strdup_printf ("{\"type\":\"CANDIDATE\",\"dst\":\"%s\","
        "\"payload\":{\"blob\":\"%s\"}}", peer->id, g->blob);
  else if (g->protocol >= 2)
    msg = g_strdup_printf ("{\"type\":\"relay\",\"call_id\":\"%s\","
        "\"to\":\"%s\",\"blob\":\"%s\"}", c->call_id, peer->id, g->blob);
  else
    msg = g_strdup_printf ("{\"type\":\"relay\",\"call_id\":\"%s\","
        "\"blob\":\"%s\"}", c->call_id, g->blob);
  bench_conn_send_text (&g->loop, c, msg, strlen (msg));
  c->inflight++;
}

static void
start_relaying (Gen * g, BenchConn * c)
{
  guint i;

  c->active = TRUE;
  for (i = 0; i < g->window; i++)
    send_blob (g, c);
}

static void
on_blob (Gen * g, BenchConn * c, const char *text, gsize len)
{
  const char *b = bench_find_after (text, len, "\"blob\":\"");
  gsize out_len = 0;
  guint8 raw[9];
  gint state = 0;
  guint save = 0;

  if (b && (gsize) (b - text) + 12 <= len) {
    out_len = g_base64_decode_step (b, 12, raw, &state, &save);
    if (out_len >= 8 && g->measuring) {
      gint64 sent;
      gint64 us;

      memcpy (&sent, raw, sizeof sent);
      us = g_get_monotonic_time () - sent;
      g->hist[MIN ((guint64) MAX (us, 0) / 10, HIST_BUCKETS - 1)]++;
      g->n_samples++;
    }
  }
  if (g->measuring)
    g->received++;
  /* Closed loop: every blob received makes room for one more. */
  send_blob (g, c);
}

static void
peer_ready (Gen * g, BenchConn * c)
{
  BenchConn *peer = &g->conns[c->peer];
  BenchConn *caller = (c->index % 2 == 0) ? c : peer;
  g_autofree char *invite = NULL;
  guint i;

  if (!g->relay || !c->ready || !peer->ready || g->hold)
    return;
  if (g->peerjs) {
    start_relaying (g, c);
    start_relaying (g, peer);
    return;
  }
  /* Sightline: the caller invites, the callee accepts, then both relay. */
  for (i = 0; i < 32; i++)
    caller->call_id[i] = "0123456789abcdef"[g_random_int_range (0, 16)];
  caller->call_id[32] = '\0';
  invite = g_strdup_printf ("{\"type\":\"invite\",\"call_id\":\"%s\","
      "\"to\":\"%s\",\"hs\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
      caller->call_id, g->conns[caller->peer].id);
  g->invite_at[caller->index] = g_get_monotonic_time ();
  bench_conn_send_text (&g->loop, caller, invite, strlen (invite));
}

static double
setup_percentile (Gen * g, double p)
{
  if (g->setup_ms->len == 0)
    return 0;
  g_array_sort (g->setup_ms, bench_cmp_double);
  return g_array_index (g->setup_ms, double,
      MIN (g->setup_ms->len - 1, (guint) (p * g->setup_ms->len)));
}

static void
on_text (BenchConn * c, const char *text, gsize len, gpointer user_data)
{
  Gen *g = user_data;

  if (g->peerjs) {
    if (bench_find_after (text, len, "\"type\":\"CANDIDATE\""))
      on_blob (g, c, text, len);
    else if (bench_find_after (text, len, "\"type\":\"OPEN\"")) {
      c->ready = TRUE;
      g->ready++;
      peer_ready (g, c);
    } else
      g->errors++;
    return;
  }
  if (len > 16 && memcmp (text, "{\"type\":\"relay\"", 15) == 0) {
    on_blob (g, c, text, len);
  } else if (len > 18 && memcmp (text, "{\"type\":\"welcome\"", 17) == 0) {
    c->ready = TRUE;
    g->ready++;
    peer_ready (g, c);
  } else if (len > 19 && memcmp (text, "{\"type\":\"incoming\"", 18) == 0) {
    const char *id = bench_find_after (text, len, "\"call_id\":\"");
    g_autofree char *accept = NULL;

    if (id == NULL)
      return;
    memcpy (c->call_id, id, 32);
    c->call_id[32] = '\0';
    accept = g_strdup_printf ("{\"type\":\"accept\",\"call_id\":\"%s\","
        "\"hs\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", c->call_id);
    bench_conn_send_text (&g->loop, c, accept, strlen (accept));
    start_relaying (g, c);
  } else if (len > 19 && memcmp (text, "{\"type\":\"accepted\"", 18) == 0) {
    double ms = (g_get_monotonic_time () - g->invite_at[c->index]) / 1000.0;

    g_array_append_val (g->setup_ms, ms);
    start_relaying (g, c);
  } else if (len > 16 && memcmp (text, "{\"type\":\"error\"", 15) == 0) {
    if (g->errors++ < 3)
      fprintf (stderr, "server error: %.*s\n", (int) MIN (len, 300), text);
  }
}

static double
self_cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
      (double) ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
run_for (Gen * g, double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * 1e6);

  while (g_get_monotonic_time () < end) {
    guint i;

    bench_loop_run_once (&g->loop, 5);
    /* Flush what the handlers queued, once per round. */
    for (i = 0; i < g->n; i++) {
      BenchConn *c = &g->conns[i];
      if (c->state == BENCH_OPEN && c->out->len > c->out_off && !c->want_write)
        bench_conn_flush (&g->loop, c);
    }
  }
}

static double
percentile (Gen * g, double q)
{
  guint64 target = (guint64) (q * (double) g->n_samples);
  guint64 seen = 0;
  guint i;

  for (i = 0; i < HIST_BUCKETS; i++) {
    seen += g->hist[i];
    if (seen > target)
      return (i * 10 + 5) / 1000.0;     /* ms */
  }
  return -1;
}

int
main (int argc, char **argv)
{
  g_autofree char *target = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *ca_key = NULL;
  int port2 = 0, pid2 = 0;
  int port = 0, pid = 0, n = 1000, pairs = 250, size = 2048, window = 8;
  int concurrency = 64, protocol = 0;
  double duration = 10, warmup = 3, settle = 3;
  GOptionEntry entries[] = {
    {"target", 0, 0, G_OPTION_ARG_STRING, &target, "sightline or peerjs",
        NULL},
    {"mode", 0, 0, G_OPTION_ARG_STRING, &mode, "idle or relay", NULL},
    {"port", 0, 0, G_OPTION_ARG_INT, &port, "server port", NULL},
    {"server-pid", 0, 0, G_OPTION_ARG_INT, &pid, "server process", NULL},
    {"port2", 0, 0, G_OPTION_ARG_INT, &port2, "relay: the port of a second "
          "cluster instance for the second device of each pair", NULL},
    {"server-pid2", 0, 0, G_OPTION_ARG_INT, &pid2, "that instance's process",
        NULL},
    {"ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, "CA certificate", NULL},
    {"ca-key", 0, 0, G_OPTION_ARG_FILENAME, &ca_key,
        "CA key (Sightline: mint device certificates)", NULL},
    {"connections", 0, 0, G_OPTION_ARG_INT, &n, "idle: connections", NULL},
    {"pairs", 0, 0, G_OPTION_ARG_INT, &pairs, "relay: device pairs", NULL},
    {"size", 0, 0, G_OPTION_ARG_INT, &size, "relay: blob bytes (decoded)",
        NULL},
    {"window", 0, 0, G_OPTION_ARG_INT, &window, "relay: in flight per "
          "device", NULL},
    {"duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration, "seconds measured",
        NULL},
    {"warmup", 0, 0, G_OPTION_ARG_DOUBLE, &warmup, "seconds before", NULL},
    {"concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "handshakes at "
          "once", NULL},
    {"protocol", 0, 0, G_OPTION_ARG_INT, &protocol, "Sightline: signalling "
          "protocol version, 1 or 2", NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("");
  g_autoptr (GError) error = NULL;
  X509 **certs = NULL;
  EVP_PKEY *key = NULL;
  Gen g = { 0 };
  struct rlimit rl;
  guint started = 0, i;
  gint64 deadline, rss0, rss1, accept_start;
  double accept_s, accept_cpu, accept_cpu0;
  const char *name;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !target ||
      !mode || !port || !ca) {
    fprintf (stderr, "usage: sl-loadgen --target T --mode M --port P --ca F "
        "[...] %s\n", error ? error->message : "");
    return 2;
  }
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit (RLIMIT_NOFILE, &rl);
  }
  g.peerjs = g_str_equal (target, "peerjs");
  g.relay = g_str_equal (mode, "relay");
  g.protocol = protocol == 2 ? 2 : 1;
  g.n = g.relay ? (guint) pairs *2 : (guint) n;
  g.window = (guint) window;
  g.blob_len = 4 * (((gsize) size + 2) / 3);
  g.blob = g_malloc (g.blob_len + 1);
  memset (g.blob, 'Q', g.blob_len);
  g.blob[g.blob_len] = '\0';
  g.hist = g_new0 (guint32, HIST_BUCKETS);
  g.conns = g_new0 (BenchConn, g.n);
  g.invite_at = g_new0 (gint64, g.n);
  g.setup_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g.hold = port2 != 0;
  if (!bench_loop_init (&g.loop, ca, on_text, &g))
    return 1;
  if (!g.peerjs && (!ca_key || !bench_mint_devices (ca, ca_key, g.n, "bench",
              "bench", &certs, &key))) {
    fprintf (stderr, "cannot mint device certificates (--ca-key)\n");
    return 1;
  }
  name = g.peerjs ? "peerjs" : port2 ? "sightline-cluster" :
      protocol == 2 ? "sightline-v2" :
      protocol == 1 ? "sightline-v1" : "sightline";
  rss0 = pid ? bench_rss_kib (pid) : -1;

  /* Connect, a bounded number of handshakes at a time. */
  accept_start = g_get_monotonic_time ();
  accept_cpu0 = pid ? bench_cpu_seconds (pid) : 0;
  deadline = g_get_monotonic_time () + (gint64) 3600 *G_USEC_PER_SEC;
  while ((g.ready + g.loop.n_dead < g.n) && g_get_monotonic_time () < deadline) {
    while (started < g.n && g.loop.n_connecting < (guint) concurrency) {
      BenchConn *c = &g.conns[started];
      g_autofree char *path = NULL;

      c->index = started;
      c->peer = started ^ 1;
      c->id = g_strdup_printf ("%s-%u", g.peerjs ? "peer" : "bench", started);
      path = g.peerjs ? g_strdup_printf ("/peerjs?key=peerjs&id=%s&token=t",
          c->id) : g_strdup_printf ("/v%u/ws", g.protocol);
      if (!bench_conn_start (&g.loop, c, (guint16) (port2 && started % 2 ?
                  port2 : port), path, certs ? certs[started] : NULL, key))
        c->state = BENCH_DEAD, g.loop.n_dead++;
      started++;
    }
    run_for (&g, 0.005);
  }
  accept_s = (g_get_monotonic_time () - accept_start) / 1e6;
  accept_cpu = pid ? bench_cpu_seconds (pid) - accept_cpu0 : 0;
  fprintf (stderr, "%s: %u connections admitted, %u failed, in %.1f s "
      "(server CPU %.1f s)\n", name, g.ready, g.loop.n_dead, accept_s,
      accept_cpu);

  if (!g.relay) {
    run_for (&g, settle);
    rss1 = pid ? bench_rss_kib (pid) : -1;
    printf ("RESULT idle target=%s connections=%u failed=%u rss_before_kib=%"
        G_GINT64_FORMAT " rss_after_kib=%" G_GINT64_FORMAT
        " kib_per_connection=%.2f accept_s=%.1f accept_server_cpu_s=%.1f\n",
        name, g.ready, g.loop.n_dead, rss0, rss1,
        g.ready ? (double) (rss1 - rss0) / g.ready : 0.0, accept_s, accept_cpu);
    return g.ready == g.n ? 0 : 1;
  }

  if (g.hold) {
    /* Let every join reach the other instance before inviting. */
    run_for (&g, 1.0);
    g.hold = FALSE;
    for (i = 0; i < g.n; i += 2)
      peer_ready (&g, &g.conns[i]);
  }
  run_for (&g, warmup);
  {
    double cpu0 = (pid ? bench_cpu_seconds (pid) : 0) +
        (pid2 ? bench_cpu_seconds (pid2) : 0), self0 = self_cpu ();
    double server_cpu, gen_cpu;

    g.measuring = TRUE;
    run_for (&g, duration);
    g.measuring = FALSE;
    server_cpu = (pid ? bench_cpu_seconds (pid) : 0) +
        (pid2 ? bench_cpu_seconds (pid2) : 0) - cpu0;
    gen_cpu = self_cpu () - self0;
    printf ("RESULT relay target=%s pairs=%d size=%d window=%d "
        "messages=%" G_GUINT64_FORMAT " msgs_per_s=%.0f server_cpu_s=%.2f "
        "msgs_per_server_cpu_s=%.0f server_core_use=%.2f "
        "generator_core_use=%.2f p50_ms=%.3f p99_ms=%.3f setup_p50_ms=%.3f "
        "setups=%u errors=%" G_GUINT64_FORMAT " dead=%u\n", name, pairs, size,
        window, g.received, g.received / duration, server_cpu,
        server_cpu > 0 ? g.received / server_cpu : 0, server_cpu / duration,
        gen_cpu / duration, percentile (&g, 0.50), percentile (&g, 0.99),
        setup_percentile (&g, 0.50), g.setup_ms->len, g.errors, g.loop.n_dead);
  }
  for (i = 0; i < g.n; i++)
    bench_conn_close (&g.loop, &g.conns[i]);
  return g.loop.n_dead > 0 && g.received == 0 ? 1 : 0;
}
