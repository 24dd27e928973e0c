/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Twenty verified calls in one process through the real server, caller
 * and callee engines side by side, every key wiped after each call.  Run
 * under AddressSanitizer/LeakSanitizer (build with -Db_sanitize=address)
 * this is the leak test of the engine; without it, a soak test.
 */

#include "config.h"

#include <string.h>

#include <gst/gst.h>

#include "call-harness.h"
#include "sightline/sightline.h"
#include "sl-crypto.h"

#define CYCLES 20
#define WAIT_SECONDS 60

typedef struct
{
  CallWorld *world;
  SlMediaOptions *opts;
  SlSignalClient *a;
  SlSignalClient *b;
  SlPhone *pa;
  SlPhone *pb;
  SlCall *caller;
  SlCall *callee;
  int ended;
  int first_frames;
  gint session_wipes;
} Fixture;

static void
on_wipe (const char *label, const guint8 * mem, gsize len, gpointer data)
{
  Fixture *f = data;
  gsize i;

  if (!g_str_equal (label, "send iv"))
    return;
  for (i = 0; i < len; i++)
    g_assert_cmpuint (mem[i], ==, 0);
  g_atomic_int_inc (&f->session_wipes);
}

static void
on_ended (SlCall * call, GError * error, Fixture * f)
{
  g_assert_no_error (error);
  f->ended++;
}

static void
on_first_frame (SlCall * call, gint64 when, Fixture * f)
{
  f->first_frames++;
}

/* Both phones' calls, as they are made: the phone routes and applies
 * the busy rule. */
static void
on_call_added (SlPhone * phone, SlCall * call, Fixture * f)
{
  g_signal_connect (call, "ended", G_CALLBACK (on_ended), f);
  g_signal_connect (call, "first-frame", G_CALLBACK (on_first_frame), f);
  if (phone == f->pb) {
    g_assert_null (f->callee);
    f->callee = g_object_ref (call);
  }
}

static void
on_incoming_call (SlPhone * phone, SlCall * call, Fixture * f)
{
  sl_call_accept (call);
}

static SlSignalClient *
connect_device (Fixture * f, const char *device)
{
  g_autofree char *cert = call_world_device_arg (f->world, device, "cert");
  g_autofree char *key = call_world_device_arg (f->world, device, "key");
  g_autofree char *ca = call_world_device_arg (f->world, device, "ca");
  g_autoptr (GError) error = NULL;
  SlSignalClient *s = sl_signal_client_new (f->world->url, cert, key, ca,
      &error);
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint ticker = call_harness_ticker ();

  g_assert_no_error (error);
  sl_signal_client_start (s);
  while (!sl_signal_client_is_connected (s)
      && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  g_assert_true (sl_signal_client_is_connected (s));
  return s;
}

static void
test_cycles (void)
{
  Fixture f = { 0, };
  char *addresses[] = { (char *) "127.0.0.1", NULL };
  guint ticker;
  int i;

  call_harness_known_critical_not_fatal ();
  f.world = call_world_new (10000);
  f.opts = sl_media_options_new ();
  f.opts->video_source = g_strdup ("test");
  f.opts->audio_source = g_strdup ("test");
  f.opts->width = 320;
  f.opts->height = 240;
  f.opts->video_kbps = 300;
  f.opts->ice_addresses = g_strdupv (addresses);
  sl_crypto_set_wipe_observer (on_wipe, &f);
  g_assert_true (sl_media_prepare_dtls (NULL));
  f.a = connect_device (&f, "goggles");
  f.b = connect_device (&f, "expert");
  f.pa = sl_phone_new (f.a, f.opts);
  f.pb = sl_phone_new (f.b, f.opts);
  sl_phone_set_accept_incoming (f.pa, FALSE);
  sl_phone_set_code (f.pb, "2718");
  g_signal_connect (f.pa, "call-added", G_CALLBACK (on_call_added), &f);
  g_signal_connect (f.pb, "call-added", G_CALLBACK (on_call_added), &f);
  g_signal_connect (f.pb, "incoming-call", G_CALLBACK (on_incoming_call), &f);
  ticker = call_harness_ticker ();

  for (i = 0; i < CYCLES; i++) {
    gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
    g_autoptr (GError) error = NULL;

    f.ended = f.first_frames = 0;
    f.caller = sl_phone_call (f.pa, "expert", "2718", &error);
    g_assert_no_error (error);
    while (f.first_frames < 2 && f.ended == 0
        && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (f.first_frames, ==, 2);
    g_assert_true (sl_call_was_verified (f.caller));
    g_assert_true (sl_call_was_verified (f.callee));
    g_assert_cmpstr (sl_call_get_sas (f.caller), ==,
        sl_call_get_sas (f.callee));

    /* Alternate who hangs up. */
    sl_call_hangup (i % 2 ? f.callee : f.caller);
    while (f.ended < 2 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (f.ended, ==, 2);
    g_clear_object (&f.caller);
    g_clear_object (&f.callee);
    g_test_message ("call %d done", i + 1);
  }
  g_source_remove (ticker);
  /* Each call wiped both sessions. */
  g_assert_cmpint (g_atomic_int_get (&f.session_wipes), >=, 2 * CYCLES);

  sl_crypto_set_wipe_observer (NULL, NULL);
  g_clear_object (&f.pa);
  g_clear_object (&f.pb);
  sl_signal_client_stop (f.a);
  sl_signal_client_stop (f.b);
  g_clear_object (&f.a);
  g_clear_object (&f.b);
  sl_media_options_free (f.opts);
  call_world_free (f.world);
}

int
main (int argc, char **argv)
{
  int ret;

  sl_crypto_init_process ();
  gst_init (&argc, &argv);
  sl_dtls_guard_install ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call/cycles", test_cycles);
  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
