/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The socket under one connection's OpenSSL object, as an OpenSSL BIO:
 * reads come straight from the socket, bounded by a budget; what OpenSSL
 * writes is only buffered, and sent when the stream asks.
 *
 * The budget is what makes the server fair: a connection may read at
 * most BUDGET_BYTES and have OpenSSL process at most BUDGET_RECORDS
 * records without an EAGAIN before the other devices have their turn.
 * Records are counted by OpenSSL's message callback as it parses them (we
 * never look inside a record), so the budget is checked at each recv(),
 * which takes at most RECV_MAX bytes: with the smallest records (22
 * bytes) and a KeyUpdate in every few, that bounds one turn to about a
 * millisecond of work.  A device's usual burst (a few messages of a few
 * KiB) fits in one turn; the largest message takes two.  When the budget
 * runs out, OpenSSL is told "try again later" and the owner is told to
 * refill it in the next main-loop iteration.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-tls-socket.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#define BUDGET_BYTES (64 * 1024)
#define BUDGET_RECORDS 32
#define RECV_MAX (4 * 1024)

void
sl_tls_buf_append (SlTlsBuf * b, const void *data, gsize len)
{
  if (b->len + len > b->cap) {
    b->cap = MAX (b->cap * 2, MAX (b->len + len, 4096));
    b->data = g_realloc (b->data, b->cap);
  }
  if (data)
    memcpy (b->data + b->len, data, len);
  b->len += len;
}

void
sl_tls_buf_free (SlTlsBuf * b)
{
  g_free (b->data);
  memset (b, 0, sizeof *b);
}

void
sl_tls_socket_refill (SlTlsSocket * sock)
{
  sock->budget_bytes = BUDGET_BYTES;
  sock->budget_records = BUDGET_RECORDS;
  sock->throttled = FALSE;
}

/* One recv(), noting the end of the stream, EAGAIN (so that readiness
 * is exact; the socket is drained, so the budget starts again) and
 * errors. */
static gssize
sock_recv (SlTlsSocket * sock, void *data, gsize len)
{
  ssize_t n;

  do
    n = recv (sock->fd, data, len, 0);
  while (n < 0 && errno == EINTR);
  if (n > 0) {
    sock->last_input_us = g_get_monotonic_time ();
    sock->budget_bytes -= MIN ((gsize) n, sock->budget_bytes);
  } else if (n == 0) {
    sock->eof = TRUE;
  } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
    sock->readable = FALSE;
    sl_tls_socket_refill (sock);
  } else {
    sock->read_errno = errno;
  }
  return n;
}

static int
bio_read (BIO * bio, char *data, int len)
{
  SlTlsSocket *sock = BIO_get_data (bio);
  gssize n;

  BIO_clear_retry_flags (bio);
  if (len <= 0)
    return 0;
  if (sock->budget_bytes == 0 || sock->budget_records == 0) {
    /* Enough for this turn: OpenSSL sees "try again later". */
    if (!sock->throttled) {
      sock->throttled = TRUE;
      sock->on_throttle (sock->on_throttle_data);
    }
    BIO_set_retry_read (bio);
    return -1;
  }
  n = sock_recv (sock, data, MIN ((gsize) len, MIN (sock->budget_bytes,
              RECV_MAX)));
  if (n < 0 && sock->read_errno == 0)
    BIO_set_retry_read (bio);
  return n > 0 ? (int) n : (n == 0 ? 0 : -1);
}

/* Ciphertext goes to a buffer, sent by sl_tls_socket_send(). */
static int
bio_write (BIO * bio, const char *data, int len)
{
  SlTlsSocket *sock = BIO_get_data (bio);

  BIO_clear_retry_flags (bio);
  if (len <= 0)
    return 0;
  sl_tls_buf_append (&sock->out, data, (gsize) len);
  return len;
}

static long
bio_ctrl (BIO * bio, int cmd, long num, void *ptr)
{
  /* OpenSSL flushes after each handshake flight; sending is ours. */
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int
bio_create (BIO * bio)
{
  BIO_set_init (bio, 1);
  return 1;
}

static BIO_METHOD *
bio_method (void)
{
  static gsize method = 0;

  if (g_once_init_enter (&method)) {
    BIO_METHOD *m = BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK,
        "sightline socket");

    g_assert (m != NULL);
    BIO_meth_set_write (m, bio_write);
    BIO_meth_set_read (m, bio_read);
    BIO_meth_set_ctrl (m, bio_ctrl);
    BIO_meth_set_create (m, bio_create);
    g_once_init_leave (&method, (gsize) m);
  }
  return (BIO_METHOD *) method;
}

/* OpenSSL reports every record header it reads: the count fairness and
 * the accounting of records without data need. */
static void
message_cb (int write_p, int version, int content_type, const void *buf,
    size_t len, SSL * ssl, void *arg)
{
  SlTlsSocket *sock = arg;

  if (write_p || content_type != SSL3_RT_HEADER)
    return;
  sock->records_in++;
  if (sock->budget_records > 0)
    sock->budget_records--;
}

/**
 * sl_tls_socket_init: (skip)
 * @sock: the socket state to fill in
 * @fd: a connected, non-blocking socket
 * @on_throttle: told when the budget runs out during a read
 * @user_data: for @on_throttle
 */
void
sl_tls_socket_init (SlTlsSocket * sock, int fd, SlTlsSocketFunc on_throttle,
    gpointer user_data)
{
  memset (sock, 0, sizeof *sock);
  sock->fd = fd;
  sock->on_throttle = on_throttle;
  sock->on_throttle_data = user_data;
  sock->last_input_us = g_get_monotonic_time ();
  sl_tls_socket_refill (sock);
}

/**
 * sl_tls_socket_attach: (skip)
 * @sock: the socket state
 * @ssl: the connection's OpenSSL object
 *
 * Puts the socket under @ssl and counts the records it reads.
 *
 * Returns: %FALSE if OpenSSL could not make the BIO (out of memory)
 */
gboolean
sl_tls_socket_attach (SlTlsSocket * sock, SSL * ssl)
{
  BIO *bio = BIO_new (bio_method ());

  if (bio == NULL)
    return FALSE;
  BIO_set_data (bio, sock);
  SSL_set_bio (ssl, bio, bio);
  SSL_set_msg_callback (ssl, message_cb);
  SSL_set_msg_callback_arg (ssl, sock);
  return TRUE;
}

/* Sends what OpenSSL wrote without blocking; the rest goes on at the
 * next EPOLLOUT edge. */
void
sl_tls_socket_send (SlTlsSocket * sock)
{
  SlTlsBuf *out = &sock->out;

  while (out->off < out->len && !sock->write_failed) {
    ssize_t n = send (sock->fd, out->data + out->off, out->len - out->off,
        MSG_NOSIGNAL | MSG_DONTWAIT);

    if (n > 0)
      out->off += (gsize) n;
    else if (n < 0 && errno == EINTR)
      continue;
    else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    else {
      sock->write_failed = TRUE;
      sock->write_errno = n < 0 ? errno : EPIPE;
    }
  }
  if (out->off == out->len)
    sl_tls_buf_free (out);
}

gsize
sl_tls_socket_unsent (SlTlsSocket * sock)
{
  return sock->out.len - sock->out.off;
}

void
sl_tls_socket_clear (SlTlsSocket * sock)
{
  sl_tls_buf_free (&sock->out);
}
