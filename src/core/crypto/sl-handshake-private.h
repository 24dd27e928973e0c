/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the files of SlHandshake (sl-handshake*.c). */

#pragma once

#include "sl-crypto-private.h"

G_BEGIN_DECLS

/* A handshake for @call_id; @w is the password scalar (copied), NULL for
 * no code. */
SlHandshake * sl_handshake_new_internal (SlRole        role,
                                         const guint8  call_id[SL_CALL_ID_LEN],
                                         const char   *local_id,
                                         const char   *peer_id,
                                         const guint8 *w,
                                         GError      **error);

G_END_DECLS
