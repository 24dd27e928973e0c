/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIGHTLINE_CONFIG_ERROR (sightline_config_error_quark ())
GQuark sightline_config_error_quark (void);

/**
 * SightlineConfigError:
 * @SIGHTLINE_CONFIG_ERROR_READ: the file cannot be read
 * @SIGHTLINE_CONFIG_ERROR_SYNTAX: not a key file
 * @SIGHTLINE_CONFIG_ERROR_UNKNOWN: a group or key this file may not hold
 * @SIGHTLINE_CONFIG_ERROR_VALUE: a value of the wrong type
 * @SIGHTLINE_CONFIG_ERROR_PROFILE: the profile asked for is not in the file
 */
typedef enum
{
  SIGHTLINE_CONFIG_ERROR_READ,
  SIGHTLINE_CONFIG_ERROR_SYNTAX,
  SIGHTLINE_CONFIG_ERROR_UNKNOWN,
  SIGHTLINE_CONFIG_ERROR_VALUE,
  SIGHTLINE_CONFIG_ERROR_PROFILE,
} SightlineConfigError;

/* What an integer option holds until the command line or the file sets
 * it. */
#define SIGHTLINE_CONFIG_UNSET_INT G_MININT

char *   sightline_config_default_path (void);

gboolean sightline_config_apply        (const char          *path,
                                        gboolean             must_exist,
                                        const char          *profile,
                                        const GOptionEntry  *entries,
                                        GError             **error);

G_END_DECLS
