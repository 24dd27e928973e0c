/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The signalling wing's error domain. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-signal-error.h"

G_DEFINE_QUARK (sl_signal_error, sl_signal_error);
