/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The strict gate every document passes before anything is built from it.
 * It runs in one loop with an explicit stack, so a deeply nested document
 * is refused when it crosses the family's depth limit instead of
 * recursing; it also refuses what json-glib would silently accept or
 * reinterpret (duplicate member names, U+0000, unpaired surrogates,
 * integers beyond 64 bits), so that json-glib, which parses next (in
 * sl-protocol.c), only sees documents whose meaning is unambiguous.  It
 * is kept while Debian's json-glib (1.6) has no depth limit.  The members
 * of the top-level object are returned as spans, from which the parser
 * reads the message type before json-glib runs.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-json-scan.h"
#include "sl-protocol.h"

#include <string.h>

typedef struct
{
  const char *key;
  gsize len;
} KeySpan;

typedef enum
{
  STATE_VALUE,
  STATE_OBJECT_FIRST,
  STATE_KEY,
  STATE_ARRAY_FIRST,
  STATE_AFTER_VALUE,
} ScanState;

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  guint max_depth;
  guint depth;
  char stack[SL_JSON_MAX_DEPTH];
  /* Keys of the open nested objects (depth > 1), innermost last; the
   * top-level keys live in scan->members. */
  GArray *keys;
  guint key_base[SL_JSON_MAX_DEPTH];
  guint n_members[SL_JSON_MAX_DEPTH];
  SlJsonScan *scan;
  SlJsonMember *pending;        /* top-level member awaiting its value */
} Scanner;

static gboolean
fail (Scanner * s, GError ** error, const char *what)
{
  g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_MALFORMED_JSON,
      "malformed JSON at byte %" G_GSIZE_FORMAT ": %s",
      (gsize) (s->p - s->start), what);
  return FALSE;
}

static inline void
skip_ws (Scanner * s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n'
          || *s->p == '\r'))
    s->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_u_escape (const char *p, const char *end, guint * out)
{
  guint v = 0;
  int i;

  if (end - p < 4)
    return FALSE;
  for (i = 0; i < 4; i++) {
    int h = hex_value (p[i]);
    if (h < 0)
      return FALSE;
    v = (v << 4) | (guint) h;
  }
  *out = v;
  return TRUE;
}

/* Bytes that end a plain run inside a string: '"', '\\' and control
 * characters.  Strings are mostly long plain runs (base64 blobs): one
 * table lookup per byte. */
static const guint8 ends_plain[256] = {
  [0x00] = 1,[0x01] = 1,[0x02] = 1,[0x03] = 1,[0x04] = 1,[0x05] = 1,
  [0x06] = 1,[0x07] = 1,[0x08] = 1,[0x09] = 1,[0x0a] = 1,[0x0b] = 1,
  [0x0c] = 1,[0x0d] = 1,[0x0e] = 1,[0x0f] = 1,[0x10] = 1,[0x11] = 1,
  [0x12] = 1,[0x13] = 1,[0x14] = 1,[0x15] = 1,[0x16] = 1,[0x17] = 1,
  [0x18] = 1,[0x19] = 1,[0x1a] = 1,[0x1b] = 1,[0x1c] = 1,[0x1d] = 1,
  [0x1e] = 1,[0x1f] = 1,['"'] = 1,['\\'] = 1,
};

static const char *
skip_plain (const char *p, const char *end)
{
  while (p < end && !ends_plain[(guchar) * p])
    p++;
  return p;
}

/* s->p is just past the opening quote; on success it is just past the
 * closing one. */
static gboolean
scan_string (Scanner * s, const char **out_value, gsize * out_len,
    gboolean * out_escaped, GError ** error)
{
  const char *begin = s->p;
  gboolean escaped = FALSE;

  for (;;) {
    guchar c;

    s->p = skip_plain (s->p, s->end);
    if (s->p >= s->end)
      return fail (s, error, "unterminated string");
    c = (guchar) * s->p;
    if (c == '"')
      break;
    if (c < 0x20)
      return fail (s, error, "control character in a string");

    escaped = TRUE;
    s->p++;
    if (s->p >= s->end)
      return fail (s, error, "unterminated string");
    switch (*s->p) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        s->p++;
        break;
      case 'u':{
        guint cp;

        if (!read_u_escape (s->p + 1, s->end, &cp))
          return fail (s, error, "bad \\u escape");
        if (cp == 0)
          return fail (s, error, "strings must not contain U+0000");
        if (cp >= 0xdc00 && cp <= 0xdfff)
          return fail (s, error, "unpaired surrogate escape");
        s->p += 5;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          guint low;

          if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
              !read_u_escape (s->p + 2, s->end, &low) ||
              low < 0xdc00 || low > 0xdfff)
            return fail (s, error, "unpaired surrogate escape");
          s->p += 6;
        }
        break;
      }
      default:
        return fail (s, error, "bad escape in a string");
    }
  }

  *out_value = begin;
  *out_len = (gsize) (s->p - begin);
  *out_escaped = escaped;
  s->p++;
  return TRUE;
}

static gboolean
scan_number (Scanner * s, gboolean * out_integer, GError ** error)
{
  const char *begin = s->p;
  gboolean integer = TRUE;
  gint64 ignored;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return fail (s, error, "bad number");
  if (*s->p == '0') {
    s->p++;
  } else {
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  if (s->p < s->end && *s->p == '.') {
    integer = FALSE;
    s->p++;
    if (s->p >= s->end || !g_ascii_isdigit (*s->p))
      return fail (s, error, "bad number");
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    integer = FALSE;
    s->p++;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
      s->p++;
    if (s->p >= s->end || !g_ascii_isdigit (*s->p))
      return fail (s, error, "bad number");
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  if (integer && !sl_json_parse_int (begin, (gsize) (s->p - begin), &ignored)) {
    s->p = begin;
    return fail (s, error, "integer out of the 64-bit range");
  }
  *out_integer = integer;
  return TRUE;
}

static gboolean
scan_literal (Scanner * s, const char *word, GError ** error)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, error, "unexpected character");
  s->p += n;
  return TRUE;
}

static gboolean
push (Scanner * s, char kind, GError ** error)
{
  if (s->depth >= s->max_depth) {
    g_set_error (error, SL_PROTOCOL_ERROR, SL_PROTOCOL_ERROR_TOO_DEEP,
        "nested deeper than %u levels", s->max_depth);
    return FALSE;
  }
  s->stack[s->depth] = kind;
  s->n_members[s->depth] = 0;
  if (kind == '{' && s->depth >= 1) {
    if (s->keys == NULL)
      s->keys = g_array_new (FALSE, FALSE, sizeof (KeySpan));
    s->key_base[s->depth] = s->keys->len;
  }
  s->depth++;
  s->p++;
  return TRUE;
}

static void
pop (Scanner * s)
{
  s->depth--;
  if (s->stack[s->depth] == '{' && s->depth >= 1)
    g_array_set_size (s->keys, s->key_base[s->depth]);
  s->p++;
}

static gboolean
add_key (Scanner * s, const char *key, gsize len, GError ** error)
{
  guint level = s->depth - 1;
  guint i;

  if (s->n_members[level] >= SL_JSON_MAX_MEMBERS)
    return fail (s, error, "an object has more than 64 members");
  s->n_members[level]++;

  if (level == 0) {
    SlJsonScan *scan = s->scan;

    for (i = 0; i < scan->n_members; i++) {
      if (scan->members[i].key_len == len &&
          memcmp (scan->members[i].key, key, len) == 0)
        return fail (s, error, "duplicate member name");
    }
    s->pending = &scan->members[scan->n_members++];
    memset (s->pending, 0, sizeof (SlJsonMember));
    s->pending->key = key;
    s->pending->key_len = len;
  } else {
    KeySpan span = { key, len };

    for (i = s->key_base[level]; i < s->keys->len; i++) {
      KeySpan *k = &g_array_index (s->keys, KeySpan, i);
      if (k->len == len && memcmp (k->key, key, len) == 0)
        return fail (s, error, "duplicate member name");
    }
    g_array_append_val (s->keys, span);
  }
  return TRUE;
}

static gboolean
scan_value (Scanner * s, ScanState * state, GError ** error)
{
  SlJsonMember *m = (s->depth == 1) ? s->pending : NULL;
  const char *begin = s->p;
  gboolean integer = FALSE;

  switch (*s->p) {
    case '{':
      if (m)
        m->kind = SL_JSON_OBJECT;
      *state = STATE_OBJECT_FIRST;
      return push (s, '{', error);
    case '[':
      if (m)
        m->kind = SL_JSON_ARRAY;
      *state = STATE_ARRAY_FIRST;
      return push (s, '[', error);
    case '"':{
      const char *v;
      gsize n;
      gboolean escaped;

      s->p++;
      if (!scan_string (s, &v, &n, &escaped, error))
        return FALSE;
      if (m) {
        m->kind = SL_JSON_STRING;
        m->value = v;
        m->value_len = n;
        m->escaped = escaped;
      }
      break;
    }
    case 't':
      if (!scan_literal (s, "true", error))
        return FALSE;
      if (m)
        m->kind = SL_JSON_TRUE;
      break;
    case 'f':
      if (!scan_literal (s, "false", error))
        return FALSE;
      if (m)
        m->kind = SL_JSON_FALSE;
      break;
    case 'n':
      if (!scan_literal (s, "null", error))
        return FALSE;
      if (m)
        m->kind = SL_JSON_NULL;
      break;
    default:
      if (*s->p != '-' && !g_ascii_isdigit (*s->p))
        return fail (s, error, "unexpected character");
      if (!scan_number (s, &integer, error))
        return FALSE;
      if (m) {
        m->kind = SL_JSON_NUMBER;
        m->value = begin;
        m->value_len = (gsize) (s->p - begin);
        m->integer = integer;
      }
      break;
  }
  *state = STATE_AFTER_VALUE;
  return TRUE;
}

static gboolean
scan_key (Scanner * s, GError ** error)
{
  const char *key;
  gsize len;
  gboolean escaped;

  if (s->p >= s->end || *s->p != '"')
    return fail (s, error, "expected a member name");
  s->p++;
  if (!scan_string (s, &key, &len, &escaped, error))
    return FALSE;
  if (escaped) {
    s->p = key;
    return fail (s, error, "member names must not contain escapes");
  }
  if (!add_key (s, key, len, error))
    return FALSE;
  skip_ws (s);
  if (s->p >= s->end || *s->p != ':')
    return fail (s, error, "expected ':'");
  s->p++;
  return TRUE;
}

static gboolean
scan_after_value (Scanner * s, ScanState * state, GError ** error)
{
  char top = s->stack[s->depth - 1];

  if (*s->p == ',') {
    s->p++;
    *state = (top == '{') ? STATE_KEY : STATE_VALUE;
  } else if ((top == '{' && *s->p == '}') || (top == '[' && *s->p == ']')) {
    if (s->depth == 1)
      s->pending = NULL;
    pop (s);
  } else {
    return fail (s, error, top == '{' ? "expected ',' or '}'" :
        "expected ',' or ']'");
  }
  return TRUE;
}

/**
 * sl_json_utf8_valid:
 * @text: bytes
 * @len: their number
 *
 * Returns: whether @text is valid UTF-8 without NUL bytes
 */
gboolean
sl_json_utf8_valid (const char *text, gsize len)
{
  /* With a length, GLib also refuses NUL bytes. */
  return g_utf8_validate_len (text, len, NULL);
}

/**
 * sl_json_scan:
 * @text: the document; need not be NUL-terminated
 * @len: its length
 * @max_depth: the deepest accepted nesting (at most %SL_JSON_MAX_DEPTH)
 * @scan: (out caller-allocates): receives the top-level members
 * @error: return location for a %SL_PROTOCOL_ERROR
 *
 * Checks that @text is exactly one JSON object (RFC 8259) in UTF-8, within
 * @max_depth, with the extra rules listed for
 * %SL_PROTOCOL_ERROR_MALFORMED_JSON.  The spans in @scan point into @text.
 *
 * Returns: %TRUE if the document passed
 */
gboolean
sl_json_scan (const char *text, gsize len, guint max_depth,
    SlJsonScan * scan, GError ** error)
{
  Scanner s = { 0 };
  ScanState state = STATE_VALUE;
  gboolean ok = TRUE;

  s.start = s.p = text;
  s.end = text + len;
  s.max_depth = MIN (max_depth, SL_JSON_MAX_DEPTH);
  s.scan = scan;
  scan->n_members = 0;

  if (!sl_json_utf8_valid (text, len)) {
    g_set_error_literal (error, SL_PROTOCOL_ERROR,
        SL_PROTOCOL_ERROR_MALFORMED_JSON,
        "malformed JSON: not valid UTF-8 or contains a NUL byte");
    return FALSE;
  }

  skip_ws (&s);
  if (s.p >= s.end || *s.p != '{')
    return fail (&s, error, "a message must be a JSON object");

  for (;;) {
    skip_ws (&s);
    if (s.depth == 0 && state == STATE_AFTER_VALUE) {
      if (s.p != s.end)
        ok = fail (&s, error, "trailing characters after the object");
      break;
    }
    if (s.p >= s.end) {
      ok = fail (&s, error, "unexpected end of the document");
      break;
    }
    switch (state) {
      case STATE_VALUE:
        ok = scan_value (&s, &state, error);
        break;
      case STATE_OBJECT_FIRST:
        if (*s.p == '}') {
          pop (&s);
          state = STATE_AFTER_VALUE;
        } else {
          state = STATE_KEY;
        }
        break;
      case STATE_KEY:
        ok = scan_key (&s, error);
        state = STATE_VALUE;
        break;
      case STATE_ARRAY_FIRST:
        if (*s.p == ']') {
          pop (&s);
          state = STATE_AFTER_VALUE;
        } else {
          state = STATE_VALUE;
        }
        break;
      case STATE_AFTER_VALUE:
        ok = scan_after_value (&s, &state, error);
        break;
    }
    if (!ok)
      break;
  }

  if (s.keys)
    g_array_unref (s.keys);
  return ok;
}

static void
append_utf8 (char **out, guint cp)
{
  *out += g_unichar_to_utf8 (cp, *out);
}

/**
 * sl_json_unescape:
 * @raw: the inside of a string that sl_json_scan() accepted
 * @len: its length
 * @out_len: (out): the length of the result
 *
 * Returns: (transfer full): the unescaped, NUL-terminated string
 */
char *
sl_json_unescape (const char *raw, gsize len, gsize * out_len)
{
  /* Every escape is at least as long as what it stands for. */
  char *result = g_malloc (len + 1);
  char *out = result;
  const char *p = raw;
  const char *end = raw + len;

  while (p < end) {
    if (*p != '\\') {
      *out++ = *p++;
      continue;
    }
    p++;
    switch (*p) {
      case 'b':
        *out++ = '\b';
        p++;
        break;
      case 'f':
        *out++ = '\f';
        p++;
        break;
      case 'n':
        *out++ = '\n';
        p++;
        break;
      case 'r':
        *out++ = '\r';
        p++;
        break;
      case 't':
        *out++ = '\t';
        p++;
        break;
      case 'u':{
        guint cp = 0;
        guint low = 0;

        read_u_escape (p + 1, end, &cp);
        p += 5;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          read_u_escape (p + 2, end, &low);
          p += 6;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        append_utf8 (&out, cp);
        break;
      }
      default:
        *out++ = *p++;
        break;
    }
  }
  *out = '\0';
  *out_len = (gsize) (out - result);
  return result;
}

/**
 * sl_json_parse_int:
 * @literal: an integer literal: optional '-', then digits
 * @len: its length
 * @out_value: (out): the value
 *
 * Returns: %FALSE if @literal is not an integer or does not fit in gint64
 */
gboolean
sl_json_parse_int (const char *literal, gsize len, gint64 * out_value)
{
  gboolean negative = FALSE;
  guint64 limit;
  guint64 v = 0;
  gsize i = 0;

  if (len > 0 && literal[0] == '-') {
    negative = TRUE;
    i = 1;
  }
  if (i >= len)
    return FALSE;
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  for (; i < len; i++) {
    guint d;

    if (!g_ascii_isdigit (literal[i]))
      return FALSE;
    d = (guint) (literal[i] - '0');
    if (v > (limit - d) / 10)
      return FALSE;
    v = v * 10 + d;
  }
  if (negative)
    *out_value = (v == (guint64) G_MAXINT64 + 1) ? G_MININT64 : -(gint64) v;
  else
    *out_value = (gint64) v;
  return TRUE;
}
