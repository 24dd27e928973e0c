/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The `sightline` command's options, commands and --help text.  Anything
 * a user can get wrong on the command line is refused here, before
 * anything connects (exit status 2).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/gst.h>

#include "sightline-config.h"
#include "sightline-options.h"
#include "sightline/sl-media-device-list.h"
#include "sl-pki.h"

static const char summary_text[] =
    "Commands:\n"
    "  list          print the devices online and exit\n"
    "  call PEER     call the device PEER: its id, or its name when exactly\n"
    "                one device online has it (any case)\n"
    "  wait          take calls until stopped by Ctrl-C or SIGTERM\n"
    "                (--auto-answer to take them, --once for one call)\n"
    "  forget PEER   forget the key of earlier verified calls with PEER\n"
    "  devices       list this machine's cameras and microphones with the\n"
    "                names --video-device and --audio-device take\n"
    "\n"
    "A call is secured once its keys are agreed and the media bound to them,\n"
    "and verified once the other device is authenticated: by the security\n"
    "code (--code, the same on both devices), by both users confirming the\n"
    "SAS, or by the key kept from an earlier verified call with it.\n"
    "\n"
    "During a call, lines typed on standard input are sent as chat;\n"
    "\"/hangup\" ends the call, \"/accept\" and \"/reject\" answer one,\n"
    "\"/sas-ok\" says that both screens show the same SAS and \"/sas-wrong\"\n"
    "that they do not (which ends the call on both devices as an interception).\n"
    "\"/dnd on\" sets do not disturb (the server answers callers busy),\n"
    "\"/dnd off\" makes this device available again.\n"
    "\"/mute\" and \"/unmute\" send silence instead of the microphone or\n"
    "stop doing so, \"/camera off\" and \"/camera on\" stop and resume\n"
    "sending video (\"toggle\" after either flips it); the peer is told.\n"
    "\n"
    "Goggles view (--display goggles or goggles-png:PATH): the expert's video\n"
    "over black (--mode optical, for see-through displays) or over the\n"
    "wearer's camera (--mode video), with the call's HUD in the corners:\n"
    "state, peer, SAS and security, chat, link quality.  goggles opens\n"
    "a full-screen window; goggles-png:PATH rewrites PATH with exactly what\n"
    "the wearer sees every second and once more when the call ends.\n"
    "Change it during the call on standard input:\n"
    "  /opacity 0..1   /placement NAME   /scale 0.01..2   /mode optical|video\n"
    "or with keys in the window: + and - (opacity), p (next placement),\n"
    "s and S (smaller, larger), v (optical/video), y and n (the SAS match,\n"
    "or not: as /sas-ok and /sas-wrong); call keys: a, Return or\n"
    "XF86AudioPlay (/accept), r or Escape (/reject), h, XF86AudioStop or\n"
    "XF86AudioPause (/hangup), m, XF86AudioMicMute or XF86AudioMute\n"
    "(/mute toggle), c or XF86WebCam (/camera toggle), volume keys\n"
    "(opacity).  Placements:\n"
    "center, top-left, top-right, bottom-left, bottom-right, top, bottom,\n"
    "left, right.\n"
    "\n"
    "Exit status:\n"
    "  0  the call completed (or list or forget succeeded); wait without\n"
    "     --once: stopped by Ctrl-C or SIGTERM, whatever its calls did\n"
    "  1  internal error\n"
    "  2  usage or configuration error (bad option, a bad configuration\n"
    "     file, a device id that cannot exist, calling yourself, a name no\n"
    "     device or several devices online have, a certificate, key or CA\n"
    "     file that is unreadable, does not match, is expired or not yet\n"
    "     valid)\n"
    "  3  the call was rejected\n"
    "  4  the other device is busy\n"
    "  5  no answer, the other device is offline, or it hung up before the\n"
    "     call was set up\n"
    "  6  wrong security code or interception detected (a handshake message\n"
    "     or sealed record refused, a DTLS certificate that does not match\n"
    "     the sealed SDP, a media binding that fails, a SAS reported wrong)\n"
    "  7  the server cannot be reached, or refused this device (TLS alert)\n"
    "  8  media failure (ICE, DTLS, pipeline)\n"
    "  9  the other device stopped answering (heartbeat)\n"
    "  10 you cancelled the call before it was set up (/hangup, Ctrl-C)\n"
    "  11 the operator's call policy does not allow this call";

/* `call` also takes a display name, looked up in the roster later: text
 * that a certificate's name could hold. */
static gboolean
is_display_name (const char *s)
{
  const char *p;

  if (*s == '\0' || strlen (s) > 255 || !g_utf8_validate (s, -1, NULL))
    return FALSE;
  for (p = s; *p; p = g_utf8_next_char (p)) {
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  }
  return TRUE;
}

void
sightline_options_free (SightlineOptions * self)
{
  if (self == NULL)
    return;
  g_free (self->peer);
  if (self->code)
    memset (self->code, 0, strlen (self->code));
  g_free (self->code);
  g_strfreev (self->servers);
  g_free (self->cert);
  g_free (self->key);
  g_free (self->ca);
  g_free (self->stats_path);
  g_free (self->log_file);
  g_strfreev (self->chat);
  g_clear_pointer (&self->media, sl_media_options_free);
  g_clear_pointer (&self->goggles, sl_goggles_options_free);
  g_free (self);
}

static gboolean parse (SightlineOptions * app, int *argc, char ***argv);

/* --video-device/--audio-device NAME: the device's description, as if
 * given with --video/--audio. */
static gboolean
pick_device (SlMediaDeviceKind kind, const char *source_option,
    const char *name, char **source)
{
  g_autoptr (GError) error = NULL;

  if (name == NULL)
    return TRUE;
  if (*source) {
    g_printerr ("sightline: %s-device and %s pick the same source: give "
        "one\n", source_option, source_option);
    return FALSE;
  }
  *source = sl_media_device_find (kind, name, &error);
  if (*source == NULL) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  return TRUE;
}

/* The file fills what the command line left unset. */
static gboolean
apply_config (const char *config, const char *profile,
    const GOptionEntry * entries)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = config ? g_strdup (config) :
      sightline_config_default_path ();

  if (profile && *profile == '\0') {
    g_printerr ("sightline: --profile needs a name\n");
    return FALSE;
  }
  if (!sightline_config_apply (path, config != NULL, profile, entries, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  return TRUE;
}

/* A sink description must build, and take what it is given: refused now
 * (exit status 2), not when the call's first frame arrives. */
static gboolean
check_sink (const char *option, const char *desc)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) bin = NULL;
  g_autoptr (GstPad) sink = NULL;

  if (desc == NULL)
    return TRUE;
  bin = gst_parse_bin_from_description_full (desc, TRUE, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (bin == NULL) {
    g_printerr ("sightline: %s \"%s\": %s\n", option, desc, error->message);
    return FALSE;
  }
  gst_object_ref_sink (bin);
  sink = gst_element_get_static_pad (bin, "sink");
  if (sink == NULL) {
    g_printerr ("sightline: %s \"%s\" takes no input: give a sink, e.g. "
        "\"fakesink\" or \"... ! filesink location=FILE\"\n", option, desc);
    return FALSE;
  }
  return TRUE;
}

/**
 * sightline_options_parse:
 * @argc: (inout): from main()
 * @argv: (inout): from main()
 *
 * Reads the options and the command; says what is wrong on standard
 * error otherwise.
 *
 * Returns: (transfer full) (nullable): the options, %NULL for a usage
 *   error (exit status 2)
 */
SightlineOptions *
sightline_options_parse (int *argc, char ***argv)
{
  g_autoptr (SightlineOptions) app = g_new0 (SightlineOptions, 1);

  app->media = sl_media_options_new ();
  if (!parse (app, argc, argv))
    return NULL;
  return g_steal_pointer (&app);
}

static gboolean
parse (SightlineOptions * app, int *argc, char ***argv)
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
  g_autofree char *config = NULL, *profile = NULL;
  g_autofree char *video_device = NULL, *audio_device = NULL;
  gboolean cli_video_source, cli_video_device;
  gboolean cli_audio_source, cli_audio_device;
  gboolean relay_only = FALSE, measure = FALSE, ok = TRUE;
  /* Unset until the command line or the configuration file sets them. */
  int width = SIGHTLINE_CONFIG_UNSET_INT, height = SIGHTLINE_CONFIG_UNSET_INT;
  int fps = SIGHTLINE_CONFIG_UNSET_INT, kbps = SIGHTLINE_CONFIG_UNSET_INT;
  int latency = SIGHTLINE_CONFIG_UNSET_INT;
  GOptionEntry entries[] = {
    {"config", 0, 0, G_OPTION_ARG_FILENAME, &config,
        "Configuration file (default: ~/.config/sightline/client.conf "
          "if it exists); the command line overrides it", "FILE"},
    {"profile", 0, 0, G_OPTION_ARG_STRING, &profile,
          "Use the file's [profile NAME] group before its [default] one",
        "NAME"},
    {"version", 0, 0, G_OPTION_ARG_NONE, &app->version,
        "Print the version and exit", NULL},
    {"log-file", 0, 0, G_OPTION_ARG_FILENAME, &app->log_file,
        "Append diagnostics (standard error) to FILE, each line with its "
          "UTC time", "FILE"},
    {"server", 0, 0, G_OPTION_ARG_STRING_ARRAY, &app->servers,
        "Signalling server, wss://HOST:PORT (repeatable: instances of one "
          "cluster, tried in order)", "URL"},
    {"cert", 0, 0, G_OPTION_ARG_FILENAME, &app->cert,
        "Device certificate (PEM)", "FILE"},
    {"key", 0, 0, G_OPTION_ARG_FILENAME, &app->key,
        "Device private key (PEM)", "FILE"},
    {"ca", 0, 0, G_OPTION_ARG_FILENAME, &app->ca,
        "Operator CA certificate (PEM)", "FILE"},
    {"code", 0, 0, G_OPTION_ARG_STRING, &app->code,
        "Security code, typed on both devices", "CODE"},
    {"auto-answer", 0, 0, G_OPTION_ARG_NONE, &app->auto_answer,
        "wait: accept the call at once", NULL},
    {"auto-reject", 0, 0, G_OPTION_ARG_NONE, &app->auto_reject,
        "wait: decline the call at once", NULL},
    {"once", 0, 0, G_OPTION_ARG_NONE, &app->once,
        "wait: take one call, then exit with its status (default: take "
          "calls until Ctrl-C or SIGTERM)", NULL},
    {"confirm-sas", 0, 0, G_OPTION_ARG_NONE, &app->confirm_sas,
        "Ask whether both screens show the same SAS when the call is not "
          "verified by a code or an earlier call (answer y or n)", NULL},
    {"video", 0, 0, G_OPTION_ARG_STRING, &app->media->video_source,
        "Video source: \"test\" or a gst-launch description "
          "(default: camera if present)", "DESC"},
    {"audio", 0, 0, G_OPTION_ARG_STRING, &app->media->audio_source,
        "Audio source: \"test\" or a gst-launch description "
          "(default: microphone if present)", "DESC"},
    {"video-device", 0, 0, G_OPTION_ARG_STRING, &video_device,
        "Camera to use, by the name `sightline devices` lists (instead of "
          "--video)", "NAME"},
    {"audio-device", 0, 0, G_OPTION_ARG_STRING, &audio_device,
        "Microphone to use, by the name `sightline devices` lists "
          "(instead of --audio)", "NAME"},
    {"display", 0, 0, G_OPTION_ARG_STRING, &display,
        "What to do with received video: window, none, png:PATH (the last "
          "frame at the end), goggles (the goggles view, full screen) or "
          "goggles-png:PATH (the goggles view as PNG, every second)", "MODE"},
    {"video-sink", 0, 0, G_OPTION_ARG_STRING, &app->media->video_sink,
        "What receives the other device's video instead of --display: a "
          "gst-launch description of a sink bin, e.g. \"videoconvert ! "
          "x264enc ! mp4mux ! filesink location=call.mp4\"", "DESC"},
    {"audio-sink", 0, 0, G_OPTION_ARG_STRING, &app->media->audio_sink,
          "What plays the other device's sound: a gst-launch description of "
          "a sink bin (default: the default output, whatever the display)",
        "DESC"},
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
    {"camera", 0, 0, G_OPTION_ARG_STRING, &app->media->camera_source,
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
        "Hang up this many seconds after the call is secured", "S"},
    {"chat", 0, 0, G_OPTION_ARG_STRING_ARRAY, &app->chat,
        "Send this chat message once secured (repeatable)", "TEXT"},
    {"stats-json", 0, 0, G_OPTION_ARG_FILENAME, &app->stats_path,
        "Write call statistics to this file at exit (wait: "
          "rewritten as each call ends, so it holds the last call's)", "PATH"},
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

  context =
      g_option_context_new
      ("(list | call PEER | wait | forget PEER | devices)");
  g_option_context_set_summary (context,
      "Secure video calls between goggles and an expert's PC.");
  g_option_context_set_description (context, summary_text);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  app->connect_timeout = SIGHTLINE_CONFIG_UNSET_INT;
  if (!g_option_context_parse (context, argc, argv, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  if (app->version)
    return TRUE;
  /* A source picked on the command line, by description or by device,
   * replaces the file's, whichever way the file picks it. */
  cli_video_source = app->media->video_source != NULL;
  cli_video_device = video_device != NULL;
  cli_audio_source = app->media->audio_source != NULL;
  cli_audio_device = audio_device != NULL;
  if (!apply_config (config, profile, entries))
    return FALSE;
  if (cli_video_source && !cli_video_device)
    g_clear_pointer (&video_device, g_free);
  if (cli_video_device && !cli_video_source)
    g_clear_pointer (&app->media->video_source, g_free);
  if (cli_audio_source && !cli_audio_device)
    g_clear_pointer (&audio_device, g_free);
  if (cli_audio_device && !cli_audio_source)
    g_clear_pointer (&app->media->audio_source, g_free);
  if (app->connect_timeout == SIGHTLINE_CONFIG_UNSET_INT)
    app->connect_timeout = 10;
  if (width == SIGHTLINE_CONFIG_UNSET_INT)
    width = 0;
  if (height == SIGHTLINE_CONFIG_UNSET_INT)
    height = 0;
  if (fps == SIGHTLINE_CONFIG_UNSET_INT)
    fps = 0;
  if (kbps == SIGHTLINE_CONFIG_UNSET_INT)
    kbps = 0;
  if (latency == SIGHTLINE_CONFIG_UNSET_INT)
    latency = -1;
  if (*argc >= 2 && g_str_equal ((*argv)[1], "list") && *argc == 2) {
    app->mode = SIGHTLINE_LIST;
  } else if (*argc == 3 && g_str_equal ((*argv)[1], "call")) {
    app->mode = SIGHTLINE_CALL;
    app->peer = g_strdup ((*argv)[2]);
  } else if (*argc == 2 && g_str_equal ((*argv)[1], "wait")) {
    app->mode = SIGHTLINE_WAIT;
  } else if (*argc == 2 && g_str_equal ((*argv)[1], "devices")) {
    /* This machine only: no server, no identity. */
    app->mode = SIGHTLINE_DEVICES;
    return TRUE;
  } else if (*argc == 3 && g_str_equal ((*argv)[1], "forget")) {
    app->mode = SIGHTLINE_FORGET;
    app->peer = g_strdup ((*argv)[2]);
  } else {
    g_printerr ("sightline: say list, call PEER, wait, forget PEER or "
        "devices (see --help)\n");
    return FALSE;
  }
  if (app->once && app->mode != SIGHTLINE_WAIT) {
    g_printerr ("sightline: --once is for wait\n");
    return FALSE;
  }
  if (app->peer && !sl_pki_check_device_id (app->peer, NULL)
      && !(app->mode == SIGHTLINE_CALL && is_display_name (app->peer))) {
    g_printerr ("sightline: \"%s\" is not a device id (1 to 63 of a-z, 0-9, "
        "'.', '_' and '-', starting with a letter or digit)%s\n", app->peer,
        app->mode == SIGHTLINE_CALL ? " nor a device's name (1 to 255 bytes "
        "of text)" : "");
    return FALSE;
  }
  if (app->mode == SIGHTLINE_FORGET) {
    /* Only this device's own store is touched: no server, no key. */
    if (!app->cert) {
      g_printerr ("sightline: forget needs --cert (whose store)\n");
      return FALSE;
    }
    return TRUE;
  }
  if (!app->servers || !app->cert || !app->key || !app->ca) {
    g_printerr ("sightline: --server, --cert, --key and --ca are needed\n");
    return FALSE;
  }
  if (!pick_device (SL_MEDIA_DEVICE_CAMERA, "--video", video_device,
          &app->media->video_source)
      || !pick_device (SL_MEDIA_DEVICE_MICROPHONE, "--audio", audio_device,
          &app->media->audio_source))
    return FALSE;
  if (app->media->video_sink && display && !g_str_equal (display, "none")) {
    g_printerr ("sightline: --video-sink replaces --display: give one\n");
    return FALSE;
  }
  if (!check_sink ("--video-sink", app->media->video_sink)
      || !check_sink ("--audio-sink", app->media->audio_sink))
    return FALSE;
  if (display && g_str_has_prefix (display, "goggles")) {
    app->goggles = sl_goggles_options_new ();
    if (!sl_goggles_options_set_output (app->goggles, display, &error)) {
      g_printerr ("sightline: %s\n", error->message);
      return FALSE;
    }
  } else if (display && !sl_media_options_set_display (app->media, display,
          &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  /* The other device's sound plays on the default output whatever shows
   * its video (a wearer without a window still hears the expert);
   * --audio-sink sends it elsewhere. */
  app->media->play_audio = TRUE;
  if (codec && !sl_media_options_set_codec (app->media, codec, &error)) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  if ((size || opacity || placement || scale || mode
          || app->media->camera_source)
      && app->goggles == NULL) {
    g_printerr ("sightline: --goggles-size, --opacity, --placement, --scale, "
        "--mode and --camera need --display goggles or goggles-png:PATH\n");
    return FALSE;
  }
  if (size)
    ok = sl_goggles_options_set_size (app->goggles, size, &error);
  if (ok && opacity)
    ok = sl_goggles_check_opacity (opacity, &app->goggles->opacity, &error);
  if (ok && scale)
    ok = sl_goggles_check_scale (scale, &app->goggles->scale, &error);
  if (ok && mode)
    ok = sl_goggles_check_mode (mode, &app->goggles->mode, &error);
  if (ok && placement && (ok = sl_goggles_check_placement (placement, &error))) {
    g_free (app->goggles->placement);
    app->goggles->placement = g_steal_pointer (&placement);
  }
  if (!ok) {
    g_printerr ("sightline: %s\n", error->message);
    return FALSE;
  }
  /* One camera on the goggles: it feeds the call and the view. */
  if (app->media->camera_source && app->media->video_source == NULL) {
    app->media->video_source = app->media->camera_source;
    app->media->camera_source = NULL;
  }
  if (width < 0 || height < 0 || fps < 0 || kbps < 0 || latency > 5000
      || width > 7680 || height > 4320 || fps > 120 || kbps > 100000
      || app->duration < 0) {
    g_printerr ("sightline: a size, rate, bitrate or duration is out of "
        "range\n");
    return FALSE;
  }
  if (width)
    app->media->width = width;
  if (height)
    app->media->height = height;
  if (fps)
    app->media->framerate = fps;
  if (app->goggles)
    app->goggles->framerate = app->media->framerate;
  if (kbps)
    app->media->video_kbps = kbps;
  if (latency >= 0)
    app->media->latency_ms = latency;
  app->media->ice_addresses = g_steal_pointer (&ice);
  app->media->turn_servers = g_steal_pointer (&turn);
  app->media->stun_server = g_steal_pointer (&stun);
  app->media->relay_only = relay_only;
  app->media->mark_frames = measure;
  return TRUE;
}
