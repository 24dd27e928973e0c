/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-continuity-store.h"

G_BEGIN_DECLS

/**
 * SlAuthMethod:
 * @SL_AUTH_NONE: nothing proves who the peer is (yet).
 * @SL_AUTH_CODE: both users typed the same security code (SPAKE2).
 * @SL_AUTH_SAS: both users confirmed that their SAS match.
 * @SL_AUTH_CONTINUITY: the peer proved the secret of the last verified
 *   call with it.
 */
typedef enum
{
  SL_AUTH_NONE,
  SL_AUTH_CODE,
  SL_AUTH_SAS,
  SL_AUTH_CONTINUITY,
} SlAuthMethod;

/* "none", "code", "sas", "continuity" (the --stats-json values). */
const char * sl_auth_method_to_string (SlAuthMethod method);

#define SL_TYPE_PEER_AUTH (sl_peer_auth_get_type ())
G_DECLARE_FINAL_TYPE (SlPeerAuth, sl_peer_auth, SL, PEER_AUTH, GObject)

SlPeerAuth *   sl_peer_auth_new             (SlContinuityStore  *store);

void           sl_peer_auth_keys_agreed     (SlPeerAuth         *self,
                                             gboolean            code,
                                             SlContinuity        continuity,
                                             SlContinuityUpdate *update);

void           sl_peer_auth_media_bound     (SlPeerAuth         *self);

gboolean       sl_peer_auth_sas_confirmed   (SlPeerAuth         *self,
                                             gboolean            by_peer);

void           sl_peer_auth_confirm_sas     (SlPeerAuth         *self,
                                             gboolean            by_peer);

SlAuthMethod   sl_peer_auth_get_method      (SlPeerAuth         *self);

gboolean       sl_peer_auth_is_verified     (SlPeerAuth         *self);

SlContinuity   sl_peer_auth_get_continuity  (SlPeerAuth         *self);

gboolean       sl_peer_auth_keys_changed    (SlPeerAuth         *self);

void           sl_peer_auth_clear           (SlPeerAuth         *self);

G_END_DECLS
