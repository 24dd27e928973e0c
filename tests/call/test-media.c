/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Two media sessions in one process, SDP and candidates handed over
 * directly (no server, no sealing), ICE restricted to 127.0.0.1: video and
 * audio flow both ways, the data channel carries text, nothing is
 * rendered until the gates open, and a call's local ports are kept out
 * of the next call's.
 */

#include "config.h"

#include <gst/gst.h>

#include "media/sl-media-session.h"
#include "sightline/sl-media-error.h"
#include "sl-crypto.h"
#include "sightline/sl-dtls-guard.h"
#include "sightline/sl-media-prepare.h"
#include "sightline/sl-ice-ports.h"

#define WAIT_SECONDS 30

typedef struct
{
  SlMediaSession *a;
  SlMediaSession *b;
  GPtrArray *a_messages;
  GPtrArray *b_messages;
  GError *a_error;
  GError *b_error;
  int verified;
  int open_channels;
  gboolean auto_open;
  SlIcePorts *ports;            /* shared by the fixture's sessions */
  GArray *host_ports;           /* guint: ports of local host candidates */
} Fixture;

static SlMediaSession *
peer_of (Fixture * f, SlMediaSession * s)
{
  return s == f->a ? f->b : f->a;
}

static void
on_description (SlMediaSession * s, const char *type, const char *sdp,
    Fixture * f)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_str_equal (type, s == f->a ? "offer" : "answer"));
  g_assert_true (sl_media_session_set_remote_description (peer_of (f, s), sdp,
          &error));
  g_assert_no_error (error);
}

static void
on_candidate (SlMediaSession * s, guint mline, const char *candidate,
    Fixture * f)
{
  g_autoptr (GError) error = NULL;

  /* Only the addresses we allowed may show up. */
  g_assert_nonnull (strstr (candidate, "127.0.0.1"));
  if (strstr (candidate, " typ host")) {
    g_auto (GStrv) fields = g_strsplit (candidate, " ", 7);
    guint64 port = 0;

    g_assert_cmpuint (g_strv_length (fields), ==, 7);
    g_assert_true (g_ascii_string_to_unsigned (fields[5], 10, 1, 65535,
            &port, NULL));
    g_array_append_vals (f->host_ports, &(guint) {
        port}
        , 1);
  }
  g_assert_true (sl_media_session_add_remote_candidate (peer_of (f, s),
          mline, candidate, &error));
  g_assert_no_error (error);
}

static void
on_verified (SlMediaSession * s, Fixture * f)
{
  f->verified++;
  if (f->auto_open)
    sl_media_session_open_gates (s);
}

static gboolean
is_a (Fixture * f, SlMediaChannel * channel)
{
  return channel == sl_media_session_get_channel (f->a);
}

static void
on_channel_open (SlMediaChannel * channel, Fixture * f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("hello from %s",
      is_a (f, channel) ? "a" : "b");

  f->open_channels++;
  g_assert_true (sl_media_channel_send_text (channel, text, &error));
  g_assert_no_error (error);
}

static void
on_message (SlMediaChannel * channel, const char *text, Fixture * f)
{
  g_ptr_array_add (is_a (f, channel) ? f->a_messages : f->b_messages,
      g_strdup (text));
}

static void
on_failed (SlMediaSession * s, GError * error, Fixture * f)
{
  GError **slot = s == f->a ? &f->a_error : &f->b_error;

  g_assert_null (*slot);
  *slot = g_error_copy (error);
}

/* The capture both sessions use: "test", or a description of the user's. */
static const char *video_source = "test";

static SlMediaSession *
make_session (Fixture * f, gboolean offerer)
{
  g_autoptr (SlMediaOptions) opts = sl_media_options_new ();
  g_autoptr (GError) error = NULL;
  SlMediaSession *s;
  char *addresses[] = { (char *) "127.0.0.1", NULL };

  opts->video_source = g_strdup (video_source);
  opts->audio_source = g_strdup ("test");
  opts->width = 320;
  opts->height = 240;
  opts->video_kbps = 500;
  opts->ice_addresses = g_strdupv (addresses);
  g_set_object (&opts->ice_ports, f->ports);
  s = sl_media_session_new (opts, offerer, SL_VIDEO_CODEC_VP8, &error);
  g_assert_no_error (error);
  g_signal_connect (s, "local-description", G_CALLBACK (on_description), f);
  g_signal_connect (s, "local-candidate", G_CALLBACK (on_candidate), f);
  g_signal_connect (s, "dtls-verified", G_CALLBACK (on_verified), f);
  g_signal_connect (sl_media_session_get_channel (s), "open",
      G_CALLBACK (on_channel_open), f);
  g_signal_connect (sl_media_session_get_channel (s), "message",
      G_CALLBACK (on_message), f);
  g_signal_connect (s, "failed", G_CALLBACK (on_failed), f);
  return s;
}

static void
fixture_set_up (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->a_messages = g_ptr_array_new_with_free_func (g_free);
  f->b_messages = g_ptr_array_new_with_free_func (g_free);
  f->auto_open = GPOINTER_TO_INT (data);
  f->ports = sl_ice_ports_new_default ();
  f->host_ports = g_array_new (FALSE, FALSE, sizeof (guint));
  g_assert_true (sl_media_prepare_dtls (&error));
  f->a = make_session (f, TRUE);
  f->b = make_session (f, FALSE);
  g_assert_true (sl_media_session_start (f->b, &error));
  g_assert_true (sl_media_session_start (f->a, &error));
}

static void
fixture_tear_down (Fixture * f, gconstpointer data)
{
  sl_media_session_stop (f->a);
  sl_media_session_stop (f->b);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_ptr_array_unref (f->a_messages);
  g_ptr_array_unref (f->b_messages);
  g_clear_object (&f->ports);
  g_array_unref (f->host_ports);
  g_clear_error (&f->a_error);
  g_clear_error (&f->b_error);
  g_unsetenv ("SL_TEST_CORRUPT_DTLS_FINGERPRINT");
}

/* A capture with an input nobody feeds (textoverlay's text_sink): only the
 * branch's source pad may be ghosted, or textoverlay waits for text and no
 * frame ever leaves (the demo's expert stalled that way). */
static void
fixture_set_up_overlay (Fixture * f, gconstpointer data)
{
  video_source = "videotestsrc is-live=true ! textoverlay text=help";
  fixture_set_up (f, data);
}

static void
fixture_tear_down_overlay (Fixture * f, gconstpointer data)
{
  fixture_tear_down (f, data);
  video_source = "test";
}

typedef gboolean (*Condition) (Fixture * f);

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_for (Fixture * f, Condition cond)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  /* Wakes the loop up so that the deadline is checked without events. */
  guint ticker = g_timeout_add (100, tick, NULL);

  while (!cond (f) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  g_assert_true (cond (f));
}

static gboolean
media_flowing (Fixture * f)
{
  SlMediaStats sa, sb;
  gboolean ok;

  g_assert_no_error (f->a_error);
  g_assert_no_error (f->b_error);
  sl_media_session_get_stats (f->a, &sa);
  sl_media_session_get_stats (f->b, &sb);
  ok = sa.video_frames_rendered >= 30 && sb.video_frames_rendered >= 30
      && sa.audio_buffers_rendered >= 20 && sb.audio_buffers_rendered >= 20
      && f->a_messages->len >= 1 && f->b_messages->len >= 1;
  sl_media_stats_clear (&sa);
  sl_media_stats_clear (&sb);
  return ok;
}

static void
test_media_both_ways (Fixture * f, gconstpointer data)
{
  SlMediaStats sa;

  wait_for (f, media_flowing);
  g_assert_cmpint (f->verified, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->a_messages, 0), ==, "hello from b");
  g_assert_cmpstr (g_ptr_array_index (f->b_messages, 0), ==, "hello from a");
  /* Each side saw the other's certificate match the other's SDP. */
  g_assert_cmpstr (sl_media_session_get_remote_fingerprint (f->a), ==,
      sl_media_session_get_local_fingerprint (f->b));
  g_assert_cmpstr (sl_media_session_get_remote_fingerprint (f->b), ==,
      sl_media_session_get_local_fingerprint (f->a));
  sl_media_session_get_stats (f->a, &sa);
  g_assert_cmpint (sa.first_frame_us, >, sa.started_us);
  g_assert_cmpstr (sa.codec, ==, "vp8");
  sl_media_stats_clear (&sa);
}

static gboolean
decoded_but_gated (Fixture * f)
{
  SlMediaStats sa, sb;
  gboolean ok;

  sl_media_session_get_stats (f->a, &sa);
  sl_media_session_get_stats (f->b, &sb);
  /* Until the gates open nothing reaches a sink. */
  g_assert_cmpuint (sa.video_frames_rendered, ==, 0);
  g_assert_cmpuint (sb.video_frames_rendered, ==, 0);
  g_assert_cmpuint (sa.audio_buffers_rendered, ==, 0);
  ok = f->verified == 2 && sa.video_frames_decoded >= 10
      && sb.video_frames_decoded >= 10;
  sl_media_stats_clear (&sa);
  sl_media_stats_clear (&sb);
  return ok;
}

static void
test_gates_closed (Fixture * f, gconstpointer data)
{
  wait_for (f, decoded_but_gated);
}

static gboolean
both_failed (Fixture * f)
{
  return f->a_error != NULL && f->b_error != NULL;
}

static void
fixture_set_up_corrupt (Fixture * f, gconstpointer data)
{
  g_setenv ("SL_TEST_CORRUPT_DTLS_FINGERPRINT", "1", TRUE);
  fixture_set_up (f, data);
}

static void
test_fingerprint_mismatch (Fixture * f, gconstpointer data)
{
  SlMediaStats sa;

  wait_for (f, both_failed);
  g_assert_error (f->a_error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY);
  g_assert_error (f->b_error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY);
  g_assert_cmpint (f->verified, ==, 0);
  sl_media_session_open_gates (f->a);
  sl_media_session_get_stats (f->a, &sa);
  g_assert_cmpuint (sa.video_frames_rendered, ==, 0);
  sl_media_stats_clear (&sa);
}

static gboolean
both_verified (Fixture * f)
{
  g_assert_no_error (f->a_error);
  g_assert_no_error (f->b_error);
  return f->verified == 2;
}

static gboolean
array_has (GArray * ports, guint port)
{
  guint i;

  for (i = 0; i < ports->len; i++) {
    if (g_array_index (ports, guint, i) == port)
      return TRUE;
  }
  return FALSE;
}

/* A TURN server refuses an Allocate from a 5-tuple it still holds (437):
 * once a call ends its ports are held, and the next call binds others. */
static void
test_ports_held (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) first = NULL;
  guint i, j;

  wait_for (f, both_verified);
  sl_media_session_stop (f->a);
  sl_media_session_stop (f->b);
  first = g_array_copy (f->host_ports);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_cmpuint (sl_ice_ports_n_held (f->ports, g_get_monotonic_time ()),
      ==, 2);
  for (i = 0; i < 100; i++) {
    guint min, max;

    sl_ice_ports_choose (f->ports, g_get_monotonic_time (), &min, &max);
    for (j = 0; j < first->len; j++) {
      guint port = g_array_index (first, guint, j);

      g_assert_false (port >= min && port <= max);
    }
  }

  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_array_set_size (f->host_ports, 0);
  f->verified = 0;
  f->a = make_session (f, TRUE);
  f->b = make_session (f, FALSE);
  g_assert_true (sl_media_session_start (f->b, &error));
  g_assert_true (sl_media_session_start (f->a, &error));
  wait_for (f, both_verified);
  g_assert_cmpuint (f->host_ports->len, ==, 2);
  for (i = 0; i < f->host_ports->len; i++)
    g_assert_false (array_has (first, g_array_index (f->host_ports, guint, i)));
}

static void
test_bad_input (void)
{
  g_autoptr (SlMediaOptions) opts = sl_media_options_new ();
  g_autoptr (SlMediaSession) s = NULL;
  g_autoptr (GError) error = NULL;
  char *bad_addr[] = { (char *) "not-an-address", NULL };

  opts->video_source = g_strdup ("test");
  opts->audio_source = g_strdup ("test");
  s = sl_media_session_new (opts, FALSE, SL_VIDEO_CODEC_VP8, &error);
  g_assert_no_error (error);
  g_assert_false (sl_media_session_set_remote_description (s, "garbage",
          &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (sl_media_session_set_remote_description (s,
          "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", &error));
  g_assert_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY);
  g_clear_error (&error);
  g_assert_false (sl_media_session_add_remote_candidate (s, 0,
          "candidate:1 1 UDP 1 127.0.0.1 9\r\na=evil", &error));
  g_assert_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (sl_media_channel_send_text (sl_media_session_get_channel
          (s), "x", &error));
  g_assert_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CLOSED);
  g_clear_error (&error);
  g_clear_object (&s);

  g_free (opts->video_source);
  opts->video_source = g_strdup ("nosuchelement ! fakesink");
  s = sl_media_session_new (opts, TRUE, SL_VIDEO_CODEC_VP8, &error);
  g_assert_null (s);
  g_assert_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG);
  g_clear_error (&error);

  g_free (opts->video_source);
  opts->video_source = g_strdup ("test");
  g_strfreev (opts->ice_addresses);
  opts->ice_addresses = g_strdupv (bad_addr);
  s = sl_media_session_new (opts, TRUE, SL_VIDEO_CODEC_VP8, &error);
  g_assert_null (s);
  g_assert_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG);
}

int
main (int argc, char **argv)
{
  int ret;

  sl_crypto_init_process ();
  gst_init (&argc, &argv);
  sl_dtls_guard_install ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/media/both-ways", Fixture, GINT_TO_POINTER (TRUE),
      fixture_set_up, test_media_both_ways, fixture_tear_down);
  g_test_add ("/media/gates-closed-until-verified", Fixture,
      GINT_TO_POINTER (FALSE), fixture_set_up, test_gates_closed,
      fixture_tear_down);
  g_test_add ("/media/fingerprint-mismatch", Fixture, GINT_TO_POINTER (TRUE),
      fixture_set_up_corrupt, test_fingerprint_mismatch, fixture_tear_down);
  g_test_add ("/media/ports-held", Fixture, GINT_TO_POINTER (TRUE),
      fixture_set_up, test_ports_held, fixture_tear_down);
  g_test_add ("/media/capture-with-unfed-input", Fixture,
      GINT_TO_POINTER (TRUE), fixture_set_up_overlay, test_media_both_ways,
      fixture_tear_down_overlay);
  g_test_add_func ("/media/bad-input", test_bad_input);

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
