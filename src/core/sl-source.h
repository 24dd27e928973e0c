/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GSource *  sl_timeout_attach          (guint         ms,
                                       GSourceFunc   func,
                                       gpointer      data);

GSource *  sl_timeout_attach_seconds  (guint         seconds,
                                       GSourceFunc   func,
                                       gpointer      data);

void       sl_source_clear            (GSource     **source);

G_END_DECLS
