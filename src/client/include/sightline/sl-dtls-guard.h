/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define SL_TYPE_DTLS_GUARD (sl_dtls_guard_get_type ())
G_DECLARE_FINAL_TYPE (SlDtlsGuard, sl_dtls_guard, SL, DTLS_GUARD, GstTracer)

void     sl_dtls_guard_install   (void);

guint    sl_dtls_guard_get_held  (void);

G_END_DECLS
