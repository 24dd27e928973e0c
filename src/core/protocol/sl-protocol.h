/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "sl-protocol-spec.h"
#include "sl-message.h"

G_BEGIN_DECLS

#define SL_PROTOCOL_ERROR (sl_protocol_error_quark ())
GQuark sl_protocol_error_quark (void);

/**
 * SlProtocolError:
 * @SL_PROTOCOL_ERROR_MALFORMED_JSON: the text is not one well-formed JSON
 *   object in UTF-8 (or has a string containing U+0000, an unpaired
 *   surrogate escape, an integer beyond 64 bits, an escaped or duplicated
 *   member name, or an object with more than 64 members).
 * @SL_PROTOCOL_ERROR_TOO_LARGE: longer than the family's max_size.
 * @SL_PROTOCOL_ERROR_TOO_DEEP: nested deeper than the family's max_depth.
 * @SL_PROTOCOL_ERROR_UNKNOWN_TYPE: "type" names no message of the family.
 * @SL_PROTOCOL_ERROR_BAD_MEMBER: a member is missing, unknown, of the wrong
 *   kind, too long, out of range or of the wrong syntax; the message names
 *   the member (e.g. "device.id").
 *
 * Why a document was refused.  Each code has a stable wire name, see
 * sl_protocol_error_code_name().
 */
typedef enum
{
  SL_PROTOCOL_ERROR_MALFORMED_JSON,
  SL_PROTOCOL_ERROR_TOO_LARGE,
  SL_PROTOCOL_ERROR_TOO_DEEP,
  SL_PROTOCOL_ERROR_UNKNOWN_TYPE,
  SL_PROTOCOL_ERROR_BAD_MEMBER,
} SlProtocolError;

const char * sl_protocol_error_code_name (SlProtocolError          code);

SlMessage *  sl_protocol_parse           (const SlProtocolFamily  *family,
                                          const char              *text,
                                          gsize                    len,
                                          GError                 **error);

const SlObjectSpec * sl_protocol_family_lookup (const SlProtocolFamily *family,
                                                const char             *type);

const char * sl_protocol_check_string    (const SlMemberSpec      *member,
                                          const char              *value,
                                          gsize                    len);

gboolean     sl_protocol_family_check    (const SlProtocolFamily  *family,
                                          GError                 **error);

G_END_DECLS
