/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sightlinebin's state changes in one process, through the real server:
 * two pipelines, one element calling the other, NULL -> PLAYING -> NULL
 * several times.  Each round the call is secured and frames come out of
 * both remote_video pads; going to NULL hangs up, waits for the call's
 * end and wipes its keys.  Rounds without a partner go from NULL to
 * PLAYING (connected) and back.  This thread runs no main loop: the
 * elements run their engines on their own threads.  Run under
 * AddressSanitizer/LeakSanitizer (scripts/check's ASan list) this is the
 * element's leak test.
 */

#include "config.h"

#include <string.h>

#include <gst/gst.h>

#include "call-harness.h"
#include "gstsightlinebin.h"
#include "sightline/sightline.h"
#include "sl-crypto.h"
#include "sl-dtls-tuning.h"

#define CALL_ROUNDS 3
#define IDLE_ROUNDS 3
#define WAIT_SECONDS 60
#define MIN_FRAMES 10

typedef struct
{
  GstElement *pipeline;
  GstElement *bin;
  gint frames;
} Side;

static gint session_wipes;

static void
on_wipe (const char *label, const guint8 * mem, gsize len, gpointer data)
{
  gsize i;

  if (!g_str_equal (label, "send iv"))
    return;
  for (i = 0; i < len; i++)
    g_assert_cmpuint (mem[i], ==, 0);
  g_atomic_int_inc (&session_wipes);
}

static GstPadProbeReturn
count_frame (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Side *side = data;

  g_atomic_int_inc (&side->frames);
  return GST_PAD_PROBE_OK;
}

/* The element's threads: a sometimes pad appears. */
static void
on_pad_added (GstElement * bin, GstPad * pad, Side * side)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr (GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (side->pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
  if (g_str_equal (GST_PAD_NAME (pad), "remote_video"))
    gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, count_frame,
        side, NULL);
}

static void
side_init (Side * side, CallWorld * w, const char *device, const char *peer)
{
  g_autofree char *cert = g_strdup_printf ("%s/devices/%s.crt", w->dir,
      device);
  g_autofree char *key = g_strdup_printf ("%s/devices/%s.key", w->dir, device);
  g_autofree char *ca = g_strdup_printf ("%s/ca.crt", w->dir);
  g_autoptr (GError) error = NULL;

  side->pipeline = gst_parse_launch ("videotestsrc is-live=true ! "
      "video/x-raw,width=160,height=120 ! sightlinebin name=c", &error);
  g_assert_no_error (error);
  side->bin = gst_bin_get_by_name (GST_BIN (side->pipeline), "c");
  g_object_set (side->bin, "server", w->url, "cert", cert, "key", key,
      "ca", ca, "ice-address", "127.0.0.1", "width", 160, "height", 120,
      "bitrate", 200, "remember-keys", FALSE, "code", "2718", NULL);
  if (peer)
    g_object_set (side->bin, "peer", peer, NULL);
  else
    g_object_set (side->bin, "auto-answer", TRUE, NULL);
  g_signal_connect (side->bin, "pad-added", G_CALLBACK (on_pad_added), side);
}

static void
side_clear (Side * side)
{
  gst_object_unref (side->bin);
  gst_object_unref (side->pipeline);
}

/* Pops @side's bus until an element message @name with string field
 * @field = @value; fails on an error message. */
static void
wait_message (Side * side, const char *name, const char *field,
    const char *value)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (side->pipeline);
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    g_autoptr (GstMessage) msg = gst_bus_timed_pop_filtered (bus,
        100 * GST_MSECOND, GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR);
    const GstStructure *s;

    if (msg == NULL)
      continue;
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      g_autoptr (GError) error = NULL;

      gst_message_parse_error (msg, &error, NULL);
      g_error ("%s: %s", GST_OBJECT_NAME (side->bin), error->message);
    }
    s = gst_message_get_structure (msg);
    if (gst_structure_has_name (s, name)
        && g_strcmp0 (gst_structure_get_string (s, field), value) == 0)
      return;
  }
  g_error ("no %s with %s=%s within %d s", name, field, value, WAIT_SECONDS);
}

/* No error on @side's bus so far (the engine reports a call that would
 * not end when the element stopped). */
static void
assert_no_error (Side * side)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (side->pipeline);
  g_autoptr (GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (msg) {
    g_autoptr (GError) error = NULL;

    gst_message_parse_error (msg, &error, NULL);
    g_error ("%s: %s", GST_OBJECT_NAME (side->bin), error->message);
  }
}

static void
wait_frames (Side * side)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_atomic_int_get (&side->frames) < MIN_FRAMES
      && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  g_assert_cmpint (g_atomic_int_get (&side->frames), >=, MIN_FRAMES);
}

static void
set_state (Side * side, GstState state)
{
  GstStateChangeReturn ret = gst_element_set_state (side->pipeline, state);

  g_assert_cmpint (ret, !=, GST_STATE_CHANGE_FAILURE);
}

static void
test_state_cycles (void)
{
  CallWorld *w;
  Side caller = { 0, }, callee = { 0, };
  g_autofree char *state = NULL;
  int i;

  call_harness_known_critical_not_fatal ();
  w = call_world_new (10000);
  sl_crypto_set_wipe_observer (on_wipe, NULL);
  side_init (&callee, w, "expert", NULL);
  side_init (&caller, w, "goggles", "expert");

  for (i = 0; i < IDLE_ROUNDS; i++) {
    set_state (&callee, GST_STATE_PLAYING);
    wait_message (&callee, "sightline-connected", "device", "expert");
    set_state (&callee, GST_STATE_NULL);
  }

  for (i = 0; i < CALL_ROUNDS; i++) {
    gint wipes = g_atomic_int_get (&session_wipes);

    g_atomic_int_set (&caller.frames, 0);
    g_atomic_int_set (&callee.frames, 0);
    set_state (&callee, GST_STATE_PLAYING);
    wait_message (&callee, "sightline-connected", "device", "expert");
    set_state (&caller, GST_STATE_PLAYING);
    wait_message (&caller, "sightline-auth", "security", "verified");
    wait_message (&callee, "sightline-auth", "security", "verified");
    wait_frames (&caller);
    wait_frames (&callee);
    g_object_get (caller.bin, "call-state", &state, NULL);
    g_assert_cmpstr (state, ==, "verified");
    g_clear_pointer (&state, g_free);

    /* Alternate which side leaves first: NULL waits for the call's end,
     * so the keys are gone when it returns. */
    set_state (i % 2 ? &callee : &caller, GST_STATE_READY);
    g_assert_cmpint (g_atomic_int_get (&session_wipes), >=, wipes + 1);
    /* The call ended before READY was reached (on its own context's
     * timers, not on a main loop this thread would have to run). */
    wait_message (i % 2 ? &callee : &caller, "sightline-call-state", "state",
        "ended");
    assert_no_error (i % 2 ? &callee : &caller);
    set_state (i % 2 ? &callee : &caller, GST_STATE_NULL);
    /* The other side heard the hang-up: a normal end, no error. */
    wait_message (i % 2 ? &caller : &callee, "sightline-call-state", "state",
        "ended");
    set_state (i % 2 ? &caller : &callee, GST_STATE_NULL);
    g_assert_cmpint (g_atomic_int_get (&session_wipes), >=, wipes + 2);
    g_object_get (caller.bin, "call-state", &state, NULL);
    g_assert_cmpstr (state, ==, "ended");
    g_clear_pointer (&state, g_free);
    g_test_message ("round %d done", i + 1);
  }

  sl_crypto_set_wipe_observer (NULL, NULL);
  side_clear (&caller);
  side_clear (&callee);
  call_world_free (w);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  sl_crypto_init_process ();
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  /* As the plugin's plugin_init does. */
  if (!sl_dtls_tuning_install (&error))
    g_error ("%s", error->message);
  sl_dtls_guard_install ();
  g_assert_true (GST_ELEMENT_REGISTER (sightlinebin, NULL));
  g_test_add_func ("/element/state-cycles", test_state_cycles);
  return g_test_run ();
}
