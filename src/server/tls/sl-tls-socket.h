/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Private to src/server/tls/: the socket under one connection's OpenSSL
 * object (sl-tls-socket.c).  Includes OpenSSL.
 */

#pragma once

#include <glib.h>
#include <openssl/ssl.h>

G_BEGIN_DECLS

/* A growing byte buffer; @off is what has been sent of it. */
typedef struct
{
  guint8 *data;
  gsize len;
  gsize off;
  gsize cap;
} SlTlsBuf;

void     sl_tls_buf_append     (SlTlsBuf    *b,
                                const void  *data,
                                gsize        len);
void     sl_tls_buf_free       (SlTlsBuf    *b);

typedef void (*SlTlsSocketFunc) (gpointer user_data);

/* Embedded in each SlTlsStream; its fields are the stream's to read. */
typedef struct
{
  int fd;
  gboolean readable;            /* no EAGAIN since the last edge */
  gboolean eof;
  int read_errno;
  gboolean write_failed;
  int write_errno;
  gint64 last_input_us;         /* the peer last sent bytes */
  gsize budget_bytes;           /* left for this turn */
  guint budget_records;
  gboolean throttled;           /* the budget ran out: wait for a refill */
  guint records_in;             /* records received, all told */
  SlTlsBuf out;                 /* encrypted by OpenSSL, not yet sent */
  SlTlsSocketFunc on_throttle;
  gpointer on_throttle_data;
} SlTlsSocket;

void     sl_tls_socket_init    (SlTlsSocket     *sock,
                                int              fd,
                                SlTlsSocketFunc  on_throttle,
                                gpointer         user_data);
gboolean sl_tls_socket_attach  (SlTlsSocket     *sock,
                                SSL             *ssl);
void     sl_tls_socket_refill  (SlTlsSocket     *sock);
void     sl_tls_socket_send    (SlTlsSocket     *sock);
gsize    sl_tls_socket_unsent  (SlTlsSocket     *sock);
void     sl_tls_socket_clear   (SlTlsSocket     *sock);

G_END_DECLS
