/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Private to src/server/tls/: what SlTlsStream and its halves need from
 * each other and from SlTlsConfig.  Includes OpenSSL, so nothing outside
 * the server's TLS folder may include it (scripts/lint).
 */

#pragma once

#include <openssl/ssl.h>

#include "sl-pki-x509.h"
#include "sl-tls-config.h"
#include "sl-tls-stream.h"

G_BEGIN_DECLS

/* (transfer none): the shared server context (TLS 1.3 only, client
 * certificates required and checked against the operator CA). */
SSL_CTX *     sl_tls_config_get_ssl_ctx        (SlTlsConfig      *self);

/* The SSL ex_data index under which each SSL keeps its SlTlsStream. */
int           sl_tls_config_stream_index       (void);

/* OpenSSL's reason for a failed handshake as an SlTlsError
 * (SL_TLS_ERROR_FAILED when it is none of ours). */
SlTlsError    sl_tls_config_classify_reason    (int               reason);

/* For the verification callback (sl-tls-config.c). */
SlTlsConfig * sl_tls_stream_get_config         (SlTlsStream      *self);
void          sl_tls_stream_refuse             (SlTlsStream      *self,
                                                SlTlsError        code,
                                                char             *detail);
gboolean      sl_tls_stream_has_identity       (SlTlsStream      *self);
void          sl_tls_stream_take_identity      (SlTlsStream      *self,
                                                SlPkiIdentity    *identity);

/* For the halves (sl-tls-halves.c).  @self may be NULL once the stream
 * is gone: reads and writes then fail with G_IO_ERROR_CLOSED and sources
 * are ready at once. */
gssize        sl_tls_stream_read               (SlTlsStream      *self,
                                                void             *buffer,
                                                gsize             count,
                                                GError          **error);
gssize        sl_tls_stream_write              (SlTlsStream      *self,
                                                const void       *buffer,
                                                gsize             count,
                                                GError          **error);
gboolean      sl_tls_stream_is_ready           (SlTlsStream      *self,
                                                GIOCondition      condition);
void          sl_tls_stream_track_source       (SlTlsStream      *self,
                                                GSource          *source);
void          sl_tls_stream_untrack_source     (SlTlsStream      *self,
                                                GSource          *source);
gboolean      sl_tls_stream_wait               (SlTlsStream      *self,
                                                short             events,
                                                GCancellable     *cancellable,
                                                GError          **error);
void          sl_tls_stream_close_internal     (SlTlsStream      *self);

/* The halves' sources (sl-tls-halves.c). */
GSource *     sl_tls_source_new                (SlTlsStream      *owner,
                                                GObject          *pollable,
                                                GIOCondition      condition);
void          sl_tls_source_wake               (GSource          *source,
                                                GIOCondition      condition);
void          sl_tls_source_detach             (GSource          *source);

GInputStream *  sl_tls_input_new               (SlTlsStream      *owner);
GOutputStream * sl_tls_output_new              (SlTlsStream      *owner);
void            sl_tls_halves_detach           (GInputStream     *input,
                                                GOutputStream    *output);

G_END_DECLS
