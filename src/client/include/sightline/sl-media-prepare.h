/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sightline/sl-media-options.h"

G_BEGIN_DECLS

void     sl_media_prepare_dtls_async  (gboolean             probe_devices,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean sl_media_prepare_dtls_finish (GAsyncResult  *result,
                                       GError       **error);
gboolean sl_media_prepare_dtls        (GError **error);

void     sl_media_probe_devices       (void);

G_END_DECLS
