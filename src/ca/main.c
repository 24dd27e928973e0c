/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sightline-ca: the operator's certificate tool.
 *
 *   sightline-ca init [--dir DIR]
 *   sightline-ca issue-device --id goggles-1 --name "Goggles 1" --role goggles
 *   sightline-ca issue-server --dns signal.example.com --ip 192.0.2.10
 *   sightline-ca revoke --id goggles-1
 *   sightline-ca list
 *
 * Exit status: 0 success, 1 failure (message on standard error), 2 usage.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sl-ca.h"
#include "sl-pki.h"

#define DEFAULT_DIR "sightline-ca"

typedef struct
{
  char *dir;
  char *id;
  char *name;
  char *role;
  char *out;
  char *serial;
  char *not_before;
  char *not_after;
  char **dns;
  char **ips;
  int days;
  gboolean force;
} Options;

static void
options_clear (Options * o)
{
  g_free (o->dir);
  g_free (o->id);
  g_free (o->name);
  g_free (o->role);
  g_free (o->out);
  g_free (o->serial);
  g_free (o->not_before);
  g_free (o->not_after);
  g_strfreev (o->dns);
  g_strfreev (o->ips);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)
     typedef gboolean (*CommandFunc) (Options * o, GError ** error);

     typedef struct
     {
       const char *name;
       const char *summary;
       CommandFunc func;
       int default_days;
       const char *options;     /* which of the options below apply */
     } Command;

     static gboolean
         validity (Options * o, gint64 * nb, gint64 * na, GError ** error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* A little slack for devices whose clocks run behind. */
  *nb = now - 300;
  if (o->not_before && !sl_pki_parse_time (o->not_before, nb, error))
    return FALSE;
  if (o->days <= 0 || o->days > 36500) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_USAGE,
        "--days must be between 1 and 36500");
    return FALSE;
  }
  *na = MAX (*nb, now) + (gint64) o->days * 86400;
  if (o->not_after && !sl_pki_parse_time (o->not_after, na, error))
    return FALSE;
  return TRUE;
}

static gboolean
require (const char *value, const char *option, GError ** error)
{
  if (value == NULL || value[0] == '\0') {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_USAGE, "%s is required",
        option);
    return FALSE;
  }
  return TRUE;
}

static gboolean
cmd_init (Options * o, GError ** error)
{
  g_autoptr (SlCa) ca = NULL;
  gint64 nb, na;

  if (!validity (o, &nb, &na, error))
    return FALSE;
  ca = sl_ca_create (o->dir, o->name ? o->name : "Sightline operator CA",
      nb, na, error);
  if (ca == NULL)
    return FALSE;
  g_print ("created CA in %s: ca.crt (give it to the server and every "
      "device), ca.key (keep it secret), crl.pem\n", o->dir);
  return TRUE;
}

static gboolean
cmd_issue_device (Options * o, GError ** error)
{
  g_autoptr (SlCa) ca = NULL;
  g_autofree char *out = NULL;
  g_autofree char *serial = NULL;
  gint64 nb, na;

  if (!require (o->id, "--id", error) || !require (o->name, "--name", error)
      || !require (o->role, "--role", error)
      || !validity (o, &nb, &na, error))
    return FALSE;
  ca = sl_ca_open (o->dir, error);
  if (ca == NULL)
    return FALSE;
  out = o->out ? g_strdup (o->out) : g_build_filename (o->dir, "devices", NULL);
  if (!sl_ca_issue_device (ca, o->id, o->name, o->role, out, nb, na,
          o->force, &serial, error))
    return FALSE;
  g_print ("issued device '%s' (serial %s): %s/%s.crt and %s/%s.key\n",
      o->id, serial, out, o->id, out, o->id);
  return TRUE;
}

static gboolean
cmd_issue_server (Options * o, GError ** error)
{
  g_autoptr (SlCa) ca = NULL;
  g_autofree char *out = NULL;
  g_autofree char *serial = NULL;
  const char *name = o->name;
  gint64 nb, na;

  if (!(o->dns && o->dns[0]) && !(o->ips && o->ips[0])) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_USAGE,
        "give at least one --dns or --ip");
    return FALSE;
  }
  if (!validity (o, &nb, &na, error))
    return FALSE;
  if (name == NULL)
    name = (o->dns && o->dns[0]) ? o->dns[0] : "sightline-server";
  ca = sl_ca_open (o->dir, error);
  if (ca == NULL)
    return FALSE;
  out = o->out ? g_strdup (o->out) : g_build_filename (o->dir, "server", NULL);
  if (!sl_ca_issue_server (ca, name, (const char *const *) o->dns,
          (const char *const *) o->ips, out, nb, na, o->force, &serial, error))
    return FALSE;
  g_print ("issued server '%s' (serial %s): %s/server.crt and "
      "%s/server.key\n", name, serial, out, out);
  return TRUE;
}

static gboolean
cmd_revoke (Options * o, GError ** error)
{
  g_autoptr (SlCa) ca = NULL;
  guint n;

  if ((o->id == NULL) == (o->serial == NULL)) {
    g_set_error (error, SL_CA_ERROR, SL_CA_ERROR_USAGE,
        "give exactly one of --id and --serial");
    return FALSE;
  }
  ca = sl_ca_open (o->dir, error);
  if (ca == NULL)
    return FALSE;
  n = sl_ca_revoke (ca, o->id, o->serial, error);
  if (n == 0)
    return FALSE;
  g_print ("revoked %u certificate%s; %s/crl.pem updated (a running server "
      "reloads it)\n", n, n == 1 ? "" : "s", o->dir);
  return TRUE;
}

static gboolean
cmd_crl (Options * o, GError ** error)
{
  g_autoptr (SlCa) ca = sl_ca_open (o->dir, error);

  if (ca == NULL || !sl_ca_write_crl (ca, error))
    return FALSE;
  g_print ("re-signed %s/crl.pem\n", o->dir);
  return TRUE;
}

static gboolean
cmd_list (Options * o, GError ** error)
{
  g_autoptr (SlCa) ca = sl_ca_open (o->dir, error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  SlCaIndex *index;
  guint i;

  if (ca == NULL)
    return FALSE;
  index = sl_ca_get_index (ca);
  g_print ("%-7s %-8s %-32s %-20s %-10s %s\n", "KIND", "STATUS", "SERIAL",
      "NOT-AFTER", "ROLE", "ID (NAME)");
  for (i = 0; i < sl_ca_index_get_n_entries (index); i++) {
    const SlCaEntry *e = sl_ca_index_get_entry (index, i);
    g_autoptr (GDateTime) end = g_date_time_new_from_unix_utc (e->not_after);
    g_autofree char *end_text = end ? g_date_time_format (end,
        "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("?");

    g_print ("%-7s %-8s %-32s %-20s %-10s %s (%s)\n", e->kind,
        e->revoked_at ? "revoked" : e->not_after <= now ? "expired" : "valid",
        e->serial, end_text, e->role, e->id, e->name);
  }
  return TRUE;
}

static const Command commands[] = {
  {"init", "create a new operator CA (ECDSA P-256)", cmd_init, 3650, "nDba"},
  {"issue-device", "issue a device certificate and key", cmd_issue_device,
      365, "inroDbaf"},
  {"issue-server", "issue the server certificate and key", cmd_issue_server,
      825, "nsIoDbaf"},
  {"revoke", "revoke a device (by id) or a certificate (by serial)",
      cmd_revoke, 0, "iS"},
  {"crl", "re-sign the revocation list (refreshes its nextUpdate)", cmd_crl,
      0, ""},
  {"list", "list every certificate issued", cmd_list, 0, ""},
};

static void
add_option (GArray * entries, Options * o, char letter)
{
  GOptionEntry e = { 0 };

  switch (letter) {
    case 'i':
    e = (GOptionEntry) {
    "id", 0, 0, G_OPTION_ARG_STRING, &o->id,
          "Device id (1-63 of a-z 0-9 . _ -)", "ID"};
      break;
    case 'n':
    e = (GOptionEntry) {
    "name", 0, 0, G_OPTION_ARG_STRING, &o->name,
          "Display name (devices) or common name (CA, server)", "NAME"};
      break;
    case 'r':
    e = (GOptionEntry) {
    "role", 0, 0, G_OPTION_ARG_STRING, &o->role,
          "Device role, e.g. goggles or expert", "ROLE"};
      break;
    case 'o':
    e = (GOptionEntry) {
    "out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out,
          "Folder for the new key and certificate", "DIR"};
      break;
    case 'D':
    e = (GOptionEntry) {
    "days", 0, 0, G_OPTION_ARG_INT, &o->days, "Validity in days", "N"};
      break;
    case 'b':
    e = (GOptionEntry) {
    "not-before", 0, 0, G_OPTION_ARG_STRING, &o->not_before,
          "Start of validity (now, now-1d, @UNIX, ISO 8601)", "TIME"};
      break;
    case 'a':
    e = (GOptionEntry) {
    "not-after", 0, 0, G_OPTION_ARG_STRING, &o->not_after,
          "End of validity (overrides --days)", "TIME"};
      break;
    case 'f':
    e = (GOptionEntry) {
    "force", 0, 0, G_OPTION_ARG_NONE, &o->force,
          "Replace existing key and certificate files", NULL};
      break;
    case 's':
    e = (GOptionEntry) {
    "dns", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->dns,
          "DNS name (repeatable)", "NAME"};
      break;
    case 'I':
    e = (GOptionEntry) {
    "ip", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->ips,
          "IP address (repeatable)", "ADDRESS"};
      break;
    case 'S':
    e = (GOptionEntry) {
    "serial", 0, 0, G_OPTION_ARG_STRING, &o->serial,
          "Serial number (hexadecimal, as in 'list')", "SERIAL"};
      break;
    default:
      g_assert_not_reached ();
  }
  g_array_append_val (entries, e);
}

static char *
commands_summary (void)
{
  GString *s = g_string_new ("Commands:\n");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "  %-14s %s\n", commands[i].name,
        commands[i].summary);
  g_string_append (s, "\nRun 'sightline-ca COMMAND --help' for a command's "
      "options.  The CA folder defaults to $SIGHTLINE_CA_DIR, else ./"
      DEFAULT_DIR ".");
  return g_string_free (s, FALSE);
}

static int
usage_error (const char *message)
{
  g_autofree char *summary = commands_summary ();

  g_printerr ("sightline-ca: %s\n\n%s\n", message, summary);
  return 2;
}

int
main (int argc, char **argv)
{
  g_auto (Options) o = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *parameter = NULL;
  const Command *command = NULL;
  GOptionEntry dir_entry = { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &o.dir,
    "The CA folder", "DIR"
  };
  const char *p;
  guint i;

  setlocale (LC_ALL, "");
  if (argc < 2)
    return usage_error ("no command given");
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help")) {
    g_autofree char *summary = commands_summary ();
    g_print ("Usage: sightline-ca COMMAND [OPTION...]\n\n"
        "The Sightline operator's certificate tool.\n\n%s\n", summary);
    return 0;
  }
  for (i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (g_str_equal (argv[1], commands[i].name))
      command = &commands[i];
  }
  if (command == NULL) {
    g_autofree char *message = g_strdup_printf ("unknown command '%s'",
        argv[1]);
    return usage_error (message);
  }

  o.days = command->default_days;
  entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_array_append_val (entries, dir_entry);
  for (p = command->options; *p; p++)
    add_option (entries, &o, *p);

  parameter = g_strdup_printf ("%s - %s", command->name, command->summary);
  context = g_option_context_new (parameter);
  g_option_context_add_main_entries (context,
      (const GOptionEntry *) (gpointer) entries->data, NULL);
  /* Shift the command name out so GOption sees only its options. */
  argv[1] = argv[0];
  argc--;
  argv++;
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("sightline-ca %s: %s\n", command->name, error->message);
    return 2;
  }
  if (argc > 1) {
    g_printerr ("sightline-ca %s: unexpected argument '%s'\n", command->name,
        argv[1]);
    return 2;
  }
  if (o.dir == NULL)
    o.dir = g_strdup (g_getenv ("SIGHTLINE_CA_DIR") ?
        g_getenv ("SIGHTLINE_CA_DIR") : DEFAULT_DIR);

  if (!command->func (&o, &error)) {
    g_printerr ("sightline-ca %s: %s\n", command->name, error->message);
    return g_error_matches (error, SL_CA_ERROR, SL_CA_ERROR_USAGE) ? 2 : 1;
  }
  return 0;
}
