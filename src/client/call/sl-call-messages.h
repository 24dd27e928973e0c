/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sl-protocol.h"

G_BEGIN_DECLS

SlMessage *  sl_call_message_new       (guint        version,
                                        const char  *type,
                                        const char  *call_id,
                                        const char  *to);

SlMessage *  sl_call_message_new_bytes (guint        version,
                                        const char  *type,
                                        const char  *call_id,
                                        const char  *to,
                                        GBytes      *bytes);

GBytes *     sl_call_message_get_bytes (SlMessage   *msg,
                                        const char  *member);

const char * sl_call_message_about     (SlMessage   *msg,
                                        guint        version);

G_END_DECLS
