/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-pki.h"
#include "sl-tls-config.h"

G_BEGIN_DECLS

#define SL_TLS_ERROR (sl_tls_error_quark ())
GQuark sl_tls_error_quark (void);

/**
 * SlTlsError:
 * @SL_TLS_ERROR_NO_CERTIFICATE: the client offered no certificate
 * @SL_TLS_ERROR_UNKNOWN_CA: its certificate was not issued by the operator CA
 * @SL_TLS_ERROR_EXPIRED: its certificate has expired
 * @SL_TLS_ERROR_NOT_YET_VALID: its certificate is not valid yet
 * @SL_TLS_ERROR_BAD_CERTIFICATE: its certificate failed another check
 * @SL_TLS_ERROR_REVOKED: its certificate is on the revocation list
 * @SL_TLS_ERROR_NOT_DEVICE: its certificate is not a device certificate
 * @SL_TLS_ERROR_VERSION: the client does not speak TLS 1.3
 * @SL_TLS_ERROR_NOT_TLS: the client does not speak TLS at all
 * @SL_TLS_ERROR_ABORTED: the client went away during the handshake
 * @SL_TLS_ERROR_FAILED: any other handshake or record failure
 * @SL_TLS_ERROR_SETUP: the server's own certificate, key or CA is unusable
 *
 * Why a TLS connection failed; the handshake codes name the refusal the
 * server counts (see sl_tls_error_reason()).
 */
typedef enum
{
  SL_TLS_ERROR_NO_CERTIFICATE,
  SL_TLS_ERROR_UNKNOWN_CA,
  SL_TLS_ERROR_EXPIRED,
  SL_TLS_ERROR_NOT_YET_VALID,
  SL_TLS_ERROR_BAD_CERTIFICATE,
  SL_TLS_ERROR_REVOKED,
  SL_TLS_ERROR_NOT_DEVICE,
  SL_TLS_ERROR_VERSION,
  SL_TLS_ERROR_NOT_TLS,
  SL_TLS_ERROR_ABORTED,
  SL_TLS_ERROR_FAILED,
  SL_TLS_ERROR_SETUP,
} SlTlsError;

const char *  sl_tls_error_reason (const GError *error);

/**
 * SlTlsStreamEvent:
 * @SL_TLS_STREAM_EVENT_FLUSH: output is waiting: call sl_tls_stream_flush()
 *   soon (once per main-loop iteration gathers many writes in one send)
 * @SL_TLS_STREAM_EVENT_CLOSED: the stream is about to close its socket:
 *   stop watching the file descriptor
 * @SL_TLS_STREAM_EVENT_THROTTLED: the stream has used its work budget for
 *   this main-loop iteration and stopped reading although its socket may
 *   hold more: call sl_tls_stream_resume() in the next iteration
 */
typedef enum
{
  SL_TLS_STREAM_EVENT_FLUSH,
  SL_TLS_STREAM_EVENT_CLOSED,
  SL_TLS_STREAM_EVENT_THROTTLED,
} SlTlsStreamEvent;

#define SL_TYPE_TLS_STREAM (sl_tls_stream_get_type ())
G_DECLARE_FINAL_TYPE (SlTlsStream, sl_tls_stream, SL, TLS_STREAM, GIOStream)

/**
 * SlTlsStreamWatchFunc:
 * @stream: the stream
 * @event: what happened
 * @user_data: user data
 *
 * How a stream tells whoever polls its socket what it needs.
 */
typedef void (*SlTlsStreamWatchFunc) (SlTlsStream      *stream,
                                      SlTlsStreamEvent  event,
                                      gpointer          user_data);

/**
 * SlTlsHandshakeFunc:
 * @stream: the stream
 * @error: (nullable): why the handshake failed, %NULL when it succeeded
 * @user_data: user data
 *
 * Called once when the server handshake has finished, from
 * sl_tls_stream_io_ready().
 */
typedef void (*SlTlsHandshakeFunc) (SlTlsStream  *stream,
                                    const GError *error,
                                    gpointer      user_data);

/**
 * SlTlsNoiseFunc:
 * @stream: the stream
 * @n_records: how many records just arrived that carried no application
 *   data (empty records, KeyUpdates, alerts)
 * @user_data: user data
 *
 * How a stream tells its owner about records that cost work but deliver
 * nothing, so that they count against the device's limits.  Called from
 * inside a read; the owner may close the stream.
 */
typedef void (*SlTlsNoiseFunc) (SlTlsStream *stream,
                                guint        n_records,
                                gpointer     user_data);

SlTlsStream *       sl_tls_stream_new_server     (SlTlsConfig          *config,
                                                  GSocketConnection    *connection,
                                                  GError              **error);

int                 sl_tls_stream_get_fd         (SlTlsStream          *self);
GSocketConnection * sl_tls_stream_get_connection (SlTlsStream          *self);

void                sl_tls_stream_set_watch      (SlTlsStream          *self,
                                                  SlTlsStreamWatchFunc  func,
                                                  gpointer              user_data);

void                sl_tls_stream_handshake      (SlTlsStream          *self,
                                                  SlTlsHandshakeFunc    done,
                                                  gpointer              user_data);

SlPkiIdentity *     sl_tls_stream_steal_identity (SlTlsStream          *self);

void                sl_tls_stream_set_noise_func (SlTlsStream          *self,
                                                  SlTlsNoiseFunc        func,
                                                  gpointer              user_data);

gint64              sl_tls_stream_get_last_input (SlTlsStream          *self);

void                sl_tls_stream_resume         (SlTlsStream          *self);

void                sl_tls_stream_io_ready       (SlTlsStream          *self,
                                                  GIOCondition          condition);

gboolean            sl_tls_stream_flush          (SlTlsStream          *self);

G_END_DECLS
