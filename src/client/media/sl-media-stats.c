/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The media statistics snapshot (SlMediaMeter fills it). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-media-stats.h"

/**
 * sl_media_stats_copy:
 * @from: a snapshot
 * @to: (out caller-allocates): a deep copy; release with
 *   sl_media_stats_clear()
 */
void
sl_media_stats_copy (const SlMediaStats * from, SlMediaStats * to)
{
  *to = *from;
  to->codec = g_strdup (from->codec);
}

void
sl_media_stats_clear (SlMediaStats * stats)
{
  g_clear_pointer (&stats->codec, g_free);
}
