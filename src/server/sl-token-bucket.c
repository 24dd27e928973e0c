/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The per-connection rate limit.  Tokens accrue at @rate per second up to
 * @burst; each message costs one.  The server also runs a second bucket
 * per connection, filled by refused messages, to tell a client that
 * overshoots now and then (answered with `rate-limited` errors) from one
 * that floods (closed with 1008).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-token-bucket.h"

/**
 * sl_token_bucket_init:
 * @bucket: the bucket
 * @burst: start full
 * @now_us: the current monotonic time
 */
void
sl_token_bucket_init (SlTokenBucket * bucket, double burst, gint64 now_us)
{
  bucket->tokens = burst;
  bucket->last_us = now_us;
}

static void
refill (SlTokenBucket * bucket, double rate, double burst, gint64 now_us)
{
  if (now_us > bucket->last_us) {
    bucket->tokens += rate * (double) (now_us - bucket->last_us) / 1e6;
    if (bucket->tokens > burst)
      bucket->tokens = burst;
  }
  bucket->last_us = now_us;
}

/**
 * sl_token_bucket_take:
 * @bucket: the bucket
 * @rate: tokens per second
 * @burst: the bucket's size
 * @cost: tokens to take
 * @now_us: the current monotonic time
 *
 * Returns: %TRUE and takes @cost tokens if there are enough, else %FALSE
 *   and takes none
 */
gboolean
sl_token_bucket_take (SlTokenBucket * bucket, double rate, double burst,
    double cost, gint64 now_us)
{
  refill (bucket, rate, burst, now_us);
  if (bucket->tokens < cost)
    return FALSE;
  bucket->tokens -= cost;
  return TRUE;
}

/**
 * sl_token_bucket_level:
 * @bucket: the bucket
 * @rate: tokens per second
 * @burst: the bucket's size
 * @now_us: the current monotonic time
 *
 * Returns: the tokens available now
 */
double
sl_token_bucket_level (SlTokenBucket * bucket, double rate, double burst,
    gint64 now_us)
{
  refill (bucket, rate, burst, now_us);
  return bucket->tokens;
}
