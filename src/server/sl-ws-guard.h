/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SlWsGuardFunc:
 * @user_data: user data
 *
 * Called (from an idle callback, never from inside a read) when a device
 * sent a WebSocket message larger than the limit.
 */
typedef void (*SlWsGuardFunc) (gpointer user_data);

#define SL_TYPE_WS_GUARD (sl_ws_guard_get_type ())
G_DECLARE_FINAL_TYPE (SlWsGuard, sl_ws_guard, SL, WS_GUARD,
                      GFilterInputStream)

SlWsGuard *  sl_ws_guard_new          (GInputStream  *base);

void         sl_ws_guard_start        (SlWsGuard     *self,
                                       guint64        max_message,
                                       SlWsGuardFunc  oversize,
                                       gpointer       user_data);

void         sl_ws_guard_stop         (SlWsGuard     *self);

gint64       sl_ws_guard_get_last_frame (SlWsGuard   *self);

G_END_DECLS
