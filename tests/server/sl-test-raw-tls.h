/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Test helper: a device that speaks TLS 1.3 to the real server record by
 * record.  OpenSSL runs the handshake and reads what the server sends;
 * what the device sends after the handshake is sealed here, so a test can
 * send what no TLS library sends: tampered or oversized records, empty
 * records, KeyUpdates in floods or split across records. */

#pragma once

#include <gio/gio.h>

#include "sl-test-pki.h"
#include "sl-test-server.h"

G_BEGIN_DECLS

/* TLS content types and alert descriptions (RFC 8446). */
#define SL_TEST_TLS_HANDSHAKE 22
#define SL_TEST_TLS_APPLICATION_DATA 23
#define SL_TEST_TLS_ALERT_BAD_RECORD_MAC 20
#define SL_TEST_TLS_ALERT_RECORD_OVERFLOW 22

typedef struct _SlTestRawTls SlTestRawTls;

SlTestRawTls * sl_test_raw_tls_connect      (SlTestServer  *server,
                                             SlTestPki     *pki,
                                             const char    *device_id,
                                             GError       **error);
void           sl_test_raw_tls_free         (SlTestRawTls  *self);

gboolean       sl_test_raw_tls_upgrade      (SlTestRawTls  *self,
                                             GError       **error);
gboolean       sl_test_raw_tls_upgrade_to   (SlTestRawTls  *self,
                                             const char    *path,
                                             GError       **error);
gboolean       sl_test_raw_tls_request      (SlTestRawTls  *self,
                                             const char    *path,
                                             const char    *status_line,
                                             GError       **error);
gboolean       sl_test_raw_tls_read_until   (SlTestRawTls  *self,
                                             const char    *want,
                                             guint          timeout_ms);

gsize          sl_test_raw_tls_seal         (SlTestRawTls  *self,
                                             guint8         content_type,
                                             const void    *data,
                                             gsize          len,
                                             guint8        *out);
gsize          sl_test_raw_tls_ws_text      (const char    *text,
                                             guint8        *out);
void           sl_test_raw_tls_update_keys  (SlTestRawTls  *self);
gboolean       sl_test_raw_tls_send         (SlTestRawTls  *self,
                                             const void    *data,
                                             gsize          len);
gboolean       sl_test_raw_tls_send_record  (SlTestRawTls  *self,
                                             guint8         content_type,
                                             const void    *data,
                                             gsize          len);
gboolean       sl_test_raw_tls_send_text    (SlTestRawTls  *self,
                                             const char    *text);

gboolean       sl_test_raw_tls_wait_end     (SlTestRawTls  *self,
                                             guint          timeout_ms,
                                             int           *out_alert);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlTestRawTls, sl_test_raw_tls_free)

G_END_DECLS
