/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SlMediaDevices:
 * @camera: (nullable): a source description for the camera found
 * @microphone: a microphone exists
 * @speaker: a speaker exists
 *
 * What this machine has, probed once per process.
 */
typedef struct
{
  char     *camera;
  gboolean  microphone;
  gboolean  speaker;
} SlMediaDevices;

const SlMediaDevices * sl_media_devices_get (void);

G_END_DECLS
