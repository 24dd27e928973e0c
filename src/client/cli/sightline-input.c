/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What the user types during a call: chat, /hangup, /accept, /reject, the
 * goggles view's commands, and the answer to the SAS question (/sas-ok,
 * /sas-wrong, or y and n after --confirm-sas asked).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gio/gunixinputstream.h>

#include "sightline-app.h"

void
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

/**
 * app_ask_sas:
 * @app: the program, with --confirm-sas
 *
 * Asks the SAS question; the next "y" or "n" answers it.
 */
void
app_ask_sas (App * app)
{
  if (app->asking_sas || app->call == NULL || sl_call_get_sas (app->call) ==
      NULL || sl_peer_auth_sas_confirmed (sl_call_get_auth (app->call), FALSE))
    return;
  app->asking_sas = TRUE;
  out ("sas-question: Does the other screen show %s? Type y or n.",
      sl_call_get_sas (app->call));
}

/**
 * app_answer_sas:
 * @app: the program
 * @match: the user's answer
 *
 * From /sas-ok, /sas-wrong, y/n after the question, or a key in the
 * goggles window.
 */
void
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

static void read_line (App * app);

static gboolean
is_word (const char *line, const char *a, const char *b)
{
  return g_ascii_strcasecmp (line, a) == 0 || g_ascii_strcasecmp (line, b) == 0;
}

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
  read_line (app);
}

static void
read_line (App * app)
{
  g_data_input_stream_read_line_async (app->input, G_PRIORITY_DEFAULT,
      app->cancellable, on_line, app);
}

/**
 * app_read_input:
 * @app: the program
 *
 * Reads standard input line by line until it ends or the program stops.
 */
void
app_read_input (App * app)
{
  g_autoptr (GInputStream) in = g_unix_input_stream_new (0, FALSE);

  app->input = g_data_input_stream_new (in);
  read_line (app);
}
