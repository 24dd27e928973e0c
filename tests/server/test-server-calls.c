/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Integration tests: every call flow (accept/hang-up, reject, busy,
 * cancel, ring timeout, disconnect mid-call), relay refused outside the
 * call or its state, and a server log free of relayed content. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "sl-signalling.h"
#include "sl-test-call.h"

static SlTestPki *pki;

typedef struct
{
  SlTestServer *server;
  SlTestClient *caller;         /* goggles-1 */
  SlTestClient *callee;         /* expert-1 */
  SlTestClient *other;          /* expert-2 */
} Fixture;

static SlTestClient *
join (Fixture * f, const char *id)
{
  return sl_test_join (f->server, pki, id, 1, NULL);
}

static void
setup (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->server = sl_test_server_start (pki, data, &error);
  g_assert_no_error (error);
  f->caller = join (f, "goggles-1");
  f->callee = join (f, "expert-1");
  f->other = join (f, "expert-2");
  sl_test_drain (f->caller);
  sl_test_drain (f->callee);
  sl_test_drain (f->other);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  g_clear_object (&f->caller);
  g_clear_object (&f->callee);
  g_clear_object (&f->other);
  /* A clean exit: no leak or memory error in the server either. */
  if (f->server)
    g_assert_true (sl_test_server_check_exit (f->server));
  g_clear_object (&f->server);
}

/* Rings the callee and returns the call id; the callee has seen
 * `incoming` with the caller's identity and handshake message. */
static char *
ring (Fixture * f, const char *hs)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autoptr (SlMessage) incoming = NULL;
  const SlMessage *from;

  sl_test_send_invite (f->caller, call_id, "expert-1", hs);
  incoming = sl_test_expect_call (f->callee, "incoming", call_id);
  from = sl_message_get_object (incoming, "from");
  g_assert_cmpstr (sl_message_get_string (from, "id"), ==, "goggles-1");
  g_assert_cmpstr (sl_message_get_string (from, "role"), ==, "goggles");
  g_assert_cmpstr (sl_message_get_string (incoming, "hs"), ==, hs);
  sl_test_send_call (f->callee, "ringing", call_id, NULL, NULL);
  sl_message_unref (sl_test_expect_call (f->caller, "ringing", call_id));
  return g_steal_pointer (&call_id);
}

static char *
answer (Fixture * f, const char *hs)
{
  g_autofree char *commit = sl_test_new_blob (65);
  char *call_id = ring (f, commit);
  g_autoptr (SlMessage) accepted = NULL;

  sl_test_send_call (f->callee, "accept", call_id, "hs", hs);
  accepted = sl_test_expect_call (f->caller, "accepted", call_id);
  g_assert_cmpstr (sl_message_get_string (accepted, "hs"), ==, hs);
  return call_id;
}

static void
test_accept_relay_hangup (Fixture * f, gconstpointer data)
{
  g_autofree char *reply = sl_test_new_blob (97);
  g_autofree char *call_id = answer (f, reply);
  g_autofree char *sdp = sl_test_new_blob (2048);
  g_autofree char *candidate = sl_test_new_blob (300);
  g_autoptr (SlMessage) relayed = NULL;
  g_autoptr (SlMessage) hangup = NULL;

  /* Both became busy while ringing; the observer saw it. */
  sl_test_expect_status (f->other, "goggles-1", "busy");
  sl_test_expect_status (f->other, "expert-1", "busy");

  sl_test_send_call (f->caller, "relay", call_id, "blob", sdp);
  relayed = sl_test_expect_call (f->callee, "relay", call_id);
  g_assert_cmpstr (sl_message_get_string (relayed, "blob"), ==, sdp);
  g_clear_pointer (&relayed, sl_message_unref);
  sl_test_send_call (f->callee, "relay", call_id, "blob", candidate);
  relayed = sl_test_expect_call (f->caller, "relay", call_id);
  g_assert_cmpstr (sl_message_get_string (relayed, "blob"), ==, candidate);
  g_assert_true (sl_test_client_quiet_for (f->other, 100));

  sl_test_send_call (f->callee, "hangup", call_id, "reason", "normal");
  hangup = sl_test_expect_call (f->caller, "hangup", call_id);
  g_assert_cmpstr (sl_message_get_string (hangup, "reason"), ==, "normal");
  sl_test_expect_status (f->other, "goggles-1", "available");
  sl_test_expect_status (f->other, "expert-1", "available");
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_calls_total{outcome=\"hangup\"}"), ==, 1);
  /* invite.hs, accept.hs and the two records. */
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_relayed_messages_total"), ==, 4);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_calls_active"), ==, 0);

  /* The call is over: its id relays nothing any more. */
  sl_test_send_call (f->caller, "relay", call_id, "blob", candidate);
  sl_test_expect_error (f->caller, "not-in-call", call_id, "relay");
}

static void
test_reject (Fixture * f, gconstpointer data)
{
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *call_id = ring (f, hs);
  g_autofree char *second = NULL;
  g_autoptr (SlMessage) rejected = NULL;

  sl_test_send_call (f->callee, "reject", call_id, "reason", "declined");
  rejected = sl_test_expect_call (f->caller, "rejected", call_id);
  g_assert_cmpstr (sl_message_get_string (rejected, "reason"), ==, "declined");
  g_clear_pointer (&rejected, sl_message_unref);

  second = ring (f, hs);
  sl_test_send_call (f->callee, "reject", second, "reason", "busy");
  rejected = sl_test_expect_call (f->caller, "rejected", second);
  g_assert_cmpstr (sl_message_get_string (rejected, "reason"), ==, "busy");
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_calls_total{outcome=\"rejected\"}"), ==, 1);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_calls_total{outcome=\"busy\"}"), ==, 1);
}

static void
test_busy (Fixture * f, gconstpointer data)
{
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *call_id = ring (f, hs);
  g_autofree char *third = sl_test_new_call_id ();

  /* expert-2 calls expert-1, who is ringing: busy at once. */
  sl_test_drain (f->callee);
  sl_test_send_invite (f->other, third, "expert-1", hs);
  sl_message_unref (sl_test_expect_call (f->other, "busy", third));
  g_assert_true (sl_test_client_quiet_for (f->callee, 200));

  /* A device that declared itself busy is busy too. */
  sl_test_drain (f->caller);
  sl_test_send_call (f->caller, "cancel", call_id, NULL, NULL);
  sl_message_unref (sl_test_expect_call (f->callee, "cancelled", call_id));
  sl_test_client_send_text (f->callee, "{\"type\":\"status\","
      "\"status\":\"busy\"}");
  g_free (third);
  third = sl_test_new_call_id ();
  sl_test_send_invite (f->other, third, "expert-1", hs);
  sl_message_unref (sl_test_client_wait_for (f->other, "busy",
          SL_TEST_TIMEOUT_MS));
}

static void
test_cancel (Fixture * f, gconstpointer data)
{
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *call_id = ring (f, hs);

  /* Only the caller cancels; only the callee accepts. */
  sl_test_send_call (f->callee, "cancel", call_id, NULL, NULL);
  sl_test_expect_error (f->callee, "bad-state", call_id, "cancel");
  sl_test_send_call (f->caller, "accept", call_id, "hs", hs);
  sl_test_expect_error (f->caller, "bad-state", call_id, "accept");

  sl_test_send_call (f->caller, "cancel", call_id, NULL, NULL);
  sl_message_unref (sl_test_expect_call (f->callee, "cancelled", call_id));
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_calls_total{outcome=\"cancelled\"}"), ==, 1);
  sl_test_send_call (f->callee, "accept", call_id, "hs", hs);
  sl_test_expect_error (f->callee, "not-in-call", call_id, "accept");
}

static void
test_ring_timeout (Fixture * f, gconstpointer data)
{
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *call_id = ring (f, hs);
  gint64 start = g_get_monotonic_time ();

  sl_message_unref (sl_test_expect_call (f->caller, "timeout", call_id));
  sl_message_unref (sl_test_expect_call (f->callee, "timeout", call_id));
  /* The configured 700 ms, not the 30 s default. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_calls_total{outcome=\"timeout\"}"), ==, 1);
}

static void
test_disconnect_mid_call (Fixture * f, gconstpointer data)
{
  g_autofree char *reply = sl_test_new_blob (97);
  g_autofree char *call_id = answer (f, reply);
  g_autofree char *second = NULL;
  g_autofree char *hs = sl_test_new_blob (65);

  sl_test_client_close (f->callee);
  sl_message_unref (sl_test_expect_call (f->caller, "peer-gone", call_id));

  /* While ringing too: the caller goes away, the callee is told. */
  g_clear_object (&f->callee);
  f->callee = join (f, "expert-1");
  sl_test_drain (f->caller);
  second = ring (f, hs);
  sl_test_client_close (f->caller);
  sl_message_unref (sl_test_expect_call (f->callee, "peer-gone", second));
  g_assert_cmpint (sl_test_server_metric (f->server,
          "sightline_calls_total{outcome=\"peer-gone\"}"), ==, 2);
}

static void
test_relay_refused (Fixture * f, gconstpointer data)
{
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *blob = sl_test_new_blob (300);
  g_autofree char *call_id = ring (f, hs);
  g_autofree char *unknown = sl_test_new_call_id ();

  /* Not yet active. */
  sl_test_drain (f->callee);
  sl_test_send_call (f->caller, "relay", call_id, "blob", blob);
  sl_test_expect_error (f->caller, "bad-state", call_id, "relay");
  sl_test_send_call (f->caller, "hangup", call_id, "reason", "normal");
  sl_test_expect_error (f->caller, "bad-state", call_id, "hangup");
  g_assert_true (sl_test_client_quiet_for (f->callee, 100));

  sl_test_send_call (f->callee, "accept", call_id, "hs", hs);
  sl_message_unref (sl_test_expect_call (f->caller, "accepted", call_id));
  sl_test_drain (f->caller);
  sl_test_drain (f->other);
  /* Not a party: the same answer as for a call that does not exist. */
  sl_test_send_call (f->other, "relay", call_id, "blob", blob);
  sl_test_expect_error (f->other, "not-in-call", call_id, "relay");
  sl_test_send_call (f->other, "hangup", call_id, "reason", "normal");
  sl_test_expect_error (f->other, "not-in-call", call_id, "hangup");
  sl_test_send_call (f->other, "relay", unknown, "blob", blob);
  sl_test_expect_error (f->other, "not-in-call", unknown, "relay");
  g_assert_true (sl_test_client_quiet_for (f->caller, 100));
  g_assert_true (sl_test_client_quiet_for (f->callee, 1));
}

static void
test_invite_errors (Fixture * f, gconstpointer data)
{
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *call_id = ring (f, hs);
  g_autofree char *other_id = sl_test_new_call_id ();

  /* A call id in use, by anyone. */
  sl_test_send_invite (f->other, call_id, "goggles-1", hs);
  sl_test_expect_error (f->other, "call-id-in-use", call_id, "invite");
  /* Already in a call. */
  sl_test_send_invite (f->caller, other_id, "expert-2", hs);
  sl_test_expect_error (f->caller, "bad-state", other_id, "invite");
  sl_test_send_invite (f->other, other_id, "expert-2", hs);
  sl_test_expect_error (f->other, "self-call", other_id, "invite");
  sl_test_send_invite (f->other, other_id, "nobody-here", hs);
  sl_test_expect_error (f->other, "offline", other_id, "invite");
}

static void
test_log_has_no_content (Fixture * f, gconstpointer data)
{
  g_autofree char *reply = sl_test_new_blob (97);
  g_autofree char *call_id = answer (f, reply);
  g_autofree char *record = sl_test_new_blob (4000);
  g_autofree char *log = NULL;
  g_autofree char *needle = NULL;

  sl_test_send_call (f->caller, "relay", call_id, "blob", record);
  sl_message_unref (sl_test_expect_call (f->callee, "relay", call_id));
  sl_test_send_call (f->caller, "hangup", call_id, "reason", "normal");
  sl_message_unref (sl_test_expect_call (f->callee, "hangup", call_id));
  /* Bad input too: the error path must not echo content either. */
  sl_test_client_send_text (f->caller, "{\"type\":\"relay\",\"call_id\":\"");
  sl_message_unref (sl_test_expect_next (f->caller, "error"));

  log = sl_test_server_read_log (f->server);
  g_assert_nonnull (log);
  g_assert_nonnull (strstr (log, call_id));     /* the log is real */
  g_assert_nonnull (strstr (log, "call-ended"));
  /* No blob, nor any 16-character piece of one. */
  needle = g_strndup (reply, 16);
  g_assert_null (strstr (log, needle));
  g_free (needle);
  needle = g_strndup (record + 1000, 16);
  g_assert_null (strstr (log, needle));
  g_assert_null (strstr (log, reply));
  g_assert_null (strstr (log, record));
}

int
main (int argc, char **argv)
{
  static const char *timeout_args[] = { "--ring-timeout-ms=700", NULL };
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-1", "Goggles One",
          "goggles", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expert-1", "Expert One",
          "expert", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expert-2", "Expert Two",
          "expert", NULL, &error));

#define ADD(path, func, args) \
  g_test_add (path, Fixture, args, setup, func, teardown)
  ADD ("/server/call/accept-relay-hangup", test_accept_relay_hangup, NULL);
  ADD ("/server/call/reject", test_reject, NULL);
  ADD ("/server/call/busy", test_busy, NULL);
  ADD ("/server/call/cancel", test_cancel, NULL);
  ADD ("/server/call/ring-timeout", test_ring_timeout, timeout_args);
  ADD ("/server/call/disconnect-mid-call", test_disconnect_mid_call, NULL);
  ADD ("/server/call/relay-refused", test_relay_refused, NULL);
  ADD ("/server/call/invite-errors", test_invite_errors, NULL);
  ADD ("/server/call/log-has-no-content", test_log_has_no_content, NULL);
#undef ADD

  ret = g_test_run ();
  g_clear_object (&pki);
  sl_test_settle ();
  return ret;
}
