/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-call-policy.h"
#include "sl-call-table.h"
#include "sl-device-directory.h"
#include "sl-server-config.h"
#include "sl-server-metrics.h"

G_BEGIN_DECLS

#define SL_TYPE_CALL_ADMISSION (sl_call_admission_get_type ())
G_DECLARE_FINAL_TYPE (SlCallAdmission, sl_call_admission, SL, CALL_ADMISSION,
    GObject)

SlCallAdmission * sl_call_admission_new        (const SlServerConfig *config,
                                                SlDeviceDirectory    *directory,
                                                SlServerMetrics      *metrics,
                                                SlCallPolicy         *policy);
void              sl_call_admission_set_policy (SlCallAdmission      *self,
                                                SlCallPolicy         *policy);

gboolean          sl_call_admission_self_call  (SlCallAdmission      *self,
                                                const SlDeviceInfo   *from,
                                                const char           *call_id,
                                                const char           *to);
gboolean          sl_call_admission_reach      (SlCallAdmission      *self,
                                                const SlDeviceInfo   *from,
                                                const char           *call_id,
                                                const char           *to,
                                                SlDeviceInfo         *callee);
gboolean          sl_call_admission_join       (SlCallAdmission      *self,
                                                const SlDeviceInfo   *from,
                                                const SlCallRecord   *record,
                                                const char           *to,
                                                SlDeviceInfo         *callee);

G_END_DECLS
