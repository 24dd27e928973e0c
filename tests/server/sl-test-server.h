/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Test helper: the real sightline-server as a subprocess on 127.0.0.1 with
 * certificates from an SlTestPki.  Reusable by every suite. */

#pragma once

#include <gio/gio.h>

#include "sl-test-pki.h"

G_BEGIN_DECLS

typedef gboolean (*SlTestCondition) (gpointer user_data);

gboolean        sl_test_iterate_until     (SlTestCondition  condition,
                                           gpointer         user_data,
                                           guint            timeout_ms);
void            sl_test_sleep             (guint            ms);
void            sl_test_settle            (void);

#define SL_TYPE_TEST_SERVER (sl_test_server_get_type ())
G_DECLARE_FINAL_TYPE (SlTestServer, sl_test_server, SL, TEST_SERVER, GObject)

SlTestServer *  sl_test_server_start      (SlTestPki          *pki,
                                           const char *const  *extra_args,
                                           GError            **error);

guint16         sl_test_server_get_port   (SlTestServer       *self);
guint16         sl_test_server_get_admin_port (SlTestServer   *self);
char *          sl_test_server_get_url    (SlTestServer       *self);
char *          sl_test_server_get_url_for (SlTestServer      *self,
                                           guint               version);
const char *    sl_test_server_get_log_path (SlTestServer     *self);
char *          sl_test_server_read_log   (SlTestServer       *self);
char *          sl_test_server_http_get   (SlTestServer       *self,
                                           const char         *path,
                                           guint              *out_status);
gint64          sl_test_server_metric     (SlTestServer       *self,
                                           const char         *series);
void            sl_test_server_send_signal (SlTestServer      *self,
                                           int                 signum);
gboolean        sl_test_server_wait_exit  (SlTestServer       *self,
                                           guint               timeout_ms,
                                           int                *out_status);
gboolean        sl_test_server_stop       (SlTestServer       *self,
                                           int                *out_status);
gboolean        sl_test_server_check_exit (SlTestServer       *self);

G_END_DECLS
