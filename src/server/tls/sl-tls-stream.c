/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The server side of one device's TLS 1.3 connection, on OpenSSL: a
 * GIOStream whose input and output streams are pollable, so that libsoup
 * can run HTTP and WebSocket over it (soup_server_accept_iostream()).
 *
 * OpenSSL's SSL object does all of TLS for the connection's whole life:
 * the handshake with every check (sl-tls-config.c), then each record in
 * both directions (SSL_read(), SSL_write()), KeyUpdates and alerts.
 * Nothing here looks inside a record.  SSL_MODE_RELEASE_BUFFERS lets
 * OpenSSL free its record buffers while the connection is idle.
 *
 * It is built for many mostly idle connections in one main loop:
 *
 * - No GSource polls the socket.  Whoever owns the streams watches every
 *   socket with one epoll set and calls sl_tls_stream_io_ready(); the
 *   sources libsoup waits on have no file descriptor and are woken with
 *   g_source_set_ready_time(), so an idle connection costs the main loop
 *   nothing per iteration beyond the walk over its source.
 * - Writes are gathered: plaintext is only copied here, and encrypted
 *   (one SSL_write()) and sent (one send()) when the owner calls
 *   sl_tls_stream_flush() once per main-loop iteration.  A write is taken
 *   whole or not at all (G_IO_ERROR_WOULD_BLOCK above a high-water mark):
 *   frames from two writers never interleave.
 * - Reading is fair: the socket under OpenSSL (sl-tls-socket.c) stops
 *   after a budget of bytes and records without an EAGAIN
 *   (SL_TLS_STREAM_EVENT_THROTTLED) and the stream goes on in the next
 *   main-loop iteration (sl_tls_stream_resume()), so a device that floods
 *   cannot hold the loop.  Records that carry no application data (empty
 *   records, KeyUpdates, alerts) are reported to the owner
 *   (SlTlsNoiseFunc), which charges them to the device's limits.
 *
 * The handshake checks the device before any application byte: a
 * certificate chaining to the operator CA, within its validity, with the
 * client-auth usage and a device subject (parsed once, into an
 * SlPkiIdentity), and not revoked.  Every refusal has its SlTlsError code.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-tls-stream.h"
#include "sl-tls-private.h"
#include "sl-tls-socket.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>

#include <openssl/err.h>

/* Writers wait (G_IO_ERROR_WOULD_BLOCK) while this much is unsent. */
#define HIGH_WATER (256 * 1024)
/* Encrypt and send at once rather than at the next flush. */
#define FLUSH_NOW (64 * 1024)
typedef enum
{
  STATE_NEW,
  STATE_HANDSHAKING,
  STATE_OPEN,
  STATE_FAILED,
  STATE_CLOSED,
} State;

struct _SlTlsStream
{
  GIOStream parent_instance;

  SlTlsConfig *config;
  GSocketConnection *connection;
  SSL *ssl;
  GInputStream *input;
  GOutputStream *output;
  State state;

  SlTlsBuf plain;               /* written, not yet encrypted */
  SlTlsSocket sock;             /* the socket under OpenSSL */
  gboolean buffered_stalled;    /* OpenSSL holds part of a record only */
  gboolean read_failed;         /* OpenSSL refused what the peer sent */
  gboolean flush_requested;
  GSList *sources;              /* GSource of the halves, not owned */

  /* Records without data are reported (see the top of the file). */
  SlTlsNoiseFunc noise;
  gpointer noise_data;

  SlTlsStreamWatchFunc watch;
  gpointer watch_data;
  SlTlsHandshakeFunc handshake_done;
  gpointer handshake_data;
  gboolean refused;
  SlTlsError refusal;
  char *refusal_detail;
  SlPkiIdentity *identity;
};

G_DEFINE_FINAL_TYPE (SlTlsStream, sl_tls_stream, G_TYPE_IO_STREAM);

/* --- buffers ----------------------------------------------------------- */

static gsize
unsent (SlTlsStream * self)
{
  return self->plain.len + sl_tls_socket_unsent (&self->sock);
}

/* --- readiness --------------------------------------------------------- */

gboolean
sl_tls_stream_is_ready (SlTlsStream * self, GIOCondition condition)
{
  if (self == NULL || self->state != STATE_OPEN)
    return TRUE;                /* readers and writers see the error */
  if (condition & G_IO_IN) {
    if (self->sock.throttled)
      return FALSE;
    /* OpenSSL may hold whole records it read ahead even after an
     * EAGAIN: readable until a read finds only part of one. */
    return self->sock.readable || self->sock.eof || self->sock.read_errno ||
        self->read_failed || SSL_pending (self->ssl) > 0 ||
        (SSL_has_pending (self->ssl) && !self->buffered_stalled);
  }
  return self->sock.write_failed || unsent (self) < HIGH_WATER;
}

static void
wake (SlTlsStream * self, GIOCondition condition)
{
  GSList *l;

  for (l = self->sources; l; l = l->next)
    sl_tls_source_wake (l->data, condition);
}

/* The halves' sources register here to be woken (sl-tls-halves.c). */
void
sl_tls_stream_track_source (SlTlsStream * self, GSource * source)
{
  self->sources = g_slist_prepend (self->sources, source);
}

void
sl_tls_stream_untrack_source (SlTlsStream * self, GSource * source)
{
  self->sources = g_slist_remove (self->sources, source);
}

static void
notify (SlTlsStream * self, SlTlsStreamEvent event)
{
  if (self->watch)
    self->watch (self, event, self->watch_data);
}

static void
request_flush (SlTlsStream * self)
{
  if (self->flush_requested || self->watch == NULL)
    return;
  self->flush_requested = TRUE;
  notify (self, SL_TLS_STREAM_EVENT_FLUSH);
}

/* The socket's read budget ran out: the poller resumes us next time. */
static void
throttled_cb (gpointer user_data)
{
  notify (user_data, SL_TLS_STREAM_EVENT_THROTTLED);
}

/* --- what the verification callback learns (sl-tls-config.c) ---------- */

SlTlsConfig *
sl_tls_stream_get_config (SlTlsStream * self)
{
  return self->config;
}

void
sl_tls_stream_refuse (SlTlsStream * self, SlTlsError code, char *detail)
{
  if (self->refused) {
    g_free (detail);
    return;
  }
  self->refused = TRUE;
  self->refusal = code;
  self->refusal_detail = detail;
}

gboolean
sl_tls_stream_has_identity (SlTlsStream * self)
{
  return self->identity != NULL;
}

void
sl_tls_stream_take_identity (SlTlsStream * self, SlPkiIdentity * identity)
{
  g_clear_pointer (&self->identity, sl_pki_identity_free);
  self->identity = identity;
}

/* --- failures --------------------------------------------------------- */

/* OpenSSL's first queued reason as text (empties the queue).  Reasons are
 * OpenSSL's own texts; nothing secret is in them. */
static int
take_ssl_reason (char *text, gsize size)
{
  unsigned long e = ERR_peek_error ();

  text[0] = '\0';
  if (e)
    ERR_error_string_n (e, text, size);
  ERR_clear_error ();
  return ERR_GET_LIB (e) == ERR_LIB_SSL ? ERR_GET_REASON (e) : 0;
}

static void
handshake_failure (SlTlsStream * self, int ssl_err, GError ** error)
{
  char text[256];
  int reason = take_ssl_reason (text, sizeof text);
  SlTlsError code;

  if (self->refused) {
    g_set_error_literal (error, SL_TLS_ERROR, self->refusal,
        self->refusal_detail);
    return;
  }
  code = sl_tls_config_classify_reason (reason);
  if (reason == 0 && (self->sock.eof || self->sock.read_errno == ECONNRESET ||
          self->sock.read_errno == EPIPE || ssl_err == SSL_ERROR_ZERO_RETURN))
    code = SL_TLS_ERROR_ABORTED;
  if (code == SL_TLS_ERROR_ABORTED)
    g_set_error_literal (error, SL_TLS_ERROR, code,
        "the peer closed the connection during the handshake");
  else
    g_set_error (error, SL_TLS_ERROR, code, "TLS handshake failed: %s",
        text[0] ? text : "unknown reason");
}

/* --- sending ----------------------------------------------------------- */

/* Hands what libsoup wrote to OpenSSL in one go (as few records as
 * possible); our BIO takes everything, so SSL_write() never waits. */
static void
encrypt_plain (SlTlsStream * self)
{
  gsize off = 0;

  ERR_clear_error ();
  while (off < self->plain.len) {
    int n = SSL_write (self->ssl, self->plain.data + off,
        (int) MIN (self->plain.len - off, (gsize) INT_MAX));

    if (n <= 0) {
      ERR_clear_error ();
      self->sock.write_failed = TRUE;
      self->sock.write_errno = EPROTO;
      break;
    }
    off += (gsize) n;
  }
  OPENSSL_cleanse (self->plain.data, self->plain.len);
  sl_tls_buf_free (&self->plain);
}

/**
 * sl_tls_stream_flush:
 * @self: a stream
 *
 * Encrypts what was written since the last flush (as few records as
 * possible) and sends it without blocking; what the socket does not take
 * now goes on when sl_tls_stream_io_ready() reports it writable.
 *
 * Returns: whether nothing is left unsent
 */
gboolean
sl_tls_stream_flush (SlTlsStream * self)
{
  gboolean was_full;

  g_return_val_if_fail (SL_IS_TLS_STREAM (self), TRUE);
  self->flush_requested = FALSE;
  if (self->state != STATE_OPEN || self->sock.write_failed)
    return TRUE;
  was_full = unsent (self) >= HIGH_WATER;
  if (self->plain.len > 0)
    encrypt_plain (self);
  sl_tls_socket_send (&self->sock);
  if (was_full && sl_tls_stream_is_ready (self, G_IO_OUT))
    wake (self, G_IO_OUT);
  return unsent (self) == 0;
}

/* --- the handshake ----------------------------------------------------- */

static void
handshake_step (SlTlsStream * self)
{
  g_autoptr (GError) error = NULL;
  SlTlsHandshakeFunc done;
  int ret, err;

  ERR_clear_error ();
  ret = SSL_do_handshake (self->ssl);
  sl_tls_socket_send (&self->sock);
  err = ret == 1 ? SSL_ERROR_NONE : SSL_get_error (self->ssl, ret);
  if (err == SSL_ERROR_WANT_READ && !self->sock.eof && !self->sock.read_errno)
    return;                     /* the next flight, or the next round */

  if (ret == 1 && self->identity == NULL)
    g_set_error_literal (&error, SL_TLS_ERROR, SL_TLS_ERROR_NO_CERTIFICATE,
        "no client certificate");
  else if (ret != 1)
    handshake_failure (self, err, &error);
  ERR_clear_error ();
  self->state = error ? STATE_FAILED : STATE_OPEN;
  done = self->handshake_done;
  self->handshake_done = NULL;
  if (done)
    done (self, error, self->handshake_data);
  /* Bytes the device sent right after its Finished may already be in
   * OpenSSL's buffer: whoever reads next is told. */
  if (self->state == STATE_OPEN)
    wake (self, G_IO_IN);
}

/**
 * sl_tls_stream_handshake:
 * @self: a new stream
 * @done: called once, when the handshake has succeeded or failed
 * @user_data: for @done
 *
 * Starts the server handshake.  It advances as sl_tls_stream_io_ready()
 * reports the socket readable; there is no timeout here (close the stream
 * to give up: @done is then not called).
 */
void
sl_tls_stream_handshake (SlTlsStream * self, SlTlsHandshakeFunc done,
    gpointer user_data)
{
  g_return_if_fail (SL_IS_TLS_STREAM (self));
  g_return_if_fail (self->state == STATE_NEW);
  self->state = STATE_HANDSHAKING;
  self->handshake_done = done;
  self->handshake_data = user_data;
}

/**
 * sl_tls_stream_steal_identity:
 * @self: a stream whose handshake succeeded
 *
 * Returns: (transfer full) (nullable): the device named by the client
 *   certificate (OpenSSL keeps the certificate itself to the end)
 */
SlPkiIdentity *
sl_tls_stream_steal_identity (SlTlsStream * self)
{
  g_return_val_if_fail (SL_IS_TLS_STREAM (self), NULL);
  return g_steal_pointer (&self->identity);
}

/**
 * sl_tls_stream_io_ready:
 * @self: a stream
 * @condition: what epoll reported for its socket (%G_IO_IN for readable,
 *   hang-up or error; %G_IO_OUT for writable)
 *
 * Advances the handshake, sends what waits, and wakes the sources of
 * whoever reads or writes the stream.  Edge-triggered: call it on each
 * change, not while the socket merely stays readable.
 */
void
sl_tls_stream_io_ready (SlTlsStream * self, GIOCondition condition)
{
  g_autoptr (SlTlsStream) hold = NULL;

  g_return_if_fail (SL_IS_TLS_STREAM (self));
  if (self->state == STATE_CLOSED || self->state == STATE_FAILED)
    return;
  hold = g_object_ref (self);   /* handshake callbacks may drop theirs */
  if (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) {
    self->sock.readable = TRUE;
    self->buffered_stalled = FALSE;
  }
  if ((condition & G_IO_OUT) && sl_tls_socket_unsent (&self->sock) > 0) {
    gboolean was_full = unsent (self) >= HIGH_WATER;

    sl_tls_socket_send (&self->sock);
    if (was_full && self->state == STATE_OPEN)
      wake (self, G_IO_OUT);
  }
  if (self->sock.throttled)
    return;                     /* sl_tls_stream_resume() goes on */
  if (self->state == STATE_HANDSHAKING && self->sock.readable)
    handshake_step (self);
  else if (self->state == STATE_OPEN && self->sock.readable)
    wake (self, G_IO_IN);
}

/**
 * sl_tls_stream_resume:
 * @self: a stream that reported %SL_TLS_STREAM_EVENT_THROTTLED
 *
 * Gives the stream a new budget and goes on reading (or handshaking)
 * where it stopped.  Call it once per main-loop iteration, not from
 * inside a read.
 */
void
sl_tls_stream_resume (SlTlsStream * self)
{
  g_autoptr (SlTlsStream) hold = NULL;

  g_return_if_fail (SL_IS_TLS_STREAM (self));
  if (!self->sock.throttled)
    return;
  sl_tls_socket_refill (&self->sock);
  if (self->state == STATE_CLOSED || self->state == STATE_FAILED)
    return;
  hold = g_object_ref (self);
  if (self->state == STATE_HANDSHAKING)
    handshake_step (self);
  else if (self->state == STATE_OPEN)
    wake (self, G_IO_IN);
}

/* --- reading and writing ----------------------------------------------- */

static gboolean
check_open (SlTlsStream * self, GError ** error)
{
  if (self == NULL || self->state == STATE_CLOSED) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
        "the TLS connection is closed");
    return FALSE;
  }
  if (self->state != STATE_OPEN) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
        "the TLS handshake has not succeeded");
    return FALSE;
  }
  return TRUE;
}

static gssize
would_block (GError ** error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "no data");
  return -1;
}

/* SSL_read() returns data from one record at most; the records it went
 * through before that one carried none. */
static void
charge_noise (SlTlsStream * self, guint records, gboolean got_data)
{
  guint noise = got_data ? (records > 0 ? records - 1 : 0) : records;

  if (noise > 0 && self->noise)
    self->noise (self, noise, self->noise_data);
}

gssize
sl_tls_stream_read (SlTlsStream * self, void *buffer, gsize count,
    GError ** error)
{
  g_autoptr (SlTlsStream) hold = NULL;
  char text[256];
  guint records;
  int n, err;

  if (!check_open (self, error))
    return -1;
  if (self->read_failed) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "the TLS connection failed");
    return -1;
  }
  if (count == 0)
    return 0;
  if (self->sock.throttled)
    return would_block (error);

  hold = g_object_ref (self);   /* the noise callback may close us */
  records = self->sock.records_in;
  ERR_clear_error ();
  n = SSL_read (self->ssl, buffer, (int) MIN (count, (gsize) INT_MAX));
  err = n > 0 ? SSL_ERROR_NONE : SSL_get_error (self->ssl, n);
  records = self->sock.records_in - records;
  /* What OpenSSL answered (our KeyUpdate) or the alert it sent leaves
   * now, behind everything written before. */
  if (sl_tls_socket_unsent (&self->sock) > 0)
    sl_tls_socket_send (&self->sock);
  if (err == SSL_ERROR_NONE || err == SSL_ERROR_WANT_READ)
    charge_noise (self, records, n > 0);
  if (self->state != STATE_OPEN) {
    if (n > 0)
      OPENSSL_cleanse (buffer, (gsize) n);
    return check_open (self, error) ? 0 : -1;
  }

  switch (err) {
    case SSL_ERROR_NONE:
      return n;
    case SSL_ERROR_WANT_READ:
      if (!self->sock.readable && SSL_has_pending (self->ssl))
        self->buffered_stalled = TRUE;
      return would_block (error);
    case SSL_ERROR_ZERO_RETURN:
      return 0;                 /* close_notify, or the end of TCP */
    case SSL_ERROR_SYSCALL:
      if (self->sock.read_errno) {
        ERR_clear_error ();
        g_set_error (error, G_IO_ERROR,
            g_io_error_from_errno (self->sock.read_errno), "receive failed: %s",
            g_strerror (self->sock.read_errno));
        return -1;
      }
      ERR_clear_error ();
      return 0;
    default:
      /* A record OpenSSL refused (bad tag, too long, unexpected type...):
       * it has sent the alert RFC 8446 asks for (above) and the
       * connection is over. */
      take_ssl_reason (text, sizeof text);
      self->read_failed = TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "TLS record refused: %s", text[0] ? text : "unknown reason");
      return -1;
  }
}

gssize
sl_tls_stream_write (SlTlsStream * self, const void *buffer, gsize count,
    GError ** error)
{
  if (!check_open (self, error))
    return -1;
  if (self->sock.write_failed) {
    g_set_error (error, G_IO_ERROR,
        g_io_error_from_errno (self->sock.write_errno), "send failed: %s",
        g_strerror (self->sock.write_errno));
    return -1;
  }
  if (unsent (self) >= HIGH_WATER) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
        "the peer is not reading");
    return -1;
  }
  sl_tls_buf_append (&self->plain, buffer, count);
  if (self->plain.len >= FLUSH_NOW)
    sl_tls_stream_flush (self);
  else
    request_flush (self);
  return (gssize) count;
}

/* Only for callers that insist on blocking (the server never does). */
gboolean
sl_tls_stream_wait (SlTlsStream * self, short events,
    GCancellable * cancellable, GError ** error)
{
  struct pollfd pfd = { self ? self->sock.fd : -1, events, 0 };

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (self && (events & POLLOUT))
    sl_tls_stream_flush (self);
  if (self && poll (&pfd, 1, 1000) < 0 && errno != EINTR) {
    g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (errno),
        g_strerror (errno));
    return FALSE;
  }
  if (self) {
    self->sock.readable = TRUE;
    self->buffered_stalled = FALSE;
    sl_tls_socket_refill (&self->sock);
  }
  return TRUE;
}

/* --- the stream -------------------------------------------------------- */

/**
 * sl_tls_stream_new_server:
 * @config: the server's TLS settings
 * @connection: a TCP connection just accepted
 * @error: return location for an %SL_TLS_ERROR_SETUP error
 *
 * Returns: (transfer full) (nullable): a stream for the server side of a
 *   TLS connection on @connection; start it with sl_tls_stream_handshake()
 */
SlTlsStream *
sl_tls_stream_new_server (SlTlsConfig * config,
    GSocketConnection * connection, GError ** error)
{
  g_autoptr (SlTlsStream) self = g_object_new (SL_TYPE_TLS_STREAM, NULL);

  g_return_val_if_fail (SL_IS_TLS_CONFIG (config), NULL);
  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);

  self->config = g_object_ref (config);
  self->connection = g_object_ref (connection);
  sl_tls_socket_init (&self->sock, g_socket_get_fd
      (g_socket_connection_get_socket (connection)), throttled_cb, self);
  self->ssl = SSL_new (sl_tls_config_get_ssl_ctx (config));
  if (self->ssl == NULL || !sl_tls_socket_attach (&self->sock, self->ssl)) {
    ERR_clear_error ();
    g_set_error_literal (error, SL_TLS_ERROR, SL_TLS_ERROR_SETUP,
        "cannot create a TLS connection (out of memory?)");
    return NULL;
  }
  SSL_set_ex_data (self->ssl, sl_tls_config_stream_index (), self);
  SSL_set_accept_state (self->ssl);
  return g_steal_pointer (&self);
}

int
sl_tls_stream_get_fd (SlTlsStream * self)
{
  g_return_val_if_fail (SL_IS_TLS_STREAM (self), -1);
  return self->sock.fd;
}

/**
 * sl_tls_stream_get_connection:
 * @self: a stream
 *
 * Returns: (transfer none): the TCP connection under it
 */
GSocketConnection *
sl_tls_stream_get_connection (SlTlsStream * self)
{
  g_return_val_if_fail (SL_IS_TLS_STREAM (self), NULL);
  return self->connection;
}

/**
 * sl_tls_stream_set_watch:
 * @self: a stream
 * @func: (nullable): told when output waits and when the socket closes
 * @user_data: for @func
 */
void
sl_tls_stream_set_watch (SlTlsStream * self, SlTlsStreamWatchFunc func,
    gpointer user_data)
{
  g_return_if_fail (SL_IS_TLS_STREAM (self));
  self->watch = func;
  self->watch_data = user_data;
}

/**
 * sl_tls_stream_set_noise_func:
 * @self: a stream
 * @func: (nullable): told about records that carried no application data
 * @user_data: for @func
 */
void
sl_tls_stream_set_noise_func (SlTlsStream * self, SlTlsNoiseFunc func,
    gpointer user_data)
{
  g_return_if_fail (SL_IS_TLS_STREAM (self));
  self->noise = func;
  self->noise_data = user_data;
}

/**
 * sl_tls_stream_get_last_input:
 * @self: a stream
 *
 * Returns: the monotonic time at which the peer last sent bytes (or the
 *   stream was made, if it has sent none)
 */
gint64
sl_tls_stream_get_last_input (SlTlsStream * self)
{
  g_return_val_if_fail (SL_IS_TLS_STREAM (self), 0);
  return self->sock.last_input_us;
}

static GInputStream *
sl_tls_stream_get_input_stream (GIOStream * stream)
{
  return SL_TLS_STREAM (stream)->input;
}

static GOutputStream *
sl_tls_stream_get_output_stream (GIOStream * stream)
{
  return SL_TLS_STREAM (stream)->output;
}

/* Ends the connection (TLS and socket) without touching the halves. */
void
sl_tls_stream_close_internal (SlTlsStream * self)
{
  GSList *l;

  if (self->state == STATE_CLOSED)
    return;
  /* Best effort, never blocking: what is queued (a WebSocket close frame,
   * usually) and close_notify. */
  if (self->state == STATE_OPEN && !self->read_failed
      && !self->sock.write_failed) {
    if (self->plain.len > 0)
      encrypt_plain (self);
    ERR_clear_error ();
    SSL_shutdown (self->ssl);   /* close_notify */
    ERR_clear_error ();
  }
  /* Also an alert OpenSSL queued when it refused a record. */
  sl_tls_socket_send (&self->sock);
  self->state = STATE_CLOSED;
  self->handshake_done = NULL;
  if (self->watch)
    self->watch (self, SL_TLS_STREAM_EVENT_CLOSED, self->watch_data);
  for (l = self->sources; l; l = l->next)
    g_source_set_ready_time (l->data, 0);
  if (self->plain.data)
    OPENSSL_cleanse (self->plain.data, self->plain.len);
  sl_tls_buf_free (&self->plain);
  sl_tls_socket_clear (&self->sock);
  g_clear_pointer (&self->ssl, SSL_free);
  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
}

static gboolean
sl_tls_stream_close (GIOStream * stream, GCancellable * cancellable,
    GError ** error)
{
  sl_tls_stream_close_internal (SL_TLS_STREAM (stream));
  return G_IO_STREAM_CLASS (sl_tls_stream_parent_class)->close_fn (stream,
      cancellable, error);
}

/* Never in a worker thread (GLib's default): see sl-tls-halves.c. */
static void
sl_tls_stream_close_async (GIOStream * stream, int io_priority,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (stream, cancellable, callback,
      user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, sl_tls_stream_close_async);
  if (sl_tls_stream_close (stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
sl_tls_stream_close_finish (GIOStream * stream, GAsyncResult * result,
    GError ** error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sl_tls_stream_dispose (GObject * object)
{
  SlTlsStream *self = SL_TLS_STREAM (object);
  GSList *l;

  if (!g_io_stream_is_closed (G_IO_STREAM (self)))
    g_io_stream_close (G_IO_STREAM (self), NULL, NULL);
  /* Sources and halves others still hold report the stream closed. */
  for (l = self->sources; l; l = l->next)
    sl_tls_source_detach (l->data);
  g_clear_pointer (&self->sources, g_slist_free);
  sl_tls_halves_detach (self->input, self->output);
  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->connection);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (sl_tls_stream_parent_class)->dispose (object);
}

static void
sl_tls_stream_finalize (GObject * object)
{
  SlTlsStream *self = SL_TLS_STREAM (object);

  g_clear_pointer (&self->ssl, SSL_free);
  sl_tls_buf_free (&self->plain);
  sl_tls_socket_clear (&self->sock);
  g_clear_pointer (&self->identity, sl_pki_identity_free);
  g_free (self->refusal_detail);
  G_OBJECT_CLASS (sl_tls_stream_parent_class)->finalize (object);
}

static void
sl_tls_stream_class_init (SlTlsStreamClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = sl_tls_stream_dispose;
  object_class->finalize = sl_tls_stream_finalize;
  stream_class->get_input_stream = sl_tls_stream_get_input_stream;
  stream_class->get_output_stream = sl_tls_stream_get_output_stream;
  stream_class->close_fn = sl_tls_stream_close;
  stream_class->close_async = sl_tls_stream_close_async;
  stream_class->close_finish = sl_tls_stream_close_finish;
}

static void
sl_tls_stream_init (SlTlsStream * self)
{
  self->sock.fd = -1;
  self->input = sl_tls_input_new (self);
  self->output = sl_tls_output_new (self);
}
