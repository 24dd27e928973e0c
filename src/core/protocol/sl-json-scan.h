/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the protocol module. */

#pragma once

#include <glib.h>
#include <string.h>

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
  gboolean nested;              /* a top-level value is an object or array */
} SlJsonScan;

/* Word-at-a-time helpers: strings are mostly long runs of plain ASCII
 * (base64 blobs), and byte-by-byte loops dominated the relay path. */
#define SL_SWAR_ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define SL_SWAR_HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

static inline guint64
sl_swar_load (const char *p)
{
  guint64 x;

  memcpy (&x, p, sizeof x);
  return x;
}

/* Non-zero if a byte of @x is below @n (n <= 128). */
static inline guint64
sl_swar_has_less (guint64 x, guint8 n)
{
  return (x - SL_SWAR_ONES * n) & ~x & SL_SWAR_HIGHS;
}

/* Non-zero if a byte of @x equals @c. */
static inline guint64
sl_swar_has_byte (guint64 x, guint8 c)
{
  return sl_swar_has_less (x ^ (SL_SWAR_ONES * c), 1);
}

/* The first byte in [p, end) that ends a plain run inside a JSON string:
 * '"', '\\' or a control character. */
static inline const char *
sl_json_skip_plain (const char *p, const char *end)
{
  while (end - p >= 8) {
    guint64 x = sl_swar_load (p);

    if (sl_swar_has_less (x, 0x20) | sl_swar_has_byte (x, '"') |
        sl_swar_has_byte (x, '\\'))
      break;
    p += 8;
  }
  while (p < end && *p != '"' && *p != '\\' && (guchar) * p >= 0x20)
    p++;
  return p;
}

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
