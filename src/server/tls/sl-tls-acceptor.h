/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-pki.h"
#include "sl-poller.h"
#include "sl-server-config.h"
#include "sl-server-metrics.h"
#include "sl-tls-stream.h"

G_BEGIN_DECLS

/**
 * SlTlsAcceptedFunc:
 * @tls: (transfer full): the authenticated TLS 1.3 stream
 * @identity: (transfer full): the device, read from its certificate
 * @user_data: user data
 *
 * Called for each device that passed the TLS checks.
 */
typedef void (*SlTlsAcceptedFunc) (SlTlsStream    *tls,
                                   SlPkiIdentity  *identity,
                                   gpointer        user_data);

#define SL_TYPE_TLS_ACCEPTOR (sl_tls_acceptor_get_type ())
G_DECLARE_FINAL_TYPE (SlTlsAcceptor, sl_tls_acceptor, SL, TLS_ACCEPTOR,
                      GObject)

SlTlsAcceptor * sl_tls_acceptor_new         (SlTlsConfig          *tls_config,
                                             SlPoller             *poller,
                                             const SlServerConfig *config,
                                             SlServerMetrics      *metrics,
                                             SlTlsAcceptedFunc     func,
                                             gpointer              user_data);

void            sl_tls_acceptor_accept      (SlTlsAcceptor        *self,
                                             GSocketConnection    *connection);

guint           sl_tls_acceptor_get_pending (SlTlsAcceptor        *self);

void            sl_tls_acceptor_cancel_all  (SlTlsAcceptor        *self);

G_END_DECLS
