/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The `sightline` command: lists the devices online, places a call, waits
 * for one, or forgets a device's retained key.  It prints the roster, call
 * state changes, the SAS, the call's security and chat on standard output,
 * one line each, so that people and scripts can follow a call; lines typed
 * on standard input are sent as chat (sightline-input.c).  The exit status
 * tells how the call ended (see --help, sightline-options.c).
 *
 * A call is "secured" once its keys are agreed and its media bound to
 * them, and "verified" only once the peer is authenticated: the output
 * never says verified for a call that is not.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib-unix.h>
#include <gst/gst.h>

#include "sightline-app.h"
#include "sightline-stats.h"
#include "sightline/sl-call-error.h"
#include "sightline-exit.h"
#include "sl-crypto.h"
#include "sightline/sl-dtls-guard.h"
#include "sightline/sl-media-prepare.h"
#include "sl-log.h"
#include "sl-signalling.h"

void
out (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stdout, format, args);
  va_end (args);
  fputc ('\n', stdout);
  fflush (stdout);
}

void
app_quit (App * app, int status)
{
  if (app->quitting)
    return;
  app->quitting = TRUE;
  app->exit_status = status;
  g_main_loop_quit (app->loop);
}

/* ------------------------------------------------------------------ */
/* Test hook: which secrets were wiped, and were they zero afterwards   */

#ifdef SL_TEST_HOOKS
static void
on_wipe (const char *label, const guint8 * mem, gsize len, gpointer data)
{
  App *app = data;
  gboolean zero = TRUE;
  gsize i;

  for (i = 0; i < len; i++)
    zero = zero && mem[i] == 0;
  g_mutex_lock (&app->wiped_lock);
  if (!zero || !g_hash_table_contains (app->wiped, label))
    g_hash_table_insert (app->wiped, g_strdup (label),
        (gpointer) (zero ? "zero" : "nonzero"));
  g_mutex_unlock (&app->wiped_lock);
}
#endif

static void
write_stats (App * app)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;

  if (app->stats_path == NULL)
    return;
  json = sl_stats_json (app->call, app->signal, app->exit_status,
      app->chat_sent, app->chat_acked, app->chat_received,
      app->view ? (int) sl_goggles_view_get_snapshots (app->view) : -1,
      app->wiped, &app->wiped_lock);
  if (!g_file_set_contents (app->stats_path, json, -1, &error))
    g_printerr ("sightline: cannot write %s: %s\n", app->stats_path,
        error->message);
}

/* ------------------------------------------------------------------ */
/* Call events                                                          */

static double
setup_ms (SlCall * call)
{
  return (sl_call_get_secured_us (call) - sl_call_get_created_us (call)) /
      1000.0;
}

static void
on_state_changed (SlCall * call, int state, App * app)
{
  const GError *error = sl_call_get_error (call);

  /* A call that ended on a security check says so. */
  if (state == SL_CALL_STATE_ENDED && g_error_matches (error, SL_CALL_ERROR,
          SL_CALL_ERROR_SECURITY))
    out ("state: failed");
  else
    out ("state: %s", sl_call_state_to_string (state));

  if (state == SL_CALL_STATE_SECURED) {
    out ("secured: keys agreed and media bound to them, but the other "
        "device is not authenticated: compare the SAS aloud, then type "
        "/sas-ok if both screens show the same digits or /sas-wrong if not "
        "(setup %.0f ms)", setup_ms (call));
    if (app->confirm_sas)
      app_ask_sas (app);
  } else if (state == SL_CALL_STATE_VERIFIED) {
    SlAuthMethod method = sl_peer_auth_get_method (sl_call_get_auth (call));

    app->asking_sas = FALSE;
    /* A SAS is confirmed after set-up, a code or continuity at once. */
    if (method == SL_AUTH_SAS)
      out ("verified: sas");
    else
      out ("verified: %s (setup %.0f ms)", sl_auth_method_to_string (method),
          setup_ms (call));
  }
}

static void
on_sas (SlCall * call, const char *sas, App * app)
{
  SlPeerAuth *auth = sl_call_get_auth (call);
  const char *peer = sl_call_get_peer_id (call);

  out ("sas: %s", sas);
  switch (sl_peer_auth_get_method (auth)) {
    case SL_AUTH_CODE:
      out ("The security code authenticates this call.");
      break;
    case SL_AUTH_CONTINUITY:
      out ("continuity: %s proved the key of your last verified call with "
          "it", peer);
      break;
    default:
      out ("Read the SAS aloud: both screens must show the same digits.");
      break;
  }
  if (sl_peer_auth_keys_changed (auth)) {
    if (sl_peer_auth_get_continuity (auth) == SL_CONTINUITY_CERT_CHANGED)
      out ("warning: keys changed: %s presents another certificate than in "
          "your last verified call with it: compare the SAS aloud before "
          "you trust this call", peer);
    else
      out ("warning: keys changed: %s could not prove the key of your last "
          "verified call with it (its keys changed, it lost them, or someone "
          "is in the middle): compare the SAS aloud before you trust this "
          "call", peer);
  } else if (sl_peer_auth_get_continuity (auth) == SL_CONTINUITY_MISMATCH) {
    /* Only with a code: the code vouches for this call. */
    out ("continuity: %s did not prove the key of your last verified call; "
        "the security code authenticates this one, and its key replaces the "
        "old one", peer);
  }
}

/* The users' SAS answers, before the state they lead to. */
static void
on_sas_confirmed (SlPeerAuth * auth, gboolean by_peer, App * app)
{
  if (by_peer)
    out ("sas: the other side confirmed the SAS%s",
        sl_peer_auth_sas_confirmed (auth, FALSE) ? "" :
        "; type /sas-ok if your screen shows the same digits");
  else
    out ("sas: you confirmed the SAS%s", sl_peer_auth_sas_confirmed (auth,
            TRUE) ? "" : "; waiting for the other side");
}

static void
on_remembered (SlPeerAuth * auth, GError * error, App * app)
{
  if (error)
    out ("continuity: cannot keep the key of this call: %s", error->message);
  else
    out ("continuity: kept the key of this verified call with %s for the "
        "next call", sl_call_get_peer_id (app->call));
}

static gboolean
on_duration (gpointer data)
{
  App *app = data;

  app->duration_source = 0;
  out ("duration reached: hanging up");
  sl_call_hangup (app->call);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stats_tick (gpointer data)
{
  App *app = data;
  SlMediaStats st = { 0, };

  if (app->call && sl_call_get_media_stats (app->call, &st)) {
    out ("stats: video_frames=%" G_GUINT64_FORMAT " audio_buffers=%"
        G_GUINT64_FORMAT " fps=%.1f rtt_ms=%.1f lost=%" G_GINT64_FORMAT
        " kbps=%.0f", st.video_frames_rendered, st.audio_buffers_rendered,
        st.video_fps, st.rtt_ms, st.packets_lost, st.receive_kbps);
    sl_media_stats_clear (&st);
  }
  return G_SOURCE_CONTINUE;
}

static void
on_secured (SlCall * call, App * app)
{
  char **c;

  for (c = app->chat; c && *c; c++)
    app_send_chat (app, *c);
  if (app->duration > 0)
    app->duration_source = g_timeout_add_seconds (app->duration, on_duration,
        app);
  app->stats_source = g_timeout_add_seconds (1, on_stats_tick, app);
}

static void
on_first_frame (SlCall * call, gint64 when, App * app)
{
  app->first_frame_us = when;
  out ("first-frame: %.0f ms after the call began",
      (when - sl_call_get_created_us (call)) / 1000.0);
}

static void
on_chat (SlCall * call, gint64 id, const char *text, App * app)
{
  app->chat_received++;
  out ("chat< [%" G_GINT64_FORMAT "] %s", id, text);
}

static void
on_chat_acked (SlCall * call, gint64 id, App * app)
{
  app->chat_acked++;
  out ("chat acked: [%" G_GINT64_FORMAT "]", id);
}

static gboolean
on_quit_later (gpointer data)
{
  App *app = data;

  app_quit (app, app->exit_status);
  return G_SOURCE_REMOVE;
}

/* "verified", "secured", "failed" or "none" (no keys), as --stats-json
 * and the summary line say it. */
static const char *
security_word (SlCall * call, const GError * error)
{
  if (g_error_matches (error, SL_CALL_ERROR, SL_CALL_ERROR_SECURITY))
    return "failed";
  if (sl_call_was_verified (call))
    return "verified";
  return sl_call_was_secured (call) ? "secured" : "none";
}

static void
on_ended (SlCall * call, GError * error, App * app)
{
  SlMediaStats st = { 0, };
  int status = sightline_exit_status (error);

  g_clear_handle_id (&app->duration_source, g_source_remove);
  g_clear_handle_id (&app->stats_source, g_source_remove);
  app->asking_sas = FALSE;
  out ("ended: %s", error ? error->message : "call completed");
  if (sl_call_get_media_stats (call, &st)) {
    out ("summary: security=%s authenticated=%s setup_ms=%.0f frames=%"
        G_GUINT64_FORMAT " audio_buffers=%" G_GUINT64_FORMAT " codec=%s",
        security_word (call, error),
        sl_call_was_verified (call) ?
        sl_auth_method_to_string (sl_peer_auth_get_method (sl_call_get_auth
                (call))) : "none", sl_call_was_secured (call) ?
        setup_ms (call) : -1.0, st.video_frames_rendered,
        st.audio_buffers_rendered, st.codec);
    sl_media_stats_clear (&st);
  }
  if (app->opts->display == SL_DISPLAY_PNG && sl_call_was_secured (call))
    out ("snapshot: %s", app->opts->png_path);
  else if (app->view && sl_goggles_view_get_snapshots (app->view) > 0)
    out ("snapshot: %s", app->goggles->png_path);
  /* A call that ended normally but never got its media is no success. */
  if (status == SL_EXIT_OK && !sl_call_was_secured (call))
    status = SL_EXIT_MEDIA;
  app->exit_status = status;
  /* Let the hang-up reach the server before the connection closes. */
  g_timeout_add (200, on_quit_later, app);
}

static void
watch_call (App * app)
{
  SlPeerAuth *auth;

  sl_call_set_continuity (app->call, app->store, app->identity->cert_hash);
  auth = sl_call_get_auth (app->call);
  g_signal_connect (app->call, "state-changed", G_CALLBACK (on_state_changed),
      app);
  g_signal_connect (app->call, "sas", G_CALLBACK (on_sas), app);
  g_signal_connect (app->call, "secured", G_CALLBACK (on_secured), app);
  g_signal_connect (app->call, "first-frame", G_CALLBACK (on_first_frame), app);
  g_signal_connect (app->call, "chat", G_CALLBACK (on_chat), app);
  g_signal_connect (app->call, "chat-acked", G_CALLBACK (on_chat_acked), app);
  g_signal_connect (app->call, "ended", G_CALLBACK (on_ended), app);
  g_signal_connect (auth, "sas-confirmed", G_CALLBACK (on_sas_confirmed), app);
  g_signal_connect (auth, "remembered", G_CALLBACK (on_remembered), app);
  if (app->view) {
    /* A test picture behind the expert's video says so. */
    sl_goggles_view_set_camera_label (app->view,
        sl_media_camera_is_test (app->opts) ?
        "TEST CAMERA (no camera found)" : NULL);
    sl_goggles_view_watch_call (app->view, app->call, app->signal);
  }
}

static void
on_view_notice (SlGogglesView * view, const char *text, App * app)
{
  out ("goggles: %s", text);
}

static void
on_view_sas_answer (SlGogglesView * view, gboolean match, App * app)
{
  app_answer_sas (app, match);
}

static void
on_store_problem (SlContinuityStore * store, GError * error, App * app)
{
  out ("warning: %s", error->message);
}

/* ------------------------------------------------------------------ */
/* Server events                                                        */

static void
print_roster (App * app)
{
  g_autoptr (GPtrArray) peers = sl_signal_client_list_peers (app->signal);
  guint i;

  out ("roster: %u device(s) online", peers->len);
  for (i = 0; i < peers->len; i++) {
    const SlPeerInfo *p = g_ptr_array_index (peers, i);

    out ("roster: %s \"%s\" %s %s", p->id, p->name, p->role,
        p->busy ? "busy" : "available");
  }
}

static void
on_roster_changed (SlSignalClient * signal, App * app)
{
  print_roster (app);
  if (app->mode == MODE_LIST)
    app_quit (app, SL_EXIT_OK);
}

static void
start_call (App * app)
{
  if (app->call || !app->dtls_ready
      || !sl_signal_client_is_connected (app->signal))
    return;
  out ("calling: %s", app->peer);
  app->call = sl_call_new_outgoing (app->signal, app->opts, app->peer,
      app->code);
  watch_call (app);
  sl_call_start (app->call);
}

static void
on_connected (SlSignalClient * signal, App * app)
{
  g_clear_handle_id (&app->connect_source, g_source_remove);
  out ("server: connected as %s", sl_signal_client_get_device_id (signal));
  if (app->mode == MODE_CALL)
    start_call (app);
}

static void
on_disconnected (SlSignalClient * signal, GError * why, App * app)
{
  out ("server: %s%s", why->message, app->call ?
      " (the call goes on; reconnecting)" : " (retrying)");
}

/* The server refused this device for good (a certificate alert, revoked
 * while connected): no retries.  A call in progress is peer to peer and
 * may go on; the program ends with it. */
static void
on_refused (SlSignalClient * signal, GError * why, App * app)
{
  out ("server: refused: %s", why->message);
  if (app->call == NULL || sl_call_get_state (app->call) == SL_CALL_STATE_ENDED)
    app_quit (app, SL_EXIT_SERVER);
}

static void
on_call_message (SlSignalClient * signal, SlMessage * msg, App * app)
{
  const char *type = sl_message_get_type_name (msg);
  g_autoptr (GError) error = NULL;

  if (app->call && sl_call_handle_message (app->call, msg))
    return;
  if (!g_str_equal (type, "incoming")) {
    if (g_str_equal (type, "error"))
      out ("server error: %s", sl_message_get_string (msg, "message"));
    return;
  }
  if (app->mode != MODE_WAIT || app->call) {
    /* Not taking calls: the server tells the caller. */
    g_autoptr (SlMessage) reject = sl_message_new (&sl_signalling_to_server,
        "reject");

    sl_message_set_string (reject, "call_id", sl_message_get_string (msg,
            "call_id"));
    sl_message_set_string (reject, "reason", "busy");
    sl_signal_client_send (signal, reject, NULL);
    return;
  }
  app->call = sl_call_new_incoming (signal, app->opts, msg, app->code, &error);
  if (app->call == NULL) {
    out ("incoming: refused: %s", error->message);
    return;
  }
  watch_call (app);
  out ("incoming: call from %s", sl_call_get_peer_id (app->call));
  sl_call_start (app->call);
  if (app->auto_reject) {
    sl_call_reject (app->call);
  } else if (app->auto_answer) {
    sl_call_accept (app->call);
  } else {
    out ("Type /accept or /reject.");
  }
}

static gboolean
on_connect_timeout (gpointer data)
{
  App *app = data;

  app->connect_source = 0;
  out ("server: unreachable");
  app_quit (app, SL_EXIT_SERVER);
  return G_SOURCE_REMOVE;
}

static void
on_dtls_ready (GObject * source, GAsyncResult * result, gpointer data)
{
  App *app = data;
  g_autoptr (GError) error = NULL;

  if (!sl_media_prepare_dtls_finish (result, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    app_quit (app, SL_EXIT_USAGE);
    return;
  }
  app->dtls_ready = TRUE;
  if (app->mode == MODE_CALL)
    start_call (app);
}

/* Ctrl-C, SIGTERM: hangs up a call (which then ends the program); before
 * any call a `call` command was cancelled. */
static gboolean
on_signal (gpointer data)
{
  App *app = data;

  if (app->call && sl_call_get_state (app->call) != SL_CALL_STATE_ENDED) {
    sl_call_hangup (app->call);
    return G_SOURCE_CONTINUE;
  }
  if (app->call == NULL && app->mode == MODE_CALL) {
    out ("ended: You cancelled the call before it was set up");
    app_quit (app, SL_EXIT_CANCELLED);
  } else {
    app_quit (app, app->call ? app->exit_status : SL_EXIT_OK);
  }
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */

/* This device's own files, checked before anything connects; its
 * continuity store, which may be damaged (reported, set aside). */
static gboolean
load_identity (App * app)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  app->identity = sl_device_identity_load (app->cert,
      app->mode == MODE_FORGET ? NULL : app->key,
      app->mode == MODE_FORGET ? NULL : app->ca,
      app->mode == MODE_FORGET ? -1 : g_get_real_time () / G_USEC_PER_SEC,
      &error);
  if (app->identity == NULL) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  if (app->mode == MODE_CALL && g_str_equal (app->peer,
          app->identity->device_id)) {
    g_printerr ("sightline: %s is this device: you cannot call yourself\n",
        app->peer);
    return FALSE;
  }
  path = sl_continuity_store_default_path (app->identity->device_id);
  app->store = sl_continuity_store_new (path);
  if (app->mode != MODE_FORGET && app->mode != MODE_LIST
      && !sl_continuity_store_check (app->store, &error))
    out ("warning: %s", error->message);
  g_signal_connect (app->store, "problem", G_CALLBACK (on_store_problem), app);
  return TRUE;
}

static int
forget (App * app)
{
  g_autoptr (GError) error = NULL;
  gboolean found = FALSE;

  if (!sl_continuity_store_forget (app->store, app->peer, &found, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return g_error_matches (error, SL_CONTINUITY_ERROR,
        SL_CONTINUITY_ERROR_INVALID) ? SL_EXIT_USAGE : SL_EXIT_FAILURE;
  }
  out (found ? "forget: %s forgotten: the next call with it needs a security "
      "code or a SAS comparison" : "forget: %s was not remembered", app->peer);
  return SL_EXIT_OK;
}

/* Everything main() made, on every way out; returns @status. */
static int
app_clear (App * app, int status)
{
  g_clear_object (&app->view);
  g_clear_object (&app->signal);
  g_clear_object (&app->store);
  g_clear_pointer (&app->identity, sl_device_identity_free);
  sl_crypto_set_wipe_observer (NULL, NULL);
  g_clear_pointer (&app->wiped, g_hash_table_unref);
  g_clear_pointer (&app->opts, sl_media_options_free);
  g_clear_pointer (&app->goggles, sl_goggles_options_free);
  g_clear_pointer (&app->peer, g_free);
  g_clear_pointer (&app->code, g_free);
  g_clear_pointer (&app->server, g_free);
  g_clear_pointer (&app->cert, g_free);
  g_clear_pointer (&app->key, g_free);
  g_clear_pointer (&app->ca, g_free);
  g_clear_pointer (&app->stats_path, g_free);
  g_clear_pointer (&app->chat, g_strfreev);
  gst_deinit ();
  return status;
}

int
main (int argc, char **argv)
{
  App app = { 0, };
  g_autoptr (GError) error = NULL;

  sl_crypto_init_process ();
  setvbuf (stdout, NULL, _IOLBF, 0);
  app.opts = sl_media_options_new ();
  app.connect_timeout = 10;
  if (!app_parse_options (&app, &argc, &argv))
    return app_clear (&app, SL_EXIT_USAGE);
  /* No core dumps with keys in them.  Not with a window: X's shared
   * memory transport refuses non-dumpable clients. */
  if (app.opts->display != SL_DISPLAY_WINDOW && (app.goggles == NULL
          || app.goggles->output != SL_GOGGLES_OUTPUT_WINDOW))
    prctl (PR_SET_DUMPABLE, 0);
  sl_log_init ("sightline", SL_LOG_FORMAT_TEXT, FALSE);
  if (!load_identity (&app))
    return app_clear (&app, SL_EXIT_USAGE);
  if (app.mode == MODE_FORGET)
    return app_clear (&app, forget (&app));
  sl_dtls_guard_install ();

#ifdef SL_TEST_HOOKS
  if (g_getenv ("SL_TEST_OBSERVE_WIPES")) {
    g_mutex_init (&app.wiped_lock);
    app.wiped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    sl_crypto_set_wipe_observer (on_wipe, &app);
  }
#endif

  if (app.goggles) {
    app.view = sl_goggles_view_new (app.goggles, &error);
    if (app.view == NULL) {
      g_printerr ("sightline: %s\n", error->message);
      return app_clear (&app, SL_EXIT_USAGE);
    }
    g_signal_connect (app.view, "notice", G_CALLBACK (on_view_notice), &app);
    g_signal_connect (app.view, "sas-answer", G_CALLBACK (on_view_sas_answer),
        &app);
    out ("goggles: %ux%u, %s", sl_goggles_view_get_width (app.view),
        sl_goggles_view_get_height (app.view),
        app.goggles->output == SL_GOGGLES_OUTPUT_WINDOW ? "full screen" :
        app.goggles->png_path);
  }

  app.signal = sl_signal_client_new (app.server, app.cert, app.key, app.ca,
      &error);
  if (app.signal == NULL) {
    g_printerr ("sightline: %s\n", error->message);
    return app_clear (&app, SL_EXIT_USAGE);
  }
  app.loop = g_main_loop_new (NULL, FALSE);
  app.cancellable = g_cancellable_new ();
  g_signal_connect (app.signal, "connected", G_CALLBACK (on_connected), &app);
  g_signal_connect (app.signal, "disconnected", G_CALLBACK (on_disconnected),
      &app);
  g_signal_connect (app.signal, "refused", G_CALLBACK (on_refused), &app);
  g_signal_connect (app.signal, "roster-changed",
      G_CALLBACK (on_roster_changed), &app);
  g_signal_connect (app.signal, "call-message", G_CALLBACK (on_call_message),
      &app);
  g_unix_signal_add (SIGINT, on_signal, &app);
  g_unix_signal_add (SIGTERM, on_signal, &app);

  /* The DTLS certificate is made now, not on the first call. */
  if (app.mode != MODE_LIST)
    sl_media_prepare_dtls_async (app.opts->video_source == NULL
        || app.opts->audio_source == NULL
        || app.opts->play_audio, app.cancellable, on_dtls_ready, &app);
  sl_signal_client_start (app.signal);
  if (app.connect_timeout > 0)
    app.connect_source = g_timeout_add_seconds (app.connect_timeout,
        on_connect_timeout, &app);
  app_read_input (&app);

  g_main_loop_run (app.loop);

  g_cancellable_cancel (app.cancellable);
  write_stats (&app);
  g_clear_handle_id (&app.connect_source, g_source_remove);
  g_clear_handle_id (&app.duration_source, g_source_remove);
  g_clear_handle_id (&app.stats_source, g_source_remove);
  if (app.call) {
    g_signal_handlers_disconnect_by_data (app.call, &app);
    g_signal_handlers_disconnect_by_data (sl_call_get_auth (app.call), &app);
  }
  if (app.view)
    sl_goggles_view_forget_call (app.view);
  g_clear_object (&app.call);
  sl_signal_client_stop (app.signal);
  g_clear_object (&app.input);
  g_clear_object (&app.cancellable);
  g_main_loop_unref (app.loop);
  return app_clear (&app, app.exit_status);
}
