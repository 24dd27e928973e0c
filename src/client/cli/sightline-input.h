/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SIGHTLINE_TYPE_INPUT (sightline_input_get_type ())
G_DECLARE_FINAL_TYPE (SightlineInput, sightline_input, SIGHTLINE, INPUT,
                      GObject)

SightlineInput * sightline_input_new  (int fd);

void             sightline_input_stop (SightlineInput *self);

G_END_DECLS
