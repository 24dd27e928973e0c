/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The operator's call policy: who may call whom, and so who sees whom in
 * presence (docs/DEPLOYMENT.md, "Call policy").  "May A call B" is
 * decided by the first of these that applies:
 *
 *   1. A's deny list names B               -> refused ("device")
 *   2. A's allow list names B              -> allowed
 *   3. A's deny list is or contains "*"    -> refused ("device")
 *   4. A's allow list is or contains "*"   -> allowed
 *   5. a rule for A's role exists          -> allowed iff it names B's
 *                                             role or "*" (else "role")
 *   6. the default (allow unless set)      -> ("default" when refused)
 *
 * Exact entries come before wildcards, and deny before allow at each
 * level, so "deny.X=*" with "allow.X=Y" means "X may call only Y".
 *
 * A policy is immutable: a reload builds a new one and swaps it in whole,
 * so a decision never sees half of an old file and half of a new one.
 * The old [visibility] group (a role sees only the roles listed for it)
 * is kept as a further filter on presence only.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-call-policy.h"
#include "sl-protocol.h"
#include "sl-signalling.h"

#include <string.h>

#define GROUP "policy"
#define VISIBILITY_GROUP "visibility"

/* One list of names (roles or device ids), or everyone. */
typedef struct
{
  gboolean any;
  GHashTable *names;            /* set of owned strings */
} NameList;

struct _SlCallPolicy
{
  GObject parent_instance;

  gboolean default_allow;
  gboolean presence_all;
  GHashTable *roles;            /* role -> NameList of roles */
  GHashTable *allow;            /* device id -> NameList of device ids */
  GHashTable *deny;             /* device id -> NameList of device ids */
  GHashTable *visibility;       /* role -> NameList of roles (presence) */
};

G_DEFINE_QUARK (sl - call - policy - error - quark, sl_call_policy_error);
G_DEFINE_FINAL_TYPE (SlCallPolicy, sl_call_policy, G_TYPE_OBJECT);

static void
name_list_free (gpointer data)
{
  NameList *list = data;

  g_hash_table_unref (list->names);
  g_free (list);
}

static gboolean
name_list_has (const NameList * list, const char *name)
{
  return list != NULL && g_hash_table_contains (list->names, name);
}

static GHashTable *
rule_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      name_list_free);
}

/**
 * sl_call_policy_new:
 *
 * Returns: (transfer full): the policy of a server configured without
 *   one: every device may call every device and sees every device
 */
SlCallPolicy *
sl_call_policy_new (void)
{
  return g_object_new (SL_TYPE_CALL_POLICY, NULL);
}

static gboolean
invalid (GError ** error, const char *group, const char *key, const char *why)
{
  g_set_error (error, SL_CALL_POLICY_ERROR, SL_CALL_POLICY_ERROR_INVALID,
      "[%s] %s: %s", group, key, why);
  return FALSE;
}

/* Splits a list value on ',' or ';' (GKeyFile's separator), trimming
 * spaces; every entry must pass @member's syntax, or be "*". */
static NameList *
parse_list (GKeyFile * file, const char *group, const char *key,
    const SlMemberSpec * member, GError ** error)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);
  g_auto (GStrv) parts = NULL;
  NameList *list;
  guint i;

  if (value == NULL) {
    invalid (error, group, key,
        "cannot be read: not UTF-8 text, or a bad escape");
    return NULL;
  }
  list = g_new0 (NameList, 1);
  list->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  parts = g_strsplit_set (value, ",;", -1);
  for (i = 0; parts[i]; i++) {
    const char *entry = g_strstrip (parts[i]);
    const char *why;

    if (entry[0] == '\0')
      continue;
    if (g_str_equal (entry, "*")) {
      list->any = TRUE;
      continue;
    }
    why = sl_protocol_check_string (member, entry, strlen (entry));
    if (why) {
      g_autofree char *text = g_strdup_printf ("'%s' %s", entry, why);

      name_list_free (list);
      invalid (error, group, key, text);
      return NULL;
    }
    g_hash_table_add (list->names, g_strdup (entry));
  }
  return list;
}

/* Reads "prefix.NAME = list" into @table, checking NAME with @name_spec
 * and the entries with @entry_spec. */
static gboolean
parse_rule (GKeyFile * file, const char *key, const char *name,
    const SlMemberSpec * name_spec, const SlMemberSpec * entry_spec,
    GHashTable * table, GError ** error)
{
  const char *why = sl_protocol_check_string (name_spec, name, strlen (name));
  NameList *list;

  if (why) {
    g_autofree char *text = g_strdup_printf ("'%s' %s", name, why);
    return invalid (error, GROUP, key, text);
  }
  list = parse_list (file, GROUP, key, entry_spec, error);
  if (list == NULL)
    return FALSE;
  g_hash_table_replace (table, g_strdup (name), list);
  return TRUE;
}

static gboolean
parse_choice (GKeyFile * file, const char *key, const char *yes,
    const char *no, gboolean * out, GError ** error)
{
  g_autofree char *value = g_key_file_get_string (file, GROUP, key, NULL);

  if (value)
    g_strstrip (value);
  if (g_strcmp0 (value, yes) == 0)
    *out = TRUE;
  else if (g_strcmp0 (value, no) == 0)
    *out = FALSE;
  else {
    g_autofree char *why = g_strdup_printf ("must be %s or %s", yes, no);
    return invalid (error, GROUP, key, why);
  }
  return TRUE;
}

static gboolean
parse_policy (SlCallPolicy * self, GKeyFile * file, GError ** error)
{
  g_auto (GStrv) keys = g_key_file_get_keys (file, GROUP, NULL, NULL);
  guint i;

  for (i = 0; keys && keys[i]; i++) {
    const char *key = keys[i];
    gboolean ok;

    if (g_str_equal (key, "default"))
      ok = parse_choice (file, key, "allow", "deny", &self->default_allow,
          error);
    else if (g_str_equal (key, "presence"))
      ok = parse_choice (file, key, "all", "callable", &self->presence_all,
          error);
    else if (g_str_has_prefix (key, "role."))
      ok = parse_rule (file, key, key + 5, &sl_signalling_role_member,
          &sl_signalling_role_member, self->roles, error);
    else if (g_str_has_prefix (key, "allow."))
      ok = parse_rule (file, key, key + 6, &sl_signalling_device_id_member,
          &sl_signalling_device_id_member, self->allow, error);
    else if (g_str_has_prefix (key, "deny."))
      ok = parse_rule (file, key, key + 5, &sl_signalling_device_id_member,
          &sl_signalling_device_id_member, self->deny, error);
    else
      ok = invalid (error, GROUP, key, "unknown key (expected default, "
          "presence, role.ROLE, allow.DEVICE or deny.DEVICE)");
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

static gboolean
parse_visibility (SlCallPolicy * self, GKeyFile * file, GError ** error)
{
  g_auto (GStrv) roles = g_key_file_get_keys (file, VISIBILITY_GROUP, NULL,
      NULL);
  guint i;

  for (i = 0; roles && roles[i]; i++) {
    const char *why = sl_protocol_check_string (&sl_signalling_role_member,
        roles[i], strlen (roles[i]));
    NameList *list;

    if (why) {
      g_autofree char *text = g_strdup_printf ("'%s' %s", roles[i], why);
      return invalid (error, VISIBILITY_GROUP, roles[i], text);
    }
    list = parse_list (file, VISIBILITY_GROUP, roles[i],
        &sl_signalling_role_member, error);
    if (list == NULL)
      return FALSE;
    g_hash_table_replace (self->visibility, g_strdup (roles[i]), list);
  }
  return TRUE;
}

/**
 * sl_call_policy_new_from_key_file:
 * @file: a configuration with groups [policy] and [visibility], either of
 *   which may be missing
 * @error: return location for an %SL_CALL_POLICY_ERROR
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL if a key is
 *   unknown or a value wrong
 */
SlCallPolicy *
sl_call_policy_new_from_key_file (GKeyFile * file, GError ** error)
{
  g_autoptr (SlCallPolicy) self = sl_call_policy_new ();

  if (!parse_policy (self, file, error) ||
      !parse_visibility (self, file, error))
    return NULL;
  return g_steal_pointer (&self);
}

static SlPolicyVerdict
role_verdict (SlCallPolicy * self, const char *caller_role,
    const char *callee_role)
{
  const NameList *rule = g_hash_table_lookup (self->roles, caller_role);

  if (rule)
    return (rule->any || name_list_has (rule, callee_role)) ?
        SL_POLICY_ALLOW : SL_POLICY_DENY_ROLE;
  return self->default_allow ? SL_POLICY_ALLOW : SL_POLICY_DENY_DEFAULT;
}

/**
 * sl_call_policy_check:
 * @self: a policy
 * @caller_id: the device that calls (or invites)
 * @caller_role: its role
 * @callee_id: the device called
 * @callee_role: its role
 *
 * Returns: whether @caller_id may call @callee_id, and if not, which kind
 *   of rule refused it
 */
SlPolicyVerdict
sl_call_policy_check (SlCallPolicy * self, const char *caller_id,
    const char *caller_role, const char *callee_id, const char *callee_role)
{
  const NameList *deny, *allow;

  g_return_val_if_fail (SL_IS_CALL_POLICY (self), SL_POLICY_DENY_DEFAULT);
  deny = g_hash_table_lookup (self->deny, caller_id);
  allow = g_hash_table_lookup (self->allow, caller_id);
  if (name_list_has (deny, callee_id))
    return SL_POLICY_DENY_DEVICE;
  if (name_list_has (allow, callee_id))
    return SL_POLICY_ALLOW;
  if (deny && deny->any)
    return SL_POLICY_DENY_DEVICE;
  if (allow && allow->any)
    return SL_POLICY_ALLOW;
  return role_verdict (self, caller_role, callee_role);
}

/**
 * sl_call_policy_check_pair:
 * @self: a policy
 * @a_id: a device
 * @a_role: its role
 * @b_id: another device
 * @b_role: its role
 *
 * For two members of a group call neither of which called the other:
 * they may be in one call if either may call the other.
 *
 * Returns: %SL_POLICY_ALLOW, or the verdict of @a_id calling @b_id
 */
SlPolicyVerdict
sl_call_policy_check_pair (SlCallPolicy * self, const char *a_id,
    const char *a_role, const char *b_id, const char *b_role)
{
  SlPolicyVerdict verdict = sl_call_policy_check (self, a_id, a_role, b_id,
      b_role);

  if (verdict == SL_POLICY_ALLOW ||
      sl_call_policy_check (self, b_id, b_role, a_id, a_role) ==
      SL_POLICY_ALLOW)
    return SL_POLICY_ALLOW;
  return verdict;
}

/**
 * sl_policy_verdict_reason:
 * @verdict: a refusal
 *
 * Returns: the metric label for it: "device", "role" or "default"
 */
const char *
sl_policy_verdict_reason (SlPolicyVerdict verdict)
{
  switch (verdict) {
    case SL_POLICY_DENY_DEVICE:
      return "device";
    case SL_POLICY_DENY_ROLE:
      return "role";
    case SL_POLICY_DENY_DEFAULT:
      return "default";
    case SL_POLICY_ALLOW:
    default:
      return "allowed";
  }
}

/**
 * sl_call_policy_has_device_rules:
 * @self: a policy
 * @device_id: a device
 *
 * Returns: whether an allow or deny list is given for @device_id, so that
 *   what it may call depends on more than its role
 */
gboolean
sl_call_policy_has_device_rules (SlCallPolicy * self, const char *device_id)
{
  g_return_val_if_fail (SL_IS_CALL_POLICY (self), FALSE);
  return g_hash_table_contains (self->allow, device_id) ||
      g_hash_table_contains (self->deny, device_id);
}

/**
 * sl_call_policy_presence_by_role:
 * @self: a policy
 * @viewer_id: a device
 *
 * Returns: whether what @viewer_id sees in presence depends on its role
 *   only (then sl_call_policy_role_sees() decides it)
 */
gboolean
sl_call_policy_presence_by_role (SlCallPolicy * self, const char *viewer_id)
{
  g_return_val_if_fail (SL_IS_CALL_POLICY (self), FALSE);
  return self->presence_all ||
      !sl_call_policy_has_device_rules (self, viewer_id);
}

static gboolean
visible_by_role (SlCallPolicy * self, const char *viewer_role,
    const char *subject_role)
{
  const NameList *seen = g_hash_table_lookup (self->visibility, viewer_role);

  return seen == NULL || seen->any || name_list_has (seen, subject_role);
}

/**
 * sl_call_policy_role_sees:
 * @self: a policy
 * @viewer_role: the role of a device whose presence depends on its role
 *   only (sl_call_policy_presence_by_role())
 * @subject_role: the role of a device it might see
 *
 * The presence module decides once per role for such devices.
 *
 * Returns: whether such a device sees devices of @subject_role in presence
 */
gboolean
sl_call_policy_role_sees (SlCallPolicy * self, const char *viewer_role,
    const char *subject_role)
{
  g_return_val_if_fail (SL_IS_CALL_POLICY (self), FALSE);
  return visible_by_role (self, viewer_role, subject_role) &&
      (self->presence_all ||
      role_verdict (self, viewer_role, subject_role) == SL_POLICY_ALLOW);
}

/**
 * sl_call_policy_sees:
 * @self: a policy
 * @viewer_id: the device receiving presence
 * @viewer_role: its role
 * @subject_id: a device it might see
 * @subject_role: that device's role
 *
 * With presence=callable (the default) a device sees the devices it may
 * call; with presence=all it sees every device.  [visibility] filters
 * further by role.
 *
 * Returns: whether @viewer_id sees @subject_id
 */
gboolean
sl_call_policy_sees (SlCallPolicy * self, const char *viewer_id,
    const char *viewer_role, const char *subject_id, const char *subject_role)
{
  g_return_val_if_fail (SL_IS_CALL_POLICY (self), FALSE);
  return visible_by_role (self, viewer_role, subject_role) &&
      (self->presence_all ||
      sl_call_policy_check (self, viewer_id, viewer_role, subject_id,
          subject_role) == SL_POLICY_ALLOW);
}

/**
 * sl_call_policy_has_visibility:
 * @self: a policy
 *
 * Returns: whether the configuration has a [visibility] group, which
 *   filters presence but restricts no call
 */
gboolean
sl_call_policy_has_visibility (SlCallPolicy * self)
{
  g_return_val_if_fail (SL_IS_CALL_POLICY (self), FALSE);
  return g_hash_table_size (self->visibility) > 0;
}

/**
 * sl_call_policy_describe:
 * @self: a policy
 *
 * Returns: (transfer full): a one-line summary for the log
 */
char *
sl_call_policy_describe (SlCallPolicy * self)
{
  g_return_val_if_fail (SL_IS_CALL_POLICY (self), NULL);
  return g_strdup_printf ("default %s, presence %s, %u role rules, %u "
      "devices with allow lists, %u with deny lists, [visibility] for %u "
      "roles", self->default_allow ? "allow" : "deny",
      self->presence_all ? "all" : "callable",
      g_hash_table_size (self->roles), g_hash_table_size (self->allow),
      g_hash_table_size (self->deny), g_hash_table_size (self->visibility));
}

/**
 * sl_call_policy_log:
 * @self: a policy
 * @event: the log event ("policy", "policy-reloaded")
 * @what: what the summary is of, for the message
 *
 * Logs the policy's summary, and that [visibility] restricts no call.
 */
void
sl_call_policy_log (SlCallPolicy * self, const char *event, const char *what)
{
  g_autofree char *summary = sl_call_policy_describe (self);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EVENT", event,
      "MESSAGE", "%s: %s", what, summary);
  if (sl_call_policy_has_visibility (self))
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "EVENT",
        "visibility", "MESSAGE", "[visibility] only hides devices from "
        "presence; who may call whom is set in [policy]");
}

static void
sl_call_policy_finalize (GObject * object)
{
  SlCallPolicy *self = SL_CALL_POLICY (object);

  g_clear_pointer (&self->roles, g_hash_table_unref);
  g_clear_pointer (&self->allow, g_hash_table_unref);
  g_clear_pointer (&self->deny, g_hash_table_unref);
  g_clear_pointer (&self->visibility, g_hash_table_unref);
  G_OBJECT_CLASS (sl_call_policy_parent_class)->finalize (object);
}

static void
sl_call_policy_class_init (SlCallPolicyClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_call_policy_finalize;
}

static void
sl_call_policy_init (SlCallPolicy * self)
{
  self->default_allow = TRUE;
  self->roles = rule_table_new ();
  self->allow = rule_table_new ();
  self->deny = rule_table_new ();
  self->visibility = rule_table_new ();
}
