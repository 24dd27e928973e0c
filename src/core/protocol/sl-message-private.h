/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the protocol module: the storage behind SlMessage, filled in
 * directly by the parser in sl-protocol.c. */

#pragma once

#include "sl-message.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean set;
  SlMemberKind kind;            /* what the union holds, for freeing */
  gsize len;                    /* strings: length in bytes */
  union
  {
    char *s;
    gint64 i;
    double d;
    gboolean b;
    SlMessage *obj;
    GArray *arr;                /* of SlValue */
  } v;
} SlValue;

struct _SlMessage
{
  gatomicrefcount ref_count;
  const SlProtocolFamily *family;
  const SlObjectSpec *spec;
  gboolean is_message;          /* top level: has a "type" */
  SlValue values[];             /* spec->n_members of them */
};

/* Enough for SL_JSON_MAX_DEPTH levels of objects inside arrays. */
#define SL_PATH_MAX_DEPTH 130

/* A member's place in a document, for error messages; built on the stack
 * while walking and only printed when something is wrong. */
typedef struct _SlPath SlPath;
struct _SlPath
{
  const SlPath *parent;
  const char *name;             /* NULL for an array item */
  guint index;
};

char *      sl_path_to_string       (const SlPath           *path);

gboolean    sl_value_check          (const SlMemberSpec     *member,
                                     const SlValue          *value,
                                     const SlPath           *path,
                                     GError                **error);

SlMessage * sl_message_new_for_spec (const SlProtocolFamily *family,
                                     const SlObjectSpec     *spec,
                                     gboolean                is_message);

void        sl_value_clear          (SlValue                *value);

GArray *    sl_value_array_new      (void);

gint        sl_object_spec_find     (const SlObjectSpec     *spec,
                                     const char             *name,
                                     gsize                   len);

G_END_DECLS
