/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Helpers shared by the crypto tests, the seed generator and the fuzzers:
 * hex conversion, a deterministic random source and a wipe recorder.
 * Header-only so that the fuzz targets can include it by path.
 */

#pragma once

#include <string.h>

#include <glib.h>

#include "sl-crypto-private.h"

G_BEGIN_DECLS

/* (transfer full): the bytes of a hex string; aborts on bad hex. */
static inline GBytes *
sl_test_hex (const char *hex)
{
  gsize len = strlen (hex);
  guint8 *buf = g_malloc (len / 2 + 1);
  gsize i;

  g_assert_cmpuint (len % 2, ==, 0);
  for (i = 0; i < len / 2; i++) {
    int hi = g_ascii_xdigit_value (hex[2 * i]);
    int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

    g_assert_true (hi >= 0 && lo >= 0);
    buf[i] = (guint8) (hi << 4 | lo);
  }
  return g_bytes_new_take (buf, len / 2);
}

/* Copies a hex string into @out, which must be exactly its size. */
static inline void
sl_test_hex_into (const char *hex, guint8 * out, gsize len)
{
  g_autoptr (GBytes) bytes = sl_test_hex (hex);

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, len);
  memcpy (out, g_bytes_get_data (bytes, NULL), len);
}

/* (transfer full): lowercase hex of @len bytes. */
static inline char *
sl_test_to_hex (const guint8 * data, gsize len)
{
  char *out = g_malloc (2 * len + 1);
  gsize i;

  for (i = 0; i < len; i++)
    g_snprintf (out + 2 * i, 3, "%02x", data[i]);
  out[2 * len] = '\0';
  return out;
}

#define sl_test_assert_hex(data, len, hex) G_STMT_START { \
    g_autofree char *sl_test_got_ = sl_test_to_hex ((data), (len)); \
    g_assert_cmpstr (sl_test_got_, ==, (hex)); \
  } G_STMT_END

/* A deterministic stream: SHA-256 (seed || counter) blocks.  Only for
 * reproducible fuzzing and seed generation. */
typedef struct
{
  guint8 seed[32];
  guint64 counter;
  guint8 block[32];
  gsize used;
} SlTestRandom;

static inline void
sl_test_random_reset (SlTestRandom * r, const char *seed)
{
  memset (r, 0, sizeof *r);
  g_assert_true (sl_crypto_sha256 ((const guint8 *) seed, strlen (seed),
          r->seed, NULL));
  r->used = sizeof r->block;
}

static inline void
sl_test_random_fill (guint8 * buf, gsize len, gpointer user_data)
{
  SlTestRandom *r = user_data;

  while (len > 0) {
    gsize n;

    if (r->used == sizeof r->block) {
      guint8 in[40];
      guint i;

      memcpy (in, r->seed, 32);
      for (i = 0; i < 8; i++)
        in[32 + i] = (guint8) (r->counter >> (8 * i));
      r->counter++;
      g_assert_true (sl_crypto_sha256 (in, sizeof in, r->block, NULL));
      r->used = 0;
    }
    n = MIN (len, sizeof r->block - r->used);
    memcpy (buf, r->block + r->used, n);
    r->used += n;
    buf += n;
    len -= n;
  }
}

/* Records, per label, how often it was wiped and whether the memory was
 * all zero each time (the wipe observer: what sl_crypto_wipe() was given),
 * and how often a watched secret's storage ended and whether the memory
 * it occupied was all zero then (the secret check: where the secret
 * really lived, read by this recorder, whatever was wiped). */
typedef struct
{
  GMutex lock;
  GHashTable *count;            /* label -> wipes */
  GHashTable *dirty;            /* label -> "N of M bytes at %p" when wiped */
  GHashTable *ended;            /* label -> watched storages ended */
  GHashTable *left;             /* label -> the same, when its storage ended */
} SlWipeRecorder;

static inline guint
sl_wipe_recorder_nonzero (const guint8 * mem, gsize len)
{
  gsize i;
  guint n = 0;

  for (i = 0; i < len; i++)
    if (mem[i] != 0)
      n++;
  return n;
}

static inline void
sl_wipe_recorder_bump (GHashTable * table, const char *label)
{
  g_hash_table_insert (table, g_strdup (label),
      GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (table,
                  label)) + 1));
}

/* Counts @label in @counts and, when @mem is not all zero, notes it in
 * @bad; the recorder reads @mem itself. */
static inline void
sl_wipe_recorder_note (SlWipeRecorder * rec, GHashTable * counts,
    GHashTable * bad, const char *label, const guint8 * mem, gsize len)
{
  guint nonzero = sl_wipe_recorder_nonzero (mem, len);

  g_mutex_lock (&rec->lock);
  sl_wipe_recorder_bump (counts, label);
  if (nonzero > 0)
    g_hash_table_insert (bad, g_strdup (label),
        g_strdup_printf ("%u of %" G_GSIZE_FORMAT " bytes left at %p",
            nonzero, len, mem));
  g_mutex_unlock (&rec->lock);
}

static inline void
sl_wipe_recorder_observe (const char *label, const guint8 * mem, gsize len,
    gpointer user_data)
{
  SlWipeRecorder *rec = user_data;

  sl_wipe_recorder_note (rec, rec->count, rec->dirty, label, mem, len);
}

static inline void
sl_wipe_recorder_check (const char *label, const guint8 * mem, gsize len,
    gpointer user_data)
{
  SlWipeRecorder *rec = user_data;

  sl_wipe_recorder_note (rec, rec->ended, rec->left, label, mem, len);
}

static inline void
sl_wipe_recorder_start (SlWipeRecorder * rec)
{
  g_mutex_init (&rec->lock);
  rec->count = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rec->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rec->ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rec->left = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sl_crypto_set_wipe_observer (sl_wipe_recorder_observe, rec);
  sl_crypto_set_secret_check (sl_wipe_recorder_check, rec);
}

static inline void
sl_wipe_recorder_stop (SlWipeRecorder * rec)
{
  sl_crypto_set_wipe_observer (NULL, NULL);
  sl_crypto_set_secret_check (NULL, NULL);
  g_clear_pointer (&rec->count, g_hash_table_unref);
  g_clear_pointer (&rec->dirty, g_hash_table_unref);
  g_clear_pointer (&rec->ended, g_hash_table_unref);
  g_clear_pointer (&rec->left, g_hash_table_unref);
  g_mutex_clear (&rec->lock);
}

static inline guint
sl_wipe_recorder_lookup (SlWipeRecorder * rec, GHashTable * table,
    const char *label)
{
  guint n;

  g_mutex_lock (&rec->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (table, label));
  g_mutex_unlock (&rec->lock);
  return n;
}

static inline guint
sl_wipe_recorder_count (SlWipeRecorder * rec, const char *label)
{
  return sl_wipe_recorder_lookup (rec, rec->count, label);
}

/* How many watched storages of @label ended (and were checked). */
static inline guint
sl_wipe_recorder_ended (SlWipeRecorder * rec, const char *label)
{
  return sl_wipe_recorder_lookup (rec, rec->ended, label);
}

/* Fails if any watched secret was still in memory when its storage
 * ended. */
static inline void
sl_wipe_recorder_assert_clean (SlWipeRecorder * rec)
{
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&rec->lock);
  g_hash_table_iter_init (&iter, rec->left);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_error ("secret \"%s\" was still in memory when its storage ended "
        "(%s)", (const char *) key, (const char *) value);
  g_hash_table_iter_init (&iter, rec->dirty);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_error ("secret \"%s\" was not zero when reported wiped (%s)",
        (const char *) key, (const char *) value);
  g_mutex_unlock (&rec->lock);
}

/* Asserts that each label was wiped at least once, and that no watched
 * secret was left in memory. */
static inline void
sl_wipe_recorder_assert (SlWipeRecorder * rec, const char *const *labels)
{
  for (; *labels != NULL; labels++) {
    if (sl_wipe_recorder_count (rec, *labels) == 0)
      g_error ("secret \"%s\" was never wiped", *labels);
  }
  sl_wipe_recorder_assert_clean (rec);
}

/* Asserts that the storage of each label ended (was checked) at least
 * once, and clean: the watches are in place on the paths a test drives. */
static inline void
sl_wipe_recorder_assert_ended (SlWipeRecorder * rec,
    const char *const *labels)
{
  for (; *labels != NULL; labels++) {
    if (sl_wipe_recorder_ended (rec, *labels) == 0)
      g_error ("no watched storage of secret \"%s\" ended", *labels);
  }
  sl_wipe_recorder_assert_clean (rec);
}

static inline void
sl_wipe_recorder_reset (SlWipeRecorder * rec)
{
  g_mutex_lock (&rec->lock);
  g_hash_table_remove_all (rec->count);
  g_hash_table_remove_all (rec->dirty);
  g_hash_table_remove_all (rec->ended);
  g_hash_table_remove_all (rec->left);
  g_mutex_unlock (&rec->lock);
}

G_END_DECLS
