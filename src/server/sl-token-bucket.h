/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SlTokenBucket:
 *
 * A token bucket small enough to embed in every connection (16 bytes): the
 * rate and burst are shared and passed to each call.
 */
typedef struct
{
  double tokens;
  gint64 last_us;
} SlTokenBucket;

void     sl_token_bucket_init   (SlTokenBucket *bucket,
                                 double         burst,
                                 gint64         now_us);

gboolean sl_token_bucket_take   (SlTokenBucket *bucket,
                                 double         rate,
                                 double         burst,
                                 double         cost,
                                 gint64         now_us);

double   sl_token_bucket_level  (SlTokenBucket *bucket,
                                 double         rate,
                                 double         burst,
                                 gint64         now_us);

G_END_DECLS
