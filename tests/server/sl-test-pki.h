/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Test helper: an operator CA in a temporary folder, made by the real
 * sightline-ca binary.  Reusable by every suite (link sl_test_server_dep). */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A device certificate to issue. */
typedef struct
{
  const char *id;
  const char *name;
  const char *role;
} SlTestDevice;

#define SL_TYPE_TEST_PKI (sl_test_pki_get_type ())
G_DECLARE_FINAL_TYPE (SlTestPki, sl_test_pki, SL, TEST_PKI, GObject)

SlTestPki *       sl_test_pki_new             (GError      **error);

const char *      sl_test_pki_get_dir         (SlTestPki    *self);
char *            sl_test_pki_path            (SlTestPki    *self,
                                               const char   *name);

gboolean          sl_test_pki_run_ca          (SlTestPki    *self,
                                               const char *const *args,
                                               char        **out_stdout,
                                               char        **out_stderr,
                                               int          *out_status,
                                               GError      **error);

gboolean          sl_test_pki_issue_device    (SlTestPki    *self,
                                               const char   *id,
                                               const char   *name,
                                               const char   *role,
                                               const char *const *extra_args,
                                               GError      **error);

gboolean          sl_test_pki_issue_devices   (SlTestPki    *self,
                                               const SlTestDevice *devices,
                                               guint         n,
                                               GError      **error);

gboolean          sl_test_pki_revoke          (SlTestPki    *self,
                                               const char   *id,
                                               GError      **error);

GTlsCertificate * sl_test_pki_load_device     (SlTestPki    *self,
                                               const char   *id,
                                               GError      **error);

GTlsDatabase *    sl_test_pki_get_database    (SlTestPki    *self);

const char *      sl_test_ca_binary           (void);
const char *      sl_test_server_binary       (void);

G_END_DECLS
