/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Test helper: call control spoken from test devices (SlTestClient):
 * random call ids and blobs, sending call messages in the device's
 * protocol version, and expecting what the server answers. */

#pragma once

#include "sl-test-client.h"

G_BEGIN_DECLS

char *         sl_test_new_call_id      (void);
char *         sl_test_new_blob         (gsize            len);

SlTestClient * sl_test_join             (SlTestServer    *server,
                                         SlTestPki       *pki,
                                         const char      *device_id,
                                         guint            version,
                                         SlMessage      **out_roster);
void           sl_test_drain            (SlTestClient    *client);

void           sl_test_send_members     (SlTestClient    *client,
                                         const char      *type,
                                         ...) G_GNUC_NULL_TERMINATED;
void           sl_test_send_call        (SlTestClient    *client,
                                         const char      *type,
                                         const char      *call_id,
                                         const char      *member,
                                         const char      *value);
void           sl_test_send_invite      (SlTestClient    *client,
                                         const char      *call_id,
                                         const char      *to,
                                         const char      *hs);

SlMessage *    sl_test_expect_next      (SlTestClient    *client,
                                         const char      *type);
SlMessage *    sl_test_expect_call      (SlTestClient    *client,
                                         const char      *type,
                                         const char      *call_id);
SlMessage *    sl_test_expect_about     (SlTestClient    *client,
                                         const char      *type,
                                         const char      *call_id,
                                         const char      *peer);
void           sl_test_expect_error     (SlTestClient    *client,
                                         const char      *code,
                                         const char      *call_id,
                                         const char      *ref_type);
void           sl_test_expect_status    (SlTestClient    *client,
                                         const char      *id,
                                         const char      *status);
gboolean       sl_test_roster_has       (SlMessage       *roster,
                                         const char      *id,
                                         const char      *status);
void           sl_test_expect_quiet     (SlTestClient    *client,
                                         guint            ms);
char *         sl_test_join_sorted      (GPtrArray       *strings,
                                         const char      *separator);

/* The devices of one test, by id, connected to one server: "legacy-*"
 * devices speak protocol version 1, the others version 2. */
typedef struct _SlTestDevices SlTestDevices;

SlTestDevices * sl_test_devices_new          (SlTestServer    *server,
                                              SlTestPki       *pki);
void            sl_test_devices_free         (SlTestDevices   *self);
SlTestClient *  sl_test_devices_get          (SlTestDevices   *self,
                                              const char      *id);
SlMessage *     sl_test_devices_connect      (SlTestDevices   *self,
                                              const char      *id);
void            sl_test_devices_connect_all  (SlTestDevices   *self,
                                              const char      *first,
                                              ...) G_GNUC_NULL_TERMINATED;
void            sl_test_devices_expect_quiet (SlTestDevices   *self,
                                              guint            ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlTestDevices, sl_test_devices_free)

G_END_DECLS
