/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Structured logging for every Sightline program.  Fields passed with
 * g_log_structured() are written as key=value pairs so that operators can
 * filter on them; callers are responsible for never passing secrets or
 * relayed content as a field (see docs/SECURITY.md).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct
{
  char *program;
  SlLogFormat format;
  gboolean verbose;
  GLogLevelFlags always_fatal;
} log_state = { NULL, SL_LOG_FORMAT_TEXT, FALSE, 0 };

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "error";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "critical";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "notice";
  if (level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

static void
append_value (GString * out, const char *value, gssize len)
{
  gboolean quote = FALSE;
  gsize n = len < 0 ? strlen (value) : (gsize) len;
  gsize i;

  for (i = 0; i < n; i++) {
    if (value[i] == ' ' || value[i] == '"' || value[i] == '=' ||
        (guchar) value[i] < 0x20) {
      quote = TRUE;
      break;
    }
  }
  if (!quote && n > 0) {
    g_string_append_len (out, value, n);
    return;
  }
  g_string_append_c (out, '"');
  for (i = 0; i < n; i++) {
    guchar c = value[i];
    if (c == '"' || c == '\\')
      g_string_append_printf (out, "\\%c", c);
    else if (c == '\n')
      g_string_append (out, "\\n");
    else if (c < 0x20)
      g_string_append_printf (out, "\\x%02x", c);
    else
      g_string_append_c (out, c);
  }
  g_string_append_c (out, '"');
}

static gboolean
is_internal_field (const char *key)
{
  return g_str_equal (key, "MESSAGE") || g_str_equal (key, "GLIB_DOMAIN") ||
      g_str_equal (key, "PRIORITY") || g_str_equal (key, "CODE_FILE") ||
      g_str_equal (key, "CODE_LINE") || g_str_equal (key, "CODE_FUNC") ||
      g_str_equal (key, "GLIB_OLD_LOG_API");
}

/**
 * sl_log_timestamp:
 *
 * Returns: (transfer full): now, in UTC, as ISO 8601 with milliseconds
 *   (`2026-12-07T20:15:03.042Z`): the time every log line starts with
 */
char *
sl_log_timestamp (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds,
      g_date_time_get_microsecond (now) / 1000);
}

static GLogWriterOutput
sl_log_writer (GLogLevelFlags level, const GLogField * fields,
    gsize n_fields, gpointer user_data)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *ts = sl_log_timestamp ();
  const char *message = NULL;
  const char *domain = NULL;
  gsize i;

  for (i = 0; i < n_fields; i++) {
    if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
    else if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
  }

  if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) && !log_state.verbose
      && g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;

  if (log_state.format == SL_LOG_FORMAT_LOGFMT) {
    g_string_append_printf (out, "ts=%s level=%s prog=%s", ts,
        level_name (level), log_state.program ? log_state.program : "?");
    if (domain)
      g_string_append_printf (out, " domain=%s", domain);
    g_string_append (out, " msg=");
    append_value (out, message ? message : "", -1);
  } else {
    g_string_append_printf (out, "%s %s[%d] %s: %s", ts,
        log_state.program ? log_state.program : "?", (int) getpid (),
        level_name (level), message ? message : "");
  }

  for (i = 0; i < n_fields; i++) {
    if (is_internal_field (fields[i].key))
      continue;
    g_autofree char *key = g_ascii_strdown (fields[i].key, -1);

    g_string_append_printf (out, " %s=", key);
    append_value (out, fields[i].value, fields[i].length);
  }
  g_string_append_c (out, '\n');

  fwrite (out->str, 1, out->len, stderr);
  fflush (stderr);
  /* GLib's own writer aborts on fatal levels (G_DEBUG=fatal-criticals,
   * g_log_set_always_fatal()); a writer that replaces it must too. */
  if (level & (G_LOG_FLAG_FATAL | log_state.always_fatal))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

/**
 * sl_log_init:
 * @program: the program name written with every event
 * @format: line format
 * @verbose: also write debug and info events
 *
 * Installs the structured log writer for the whole process.  Call once,
 * early in main().
 */
void
sl_log_init (const char *program, SlLogFormat format, gboolean verbose)
{
  g_free (log_state.program);
  log_state.program = g_strdup (program);
  log_state.format = format;
  log_state.verbose = verbose;
  /* Read the mask (GLib has no getter): setting returns the old one. */
  log_state.always_fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_log_set_always_fatal (log_state.always_fatal);
  log_state.always_fatal &= ~G_LOG_FATAL_MASK;
  g_log_set_writer_func (sl_log_writer, NULL, NULL);
}

/**
 * sl_log_parse_format:
 * @name: "text" or "logfmt"
 * @out_format: (out): the format
 *
 * Returns: %TRUE if @name names a format
 */
gboolean
sl_log_parse_format (const char *name, SlLogFormat * out_format)
{
  if (g_strcmp0 (name, "text") == 0)
    *out_format = SL_LOG_FORMAT_TEXT;
  else if (g_strcmp0 (name, "logfmt") == 0)
    *out_format = SL_LOG_FORMAT_LOGFMT;
  else
    return FALSE;
  return TRUE;
}

static gboolean printerr_at_line_start = TRUE;

/* g_printerr() text, stamped at the start of each of its lines. */
static void
stamped_printerr (const char *text)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const char *p;

  for (p = text; *p; p++) {
    if (printerr_at_line_start) {
      g_autofree char *ts = sl_log_timestamp ();

      g_string_append_printf (out, "%s ", ts);
    }
    g_string_append_c (out, *p);
    printerr_at_line_start = *p == '\n';
  }
  fwrite (out->str, 1, out->len, stderr);
  fflush (stderr);
}

/**
 * sl_log_stamp_printerr:
 *
 * Makes g_printerr() start every line with sl_log_timestamp(), as the
 * log writer does: for diagnostics that end up in a file or a journal,
 * where the time of each line is what an operator looks for.
 */
void
sl_log_stamp_printerr (void)
{
  g_set_printerr_handler (stamped_printerr);
}
