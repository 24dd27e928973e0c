/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Integration tests: group calls over the wire (protocol version 2).
 * Three and four devices form a call; every participant learns who joined
 * and who left; blobs go only between two participants of the same call;
 * a participant leaving by hang-up, by a cut TCP connection or by going
 * silent leaves the call to the others; the call ends below two members;
 * max_call_participants holds; races between invitations; a version 1
 * device is refused for a group but keeps working in a two-party call. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "sl-signalling.h"
#include "sl-test-call.h"
#include "sl-test-raw-tls.h"

static SlTestPki *pki;

typedef struct
{
  SlTestServer *server;
  SlTestDevices *devices;
  GPtrArray *joined;            /* the participants of the call under test */
} Fixture;

static void
setup (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->server = sl_test_server_start (pki, data, &error);
  g_assert_no_error (error);
  f->devices = sl_test_devices_new (f->server, pki);
  f->joined = g_ptr_array_new_with_free_func (g_free);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  g_clear_pointer (&f->devices, sl_test_devices_free);
  g_clear_pointer (&f->joined, g_ptr_array_unref);
  /* A clean exit: no leak or memory error in the server either. */
  if (f->server)
    g_assert_true (sl_test_server_check_exit (f->server));
  g_clear_object (&f->server);
}

static SlTestClient *
dev (Fixture * f, const char *id)
{
  return sl_test_devices_get (f->devices, id);
}

static gboolean
is_v2 (Fixture * f, const char *id)
{
  return sl_test_client_get_version (dev (f, id)) == 2;
}

static void
forget (Fixture * f, const char *id)
{
  guint i;

  if (g_ptr_array_find_with_equal_func (f->joined, id, g_str_equal, &i))
    g_ptr_array_remove_index (f->joined, i);
}

/* The ids of the device objects in array @member, sorted, comma-separated. */
static char *
listed_ids (const SlMessage * msg, const char *member)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  guint i;

  for (i = 0; i < sl_message_get_array_length (msg, member); i++)
    g_ptr_array_add (ids, (gpointer) sl_message_get_string
        (sl_message_get_array_object (msg, member, i), "id"));
  return sl_test_join_sorted (ids, ",");
}

/* The participants but @except, sorted, comma-separated. */
static char *
joined_but (Fixture * f, const char *except)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  guint i;

  for (i = 0; i < f->joined->len; i++) {
    if (g_strcmp0 (g_ptr_array_index (f->joined, i), except) != 0)
      g_ptr_array_add (ids, g_ptr_array_index (f->joined, i));
  }
  return sl_test_join_sorted (ids, ",");
}

/* A call message to @to about @peer: version 2 names the peer. */
static SlMessage *
expect_notice (Fixture * f, const char *to, const char *type,
    const char *call_id, const char *peer)
{
  if (is_v2 (f, to))
    return sl_test_expect_about (dev (f, to), type, call_id, peer);
  return sl_test_expect_call (dev (f, to), type, call_id);
}

/* @inviter calls @invitee (starting @call_id if it has no participants
 * yet, else inviting it in); @invitee rings; checks what it is told. */
static void
ring (Fixture * f, const char *call_id, const char *inviter,
    const char *invitee, const char *hs)
{
  g_autoptr (SlMessage) incoming = NULL;
  g_autofree char *others = NULL;
  g_autofree char *listed = NULL;

  if (f->joined->len == 0)
    g_ptr_array_add (f->joined, g_strdup (inviter));
  sl_test_send_invite (dev (f, inviter), call_id, invitee, hs);
  incoming = sl_test_expect_call (dev (f, invitee), "incoming", call_id);
  g_assert_cmpstr (sl_message_get_string (sl_message_get_object (incoming,
              "from"), "id"), ==, inviter);
  g_assert_cmpstr (sl_message_get_string (incoming, "hs"), ==, hs);
  if (is_v2 (f, invitee)) {
    others = joined_but (f, inviter);
    listed = listed_ids (incoming, "participants");
    g_assert_cmpstr (listed, ==, others);
  }
  sl_test_send_call (dev (f, invitee), "ringing", call_id, NULL, NULL);
  sl_message_unref (expect_notice (f, inviter, "ringing", call_id, invitee));
}

/* ... and accepts: the inviter gets `accepted`, the other participants
 * `joined`, the newcomer the list of participants. */
static void
accept (Fixture * f, const char *call_id, const char *inviter,
    const char *invitee)
{
  g_autofree char *reply = sl_test_new_blob (97);
  g_autoptr (SlMessage) accepted = NULL;
  g_autoptr (SlMessage) list = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *listed = NULL;
  guint i;

  sl_test_send_call (dev (f, invitee), "accept", call_id, "hs", reply);
  accepted = expect_notice (f, inviter, "accepted", call_id, invitee);
  g_assert_cmpstr (sl_message_get_string (accepted, "hs"), ==, reply);
  for (i = 0; i < f->joined->len; i++) {
    const char *other = g_ptr_array_index (f->joined, i);
    g_autoptr (SlMessage) joined = NULL;

    if (g_str_equal (other, inviter))
      continue;
    joined = sl_test_expect_call (dev (f, other), "joined", call_id);
    g_assert_cmpstr (sl_message_get_string (sl_message_get_object (joined,
                "device"), "id"), ==, invitee);
  }
  if (is_v2 (f, invitee)) {
    list = sl_test_expect_call (dev (f, invitee), "participants", call_id);
    expected = joined_but (f, NULL);
    listed = listed_ids (list, "devices");
    g_assert_cmpstr (listed, ==, expected);
  }
  g_ptr_array_add (f->joined, g_strdup (invitee));
}

static void
add (Fixture * f, const char *call_id, const char *inviter, const char *invitee)
{
  g_autofree char *hs = sl_test_new_blob (65);

  ring (f, call_id, inviter, invitee, hs);
  accept (f, call_id, inviter, invitee);
}

/* A sealed blob from @from reaches @to, and says who sent it. */
static void
relay (Fixture * f, const char *call_id, const char *from, const char *to)
{
  g_autofree char *blob = sl_test_new_blob (300);
  g_autoptr (SlMessage) got = NULL;

  if (is_v2 (f, from))
    sl_test_send_members (dev (f, from), "relay", "call_id", call_id, "to",
        to, "blob", blob, NULL);
  else
    sl_test_send_call (dev (f, from), "relay", call_id, "blob", blob);
  got = expect_notice (f, to, "relay", call_id, from);
  g_assert_cmpstr (sl_message_get_string (got, "blob"), ==, blob);
}

/* Every participant sends to every other; nobody gets anything else. */
static void
relay_mesh (Fixture * f, const char *call_id)
{
  guint i, j;

  for (i = 0; i < f->joined->len; i++) {
    for (j = 0; j < f->joined->len; j++) {
      if (i != j)
        relay (f, call_id, g_ptr_array_index (f->joined, i),
            g_ptr_array_index (f->joined, j));
    }
  }
  sl_test_devices_expect_quiet (f->devices, 50);
}

static void
expect_left (Fixture * f, const char *call_id, const char *who,
    const char *reason)
{
  guint i;

  forget (f, who);
  for (i = 0; i < f->joined->len; i++) {
    g_autoptr (SlMessage) msg = expect_notice (f,
        g_ptr_array_index (f->joined, i), reason ? "hangup" : "peer-gone",
        call_id, who);

    if (reason)
      g_assert_cmpstr (sl_message_get_string (msg, "reason"), ==, reason);
  }
}

static gint64
metric (Fixture * f, const char *series)
{
  return sl_test_server_metric (f->server, series);
}

static void
test_three (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *blob = sl_test_new_blob (300);

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", "expert-2",
      "expert-3", NULL);
  add (f, call_id, "goggles-1", "expert-1");
  add (f, call_id, "goggles-1", "expert-2");
  relay_mesh (f, call_id);
  g_assert_cmpint (metric (f, "sightline_calls_active"), ==, 1);

  /* Blobs go to participants of the same call only: not to a device
   * outside it, not back to the sender; and nobody outside relays in. */
  sl_test_send_members (dev (f, "goggles-1"), "relay", "call_id", call_id,
      "to", "expert-3", "blob", blob, NULL);
  sl_test_expect_error (dev (f, "goggles-1"), "not-participant", call_id,
      "relay");
  sl_test_send_members (dev (f, "goggles-1"), "relay", "call_id", call_id,
      "to", "goggles-1", "blob", blob, NULL);
  sl_test_expect_error (dev (f, "goggles-1"), "not-participant", call_id,
      "relay");
  sl_test_send_members (dev (f, "expert-3"), "relay", "call_id", call_id,
      "to", "goggles-1", "blob", blob, NULL);
  sl_test_expect_error (dev (f, "expert-3"), "not-in-call", call_id, "relay");
  sl_test_expect_quiet (dev (f, "expert-3"), 100);
  sl_test_expect_quiet (dev (f, "goggles-1"), 1);
  sl_test_expect_quiet (dev (f, "expert-1"), 1);
  sl_test_expect_quiet (dev (f, "expert-2"), 1);

  /* One leaves: the others go on. */
  sl_test_send_call (dev (f, "expert-1"), "hangup", call_id, "reason",
      "normal");
  expect_left (f, call_id, "expert-1", "normal");
  relay_mesh (f, call_id);
  sl_test_send_members (dev (f, "expert-1"), "relay", "call_id", call_id,
      "to", "goggles-1", "blob", blob, NULL);
  sl_test_expect_error (dev (f, "expert-1"), "not-in-call", call_id, "relay");
  g_assert_cmpint (metric (f, "sightline_calls_active"), ==, 1);
  g_assert_cmpint (metric (f, "sightline_calls_total{outcome=\"hangup\"}"),
      ==, -1);

  /* Below two the call ends. */
  sl_test_send_call (dev (f, "expert-2"), "hangup", call_id, "reason",
      "normal");
  expect_left (f, call_id, "expert-2", "normal");
  sl_test_expect_status (dev (f, "expert-3"), "goggles-1", "available");
  g_assert_cmpint (metric (f, "sightline_calls_active"), ==, 0);
  g_assert_cmpint (metric (f, "sightline_calls_total{outcome=\"hangup\"}"),
      ==, 1);
  sl_test_send_members (dev (f, "goggles-1"), "relay", "call_id", call_id,
      "to", "expert-2", "blob", blob, NULL);
  sl_test_expect_error (dev (f, "goggles-1"), "not-in-call", call_id, "relay");
}

static void
test_four (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", "expert-2",
      "expert-3", "expert-4", NULL);
  add (f, call_id, "goggles-1", "expert-1");
  add (f, call_id, "goggles-1", "expert-2");
  /* Any participant may invite, not only the one who started the call. */
  add (f, call_id, "expert-2", "expert-3");
  relay_mesh (f, call_id);

  /* The default limit is four members. */
  sl_test_send_invite (dev (f, "expert-1"), call_id, "expert-4", hs);
  sl_test_expect_error (dev (f, "expert-1"), "call-full", call_id, "invite");
  sl_test_expect_quiet (dev (f, "expert-4"), 100);

  /* Participants leave one by one; each time the rest are told. */
  sl_test_client_close (dev (f, "goggles-1"));
  expect_left (f, call_id, "goggles-1", NULL);
  relay_mesh (f, call_id);
  sl_test_send_call (dev (f, "expert-3"), "hangup", call_id, "reason",
      "normal");
  expect_left (f, call_id, "expert-3", "normal");
  relay_mesh (f, call_id);
  g_assert_cmpint (metric (f, "sightline_calls_active"), ==, 1);
}

static void
test_max_participants (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) probe = NULL;
  g_autoptr (SlMessage) welcome = NULL;

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", "expert-2",
      "expert-3", NULL);
  /* Version 2 devices learn the limit. */
  probe = sl_test_client_connect_version (f->server, pki, "expert-5", 2,
      &error);
  g_assert_no_error (error);
  welcome = sl_test_client_expect (probe, "welcome");
  g_assert_cmpint (sl_message_get_int (welcome, "protocol_version"), ==, 2);
  g_assert_cmpint (sl_message_get_int (welcome, "max_call_participants"), ==,
      3);

  add (f, call_id, "goggles-1", "expert-1");
  /* A device still ringing counts. */
  ring (f, call_id, "goggles-1", "expert-2", hs);
  sl_test_send_invite (dev (f, "expert-1"), call_id, "expert-3", hs);
  sl_test_expect_error (dev (f, "expert-1"), "call-full", call_id, "invite");
  accept (f, call_id, "goggles-1", "expert-2");
  sl_test_send_invite (dev (f, "expert-2"), call_id, "expert-3", hs);
  sl_test_expect_error (dev (f, "expert-2"), "call-full", call_id, "invite");
  sl_test_expect_quiet (dev (f, "expert-3"), 100);
  relay_mesh (f, call_id);
}

/* A version 2 device that accepts an invitation through a raw TLS
 * connection, so that the test can cut it or make it fall silent. */
static SlTestRawTls *
raw_member (Fixture * f, const char *call_id, const char *inviter,
    const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestRawTls) raw = sl_test_raw_tls_connect (f->server, pki, id,
      &error);
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *accept = NULL;
  g_autoptr (SlMessage) accepted = NULL;
  guint i;

  g_assert_no_error (error);
  g_assert_true (sl_test_raw_tls_upgrade_to (raw, SL_SIGNALLING_PATH_V2,
          &error));
  g_assert_no_error (error);
  sl_test_send_invite (dev (f, inviter), call_id, id, hs);
  g_assert_true (sl_test_raw_tls_read_until (raw, "\"incoming\"", 5000));
  accept = g_strdup_printf ("{\"type\":\"accept\",\"call_id\":\"%s\","
      "\"hs\":\"AAEC\"}", call_id);
  g_assert_true (sl_test_raw_tls_send_text (raw, accept));
  accepted = sl_test_expect_about (dev (f, inviter), "accepted", call_id, id);
  for (i = 0; i < f->joined->len; i++) {
    if (!g_str_equal (g_ptr_array_index (f->joined, i), inviter))
      sl_message_unref (sl_test_expect_call (dev (f,
                  g_ptr_array_index (f->joined, i)), "joined", call_id));
  }
  g_ptr_array_add (f->joined, g_strdup (id));
  return g_steal_pointer (&raw);
}

static void
test_leave_cut_connection (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  SlTestRawTls *raw;

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", NULL);
  add (f, call_id, "goggles-1", "expert-1");
  raw = raw_member (f, call_id, "goggles-1", "expert-2");
  /* The TCP connection goes away without a WebSocket or TLS close. */
  sl_test_raw_tls_free (raw);
  expect_left (f, call_id, "expert-2", NULL);
  relay_mesh (f, call_id);
  g_assert_cmpint (metric (f, "sightline_calls_active"), ==, 1);
  g_assert_cmpint (metric (f,
          "sightline_calls_total{outcome=\"peer-gone\"}"), ==, -1);
}

static void
test_leave_idle (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autoptr (SlTestRawTls) raw = NULL;

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", NULL);
  add (f, call_id, "goggles-1", "expert-1");
  raw = raw_member (f, call_id, "goggles-1", "expert-2");
  /* It answers no ping: idle_timeout (2 s) later it is closed (4008) and
   * leaves the call; the others answer their pings and stay. */
  expect_left (f, call_id, "expert-2", NULL);
  g_assert_cmpint (metric (f, "sightline_closes_total{code=\"4008\"}"), ==, 1);
  relay_mesh (f, call_id);
  g_assert_cmpint (metric (f, "sightline_calls_active"), ==, 1);
}

static void
test_inviter_leaves (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", "expert-2",
      "expert-3", NULL);
  add (f, call_id, "goggles-1", "expert-1");
  add (f, call_id, "goggles-1", "expert-2");
  ring (f, call_id, "goggles-1", "expert-3", hs);
  /* The invitation carries the inviter's handshake: it ends with it. */
  sl_test_send_call (dev (f, "goggles-1"), "hangup", call_id, "reason",
      "normal");
  sl_message_unref (sl_test_expect_about (dev (f, "expert-3"), "cancelled",
          call_id, "goggles-1"));
  expect_left (f, call_id, "goggles-1", "normal");
  relay_mesh (f, call_id);
  sl_test_send_call (dev (f, "expert-3"), "accept", call_id, "hs", hs);
  sl_test_expect_error (dev (f, "expert-3"), "not-in-call", call_id, "accept");

  /* The inviter disconnects while the invitee rings: peer-gone. */
  ring (f, call_id, "expert-1", "expert-3", hs);
  sl_test_client_close (dev (f, "expert-1"));
  sl_message_unref (sl_test_expect_about (dev (f, "expert-3"), "peer-gone",
          call_id, "expert-1"));
  expect_left (f, call_id, "expert-1", NULL);
  /* expert-2 is alone: the call is over. */
  g_assert_cmpint (metric (f, "sightline_calls_active"), ==, 0);
  sl_test_send_members (dev (f, "expert-2"), "relay", "call_id", call_id,
      "to", "expert-3", "blob", hs, NULL);
  sl_test_expect_error (dev (f, "expert-2"), "not-in-call", call_id, "relay");
}

static void
test_reject_timeout_busy (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *other_call = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autoptr (SlMessage) msg = NULL;

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", "expert-2",
      "expert-3", "expert-4", "expert-5", NULL);
  add (f, call_id, "goggles-1", "expert-1");

  /* A refused invitation leaves the call as it was. */
  ring (f, call_id, "goggles-1", "expert-2", hs);
  sl_test_send_call (dev (f, "expert-2"), "reject", call_id, "reason",
      "declined");
  msg = sl_test_expect_about (dev (f, "goggles-1"), "rejected", call_id,
      "expert-2");
  g_assert_cmpstr (sl_message_get_string (msg, "reason"), ==, "declined");
  sl_test_expect_quiet (dev (f, "expert-1"), 100);
  relay_mesh (f, call_id);

  /* Unanswered: both ends of the invitation are told, nobody else. */
  ring (f, call_id, "expert-1", "expert-2", hs);
  sl_message_unref (sl_test_expect_about (dev (f, "expert-1"), "timeout",
          call_id, "expert-2"));
  sl_message_unref (sl_test_expect_about (dev (f, "expert-2"), "timeout",
          call_id, "expert-1"));
  sl_test_expect_quiet (dev (f, "goggles-1"), 100);
  relay_mesh (f, call_id);

  /* A device ringing in another call, or calling in one, is busy. */
  sl_test_send_invite (dev (f, "expert-3"), other_call, "expert-4", hs);
  sl_message_unref (sl_test_expect_call (dev (f, "expert-4"), "incoming",
          other_call));
  sl_test_send_invite (dev (f, "goggles-1"), call_id, "expert-4", hs);
  sl_message_unref (sl_test_expect_about (dev (f, "goggles-1"), "busy",
          call_id, "expert-4"));
  sl_test_send_invite (dev (f, "goggles-1"), call_id, "expert-3", hs);
  sl_message_unref (sl_test_expect_about (dev (f, "goggles-1"), "busy",
          call_id, "expert-3"));
  /* Nor can a participant start a second call. */
  sl_test_send_invite (dev (f, "expert-1"), other_call, "expert-5", hs);
  sl_test_expect_error (dev (f, "expert-1"), "bad-state", other_call, "invite");
  sl_test_send_members (dev (f, "expert-3"), "cancel", "call_id", other_call,
      "to", "expert-4", NULL);
  sl_message_unref (sl_test_expect_about (dev (f, "expert-4"), "cancelled",
          other_call, "expert-3"));
  relay_mesh (f, call_id);
}

/* Two participants invite the same device at once, then race for the last
 * place: the server takes one and refuses the other cleanly. */
static void
test_races (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autoptr (SlMessage) incoming = NULL;
  g_autoptr (SlMessage) refused = NULL;
  const char *winner, *loser;

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", "expert-2",
      "expert-3", "expert-4", NULL);
  add (f, call_id, "goggles-1", "expert-1");
  sl_test_send_invite (dev (f, "goggles-1"), call_id, "expert-2", hs);
  sl_test_send_invite (dev (f, "expert-1"), call_id, "expert-2", hs);
  incoming = sl_test_expect_call (dev (f, "expert-2"), "incoming", call_id);
  winner = sl_message_get_string (sl_message_get_object (incoming, "from"),
      "id");
  loser = g_str_equal (winner, "goggles-1") ? "expert-1" : "goggles-1";
  refused = sl_test_expect_next (dev (f, loser), "error");
  g_assert_cmpstr (sl_message_get_string (refused, "code"), ==,
      "already-member");
  g_assert_cmpstr (sl_message_get_string (refused, "peer"), ==, "expert-2");
  sl_test_expect_quiet (dev (f, "expert-2"), 100);
  sl_test_send_call (dev (f, "expert-2"), "accept", call_id, "hs", hs);
  sl_message_unref (sl_test_expect_about (dev (f, winner), "accepted",
          call_id, "expert-2"));
  sl_message_unref (sl_test_expect_call (dev (f, loser), "joined", call_id));
  g_ptr_array_add (f->joined, g_strdup ("expert-2"));

  /* Three members, room for one more: two invitations at once. */
  sl_test_send_invite (dev (f, "goggles-1"), call_id, "expert-3", hs);
  sl_test_send_invite (dev (f, "expert-1"), call_id, "expert-4", hs);
  g_clear_pointer (&incoming, sl_message_unref);
  g_clear_pointer (&refused, sl_message_unref);
  incoming = sl_test_client_wait_for (dev (f, "expert-3"), "incoming", 1000);
  if (incoming == NULL)
    incoming = sl_test_expect_call (dev (f, "expert-4"), "incoming", call_id);
  loser = g_str_equal (sl_message_get_string (sl_message_get_object
          (incoming, "from"), "id"), "goggles-1") ? "expert-1" : "goggles-1";
  sl_test_expect_error (dev (f, loser), "call-full", call_id, "invite");
}

static void
test_version_1 (Fixture * f, gconstpointer data)
{
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *second = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *text = NULL;
  g_autoptr (SlMessage) refused = NULL;
  g_autoptr (SlMessage) msg = NULL;

  sl_test_devices_connect_all (f->devices, "goggles-1", "expert-1", "legacy-1",
      "legacy-2", NULL);
  /* A version 1 device calls a version 2 device: both work, each in its
   * own version (the test clients refuse members their version lacks). */
  add (f, call_id, "legacy-1", "goggles-1");
  relay_mesh (f, call_id);

  /* The call cannot grow: the version 1 member is named. */
  sl_test_send_invite (dev (f, "goggles-1"), call_id, "expert-1", hs);
  refused = sl_test_expect_next (dev (f, "goggles-1"), "error");
  g_assert_cmpstr (sl_message_get_string (refused, "code"), ==,
      "group-unsupported");
  g_assert_cmpstr (sl_message_get_string (refused, "peer"), ==, "legacy-1");
  sl_test_expect_quiet (dev (f, "expert-1"), 100);
  /* Version 1 has no `to`: its table refuses it. */
  text = g_strdup_printf ("{\"type\":\"relay\",\"call_id\":\"%s\","
      "\"to\":\"goggles-1\",\"blob\":\"%s\"}", call_id, hs);
  sl_test_client_send_text (dev (f, "legacy-1"), text);
  sl_test_expect_error (dev (f, "legacy-1"), "bad-member", NULL, NULL);
  sl_test_send_call (dev (f, "goggles-1"), "hangup", call_id, "reason",
      "normal");
  msg = sl_test_expect_call (dev (f, "legacy-1"), "hangup", call_id);
  g_assert_cmpstr (sl_message_get_string (msg, "reason"), ==, "normal");
  g_ptr_array_set_size (f->joined, 0);

  /* A version 1 device is not invited into a group... */
  add (f, second, "goggles-1", "expert-1");
  g_clear_pointer (&refused, sl_message_unref);
  sl_test_send_invite (dev (f, "goggles-1"), second, "legacy-2", hs);
  refused = sl_test_expect_next (dev (f, "goggles-1"), "error");
  g_assert_cmpstr (sl_message_get_string (refused, "code"), ==,
      "group-unsupported");
  g_assert_cmpstr (sl_message_get_string (refused, "peer"), ==, "legacy-2");
  sl_test_expect_quiet (dev (f, "legacy-2"), 100);
  sl_test_send_call (dev (f, "goggles-1"), "hangup", second, "reason",
      "normal");
  sl_message_unref (sl_test_expect_about (dev (f, "expert-1"), "hangup",
          second, "goggles-1"));
  g_ptr_array_set_size (f->joined, 0);

  /* ... but called by a version 2 device, it works as ever. */
  g_free (second);
  second = sl_test_new_call_id ();
  add (f, second, "expert-1", "legacy-2");
  relay_mesh (f, second);
}

/* A version the server does not know is refused at the upgrade with 404
 * (no handler for the path), so that a device can fall back to an older
 * one; the device is not online. */
static void
test_unknown_version (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestRawTls) raw = sl_test_raw_tls_connect (f->server, pki,
      "expert-1", &error);
  g_autoptr (SlMessage) roster = NULL;

  g_assert_no_error (error);
  g_assert_true (sl_test_raw_tls_request (raw, "/v3/ws", "HTTP/1.1 404",
          &error));
  g_assert_no_error (error);
  roster = sl_test_devices_connect (f->devices, "goggles-1");
  g_assert_false (sl_test_roster_has (roster, "expert-1", NULL));
}

int
main (int argc, char **argv)
{
  static const char *max_args[] = { "--max-call-participants=3", NULL };
  static const char *idle_args[] = { "--ping-interval=1", "--idle-timeout=2",
    NULL
  };
  static const char *ring_args[] = { "--ring-timeout-ms=1500", NULL };
  static const SlTestDevice devices[] = {
    {"goggles-1", "Goggles One", "goggles"},
    {"expert-1", "Expert One", "expert"},
    {"expert-2", "Expert Two", "expert"},
    {"expert-3", "Expert Three", "expert"},
    {"expert-4", "Expert Four", "expert"},
    {"expert-5", "Expert Five", "expert"},
    {"legacy-1", "Old Goggles", "goggles"},
    {"legacy-2", "Old Expert", "expert"},
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
  ADD ("/server/group/three", test_three, NULL);
  ADD ("/server/group/four", test_four, NULL);
  ADD ("/server/group/max-participants", test_max_participants, max_args);
  ADD ("/server/group/leave-cut-connection", test_leave_cut_connection, NULL);
  ADD ("/server/group/leave-idle", test_leave_idle, idle_args);
  ADD ("/server/group/inviter-leaves", test_inviter_leaves, NULL);
  ADD ("/server/group/reject-timeout-busy", test_reject_timeout_busy,
      ring_args);
  ADD ("/server/group/races", test_races, NULL);
  ADD ("/server/group/version-1", test_version_1, NULL);
  ADD ("/server/group/unknown-version", test_unknown_version, NULL);
#undef ADD

  ret = g_test_run ();
  g_clear_object (&pki);
  sl_test_settle ();
  return ret;
}
