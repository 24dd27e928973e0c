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
 * tells how the call ended (see --help, sightline-options.c).  `wait`
 * takes one call after another until Ctrl-C or SIGTERM (an expert stays
 * available, also as a service without standard input: the end of the
 * input does not stop it); `wait --once` ends with its one call.
 *
 * A call is "secured" once its keys are agreed and its media bound to
 * them, and "verified" only once the peer is authenticated: the output
 * never says verified for a call that is not.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "sightline-exit.h"
#include "sightline-input.h"
#include "sightline-options.h"
#include "sightline-stats.h"
#include "sightline/sightline.h"
#include "sl-continuity-store.h"
#include "sl-crypto.h"
#include "sl-device-identity.h"
#include "sl-dtls-tuning.h"
#include "sl-log.h"
#include "sl-pki.h"

typedef struct
{
  SightlineOptions *o;
  GMainLoop *loop;
  SlGogglesView *view;
  SlDeviceIdentity *identity;
  SlContinuityStore *store;

  SlSignalClient *signal;
  SlPhone *phone;
  SlCall *call;
  GCancellable *cancellable;
  SightlineInput *input;
  guint duration_source;
  guint stats_source;
  guint connect_source;
  guint call_over_source;
  guint calls_done;             /* wait: calls ended and forgotten */
  int exit_status;
  int stop_status;              /* with stopping: the status to exit with */
  gboolean quitting;
  gboolean stopping;            /* exit once the call in progress ends */
  gboolean dtls_ready;
  gboolean roster_seen;         /* call: PEER may be a name in it */
  gboolean asking_sas;          /* --confirm-sas: the next y/n answers */
  gboolean call_over;           /* the call emitted "ended" */
  gint64 first_frame_us;
  guint chat_sent;
  guint chat_acked;
  guint chat_received;
  gboolean mic_muted;           /* /mute: kept from call to call */
  gboolean camera_paused;       /* /camera off */
  gboolean peer_muted;          /* as the call's peer last said */
  gboolean peer_camera_paused;
  GHashTable *wiped;            /* test hook: label -> "zero"/"nonzero" */
  GMutex wiped_lock;
} App;

static void
out (const char *format, ...)
G_GNUC_PRINTF (1, 2);
     static void app_send_chat (App * app, const char *text);
     static void app_ask_sas (App * app);
     static void print_roster (App * app);

     static void out (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stdout, format, args);
  va_end (args);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
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

  if (app->o->stats_path == NULL)
    return;
  json = sl_stats_json (app->call, app->signal, app->exit_status,
      app->chat_sent, app->chat_acked, app->chat_received,
      app->view ? (int) sl_goggles_view_get_snapshots (app->view) : -1,
      app->wiped, &app->wiped_lock);
  if (!g_file_set_contents (app->o->stats_path, json, -1, &error))
    g_printerr ("sightline: cannot write %s: %s\n", app->o->stats_path,
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
    if (app->o->confirm_sas)
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

  for (c = app->o->chat; c && *c; c++)
    app_send_chat (app, *c);
  if (app->o->duration > 0)
    app->duration_source = g_timeout_add_seconds (app->o->duration, on_duration,
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
on_media_path (SlCall * call, gboolean alive, App * app)
{
  if (alive)
    out ("media back: the media path carries the peer's messages again");
  else
    out ("reconnecting: the media path went silent");
}

static void
on_peer_media_state (SlCall * call, gboolean mic_muted,
    gboolean camera_paused, App * app)
{
  if (mic_muted != app->peer_muted)
    out ("peer: microphone %s", mic_muted ? "muted" : "on");
  if (camera_paused != app->peer_camera_paused)
    out ("peer: camera %s", camera_paused ? "paused" : "on");
  app->peer_muted = mic_muted;
  app->peer_camera_paused = camera_paused;
}

static void
on_peer_reachable (SlCall * call, App * app)
{
  out ("reconnecting: the peer answers through the server");
}

static void
on_chat_acked (SlCall * call, gint64 id, App * app)
{
  app->chat_acked++;
  out ("chat acked: [%" G_GINT64_FORMAT "]", id);
}

/* A `wait` that takes more than one call. */
static gboolean
takes_many_calls (App * app)
{
  return app->o->mode == SIGHTLINE_WAIT && !app->o->once;
}

/* `wait` takes a call when it has none and do not disturb is off. */
static void
app_update_accepting (App * app)
{
  sl_phone_set_accept_incoming (app->phone, app->o->mode == SIGHTLINE_WAIT
      && app->call == NULL && !sl_signal_client_get_busy (app->signal));
}

/* Drops every tie to the current call, and the per-call counters. */
static void
app_forget_call (App * app)
{
  if (app->call) {
    g_signal_handlers_disconnect_by_data (app->call, app);
    g_signal_handlers_disconnect_by_data (sl_call_get_auth (app->call), app);
  }
  if (app->view)
    sl_goggles_view_forget_call (app->view);
  g_clear_object (&app->call);
  app->call_over = FALSE;
  app->asking_sas = FALSE;
  app->first_frame_us = 0;
  app->chat_sent = app->chat_acked = app->chat_received = 0;
}

/* After the hang-up had time to reach the server: exit with the call's
 * status, or (wait) get ready for the next call. */
static gboolean
on_call_over (gpointer data)
{
  App *app = data;

  app->call_over_source = 0;
  if (!takes_many_calls (app)) {
    app_quit (app, app->exit_status);
    return G_SOURCE_REMOVE;
  }
  /* --stats-json holds the last call's figures, written as it ends so
   * that a `wait` killed between calls loses none. */
  write_stats (app);
  app->calls_done++;
  app_forget_call (app);
  if (app->stopping) {
    app_quit (app, app->stop_status);
    return G_SOURCE_REMOVE;
  }
  print_roster (app);
  out ("waiting: for the next call (Ctrl-C to stop)%s",
      sl_signal_client_get_busy (app->signal) ? "; do not disturb is on" : "");
  app_update_accepting (app);
  return G_SOURCE_REMOVE;
}

/* Stops a `wait` that takes many calls once its call (if any) ended. */
static void
app_stop_after_call (App * app, int status)
{
  if (app->call == NULL) {
    app_quit (app, status);
    return;
  }
  app->stopping = TRUE;
  app->stop_status = status;
  if (!app->call_over)
    sl_call_hangup (app->call);
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

  app->call_over = TRUE;
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
  if (app->o->media->display == SL_DISPLAY_PNG && sl_call_was_secured (call))
    out ("snapshot: %s", app->o->media->png_path);
  else if (app->view && sl_goggles_view_get_snapshots (app->view) > 0)
    out ("snapshot: %s", app->o->goggles->png_path);
  /* A call that ended normally but never got its media is no success. */
  if (status == SL_EXIT_OK && !sl_call_was_secured (call))
    status = SL_EXIT_MEDIA;
  app->exit_status = status;
  /* Let the hang-up reach the server before the connection closes. */
  app->call_over_source = g_timeout_add (200, on_call_over, app);
}

/* The wearer must see, not only the terminal, that the expert gets a test
 * picture or tone because no camera or microphone was found (a test source
 * asked for with --video=test is no surprise and gets no line). */
static const char *
test_source_notice (App * app)
{
  gboolean camera = sl_media_device_missing (app->o->media,
      SL_MEDIA_DEVICE_CAMERA);
  gboolean microphone = sl_media_device_missing (app->o->media,
      SL_MEDIA_DEVICE_MICROPHONE);

  if (camera && microphone)
    return "TEST CAMERA + TONE (none found)";
  if (camera)
    return "TEST CAMERA (no camera found)";
  if (microphone)
    return "TEST TONE (no microphone found)";
  return NULL;
}

/* Every call of the program: one, with the busy rule (SlPhone). */
static void
on_call_added (SlPhone * phone, SlCall * call, App * app)
{
  SlPeerAuth *auth = sl_call_get_auth (call);

  app->call = g_object_ref (call);
  /* One call at a time: invites during it hear busy. */
  sl_phone_set_accept_incoming (phone, FALSE);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_state_changed), app);
  g_signal_connect (call, "sas", G_CALLBACK (on_sas), app);
  g_signal_connect (call, "secured", G_CALLBACK (on_secured), app);
  g_signal_connect (call, "first-frame", G_CALLBACK (on_first_frame), app);
  g_signal_connect (call, "chat", G_CALLBACK (on_chat), app);
  g_signal_connect (call, "chat-acked", G_CALLBACK (on_chat_acked), app);
  g_signal_connect (call, "media-path", G_CALLBACK (on_media_path), app);
  g_signal_connect (call, "peer-reachable", G_CALLBACK (on_peer_reachable),
      app);
  g_signal_connect (call, "peer-media-state",
      G_CALLBACK (on_peer_media_state), app);
  app->peer_muted = app->peer_camera_paused = FALSE;
  sl_call_set_mic_muted (call, app->mic_muted);
  sl_call_set_camera_paused (call, app->camera_paused);
  g_signal_connect (call, "ended", G_CALLBACK (on_ended), app);
  g_signal_connect (auth, "sas-confirmed", G_CALLBACK (on_sas_confirmed), app);
  g_signal_connect (auth, "remembered", G_CALLBACK (on_remembered), app);
  if (app->view) {
    sl_goggles_view_set_notice (app->view, test_source_notice (app));
    sl_goggles_view_watch_call (app->view, call, app->signal);
  }
  if (!sl_call_is_caller (call))
    out ("incoming: call from %s", sl_call_get_peer_id (call));
}

static void
on_incoming_call (SlPhone * phone, SlCall * call, App * app)
{
  if (app->o->auto_reject)
    sl_call_reject (call);
  else if (app->o->auto_answer)
    sl_call_accept (call);
  else
    out ("Type /accept or /reject.");
}

static void
on_incoming_refused (SlPhone * phone, GError * error, App * app)
{
  out ("incoming: refused: %s", error->message);
}

static void
on_server_error (SlPhone * phone, const char *code, const char *message,
    App * app)
{
  out ("server error: %s", message);
}

static void
app_send_chat (App * app, const char *text)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  if (!sl_call_send_chat (app->call, text, &id, &error)) {
    out ("chat: not sent: %s", error->message);
    return;
  }
  app->chat_sent++;
  out ("chat> [%" G_GINT64_FORMAT "] %s", id, text);
  if (app->view)
    sl_goggles_view_add_chat (app->view, "You", text);
}

/* --confirm-sas: asks the SAS question; the next "y" or "n" answers it. */
static void
app_ask_sas (App * app)
{
  if (app->asking_sas || app->call == NULL || sl_call_get_sas (app->call) ==
      NULL || sl_peer_auth_sas_confirmed (sl_call_get_auth (app->call), FALSE))
    return;
  app->asking_sas = TRUE;
  out ("sas-question: Does the other screen show %s? Type y or n.",
      sl_call_get_sas (app->call));
}

/* From /sas-ok, /sas-wrong, y/n after the question, or a key in the
 * goggles window. */
static void
app_answer_sas (App * app, gboolean match)
{
  g_autoptr (GError) error = NULL;

  app->asking_sas = FALSE;
  if (app->call == NULL || !sl_call_confirm_sas (app->call, match, &error)) {
    out ("sas: %s", error ? error->message : "no call yet");
    return;
  }
  if (!match)
    out ("sas: you said the SAS differ: ending the call");
}

static gboolean
is_word (const char *line, const char *a, const char *b)
{
  return g_ascii_strcasecmp (line, a) == 0 || g_ascii_strcasecmp (line, b) == 0;
}

/* /dnd on|off: the protocol's busy status, so that the server answers
 * callers `busy`; the phone refuses an invite that crossed it too. */
static void
app_set_dnd (App * app, const char *arg)
{
  gboolean on = g_ascii_strcasecmp (arg, "on") == 0;

  if (!on && g_ascii_strcasecmp (arg, "off") != 0) {
    out ("dnd: say /dnd on or /dnd off");
    return;
  }
  sl_signal_client_set_busy (app->signal, on);
  app_update_accepting (app);
  out ("dnd: %s", on ? "on: callers hear busy" : "off: available");
}

/* @line is @command, alone or followed by a space and arguments. */
static gboolean
is_command (const char *line, const char *command)
{
  return g_str_has_prefix (line, command)
      && (line[strlen (command)] == '\0' || line[strlen (command)] == ' ');
}

/* /mute, /unmute, /camera off|on; "toggle" (the goggles keys) flips. */
static void
app_set_paused (App * app, const char *line)
{
  gboolean camera = g_str_has_prefix (line, "/camera");
  gboolean unmute = g_str_has_prefix (line, "/unmute");
  gboolean *flag = camera ? &app->camera_paused : &app->mic_muted;
  g_autofree char *arg = g_strstrip (g_strdup (line + strlen (camera ?
              "/camera" : unmute ? "/unmute" : "/mute")));

  if (g_str_equal (arg, "toggle")) {
    *flag = !*flag;
  } else if (camera && (g_str_equal (arg, "off") || g_str_equal (arg, "on"))) {
    *flag = g_str_equal (arg, "off");
  } else if (!camera && arg[0] == '\0') {
    *flag = !unmute;
  } else {
    out ("%s", camera ? "camera: say /camera off, /camera on or /camera toggle"
        : "microphone: say /mute, /unmute or /mute toggle");
    return;
  }
  if (app->call) {
    sl_call_set_mic_muted (app->call, app->mic_muted);
    sl_call_set_camera_paused (app->call, app->camera_paused);
  }
  if (app->view)
    sl_goggles_view_set_paused (app->view, app->mic_muted, app->camera_paused);
  if (camera)
    out ("camera: %s", app->camera_paused ? "paused" : "on");
  else
    out ("microphone: %s", app->mic_muted ? "muted" : "on");
}

/* What the user types during a call: chat, /hangup, /accept, /reject,
 * /dnd, /mute, /unmute, /camera, the goggles view's commands, and the
 * answer to the SAS question. */
static void
on_line (SightlineInput * input, const char *line, App * app)
{
  if (g_str_has_prefix (line, "/dnd ") || g_str_equal (line, "/dnd")) {
    g_autofree char *arg = g_strstrip (g_strdup (line + strlen ("/dnd")));

    app_set_dnd (app, arg);
  } else if (is_command (line, "/mute") || is_command (line, "/unmute")
      || is_command (line, "/camera")) {
    app_set_paused (app, line);
  } else if (app->asking_sas && (is_word (line, "y", "yes")
          || is_word (line, "n", "no"))) {
    app_answer_sas (app, is_word (line, "y", "yes"));
  } else if (sl_goggles_view_is_command (line)) {
    g_autoptr (GError) view_error = NULL;

    if (app->view == NULL)
      out ("goggles: not shown (use --display goggles or goggles-png:PATH)");
    else if (!sl_goggles_view_run_command (app->view, line, &view_error))
      out ("goggles: %s", view_error->message);
  } else if (app->call == NULL) {
    out ("no call yet");
  } else if (g_str_equal (line, "/sas-ok")) {
    app_answer_sas (app, TRUE);
  } else if (g_str_equal (line, "/sas-wrong")) {
    app_answer_sas (app, FALSE);
  } else if (g_str_equal (line, "/hangup")) {
    sl_call_hangup (app->call);
  } else if (g_str_equal (line, "/accept")) {
    sl_call_accept (app->call);
  } else if (g_str_equal (line, "/reject")) {
    sl_call_reject (app->call);
  } else {
    app_send_chat (app, line);
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

/* A call key in the goggles window: as if typed. */
static void
on_view_command (SlGogglesView * view, const char *command, App * app)
{
  on_line (app->input, command, app);
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

/* `call PEER`: a device online with that id, else the one device online
 * whose display name is PEER (any case), else PEER as a device id (an
 * offline one: no answer).  NULL, said on standard error, when the name
 * is ambiguous or nobody's. */
static char *
resolve_peer (App * app)
{
  g_autoptr (GPtrArray) peers = sl_signal_client_list_peers (app->signal);
  g_autoptr (GString) ids = g_string_new (NULL);
  g_autofree char *want = g_utf8_casefold (app->o->peer, -1);
  const char *found = NULL;
  guint i, n = 0;

  if (sl_signal_client_get_peer (app->signal, app->o->peer))
    return g_strdup (app->o->peer);
  for (i = 0; i < peers->len; i++) {
    const SlPeerInfo *p = g_ptr_array_index (peers, i);
    g_autofree char *name = p->name ? g_utf8_casefold (p->name, -1) : NULL;

    if (name == NULL || !g_str_equal (name, want))
      continue;
    found = p->id;
    n++;
    g_string_append_printf (ids, "%s%s", ids->len ? ", " : "", p->id);
  }
  if (n == 1)
    return g_strdup (found);
  if (n > 1)
    g_printerr ("sightline: \"%s\" is the name of %u devices online (%s): "
        "call one by its id\n", app->o->peer, n, ids->str);
  else if (sl_pki_check_device_id (app->o->peer, NULL))
    return g_strdup (app->o->peer);
  else
    g_printerr ("sightline: no device online has the id or name \"%s\" "
        "(sightline list shows them)\n", app->o->peer);
  return NULL;
}

static void
start_call (App * app)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlCall) call = NULL;
  g_autofree char *peer = NULL;

  if (app->call || app->quitting || !app->dtls_ready || !app->roster_seen
      || !sl_signal_client_is_connected (app->signal))
    return;
  peer = resolve_peer (app);
  if (peer == NULL) {
    app_quit (app, SL_EXIT_USAGE);
    return;
  }
  if (g_str_equal (peer, app->o->peer))
    out ("calling: %s", peer);
  else
    out ("calling: %s (%s)", peer, app->o->peer);
  call = sl_phone_call (app->phone, peer, app->o->code, &error);
  if (call == NULL) {
    out ("ended: %s", error->message);
    app_quit (app, sightline_exit_status (error));
  }
}

static void
on_roster_changed (SlSignalClient * signal, App * app)
{
  print_roster (app);
  app->roster_seen = TRUE;
  if (app->o->mode == SIGHTLINE_LIST)
    app_quit (app, SL_EXIT_OK);
  else if (app->o->mode == SIGHTLINE_CALL)
    start_call (app);
}

static void
on_connected (SlSignalClient * signal, App * app)
{
  g_clear_handle_id (&app->connect_source, g_source_remove);
  out ("server: connected as %s via %s",
      sl_signal_client_get_device_id (signal),
      sl_signal_client_get_server_url (signal));
  if (app->o->mode == SIGHTLINE_CALL)
    start_call (app);
  else if (app->o->mode == SIGHTLINE_WAIT && app->call == NULL)
    out ("waiting: for %s (Ctrl-C to stop)", app->o->once ? "a call" : "calls");
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
  if (takes_many_calls (app))
    app_stop_after_call (app, SL_EXIT_SERVER);
  else if (app->call == NULL || app->call_over)
    app_quit (app, SL_EXIT_SERVER);
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
  /* Never silently: a wearer whose camera is not found would otherwise
   * show the expert a test pattern without knowing it. */
  if (app->o->mode != SIGHTLINE_LIST) {
    if (sl_media_device_missing (app->o->media, SL_MEDIA_DEVICE_CAMERA))
      out ("warning: no camera found: calls send a test picture "
          "(`sightline devices`, --video-device, --video)");
    if (sl_media_device_missing (app->o->media, SL_MEDIA_DEVICE_MICROPHONE))
      out ("warning: no microphone found: calls send a test tone "
          "(`sightline devices`, --audio-device, --audio)");
    if (sl_media_speaker_missing (app->o->media))
      out ("warning: no speaker found: the other device's sound is not "
          "played (--audio-sink plays it elsewhere)");
  }
  if (app->o->mode == SIGHTLINE_CALL)
    start_call (app);
}

/* Ctrl-C, SIGTERM: hangs up a call (which then ends the program, once
 * its pipeline is gone: "ended"); before any call a `call` command was
 * cancelled.  A `wait` taking many calls exits 0: being stopped is how
 * it ends normally. */
static gboolean
on_signal (gpointer data)
{
  App *app = data;

  if (takes_many_calls (app)) {
    app_stop_after_call (app, SL_EXIT_OK);
    return G_SOURCE_CONTINUE;
  }
  if (app->call && !app->call_over) {
    sl_call_hangup (app->call);
    return G_SOURCE_CONTINUE;
  }
  if (app->call == NULL && app->o->mode == SIGHTLINE_CALL) {
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

  app->identity = sl_device_identity_load (app->o->cert,
      app->o->mode == SIGHTLINE_FORGET ? NULL : app->o->key,
      app->o->mode == SIGHTLINE_FORGET ? NULL : app->o->ca,
      app->o->mode ==
      SIGHTLINE_FORGET ? -1 : g_get_real_time () / G_USEC_PER_SEC, &error);
  if (app->identity == NULL) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  if (app->o->mode == SIGHTLINE_CALL && g_str_equal (app->o->peer,
          app->identity->device_id)) {
    g_printerr ("sightline: %s is this device: you cannot call yourself\n",
        app->o->peer);
    return FALSE;
  }
  path = sl_continuity_store_default_path (app->identity->device_id);
  app->store = sl_continuity_store_new (path);
  if (app->o->mode != SIGHTLINE_FORGET && app->o->mode != SIGHTLINE_LIST
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

  if (!sl_continuity_store_forget (app->store, app->o->peer, &found, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return g_error_matches (error, SL_CONTINUITY_ERROR,
        SL_CONTINUITY_ERROR_INVALID) ? SL_EXIT_USAGE : SL_EXIT_FAILURE;
  }
  out (found ? "forget: %s forgotten: the next call with it needs a security "
      "code or a SAS comparison" : "forget: %s was not remembered",
      app->o->peer);
  return SL_EXIT_OK;
}

/* Everything main() made, on every way out; returns @status. */
static int
app_clear (App * app, int status)
{
  g_clear_object (&app->phone);
  g_clear_object (&app->view);
  g_clear_object (&app->signal);
  g_clear_object (&app->store);
  g_clear_pointer (&app->identity, sl_device_identity_free);
  sl_crypto_set_wipe_observer (NULL, NULL);
  g_clear_pointer (&app->wiped, g_hash_table_unref);
  g_clear_pointer (&app->o, sightline_options_free);
  gst_deinit ();
  return status;
}

/* `devices`: what --video-device and --audio-device take, and what a
 * call does without them. */
static int
list_devices (void)
{
  static const struct
  {
    SlMediaDeviceKind kind;
    const char *what;
    const char *option;
    const char *source_option;
    const char *fallback;
  } kinds[] = {
    {SL_MEDIA_DEVICE_CAMERA, "camera", "--video-device", "--video",
        "a call sends a test picture"},
    {SL_MEDIA_DEVICE_MICROPHONE, "microphone", "--audio-device", "--audio",
        "a call sends a test tone"},
  };
  guint k, i;

  for (k = 0; k < G_N_ELEMENTS (kinds); k++) {
    g_autoptr (GPtrArray) devices = sl_media_device_list (kinds[k].kind);

    if (devices->len == 0)
      out ("devices: no %s found (%s; %s takes a gst-launch description)",
          kinds[k].what, kinds[k].fallback, kinds[k].source_option);
    for (i = 0; i < devices->len; i++) {
      const SlMediaDevice *d = g_ptr_array_index (devices, i);
      g_autofree char *quoted = g_shell_quote (d->name);

      out ("%s: %s %s   (%s)", kinds[k].what, kinds[k].option, quoted,
          d->source);
    }
  }
  return SL_EXIT_OK;
}

/* --log-file: standard error itself goes to the file, so that GLib's,
 * GStreamer's and our own diagnostics all land there. */
static gboolean
open_log_file (const char *path)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

  if (fd < 0) {
    int saved = errno;

    g_printerr ("sightline: cannot open the log file %s: %s\n", path,
        g_strerror (saved));
    return FALSE;
  }
  if (dup2 (fd, STDERR_FILENO) < 0) {
    int saved = errno;

    close (fd);
    g_printerr ("sightline: cannot log to %s: %s\n", path, g_strerror (saved));
    return FALSE;
  }
  close (fd);
  sl_log_stamp_printerr ();
  return TRUE;
}

int
main (int argc, char **argv)
{
  App app = { 0, };
  g_autoptr (GError) error = NULL;

  sl_crypto_init_process ();
  setvbuf (stdout, NULL, _IOLBF, 0);
  /* Diagnostics read later (a file, a journal, a test's log) say when. */
  if (!isatty (STDERR_FILENO))
    sl_log_stamp_printerr ();
  app.o = sightline_options_parse (&argc, &argv);
  if (app.o == NULL)
    return app_clear (&app, SL_EXIT_USAGE);
  if (app.o->version) {
    out ("sightline %s", PACKAGE_VERSION);
    return app_clear (&app, SL_EXIT_OK);
  }
  if (app.o->log_file && !open_log_file (app.o->log_file))
    return app_clear (&app, SL_EXIT_USAGE);
  /* Parsing ran gst_init; no dtls plugin is loaded yet. */
  if (!sl_dtls_tuning_install (&error)) {
    g_warning ("%s (the fallback: LD_PRELOAD=%s)", error->message,
        SL_DTLS_PRELOAD_PATH);
    g_clear_error (&error);
  }
  /* No core dumps with keys in them.  Not with a window: X's shared
   * memory transport refuses non-dumpable clients. */
  if (app.o->media->display != SL_DISPLAY_WINDOW && (app.o->goggles == NULL
          || app.o->goggles->output != SL_GOGGLES_OUTPUT_WINDOW))
    prctl (PR_SET_DUMPABLE, 0);
  sl_log_init ("sightline", SL_LOG_FORMAT_TEXT, FALSE);
  if (app.o->mode == SIGHTLINE_DEVICES)
    return app_clear (&app, list_devices ());
  if (!load_identity (&app))
    return app_clear (&app, SL_EXIT_USAGE);
  if (app.o->mode == SIGHTLINE_FORGET)
    return app_clear (&app, forget (&app));
  sl_dtls_guard_install ();

#ifdef SL_TEST_HOOKS
  if (g_getenv ("SL_TEST_OBSERVE_WIPES")) {
    g_mutex_init (&app.wiped_lock);
    app.wiped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    sl_crypto_set_wipe_observer (on_wipe, &app);
  }
#endif

  if (app.o->goggles) {
    app.view = sl_goggles_view_new (app.o->goggles, &error);
    if (app.view == NULL) {
      g_printerr ("sightline: %s\n", error->message);
      return app_clear (&app, SL_EXIT_USAGE);
    }
    g_signal_connect (app.view, "notice", G_CALLBACK (on_view_notice), &app);
    g_signal_connect (app.view, "sas-answer", G_CALLBACK (on_view_sas_answer),
        &app);
    g_signal_connect (app.view, "command", G_CALLBACK (on_view_command), &app);
    out ("goggles: %ux%u, %s", sl_goggles_view_get_width (app.view),
        sl_goggles_view_get_height (app.view),
        app.o->goggles->output == SL_GOGGLES_OUTPUT_WINDOW ? "full screen" :
        app.o->goggles->png_path);
  }

  app.signal =
      sl_signal_client_new_multi ((const char *const *) app.o->servers,
      app.o->cert, app.o->key, app.o->ca, &error);
  if (app.signal == NULL) {
    g_printerr ("sightline: %s\n", error->message);
    return app_clear (&app, SL_EXIT_USAGE);
  }
  app.phone = sl_phone_new (app.signal, app.o->media);
  sl_phone_set_continuity (app.phone, app.store, app.identity->cert_hash);
  sl_phone_set_code (app.phone, app.o->code);
  /* Only `wait` takes calls; a device placing one is busy for others. */
  app_update_accepting (&app);
  app.loop = g_main_loop_new (NULL, FALSE);
  app.cancellable = g_cancellable_new ();
  g_signal_connect (app.signal, "connected", G_CALLBACK (on_connected), &app);
  g_signal_connect (app.signal, "disconnected", G_CALLBACK (on_disconnected),
      &app);
  g_signal_connect (app.signal, "refused", G_CALLBACK (on_refused), &app);
  g_signal_connect (app.signal, "roster-changed",
      G_CALLBACK (on_roster_changed), &app);
  g_signal_connect (app.phone, "call-added", G_CALLBACK (on_call_added), &app);
  g_signal_connect (app.phone, "incoming-call", G_CALLBACK (on_incoming_call),
      &app);
  g_signal_connect (app.phone, "incoming-refused",
      G_CALLBACK (on_incoming_refused), &app);
  g_signal_connect (app.phone, "server-error", G_CALLBACK (on_server_error),
      &app);
  g_unix_signal_add (SIGINT, on_signal, &app);
  g_unix_signal_add (SIGTERM, on_signal, &app);

  /* The DTLS certificate is made now, not on the first call. */
  if (app.o->mode != SIGHTLINE_LIST)
    sl_media_prepare_dtls_async (app.o->media->video_source == NULL
        || app.o->media->audio_source == NULL
        || app.o->media->play_audio, app.cancellable, on_dtls_ready, &app);
  sl_signal_client_start (app.signal);
  if (app.o->connect_timeout > 0)
    app.connect_source = g_timeout_add_seconds (app.o->connect_timeout,
        on_connect_timeout, &app);
  app.input = sightline_input_new (0);
  g_signal_connect (app.input, "line", G_CALLBACK (on_line), &app);

  g_main_loop_run (app.loop);

  g_cancellable_cancel (app.cancellable);
  sightline_input_stop (app.input);
  /* A `wait` wrote each call's figures as it ended. */
  if (app.call || app.calls_done == 0)
    write_stats (&app);
  g_clear_handle_id (&app.connect_source, g_source_remove);
  g_clear_handle_id (&app.call_over_source, g_source_remove);
  g_clear_handle_id (&app.duration_source, g_source_remove);
  g_clear_handle_id (&app.stats_source, g_source_remove);
  app_forget_call (&app);
  g_clear_object (&app.phone);
  sl_signal_client_stop (app.signal);
  g_signal_handlers_disconnect_by_data (app.input, &app);
  g_clear_object (&app.input);
  g_clear_object (&app.cancellable);
  g_main_loop_unref (app.loop);
  return app_clear (&app, app.exit_status);
}
