/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-tls-stream.h"

G_BEGIN_DECLS

#define SL_TYPE_POLLER (sl_poller_get_type ())
G_DECLARE_FINAL_TYPE (SlPoller, sl_poller, SL, POLLER, GObject)

SlPoller *   sl_poller_new      (GError      **error);

void         sl_poller_add      (SlPoller     *self,
                                 SlTlsStream  *stream);

guint        sl_poller_get_size (SlPoller     *self);

void         sl_poller_flush    (SlPoller     *self);

G_END_DECLS
