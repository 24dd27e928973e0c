/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Integration tests of cluster mode (issue 17): two or three real
 * sightline-server instances sharing one roster through a redis-server
 * the test starts on a Unix socket in its own folder, with a password.
 * Short ping interval and idle timeout, so an instance's silence counts
 * within seconds. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sl-signalling.h"
#include "sl-test-call.h"
#include "sl-test-redis.h"

/* idle_timeout: an instance silent this long is dead to the others. */
#define EXPIRY_S 3

static SlTestPki *pki;

typedef struct
{
  SlTestRedis *redis;
  char *config_arg;
  SlTestServer *servers[3];
} Fixture;

static gboolean
cluster_up (gpointer data)
{
  return sl_test_server_metric (data, "sightline_cluster_redis_up") == 1;
}

static void
start_server (Fixture * f, guint i)
{
  g_autoptr (GError) error = NULL;
  const char *args[] = { f->config_arg, "--ping-interval=1",
    "--idle-timeout=" G_STRINGIFY (EXPIRY_S), NULL
  };

  f->servers[i] = sl_test_server_start (pki, args, &error);
  g_assert_no_error (error);
  g_assert_true (sl_test_iterate_until (cluster_up, f->servers[i], 5000));
}

static void
setup (Fixture * f, gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data), i;
  g_autofree char *name = g_strdup_printf ("cluster-%u.conf", (guint)
      getpid ());
  g_autofree char *conf = sl_test_pki_path (pki, name);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  f->redis = sl_test_redis_start (sl_test_pki_get_dir (pki));
  text = sl_test_redis_config (f->redis);
  g_assert_true (g_file_set_contents (conf, text, -1, &error));
  f->config_arg = g_strconcat ("--config=", conf, NULL);
  for (i = 0; i < n; i++)
    start_server (f, i);
}

static void
teardown (Fixture * f, gconstpointer data)
{
  guint i;

  /* A clean exit: no leak or memory error in the servers either. */
  for (i = 0; i < G_N_ELEMENTS (f->servers); i++) {
    if (f->servers[i])
      g_assert_true (sl_test_server_check_exit (f->servers[i]));
    g_clear_object (&f->servers[i]);
  }
  g_clear_pointer (&f->redis, sl_test_redis_free);
  g_free (f->config_arg);
}

static SlTestClient *
join (SlTestServer * server, const char *id, SlMessage ** out_roster)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) welcome = NULL;
  g_autoptr (SlMessage) roster = NULL;
  SlTestClient *client = sl_test_client_connect (server, pki, id, &error);

  g_assert_no_error (error);
  welcome = sl_test_client_expect (client, "welcome");
  roster = sl_test_client_expect (client, "roster");
  if (out_roster)
    *out_roster = g_steal_pointer (&roster);
  return client;
}

/* The next presence event @client receives must be @event about @id. */
static void
expect_presence (SlTestClient * client, const char *event, const char *id,
    const char *status)
{
  g_autoptr (SlMessage) msg = sl_test_client_expect (client, "presence");
  const SlMessage *device = sl_message_get_object (msg, "device");

  g_assert_cmpstr (sl_message_get_string (msg, "event"), ==, event);
  g_assert_cmpstr (sl_message_get_string (device, "id"), ==, id);
  if (status)
    g_assert_cmpstr (sl_message_get_string (device, "status"), ==, status);
}

typedef struct
{
  SlTestServer *server;
  gint64 want;
} RemoteCount;

static gboolean
remote_count_is (gpointer data)
{
  RemoteCount *r = data;

  return sl_test_server_metric (r->server,
      "sightline_cluster_remote_devices") == r->want;
}

static void
wait_remote (SlTestServer * server, gint64 want)
{
  RemoteCount r = { server, want };

  g_assert_true (sl_test_iterate_until (remote_count_is, &r, 5000));
}

/* Joins, leaves and status changes reach devices on the other instance;
 * a device that joins later gets both in its roster. */
static void
test_one_roster (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f->servers[0], "goggles-1", NULL);
  g_autoptr (SlTestClient) b = NULL;
  g_autoptr (SlTestClient) c = NULL;
  g_autoptr (SlMessage) roster = NULL;

  wait_remote (f->servers[1], 1);
  b = join (f->servers[1], "expert-1", &roster);
  g_assert_true (sl_test_roster_has (roster, "goggles-1", "available"));
  g_clear_pointer (&roster, sl_message_unref);
  expect_presence (a, "join", "expert-1", "available");

  sl_test_client_send_text (b, "{\"type\":\"status\",\"status\":\"busy\"}");
  expect_presence (a, "status", "expert-1", "busy");

  if (f->servers[2]) {
    wait_remote (f->servers[2], 2);
    c = join (f->servers[2], "expert-2", &roster);
    g_assert_true (sl_test_roster_has (roster, "goggles-1", "available"));
    g_assert_true (sl_test_roster_has (roster, "expert-1", "busy"));
    expect_presence (a, "join", "expert-2", "available");
    expect_presence (b, "join", "expert-2", "available");
  }

  sl_test_client_close (b);
  expect_presence (a, "leave", "expert-1", NULL);
  if (c)
    expect_presence (c, "leave", "expert-1", NULL);
}

/* A call between devices on different instances: invite, ringing,
 * accept, relayed blobs both ways, busy status seen everywhere, hang-up;
 * then a rejected call, and a callee that goes away mid-call. */
static void
test_call_across (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) caller = join (f->servers[0], "goggles-1", NULL);
  g_autoptr (SlTestClient) callee = NULL;
  g_autoptr (SlTestClient) other = NULL;
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *second = sl_test_new_call_id ();
  g_autofree char *third = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *reply = sl_test_new_blob (97);
  g_autofree char *sdp = sl_test_new_blob (40000);
  g_autofree char *candidate = sl_test_new_blob (300);
  g_autoptr (SlMessage) m = NULL;

  wait_remote (f->servers[1], 1);
  callee = join (f->servers[1], "expert-1", NULL);
  other = join (f->servers[1], "expert-2", NULL);
  expect_presence (caller, "join", "expert-1", NULL);
  expect_presence (caller, "join", "expert-2", NULL);
  expect_presence (callee, "join", "expert-2", NULL);
  wait_remote (f->servers[0], 2);

  sl_test_send_invite (caller, call_id, "expert-1", hs);
  m = sl_test_expect_call (callee, "incoming", call_id);
  g_assert_cmpstr (sl_message_get_string (sl_message_get_object (m, "from"),
          "id"), ==, "goggles-1");
  g_assert_cmpstr (sl_message_get_string (m, "hs"), ==, hs);
  g_clear_pointer (&m, sl_message_unref);
  sl_test_send_call (callee, "ringing", call_id, NULL, NULL);
  sl_message_unref (sl_test_expect_call (caller, "ringing", call_id));
  sl_test_send_call (callee, "accept", call_id, "hs", reply);
  m = sl_test_expect_call (caller, "accepted", call_id);
  g_assert_cmpstr (sl_message_get_string (m, "hs"), ==, reply);
  g_clear_pointer (&m, sl_message_unref);
  /* Both busy, as seen from the callee's instance. */
  sl_test_expect_status (other, "goggles-1", "busy");
  sl_test_expect_status (other, "expert-1", "busy");

  sl_test_send_call (caller, "relay", call_id, "blob", sdp);
  m = sl_test_expect_call (callee, "relay", call_id);
  g_assert_cmpstr (sl_message_get_string (m, "blob"), ==, sdp);
  g_clear_pointer (&m, sl_message_unref);
  sl_test_send_call (callee, "relay", call_id, "blob", candidate);
  m = sl_test_expect_call (caller, "relay", call_id);
  g_assert_cmpstr (sl_message_get_string (m, "blob"), ==, candidate);
  g_clear_pointer (&m, sl_message_unref);

  sl_test_send_call (callee, "hangup", call_id, "reason", "normal");
  m = sl_test_expect_call (caller, "hangup", call_id);
  g_assert_cmpstr (sl_message_get_string (m, "reason"), ==, "normal");
  g_clear_pointer (&m, sl_message_unref);
  sl_test_expect_status (other, "goggles-1", "available");
  sl_test_expect_status (other, "expert-1", "available");
  g_assert_cmpint (sl_test_server_metric (f->servers[0],
          "sightline_calls_total{outcome=\"hangup\"}"), ==, 1);
  /* Over: the callee's messages for it are refused by the call's
   * instance, as on one instance. */
  sl_test_send_call (callee, "relay", call_id, "blob", candidate);
  sl_test_expect_error (callee, "not-in-call", call_id, "relay");

  sl_test_send_invite (caller, second, "expert-1", hs);
  sl_message_unref (sl_test_expect_call (callee, "incoming", second));
  sl_test_send_call (callee, "reject", second, "reason", "declined");
  m = sl_test_expect_call (caller, "rejected", second);
  g_assert_cmpstr (sl_message_get_string (m, "reason"), ==, "declined");
  g_clear_pointer (&m, sl_message_unref);

  sl_test_send_invite (caller, third, "expert-1", hs);
  sl_message_unref (sl_test_expect_call (callee, "incoming", third));
  sl_test_send_call (callee, "accept", third, "hs", reply);
  sl_message_unref (sl_test_expect_call (caller, "accepted", third));
  sl_test_client_close (callee);
  sl_message_unref (sl_test_expect_call (caller, "peer-gone", third));
}

/* A device revoked in one instance's list is closed on whichever instance
 * holds it, even one whose own list is older; and it cannot come back
 * through that instance either. */
static void
test_revoked_elsewhere (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *crl = sl_test_pki_path (pki, "crl.pem");
  g_autofree char *stale = sl_test_pki_path (pki, "crl-stale.pem");
  g_autofree char *stale_arg = g_strconcat ("--crl=", stale, NULL);
  g_autofree char *text = NULL;
  gsize len;
  const char *args[] = { f->config_arg, "--ping-interval=1",
    "--idle-timeout=" G_STRINGIFY (EXPIRY_S), stale_arg, NULL
  };
  g_autoptr (SlTestClient) watcher = NULL;
  g_autoptr (SlTestClient) victim = NULL;
  g_autoptr (SlTestClient) again = NULL;

  /* The second instance reads a copy that will not change. */
  g_assert_true (g_file_get_contents (crl, &text, &len, &error));
  g_assert_true (g_file_set_contents (stale, text, (gssize) len, &error));
  f->servers[1] = sl_test_server_start (pki, args, &error);
  g_assert_no_error (error);
  g_assert_true (sl_test_iterate_until (cluster_up, f->servers[1], 5000));

  watcher = join (f->servers[0], "goggles-1", NULL);
  victim = join (f->servers[1], "goggles-9", NULL);
  wait_remote (f->servers[0], 1);

  /* The first instance reloads its list (it watches the file). */
  g_assert_true (sl_test_pki_revoke (pki, "goggles-9", &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_client_wait_closed (victim, 5000));
  g_assert_cmpuint (sl_test_client_get_close_code (victim), ==,
      SL_CLOSE_REVOKED);

  /* Through the instance with the old list it is let in, and closed as
   * soon as the other instance hears of it. */
  again = sl_test_client_connect (f->servers[1], pki, "goggles-9", &error);
  g_assert_no_error (error);
  g_assert_true (sl_test_client_wait_closed (again, 5000));
  g_assert_cmpuint (sl_test_client_get_close_code (again), ==,
      SL_CLOSE_REVOKED);
}

static SlTestClient *
join_v2 (SlTestServer * server, const char *id)
{
  return sl_test_join (server, pki, id, 2, NULL);
}

/* A blob from @from reaches @to over protocol 2, naming its sender. */
static void
relay_v2 (SlTestClient * from, const char *from_id, SlTestClient * to,
    const char *to_id, const char *call_id)
{
  g_autofree char *blob = sl_test_new_blob (300);
  g_autoptr (SlMessage) got = NULL;

  sl_test_send_members (from, "relay", "call_id", call_id, "to", to_id,
      "blob", blob, NULL);
  got = sl_test_expect_call (to, "relay", call_id);
  g_assert_cmpstr (sl_message_get_string (got, "from"), ==, from_id);
  g_assert_cmpstr (sl_message_get_string (got, "blob"), ==, blob);
}

/* A group call over three instances (protocol 2): a participant on a
 * second instance invites a device on a third into the call held on the
 * first; blobs go between every pair; leaving works as on one instance. */
static void
test_group_across (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) g1 = join_v2 (f->servers[0], "goggles-1");
  g_autoptr (SlTestClient) e1 = NULL;
  g_autoptr (SlTestClient) e2 = NULL;
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *reply = sl_test_new_blob (97);
  g_autoptr (SlMessage) m = NULL;

  wait_remote (f->servers[1], 1);
  e1 = join_v2 (f->servers[1], "expert-1");
  wait_remote (f->servers[2], 2);
  e2 = join_v2 (f->servers[2], "expert-2");
  wait_remote (f->servers[0], 2);
  wait_remote (f->servers[1], 2);

  sl_test_send_invite (g1, call_id, "expert-1", hs);
  sl_message_unref (sl_test_expect_call (e1, "incoming", call_id));
  sl_test_send_call (e1, "accept", call_id, "hs", reply);
  sl_message_unref (sl_test_expect_call (g1, "accepted", call_id));
  sl_message_unref (sl_test_expect_call (e1, "participants", call_id));

  /* expert-1, on the second instance, adds expert-2 (third instance). */
  sl_test_send_invite (e1, call_id, "expert-2", hs);
  m = sl_test_expect_call (e2, "incoming", call_id);
  g_assert_cmpstr (sl_message_get_string (sl_message_get_object (m, "from"),
          "id"), ==, "expert-1");
  g_clear_pointer (&m, sl_message_unref);
  sl_test_send_call (e2, "accept", call_id, "hs", reply);
  sl_message_unref (sl_test_expect_call (e1, "accepted", call_id));
  m = sl_test_expect_call (g1, "joined", call_id);
  g_assert_cmpstr (sl_message_get_string (sl_message_get_object (m,
              "device"), "id"), ==, "expert-2");
  g_clear_pointer (&m, sl_message_unref);
  sl_message_unref (sl_test_expect_call (e2, "participants", call_id));

  relay_v2 (g1, "goggles-1", e1, "expert-1", call_id);
  relay_v2 (g1, "goggles-1", e2, "expert-2", call_id);
  relay_v2 (e1, "expert-1", e2, "expert-2", call_id);
  relay_v2 (e2, "expert-2", e1, "expert-1", call_id);
  relay_v2 (e2, "expert-2", g1, "goggles-1", call_id);
  relay_v2 (e1, "expert-1", g1, "goggles-1", call_id);

  sl_test_send_call (e1, "hangup", call_id, "reason", "normal");
  sl_message_unref (sl_test_expect_call (g1, "hangup", call_id));
  sl_message_unref (sl_test_expect_call (e2, "hangup", call_id));
  relay_v2 (e2, "expert-2", g1, "goggles-1", call_id);
  g_assert_cmpint (sl_test_server_metric (f->servers[0],
          "sightline_calls_active"), ==, 1);
}

/* The call policy holds across instances: the instance holding the call
 * judges with the roles the bus told it, whichever side is remote. */
static void
test_policy_across (Fixture * f, gconstpointer data)
{
  const char *conf = f->config_arg + strlen ("--config=");
  g_autofree char *text = NULL;
  g_autofree char *with_policy = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) g1 = NULL;
  g_autoptr (SlTestClient) g2 = NULL;
  g_autoptr (SlTestClient) e1 = NULL;
  g_autofree char *denied = sl_test_new_call_id ();
  g_autofree char *back = sl_test_new_call_id ();
  g_autofree char *allowed = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autoptr (SlMessage) m = NULL;

  g_assert_true (g_file_get_contents (conf, &text, NULL, &error));
  with_policy = g_strconcat (text, "[policy]\ndefault=deny\npresence=all\n"
      "role.goggles=expert\nrole.expert=goggles;expert\n", NULL);
  g_assert_true (g_file_set_contents (conf, with_policy, -1, &error));
  start_server (f, 0);
  start_server (f, 1);

  g1 = join (f->servers[0], "goggles-1", NULL);
  wait_remote (f->servers[1], 1);
  g2 = join (f->servers[1], "goggles-2", NULL);
  e1 = join (f->servers[1], "expert-1", NULL);
  wait_remote (f->servers[0], 2);

  sl_test_send_invite (g1, denied, "goggles-2", hs);
  m = sl_test_expect_next (g1, "error");
  g_assert_cmpstr (sl_message_get_string (m, "code"), ==, "policy-denied");
  g_clear_pointer (&m, sl_message_unref);
  sl_test_send_invite (g2, back, "goggles-1", hs);
  m = sl_test_expect_next (g2, "error");
  g_assert_cmpstr (sl_message_get_string (m, "code"), ==, "policy-denied");
  g_clear_pointer (&m, sl_message_unref);
  g_assert_true (sl_test_client_quiet_for (g2, 200));

  sl_test_send_invite (g1, allowed, "expert-1", hs);
  sl_message_unref (sl_test_expect_call (e1, "incoming", allowed));
}

/* One connection per device cluster-wide: the newest, on another
 * instance, replaces the old one, which is told so and closed. */
static void
test_newest_wins (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) watcher = join (f->servers[0], "expert-1", NULL);
  g_autoptr (SlTestClient) old = join (f->servers[0], "goggles-1", NULL);
  g_autoptr (SlTestClient) newer = NULL;
  g_autoptr (SlMessage) replaced = NULL;

  expect_presence (watcher, "join", "goggles-1", NULL);
  wait_remote (f->servers[1], 2);
  newer = join (f->servers[1], "goggles-1", NULL);
  replaced = sl_test_client_expect (old, "replaced");
  g_assert_true (sl_test_client_wait_closed (old, SL_TEST_TIMEOUT_MS));
  g_assert_cmpuint (sl_test_client_get_close_code (old), ==, SL_CLOSE_REPLACED);
  /* The watcher sees it join again (now on the other instance), never
   * leave: the device stayed online. */
  expect_presence (watcher, "join", "goggles-1", NULL);
  g_assert_true (sl_test_client_quiet_for (watcher, 500));
  g_assert_true (sl_test_client_is_open (newer));
  wait_remote (f->servers[0], 1);
  wait_remote (f->servers[1], 1);
}

/* An instance killed outright leaves no ghosts: its devices leave the
 * roster of the others within the idle timeout (plus a heartbeat). */
static void
test_killed_instance (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f->servers[0], "goggles-1", NULL);
  g_autoptr (SlTestClient) b = NULL;
  g_autoptr (SlTestClient) c = NULL;
  g_autoptr (SlMessage) roster = NULL;
  gint64 start;

  wait_remote (f->servers[1], 1);
  b = join (f->servers[1], "expert-1", NULL);
  expect_presence (a, "join", "expert-1", NULL);

  start = g_get_monotonic_time ();
  sl_test_server_send_signal (f->servers[1], SIGKILL);
  g_assert_true (sl_test_server_wait_exit (f->servers[1], 5000, NULL));
  g_clear_object (&f->servers[1]);
  {
    g_autoptr (SlMessage) msg = sl_test_client_wait_for (a, "presence",
        (EXPIRY_S + 2) * 1000);

    g_assert_nonnull (msg);
    g_assert_cmpstr (sl_message_get_string (msg, "event"), ==, "leave");
  }
  g_assert_cmpint (g_get_monotonic_time () - start, <,
      (EXPIRY_S + 2) * G_USEC_PER_SEC);
  /* And a device that joins now does not see it either. */
  c = join (f->servers[0], "expert-2", &roster);
  g_assert_false (sl_test_roster_has (roster, "expert-1", NULL));
  g_assert_true (sl_test_roster_has (roster, "goggles-1", NULL));
}

static gboolean
all_up (gpointer data)
{
  Fixture *f = data;

  return cluster_up (f->servers[0]) && cluster_up (f->servers[1]);
}

/* Redis dies: both instances keep serving their own devices and say they
 * are degraded; Redis returns (empty): the roster is whole again within
 * 5 s. */
static void
test_redis_restart (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f->servers[0], "goggles-1", NULL);
  g_autoptr (SlTestClient) b = NULL;
  g_autoptr (SlTestClient) c = NULL;
  g_autoptr (SlTestClient) d = NULL;
  g_autoptr (SlMessage) roster = NULL;
  g_autofree char *health = NULL;
  guint status = 0;

  wait_remote (f->servers[1], 1);
  b = join (f->servers[1], "expert-1", NULL);
  expect_presence (a, "join", "expert-1", NULL);

  sl_test_redis_stop (f->redis);
  g_assert_false (sl_test_iterate_until (all_up, f, 1000));
  health = sl_test_server_http_get (f->servers[0], "/healthz", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (health, "degraded"));
  g_assert_cmpint (sl_test_server_metric (f->servers[1],
          "sightline_cluster_redis_up"), ==, 0);

  /* Local service goes on.  (The other instance's device may leave
   * meanwhile: its instance has been silent for the idle timeout.) */
  c = join (f->servers[0], "expert-2", NULL);
  for (;;) {
    g_autoptr (SlMessage) msg = sl_test_client_expect (a, "presence");
    const SlMessage *device = sl_message_get_object (msg, "device");

    if (g_str_equal (sl_message_get_string (device, "id"), "expert-2")) {
      g_assert_cmpstr (sl_message_get_string (msg, "event"), ==, "join");
      break;
    }
    g_assert_cmpstr (sl_message_get_string (device, "id"), ==, "expert-1");
    g_assert_cmpstr (sl_message_get_string (msg, "event"), ==, "leave");
  }

  sl_test_redis_restart (f->redis);
  g_assert_true (sl_test_iterate_until (all_up, f, 5000));
  wait_remote (f->servers[0], 1);
  wait_remote (f->servers[1], 2);
  d = join (f->servers[1], "goggles-2", &roster);
  g_assert_true (sl_test_roster_has (roster, "goggles-1", NULL));
  g_assert_true (sl_test_roster_has (roster, "expert-2", NULL));
  g_assert_true (sl_test_roster_has (roster, "expert-1", NULL));
  g_clear_pointer (&health, g_free);
  health = sl_test_server_http_get (f->servers[0], "/healthz", &status);
  g_assert_cmpstr (health, ==, "ok\n");
}

/* The next presence event about @id that @client receives (status
 * changes of others are skipped). */
static SlMessage *
next_presence_about (SlTestClient * client, const char *id)
{
  for (;;) {
    g_autoptr (SlMessage) msg = sl_test_client_wait_for (client, "presence",
        (EXPIRY_S + 3) * 1000);

    g_assert_nonnull (msg);
    if (g_str_equal (sl_message_get_string (sl_message_get_object (msg,
                    "device"), "id"), id))
      return g_steal_pointer (&msg);
  }
}

typedef struct
{
  SlTestRedis *redis;
  const char *call_id;
} StoredCall;

/* Whether Redis holds the call's membership. */
static gboolean
call_stored (gpointer data)
{
  StoredCall *sc = data;
  g_autofree char *key = g_strconcat ("sightline:call:", sc->call_id, NULL);
  const char *args[] = { "EXISTS", key, NULL };
  g_autofree char *out = sl_test_redis_cli (sc->redis, args);

  return g_str_equal (g_strstrip (out), "1");
}

/* A call across instances set up before Redis dies goes on after it
 * returns: the instances lost sight of each other's devices meanwhile,
 * but the call's instance kept the call, so relayed records and the
 * hang-up reach the other side again. */
static void
test_redis_restart_call (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f->servers[0], "goggles-1", NULL);
  g_autoptr (SlTestClient) b = NULL;
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *blob = sl_test_new_blob (300);
  g_autoptr (SlMessage) m = NULL;
  StoredCall stored = { f->redis, call_id };

  wait_remote (f->servers[1], 1);
  b = join (f->servers[1], "expert-1", NULL);
  wait_remote (f->servers[0], 1);
  sl_test_send_invite (a, call_id, "expert-1", hs);
  sl_message_unref (sl_test_expect_call (b, "incoming", call_id));
  sl_test_send_call (b, "accept", call_id, "hs", hs);
  sl_message_unref (sl_test_expect_call (a, "accepted", call_id));

  sl_test_redis_stop (f->redis);
  g_assert_false (sl_test_iterate_until (all_up, f, 1000));
  g_assert_cmpint (sl_test_server_metric (f->servers[0],
          "sightline_cluster_redis_up"), ==, 0);
  /* Each instance's silence lasts past the expiry time: the other's
   * device leaves the roster. */
  while (TRUE) {
    g_autoptr (SlMessage) p = next_presence_about (a, "expert-1");

    if (g_str_equal (sl_message_get_string (p, "event"), "leave"))
      break;
  }

  sl_test_redis_restart (f->redis);
  g_assert_true (sl_test_iterate_until (all_up, f, 5000));
  wait_remote (f->servers[0], 1);
  wait_remote (f->servers[1], 1);
  /* Redis came back empty: the call's membership is written again. */
  g_assert_true (sl_test_iterate_until (call_stored, &stored, EXPIRY_S * 1000));
  sl_test_send_call (a, "relay", call_id, "blob", blob);
  m = sl_test_expect_call (b, "relay", call_id);
  g_assert_cmpstr (sl_message_get_string (m, "blob"), ==, blob);
  g_clear_pointer (&m, sl_message_unref);
  sl_test_send_call (b, "relay", call_id, "blob", blob);
  sl_message_unref (sl_test_expect_call (a, "relay", call_id));
  sl_test_send_call (b, "hangup", call_id, "reason", "normal");
  sl_message_unref (sl_test_expect_call (a, "hangup", call_id));
}

/* The instance holding a call (the caller's) is SIGKILLed: the caller
 * reconnects to the other instance, which takes the call over from Redis
 * on the first message of a participant (here the callee's, once the
 * dead instance is taken for dead): relayed records go both ways and the
 * hang-up reaches the callee.  A device that is not in the call cannot take it
 * over. */
static void
test_holder_killed (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f->servers[0], "goggles-1", NULL);
  g_autoptr (SlTestClient) b = NULL;
  g_autoptr (SlTestClient) c = NULL;
  g_autoptr (SlTestClient) a2 = NULL;
  g_autofree char *call_id = sl_test_new_call_id ();
  g_autofree char *hs = sl_test_new_blob (65);
  g_autofree char *blob = sl_test_new_blob (300);
  g_autoptr (SlMessage) m = NULL;

  wait_remote (f->servers[1], 1);
  b = join (f->servers[1], "expert-1", NULL);
  c = join (f->servers[1], "expert-2", NULL);
  wait_remote (f->servers[0], 2);
  sl_test_send_invite (a, call_id, "expert-1", hs);
  sl_message_unref (sl_test_expect_call (b, "incoming", call_id));
  sl_test_send_call (b, "accept", call_id, "hs", hs);
  sl_message_unref (sl_test_expect_call (a, "accepted", call_id));

  sl_test_server_send_signal (f->servers[0], SIGKILL);
  g_assert_true (sl_test_server_wait_exit (f->servers[0], 5000, NULL));
  g_clear_object (&f->servers[0]);
  a2 = join (f->servers[1], "goggles-1", NULL);

  sl_test_send_call (c, "hangup", call_id, "reason", "normal");
  sl_test_expect_error (c, "not-in-call", call_id, "hangup");
  /* Once the dead instance is taken for dead, the callee's instance no
   * longer forwards the callee's messages there: the callee's relay is
   * the first message, and makes its instance take the call over. */
  sl_test_sleep ((EXPIRY_S + 1) * 1000);
  sl_test_send_call (b, "relay", call_id, "blob", blob);
  m = sl_test_expect_call (a2, "relay", call_id);
  g_assert_cmpstr (sl_message_get_string (m, "blob"), ==, blob);
  g_clear_pointer (&m, sl_message_unref);
  sl_test_send_call (a2, "relay", call_id, "blob", blob);
  sl_message_unref (sl_test_expect_call (b, "relay", call_id));
  sl_test_send_call (a2, "hangup", call_id, "reason", "normal");
  sl_message_unref (sl_test_expect_call (b, "hangup", call_id));
}

/* SIGHUP with a new call policy: a device is told of the devices on
 * other instances it now sees, and that those it no longer sees left. */
static void
test_policy_reload_across (Fixture * f, gconstpointer data)
{
  const char *conf = f->config_arg + strlen ("--config=");
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestClient) g1 = NULL;
  g_autoptr (SlTestClient) g2 = NULL;
  g_autoptr (SlTestClient) e1 = NULL;
  g_autoptr (SlMessage) roster = NULL;
  g_autoptr (SlMessage) p = NULL;
  g_autoptr (GHashTable) events = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, g_free);
  guint i;

  g_assert_true (g_file_get_contents (conf, &text, NULL, &error));
  before = g_strconcat (text, "[policy]\ndefault=deny\npresence=callable\n"
      "role.goggles=expert\nrole.expert=goggles;expert\n", NULL);
  after = g_strconcat (text, "[policy]\ndefault=deny\npresence=callable\n"
      "role.goggles=goggles\nrole.expert=goggles;expert\n", NULL);
  g_assert_true (g_file_set_contents (conf, before, -1, &error));
  start_server (f, 0);
  start_server (f, 1);

  g2 = join (f->servers[1], "goggles-2", NULL);
  e1 = join (f->servers[1], "expert-1", NULL);
  wait_remote (f->servers[0], 2);
  g1 = join (f->servers[0], "goggles-1", &roster);
  g_assert_true (sl_test_roster_has (roster, "expert-1", NULL));
  g_assert_false (sl_test_roster_has (roster, "goggles-2", NULL));

  g_assert_true (g_file_set_contents (conf, after, -1, &error));
  sl_test_server_send_signal (f->servers[0], SIGHUP);
  /* Two events, in either order. */
  for (i = 0; i < 2; i++) {
    p = sl_test_client_wait_for (g1, "presence", SL_TEST_TIMEOUT_MS);
    g_assert_nonnull (p);
    g_hash_table_insert (events, g_strdup (sl_message_get_string
            (sl_message_get_object (p, "device"), "id")),
        g_strdup (sl_message_get_string (p, "event")));
    g_clear_pointer (&p, sl_message_unref);
  }
  g_assert_cmpstr (g_hash_table_lookup (events, "goggles-2"), ==, "join");
  g_assert_cmpstr (g_hash_table_lookup (events, "expert-1"), ==, "leave");
  g_assert_true (sl_test_client_quiet_for (g1, 300));
}

static gint64
refused (SlTestServer * server, const char *reason)
{
  g_autofree char *series =
      g_strdup_printf ("sightline_cluster_bus_refused_total{reason=\"%s\"}",
      reason);

  return sl_test_server_metric (server, series);
}

typedef struct
{
  SlTestServer *server;
  const char *reason;
  gint64 want;
} RefusedCount;

static gboolean
refused_is (gpointer data)
{
  RefusedCount *r = data;

  return refused (r->server, r->reason) == r->want;
}

static void
publish_on (Fixture * f, const char *channel, const char *payload)
{
  const char *args[] = { "PUBLISH", channel, payload, NULL };
  g_autofree char *out = sl_test_redis_cli (f->redis, args);

  /* Received by at least the instance under test. */
  g_assert_cmpint (g_ascii_strtoll (out, NULL, 10), >=, 1);
}

static void
publish (Fixture * f, const char *payload)
{
  publish_on (f, "sightline:bus", payload);
}

#define FOREIGN_JOIN(v, seq) "{\"type\":\"join\",\"v\":" v ",\"instance\":" \
  "\"foreign\",\"seq\":" seq ",\"device\":{\"id\":\"expert-9\",\"name\":" \
  "\"Nine\",\"role\":\"expert\",\"status\":\"available\"},\"session\":1," \
  "\"since\":1,\"version\":1,\"user_busy\":false,\"serial\":\"01\"}"

/* What arrives on the bus is checked like device input: garbage, a
 * foreign version, a member too many and a replayed sequence number are
 * refused and counted, never applied. */
static void
test_bad_bus_input (Fixture * f, gconstpointer data)
{
  g_autoptr (SlTestClient) a = join (f->servers[0], "goggles-1", NULL);
  SlTestServer *s = f->servers[0];
  RefusedCount r = { s, "malformed", 4 };

  publish (f, "not json at all");
  publish (f, FOREIGN_JOIN ("2", "1"));
  publish (f, "{\"type\":\"join\",\"v\":1,\"instance\":\"x\",\"seq\":1}");
  publish (f, "{\"type\":\"alive\",\"v\":1,\"instance\":\"x\",\"seq\":1,"
      "\"devices\":0,\"generation\":1,\"admin\":true}");
  g_assert_true (sl_test_iterate_until (refused_is, &r, 5000));
  g_assert_true (sl_test_client_quiet_for (a, 300));

  /* On the instance's own channel: a carried device message is checked
   * with the signalling tables before it reaches a device, and a message
   * for another instance is refused. */
  {
    g_autofree char *log = sl_test_server_read_log (s);
    const char *at = strstr (log, "cluster: instance ");
    g_autofree char *id = NULL;
    g_autofree char *channel = NULL;
    g_autofree char *bad_carried = NULL;
    g_autofree char *misrouted = NULL;

    g_assert_nonnull (at);
    id = g_strndup (at + strlen ("cluster: instance "), 36);
    channel = g_strconcat ("sightline:to:", id, NULL);
    bad_carried = g_strdup_printf ("{\"type\":\"deliver\",\"v\":1,"
        "\"instance\":\"x\",\"seq\":2,\"to\":\"%s\",\"id\":\"goggles-1\","
        "\"session\":1,\"message\":\"{\\\"type\\\":\\\"welcome\\\"}\"}", id);
    misrouted = g_strdup_printf ("{\"type\":\"in-call\",\"v\":1,"
        "\"instance\":\"x\",\"seq\":3,\"to\":\"elsewhere\",\"id\":"
        "\"goggles-1\",\"session\":1,\"in_call\":true}");
    publish_on (f, channel, bad_carried);
    r.want = 5;
    g_assert_true (sl_test_iterate_until (refused_is, &r, 5000));
    publish_on (f, channel, misrouted);
    r.reason = "misrouted";
    r.want = 1;
    g_assert_true (sl_test_iterate_until (refused_is, &r, 5000));
    g_assert_true (sl_test_client_quiet_for (a, 300));
  }

  /* A well-formed message is applied once; the same sequence number
   * again is a replay. */
  publish (f, FOREIGN_JOIN ("1", "7"));
  expect_presence (a, "join", "expert-9", NULL);
  publish (f, FOREIGN_JOIN ("1", "7"));
  r.reason = "replay";
  r.want = 1;
  g_assert_true (sl_test_iterate_until (refused_is, &r, 5000));
  /* The forged instance never says it is alive: no ghost either. */
  {
    g_autoptr (SlMessage) msg = sl_test_client_wait_for (a, "presence",
        (EXPIRY_S + 2) * 1000);

    g_assert_nonnull (msg);
    g_assert_cmpstr (sl_message_get_string (msg, "event"), ==, "leave");
  }
  g_assert_true (sl_test_server_check_exit (f->servers[1]));
  g_clear_object (&f->servers[1]);
}

/* Without a [cluster] group nothing of the cluster shows. */
static void
test_single_unchanged (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlTestServer) s = sl_test_server_start (pki, NULL, &error);
  g_autofree char *metrics = NULL;
  g_autofree char *health = NULL;
  guint status = 0;

  g_assert_no_error (error);
  metrics = sl_test_server_http_get (s, "/metrics", &status);
  g_assert_null (strstr (metrics, "sightline_cluster"));
  health = sl_test_server_http_get (s, "/healthz", &status);
  g_assert_cmpstr (health, ==, "ok\n");
  g_assert_true (sl_test_server_check_exit (s));
}

/* rediss:// is refused at start with what to do instead. */
static void
test_rediss_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = sl_test_pki_path (pki, "rediss.conf");
  g_autofree char *arg = g_strconcat ("--config=", conf, NULL);
  const char *args[] = { arg, NULL };
  g_autoptr (SlTestServer) s = NULL;

  g_assert_true (g_file_set_contents (conf,
          "[cluster]\nredis=rediss://127.0.0.1:6380\n", -1, &error));
  s = sl_test_server_start (pki, args, &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "stunnel"));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  pki = sl_test_pki_new (&error);
  g_assert_no_error (error);
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-1", "Goggles One",
          "goggles", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-2", "Goggles Two",
          "goggles", NULL, &error));
  /* Revoked by one test: no other test uses it. */
  g_assert_true (sl_test_pki_issue_device (pki, "goggles-9", "Goggles Nine",
          "goggles", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expert-1", "Expert One",
          "expert", NULL, &error));
  g_assert_true (sl_test_pki_issue_device (pki, "expert-2", "Expert Two",
          "expert", NULL, &error));
  g_assert_no_error (error);

#define ADD(path, n, fn) g_test_add (path, Fixture, GUINT_TO_POINTER (n), \
    setup, fn, teardown)
  ADD ("/cluster/roster/two", 2, test_one_roster);
  ADD ("/cluster/roster/three", 3, test_one_roster);
  ADD ("/cluster/newest-wins", 2, test_newest_wins);
  ADD ("/cluster/call-across", 2, test_call_across);
  ADD ("/cluster/revoked-elsewhere", 1, test_revoked_elsewhere);
  ADD ("/cluster/group-across", 3, test_group_across);
  ADD ("/cluster/policy-across", 0, test_policy_across);
  ADD ("/cluster/killed-instance", 2, test_killed_instance);
  ADD ("/cluster/redis-restart", 2, test_redis_restart);
  ADD ("/cluster/redis-restart-call", 2, test_redis_restart_call);
  ADD ("/cluster/holder-killed", 2, test_holder_killed);
  ADD ("/cluster/policy-reload-across", 0, test_policy_reload_across);
  ADD ("/cluster/bad-bus-input", 2, test_bad_bus_input);
#undef ADD
  g_test_add_func ("/cluster/single-unchanged", test_single_unchanged);
  g_test_add_func ("/cluster/rediss-refused", test_rediss_refused);

  ret = g_test_run ();
  g_clear_object (&pki);
  return ret;
}
