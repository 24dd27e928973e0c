/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libsightline-dtls.so: the DTLS tuning (sl-dtls-tuning.c) for programs
 * that do not link it, loaded before everything else:
 *
 *   LD_PRELOAD=/usr/lib/<multiarch>/sightline/libsightline-dtls.so \
 *       gst-launch-1.0 ...
 *
 * A preloaded library is in the global scope from the start, so its
 * SSL_new is the one every later library binds to, whatever the order in
 * which GStreamer loads its plugins.  Only needed where a plugin's own
 * promotion comes too late (sl_dtls_tuning_install() says when).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-dtls-tuning.h"

static void sl_dtls_preload_init (void) __attribute__((constructor));

static void
sl_dtls_preload_init (void)
{
  g_autoptr (GError) error = NULL;

  if (!sl_dtls_tuning_install (&error))
    g_warning ("libsightline-dtls: %s", error->message);
}
