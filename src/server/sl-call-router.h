/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-call-policy.h"
#include "sl-device-directory.h"
#include "sl-server-config.h"
#include "sl-server-metrics.h"

G_BEGIN_DECLS

#define SL_TYPE_CALL_ROUTER (sl_call_router_get_type ())
G_DECLARE_FINAL_TYPE (SlCallRouter, sl_call_router, SL, CALL_ROUTER, GObject)

SlCallRouter * sl_call_router_new        (const SlServerConfig *config,
                                          SlDeviceDirectory    *directory,
                                          SlServerMetrics      *metrics,
                                          SlCallPolicy         *policy);

void           sl_call_router_set_policy (SlCallRouter         *self,
                                          SlCallPolicy         *policy);

gboolean       sl_call_router_handles    (const char           *type);

void           sl_call_router_handle     (SlCallRouter         *self,
                                          const SlDeviceInfo   *from,
                                          SlMessage            *msg);

gboolean       sl_call_router_has_call   (SlCallRouter         *self,
                                          const char           *call_id);

gboolean       sl_call_router_adopt      (SlCallRouter         *self,
                                          const char           *call_id,
                                          const SlDeviceInfo   *members,
                                          guint                 n_members);

void           sl_call_router_disconnect (SlCallRouter         *self,
                                          const char           *device_id,
                                          guint64               session);

void           sl_call_router_end_all    (SlCallRouter         *self);

guint          sl_call_router_get_count  (SlCallRouter         *self);

G_END_DECLS
