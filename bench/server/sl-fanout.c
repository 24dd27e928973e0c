/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sl-fanout: presence fan-out time for one join (bench/server, issue 17).
 *
 * N idle devices (role "bench") are spread evenly over the given server
 * instances (--ports 1,2,3).  The servers run with the visibility
 * "bench = expert", so the idle devices do not see each other (their own
 * joins cost no fan-out) but every one of them sees the joiner, a device
 * of role "expert" that then connects to the first instance, K times.
 * Each join is timed from the moment the joiner queues its WebSocket
 * upgrade, TLS being up (the server cannot announce it earlier), to the
 * arrival of the presence "join" at each idle device: p50, p99 and the
 * last (p100) of the N arrivals.  Between joins the joiner leaves and the run waits for
 * every idle device to have its "leave", so joins never overlap.
 *
 * Arrival times are taken by this one-threaded generator, which decrypts
 * all N messages itself: its own decoding time is part of every figure,
 * the same on one instance and on several.
 */

#include "sl-bench-conn.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

typedef struct
{
  BenchLoop loop;
  BenchConn *conns;             /* n idle devices, then the joiner */
  guint n;
  guint welcomed;
  gboolean measuring;           /* a join runs */
  gint64 welcome_at;
  double *arrival_ms;           /* per idle device, this join; < 0: not yet */
  guint joins_seen;
  guint leaves_seen;
  guint64 errors;
  guint64 unexpected;
} Fanout;

static void
on_text (BenchConn * c, const char *text, gsize len, gpointer user_data)
{
  Fanout *f = user_data;
  gint64 now = g_get_monotonic_time ();

  if (len > 18 && memcmp (text, "{\"type\":\"welcome\"", 17) == 0) {
    if (c->index == f->n)
      f->welcome_at = now;
    else
      f->welcomed++;
  } else if (len > 19 && memcmp (text, "{\"type\":\"presence\"", 18) == 0) {
    /* Only the joiner is visible to the idle devices. */
    if (c->index == f->n
        || !bench_find_after (text, len, "\"fanout-joiner-0\"")) {
      f->unexpected++;
    } else if (bench_find_after (text, len, "\"event\":\"join\"")) {
      if (f->measuring && f->arrival_ms[c->index] < 0) {
        f->arrival_ms[c->index] = (now - f->conns[f->n].upgrade_at) / 1000.0;
        f->joins_seen++;
      }
    } else if (bench_find_after (text, len, "\"event\":\"leave\"")) {
      f->leaves_seen++;
    }
  } else if (len > 16 && memcmp (text, "{\"type\":\"error\"", 15) == 0) {
    if (f->errors++ < 3)
      fprintf (stderr, "server error: %.*s\n", (int) MIN (len, 300), text);
  }
}

static void
run_once (Fanout * f, int timeout_ms)
{
  guint i;

  bench_loop_run_once (&f->loop, timeout_ms);
  /* Pongs and the like queued by the handlers. */
  for (i = 0; i <= f->n; i++) {
    BenchConn *c = &f->conns[i];
    if (c->state == BENCH_OPEN && c->out->len > c->out_off && !c->want_write)
      bench_conn_flush (&f->loop, c);
  }
}

static guint
count_dead (Fanout * f)
{
  guint i, dead = 0;

  for (i = 0; i < f->n; i++)
    dead += f->conns[i].state == BENCH_DEAD;
  return dead;
}

/* @v sorted; the nearest-rank percentile. */
static double
pick (const double *v, guint n, double q)
{
  return n ? v[MIN (n - 1, (guint) (q * n))] : -1;
}

static double
median_of (GArray * a)
{
  g_array_sort (a, bench_cmp_double);
  return pick ((const double *) (gpointer) a->data, a->len, 0.5);
}

static void
restart_conn (Fanout * f, BenchConn * c, guint16 port, X509 * cert,
    EVP_PKEY * key)
{
  /* bench_conn_start allocates these afresh. */
  g_clear_pointer (&c->in, g_byte_array_unref);
  g_clear_pointer (&c->out, g_byte_array_unref);
  g_clear_pointer (&c->request, g_free);
  c->out_off = 0;
  if (!bench_conn_start (&f->loop, c, port, "/v1/ws", cert, key)) {
    c->state = BENCH_DEAD;
    f->loop.n_dead++;
  }
}

static gboolean
parse_ints (const char *list, GArray * out)
{
  g_auto (GStrv) parts = list ? g_strsplit (list, ",", -1) : NULL;
  guint i;

  for (i = 0; parts && parts[i]; i++) {
    char *end = NULL;
    gint64 v = g_ascii_strtoll (parts[i], &end, 10);
    int iv = (int) v;

    if (end == parts[i] || *end != '\0' || v <= 0 || v > G_MAXINT)
      return FALSE;
    g_array_append_val (out, iv);
  }
  return out->len > 0;
}

static double
servers_cpu (GArray * pids)
{
  double s = 0;
  guint i;

  for (i = 0; i < pids->len; i++)
    s += bench_cpu_seconds (g_array_index (pids, int, i));
  return s;
}

int
main (int argc, char **argv)
{
  g_autofree char *ports_arg = NULL;
  g_autofree char *pids_arg = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *ca_key = NULL;
  int n = 10000, joins = 5, concurrency = 64;
  double timeout = 120;
  GOptionEntry entries[] = {
    {"ports", 0, 0, G_OPTION_ARG_STRING, &ports_arg, "server instances' "
          "ports, comma-separated; the joiner uses the first", NULL},
    {"server-pids", 0, 0, G_OPTION_ARG_STRING, &pids_arg, "their processes "
          "(server CPU)", NULL},
    {"ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, "CA certificate", NULL},
    {"ca-key", 0, 0, G_OPTION_ARG_FILENAME, &ca_key, "CA key (to mint "
          "device certificates)", NULL},
    {"devices", 0, 0, G_OPTION_ARG_INT, &n, "idle devices", NULL},
    {"joins", 0, 0, G_OPTION_ARG_INT, &joins, "joins measured", NULL},
    {"concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, "handshakes at "
          "once", NULL},
    {"timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout, "seconds allowed per "
          "join (and per leave)", NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ports = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) pids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) p50s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) p99s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) lasts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) welcomes = g_array_new (FALSE, FALSE, sizeof (double));
  X509 **certs = NULL, **joiner_cert = NULL;
  EVP_PKEY *key = NULL, *joiner_key = NULL;
  Fanout f = { 0 };
  struct rlimit rl;
  guint started = 0, i, missed = 0;
  gboolean ok;
  gint64 t0, deadline;
  double cpu0, worst = 0;
  int j;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !ca ||
      !ca_key || !parse_ints (ports_arg, ports) ||
      (pids_arg && !parse_ints (pids_arg, pids)) || n < 1 || joins < 1 ||
      concurrency < 1 || timeout <= 0) {
    fprintf (stderr, "usage: sl-fanout --ports P1,P2,... --ca F --ca-key F "
        "[--server-pids A,B,...] [--devices N] [--joins K] %s\n",
        error ? error->message : "");
    return 2;
  }
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit (RLIMIT_NOFILE, &rl);
  }
  if ((rlim_t) n + 64 > rl.rlim_cur) {
    fprintf (stderr, "sl-fanout: %d devices need more file descriptors than "
        "the limit of %lu (ulimit -n)\n", n, (unsigned long) rl.rlim_cur);
    return 1;
  }
  f.n = (guint) n;
  f.conns = g_new0 (BenchConn, f.n + 1);
  f.arrival_ms = g_new (double, f.n);
  if (!bench_loop_init (&f.loop, ca, on_text, &f))
    return 1;
  if (!bench_mint_devices (ca, ca_key, f.n, "fanout", "bench", &certs, &key) ||
      !bench_mint_devices (ca, ca_key, 1, "fanout-joiner", "expert",
          &joiner_cert, &joiner_key)) {
    fprintf (stderr, "sl-fanout: cannot mint device certificates\n");
    return 1;
  }

  /* The idle devices, round robin over the instances. */
  t0 = g_get_monotonic_time ();
  deadline = t0 + (gint64) 3600 *G_USEC_PER_SEC;
  while (f.welcomed + count_dead (&f) < f.n &&
      g_get_monotonic_time () < deadline) {
    while (started < f.n && f.loop.n_connecting < (guint) concurrency) {
      BenchConn *c = &f.conns[started];

      c->index = started;
      restart_conn (&f, c, (guint16) g_array_index (ports, int,
              started % ports->len), certs[started], key);
      started++;
    }
    run_once (&f, 5);
  }
  fprintf (stderr, "sl-fanout: %u devices on %u instance(s) admitted, %u "
      "failed, in %.1f s\n", f.welcomed, ports->len, count_dead (&f),
      (g_get_monotonic_time () - t0) / 1e6);
  if (f.welcomed < f.n)
    return 1;
  /* Let the last joins reach the other instances. */
  for (t0 = g_get_monotonic_time (); g_get_monotonic_time () < t0 + 1000000;)
    run_once (&f, 5);

  cpu0 = servers_cpu (pids);
  for (j = 0; j < joins; j++) {
    BenchConn *joiner = &f.conns[f.n];
    gint64 limit;

    for (i = 0; i < f.n; i++)
      f.arrival_ms[i] = -1;
    f.joins_seen = f.leaves_seen = 0;
    f.welcome_at = 0;
    f.measuring = TRUE;
    joiner->index = f.n;
    joiner->upgrade_at = 0;
    restart_conn (&f, joiner, (guint16) g_array_index (ports, int, 0),
        joiner_cert[0], joiner_key);
    limit = g_get_monotonic_time () + (gint64) (timeout * G_USEC_PER_SEC);
    while (f.joins_seen < f.n && joiner->state != BENCH_DEAD &&
        g_get_monotonic_time () < limit) {
      run_once (&f, 5);
    }
    f.measuring = FALSE;
    if (f.joins_seen < f.n || !f.welcome_at) {
      fprintf (stderr, "sl-fanout: join %d: %u of %u devices saw it (%s)\n",
          j, f.joins_seen, f.n, joiner->state == BENCH_DEAD ?
          "the joiner was refused" : "timed out");
      missed += f.n - f.joins_seen;
      break;
    }
    qsort (f.arrival_ms, f.n, sizeof (double), bench_cmp_double);
    {
      double p50 = pick (f.arrival_ms, f.n, 0.5);
      double p99 = pick (f.arrival_ms, f.n, 0.99);
      double last = f.arrival_ms[f.n - 1];
      double welcome = (f.welcome_at - joiner->upgrade_at) / 1000.0;

      g_array_append_val (p50s, p50);
      g_array_append_val (p99s, p99);
      g_array_append_val (lasts, last);
      g_array_append_val (welcomes, welcome);
      worst = MAX (worst, last);
      fprintf (stderr, "sl-fanout: join %d: p50 %.1f ms, p99 %.1f ms, last "
          "%.1f ms (joiner's welcome %.1f ms)\n", j, p50, p99, last, welcome);
    }
    /* Leave, and wait until everyone has seen it. */
    bench_conn_close (&f.loop, joiner);
    f.loop.n_dead--;
    limit = g_get_monotonic_time () + (gint64) (timeout * G_USEC_PER_SEC);
    while (f.leaves_seen < f.n && g_get_monotonic_time () < limit)
      run_once (&f, 5);
    if (f.leaves_seen < f.n) {
      fprintf (stderr, "sl-fanout: leave %d: %u of %u devices saw it\n", j,
          f.leaves_seen, f.n);
      break;
    }
  }

  ok = lasts->len == (guint) joins && f.unexpected == 0;
  printf ("RESULT fanout target=sightline-%uinst instances=%u devices=%u "
      "joins=%u dead=%u missed=%u unexpected=%" G_GUINT64_FORMAT " errors=%"
      G_GUINT64_FORMAT, ports->len, ports->len, f.n, lasts->len,
      count_dead (&f), missed, f.unexpected, f.errors);
  /* Figures only from a complete run: a partial one is no measurement. */
  if (ok)
    printf (" arrival_p50_ms=%.2f arrival_p99_ms=%.2f last_p50_ms=%.2f "
        "last_max_ms=%.2f welcome_p50_ms=%.2f "
        "server_cpu_per_join_and_leave_s=%.3f", median_of (p50s),
        median_of (p99s), median_of (lasts), worst, median_of (welcomes),
        (servers_cpu (pids) - cpu0) / lasts->len);
  printf ("\n");
  for (i = 0; i <= f.n; i++)
    bench_conn_close (&f.loop, &f.conns[i]);
  return ok ? 0 : 1;
}
