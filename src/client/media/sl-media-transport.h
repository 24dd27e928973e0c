/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sl-media-session.h"

G_BEGIN_DECLS

/**
 * SlIcePairFunc:
 * @media: the session
 * @local_type: (nullable): "host", "srflx", "prflx" or "relay"
 * @remote_type: (nullable): the same for the peer's side of the pair
 * @user_data: as given
 *
 * Called on the session's main context with the selected ICE pair, or
 * with %NULL types when ICE has selected none.
 */
typedef void (*SlIcePairFunc) (SlMediaSession *media,
                               const char     *local_type,
                               const char     *remote_type,
                               gpointer        user_data);

void         sl_media_transport_enable_recovery (SlMediaSession *media);

void         sl_media_transport_query_pair      (SlMediaSession *media,
                                                 SlIcePairFunc   func,
                                                 gpointer        user_data,
                                                 GDestroyNotify  destroy);

void         sl_media_transport_finish_stop     (SlMediaSession *media);

const char * sl_ice_candidate_type              (const char     *candidate);

G_END_DECLS
