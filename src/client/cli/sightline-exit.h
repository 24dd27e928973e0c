/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the sightline command (--help, README.md). */
#define SL_EXIT_OK          0
#define SL_EXIT_FAILURE     1
#define SL_EXIT_USAGE       2
#define SL_EXIT_REJECTED    3
#define SL_EXIT_BUSY        4
#define SL_EXIT_NO_ANSWER   5
#define SL_EXIT_SECURITY    6
#define SL_EXIT_SERVER      7
#define SL_EXIT_MEDIA       8
#define SL_EXIT_PEER_LOST   9
#define SL_EXIT_CANCELLED  10
#define SL_EXIT_POLICY     11

int sightline_exit_status (const GError *error);

G_END_DECLS
