/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the protocol module. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most members an object may have, at any depth. */
#define SL_JSON_MAX_MEMBERS 64
/* The deepest nesting any family may ask for. */
#define SL_JSON_MAX_DEPTH 64

typedef enum
{
  SL_JSON_STRING,
  SL_JSON_NUMBER,
  SL_JSON_TRUE,
  SL_JSON_FALSE,
  SL_JSON_NULL,
  SL_JSON_OBJECT,
  SL_JSON_ARRAY,
} SlJsonKind;

/* One member of the top-level object, as spans into the scanned text. */
typedef struct
{
  const char *key;              /* never contains escapes */
  gsize key_len;
  SlJsonKind kind;
  const char *value;            /* strings: between the quotes, raw */
  gsize value_len;
  gboolean escaped;             /* strings: contains backslash escapes */
  gboolean integer;             /* numbers: no fraction, no exponent, fits
                                 * in gint64 */
} SlJsonMember;

typedef struct
{
  SlJsonMember members[SL_JSON_MAX_MEMBERS];
  guint n_members;
} SlJsonScan;

gboolean  sl_json_utf8_valid (const char *text,
                              gsize       len);

gboolean  sl_json_scan      (const char  *text,
                             gsize        len,
                             guint        max_depth,
                             SlJsonScan  *scan,
                             GError     **error);

char *    sl_json_unescape  (const char  *raw,
                             gsize        len,
                             gsize       *out_len);

gboolean  sl_json_parse_int (const char  *literal,
                             gsize        len,
                             gint64      *out_value);

G_END_DECLS
