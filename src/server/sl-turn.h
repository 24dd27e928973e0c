/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-protocol.h"

G_BEGIN_DECLS

#define SL_TYPE_TURN (sl_turn_get_type ())
G_DECLARE_FINAL_TYPE (SlTurn, sl_turn, SL, TURN, GObject)

SlTurn *   sl_turn_new              (const char *const *urls,
                                     const char        *secret_file,
                                     guint              ttl,
                                     GError           **error);

void       sl_turn_fill             (SlTurn            *self,
                                     const char        *device_id,
                                     gint64             now,
                                     SlMessage         *turn);

char *     sl_turn_credential       (const char        *secret,
                                     gsize              secret_len,
                                     const char        *username);

G_END_DECLS
