/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Integration tests: the call policy over the wire.  Calls allowed and
 * refused by role, by device and by default; presence filtered to the
 * devices one may call; invitations into a group checked for every pair;
 * the policy reloaded on SIGHUP (a good file takes effect and presence
 * follows it, a bad one is refused and the old policy kept); refusals and
 * reloads counted in /metrics. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <string.h>

#include "sl-signalling.h"
#include "sl-test-call.h"

static SlTestPki *pki;

/* Goggles call experts, experts call goggles and experts, the rest is
 * refused; goggles-2 may also call goggles-1; expert-3 never calls
 * goggles-2; expert-2 and goggles-2 never call each other. */
static const char policy_a[] =
    "[policy]\n"
    "default = deny\n"
    "role.goggles = expert\n"
    "role.expert = goggles, expert\n"
    "allow.goggles-2 = goggles-1\n"
    "deny.expert-3 = goggles-2\n"
    "deny.expert-2 = goggles-2\n" "deny.goggles-2 = expert-2\n";

/* The same rules, but everyone sees everyone. */
static const char policy_all[] =
    "[policy]\n"
    "default = deny\n"
    "presence = all\n" "role.goggles = expert\n"
    "role.expert = goggles;expert\n";

/* After the reload: goggles call goggles, experts call experts. */
static const char policy_c[] =
    "[policy]\n"
    "default = deny\n" "role.goggles = goggles\n" "role.expert = expert\n";

typedef struct
{
  SlTestServer *server;
  char *config_path;
  SlTestDevices *devices;
} Fixture;

static char *
write_config (const char *name, const char *text)
{
  g_autoptr (GError) error = NULL;
  char *path = sl_test_pki_path (pki, name);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
setup (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *arg = NULL;
  const char *args[2] = { NULL, NULL };

  f->config_path = write_config ("policy-test.conf", data);
  arg = g_strconcat ("--config=", f->config_path, NULL);
  args[0] = arg;
  f->server = sl_test_server_start (pki, args, &error);
  g_assert_no_error (error);
  f->devices = sl_test_devices_new (f->server, pki);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  g_clear_pointer (&f->devices, sl_test_devices_free);
  /* A clean exit: no leak or memory error in the server either. */
  if (f->server)
    g_assert_true (sl_test_server_check_exit (f->server));
  g_clear_object (&f->server);
  g_free (f->config_path);
}

static SlTestClient *
dev (Fixture * f, const char *id)
{
  return sl_test_devices_get (f->devices, id);
}

static gint64
metric (Fixture * f, const char *series)
{
  return sl_test_server_metric (f->server, series);
}

/* @from calls @to and the policy refuses it, naming @peer. */
static void
expect_denied (Fixture * f, const char *call_id, const char *from,
    const char *to, const char *peer)
{
  g_autofree char *hs = sl_test_new_blob (65);
  g_autoptr (SlMessage) refused = NULL;

  sl_test_send_invite (dev (f, from), call_id, to, hs);
  refused = sl_test_expect_next (dev (f, from), "error");
  g_assert_cmpstr (sl_message_get_string (refused, "code"), ==,
      "policy-denied");
  g_assert_cmpstr (sl_message_get_string (refused, "call_id"), ==, call_id);
  /* Version 1 has no `peer`: its table would have refused the message. */
  if (sl_test_client_get_version (dev (f, from)) >= 2)
    g_assert_cmpstr (sl_message_get_string (refused, "peer"), ==, peer);
}

/* @from calls @to and it rings; then @from cancels. */
static void
expect_allowed (Fixture * f, const char *from, const char *to)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);

  sl_test_send_invite (dev (f, from), call_id, to, hs);
  sl_message_unref (sl_test_expect_call (dev (f, to), "incoming", call_id));
  sl_test_send_members (dev (f, from), "cancel", "call_id", call_id, "to", to,
      NULL);
  sl_message_unref (sl_test_expect_call (dev (f, to), "cancelled", call_id));
}

static void
test_calls (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();

  sl_test_devices_connect_all (f->devices, "goggles-1", "goggles-2",
      "goggles-3", "expert-1", "expert-2", "expert-3", "admin-1", "legacy-1",
      NULL);

  /* By role. */
  expect_allowed (f, "goggles-1", "expert-1");
  expect_allowed (f, "expert-1", "goggles-3");
  expect_allowed (f, "expert-1", "expert-2");
  expect_denied (f, call_id, "goggles-1", "goggles-3", "goggles-3");
  g_assert_cmpint (metric (f, "sightline_policy_refusals_total"
          "{reason=\"role\"}"), ==, 1);
  /* A version 1 device is refused the same way. */
  expect_denied (f, call_id, "legacy-1", "goggles-1", NULL);
  g_assert_cmpint (metric (f, "sightline_policy_refusals_total"
          "{reason=\"role\"}"), ==, 2);

  /* By device: an allow list beats the role rule, a deny list beats
   * both. */
  expect_allowed (f, "goggles-2", "goggles-1");
  expect_denied (f, call_id, "goggles-2", "goggles-3", "goggles-3");
  expect_denied (f, call_id, "expert-3", "goggles-2", "goggles-2");
  expect_allowed (f, "expert-3", "goggles-1");
  g_assert_cmpint (metric (f, "sightline_policy_refusals_total"
          "{reason=\"device\"}"), ==, 1);

  /* By default: no rule for role "admin". */
  expect_denied (f, call_id, "admin-1", "expert-1", "expert-1");
  expect_denied (f, call_id, "expert-1", "admin-1", "admin-1");
  g_assert_cmpint (metric (f, "sightline_policy_refusals_total"
          "{reason=\"default\"}"), ==, 1);
  g_assert_cmpint (metric (f, "sightline_errors_sent_total"
          "{code=\"policy-denied\"}"), ==, 6);

  /* Nobody was disturbed by a refused call, and an offline device is
   * offline. */
  sl_test_expect_quiet (dev (f, "goggles-3"), 100);
  sl_test_expect_quiet (dev (f, "admin-1"), 1);
  sl_test_send_invite (dev (f, "goggles-1"), call_id, "expert-9", call_id);
  sl_test_expect_error (dev (f, "goggles-1"), "offline", call_id, "invite");
}

static void
expect_join (SlTestClient * client, const char *id)
{
  g_autoptr (SlMessage) msg = sl_test_client_wait_for (client, "presence",
      SL_TEST_TIMEOUT_MS);

  g_assert_nonnull (msg);
  g_assert_cmpstr (sl_message_get_string (msg, "event"), ==, "join");
  g_assert_cmpstr (sl_message_get_string (sl_message_get_object (msg,
              "device"), "id"), ==, id);
}

static void
test_presence (Fixture * f, gconstpointer data)
{
  g_autoptr (SlMessage) roster = NULL;

  /* Goggles see the experts, not other goggles. */
  roster = sl_test_devices_connect (f->devices, "goggles-1");
  g_assert_cmpuint (sl_message_get_array_length (roster, "devices"), ==, 0);
  g_clear_pointer (&roster, sl_message_unref);
  roster = sl_test_devices_connect (f->devices, "expert-1");
  g_assert_true (sl_test_roster_has (roster, "goggles-1", NULL));
  expect_join (dev (f, "goggles-1"), "expert-1");
  g_clear_pointer (&roster, sl_message_unref);
  roster = sl_test_devices_connect (f->devices, "goggles-3");
  g_assert_true (sl_test_roster_has (roster, "expert-1", NULL));
  g_assert_false (sl_test_roster_has (roster, "goggles-1", NULL));
  expect_join (dev (f, "expert-1"), "goggles-3");
  g_assert_true (sl_test_client_quiet_for (dev (f, "goggles-1"), 200));

  /* A device with its own lists sees what it may call. */
  g_clear_pointer (&roster, sl_message_unref);
  roster = sl_test_devices_connect (f->devices, "goggles-2");
  g_assert_true (sl_test_roster_has (roster, "goggles-1", NULL));
  g_assert_true (sl_test_roster_has (roster, "expert-1", NULL));
  g_assert_false (sl_test_roster_has (roster, "goggles-3", NULL));
  expect_join (dev (f, "expert-1"), "goggles-2");
  g_clear_pointer (&roster, sl_message_unref);
  roster = sl_test_devices_connect (f->devices, "expert-3");
  g_assert_true (sl_test_roster_has (roster, "goggles-1", NULL));
  g_assert_true (sl_test_roster_has (roster, "goggles-3", NULL));
  g_assert_true (sl_test_roster_has (roster, "expert-1", NULL));
  g_assert_false (sl_test_roster_has (roster, "goggles-2", NULL));
  expect_join (dev (f, "goggles-2"), "expert-3");
  expect_join (dev (f, "goggles-1"), "expert-3");
  expect_join (dev (f, "expert-1"), "expert-3");

  /* A role no rule covers sees nobody (default deny), and nobody sees
   * it: no expert may call it. */
  g_clear_pointer (&roster, sl_message_unref);
  roster = sl_test_devices_connect (f->devices, "admin-1");
  g_assert_cmpuint (sl_message_get_array_length (roster, "devices"), ==, 0);
  g_assert_true (sl_test_client_quiet_for (dev (f, "expert-1"), 200));
  g_assert_true (sl_test_client_quiet_for (dev (f, "goggles-1"), 1));

  /* Status changes follow the same filter. */
  sl_test_client_send_text (dev (f, "goggles-3"), "{\"type\":\"status\","
      "\"status\":\"busy\"}");
  sl_test_expect_status (dev (f, "expert-1"), "goggles-3", "busy");
  g_assert_true (sl_test_client_quiet_for (dev (f, "goggles-1"), 200));
}

static void
test_presence_all (Fixture * f, gconstpointer data)
{
  g_autoptr (SlMessage) roster = NULL;
  g_autofree char *call_id = sl_test_new_call_id ();

  sl_test_devices_connect_all (f->devices, "goggles-1", NULL);
  roster = sl_test_devices_connect (f->devices, "goggles-3");
  g_assert_true (sl_test_roster_has (roster, "goggles-1", NULL));
  expect_join (dev (f, "goggles-1"), "goggles-3");
  /* Seen, but still not callable. */
  expect_denied (f, call_id, "goggles-1", "goggles-3", "goggles-3");
}

static void
test_group (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);

  sl_test_devices_connect_all (f->devices, "goggles-1", "goggles-2",
      "goggles-3", "expert-1", "expert-2", "expert-3", NULL);
  sl_test_send_invite (dev (f, "expert-1"), call_id, "goggles-1", hs);
  sl_message_unref (sl_test_expect_call (dev (f, "goggles-1"), "incoming",
          call_id));
  sl_test_send_call (dev (f, "goggles-1"), "accept", call_id, "hs", hs);
  sl_message_unref (sl_test_expect_call (dev (f, "expert-1"), "accepted",
          call_id));
  sl_message_unref (sl_test_expect_call (dev (f, "goggles-1"),
          "participants", call_id));

  /* expert-1 may call goggles-3, but goggles-3 and goggles-1 may not be in
   * one call: neither may call the other. */
  expect_denied (f, call_id, "expert-1", "goggles-3", "goggles-1");
  g_assert_cmpint (metric (f, "sightline_policy_refusals_total"
          "{reason=\"role\"}"), ==, 1);
  sl_test_expect_quiet (dev (f, "goggles-3"), 100);

  /* goggles-2 may call goggles-1 (its allow list): one direction is
   * enough for two members neither of which invited the other. */
  sl_test_send_invite (dev (f, "expert-1"), call_id, "goggles-2", hs);
  sl_message_unref (sl_test_expect_call (dev (f, "goggles-2"), "incoming",
          call_id));
  sl_test_send_call (dev (f, "goggles-2"), "accept", call_id, "hs", hs);
  sl_message_unref (sl_test_expect_call (dev (f, "expert-1"), "accepted",
          call_id));
  sl_message_unref (sl_test_expect_call (dev (f, "goggles-1"), "joined",
          call_id));

  /* expert-2 and goggles-2 deny each other: refused, naming goggles-2. */
  expect_denied (f, call_id, "expert-1", "expert-2", "goggles-2");
  g_assert_cmpint (metric (f, "sightline_policy_refusals_total"
          "{reason=\"device\"}"), ==, 1);
  sl_test_expect_quiet (dev (f, "expert-2"), 100);
  /* A member may not invite a device it may not call itself. */
  expect_denied (f, call_id, "goggles-1", "goggles-3", "goggles-3");
}

static gboolean
metric_reaches (Fixture * f, const char *series, gint64 value)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    if (metric (f, series) == value)
      return TRUE;
    sl_test_sleep (50);
  }
  return FALSE;
}

/* The next presence events of @client, "event:id" sorted, until quiet. */
static char *
presence_changes (SlTestClient * client)
{
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  SlMessage *msg;

  while ((msg = sl_test_client_next (client, 300))) {
    if (g_str_equal (sl_message_get_type_name (msg), "presence"))
      g_ptr_array_add (seen, g_strdup_printf ("%s:%s",
              sl_message_get_string (msg, "event"),
              sl_message_get_string (sl_message_get_object (msg, "device"),
                  "id")));
    sl_message_unref (msg);
  }
  return sl_test_join_sorted (seen, " ");
}

static void
test_reload (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *other = sl_test_new_call_id ();
  g_autofree char *blob = sl_test_new_blob (300);
  g_autofree char *changes = NULL;
  g_autofree char *log = NULL;
  g_autoptr (SlMessage) relayed = NULL;

  sl_test_devices_connect_all (f->devices, "goggles-1", "goggles-3", "expert-1",
      "expert-2", "expert-3", NULL);
  sl_test_send_invite (dev (f, "expert-1"), call_id, "goggles-1", blob);
  sl_message_unref (sl_test_expect_call (dev (f, "goggles-1"), "incoming",
          call_id));
  sl_test_send_call (dev (f, "goggles-1"), "accept", call_id, "hs", blob);
  sl_message_unref (sl_test_expect_call (dev (f, "expert-1"), "accepted",
          call_id));
  sl_test_drain (dev (f, "goggles-1"));
  sl_test_drain (dev (f, "goggles-3"));
  sl_test_drain (dev (f, "expert-2"));
  sl_test_drain (dev (f, "expert-3"));

  /* Goggles now call goggles only, experts experts only. */
  g_assert_true (g_file_set_contents (f->config_path, policy_c, -1, NULL));
  sl_test_server_send_signal (f->server, SIGHUP);
  g_assert_true (metric_reaches (f,
          "sightline_policy_reloads_total{result=\"ok\"}", 1));
  /* Presence follows at once. */
  changes = presence_changes (dev (f, "goggles-3"));
  g_assert_cmpstr (changes, ==, "join:goggles-1 leave:expert-1 "
      "leave:expert-2 leave:expert-3");
  g_free (changes);
  changes = presence_changes (dev (f, "expert-2"));
  g_assert_cmpstr (changes, ==, "leave:goggles-1 leave:goggles-3");

  /* The call in progress goes on; new calls follow the new policy. */
  sl_test_send_members (dev (f, "expert-1"), "relay", "call_id", call_id,
      "to", "goggles-1", "blob", blob, NULL);
  relayed = sl_test_expect_about (dev (f, "goggles-1"), "relay", call_id,
      "expert-1");
  expect_denied (f, other, "goggles-3", "expert-2", "expert-2");
  expect_allowed (f, "expert-2", "expert-3");

  /* A bad file is refused: the policy in force stays. */
  g_assert_true (g_file_set_contents (f->config_path,
          "[policy]\nrole.goggles = Experts!\n", -1, NULL));
  sl_test_server_send_signal (f->server, SIGHUP);
  g_assert_true (metric_reaches (f,
          "sightline_policy_reloads_total{result=\"failed\"}", 1));
  g_assert_true (g_file_set_contents (f->config_path, "[policy\n", -1, NULL));
  sl_test_server_send_signal (f->server, SIGHUP);
  g_assert_true (metric_reaches (f,
          "sightline_policy_reloads_total{result=\"failed\"}", 2));
  g_assert_true (sl_test_client_quiet_for (dev (f, "goggles-3"), 200));
  expect_denied (f, other, "goggles-3", "expert-2", "expert-2");
  expect_allowed (f, "expert-2", "expert-3");
  log = sl_test_server_read_log (f->server);
  g_assert_nonnull (strstr (log, "keeping the previous call policy"));
  g_assert_nonnull (strstr (log, "role.goggles"));
  g_assert_cmpint (metric (f, "sightline_policy_reloads_total"
          "{result=\"ok\"}"), ==, 1);
}

static void
test_bad_policy_at_start (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_config ("bad-policy.conf",
      "[policy]\ndefault = maybe\n");
  g_autofree char *arg = g_strconcat ("--config=", path, NULL);
  const char *args[] = { arg, NULL };
  g_autoptr (SlTestServer) server = sl_test_server_start (pki, args, &error);

  g_assert_null (server);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "[policy] default: must be "
          "allow or deny"));
}

int
main (int argc, char **argv)
{
  static const SlTestDevice devices[] = {
    {"goggles-1", "Goggles One", "goggles"},
    {"goggles-2", "Goggles Two", "goggles"},
    {"goggles-3", "Goggles Three", "goggles"},
    {"expert-1", "Expert One", "expert"},
    {"expert-2", "Expert Two", "expert"},
    {"expert-3", "Expert Three", "expert"},
    {"admin-1", "Admin One", "admin"},
    {"legacy-1", "Old Goggles", "goggles"},
  };
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
  g_assert_true (sl_test_pki_issue_devices (pki, devices,
          G_N_ELEMENTS (devices), &error));

#define ADD(path, func, args) \
  g_test_add (path, Fixture, args, setup, func, teardown)
  ADD ("/server/policy/calls", test_calls, policy_a);
  ADD ("/server/policy/presence", test_presence, policy_a);
  ADD ("/server/policy/presence-all", test_presence_all, policy_all);
  ADD ("/server/policy/group", test_group, policy_a);
  ADD ("/server/policy/reload", test_reload, policy_a);
#undef ADD
  g_test_add_func ("/server/policy/bad-file-at-start",
      test_bad_policy_at_start);

  ret = g_test_run ();
  g_clear_object (&pki);
  sl_test_settle ();
  return ret;
}
