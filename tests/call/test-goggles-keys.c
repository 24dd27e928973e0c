/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The goggles window's key map (issue 18): every call key documented in
 * docs/GOGGLES.md, through sl_goggles_view_handle_key() as the window's
 * key presses arrive, stands for the standard input command the table
 * below (written from the documentation) names; the view keys still do
 * what they did; other keys do nothing.  And the view's HUD notice (a
 * test camera or tone, issue 18 item 5).
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "sightline/sightline.h"

typedef struct
{
  const char *key;
  const char *command;
} Expected;

/* docs/GOGGLES.md, "Keys". */
static const Expected documented[] = {
  {"a", "/accept"}, {"Return", "/accept"}, {"KP_Enter", "/accept"},
  {"XF86AudioPlay", "/accept"}, {"XF86PickupPhone", "/accept"},
  {"r", "/reject"}, {"Escape", "/reject"},
  {"h", "/hangup"}, {"XF86AudioStop", "/hangup"},
  {"XF86AudioPause", "/hangup"}, {"XF86HangupPhone", "/hangup"},
  {"m", "/mute toggle"}, {"XF86AudioMicMute", "/mute toggle"},
  {"XF86AudioMute", "/mute toggle"},
  {"c", "/camera toggle"}, {"XF86WebCam", "/camera toggle"},
};

typedef struct
{
  SlGogglesView *view;
  GPtrArray *commands;
  GPtrArray *notices;
  int sas;                      /* -1 none, 0 no, 1 yes */
} Fixture;

static void
on_command (SlGogglesView * view, const char *command, Fixture * f)
{
  g_ptr_array_add (f->commands, g_strdup (command));
}

static void
on_notice (SlGogglesView * view, const char *text, Fixture * f)
{
  g_ptr_array_add (f->notices, g_strdup (text));
}

static void
on_sas (SlGogglesView * view, gboolean match, Fixture * f)
{
  f->sas = match;
}

static void
set_up (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-keys-XXXXXX", NULL);
  g_autofree char *output = g_strdup_printf ("goggles-png:%s/keys.png", dir);
  SlGogglesOptions *opts = sl_goggles_options_new ();

  /* Nothing is written: no call, no frame. */
  g_assert_nonnull (dir);
  g_assert_true (sl_goggles_options_set_output (opts, output, &error));
  f->view = sl_goggles_view_new (opts, &error);
  g_assert_no_error (error);
  sl_goggles_options_free (opts);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  f->commands = g_ptr_array_new_with_free_func (g_free);
  f->notices = g_ptr_array_new_with_free_func (g_free);
  f->sas = -1;
  g_signal_connect (f->view, "command", G_CALLBACK (on_command), f);
  g_signal_connect (f->view, "notice", G_CALLBACK (on_notice), f);
  g_signal_connect (f->view, "sas-answer", G_CALLBACK (on_sas), f);
}

static void
tear_down (Fixture * f, gconstpointer data)
{
  g_clear_object (&f->view);
  g_ptr_array_unref (f->commands);
  g_ptr_array_unref (f->notices);
}

static void
test_call_keys (Fixture * f, gconstpointer data)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (documented); i++) {
    g_ptr_array_set_size (f->commands, 0);
    if (!sl_goggles_view_handle_key (f->view, documented[i].key))
      g_error ("key %s does nothing", documented[i].key);
    g_assert_cmpuint (f->commands->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (f->commands, 0), ==,
        documented[i].command);
  }
  g_assert_cmpint (f->sas, ==, -1);
}

/* The SAS keys, the headset's volume keys on the opacity (0.8 by
 * default), the view mode, and keys that are nothing. */
static void
test_other_keys (Fixture * f, gconstpointer data)
{
  const char *nothing[] = { "F1", "x", "A", "XF86AudioNext", "space", NULL };
  guint i;

  g_assert_true (sl_goggles_view_handle_key (f->view, "y"));
  g_assert_cmpint (f->sas, ==, 1);
  g_assert_true (sl_goggles_view_handle_key (f->view, "n"));
  g_assert_cmpint (f->sas, ==, 0);

  g_assert_true (sl_goggles_view_handle_key (f->view, "XF86AudioRaiseVolume"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->notices,
              f->notices->len - 1), "opacity 0.90,"));
  g_assert_true (sl_goggles_view_handle_key (f->view, "XF86AudioLowerVolume"));
  g_assert_true (sl_goggles_view_handle_key (f->view, "XF86AudioLowerVolume"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->notices,
              f->notices->len - 1), "opacity 0.70,"));

  /* "m" mutes now: the view mode moved to "v". */
  g_assert_true (sl_goggles_view_handle_key (f->view, "v"));
  g_assert_nonnull (strstr (g_ptr_array_index (f->notices,
              f->notices->len - 1), "mode video"));

  for (i = 0; nothing[i]; i++)
    g_assert_false (sl_goggles_view_handle_key (f->view, nothing[i]));
  g_assert_cmpuint (f->commands->len, ==, 0);
}

static char *
hud_notice (GstElement * bin)
{
  g_autoptr (GstElement) hud = gst_bin_get_by_name (GST_BIN (bin), "hud");
  char *notice = NULL;

  g_assert_nonnull (hud);
  g_object_get (hud, "notice", &notice, NULL);
  return notice;
}

/* A test source is a line in the HUD's call panel, which the layout keeps
 * clear of the chat and the expert's video; a bin made later starts with
 * it; clearing it clears the HUD. */
static void
test_notice (Fixture * f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GstElement *bin;
  char *notice;

  sl_goggles_view_set_notice (f->view, "TEST TONE (no microphone found)");
  bin = sl_goggles_view_make_bin (f->view, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (bin);
  notice = hud_notice (bin);
  g_assert_cmpstr (notice, ==, "TEST TONE (no microphone found)");
  g_free (notice);
  sl_goggles_view_set_notice (f->view, "TEST CAMERA (no camera found)");
  notice = hud_notice (bin);
  g_assert_cmpstr (notice, ==, "TEST CAMERA (no camera found)");
  g_free (notice);
  sl_goggles_view_set_notice (f->view, NULL);
  notice = hud_notice (bin);
  g_assert_true (notice == NULL || *notice == '\0');
  g_free (notice);
  sl_goggles_view_release_bin (f->view);
  gst_object_unref (bin);
}

int
main (int argc, char **argv)
{
  int status;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/goggles-keys/call", Fixture, NULL, set_up, test_call_keys,
      tear_down);
  g_test_add ("/goggles-keys/other", Fixture, NULL, set_up, test_other_keys,
      tear_down);
  g_test_add ("/goggles-view/notice", Fixture, NULL, set_up, test_notice,
      tear_down);
  status = g_test_run ();
  gst_deinit ();
  return status;
}
