/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>
#include <libsoup/soup.h>

#include "sl-server-connection.h"
#include "sl-server-metrics.h"
#include "sl-tls-stream.h"

G_BEGIN_DECLS

#define SL_TYPE_PENDING_UPGRADES (sl_pending_upgrades_get_type ())
G_DECLARE_FINAL_TYPE (SlPendingUpgrades, sl_pending_upgrades, SL,
    PENDING_UPGRADES, GObject)

SlPendingUpgrades *  sl_pending_upgrades_new       (SoupServer         *soup,
                                                    SlServerMetrics    *metrics,
                                                    guint               timeout_ms);
void                 sl_pending_upgrades_add       (SlPendingUpgrades  *self,
                                                    SlServerConnection *conn,
                                                    SlTlsStream        *tls,
                                                    GIOStream          *stream);
SlServerConnection * sl_pending_upgrades_take      (SlPendingUpgrades  *self,
                                                    GSocketAddress     *remote);
void                 sl_pending_upgrades_close_all (SlPendingUpgrades  *self);
guint                sl_pending_upgrades_get_count (SlPendingUpgrades  *self);

G_END_DECLS
