/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Benchmark only: many non-blocking TLS WebSocket client connections on
 * one epoll loop, with OpenSSL directly (bench code may). */

#pragma once

#include <glib.h>
#include <openssl/ssl.h>

G_BEGIN_DECLS

typedef enum
{
  BENCH_TCP,
  BENCH_TLS,
  BENCH_HTTP,
  BENCH_OPEN,
  BENCH_DEAD,
} BenchState;

typedef struct _BenchConn BenchConn;
typedef void (*BenchTextFunc) (BenchConn * conn, const char *text, gsize len,
    gpointer user_data);

struct _BenchConn
{
  int fd;
  SSL *ssl;
  BenchState state;
  guint index;
  char *request;                /* the HTTP upgrade request */
  gint64 upgrade_at;            /* monotonic us it was queued (TLS up) */
  GByteArray *in;
  GByteArray *out;
  gsize out_off;
  gboolean want_write;
  /* for the scenario */
  guint peer;
  gboolean ready;
  gboolean active;
  guint inflight;
  char call_id[33];
  char *id;
};

typedef struct
{
  int epfd;
  SSL_CTX *ctx;
  BenchTextFunc on_text;
  gpointer user_data;
  guint n_connecting;
  guint n_dead;
  guint64 bytes_in;
  guint64 bytes_out;
} BenchLoop;

gboolean  bench_loop_init      (BenchLoop     *loop,
                                const char    *ca_file,
                                BenchTextFunc  on_text,
                                gpointer       user_data);
gboolean  bench_conn_start     (BenchLoop     *loop,
                                BenchConn     *conn,
                                guint16        port,
                                const char    *path_and_query,
                                X509          *cert,
                                EVP_PKEY      *key);
void      bench_conn_send_text (BenchLoop     *loop,
                                BenchConn     *conn,
                                const char    *text,
                                gsize          len);
void      bench_conn_flush     (BenchLoop     *loop,
                                BenchConn     *conn);
int       bench_loop_run_once  (BenchLoop     *loop,
                                int            timeout_ms);
void      bench_conn_close     (BenchLoop     *loop,
                                BenchConn     *conn);

gboolean  bench_mint_devices   (const char    *ca_cert_file,
                                const char    *ca_key_file,
                                guint          n,
                                const char    *prefix,
                                const char    *role,
                                X509        ***out_certs,
                                EVP_PKEY     **out_key);

gint64    bench_rss_kib        (int            pid);
double    bench_cpu_seconds    (int            pid);

/* The text after @needle in @text, or NULL. */
const char *bench_find_after   (const char    *text,
                                gsize          len,
                                const char    *needle);
/* qsort and g_array_sort order for doubles. */
int       bench_cmp_double     (gconstpointer  a,
                                gconstpointer  b);

G_END_DECLS
