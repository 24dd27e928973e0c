/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SlLogFormat:
 * @SL_LOG_FORMAT_TEXT: one human-readable line per event
 * @SL_LOG_FORMAT_LOGFMT: one `key=value` line per event, for log collectors
 *
 * How sl_log_init() writes structured log events to standard error.
 */
typedef enum
{
  SL_LOG_FORMAT_TEXT,
  SL_LOG_FORMAT_LOGFMT,
} SlLogFormat;

void      sl_log_init             (const char  *program,
                                   SlLogFormat  format,
                                   gboolean     verbose);

char *    sl_log_timestamp        (void);

void      sl_log_stamp_printerr   (void);

gboolean  sl_log_parse_format     (const char  *name,
                                   SlLogFormat *out_format);

G_END_DECLS
