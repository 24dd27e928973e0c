/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What the call's security looks like to users, with the real server and
 * real `sightline` processes on 127.0.0.1: secured calls never say
 * verified; the code, a SAS both users confirmed and key continuity
 * verify; a SAS reported wrong, a tampered binding MAC and a hostile relay
 * on the handshake fail the call (exit 6) on both devices; a relay that
 * swaps keys and terminates DTLS on both sides leaves two secured calls
 * with different SAS, and warns when a device remembers the other.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "call-harness.h"

#define EXIT_OK 0
#define EXIT_SECURITY 6

typedef struct
{
  CallWorld *world;
  CallClient *goggles;
  CallClient *expert;
  CallClient *m1;
  CallClient *m2;
  GSubprocess *server2;
} Fixture;

static void
set_up (Fixture * f, gconstpointer data)
{
  f->world = call_world_new (10000);
}

static void
tear_down (Fixture * f, gconstpointer data)
{
  call_client_free (f->goggles);
  call_client_free (f->expert);
  call_client_free (f->m1);
  call_client_free (f->m2);
  if (f->server2) {
    g_subprocess_send_signal (f->server2, SIGTERM);
    g_subprocess_wait (f->server2, NULL, NULL);
    g_clear_object (&f->server2);
  }
  call_world_free (f->world);
}

static void
free_clients (Fixture * f)
{
  g_clear_pointer (&f->goggles, call_client_free);
  g_clear_pointer (&f->expert, call_client_free);
  g_clear_pointer (&f->m1, call_client_free);
  g_clear_pointer (&f->m2, call_client_free);
}

static const char *
member (JsonObject * o, const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_string_member (o, name);
}

/* Nothing on the screen says verified: no "verified:" line, no "state:
 * verified". */
static void
assert_never_verified (CallClient * c)
{
  g_assert_null (call_client_find_line (c, "verified"));
  g_assert_null (call_client_find_line (c, "state: verified"));
}

/* Exit status, security, authentication, keys-changed flag. */
static void
assert_outcome (CallClient * c, int status, const char *security,
    const char *authenticated, gboolean keys_changed)
{
  g_autoptr (JsonObject) s = call_client_stats (c);

  g_assert_cmpint (json_object_get_int_member (s, "exit_status"), ==, status);
  g_assert_cmpstr (member (s, "security"), ==, security);
  g_assert_cmpstr (member (s, "authenticated"), ==, authenticated);
  g_assert_cmpint (json_object_get_boolean_member (s, "verified"), ==,
      g_str_equal (security, "verified"));
  g_assert_cmpint (json_object_get_boolean_member (s, "keys_changed"), ==,
      keys_changed);
  if (keys_changed)
    g_assert_nonnull (call_client_find_line (c, "warning: keys changed: "));
  else
    g_assert_null (call_client_find_line (c, "warning: keys changed"));
  if (g_str_equal (security, "verified"))
    g_assert_nonnull (call_client_find_line (c, "state: verified"));
  else
    assert_never_verified (c);
}

/* One call between the two devices: the expert waits and answers, the
 * goggles call it; @extra_* are more options for each.  Returns when the
 * goggles printed @until (or right away for NULL); the caller then does
 * what the users would and waits for the exits. */
static void
start_call (Fixture * f, const char *const *extra_expert,
    const char *const *extra_goggles, const char *until)
{
  g_autoptr (GPtrArray) e = g_ptr_array_new ();
  g_autoptr (GPtrArray) g = g_ptr_array_new ();
  const char *const *p;

  for (p = extra_expert; p && *p; p++)
    g_ptr_array_add (e, (gpointer) * p);
  g_ptr_array_add (e, (gpointer) "--auto-answer");
  g_ptr_array_add (e, (gpointer) "--once");
  g_ptr_array_add (e, (gpointer) "wait");
  g_ptr_array_add (e, NULL);
  for (p = extra_goggles; p && *p; p++)
    g_ptr_array_add (g, (gpointer) * p);
  g_ptr_array_add (g, (gpointer) "call");
  g_ptr_array_add (g, (gpointer) "expert");
  g_ptr_array_add (g, NULL);

  f->expert = call_client_spawn (f->world, "expert", NULL,
      (const char *const *) e->pdata);
  g_assert_true (call_client_wait_line (f->expert, "server: connected", 60));
  f->goggles = call_client_spawn (f->world, "goggles", NULL,
      (const char *const *) g->pdata);
  if (until)
    g_assert_true (call_client_wait_line (f->goggles, until, 60));
}

static void
hang_up (Fixture * f)
{
  call_client_write (f->goggles, "/hangup");
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
}

/* Without a code and without a SAS comparison a call is secured, and
 * nothing says verified: not the lines, not the statistics. */
static void
test_secured (Fixture * f, gconstpointer data)
{
  const char *dur[] = { "--duration", "1", NULL };

  start_call (f, NULL, dur, NULL);
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (f->goggles, "state: secured"));
  g_assert_nonnull (call_client_find_line (f->expert, "secured: "));
  g_assert_cmpstr (call_client_find_line (f->goggles, "sas: "), ==,
      call_client_find_line (f->expert, "sas: "));
  assert_outcome (f->goggles, EXIT_OK, "secured", "none", FALSE);
  assert_outcome (f->expert, EXIT_OK, "secured", "none", FALSE);
}

/* Both users confirm the SAS (the expert through --confirm-sas, the
 * wearer with /sas-ok): "sas".  The next call needs nothing: "continuity".
 * After the goggles forget the expert: "none" again, and the expert, who
 * still remembers, is warned. */
static void
test_sas_then_continuity (Fixture * f, gconstpointer data)
{
  const char *confirm[] = { "--confirm-sas", NULL };
  const char *dur[] = { "--duration", "1", NULL };

  start_call (f, confirm, NULL, "secured: ");
  g_assert_true (call_client_wait_line (f->expert, "sas-question: Does the "
          "other screen show ", 60));
  call_client_write (f->expert, "y");
  g_assert_true (call_client_wait_line (f->goggles, "sas: the other side "
          "confirmed the SAS", 60));
  /* One side's confirmation is not enough. */
  g_assert_null (call_client_find_line (f->goggles, "state: verified"));
  g_assert_null (call_client_find_line (f->expert, "state: verified"));
  call_client_write (f->goggles, "/sas-ok");
  g_assert_true (call_client_wait_line (f->goggles, "verified: sas", 60));
  g_assert_true (call_client_wait_line (f->expert, "verified: sas", 60));
  g_assert_true (call_client_wait_line (f->goggles, "continuity: kept the "
          "key", 60));
  g_assert_true (call_client_wait_line (f->expert, "continuity: kept the "
          "key", 60));
  hang_up (f);
  assert_outcome (f->goggles, EXIT_OK, "verified", "sas", FALSE);
  assert_outcome (f->expert, EXIT_OK, "verified", "sas", FALSE);
  free_clients (f);

  start_call (f, NULL, dur, NULL);
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  assert_outcome (f->goggles, EXIT_OK, "verified", "continuity", FALSE);
  assert_outcome (f->expert, EXIT_OK, "verified", "continuity", FALSE);
  free_clients (f);

  {
    const char *args[] = { "forget", "expert", NULL };
    CallClient *c = call_client_spawn (f->world, "goggles", NULL, args);

    g_assert_cmpint (call_client_wait_exit (c, 30), ==, EXIT_OK);
    g_assert_nonnull (call_client_find_line (c, "forget: expert forgotten"));
    call_client_free (c);
  }
  start_call (f, NULL, dur, NULL);
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  assert_outcome (f->goggles, EXIT_OK, "secured", "none", FALSE);
  assert_outcome (f->expert, EXIT_OK, "secured", "none", TRUE);
}

/* Replaces every retained secret in @device's store with another one. */
static void
tamper_store (Fixture * f, const char *device)
{
  g_autofree char *name = g_strdup_printf ("%s.store", device);
  g_autofree char *path = g_build_filename (f->world->dir, "data",
      "sightline", "continuity", name, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  guint i, j;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i] && *lines[i]; i++) {
    g_auto (GStrv) f5 = g_strsplit (lines[i], " ", -1);

    if (i > 0) {
      g_assert_cmpuint (g_strv_length (f5), ==, 5);
      for (j = 2; j <= 3; j++)
        if (!g_str_equal (f5[j], "-"))
          f5[j][0] = f5[j][0] == 'a' ? 'b' : 'a';
    }
    {
      g_autofree char *joined = g_strjoinv (" ", f5);

      g_string_append_printf (out, "%s\n", joined);
    }
  }
  g_assert_true (g_file_set_contents (path, out->str, -1, NULL));
}

/* A device whose store holds a different secret for the peer: both are
 * warned, and the call is secured, never verified. */
static void
test_keys_changed (Fixture * f, gconstpointer data)
{
  const char *code[] = { "--code", "2718", "--duration", "1", NULL };
  const char *code_e[] = { "--code", "2718", NULL };
  const char *dur[] = { "--duration", "1", NULL };

  start_call (f, code_e, code, NULL);
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  assert_outcome (f->goggles, EXIT_OK, "verified", "code", FALSE);
  free_clients (f);

  tamper_store (f, "goggles");
  start_call (f, NULL, dur, NULL);
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  assert_outcome (f->goggles, EXIT_OK, "secured", "none", TRUE);
  assert_outcome (f->expert, EXIT_OK, "secured", "none", TRUE);
}

/* One user says the SAS differ: both devices end the call as an
 * interception, and the other is told why. */
static void
test_sas_wrong (Fixture * f, gconstpointer data)
{
  start_call (f, NULL, NULL, "secured: ");
  call_client_write (f->goggles, "/sas-wrong");
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_SECURITY);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_SECURITY);
  g_assert_nonnull (call_client_find_line (f->goggles, "ended: You reported "
          "that the SAS do not match"));
  g_assert_nonnull (call_client_find_line (f->expert, "ended: The other user "
          "reported that the SAS do not match"));
  g_assert_nonnull (call_client_find_line (f->expert, "state: failed"));
  assert_outcome (f->goggles, EXIT_SECURITY, "failed", "none", FALSE);
  assert_outcome (f->expert, EXIT_SECURITY, "failed", "none", FALSE);
}

/* Issue 13 item 3: the peer's binding MAC damaged (as if its DTLS session
 * belonged to another handshake): exit 6 on both devices, and not one
 * frame or audio buffer played. */
static void
test_binding_mac (Fixture * f, gconstpointer data)
{
  const char *env[] = { "SL_TEST_CORRUPT_BINDING_MAC=1", NULL };
  const char *e_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *g_args[] = { "call", "expert", NULL };
  CallClient *both[2];
  guint i;

  f->expert = call_client_spawn (f->world, "expert", env, e_args);
  g_assert_true (call_client_wait_line (f->expert, "server: connected", 60));
  f->goggles = call_client_spawn (f->world, "goggles", NULL, g_args);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_SECURITY);
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_SECURITY);
  g_assert_nonnull (call_client_find_line (f->expert, "ended: The media "
          "connection is not bound to this call's keys"));
  both[0] = f->goggles;
  both[1] = f->expert;
  for (i = 0; i < 2; i++) {
    g_autoptr (JsonObject) s = call_client_stats (both[i]);

    g_assert_null (call_client_find_line (both[i], "first-frame: "));
    g_assert_cmpint (json_object_get_int_member (s, "video_frames_rendered"),
        ==, 0);
    g_assert_cmpint (json_object_get_int_member (s, "audio_buffers_rendered"),
        ==, 0);
    g_assert_cmpstr (member (s, "security"), ==, "failed");
  }
}

/* A relay that tampers with the Commit, drops the Confirm or delivers it
 * after a sealed record: a security failure (exit 6) on both devices,
 * never "rejected" or "media failure". */
static void
test_hostile_handshake (Fixture * f, gconstpointer data)
{
  const struct
  {
    const char *fault;
    gboolean on_caller;
  } cases[] = {
    {"SL_TEST_RELAY_FAULT=tamper-commit", TRUE},
    {"SL_TEST_RELAY_FAULT=drop-confirm", FALSE},
    {"SL_TEST_RELAY_FAULT=reorder-confirm", FALSE},
  };
  const char *e_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *g_args[] = { "call", "expert", NULL };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    const char *env[] = { cases[i].fault, NULL };

    g_test_message ("%s", cases[i].fault);
    f->expert = call_client_spawn (f->world, "expert",
        cases[i].on_caller ? NULL : env, e_args);
    g_assert_true (call_client_wait_line (f->expert, "server: connected", 60));
    f->goggles = call_client_spawn (f->world, "goggles",
        cases[i].on_caller ? env : NULL, g_args);
    g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_SECURITY);
    g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_SECURITY);
    g_assert_nonnull (call_client_find_line (f->goggles, "state: failed"));
    g_assert_nonnull (call_client_find_line (f->expert, "state: failed"));
    free_clients (f);
  }
}

/* The nearest a test can build to a server that swaps keys and relays
 * media: it routes each device to an impostor holding the other device's
 * certificate (a stolen one, or the server's own endpoint), and each
 * impostor runs a real call with real DTLS.  The goggles and m1 (as
 * "expert") meet on the first server; m2 (as "goggles") and the expert on
 * a second.  Both devices end up in secured calls with different SAS,
 * never verified; if they remember each other from a verified call, both
 * are warned that the keys changed. */
static void
run_relayed_call (Fixture * f, const char *url2, gboolean remembered)
{
  g_autofree char *server2 = g_strdup_printf ("--server=%s", url2);
  g_autofree char *m1_data = g_strdup_printf ("XDG_DATA_HOME=%s/m1",
      f->world->dir);
  g_autofree char *m2_data = g_strdup_printf ("XDG_DATA_HOME=%s/m2",
      f->world->dir);
  const char *m1_env[] = { m1_data, NULL };
  const char *m2_env[] = { m2_data, NULL };
  const char *m1_args[] = { "--auto-answer", "--once", "wait", NULL };
  const char *m2_args[] = { server2, "--duration", "2", "call", "expert",
    NULL
  };
  const char *e_args[] = { server2, "--auto-answer", "--once", "wait", NULL };
  const char *g_args[] = { "--duration", "2", "call", "expert", NULL };
  const char *sas_g, *sas_e;

  f->m1 = call_client_spawn (f->world, "expert", m1_env, m1_args);
  f->expert = call_client_spawn (f->world, "expert", NULL, e_args);
  g_assert_true (call_client_wait_line (f->m1, "server: connected", 60));
  g_assert_true (call_client_wait_line (f->expert, "server: connected", 60));
  f->goggles = call_client_spawn (f->world, "goggles", NULL, g_args);
  f->m2 = call_client_spawn (f->world, "goggles", m2_env, m2_args);
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->m1, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->m2, 60), ==, EXIT_OK);

  sas_g = call_client_find_line (f->goggles, "sas: ");
  sas_e = call_client_find_line (f->expert, "sas: ");
  g_assert_nonnull (sas_g);
  g_assert_nonnull (sas_e);
  g_assert_cmpstr (sas_g, !=, sas_e);
  /* Each device and its impostor agree: the key swap is real. */
  g_assert_cmpstr (sas_g, ==, call_client_find_line (f->m1, "sas: "));
  g_assert_cmpstr (sas_e, ==, call_client_find_line (f->m2, "sas: "));
  assert_outcome (f->goggles, EXIT_OK, "secured", "none", remembered);
  assert_outcome (f->expert, EXIT_OK, "secured", "none", remembered);
  free_clients (f);
}

static void
test_hostile_relay (Fixture * f, gconstpointer data)
{
  g_autofree char *url2 = call_world_start_extra_server (f->world,
      &f->server2);
  const char *code[] = { "--code", "1618", "--duration", "1", NULL };
  const char *code_e[] = { "--code", "1618", NULL };

  run_relayed_call (f, url2, FALSE);

  /* A verified call between the real devices, then the relay again. */
  start_call (f, code_e, code, NULL);
  g_assert_cmpint (call_client_wait_exit (f->goggles, 60), ==, EXIT_OK);
  g_assert_cmpint (call_client_wait_exit (f->expert, 60), ==, EXIT_OK);
  assert_outcome (f->goggles, EXIT_OK, "verified", "code", FALSE);
  free_clients (f);
  run_relayed_call (f, url2, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, set_up, func, tear_down)
  ADD ("/security/secured", test_secured);
  ADD ("/security/sas-then-continuity", test_sas_then_continuity);
  ADD ("/security/keys-changed", test_keys_changed);
  ADD ("/security/sas-wrong", test_sas_wrong);
  ADD ("/security/binding-mac", test_binding_mac);
  ADD ("/security/hostile-handshake", test_hostile_handshake);
  ADD ("/security/hostile-relay", test_hostile_relay);
#undef ADD

  return g_test_run ();
}
