/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GError * sl_call_reason_from_hangup       (const char *reason,
                                           gboolean    set_up);

GError * sl_call_reason_from_refusal      (const char *type,
                                           const char *reason);

GError * sl_call_reason_from_server_error (const char *code,
                                           const char *message);

G_END_DECLS
