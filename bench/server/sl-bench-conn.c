/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The load generator's transport: non-blocking TCP, OpenSSL TLS 1.3 and
 * a minimal RFC 6455 client (text frames out with a zero mask key, text
 * and ping frames in) on one epoll loop.  Writes are coalesced per
 * connection and reads drain everything available, so one core drives
 * thousands of connections and tens of thousands of messages a second.
 */

#include "sl-bench-conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

gboolean
bench_loop_init (BenchLoop * loop, const char *ca_file,
    BenchTextFunc on_text, gpointer user_data)
{
  memset (loop, 0, sizeof *loop);
  loop->epfd = epoll_create1 (EPOLL_CLOEXEC);
  loop->ctx = SSL_CTX_new (TLS_client_method ());
  SSL_CTX_set_min_proto_version (loop->ctx, TLS1_3_VERSION);
  SSL_CTX_set_mode (loop->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
      SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_session_cache_mode (loop->ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_verify (loop->ctx, SSL_VERIFY_PEER, NULL);
  if (SSL_CTX_load_verify_locations (loop->ctx, ca_file, NULL) != 1) {
    fprintf (stderr, "cannot load %s\n", ca_file);
    return FALSE;
  }
  loop->on_text = on_text;
  loop->user_data = user_data;
  return loop->epfd >= 0;
}

static void
set_events (BenchLoop * loop, BenchConn * c, gboolean out)
{
  struct epoll_event ev = { 0 };

  ev.events = EPOLLIN | (out ? EPOLLOUT : 0);
  ev.data.ptr = c;
  epoll_ctl (loop->epfd, EPOLL_CTL_MOD, c->fd, &ev);
  c->want_write = out;
}

void
bench_conn_close (BenchLoop * loop, BenchConn * c)
{
  if (c->state == BENCH_DEAD)
    return;
  if (c->state != BENCH_OPEN)
    loop->n_connecting--;
  c->state = BENCH_DEAD;
  loop->n_dead++;
  if (c->ssl)
    SSL_free (c->ssl);
  c->ssl = NULL;
  close (c->fd);
}

gboolean
bench_conn_start (BenchLoop * loop, BenchConn * c, guint16 port,
    const char *path_and_query, X509 * cert, EVP_PKEY * key)
{
  struct sockaddr_in sa = { 0 };
  struct epoll_event ev = { 0 };
  int one = 1;

  c->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0)
    return FALSE;
  setsockopt (c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sa.sin_family = AF_INET;
  sa.sin_port = htons (port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (c->fd, (struct sockaddr *) &sa, sizeof sa) != 0 &&
      errno != EINPROGRESS) {
    close (c->fd);
    return FALSE;
  }
  c->ssl = SSL_new (loop->ctx);
  SSL_set_fd (c->ssl, c->fd);
  SSL_set_connect_state (c->ssl);
  SSL_set_tlsext_host_name (c->ssl, "localhost");
  if (cert && (SSL_use_certificate (c->ssl, cert) != 1 ||
          SSL_use_PrivateKey (c->ssl, key) != 1))
    return FALSE;
  c->request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n", path_and_query);
  c->in = g_byte_array_new ();
  c->out = g_byte_array_new ();
  c->state = BENCH_TCP;
  loop->n_connecting++;
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.ptr = c;
  epoll_ctl (loop->epfd, EPOLL_CTL_ADD, c->fd, &ev);
  c->want_write = TRUE;
  return TRUE;
}

void
bench_conn_flush (BenchLoop * loop, BenchConn * c)
{
  while (c->out_off < c->out->len) {
    int n = SSL_write (c->ssl, c->out->data + c->out_off,
        (int) MIN (c->out->len - c->out_off, 1 << 20));
    if (n <= 0) {
      int err = SSL_get_error (c->ssl, n);
      if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) {
        if (!c->want_write)
          set_events (loop, c, TRUE);
        return;
      }
      bench_conn_close (loop, c);
      return;
    }
    c->out_off += (gsize) n;
    loop->bytes_out += (guint64) n;
  }
  g_byte_array_set_size (c->out, 0);
  c->out_off = 0;
  if (c->want_write)
    set_events (loop, c, FALSE);
}

static void
queue_frame (BenchConn * c, guint8 opcode, const void *data, gsize len)
{
  guint8 h[14];
  gsize n = 0;

  h[n++] = 0x80 | opcode;
  if (len < 126) {
    h[n++] = 0x80 | (guint8) len;
  } else if (len < 65536) {
    h[n++] = 0x80 | 126;
    h[n++] = (guint8) (len >> 8);
    h[n++] = (guint8) len;
  } else {
    int i;
    h[n++] = 0x80 | 127;
    for (i = 7; i >= 0; i--)
      h[n++] = (guint8) (len >> (8 * i));
  }
  /* A zero mask key: legal, and the payload needs no XOR. */
  memset (h + n, 0, 4);
  n += 4;
  g_byte_array_append (c->out, h, (guint) n);
  g_byte_array_append (c->out, data, (guint) len);
}

void
bench_conn_send_text (BenchLoop * loop, BenchConn * c, const char *text,
    gsize len)
{
  if (c->state != BENCH_OPEN)
    return;
  queue_frame (c, 0x1, text, len);
}

static void
parse_frames (BenchLoop * loop, BenchConn * c)
{
  gsize off = 0;

  for (;;) {
    const guint8 *p = c->in->data + off;
    gsize avail = c->in->len - off;
    guint64 len;
    gsize hdr = 2;
    guint opcode;

    if (avail < 2)
      break;
    opcode = p[0] & 0x0f;
    len = p[1] & 0x7f;
    if (len == 126) {
      hdr = 4;
      if (avail < hdr)
        break;
      len = ((guint64) p[2] << 8) | p[3];
    } else if (len == 127) {
      int i;
      hdr = 10;
      if (avail < hdr)
        break;
      len = 0;
      for (i = 0; i < 8; i++)
        len = (len << 8) | p[2 + i];
    }
    if (avail < hdr + len)
      break;
    if (opcode == 0x1)
      loop->on_text (c, (const char *) p + hdr, (gsize) len, loop->user_data);
    else if (opcode == 0x9)
      queue_frame (c, 0xA, p + hdr, (gsize) len);
    else if (opcode == 0x8) {
      bench_conn_close (loop, c);
      return;
    }
    if (c->state == BENCH_DEAD)
      return;
    off += hdr + (gsize) len;
  }
  if (off)
    g_byte_array_remove_range (c->in, 0, (guint) off);
}

static void
handle_read (BenchLoop * loop, BenchConn * c)
{
  guint8 buf[65536];

  for (;;) {
    int n = SSL_read (c->ssl, buf, sizeof buf);
    if (n <= 0) {
      int err = SSL_get_error (c->ssl, n);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
        break;
      bench_conn_close (loop, c);
      return;
    }
    loop->bytes_in += (guint64) n;
    g_byte_array_append (c->in, buf, (guint) n);
  }
  if (c->state == BENCH_HTTP) {
    const char *end =
        c->in->len == 0 ? NULL : g_strstr_len ((const char *) c->in->data,
        (gssize) c->in->len, "\r\n\r\n");
    gsize hdr;

    if (end == NULL)
      return;
    if (c->in->len < 12 || memcmp (c->in->data + 9, "101", 3) != 0) {
      bench_conn_close (loop, c);
      return;
    }
    hdr = (gsize) (end + 4 - (const char *) c->in->data);
    g_byte_array_remove_range (c->in, 0, (guint) hdr);
    c->state = BENCH_OPEN;
    loop->n_connecting--;
  }
  if (c->state == BENCH_OPEN)
    parse_frames (loop, c);
}

static void
conn_io (BenchLoop * loop, BenchConn * c, guint32 events)
{
  if (c->state == BENCH_TCP) {
    int err = 0;
    socklen_t l = sizeof err;

    getsockopt (c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
    if (err != 0) {
      bench_conn_close (loop, c);
      return;
    }
    c->state = BENCH_TLS;
  }
  if (c->state == BENCH_TLS) {
    int r = SSL_do_handshake (c->ssl);

    if (r != 1) {
      int err = SSL_get_error (c->ssl, r);
      if (err == SSL_ERROR_WANT_READ)
        set_events (loop, c, FALSE);
      else if (err == SSL_ERROR_WANT_WRITE)
        set_events (loop, c, TRUE);
      else
        bench_conn_close (loop, c);
      return;
    }
    c->state = BENCH_HTTP;
    c->upgrade_at = g_get_monotonic_time ();
    g_byte_array_append (c->out, (const guint8 *) c->request,
        (guint) strlen (c->request));
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
    handle_read (loop, c);
  if (c->state != BENCH_DEAD && c->out->len > c->out_off)
    bench_conn_flush (loop, c);
}

int
bench_loop_run_once (BenchLoop * loop, int timeout_ms)
{
  struct epoll_event events[512];
  int n = epoll_wait (loop->epfd, events, G_N_ELEMENTS (events), timeout_ms);
  int i;

  for (i = 0; i < n; i++)
    conn_io (loop, events[i].data.ptr, events[i].events);
  return n;
}

/* Device certificates signed by the operator CA, as sightline-ca would
 * make them, minted in memory because ten thousand separate runs of
 * sightline-ca would take longer than the benchmark. */
gboolean
bench_mint_devices (const char *ca_cert_file, const char *ca_key_file,
    guint n, const char *prefix, const char *role, X509 *** out_certs,
    EVP_PKEY ** out_key)
{
  FILE *f;
  X509 *ca;
  EVP_PKEY *ca_key, *key;
  X509 **certs;
  guint i;

  f = fopen (ca_cert_file, "r");
  ca = f ? PEM_read_X509 (f, NULL, NULL, NULL) : NULL;
  if (f)
    fclose (f);
  f = fopen (ca_key_file, "r");
  ca_key = f ? PEM_read_PrivateKey (f, NULL, NULL, NULL) : NULL;
  if (f)
    fclose (f);
  if (!ca || !ca_key)
    return FALSE;
  key = EVP_EC_gen ("P-256");
  certs = g_new0 (X509 *, n);
  for (i = 0; i < n; i++) {
    X509 *c = X509_new ();
    X509_NAME *name = X509_get_subject_name (c);
    g_autofree char *id = g_strdup_printf ("%s-%u", prefix, i);
    X509V3_CTX ctx;
    X509_EXTENSION *ext;

    X509_set_version (c, X509_VERSION_3);
    /* Serials differ between prefixes too: one run mints several sets. */
    ASN1_INTEGER_set_int64 (X509_get_serialNumber (c),
        (gint64) (g_str_hash (prefix) & 0xffffff) * 100000000 + 1000000 + i);
    X509_gmtime_adj (X509_getm_notBefore (c), -3600);
    X509_gmtime_adj (X509_getm_notAfter (c), 86400);
    X509_NAME_add_entry_by_NID (name, NID_organizationName, MBSTRING_UTF8,
        (const unsigned char *) "Sightline", -1, -1, 0);
    X509_NAME_add_entry_by_NID (name, NID_title, MBSTRING_UTF8,
        (const unsigned char *) role, -1, -1, 0);
    X509_NAME_add_entry_by_NID (name, NID_name, MBSTRING_UTF8,
        (const unsigned char *) id, -1, -1, 0);
    X509_NAME_add_entry_by_NID (name, NID_commonName, MBSTRING_UTF8,
        (const unsigned char *) id, -1, -1, 0);
    X509_set_issuer_name (c, X509_get_subject_name (ca));
    X509_set_pubkey (c, key);
    X509V3_set_ctx (&ctx, ca, c, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_ext_key_usage, "clientAuth");
    X509_add_ext (c, ext, -1);
    X509_EXTENSION_free (ext);
    X509_sign (c, ca_key, EVP_sha256 ());
    certs[i] = c;
  }
  X509_free (ca);
  EVP_PKEY_free (ca_key);
  *out_certs = certs;
  *out_key = key;
  return TRUE;
}

gint64
bench_rss_kib (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  p = strstr (text, "VmRSS:");
  return p ? g_ascii_strtoll (p + 6, NULL, 10) : -1;
}

double
bench_cpu_seconds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) f = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  /* Fields after the command name, which may contain spaces. */
  p = strrchr (text, ')');
  if (p == NULL)
    return -1;
  f = g_strsplit (p + 2, " ", -1);
  if (g_strv_length (f) < 13)
    return -1;
  return (double) (g_ascii_strtoull (f[11], NULL, 10) +
      g_ascii_strtoull (f[12], NULL, 10)) / (double) sysconf (_SC_CLK_TCK);
}

const char *
bench_find_after (const char *text, gsize len, const char *needle)
{
  const char *p = g_strstr_len (text, (gssize) len, needle);

  return p ? p + strlen (needle) : NULL;
}

int
bench_cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}
