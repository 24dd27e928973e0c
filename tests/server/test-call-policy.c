/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Unit tests of SlCallPolicy: the precedence of its rules, pairs in a
 * group, what presence shows, and every kind of bad file refused with
 * the key named. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "sl-call-policy.h"

static SlCallPolicy *
policy_from (const char *text, GError ** error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  if (!g_key_file_load_from_data (file, text, -1, G_KEY_FILE_NONE, error))
    return NULL;
  return sl_call_policy_new_from_key_file (file, error);
}

static SlCallPolicy *
policy (const char *text)
{
  g_autoptr (GError) error = NULL;
  SlCallPolicy *p = policy_from (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

/* Device ids carry their role before the dash: "goggles-1" is goggles. */
static SlPolicyVerdict
check (SlCallPolicy * p, const char *caller, const char *callee)
{
  g_autofree char *caller_role = g_strndup (caller, strcspn (caller, "-"));
  g_autofree char *callee_role = g_strndup (callee, strcspn (callee, "-"));

  return sl_call_policy_check (p, caller, caller_role, callee, callee_role);
}

static void
test_no_policy (void)
{
  g_autoptr (SlCallPolicy) p = sl_call_policy_new ();

  g_assert_cmpint (check (p, "goggles-1", "goggles-2"), ==, SL_POLICY_ALLOW);
  g_assert_true (sl_call_policy_role_sees (p, "goggles", "goggles"));
  g_assert_true (sl_call_policy_presence_by_role (p, "goggles-1"));
  g_assert_false (sl_call_policy_has_visibility (p));
}

static void
test_precedence (void)
{
  g_autoptr (SlCallPolicy) p = policy ("[policy]\n"
      "default = deny\n"
      "role.goggles = expert\n"
      "role.expert = *\n"
      "allow.goggles-1 = goggles-2\n"
      "deny.goggles-1 = expert-2\n"
      "allow.goggles-3 = goggles-4, *\n"
      "deny.goggles-3 = goggles-4\n"
      "deny.goggles-5 = *\n" "allow.goggles-5 = goggles-6\n");

  /* 5, 6: role rule, then the default. */
  g_assert_cmpint (check (p, "goggles-9", "expert-1"), ==, SL_POLICY_ALLOW);
  g_assert_cmpint (check (p, "goggles-9", "goggles-8"), ==,
      SL_POLICY_DENY_ROLE);
  g_assert_cmpint (check (p, "expert-1", "admin-1"), ==, SL_POLICY_ALLOW);
  g_assert_cmpint (check (p, "admin-1", "expert-1"), ==,
      SL_POLICY_DENY_DEFAULT);
  /* 1, 2: the device's own lists beat its role. */
  g_assert_cmpint (check (p, "goggles-1", "goggles-2"), ==, SL_POLICY_ALLOW);
  g_assert_cmpint (check (p, "goggles-1", "expert-2"), ==,
      SL_POLICY_DENY_DEVICE);
  g_assert_cmpint (check (p, "goggles-1", "expert-1"), ==, SL_POLICY_ALLOW);
  /* Deny before allow for the same name; exact names before "*". */
  g_assert_cmpint (check (p, "goggles-3", "goggles-4"), ==,
      SL_POLICY_DENY_DEVICE);
  g_assert_cmpint (check (p, "goggles-3", "goggles-7"), ==, SL_POLICY_ALLOW);
  g_assert_cmpint (check (p, "goggles-5", "goggles-6"), ==, SL_POLICY_ALLOW);
  g_assert_cmpint (check (p, "goggles-5", "expert-1"), ==,
      SL_POLICY_DENY_DEVICE);
  /* Rules are the caller's: goggles-2 has none of its own. */
  g_assert_cmpint (check (p, "goggles-2", "goggles-1"), ==,
      SL_POLICY_DENY_ROLE);
  g_assert_cmpstr (sl_policy_verdict_reason (SL_POLICY_DENY_DEVICE), ==,
      "device");
  g_assert_cmpstr (sl_policy_verdict_reason (SL_POLICY_DENY_ROLE), ==, "role");
  g_assert_cmpstr (sl_policy_verdict_reason (SL_POLICY_DENY_DEFAULT), ==,
      "default");
}

static void
test_pairs (void)
{
  g_autoptr (SlCallPolicy) p = policy ("[policy]\n"
      "role.goggles = expert\n"
      "role.expert = goggles; expert\n" "allow.goggles-2 = goggles-1\n");

  /* Either direction will do for two members of a group. */
  g_assert_cmpint (sl_call_policy_check_pair (p, "goggles-1", "goggles",
          "goggles-2", "goggles"), ==, SL_POLICY_ALLOW);
  g_assert_cmpint (sl_call_policy_check_pair (p, "goggles-2", "goggles",
          "goggles-1", "goggles"), ==, SL_POLICY_ALLOW);
  g_assert_cmpint (sl_call_policy_check_pair (p, "goggles-1", "goggles",
          "goggles-3", "goggles"), ==, SL_POLICY_DENY_ROLE);
  g_assert_cmpint (sl_call_policy_check_pair (p, "expert-1", "expert",
          "goggles-3", "goggles"), ==, SL_POLICY_ALLOW);
}

static void
test_presence (void)
{
  g_autoptr (SlCallPolicy) callable = policy ("[policy]\n"
      "default = deny\n"
      "role.goggles = expert\n" "allow.goggles-2 = goggles-1\n"
      "[visibility]\n" "expert = goggles\n");
  g_autoptr (SlCallPolicy) all = policy ("[policy]\n"
      "presence = all\n" "role.goggles = expert\n"
      "allow.goggles-2 = goggles-1\n");

  /* Devices see whom they may call, and [visibility] filters further. */
  g_assert_true (sl_call_policy_role_sees (callable, "goggles", "expert"));
  g_assert_false (sl_call_policy_role_sees (callable, "goggles", "goggles"));
  g_assert_false (sl_call_policy_role_sees (callable, "expert", "expert"));
  g_assert_false (sl_call_policy_role_sees (callable, "expert", "goggles"));
  g_assert_true (sl_call_policy_has_visibility (callable));
  g_assert_false (sl_call_policy_presence_by_role (callable, "goggles-2"));
  g_assert_true (sl_call_policy_presence_by_role (callable, "goggles-1"));
  g_assert_true (sl_call_policy_sees (callable, "goggles-2", "goggles",
          "goggles-1", "goggles"));
  g_assert_false (sl_call_policy_sees (callable, "goggles-1", "goggles",
          "goggles-2", "goggles"));

  /* presence=all: everyone, whatever the lists. */
  g_assert_true (sl_call_policy_role_sees (all, "goggles", "goggles"));
  g_assert_true (sl_call_policy_presence_by_role (all, "goggles-2"));
  g_assert_cmpint (check (all, "goggles-1", "goggles-3"), ==,
      SL_POLICY_DENY_ROLE);
}

static void
test_bad_files (void)
{
  static const struct
  {
    const char *text;
    const char *fragment;
  } cases[] = {
    {"[policy]\ndefault = maybe\n", "[policy] default: must be allow or deny"},
    {"[policy]\npresence = some\n", "[policy] presence: must be all or "
          "callable"},
    {"[policy]\ngoggles = expert\n", "[policy] goggles: unknown key"},
    {"[policy]\nrole.Goggles = expert\n", "[policy] role.Goggles: 'Goggles'"},
    {"[policy]\nrole.goggles = expert, Boss\n", "[policy] role.goggles: "
          "'Boss'"},
    {"[policy]\nrole. = expert\n", "[policy] role.: ''"},
    {"[policy]\nallow.-x = goggles-1\n", "[policy] allow.-x: '-x'"},
    {"[policy]\ndeny.goggles-1 = goggles 2\n", "[policy] deny.goggles-1: "
          "'goggles 2'"},
    {"[policy]\ndeny.goggles-1 = a\xff\n", "[policy] deny.goggles-1: cannot "
          "be read"},
    {"[visibility]\ngoggles = Expert\n", "[visibility] goggles: 'Expert'"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (SlCallPolicy) p = policy_from (cases[i].text, &error);

    g_assert_null (p);
    g_assert_error (error, SL_CALL_POLICY_ERROR, SL_CALL_POLICY_ERROR_INVALID);
    if (!strstr (error->message, cases[i].fragment))
      g_error ("'%s': error '%s' does not say '%s'", cases[i].text,
          error->message, cases[i].fragment);
  }
}

static void
test_lists (void)
{
  g_autoptr (SlCallPolicy) p = policy ("[policy]\n"
      "role.goggles = expert;lead , ,\n" "role.bench =\n");
  g_autofree char *summary = sl_call_policy_describe (p);

  g_assert_cmpint (check (p, "goggles-1", "lead-1"), ==, SL_POLICY_ALLOW);
  g_assert_cmpint (check (p, "goggles-1", "expert-1"), ==, SL_POLICY_ALLOW);
  /* An empty list: the role may call nobody. */
  g_assert_cmpint (check (p, "bench-1", "bench-2"), ==, SL_POLICY_DENY_ROLE);
  g_assert_cmpstr (summary, ==, "default allow, presence callable, 2 role "
      "rules, 0 devices with allow lists, 0 with deny lists, [visibility] "
      "for 0 roles");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call-policy/none", test_no_policy);
  g_test_add_func ("/call-policy/precedence", test_precedence);
  g_test_add_func ("/call-policy/pairs", test_pairs);
  g_test_add_func ("/call-policy/presence", test_presence);
  g_test_add_func ("/call-policy/bad-files", test_bad_files);
  g_test_add_func ("/call-policy/lists", test_lists);
  return g_test_run ();
}
