/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The `sightline` command's configuration file (GKeyFile), so that a
 * device's server, identity, ICE and media settings need not be typed on
 * every command.  Its keys are the long names of the options it may
 * hold; a `[default]` group and `[profile NAME]` groups (chosen with
 * --profile) hold them, and whatever the command line gives wins.  The
 * whole file is checked before any of it is used: a mistake anywhere in
 * it (syntax, a group or key it may not hold, a value of the wrong type)
 * is refused with its file and line, so a typo is never silently ignored
 * and a device never runs on half of its configuration.
 *
 * The security code is deliberately not a key: it is typed on both
 * devices for one call, not stored.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "sightline-config.h"

G_DEFINE_QUARK (sightline - config - error - quark, sightline_config_error);

#define DEFAULT_GROUP "default"
#define PROFILE_PREFIX "profile "

/* The options a file may hold: where a device connects, who it is, how
 * ICE may reach out and what media it uses by default.  One call's
 * choices (--code, --duration, --chat...) stay on the command line. */
static const char *const config_keys[] = {
  "server", "cert", "key", "ca", "connect-timeout",
  "ice-address", "stun", "turn", "ice-relay-only",
  "video", "audio", "video-device", "audio-device", "camera", "display",
  "video-sink", "audio-sink",
  "width", "height", "fps", "bitrate", "codec", "latency",
  "goggles-size", "opacity", "placement", "scale", "mode",
  "confirm-sas", "log-file",
  NULL
};

/**
 * sightline_config_default_path:
 *
 * Returns: (transfer full): `$XDG_CONFIG_HOME/sightline/client.conf`
 */
char *
sightline_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "sightline",
      "client.conf", NULL);
}

/* The line (from 1) of @group's header, or of @key in it; 0 if not
 * found.  GKeyFile keeps no line numbers, so the text is read again. */
static guint
find_line (const char *text, const char *group, const char *key)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *header = g_strdup_printf ("[%s]", group);
  gboolean in_group = FALSE;
  guint i;

  for (i = 0; lines[i]; i++) {
    g_autofree char *line = g_strstrip (g_strdup (lines[i]));
    char *eq;

    if (line[0] == '[') {
      in_group = g_str_equal (line, header);
      if (in_group && key == NULL)
        return i + 1;
      continue;
    }
    if (!in_group || key == NULL || (eq = strchr (line, '=')) == NULL)
      continue;
    *eq = '\0';
    if (g_str_equal (g_strchomp (line), key))
      return i + 1;
  }
  return 0;
}

/* The line GKeyFile refused: one that is neither blank, a comment, a
 * group header nor a key = value pair, or a pair before any group. */
static guint
find_syntax_line (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean group_seen = FALSE;
  guint i;

  for (i = 0; lines[i]; i++) {
    g_autofree char *line = g_strstrip (g_strdup (lines[i]));
    gsize len = strlen (line);

    if (len == 0 || line[0] == '#')
      continue;
    if (line[0] == '[' && line[len - 1] == ']') {
      group_seen = TRUE;
      continue;
    }
    if (line[0] == '[' || strchr (line, '=') == NULL || !group_seen
        || line[0] == '=')
      return i + 1;
  }
  return 0;
}

static const GOptionEntry *
find_entry (const GOptionEntry * entries, const char *name)
{
  const GOptionEntry *e;

  for (e = entries; e->long_name; e++) {
    if (g_str_equal (e->long_name, name))
      return e;
  }
  return NULL;
}

static gboolean
is_config_key (const char *name)
{
  return g_strv_contains (config_keys, name);
}

/* A file name in the file: `~/` is the home directory, a relative name
 * is relative to the file's own directory (not to wherever the command
 * runs). */
static char *
resolve_path (const char *config_path, const char *value)
{
  g_autofree char *dir = NULL;

  if (g_str_has_prefix (value, "~/"))
    return g_build_filename (g_get_home_dir (), value + 2, NULL);
  if (g_path_is_absolute (value))
    return g_strdup (value);
  dir = g_path_get_dirname (config_path);
  return g_build_filename (dir, value, NULL);
}

typedef struct
{
  const char *path;
  const char *text;
  GKeyFile *file;
} Source;

static gboolean
fail (GError ** error, const Source * src, const char *group,
    const char *key, SightlineConfigError code, const char *format, ...)
G_GNUC_PRINTF (6, 7);

     static gboolean
         fail (GError ** error, const Source * src, const char *group,
    const char *key, SightlineConfigError code, const char *format, ...)
{
  g_autofree char *message = NULL;
  guint line = find_line (src->text, group, key);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line)
    g_set_error (error, SIGHTLINE_CONFIG_ERROR, code, "%s:%u: %s", src->path,
        line, message);
  else
    g_set_error (error, SIGHTLINE_CONFIG_ERROR, code, "%s: %s", src->path,
        message);
  return FALSE;
}

/* Reads @key of @group as @entry's type into @out (a char *, GStrv,
 * int or gboolean), or says what is wrong with it. */
static gboolean
read_value (const Source * src, const char *group, const char *key,
    const GOptionEntry * entry, gpointer out, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *raw = g_key_file_get_value (src->file, group, key, NULL);
  const char *type = NULL;

  switch (entry->arg) {
    case G_OPTION_ARG_STRING:
    case G_OPTION_ARG_FILENAME:{
      g_autofree char *s = g_key_file_get_string (src->file, group, key,
          &local_error);

      if (s && *s == '\0') {
        type = "a value";
      } else if (s && entry->arg == G_OPTION_ARG_FILENAME) {
        *(char **) out = resolve_path (src->path, s);
      } else if (s) {
        *(char **) out = g_steal_pointer (&s);
      } else {
        type = "text (a backslash starts \\s, \\n, \\t, \\r or \\\\)";
      }
      break;
    }
    case G_OPTION_ARG_STRING_ARRAY:{
      g_auto (GStrv) list = g_key_file_get_string_list (src->file, group,
          key, NULL, &local_error);

      if (list == NULL || list[0] == NULL || *list[0] == '\0')
        type = "one or more values separated by ';'";
      else
        *(GStrv *) out = g_steal_pointer (&list);
      break;
    }
    case G_OPTION_ARG_INT:{
      int v = g_key_file_get_integer (src->file, group, key, &local_error);

      if (local_error || v == SIGHTLINE_CONFIG_UNSET_INT)
        type = "a whole number";
      else
        *(int *) out = v;
      break;
    }
    case G_OPTION_ARG_NONE:{
      gboolean v = g_key_file_get_boolean (src->file, group, key,
          &local_error);

      if (local_error)
        type = "true or false";
      else
        *(gboolean *) out = v;
      break;
    }
    default:
      g_return_val_if_reached (FALSE);
  }
  if (type == NULL)
    return TRUE;
  return fail (error, src, group, key, SIGHTLINE_CONFIG_ERROR_VALUE,
      "\"%s\" wants %s, not \"%s\"", key, type, raw ? raw : "");
}

static void
free_value (const GOptionEntry * entry, gpointer value)
{
  if (entry->arg == G_OPTION_ARG_STRING_ARRAY)
    g_strfreev (*(GStrv *) value);
  else if (entry->arg == G_OPTION_ARG_STRING
      || entry->arg == G_OPTION_ARG_FILENAME)
    g_free (*(char **) value);
}

/* Every group and key of the whole file, profiles not chosen included:
 * a mistake is found the day it is made. */
static gboolean
check_file (const Source * src, const GOptionEntry * entries, GError ** error)
{
  g_auto (GStrv) groups = g_key_file_get_groups (src->file, NULL);
  guint g, k;

  for (g = 0; groups[g]; g++) {
    const char *group = groups[g];
    g_auto (GStrv) keys = NULL;

    if (!g_str_equal (group, DEFAULT_GROUP)
        && !(g_str_has_prefix (group, PROFILE_PREFIX)
            && group[strlen (PROFILE_PREFIX)] != '\0'))
      return fail (error, src, group, NULL, SIGHTLINE_CONFIG_ERROR_UNKNOWN,
          "unknown group [%s]: say [" DEFAULT_GROUP "] or [" PROFILE_PREFIX
          "NAME]", group);
    keys = g_key_file_get_keys (src->file, group, NULL, NULL);
    for (k = 0; keys[k]; k++) {
      const GOptionEntry *entry = find_entry (entries, keys[k]);
      union
      {
        char *s;
        GStrv v;
        int i;
        gboolean b;
      } value = { 0 };

      if (entry == NULL || !is_config_key (keys[k]))
        return fail (error, src, group, keys[k],
            SIGHTLINE_CONFIG_ERROR_UNKNOWN,
            "unknown key \"%s\" in [%s] (see `sightline --help` and "
            "README.md for the keys a file may hold)", keys[k], group);
      if (!read_value (src, group, keys[k], entry, &value, error))
        return FALSE;
      free_value (entry, &value);
    }
  }
  return TRUE;
}

static gboolean
is_unset (const GOptionEntry * entry)
{
  switch (entry->arg) {
    case G_OPTION_ARG_INT:
      return *(int *) entry->arg_data == SIGHTLINE_CONFIG_UNSET_INT;
    case G_OPTION_ARG_NONE:
      return !*(gboolean *) entry->arg_data;
    default:
      return *(gpointer *) entry->arg_data == NULL;
  }
}

/**
 * sightline_config_apply:
 * @path: the configuration file
 * @must_exist: whether a missing @path is an error (--config) or means
 *   no file (the default path)
 * @profile: (nullable): the `[profile NAME]` group to use before
 *   `[default]`
 * @entries: the command's options, as the command line left them: an
 *   option still unset (%NULL, %FALSE, %SIGHTLINE_CONFIG_UNSET_INT) takes
 *   the file's value
 * @error: a #SIGHTLINE_CONFIG_ERROR naming the file and line
 *
 * Checks the whole file, then fills the unset options from it.  On
 * failure no option was changed.
 *
 * Returns: %TRUE if the file was good (or absent and not required)
 */
gboolean
sightline_config_apply (const char *path, gboolean must_exist,
    const char *profile, const GOptionEntry * entries, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *text = NULL;
  g_autofree char *profile_group = NULL;
  const char *groups[3] = { NULL, DEFAULT_GROUP, NULL };
  Source src = { path, NULL, file };
  const GOptionEntry *e;
  guint line;

  if (!g_file_get_contents (path, &text, NULL, &local_error)) {
    if (!must_exist && profile == NULL
        && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return TRUE;
    g_set_error (error, SIGHTLINE_CONFIG_ERROR, SIGHTLINE_CONFIG_ERROR_READ,
        "cannot read the configuration file: %s", local_error->message);
    return FALSE;
  }
  src.text = text;
  if (!g_key_file_load_from_data (file, text, -1, G_KEY_FILE_NONE,
          &local_error)) {
    line = find_syntax_line (text);
    if (line)
      g_set_error (error, SIGHTLINE_CONFIG_ERROR,
          SIGHTLINE_CONFIG_ERROR_SYNTAX, "%s:%u: %s", path, line,
          local_error->message);
    else
      g_set_error (error, SIGHTLINE_CONFIG_ERROR,
          SIGHTLINE_CONFIG_ERROR_SYNTAX, "%s: %s", path, local_error->message);
    return FALSE;
  }
  if (!check_file (&src, entries, error))
    return FALSE;
  if (profile) {
    profile_group = g_strconcat (PROFILE_PREFIX, profile, NULL);
    if (!g_key_file_has_group (file, profile_group)) {
      g_set_error (error, SIGHTLINE_CONFIG_ERROR,
          SIGHTLINE_CONFIG_ERROR_PROFILE, "%s has no [%s]", path,
          profile_group);
      return FALSE;
    }
    groups[0] = profile_group;
  }

  /* Checked above: nothing below can fail half-way. */
  for (e = entries; e->long_name; e++) {
    guint g;

    if (!is_config_key (e->long_name) || !is_unset (e))
      continue;
    for (g = 0; g < G_N_ELEMENTS (groups); g++) {
      if (groups[g] == NULL
          || !g_key_file_has_key (file, groups[g], e->long_name, NULL))
        continue;
      if (!read_value (&src, groups[g], e->long_name, e, e->arg_data, error))
        g_return_val_if_reached (FALSE);
      break;
    }
  }
  return TRUE;
}
