/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Test helper: a throwaway redis-server on a Unix socket in a folder of
 * the test's, with a password, for the cluster tests (issue 17).  It dies
 * with the test process even if the test fails half-way. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SL_TEST_REDIS_PASSWORD "cluster-test-password"

typedef struct _SlTestRedis SlTestRedis;

SlTestRedis * sl_test_redis_start       (const char        *dir);
void          sl_test_redis_restart     (SlTestRedis       *self);
void          sl_test_redis_stop        (SlTestRedis       *self);
void          sl_test_redis_free        (SlTestRedis       *self);
const char *  sl_test_redis_socket      (SlTestRedis       *self);
char *        sl_test_redis_config      (SlTestRedis       *self);
char *        sl_test_redis_cli         (SlTestRedis       *self,
                                         const char *const *args);

G_END_DECLS
