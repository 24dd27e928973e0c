/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The goggles wing's error domain. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-goggles-error.h"

G_DEFINE_QUARK (sl_goggles_error, sl_goggles_error);
