/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* For the protocol's own tests and fuzzer only. */

#pragma once

#include "sl-protocol.h"

G_BEGIN_DECLS

/* As sl_protocol_parse(), but always builds through json-glib's tree, even
 * for flat messages, so that tests can compare the two paths. */
SlMessage * sl_protocol_parse_with_tree (const SlProtocolFamily  *family,
                                         const char              *text,
                                         gsize                    len,
                                         GError                 **error);

G_END_DECLS
