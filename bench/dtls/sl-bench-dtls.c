/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sl-bench-dtls: DTLS handshake time under random packet loss, GStreamer's
 * own dtlsenc/dtlsdec pairs as webrtcbin runs them, in one process.
 *
 * Each handshake is a client and a server connection in one pipeline
 * (tests/dtls/sl-dtls-pair.c, shared with the test suite: the records on
 * the wire are webrtcbin's).  Every datagram is dropped with probability
 * LOSS on each
 * direction independently (a pad probe on each dtlsdec's sink, a seeded
 * PRNG per direction: handshake k uses the same seeds in every variant).
 * A handshake counts when both dtlsdecs report "connected"; the time runs
 * from PLAYING to the later of the two.
 *
 * Variants, interleaved handshake by handshake so that they share the
 * machine's load:
 *   stock       GStreamer 1.22 as it is (the baseline)
 *   mtu         MTU 1200 only (what GStreamer 1.26.8/1.28 do)
 *   tuned       MTU 1200 and the retransmission timer (sl-dtls-tuning.c)
 *   resend      GStreamer-only candidate: every handshake datagram
 *               (content type 20/22) sent a second time RESEND_MS later,
 *               from a pad probe on dtlsenc's src; OpenSSL untouched
 *
 *   sl-bench-dtls [--handshakes N] [--parallel P] [--rates 0,5,10,20]
 *                 [--variants stock,mtu,tuned,resend] [--deadline S]
 *                 [--timer FIRST_MS,MAX_MS] [--seed N]
 *
 * Figures and the command used: docs/BENCHMARKS.md ("DTLS set-up under
 * loss").
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/gst.h>

#include "sightline/sl-dtls-guard.h"
#include "sl-dtls-pair.h"
#include "sl-dtls-tuning-private.h"

#define RESEND_MS 120
#define GOAL_US (10 * G_USEC_PER_SEC)
#define TICK_MS 20
/* Marks our copies, so that the probe does not copy them again. */
#define RESENT_FLAG GST_BUFFER_FLAG_LAST

typedef enum
{
  VARIANT_STOCK,
  VARIANT_MTU,
  VARIANT_TUNED,
  VARIANT_RESEND,
  N_VARIANTS
} Variant;

static const char *const variant_names[N_VARIANTS] = {
  "stock", "mtu", "tuned", "resend",
};

static const SlDtlsTuningParts variant_parts[N_VARIANTS] = {
  SL_DTLS_TUNING_NONE,
  SL_DTLS_TUNING_MTU,
  SL_DTLS_TUNING_MTU | SL_DTLS_TUNING_TIMER,
  SL_DTLS_TUNING_NONE,
};

/* One direction of the lossy link. */
typedef struct
{
  GMutex lock;
  GRand *rand;
  double loss;
} Link;

typedef struct
{
  Variant variant;
  SlDtlsPair *pair;
  Link links[2];
  gint64 started;
  gint datagrams;
} Handshake;

/* A datagram to send again (resend variant). */
typedef struct
{
  GstPad *pad;
  GstBuffer *buffer;
  gint64 due;
} Resend;

typedef struct
{
  guint n_variants;
  Variant variants[N_VARIANTS];
  guint handshakes;
  guint parallel;
  guint deadline_s;
  guint32 seed;
  /* Per rate: */
  double loss;
  guint next;
  guint running;
  GPtrArray *active;
  GArray *times[N_VARIANTS];
  guint failed[N_VARIANTS];
  guint64 datagrams[N_VARIANTS];
  GMainLoop *loop;
} Bench;

static GAsyncQueue *resends;

static GstPadProbeReturn
lose (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Link *link = data;
  gboolean drop;

  g_mutex_lock (&link->lock);
  drop = g_rand_double (link->rand) < link->loss;
  g_mutex_unlock (&link->lock);
  return drop ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
count_and_resend (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Handshake *hs = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint8 type = 0;

  if (GST_BUFFER_FLAG_IS_SET (buffer, RESENT_FLAG))
    return GST_PAD_PROBE_OK;
  g_atomic_int_inc (&hs->datagrams);
  gst_buffer_extract (buffer, 0, &type, 1);
  /* 20: change_cipher_spec, 22: handshake (RFC 6347 4.1). */
  if (hs->variant == VARIANT_RESEND && (type == 20 || type == 22)) {
    Resend *r = g_new (Resend, 1);

    r->pad = gst_object_ref (pad);
    r->buffer = gst_buffer_copy (buffer);
    GST_BUFFER_FLAG_SET (r->buffer, RESENT_FLAG);
    r->due = g_get_monotonic_time () + RESEND_MS * 1000;
    g_async_queue_push (resends, r);
  }
  return GST_PAD_PROBE_OK;
}

/* Every copy waits the same time, so the queue is in order of due time. */
static gpointer
resend_thread (gpointer data)
{
  for (;;) {
    Resend *r = g_async_queue_pop (resends);
    gint64 wait;

    if (r->pad == NULL) {
      g_free (r);
      return NULL;
    }
    wait = r->due - g_get_monotonic_time ();
    if (wait > 0)
      g_usleep (wait);
    /* FLUSHING or NOT_LINKED once the handshake is over: nothing to do. */
    gst_pad_push (r->pad, r->buffer);
    gst_object_unref (r->pad);
    g_free (r);
  }
}

static Handshake *
handshake_new (Bench * b, guint index, Variant variant)
{
  Handshake *hs = g_new0 (Handshake, 1);
  guint i;

  hs->variant = variant;
  /* The hook reads the parts when dtlsdec makes its SSL object. */
  sl_dtls_tuning_set_parts (variant_parts[variant]);
  hs->pair = sl_dtls_pair_new ();
  sl_dtls_tuning_set_parts (SL_DTLS_TUNING_NONE);
  for (i = 0; i < 2; i++) {
    Link *link = &hs->links[i];

    g_mutex_init (&link->lock);
    link->rand = g_rand_new_with_seed (b->seed + 2 * index + i);
    link->loss = b->loss;
    sl_dtls_pair_add_probe (hs->pair, i, SL_DTLS_PAIR_SENT, count_and_resend,
        hs);
    /* What side i sends, side 1 - i may lose. */
    sl_dtls_pair_add_probe (hs->pair, 1 - i, SL_DTLS_PAIR_RECEIVED, lose, link);
  }
  hs->started = sl_dtls_pair_start (hs->pair);
  return hs;
}

/* Returns the handshake time in µs, 0 while it runs, -1 if it failed or
 * missed the deadline. */
static gint64
handshake_result (Bench * b, Handshake * hs, gint64 now)
{
  gint64 client = sl_dtls_pair_get_connected (hs->pair, 0);
  gint64 server = sl_dtls_pair_get_connected (hs->pair, 1);

  if (client && server)
    return MAX (client, server) - hs->started;
  if (sl_dtls_pair_has_failed (hs->pair)
      || now - hs->started > b->deadline_s * G_USEC_PER_SEC)
    return -1;
  return 0;
}

static void
handshake_free (Handshake * hs)
{
  guint i;

  sl_dtls_pair_free (hs->pair);
  for (i = 0; i < 2; i++) {
    g_rand_free (hs->links[i].rand);
    g_mutex_clear (&hs->links[i].lock);
  }
  g_free (hs);
}

static gboolean
tick (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();
  guint total = b->handshakes * b->n_variants;
  guint i;

  for (i = 0; i < b->active->len;) {
    Handshake *hs = g_ptr_array_index (b->active, i);
    gint64 result = handshake_result (b, hs, now);

    if (result == 0) {
      i++;
      continue;
    }
    if (result > 0)
      g_array_append_val (b->times[hs->variant], result);
    else
      b->failed[hs->variant]++;
    b->datagrams[hs->variant] += g_atomic_int_get (&hs->datagrams);
    g_ptr_array_remove_index_fast (b->active, i);
    handshake_free (hs);
  }
  while (b->active->len < b->parallel && b->next < total) {
    guint k = b->next++;

    g_ptr_array_add (b->active, handshake_new (b, k / b->n_variants,
            b->variants[k % b->n_variants]));
  }
  if (b->active->len == 0 && b->next == total) {
    g_main_loop_quit (b->loop);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static int
cmp_time (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The q-quantile (nearest rank) over every handshake, a failed one
 * counting as slower than all: -1 then. */
static gint64
quantile (GArray * times, guint n, double q)
{
  guint rank = (guint) (q * n + 0.999999);

  rank = CLAMP (rank, 1, n);
  return rank <= times->len ? g_array_index (times, gint64, rank - 1) : -1;
}

static char *
format_time (gint64 us, guint deadline_s)
{
  if (us < 0)
    return g_strdup_printf (">%u s", deadline_s);
  if (us < G_USEC_PER_SEC)
    return g_strdup_printf ("%.0f ms", us / 1e3);
  return g_strdup_printf ("%.2f s", us / 1e6);
}

static char *
format_ratio (gint64 ours, gint64 base)
{
  if (ours < 0 || base <= 0)
    return g_strdup (base < 0 && ours >= 0 ? "<" : "n/a");
  double ratio = (double) ours / base;

  return g_strdup_printf (ratio < 0.1 ? "%.3fx" : "%.2fx", ratio);
}

static void
print_rate (Bench * b)
{
  gint64 base50 = 0, base90 = 0;
  guint v;

  for (v = 0; v < b->n_variants; v++) {
    Variant var = b->variants[v];
    GArray *t = b->times[var];
    guint n = b->handshakes, within = 0, i;
    gint64 p50, p90, max;
    g_autofree char *s50 = NULL, *s90 = NULL, *smax = NULL;
    g_autofree char *r50 = NULL, *r90 = NULL;

    g_array_sort (t, cmp_time);
    for (i = 0; i < t->len; i++)
      within += g_array_index (t, gint64, i) <= GOAL_US;
    p50 = quantile (t, n, 0.5);
    p90 = quantile (t, n, 0.9);
    max = b->failed[var] ? -1 : g_array_index (t, gint64, t->len - 1);
    if (v == 0) {
      base50 = p50;
      base90 = p90;
    }
    s50 = format_time (p50, b->deadline_s);
    s90 = format_time (p90, b->deadline_s);
    smax = format_time (max, b->deadline_s);
    r50 = format_ratio (p50, base50);
    r90 = format_ratio (p90, base90);
    printf ("| %2.0f %% | %-6s | %8s | %8s | %8s | %2u/%u | %2u | %6s | %6s "
        "| %5.1f |\n", b->loss * 100, variant_names[var], s50, s90, smax,
        within, n, b->failed[var], r50, r90, (double) b->datagrams[var] / n);
  }
  fflush (stdout);
}

static void
run_rate (Bench * b, double loss)
{
  guint v;

  b->loss = loss;
  b->next = 0;
  for (v = 0; v < N_VARIANTS; v++) {
    g_array_set_size (b->times[v], 0);
    b->failed[v] = 0;
    b->datagrams[v] = 0;
  }
  g_timeout_add (TICK_MS, tick, b);
  g_main_loop_run (b->loop);
  print_rate (b);
}

static gboolean
parse_variants (Bench * b, const char *list)
{
  g_auto (GStrv) names = g_strsplit (list, ",", -1);
  guint i, v;

  b->n_variants = 0;
  for (i = 0; names[i] != NULL; i++) {
    for (v = 0; v < N_VARIANTS; v++)
      if (g_str_equal (names[i], variant_names[v]))
        break;
    if (v == N_VARIANTS || b->n_variants == N_VARIANTS)
      return FALSE;
    b->variants[b->n_variants++] = v;
  }
  return b->n_variants > 0;
}

static void
print_load (const char *when)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    printf ("load average at %s: %s", when, text);
}

int
main (int argc, char **argv)
{
  gint handshakes = 80, parallel = 40, deadline = 30, seed = 16;
  g_autofree char *rates = g_strdup ("0,5,10,20");
  g_autofree char *variants = g_strdup ("stock,mtu,tuned,resend");
  g_autofree char *timer = NULL;
  GOptionEntry entries[] = {
    {"handshakes", 'n', 0, G_OPTION_ARG_INT, &handshakes,
        "Handshakes per variant and rate (80)", "N"},
    {"parallel", 'p', 0, G_OPTION_ARG_INT, &parallel,
        "Handshakes running at once (40)", "P"},
    {"rates", 'r', 0, G_OPTION_ARG_STRING, &rates,
        "Loss rates in percent (0,5,10,20)", "LIST"},
    {"variants", 'v', 0, G_OPTION_ARG_STRING, &variants,
        "stock,mtu,tuned,resend; the first is the ratios' baseline", "LIST"},
    {"deadline", 'd', 0, G_OPTION_ARG_INT, &deadline,
        "Give a handshake up after S seconds (30)", "S"},
    {"timer", 't', 0, G_OPTION_ARG_STRING, &timer,
          "tuned's first and longest retransmission timeout (150,1200)",
        "FIRST_MS,MAX_MS"},
    {"seed", 's', 0, G_OPTION_ARG_INT, &seed, "Loss PRNG seed (16)", "N"},
    {NULL}
  };
  g_autoptr (GOptionContext) context =
      g_option_context_new ("- DTLS handshake time under loss");
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) rate_list = NULL;
  GThread *resender;
  Resend *stop;
  Bench b = { 0 };
  guint i, first_ms = SL_DTLS_TUNING_FIRST_TIMEOUT_MS;
  guint max_ms = SL_DTLS_TUNING_MAX_TIMEOUT_MS;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("sl-bench-dtls: %s\n", error->message);
    return 2;
  }
  if (timer != NULL && (sscanf (timer, "%u,%u", &first_ms, &max_ms) != 2
          || first_ms == 0 || first_ms > max_ms)) {
    g_printerr ("sl-bench-dtls: --timer wants FIRST_MS,MAX_MS\n");
    return 2;
  }
  if (handshakes < 1 || parallel < 1 || deadline < 1
      || !parse_variants (&b, variants)) {
    g_printerr ("sl-bench-dtls: bad --handshakes, --parallel, --deadline or "
        "--variants\n");
    return 2;
  }
  sl_dtls_guard_install ();
  if (!sl_dtls_tuning_install (&error)) {
    g_printerr ("sl-bench-dtls: %s\n", error->message);
    return 1;
  }
  sl_dtls_tuning_set_parts (SL_DTLS_TUNING_NONE);
  sl_dtls_tuning_set_timer (first_ms, max_ms);
  b.handshakes = handshakes;
  b.parallel = parallel;
  b.deadline_s = deadline;
  b.seed = seed;
  b.active = g_ptr_array_new ();
  b.loop = g_main_loop_new (NULL, FALSE);
  for (i = 0; i < N_VARIANTS; i++)
    b.times[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
  resends = g_async_queue_new ();
  resender = g_thread_new ("resend", resend_thread, NULL);

  printf ("sl-bench-dtls: GStreamer %s, %u handshakes per variant and rate, "
      "%u at once, tuned timer %u ms doubling to %u ms, resend after %u ms, "
      "seed %u\n", gst_version_string (), b.handshakes, b.parallel, first_ms,
      max_ms, RESEND_MS, b.seed);
  print_load ("start");
  printf ("| loss | variant | p50 | p90 | max | within 10 s | failed | "
      "p50 ratio | p90 ratio | datagrams |\n");
  printf ("|---|---|---|---|---|---|---|---|---|---|\n");
  rate_list = g_strsplit (rates, ",", -1);
  for (i = 0; rate_list[i] != NULL; i++) {
    double pct = g_ascii_strtod (rate_list[i], NULL);

    if (pct < 0 || pct >= 100) {
      g_printerr ("sl-bench-dtls: bad loss rate %s\n", rate_list[i]);
      return 2;
    }
    run_rate (&b, pct / 100);
  }
  print_load ("end");
  printf ("(%u tuned DTLS objects; ratios: variant / %s; failed: gave up "
      "after %u s or DTLS failed)\n", sl_dtls_tuning_get_tuned (),
      variant_names[b.variants[0]], b.deadline_s);

  stop = g_new0 (Resend, 1);
  g_async_queue_push (resends, stop);
  g_thread_join (resender);
  g_async_queue_unref (resends);
  for (i = 0; i < N_VARIANTS; i++)
    g_array_unref (b.times[i]);
  g_ptr_array_unref (b.active);
  g_main_loop_unref (b.loop);
  gst_deinit ();
  return 0;
}
