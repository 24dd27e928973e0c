/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Every this many milliseconds goggles-png:PATH is rewritten. */
#define SL_GOGGLES_SNAPSHOT_MS 1000

#define SL_TYPE_GOGGLES_SNAPSHOTS (sl_goggles_snapshots_get_type ())
G_DECLARE_FINAL_TYPE (SlGogglesSnapshots, sl_goggles_snapshots, SL,
                      GOGGLES_SNAPSHOTS, GObject)

SlGogglesSnapshots * sl_goggles_snapshots_new       (const char *path);

void                 sl_goggles_snapshots_start     (SlGogglesSnapshots *self,
                                                     GstElement         *sink);

void                 sl_goggles_snapshots_finish    (SlGogglesSnapshots *self);

guint                sl_goggles_snapshots_get_count (SlGogglesSnapshots *self);

G_END_DECLS
