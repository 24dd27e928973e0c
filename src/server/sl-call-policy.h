/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SL_CALL_POLICY_ERROR (sl_call_policy_error_quark ())
GQuark sl_call_policy_error_quark (void);

/**
 * SlCallPolicyError:
 * @SL_CALL_POLICY_ERROR_INVALID: a key or value of [policy] or
 *   [visibility] is wrong (the message names the key).
 */
typedef enum
{
  SL_CALL_POLICY_ERROR_INVALID,
} SlCallPolicyError;

/**
 * SlPolicyVerdict:
 * @SL_POLICY_ALLOW: the call is allowed
 * @SL_POLICY_DENY_DEVICE: the caller's own deny list forbids it
 * @SL_POLICY_DENY_ROLE: the rule for the caller's role forbids it
 * @SL_POLICY_DENY_DEFAULT: no rule covers it and the default is deny
 *
 * The outcome of a policy check, with the rule that decided a refusal.
 */
typedef enum
{
  SL_POLICY_ALLOW,
  SL_POLICY_DENY_DEVICE,
  SL_POLICY_DENY_ROLE,
  SL_POLICY_DENY_DEFAULT,
} SlPolicyVerdict;

#define SL_TYPE_CALL_POLICY (sl_call_policy_get_type ())
G_DECLARE_FINAL_TYPE (SlCallPolicy, sl_call_policy, SL, CALL_POLICY, GObject)

SlCallPolicy *  sl_call_policy_new               (void);
SlCallPolicy *  sl_call_policy_new_from_key_file (GKeyFile     *file,
                                                  GError      **error);

SlPolicyVerdict sl_call_policy_check             (SlCallPolicy *self,
                                                  const char   *caller_id,
                                                  const char   *caller_role,
                                                  const char   *callee_id,
                                                  const char   *callee_role);
SlPolicyVerdict sl_call_policy_check_pair        (SlCallPolicy *self,
                                                  const char   *a_id,
                                                  const char   *a_role,
                                                  const char   *b_id,
                                                  const char   *b_role);
const char *    sl_policy_verdict_reason         (SlPolicyVerdict verdict);

gboolean        sl_call_policy_has_device_rules  (SlCallPolicy *self,
                                                  const char   *device_id);
gboolean        sl_call_policy_presence_by_role  (SlCallPolicy *self,
                                                  const char   *viewer_id);
gboolean        sl_call_policy_role_sees         (SlCallPolicy *self,
                                                  const char   *viewer_role,
                                                  const char   *subject_role);
gboolean        sl_call_policy_sees              (SlCallPolicy *self,
                                                  const char   *viewer_id,
                                                  const char   *viewer_role,
                                                  const char   *subject_id,
                                                  const char   *subject_role);

gboolean        sl_call_policy_has_visibility    (SlCallPolicy *self);
char *          sl_call_policy_describe          (SlCallPolicy *self);
void            sl_call_policy_log               (SlCallPolicy *self,
                                                  const char   *event,
                                                  const char   *what);

G_END_DECLS
