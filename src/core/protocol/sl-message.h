/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-protocol-spec.h"

G_BEGIN_DECLS

/**
 * SlMessage:
 *
 * One validated message of a #SlProtocolFamily, or one nested object of
 * such a message.  A message returned by sl_protocol_parse() satisfies its
 * table: every required member is present and every value has the kind,
 * length, range and syntax the table asks for, so getters on members the
 * table declares never fail for a parsed message.
 *
 * Nested objects and array items are owned by their parent: getters return
 * them (transfer none) and they live as long as the top-level message.
 *
 * Getters and setters take member names from the table; naming a member
 * the table does not have, or using the wrong kind, is a programmer error
 * (a critical warning).
 */
typedef struct _SlMessage SlMessage;

#define SL_TYPE_MESSAGE (sl_message_get_type ())
GType sl_message_get_type (void) G_GNUC_CONST;

SlMessage *               sl_message_new              (const SlProtocolFamily *family,
                                                       const char             *type);
SlMessage *               sl_message_ref              (SlMessage              *msg);
void                      sl_message_unref            (SlMessage              *msg);

const SlProtocolFamily *  sl_message_get_family       (const SlMessage        *msg);
const char *              sl_message_get_type_name    (const SlMessage        *msg);

gboolean                  sl_message_has_member       (const SlMessage        *msg,
                                                       const char             *name);
const char *              sl_message_get_string       (const SlMessage        *msg,
                                                       const char             *name);
gint64                    sl_message_get_int          (const SlMessage        *msg,
                                                       const char             *name);
double                    sl_message_get_double       (const SlMessage        *msg,
                                                       const char             *name);
gboolean                  sl_message_get_bool         (const SlMessage        *msg,
                                                       const char             *name);
const SlMessage *         sl_message_get_object       (const SlMessage        *msg,
                                                       const char             *name);

guint                     sl_message_get_array_length (const SlMessage        *msg,
                                                       const char             *name);
const SlMessage *         sl_message_get_array_object (const SlMessage        *msg,
                                                       const char             *name,
                                                       guint                   index);
const char *              sl_message_get_array_string (const SlMessage        *msg,
                                                       const char             *name,
                                                       guint                   index);
gint64                    sl_message_get_array_int    (const SlMessage        *msg,
                                                       const char             *name,
                                                       guint                   index);
double                    sl_message_get_array_double (const SlMessage        *msg,
                                                       const char             *name,
                                                       guint                   index);
gboolean                  sl_message_get_array_bool   (const SlMessage        *msg,
                                                       const char             *name,
                                                       guint                   index);

void                      sl_message_set_string       (SlMessage              *msg,
                                                       const char             *name,
                                                       const char             *value);
void                      sl_message_set_string_len   (SlMessage              *msg,
                                                       const char             *name,
                                                       const char             *value,
                                                       gsize                   len);
void                      sl_message_take_string      (SlMessage              *msg,
                                                       const char             *name,
                                                       char                   *value);
void                      sl_message_set_int          (SlMessage              *msg,
                                                       const char             *name,
                                                       gint64                  value);
void                      sl_message_set_double       (SlMessage              *msg,
                                                       const char             *name,
                                                       double                  value);
void                      sl_message_set_bool         (SlMessage              *msg,
                                                       const char             *name,
                                                       gboolean                value);
SlMessage *               sl_message_set_object       (SlMessage              *msg,
                                                       const char             *name);
void                      sl_message_unset            (SlMessage              *msg,
                                                       const char             *name);

void                      sl_message_set_empty_array  (SlMessage              *msg,
                                                       const char             *name);
SlMessage *               sl_message_append_object    (SlMessage              *msg,
                                                       const char             *name);
void                      sl_message_append_string    (SlMessage              *msg,
                                                       const char             *name,
                                                       const char             *value);
void                      sl_message_append_int       (SlMessage              *msg,
                                                       const char             *name,
                                                       gint64                  value);
void                      sl_message_append_double    (SlMessage              *msg,
                                                       const char             *name,
                                                       double                  value);
void                      sl_message_append_bool      (SlMessage              *msg,
                                                       const char             *name,
                                                       gboolean                value);

char *                    sl_message_to_json          (const SlMessage        *msg,
                                                       gsize                  *out_len,
                                                       GError                **error);
GBytes *                  sl_message_to_bytes         (const SlMessage        *msg,
                                                       GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlMessage, sl_message_unref)

G_END_DECLS
