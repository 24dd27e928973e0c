/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Private to src/core/crypto/: what SlTlsStream needs from SlTlsConfig.
 * Nothing outside crypto/ may include this header (it includes OpenSSL).
 */

#pragma once

#include <openssl/ssl.h>

#include "sl-tls-config.h"
#include "sl-tls-stream.h"

G_BEGIN_DECLS

/* (transfer none): the shared server context (TLS 1.3 only, client
 * certificates required and checked against the operator CA). */
SSL_CTX *     sl_tls_config_get_ssl_ctx        (SlTlsConfig      *self);

/* The SSL ex_data index under which each SSL keeps its SlTlsStream. */
int           sl_tls_config_stream_index       (void);

/* (transfer full) (nullable): the identity in a certificate OpenSSL has
 * already parsed (sl-pki.c). */
SlPkiIdentity * sl_pki_identity_from_x509      (X509             *cert,
                                                GError          **error);

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
/* OpenSSL's key log callback: where the stream learns its secrets. */
void          sl_tls_stream_keylog             (const SSL        *ssl,
                                                const char       *line);

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

/* TLS 1.3 records after the handshake (sl-tls-record.c). */
#define SL_TLS_MAX_SECRET 48
#define SL_TLS_MAX_PLAINTEXT 16384

typedef struct _SlTlsRecord SlTlsRecord;

SlTlsRecord * sl_tls_record_new                (const char       *suite_name,
                                                const guint8     *rx_secret,
                                                const guint8     *tx_secret,
                                                gsize             secret_len,
                                                GError          **error);
void          sl_tls_record_free               (SlTlsRecord      *rec);
gsize         sl_tls_record_sealed_len         (gsize             len);
gboolean      sl_tls_record_seal               (SlTlsRecord      *rec,
                                                guint8            content_type,
                                                const guint8     *data,
                                                gsize             len,
                                                guint8           *out);
guint8 *      sl_tls_record_rx_space           (SlTlsRecord      *rec,
                                                gsize            *room);
void          sl_tls_record_rx_commit          (SlTlsRecord      *rec,
                                                gsize             n);
gboolean      sl_tls_record_rx_pending         (SlTlsRecord      *rec);
gssize        sl_tls_record_read               (SlTlsRecord      *rec,
                                                guint8           *buffer,
                                                gsize             count,
                                                GError          **error);
gboolean      sl_tls_record_owes_key_update    (SlTlsRecord      *rec);
gboolean      sl_tls_record_take_key_update    (SlTlsRecord      *rec,
                                                guint8           *out,
                                                gsize            *out_len);

G_END_DECLS
