/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sightline/sl-call.h"
#include "sightline/sl-signal-client.h"

G_BEGIN_DECLS

char * sl_stats_json (SlCall         *call,
                      SlSignalClient *signal,
                      int             exit_status,
                      guint           chat_sent,
                      guint           chat_acked,
                      guint           chat_received,
                      int             snapshots,
                      GHashTable     *wiped,
                      GMutex         *wiped_lock);

G_END_DECLS
