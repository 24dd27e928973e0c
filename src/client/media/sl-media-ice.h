/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sightline/sl-media-options.h"

G_BEGIN_DECLS

gboolean sl_media_ice_restrict  (GstElement           *webrtc,
                                 const SlMediaOptions *opts,
                                 GError              **error);

void     sl_media_ice_hand_back (GstElement           *webrtc,
                                 const SlMediaOptions *opts,
                                 gboolean              started);

G_END_DECLS
