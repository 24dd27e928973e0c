/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SL_GOGGLES_ERROR (sl_goggles_error_quark ())
GQuark sl_goggles_error_quark (void);

/**
 * SlGogglesError:
 * @SL_GOGGLES_ERROR_CONFIG: a bad setting or command, the plugin missing,
 *   no display for the window, a snapshot folder that does not exist.
 * @SL_GOGGLES_ERROR_FAILED: an input cannot be linked, a snapshot cannot
 *   be encoded or written.
 *
 * Errors of the goggles view.
 */
typedef enum
{
  SL_GOGGLES_ERROR_CONFIG,
  SL_GOGGLES_ERROR_FAILED,
} SlGogglesError;

G_END_DECLS
