/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sl-call-table.h"
#include "sl-device-directory.h"
#include "sl-server-metrics.h"

G_BEGIN_DECLS

void sl_call_notify              (SlDeviceDirectory  *directory,
                                  const SlDeviceInfo *to,
                                  const char         *type,
                                  const char         *call_id,
                                  const char         *peer,
                                  const char         *member,
                                  const char         *value);
void sl_call_notify_incoming     (SlDeviceDirectory  *directory,
                                  const SlDeviceInfo *to,
                                  const SlCallRecord *record,
                                  const SlDeviceInfo *inviter,
                                  const char         *hs);
void sl_call_notify_joined       (SlDeviceDirectory  *directory,
                                  const SlDeviceInfo *to,
                                  const char         *call_id,
                                  const SlDeviceInfo *newcomer);
void sl_call_notify_participants (SlDeviceDirectory  *directory,
                                  const SlDeviceInfo *to,
                                  const SlCallRecord *record);
void sl_call_notify_error        (SlDeviceDirectory  *directory,
                                  SlServerMetrics    *metrics,
                                  const SlDeviceInfo *to,
                                  const char         *code,
                                  const char         *message,
                                  const char         *call_id,
                                  const char         *ref_type,
                                  const char         *peer);

G_END_DECLS
