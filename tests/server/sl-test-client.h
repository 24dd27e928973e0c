/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Test helper: a real device-side TLS WebSocket client (libsoup) with a
 * client certificate.  Every message it receives is parsed with
 * sl_signalling_to_client, so the server's output is checked too. */

#pragma once

#include <libsoup/soup.h>

#include "sl-protocol.h"
#include "sl-test-pki.h"
#include "sl-test-server.h"

G_BEGIN_DECLS

#define SL_TEST_TIMEOUT_MS 5000

#define SL_TYPE_TEST_CLIENT (sl_test_client_get_type ())
G_DECLARE_FINAL_TYPE (SlTestClient, sl_test_client, SL, TEST_CLIENT, GObject)

SlTestClient * sl_test_client_connect        (SlTestServer     *server,
                                              SlTestPki        *pki,
                                              const char       *device_id,
                                              GError          **error);
SlTestClient * sl_test_client_connect_version (SlTestServer    *server,
                                              SlTestPki        *pki,
                                              const char       *device_id,
                                              guint             version,
                                              GError          **error);
SlTestClient * sl_test_client_connect_with   (SlTestServer     *server,
                                              GTlsCertificate  *certificate,
                                              GTlsDatabase     *database,
                                              GError          **error);

guint          sl_test_client_get_version    (SlTestClient     *self);

SlMessage *    sl_test_client_next           (SlTestClient     *self,
                                              guint             timeout_ms);
SlMessage *    sl_test_client_expect         (SlTestClient     *self,
                                              const char       *type);
SlMessage *    sl_test_client_wait_for       (SlTestClient     *self,
                                              const char       *type,
                                              guint             timeout_ms);
gboolean       sl_test_client_quiet_for      (SlTestClient     *self,
                                              guint             ms);
guint          sl_test_client_get_n_queued   (SlTestClient     *self);
guint          sl_test_client_get_n_received (SlTestClient     *self);

void           sl_test_client_send_text      (SlTestClient     *self,
                                              const char       *text);
void           sl_test_client_send           (SlTestClient     *self,
                                              SlMessage        *msg);
void           sl_test_client_send_binary    (SlTestClient     *self,
                                              const void       *data,
                                              gsize             len);

gboolean       sl_test_client_wait_closed    (SlTestClient     *self,
                                              guint             timeout_ms);
gushort        sl_test_client_get_close_code (SlTestClient     *self);
gboolean       sl_test_client_is_open        (SlTestClient     *self);
void           sl_test_client_close          (SlTestClient     *self);

G_END_DECLS
