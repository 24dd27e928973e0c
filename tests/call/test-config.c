/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The `sightline` command's configuration file (issue 18): profiles, the
 * command line overriding the file, every kind of bad file refused with
 * its file and line (exit 2, nothing connects), --version and
 * --log-file.  The real server and real `sightline` processes on
 * 127.0.0.1; one world for all of them (they only list the roster).
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "call-harness.h"

#define EXIT_OK 0
#define EXIT_USAGE 2
#define EXIT_SERVER 7
#define SECONDS 30

/* Nothing listens there: a command that uses it cannot connect. */
#define DEAD_SERVER "wss://127.0.0.1:1"

static CallWorld *world;

/* `sightline ARGS...` with XDG_CONFIG_HOME at @config_home; returns its
 * exit status and, with @out_client, the finished client. */
static int
run (const char *config_home, const char *const *args, CallClient ** out)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *home_env = g_strdup_printf ("XDG_CONFIG_HOME=%s",
      config_home ? config_home : world->dir);
  const char *env[] = { home_env, NULL };
  const char *const *p;
  CallClient *c;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SL_SIGHTLINE"));
  for (p = args; *p; p++)
    g_ptr_array_add (argv, (gpointer) * p);
  g_ptr_array_add (argv, NULL);
  c = call_client_spawn_argv ("sightline", env,
      (const char *const *) argv->pdata);
  status = call_client_wait_exit (c, SECONDS);
  if (out)
    *out = c;
  else
    call_client_free (c);
  return status;
}

static char *
write_conf (const char *name, const char *text)
{
  char *path = g_build_filename (world->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* The device's identity as relative names, resolved from the file's
 * directory (the world's), wherever the command runs. */
static char *
good_conf_text (void)
{
  return g_strdup_printf ("# goggles\n"
      "[default]\n"
      "server = " DEAD_SERVER "\n"
      "cert = devices/goggles.crt\n"
      "key = devices/goggles.key\n"
      "ca = ca.crt\n"
      "ice-address = 127.0.0.1\n"
      "connect-timeout = 30\n"
      "\n" "[profile lab]\n" "server = %s;" DEAD_SERVER "\n", world->url);
}

/* The profile's server list replaces the default's; without the profile
 * the default's (dead) server is used; a flag beats both. */
static void
test_profiles_and_override (void)
{
  g_autofree char *text = good_conf_text ();
  g_autofree char *conf = write_conf ("good.conf", text);
  g_autofree char *server_flag = g_strdup_printf ("--server=%s", world->url);
  const char *lab[] = { "--config", conf, "--profile", "lab", "list", NULL };
  /* The file's timeout is for real servers; a flag overrides it. */
  const char *plain[] = { "--config", conf, "--connect-timeout=2", "list",
    NULL
  };
  const char *flag[] = { "--config", conf, server_flag, "list", NULL };
  const char *flag_timeout[] = { "--config", conf, "--connect-timeout=2",
    "--profile", "lab", "--server=" DEAD_SERVER, "list", NULL
  };
  CallClient *c = NULL;

  g_assert_cmpint (run (NULL, lab, &c), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (c, "roster: "));
  g_clear_pointer (&c, call_client_free);

  g_assert_cmpint (run (NULL, plain, &c), ==, EXIT_SERVER);
  g_assert_nonnull (call_client_find_line (c, "server: unreachable"));
  g_clear_pointer (&c, call_client_free);

  g_assert_cmpint (run (NULL, flag, &c), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (c, "roster: "));
  g_clear_pointer (&c, call_client_free);

  /* The flag's server beats the profile's too. */
  g_assert_cmpint (run (NULL, flag_timeout, NULL), ==, EXIT_SERVER);
}

/* Without --config: $XDG_CONFIG_HOME/sightline/client.conf. */
static void
test_default_path (void)
{
  g_autofree char *home = g_build_filename (world->dir, "xdg", NULL);
  g_autofree char *dir = g_build_filename (home, "sightline", NULL);
  g_autofree char *path = g_build_filename (dir, "client.conf", NULL);
  g_autofree char *ca = g_build_filename (world->dir, "ca.crt", NULL);
  g_autofree char *text = g_strdup_printf ("[profile lab]\nserver = %s\n"
      "cert = %s/devices/goggles.crt\nkey = %s/devices/goggles.key\n"
      "ca = %s\nconnect-timeout = 30\n", world->url, world->dir, world->dir,
      ca);
  const char *lab[] = { "--profile", "lab", "list", NULL };
  const char *other[] = { "--profile", "field", "list", NULL };
  CallClient *c = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_cmpint (run (home, lab, &c), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (c, "roster: "));
  g_clear_pointer (&c, call_client_free);

  g_assert_cmpint (run (home, other, &c), ==, EXIT_USAGE);
  g_assert_nonnull (strstr (c->err_text->str, "has no [profile field]"));
  call_client_free (c);
}

typedef struct
{
  const char *name;
  const char *text;             /* appended to the good file */
  const char *message;          /* after "FILE:" */
} BadFile;

/* Each kind of mistake: the file's own good keys (a live server, a valid
 * identity) are not used: the command stops with exit status 2 and says
 * where the mistake is. */
static const BadFile bad_files[] = {
  {"syntax", "[profile x]\nthis is not a pair\n", ":13: Key file contains"},
  {"unclosed", "[profile x\n", ":12: "},
  {"unknown-key", "[profile x]\nwidht = 640\n", ":13: unknown key \"widht\""},
  {"secret-key", "[profile x]\ncode = 1234\n", ":13: unknown key \"code\""},
  {"unknown-group", "[defaults]\nwidth = 640\n",
      ":12: unknown group [defaults]"},
  {"int", "[profile x]\nwidth = wide\n",
      ":13: \"width\" wants a whole number, not \"wide\""},
  {"bool", "[profile x]\nice-relay-only = maybe\n",
      ":13: \"ice-relay-only\" wants true or false"},
  {"empty", "[profile x]\nvideo =\n", ":13: \"video\" wants a value"},
};

static void
test_bad_file (gconstpointer data)
{
  const BadFile *bad = data;
  g_autofree char *good = g_strdup_printf ("[default]\nserver = %s\n"
      "cert = devices/goggles.crt\nkey = devices/goggles.key\nca = ca.crt\n"
      "ice-address = 127.0.0.1\n\n\n\n\n\n", world->url);
  g_autofree char *text = g_strconcat (good, bad->text, NULL);
  g_autofree char *name = g_strconcat (bad->name, ".conf", NULL);
  g_autofree char *conf = write_conf (name, text);
  g_autofree char *expect = g_strconcat (conf, bad->message, NULL);
  const char *args[] = { "--config", conf, "list", NULL };
  CallClient *c = NULL;

  g_assert_cmpint (run (NULL, args, &c), ==, EXIT_USAGE);
  if (strstr (c->err_text->str, expect) == NULL)
    g_error ("wanted \"%s\" on stderr, got: %s", expect, c->err_text->str);
  g_assert_null (call_client_find_line (c, "server: "));
  call_client_free (c);
}

/* A file that cannot be read, a profile it does not have: exit 2. */
static void
test_unreadable (void)
{
  g_autofree char *good = good_conf_text ();
  g_autofree char *conf = write_conf ("profiles.conf", good);
  const char *missing[] = { "--config", world->dir, "list", NULL };
  const char *profile[] = { "--config", conf, "--profile", "field", "list",
    NULL
  };
  CallClient *c = NULL;

  g_assert_cmpint (run (NULL, missing, &c), ==, EXIT_USAGE);
  g_assert_nonnull (strstr (c->err_text->str, "cannot read the "
          "configuration file"));
  g_clear_pointer (&c, call_client_free);
  g_assert_cmpint (run (NULL, profile, &c), ==, EXIT_USAGE);
  g_assert_nonnull (strstr (c->err_text->str, "has no [profile field]"));
  call_client_free (c);
}

static void
test_version (void)
{
  const char *args[] = { "--version", NULL };
  CallClient *c = NULL;

  g_assert_cmpint (run (NULL, args, &c), ==, EXIT_OK);
  g_assert_cmpuint (c->lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (c->lines, 0), ==,
      "sightline " PACKAGE_VERSION);
  call_client_free (c);
}

/* Diagnostics go to the file, appended, each line with its UTC time to
 * the millisecond; standard error stays empty. */
static void
test_log_file (void)
{
  g_autofree char *log = g_build_filename (world->dir, "client.log", NULL);
  g_autofree char *log_flag = g_strdup_printf ("--log-file=%s", log);
  g_autofree char *text = NULL;
  const char *args[] = { log_flag, "--server=" DEAD_SERVER,
    "--cert=/nonexistent/goggles.crt", "--key=/nonexistent/goggles.key",
    "--ca=/nonexistent/ca.crt", "list", NULL
  };
  g_auto (GStrv) lines = NULL;
  CallClient *c = NULL;

  g_assert_true (g_file_set_contents (log, "earlier line\n", -1, NULL));
  g_assert_cmpint (run (NULL, args, &c), ==, EXIT_USAGE);
  g_assert_cmpstr (c->err_text->str, ==, "");
  call_client_free (c);
  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "earlier line");
  g_assert_nonnull (lines[1]);
  if (!g_regex_match_simple ("^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:"
          "[0-5][0-9]:[0-6][0-9]\\.[0-9]{3}Z sightline: .*/nonexistent/",
          lines[1], 0, 0))
    g_error ("not a stamped diagnostic: \"%s\"", lines[1]);
}

int
main (int argc, char **argv)
{
  guint i;
  int status;

  g_test_init (&argc, &argv, NULL);
  world = call_world_new (3000);
  g_test_add_func ("/config/profiles-and-override", test_profiles_and_override);
  g_test_add_func ("/config/default-path", test_default_path);
  for (i = 0; i < G_N_ELEMENTS (bad_files); i++) {
    g_autofree char *path = g_strdup_printf ("/config/bad/%s",
        bad_files[i].name);

    g_test_add_data_func (path, &bad_files[i], test_bad_file);
  }
  g_test_add_func ("/config/unreadable", test_unreadable);
  g_test_add_func ("/config/version", test_version);
  g_test_add_func ("/config/log-file", test_log_file);
  status = g_test_run ();
  call_world_free (world);
  return status;
}
