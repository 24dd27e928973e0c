/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Server settings.  main() merges the configuration file and the
 * command-line flags into one GKeyFile (flags written over the file's
 * keys), so there is a single place that reads and checks every key.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-server-config.h"
#include "sl-signalling.h"

#include <string.h>

#define GROUP "server"

G_DEFINE_QUARK (sl - server - error - quark, sl_server_error);

/**
 * sl_server_config_new:
 *
 * Returns: (transfer full): the defaults
 */
SlServerConfig *
sl_server_config_new (void)
{
  SlServerConfig *c = g_new0 (SlServerConfig, 1);

  c->listen = g_strdup ("0.0.0.0");
  c->port = 8443;
  c->admin_listen = g_strdup ("127.0.0.1");
  c->admin_port = 8444;
  c->cert_file = g_build_filename (SL_SYSCONFDIR, "server.crt", NULL);
  c->key_file = g_build_filename (SL_SYSCONFDIR, "server.key", NULL);
  c->ca_file = g_build_filename (SL_SYSCONFDIR, "ca.crt", NULL);
  c->crl_file = g_build_filename (SL_SYSCONFDIR, "crl.pem", NULL);
  c->max_connections = 10000;
  c->max_handshakes = 1000;
  c->max_handshakes_per_address = 64;
  c->max_message_size = SL_SIGNALLING_MAX_CLIENT_MESSAGE;
  c->rate_limit = 200;
  c->rate_burst = 400;
  c->handshake_timeout_ms = 10000;
  c->ping_interval = 15;
  c->idle_timeout = 30;
  c->ring_timeout_ms = 30000;
  c->shutdown_retry_after_ms = 5000;
  c->turn_ttl = 3600;
  c->max_call_participants = 4;
  c->policy = sl_call_policy_new ();
  c->log_format = SL_LOG_FORMAT_TEXT;
  return c;
}

void
sl_server_config_free (SlServerConfig * c)
{
  if (c == NULL)
    return;
  g_free (c->listen);
  g_free (c->admin_listen);
  g_free (c->cert_file);
  g_free (c->key_file);
  g_free (c->ca_file);
  g_free (c->crl_file);
  g_strfreev (c->turn_urls);
  g_free (c->turn_secret_file);
  g_clear_object (&c->policy);
  g_clear_pointer (&c->cluster, sl_cluster_config_free);
  g_free (c->config_path);
  g_clear_pointer (&c->overrides, g_key_file_unref);
  g_free (c);
}

static gboolean
bad_key (GError ** error, const char *key, const char *why)
{
  g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG,
      "configuration key '%s': %s", key, why);
  return FALSE;
}

/* Reads an integer key in [lo, hi] if present. */
static gboolean
get_int (GKeyFile * file, const char *key, gint64 lo, gint64 hi,
    gint64 * out, GError ** error)
{
  g_autofree char *text = g_key_file_get_value (file, GROUP, key, NULL);
  gint64 v;

  if (text == NULL)
    return TRUE;
  g_strstrip (text);
  if (!g_ascii_string_to_signed (text, 10, lo, hi, &v, NULL)) {
    g_autofree char *why = g_strdup_printf ("must be an integer between %"
        G_GINT64_FORMAT " and %" G_GINT64_FORMAT, lo, hi);
    return bad_key (error, key, why);
  }
  *out = v;
  return TRUE;
}

static gboolean
get_uint (GKeyFile * file, const char *key, guint lo, guint hi, guint * out,
    GError ** error)
{
  gint64 v = *out;

  if (!get_int (file, key, lo, hi, &v, error))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gboolean
get_double (GKeyFile * file, const char *key, double lo, double hi,
    double *out, GError ** error)
{
  g_autofree char *text = g_key_file_get_value (file, GROUP, key, NULL);
  char *end = NULL;
  double v;

  if (text == NULL)
    return TRUE;
  g_strstrip (text);
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(v >= lo && v <= hi)) {
    g_autofree char *why = g_strdup_printf ("must be a number between %g "
        "and %g", lo, hi);
    return bad_key (error, key, why);
  }
  *out = v;
  return TRUE;
}

/* Reads a string key if present; an empty value means "unset" when
 * @allow_empty. */
static gboolean
get_string (GKeyFile * file, const char *key, gboolean allow_empty,
    char **out, GError ** error)
{
  g_autofree char *text = g_key_file_get_string (file, GROUP, key, NULL);

  if (text == NULL)
    return TRUE;
  g_strstrip (text);
  if (text[0] == '\0' && !allow_empty)
    return bad_key (error, key, "must not be empty");
  g_free (*out);
  *out = text[0] ? g_steal_pointer (&text) : NULL;
  return TRUE;
}

static gboolean
load_policy (SlServerConfig * c, GKeyFile * file, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  SlCallPolicy *policy = sl_call_policy_new_from_key_file (file,
      &local_error);

  if (policy == NULL) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG,
        "configuration %s", local_error->message);
    return FALSE;
  }
  g_clear_object (&c->policy);
  c->policy = policy;
  return TRUE;
}

/**
 * sl_server_config_read:
 * @path: (nullable): the configuration file, or %NULL for none
 * @overrides: (nullable): keys from command-line flags, which win over
 *   the file's
 * @error: return location for an %SL_SERVER_ERROR_CONFIG error
 *
 * Returns: (transfer full) (nullable): the file with the flags written
 *   over it, or %NULL if the file cannot be read or parsed
 */
GKeyFile *
sl_server_config_read (const char *path, GKeyFile * overrides, GError ** error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) groups = NULL;
  guint g, i;

  if (path && !g_key_file_load_from_file (file, path, G_KEY_FILE_NONE,
          &local_error)) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG, "%s: %s",
        path, local_error->message);
    return NULL;
  }
  groups = overrides ? g_key_file_get_groups (overrides, NULL) : NULL;
  for (g = 0; groups && groups[g]; g++) {
    g_auto (GStrv) keys = g_key_file_get_keys (overrides, groups[g], NULL,
        NULL);

    for (i = 0; keys && keys[i]; i++) {
      g_autofree char *v = g_key_file_get_value (overrides, groups[g],
          keys[i], NULL);
      g_key_file_set_value (file, groups[g], keys[i], v);
    }
  }
  return g_steal_pointer (&file);
}

/**
 * sl_server_config_load:
 * @config: settings to update
 * @file: the merged configuration file and flags
 * @error: return location for an %SL_SERVER_ERROR_CONFIG error
 *
 * Reads every known key of @file over @config and checks the result.
 * Unknown keys in [server] are refused (they are usually typos).
 *
 * Returns: whether the settings are usable
 */
gboolean
sl_server_config_load (SlServerConfig * c, GKeyFile * file, GError ** error)
{
  static const char *const known[] = { "listen", "port", "admin_listen",
    "admin_port", "cert", "key", "ca", "crl", "max_connections",
    "max_handshakes", "max_handshakes_per_address", "max_message_size",
    "rate_limit", "rate_burst", "handshake_timeout_ms",
    "ping_interval", "idle_timeout", "ring_timeout_ms",
    "shutdown_retry_after_ms", "turn_urls", "turn_secret_file", "turn_ttl",
    "max_call_participants", "log_format", "verbose", NULL
  };
  g_auto (GStrv) keys = g_key_file_get_keys (file, GROUP, NULL, NULL);
  g_autofree char *log_format = NULL;
  gint64 port = c->port, admin_port = c->admin_port;
  gboolean idle_given;
  guint i;

  for (i = 0; keys && keys[i]; i++) {
    if (!g_strv_contains (known, keys[i]))
      return bad_key (error, keys[i], "unknown key");
  }
  idle_given = g_key_file_has_key (file, GROUP, "idle_timeout", NULL);

  if (!get_string (file, "listen", FALSE, &c->listen, error) ||
      !get_int (file, "port", 0, 65535, &port, error) ||
      !get_string (file, "admin_listen", FALSE, &c->admin_listen, error) ||
      !get_int (file, "admin_port", -1, 65535, &admin_port, error) ||
      !get_string (file, "cert", FALSE, &c->cert_file, error) ||
      !get_string (file, "key", FALSE, &c->key_file, error) ||
      !get_string (file, "ca", FALSE, &c->ca_file, error) ||
      !get_string (file, "crl", TRUE, &c->crl_file, error) ||
      !get_uint (file, "max_connections", 1, 1000000, &c->max_connections,
          error) ||
      !get_uint (file, "max_handshakes", 1, 100000, &c->max_handshakes,
          error) ||
      !get_uint (file, "max_handshakes_per_address", 1, 100000,
          &c->max_handshakes_per_address, error) ||
      !get_uint (file, "max_message_size", 1024,
          SL_SIGNALLING_MAX_CLIENT_MESSAGE, &c->max_message_size, error) ||
      !get_double (file, "rate_limit", 0.1, 1e7, &c->rate_limit, error) ||
      !get_double (file, "rate_burst", 1, 1e7, &c->rate_burst, error) ||
      !get_uint (file, "handshake_timeout_ms", 100, 600000,
          &c->handshake_timeout_ms, error) ||
      !get_uint (file, "ping_interval", 1, 3600, &c->ping_interval, error) ||
      !get_uint (file, "idle_timeout", 1, 7200, &c->idle_timeout, error) ||
      !get_uint (file, "ring_timeout_ms", 100, 3600000, &c->ring_timeout_ms,
          error) ||
      !get_uint (file, "shutdown_retry_after_ms", 0, 86400000,
          &c->shutdown_retry_after_ms, error) ||
      !get_string (file, "turn_secret_file", TRUE, &c->turn_secret_file,
          error) ||
      !get_uint (file, "turn_ttl", 60, 7 * 86400, &c->turn_ttl, error) ||
      !get_uint (file, "max_call_participants", 2,
          SL_SIGNALLING_MAX_CALL_PARTICIPANTS, &c->max_call_participants,
          error) || !get_string (file, "log_format", FALSE, &log_format, error))
    return FALSE;
  c->port = (int) port;
  c->admin_port = (int) admin_port;

  if (g_key_file_has_key (file, GROUP, "turn_urls", NULL)) {
    g_auto (GStrv) urls = g_key_file_get_string_list (file, GROUP,
        "turn_urls", NULL, NULL);
    const SlMemberSpec url = {.name = "url",.kind = SL_MEMBER_STRING,
      .max_len = 256,.syntax = SL_SYNTAX_URI
    };

    for (i = 0; urls && urls[i]; i++) {
      g_strstrip (urls[i]);
      if (sl_protocol_check_string (&url, urls[i], strlen (urls[i])) ||
          !(g_str_has_prefix (urls[i], "turn:") ||
              g_str_has_prefix (urls[i], "turns:") ||
              g_str_has_prefix (urls[i], "stun:")))
        return bad_key (error, "turn_urls", "each URL must start with "
            "turn:, turns: or stun: and contain no spaces");
    }
    if (urls && g_strv_length (urls) > 8)
      return bad_key (error, "turn_urls", "at most 8 URLs");
    g_strfreev (c->turn_urls);
    c->turn_urls = (urls && urls[0]) ? g_steal_pointer (&urls) : NULL;
  }
  if (g_key_file_has_key (file, GROUP, "verbose", NULL)) {
    g_autoptr (GError) local_error = NULL;
    c->verbose = g_key_file_get_boolean (file, GROUP, "verbose", &local_error);
    if (local_error)
      return bad_key (error, "verbose", "must be true or false");
  }
  if (log_format && !sl_log_parse_format (log_format, &c->log_format))
    return bad_key (error, "log_format", "must be text or logfmt");

  /* Two missed pings: a dead device leaves within two intervals. */
  if (!idle_given)
    c->idle_timeout = 2 * c->ping_interval;
  if (c->idle_timeout <= c->ping_interval)
    return bad_key (error, "idle_timeout", "must be longer than "
        "ping_interval");
  if (c->rate_burst < 1 || c->rate_burst < c->rate_limit / 100)
    return bad_key (error, "rate_burst", "too small for rate_limit");
  if ((c->turn_urls != NULL) != (c->turn_secret_file != NULL))
    return bad_key (error, "turn_urls", "turn_urls and turn_secret_file "
        "go together");
  if (!load_policy (c, file, error))
    return FALSE;
  {
    g_autoptr (GError) local_error = NULL;

    g_clear_pointer (&c->cluster, sl_cluster_config_free);
    c->cluster = sl_cluster_config_load (file, &local_error);
    if (local_error) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  }
  return TRUE;
}

/**
 * sl_server_config_set_source:
 * @config: settings
 * @path: (nullable): the configuration file they were read from
 * @overrides: (nullable): the command-line flags written over it
 *
 * Remembers where the settings came from, for
 * sl_server_config_reload_policy().
 */
void
sl_server_config_set_source (SlServerConfig * c, const char *path,
    GKeyFile * overrides)
{
  g_free (c->config_path);
  c->config_path = g_strdup (path);
  g_clear_pointer (&c->overrides, g_key_file_unref);
  c->overrides = overrides ? g_key_file_ref (overrides) : NULL;
}

/**
 * sl_server_config_reload_policy:
 * @config: settings, with their source set
 * @error: return location for an %SL_SERVER_ERROR_CONFIG error
 *
 * Reads [policy] and [visibility] again from the configuration file (and
 * the flags).  Nothing else is read again: the other settings need a
 * restart.
 *
 * Returns: (transfer full) (nullable): the policy as the file now says, or
 *   %NULL if the file cannot be read or its policy is wrong
 */
SlCallPolicy *
sl_server_config_reload_policy (const SlServerConfig * c, GError ** error)
{
  g_autoptr (GKeyFile) file = sl_server_config_read (c->config_path,
      c->overrides, error);
  g_autoptr (GError) local_error = NULL;
  SlCallPolicy *policy;

  if (file == NULL)
    return NULL;
  policy = sl_call_policy_new_from_key_file (file, &local_error);
  if (policy == NULL)
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG, "%s: %s",
        c->config_path ? c->config_path : "flags", local_error->message);
  return policy;
}
