/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "sightline/sl-media-options.h"

G_BEGIN_DECLS

/**
 * SlMediaDeviceKind:
 * @SL_MEDIA_DEVICE_CAMERA: a video source ("Video/Source")
 * @SL_MEDIA_DEVICE_MICROPHONE: an audio source ("Audio/Source")
 */
typedef enum
{
  SL_MEDIA_DEVICE_CAMERA,
  SL_MEDIA_DEVICE_MICROPHONE,
} SlMediaDeviceKind;

/**
 * SlMediaDevice:
 * @name: what the user picks it by (--video-device, --audio-device)
 * @source: the gst-launch description a call uses for it
 */
typedef struct
{
  char *name;
  char *source;
} SlMediaDevice;

void        sl_media_device_free (SlMediaDevice *device);

GPtrArray * sl_media_device_list (SlMediaDeviceKind kind);

char *      sl_media_device_find (SlMediaDeviceKind   kind,
                                  const char         *name,
                                  GError            **error);

gboolean    sl_media_device_missing (const SlMediaOptions *opts,
                                     SlMediaDeviceKind     kind);

gboolean    sl_media_speaker_missing (const SlMediaOptions *opts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlMediaDevice, sl_media_device_free)

G_END_DECLS
