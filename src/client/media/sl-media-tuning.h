/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

void sl_media_tune_webrtc      (GstElement  *webrtc);

void sl_media_tune_send_pacing (GstElement  *webrtc,
                                GstElement **branches);

G_END_DECLS
