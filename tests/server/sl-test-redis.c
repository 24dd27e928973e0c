/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A throwaway redis-server for cluster tests: see sl-test-redis.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-test-redis.h"

#include <gio/gunixsocketaddress.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

struct _SlTestRedis
{
  char *dir;
  char *socket_path;
  GSubprocess *proc;
};

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/**
 * sl_test_redis_restart:
 * @self: a stopped Redis
 *
 * Starts it (again, empty) and returns once it accepts connections.
 */
void
sl_test_redis_restart (SlTestRedis * self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketAddress) addr =
      g_unix_socket_address_new (self->socket_path);
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
      G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_null (self->proc);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->proc = g_subprocess_launcher_spawn (launcher, &error,
      "redis-server", "--port", "0", "--unixsocket", self->socket_path,
      "--requirepass", SL_TEST_REDIS_PASSWORD, "--save", "",
      "--appendonly", "no", "--dir", self->dir, NULL);
  g_assert_no_error (error);
  for (;;) {
    g_autoptr (GSocketConnection) conn = g_socket_client_connect (client,
        G_SOCKET_CONNECTABLE (addr), NULL, NULL);

    if (conn)
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (20000);
  }
}

/**
 * sl_test_redis_start:
 * @dir: a folder of the test's (the socket goes there)
 *
 * Returns: (transfer full): a running Redis
 */
SlTestRedis *
sl_test_redis_start (const char *dir)
{
  SlTestRedis *self = g_new0 (SlTestRedis, 1);

  self->dir = g_strdup (dir);
  self->socket_path = g_build_filename (dir, "redis.sock", NULL);
  sl_test_redis_restart (self);
  return self;
}

/**
 * sl_test_redis_stop:
 * @self: a Redis
 *
 * Kills it outright (as a crash would).
 */
void
sl_test_redis_stop (SlTestRedis * self)
{
  if (self->proc == NULL)
    return;
  g_subprocess_send_signal (self->proc, SIGKILL);
  g_subprocess_wait (self->proc, NULL, NULL);
  g_clear_object (&self->proc);
  unlink (self->socket_path);
}

void
sl_test_redis_free (SlTestRedis * self)
{
  if (self == NULL)
    return;
  sl_test_redis_stop (self);
  g_free (self->dir);
  g_free (self->socket_path);
  g_free (self);
}

const char *
sl_test_redis_socket (SlTestRedis * self)
{
  return self->socket_path;
}

/**
 * sl_test_redis_config:
 * @self: a Redis
 *
 * Writes the password file next to the socket.
 *
 * Returns: (transfer full): a [cluster] group for the server's
 *   configuration file that reaches this Redis
 */
char *
sl_test_redis_config (SlTestRedis * self)
{
  g_autofree char *password = g_build_filename (self->dir, "redis.password",
      NULL);

  g_assert_true (g_file_set_contents (password, SL_TEST_REDIS_PASSWORD "\n",
          -1, NULL));
  return g_strdup_printf ("[cluster]\nredis=unix:%s\npassword_file=%s\n",
      self->socket_path, password);
}

/**
 * sl_test_redis_cli:
 * @self: a Redis
 * @args: (array zero-terminated=1): a command and its arguments
 *
 * Returns: (transfer full): what redis-cli printed
 */
char *
sl_test_redis_cli (SlTestRedis * self, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) cli = NULL;
  char *out = NULL;
  guint i;

  g_ptr_array_add (argv, (gpointer) "redis-cli");
  g_ptr_array_add (argv, (gpointer) "-s");
  g_ptr_array_add (argv, self->socket_path);
  g_ptr_array_add (argv, (gpointer) "--no-auth-warning");
  g_ptr_array_add (argv, (gpointer) "-a");
  g_ptr_array_add (argv, (gpointer) SL_TEST_REDIS_PASSWORD);
  for (i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  cli = g_subprocess_newv ((const char *const *) argv->pdata,
      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (cli, NULL, NULL, &out, NULL,
          &error));
  g_assert_no_error (error);
  return out;
}
