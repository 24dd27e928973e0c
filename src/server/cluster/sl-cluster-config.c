/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The [cluster] group: where Redis is and how to log in.  Debian 12's
 * hiredis (0.14) has no TLS, so rediss:// is refused with what to do
 * instead; we do not wrap the connection in TLS of our own.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-cluster-config.h"
#include "sl-server-config.h"

#include <string.h>

#define GROUP "cluster"
#define MAX_PASSWORD 512

static SlClusterConfig *
bad_key (GError ** error, const char *key, const char *why)
{
  g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG,
      "configuration key '[" GROUP "] %s': %s", key, why);
  return NULL;
}

static gboolean
parse_tcp (SlClusterConfig * c, const char *hostport)
{
  g_autofree char *host = NULL;
  const char *colon;
  guint64 port;

  /* [v6]:port or host:port; the port is required. */
  if (hostport[0] == '[') {
    const char *end = strchr (hostport, ']');

    if (end == NULL || end[1] != ':')
      return FALSE;
    host = g_strndup (hostport + 1, end - hostport - 1);
    colon = end + 1;
  } else {
    colon = strrchr (hostport, ':');
    if (colon == NULL || strchr (hostport, ':') != colon)
      return FALSE;
    host = g_strndup (hostport, colon - hostport);
  }
  if (host[0] == '\0' || strpbrk (host, "/@?# ") != NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    return FALSE;
  c->host = g_steal_pointer (&host);
  c->port = (guint16) port;
  return TRUE;
}

static gboolean
read_password (SlClusterConfig * c, const char *path, GError ** error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, &local_error)) {
    bad_key (error, "password_file", local_error->message);
    return FALSE;
  }
  /* One line; a trailing newline is not part of the password. */
  if (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  if (len == 0 || len > MAX_PASSWORD || strlen (text) != len ||
      strchr (text, '\n') != NULL) {
    bad_key (error, "password_file", "must hold one line of 1 to 512 " "bytes");
    return FALSE;
  }
  c->password = g_steal_pointer (&text);
  return TRUE;
}

/**
 * sl_cluster_config_load:
 * @file: the merged configuration
 * @error: return location for an %SL_SERVER_ERROR_CONFIG error
 *
 * Returns: (transfer full) (nullable): the cluster settings; %NULL with
 *   @error unset if there is no [cluster] group (a single instance)
 */
SlClusterConfig *
sl_cluster_config_load (GKeyFile * file, GError ** error)
{
  static const char *const known[] = { "redis", "user", "password_file",
    NULL
  };
  g_autoptr (SlClusterConfig) c = NULL;
  g_auto (GStrv) keys = NULL;
  g_autofree char *redis = NULL;
  g_autofree char *password_file = NULL;
  guint i;

  if (!g_key_file_has_group (file, GROUP))
    return NULL;
  keys = g_key_file_get_keys (file, GROUP, NULL, NULL);
  for (i = 0; keys && keys[i]; i++) {
    if (!g_strv_contains (known, keys[i]))
      return bad_key (error, keys[i], "unknown key");
  }
  c = g_new0 (SlClusterConfig, 1);
  redis = g_key_file_get_string (file, GROUP, "redis", NULL);
  if (redis == NULL)
    return bad_key (error, "redis", "required in a [cluster] group "
        "(unix:/path or tcp://host:port)");
  g_strstrip (redis);
  if (g_str_has_prefix (redis, "rediss://"))
    return bad_key (error, "redis", "TLS to Redis (rediss://) is not "
        "supported: Debian 12's hiredis 0.14 cannot do it.  Use Redis's "
        "Unix socket on the same host, or carry tcp:// through a TLS "
        "tunnel such as stunnel4 or spiped (docs/DEPLOYMENT.md)");
  if (g_str_has_prefix (redis, "unix:")) {
    const char *path = redis + strlen ("unix:");

    if (!g_path_is_absolute (path) || strlen (path) > 100)
      return bad_key (error, "redis", "unix: needs an absolute socket "
          "path of at most 100 bytes");
    c->unix_path = g_strdup (path);
  } else if (g_str_has_prefix (redis, "tcp://")) {
    if (!parse_tcp (c, redis + strlen ("tcp://")))
      return bad_key (error, "redis", "tcp:// needs host:port (an IPv6 "
          "address in brackets)");
  } else {
    return bad_key (error, "redis", "must be unix:/path or " "tcp://host:port");
  }
  c->user = g_key_file_get_string (file, GROUP, "user", NULL);
  if (c->user) {
    g_strstrip (c->user);
    if (c->user[0] == '\0' || strpbrk (c->user, " \t\r\n") != NULL)
      return bad_key (error, "user", "must be one word");
  }
  password_file = g_key_file_get_string (file, GROUP, "password_file", NULL);
  if (password_file && !read_password (c, g_strstrip (password_file), error))
    return NULL;
  if (c->user && c->password == NULL)
    return bad_key (error, "user", "needs password_file");
  return g_steal_pointer (&c);
}

void
sl_cluster_config_free (SlClusterConfig * c)
{
  if (c == NULL)
    return;
  g_free (c->unix_path);
  g_free (c->host);
  g_free (c->user);
  if (c->password) {
    /* Not a key, but a credential: leave no copy in freed memory (through
     * a volatile pointer, so the store is not optimised away). */
    static void *(*const volatile wipe) (void *, int, size_t) = memset;

    wipe (c->password, 0, strlen (c->password));
    g_free (c->password);
  }
  g_free (c);
}
