/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <hiredis/async.h>

#include "sl-cluster-config.h"

G_BEGIN_DECLS

#define SL_TYPE_REDIS_LINK (sl_redis_link_get_type ())
G_DECLARE_FINAL_TYPE (SlRedisLink, sl_redis_link, SL, REDIS_LINK, GObject)

/**
 * SlRedisReplyFunc:
 * @reply: (nullable): the reply; %NULL if the connection was lost first
 * @user_data: user data
 *
 * Called on the main loop with a command's reply.  A subscription's
 * function is called for every message and once more with %NULL when the
 * connection is lost.  Disposing the link calls every pending function
 * with %NULL, so @user_data need not be kept alive by a reference.
 */
typedef void (*SlRedisReplyFunc) (redisReply *reply, gpointer user_data);

SlRedisLink * sl_redis_link_new     (const SlClusterConfig *config,
                                     const char            *name);
void          sl_redis_link_start   (SlRedisLink           *self);
gboolean      sl_redis_link_is_up   (SlRedisLink           *self);
gboolean      sl_redis_link_command (SlRedisLink           *self,
                                     SlRedisReplyFunc       func,
                                     gpointer               user_data,
                                     int                    argc,
                                     const char           **argv,
                                     const size_t          *argvlen);

G_END_DECLS
