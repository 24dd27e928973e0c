/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The `sightline` command: lists the devices online, places a call, or
 * waits for one.  It prints the roster, call state changes, the SAS and
 * chat on standard output, one line each, so that people and scripts can
 * follow a call; lines typed on standard input are sent as chat.  The exit
 * status tells how the call ended (see --help).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <gst/gst.h>

#include "sl-call.h"
#include "sl-client-error.h"
#include "sl-crypto.h"
#include "sl-dtls-guard.h"
#include "sl-goggles-view.h"
#include "sightline-stats.h"
#include "sl-log.h"
#include "sl-signal-client.h"
#include "sl-signalling.h"

typedef enum
{
  MODE_LIST,
  MODE_CALL,
  MODE_WAIT,
} Mode;

typedef struct
{
  GMainLoop *loop;
  Mode mode;
  char *peer;
  char *code;
  gboolean auto_answer;
  gboolean auto_reject;
  int duration;
  int connect_timeout;
  char *stats_path;
  char **chat;
  SlMediaOptions *opts;
  SlGogglesView *view;

  SlSignalClient *signal;
  SlCall *call;
  GCancellable *cancellable;
  GDataInputStream *input;
  guint duration_source;
  guint stats_source;
  guint connect_source;
  int exit_status;
  gboolean quitting;
  gboolean dtls_ready;
  gint64 first_frame_us;
  guint chat_sent;
  guint chat_acked;
  guint chat_received;
  GHashTable *wiped;            /* test hook: label -> "zero"/"nonzero" */
  GMutex wiped_lock;
} App;

static const char summary_text[] =
    "Commands:\n"
    "  list          print the devices online and exit\n"
    "  call PEER     call the device PEER\n"
    "  wait          wait for a call (--auto-answer to take it)\n"
    "\n"
    "During a call, lines typed on standard input are sent as chat;\n"
    "\"/hangup\" ends the call, \"/accept\" and \"/reject\" answer one.\n"
    "\n"
    "Goggles view (--display goggles or goggles-png:PATH): the expert's video\n"
    "over black (--mode optical, for see-through displays) or over the\n"
    "wearer's camera (--mode video), with the call's HUD in the corners:\n"
    "state, peer, SAS and verified badge, chat, link quality.  goggles opens\n"
    "a full-screen window; goggles-png:PATH rewrites PATH with exactly what\n"
    "the wearer sees every second and once more when the call ends.\n"
    "Change it during the call on standard input:\n"
    "  /opacity 0..1   /placement NAME   /scale 0.01..2   /mode optical|video\n"
    "or with keys in the window: + and - (opacity), p (next placement),\n"
    "s and S (smaller, larger), m (optical/video).  Placements: center,\n"
    "top-left, top-right, bottom-left, bottom-right, top, bottom, left, right.\n"
    "\n"
    "Exit status:\n"
    "  0  the call completed (or list succeeded)\n"
    "  1  internal error\n"
    "  2  usage or configuration error\n"
    "  3  the call was rejected\n"
    "  4  the other device is busy\n"
    "  5  no answer (or the other device is offline)\n"
    "  6  wrong security code or interception detected (incl. a DTLS\n"
    "     certificate that does not match the sealed SDP)\n"
    "  7  the server cannot be reached\n"
    "  8  media failure (ICE, DTLS, pipeline)\n"
    "  9  the other device stopped answering (heartbeat)";

static void
out (const char *format, ...)
G_GNUC_PRINTF (1, 2);

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
quit (App * app, int status)
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

/* ------------------------------------------------------------------ */
/* Statistics                                                           */

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

static void
on_state_changed (SlCall * call, int state, App * app)
{
  out ("state: %s", sl_call_state_to_string (state));
}

static void
on_sas (SlCall * call, const char *sas, App * app)
{
  out ("sas: %s", sas);
  out ("Read the code aloud: both screens must show the same digits.");
}

static void
send_chat (App * app, const char *text)
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
on_verified (SlCall * call, App * app)
{
  char **c;

  out ("verified: yes (setup %.0f ms)",
      (sl_call_get_verified_us (call) - sl_call_get_created_us (call)) /
      1000.0);
  for (c = app->chat; c && *c; c++)
    send_chat (app, *c);
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

  quit (app, app->exit_status);
  return G_SOURCE_REMOVE;
}

static void
on_ended (SlCall * call, GError * error, App * app)
{
  SlMediaStats st = { 0, };
  int status = sl_client_error_exit_status (error);

  g_clear_handle_id (&app->duration_source, g_source_remove);
  g_clear_handle_id (&app->stats_source, g_source_remove);
  out ("ended: %s", error ? error->message : "call completed");
  if (sl_call_get_media_stats (call, &st)) {
    out ("summary: verified=%s setup_ms=%.0f frames=%" G_GUINT64_FORMAT
        " audio_buffers=%" G_GUINT64_FORMAT " codec=%s",
        sl_call_was_verified (call) ? "yes" : "no",
        sl_call_get_verified_us (call) > 0 ? (sl_call_get_verified_us (call)
            - sl_call_get_created_us (call)) / 1000.0 : -1.0,
        st.video_frames_rendered, st.audio_buffers_rendered, st.codec);
    sl_media_stats_clear (&st);
  }
  if ((app->opts->display == SL_DISPLAY_PNG && sl_call_was_verified (call))
      || (app->view && sl_goggles_view_get_snapshots (app->view) > 0))
    out ("snapshot: %s", app->opts->png_path);
  /* A call that ended normally but never got verified is no success. */
  if (status == SL_EXIT_OK && !sl_call_was_verified (call))
    status = SL_EXIT_MEDIA;
  app->exit_status = status;
  /* Let the hang-up reach the server before the connection closes. */
  g_timeout_add (200, on_quit_later, app);
}

static void
watch_call (App * app)
{
  g_signal_connect (app->call, "state-changed", G_CALLBACK (on_state_changed),
      app);
  g_signal_connect (app->call, "sas", G_CALLBACK (on_sas), app);
  g_signal_connect (app->call, "verified", G_CALLBACK (on_verified), app);
  g_signal_connect (app->call, "first-frame", G_CALLBACK (on_first_frame), app);
  g_signal_connect (app->call, "chat", G_CALLBACK (on_chat), app);
  g_signal_connect (app->call, "chat-acked", G_CALLBACK (on_chat_acked), app);
  g_signal_connect (app->call, "ended", G_CALLBACK (on_ended), app);
  if (app->view)
    sl_goggles_view_watch_call (app->view, app->call, app->signal);
}

static void
on_view_notice (SlGogglesView * view, const char *text, App * app)
{
  out ("goggles: %s", text);
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
    quit (app, SL_EXIT_OK);
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
  quit (app, SL_EXIT_SERVER);
  return G_SOURCE_REMOVE;
}

static void
on_dtls_ready (GObject * source, GAsyncResult * result, gpointer data)
{
  App *app = data;
  g_autoptr (GError) error = NULL;

  if (!sl_media_prepare_dtls_finish (result, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    quit (app, SL_EXIT_USAGE);
    return;
  }
  app->dtls_ready = TRUE;
  if (app->mode == MODE_CALL)
    start_call (app);
}

/* ------------------------------------------------------------------ */
/* Standard input                                                       */

static void read_line (App * app);

static void
on_line (GObject * source, GAsyncResult * result, gpointer data)
{
  App *app = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM
      (source), result, NULL, &error);
  if (line == NULL)
    return;                     /* end of input or cancelled: chat stops */
  g_strstrip (line);
  if (*line == '\0') {
  } else if (sl_goggles_view_is_command (line)) {
    g_autoptr (GError) view_error = NULL;

    if (app->view == NULL)
      out ("goggles: not shown (use --display goggles or goggles-png:PATH)");
    else if (!sl_goggles_view_run_command (app->view, line, &view_error))
      out ("goggles: %s", view_error->message);
  } else if (app->call == NULL) {
    out ("no call yet");
  } else if (g_str_equal (line, "/hangup")) {
    sl_call_hangup (app->call);
  } else if (g_str_equal (line, "/accept")) {
    sl_call_accept (app->call);
  } else if (g_str_equal (line, "/reject")) {
    sl_call_reject (app->call);
  } else {
    send_chat (app, line);
  }
  read_line (app);
}

static void
read_line (App * app)
{
  g_data_input_stream_read_line_async (app->input, G_PRIORITY_DEFAULT,
      app->cancellable, on_line, app);
}

static gboolean
on_signal (gpointer data)
{
  App *app = data;

  if (app->call && sl_call_get_state (app->call) != SL_CALL_STATE_ENDED) {
    sl_call_hangup (app->call);
    return G_SOURCE_CONTINUE;
  }
  quit (app, SL_EXIT_OK);
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */

static gboolean
parse (App * app, int *argc, char ***argv, char **server, char **cert,
    char **key, char **ca)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *codec = NULL;
  g_auto (GStrv) ice = NULL;
  g_auto (GStrv) turn = NULL;
  g_autofree char *stun = NULL;
  g_autofree char *size = NULL, *opacity = NULL, *placement = NULL;
  g_autofree char *scale = NULL, *mode = NULL;
  gboolean relay_only = FALSE, measure = FALSE, ok = TRUE;
  int width = 0, height = 0, fps = 0, kbps = 0, latency = -1;
  GOptionEntry entries[] = {
    {"server", 0, 0, G_OPTION_ARG_STRING, server,
        "Signalling server, wss://HOST:PORT", "URL"},
    {"cert", 0, 0, G_OPTION_ARG_FILENAME, cert, "Device certificate (PEM)",
        "FILE"},
    {"key", 0, 0, G_OPTION_ARG_FILENAME, key, "Device private key (PEM)",
        "FILE"},
    {"ca", 0, 0, G_OPTION_ARG_FILENAME, ca, "Operator CA certificate (PEM)",
        "FILE"},
    {"code", 0, 0, G_OPTION_ARG_STRING, &app->code,
        "Security code, typed on both devices", "CODE"},
    {"auto-answer", 0, 0, G_OPTION_ARG_NONE, &app->auto_answer,
        "wait: accept the call at once", NULL},
    {"auto-reject", 0, 0, G_OPTION_ARG_NONE, &app->auto_reject,
        "wait: decline the call at once", NULL},
    {"video", 0, 0, G_OPTION_ARG_STRING, &app->opts->video_source,
        "Video source: \"test\" or a gst-launch description "
          "(default: camera if present)", "DESC"},
    {"audio", 0, 0, G_OPTION_ARG_STRING, &app->opts->audio_source,
        "Audio source: \"test\" or a gst-launch description "
          "(default: microphone if present)", "DESC"},
    {"display", 0, 0, G_OPTION_ARG_STRING, &display,
        "What to do with received video: window, none, png:PATH (the last "
          "frame at the end), goggles (the goggles view, full screen) or "
          "goggles-png:PATH (the goggles view as PNG, every second)", "MODE"},
    {"goggles-size", 0, 0, G_OPTION_ARG_STRING, &size,
        "Goggles view size (default: the screen's; 1280x720 for PNG)", "WxH"},
    {"opacity", 0, 0, G_OPTION_ARG_STRING, &opacity,
        "Goggles view: opacity of the expert's video (0.8)", "0..1"},
    {"placement", 0, 0, G_OPTION_ARG_STRING, &placement,
        "Goggles view: where the expert's video sits (center)", "NAME"},
    {"scale", 0, 0, G_OPTION_ARG_STRING, &scale,
          "Goggles view: size of the expert's video, 1 = as large as fits (1)",
        "0.01..2"},
    {"mode", 0, 0, G_OPTION_ARG_STRING, &mode,
          "Goggles view: optical (over black) or video (over the camera)",
        "MODE"},
    {"camera", 0, 0, G_OPTION_ARG_STRING, &app->opts->camera_source,
        "Goggles view: the wearer's camera as \"test\" or a gst-launch "
          "description (default: the --video capture; without --video it "
          "feeds the call too)", "DESC"},
    {"width", 0, 0, G_OPTION_ARG_INT, &width, "Video width (640)", "PX"},
    {"height", 0, 0, G_OPTION_ARG_INT, &height, "Video height (480)", "PX"},
    {"fps", 0, 0, G_OPTION_ARG_INT, &fps, "Frame rate (30)", "N"},
    {"bitrate", 0, 0, G_OPTION_ARG_INT, &kbps, "Video bitrate (1500)",
        "KBIT/S"},
    {"codec", 0, 0, G_OPTION_ARG_STRING, &codec,
        "Video codec: vp8 (default) or h264 (used if both ends can)", "NAME"},
    {"latency", 0, 0, G_OPTION_ARG_INT, &latency,
        "Jitterbuffer latency (30)", "MS"},
    {"duration", 0, 0, G_OPTION_ARG_INT, &app->duration,
        "Hang up this many seconds after the call is verified", "S"},
    {"chat", 0, 0, G_OPTION_ARG_STRING_ARRAY, &app->chat,
        "Send this chat message once verified (repeatable)", "TEXT"},
    {"stats-json", 0, 0, G_OPTION_ARG_FILENAME, &app->stats_path,
        "Write call statistics to this file at exit", "PATH"},
    {"measure-latency", 0, 0, G_OPTION_ARG_NONE, &measure,
          "Mark frames to measure capture-to-decode latency (same machine)",
        NULL},
    {"ice-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ice,
        "Local address ICE may use (repeatable; default: all)", "ADDR"},
    {"stun", 0, 0, G_OPTION_ARG_STRING, &stun, "STUN server", "stun://H:P"},
    {"turn", 0, 0, G_OPTION_ARG_STRING_ARRAY, &turn,
        "TURN server (repeatable)", "turn://U:P@H:P"},
    {"ice-relay-only", 0, 0, G_OPTION_ARG_NONE, &relay_only,
        "Use TURN relays only; never reveal host addresses", NULL},
    {"connect-timeout", 0, 0, G_OPTION_ARG_INT, &app->connect_timeout,
        "Give up if the server cannot be reached in time (10)", "S"},
    {NULL}
  };

  context = g_option_context_new ("(list | call PEER | wait)");
  g_option_context_set_summary (context,
      "Secure video calls between goggles and an expert's PC.");
  g_option_context_set_description (context, summary_text);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, argc, argv, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  if (*argc >= 2 && g_str_equal ((*argv)[1], "list") && *argc == 2) {
    app->mode = MODE_LIST;
  } else if (*argc == 3 && g_str_equal ((*argv)[1], "call")) {
    app->mode = MODE_CALL;
    app->peer = g_strdup ((*argv)[2]);
  } else if (*argc == 2 && g_str_equal ((*argv)[1], "wait")) {
    app->mode = MODE_WAIT;
  } else {
    g_printerr ("sightline: say list, call PEER or wait (see --help)\n");
    return FALSE;
  }
  if (!*server || !*cert || !*key || !*ca) {
    g_printerr ("sightline: --server, --cert, --key and --ca are needed\n");
    return FALSE;
  }
  if (display && !sl_media_options_set_display (app->opts, display, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  if (codec && !sl_media_options_set_codec (app->opts, codec, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  if ((size || opacity || placement || scale || mode
          || app->opts->camera_source)
      && !sl_media_display_is_goggles (app->opts->display)) {
    g_printerr ("sightline: --goggles-size, --opacity, --placement, --scale, "
        "--mode and --camera need --display goggles or goggles-png:PATH\n");
    return FALSE;
  }
  if (size)
    ok = sl_media_options_set_goggles_size (app->opts, size, &error);
  if (ok && opacity)
    ok = sl_media_check_opacity (opacity, &app->opts->goggles_opacity, &error);
  if (ok && scale)
    ok = sl_media_check_scale (scale, &app->opts->goggles_scale, &error);
  if (ok && mode)
    ok = sl_media_check_see_through_mode (mode, &app->opts->goggles_mode,
        &error);
  if (ok && placement && (ok = sl_media_check_placement (placement, &error))) {
    g_free (app->opts->goggles_placement);
    app->opts->goggles_placement = g_steal_pointer (&placement);
  }
  if (!ok) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  /* One camera on the goggles: it feeds the call and the view. */
  if (app->opts->camera_source && app->opts->video_source == NULL) {
    app->opts->video_source = app->opts->camera_source;
    app->opts->camera_source = NULL;
  }
  if (width < 0 || height < 0 || fps < 0 || kbps < 0 || latency > 5000
      || width > 7680 || height > 4320 || fps > 120 || kbps > 100000
      || app->duration < 0) {
    g_printerr ("sightline: a size, rate, bitrate or duration is out of "
        "range\n");
    return FALSE;
  }
  if (width)
    app->opts->width = width;
  if (height)
    app->opts->height = height;
  if (fps)
    app->opts->framerate = fps;
  if (kbps)
    app->opts->video_kbps = kbps;
  if (latency >= 0)
    app->opts->latency_ms = latency;
  app->opts->ice_addresses = g_steal_pointer (&ice);
  app->opts->turn_servers = g_steal_pointer (&turn);
  app->opts->stun_server = g_steal_pointer (&stun);
  app->opts->relay_only = relay_only;
  app->opts->mark_frames = measure;
  return TRUE;
}

/* Everything main() made, on every way out; returns @status. */
static int
app_clear (App * app, int status)
{
  g_clear_object (&app->view);
  g_clear_object (&app->signal);
  sl_crypto_set_wipe_observer (NULL, NULL);
  g_clear_pointer (&app->wiped, g_hash_table_unref);
  g_clear_pointer (&app->opts, sl_media_options_free);
  g_clear_pointer (&app->peer, g_free);
  g_clear_pointer (&app->code, g_free);
  g_clear_pointer (&app->stats_path, g_free);
  g_clear_pointer (&app->chat, g_strfreev);
  gst_deinit ();
  return status;
}

int
main (int argc, char **argv)
{
  App app = { 0, };
  g_autofree char *server = NULL, *cert = NULL, *key = NULL, *ca = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) in = NULL;

  sl_crypto_init_process ();
  setvbuf (stdout, NULL, _IOLBF, 0);
  app.opts = sl_media_options_new ();
  app.connect_timeout = 10;
  if (!parse (&app, &argc, &argv, &server, &cert, &key, &ca))
    return app_clear (&app, SL_EXIT_USAGE);
  /* No core dumps with keys in them.  Not with a window: X's shared
   * memory transport refuses non-dumpable clients. */
  if (app.opts->display != SL_DISPLAY_WINDOW
      && app.opts->display != SL_DISPLAY_GOGGLES)
    prctl (PR_SET_DUMPABLE, 0);
  sl_log_init ("sightline", SL_LOG_FORMAT_TEXT, FALSE);
  sl_dtls_guard_install ();

#ifdef SL_TEST_HOOKS
  if (g_getenv ("SL_TEST_OBSERVE_WIPES")) {
    g_mutex_init (&app.wiped_lock);
    app.wiped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    sl_crypto_set_wipe_observer (on_wipe, &app);
  }
#endif

  if (sl_media_display_is_goggles (app.opts->display)) {
    app.view = sl_goggles_view_new (app.opts, &error);
    if (app.view == NULL) {
      g_printerr ("sightline: %s\n", error->message);
      return app_clear (&app, SL_EXIT_USAGE);
    }
    g_signal_connect (app.view, "notice", G_CALLBACK (on_view_notice), &app);
    app.opts->goggles_view = g_object_ref (G_OBJECT (app.view));
    out ("goggles: %ux%u, %s", sl_goggles_view_get_width (app.view),
        sl_goggles_view_get_height (app.view),
        app.opts->display == SL_DISPLAY_GOGGLES ? "full screen" :
        app.opts->png_path);
  }

  app.signal = sl_signal_client_new (server, cert, key, ca, &error);
  if (app.signal == NULL) {
    g_printerr ("sightline: %s\n", error->message);
    return app_clear (&app, SL_EXIT_USAGE);
  }
  app.loop = g_main_loop_new (NULL, FALSE);
  app.cancellable = g_cancellable_new ();
  g_signal_connect (app.signal, "connected", G_CALLBACK (on_connected), &app);
  g_signal_connect (app.signal, "disconnected", G_CALLBACK (on_disconnected),
      &app);
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
        || app.opts->display == SL_DISPLAY_WINDOW
        || app.opts->display == SL_DISPLAY_GOGGLES, app.cancellable,
        on_dtls_ready, &app);
  sl_signal_client_start (app.signal);
  if (app.connect_timeout > 0)
    app.connect_source = g_timeout_add_seconds (app.connect_timeout,
        on_connect_timeout, &app);
  in = g_unix_input_stream_new (0, FALSE);
  app.input = g_data_input_stream_new (in);
  read_line (&app);

  g_main_loop_run (app.loop);

  g_cancellable_cancel (app.cancellable);
  write_stats (&app);
  g_clear_handle_id (&app.connect_source, g_source_remove);
  g_clear_handle_id (&app.duration_source, g_source_remove);
  g_clear_handle_id (&app.stats_source, g_source_remove);
  if (app.call)
    g_signal_handlers_disconnect_by_data (app.call, &app);
  if (app.view)
    sl_goggles_view_forget_call (app.view);
  g_clear_object (&app.call);
  sl_signal_client_stop (app.signal);
  g_clear_object (&app.input);
  g_clear_object (&app.cancellable);
  g_main_loop_unref (app.loop);
  return app_clear (&app, app.exit_status);
}
