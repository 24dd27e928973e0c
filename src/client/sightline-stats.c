/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The `sightline` command's --stats-json file: one flat JSON object that
 * scripts, the demo and the call suite read after a call.  Written by
 * hand (only protocol/ may use json-glib); every string is escaped.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline-stats.h"

static void
json_string (GString * s, const char *value)
{
  const char *p;

  g_string_append_c (s, '"');
  for (p = value ? value : ""; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf (s, "\\%c", *p);
    else if ((guchar) * p < 0x20)
      g_string_append_printf (s, "\\u%04x", *p);
    else
      g_string_append_c (s, *p);
  }
  g_string_append_c (s, '"');
}

/**
 * sl_stats_json:
 * @call: (nullable): the call, if one was made
 * @signal: (nullable): the signalling client
 * @exit_status: the command's exit status
 * @chat_sent: chat messages sent
 * @chat_acked: ... of which the peer acknowledged
 * @chat_received: chat messages received
 * @snapshots: goggles-png snapshots written, -1 without a goggles view
 * @wiped: (nullable): test hook: secret label -> "zero" or "nonzero"
 * @wiped_lock: guards @wiped
 *
 * Returns: (transfer full): one JSON object, newline-terminated
 */
char *
sl_stats_json (SlCall * call, SlSignalClient * signal, int exit_status,
    guint chat_sent, guint chat_acked, guint chat_received, int snapshots,
    GHashTable * wiped, GMutex * wiped_lock)
{
  GString *s = g_string_new ("{");
  SlMediaStats st = { 0, };
  gboolean have = call && sl_call_get_media_stats (call, &st);
  gint64 created = call ? sl_call_get_created_us (call) : -1;
  gint64 verified = call ? sl_call_get_verified_us (call) : -1;
  double secs = 0;

  if (have && st.first_frame_us > 0)
    secs = (g_get_monotonic_time () - st.first_frame_us) / 1e6;
  g_string_append_printf (s, "\"exit_status\": %d", exit_status);
  g_string_append (s, ", \"role\": ");
  json_string (s, call ? (sl_call_is_caller (call) ? "caller" :
          "callee") : "none");
  g_string_append (s, ", \"sas\": ");
  json_string (s, call ? sl_call_get_sas (call) : NULL);
  g_string_append_printf (s, ", \"verified\": %s",
      call && sl_call_was_verified (call) ? "true" : "false");
  g_string_append (s, ", \"error\": ");
  json_string (s, call && sl_call_get_error (call) ?
      sl_call_get_error (call)->message : NULL);
  g_string_append_printf (s, ", \"setup_ms\": %.1f", verified > 0 ?
      (verified - created) / 1000.0 : -1.0);
  g_string_append_printf (s, ", \"first_frame_ms\": %.1f",
      have && st.first_frame_us > 0 ? (st.first_frame_us - created) / 1000.0 :
      -1.0);
  g_string_append_printf (s, ", \"video_frames_decoded\": %" G_GUINT64_FORMAT
      ", \"video_frames_rendered\": %" G_GUINT64_FORMAT
      ", \"audio_buffers_rendered\": %" G_GUINT64_FORMAT,
      st.video_frames_decoded, st.video_frames_rendered,
      st.audio_buffers_rendered);
  g_string_append_printf (s, ", \"video_fps\": %.2f", secs > 0.5 ?
      st.video_frames_rendered / secs : 0.0);
  g_string_append_printf (s, ", \"rtt_ms\": %.2f, \"packets_lost\": %"
      G_GINT64_FORMAT ", \"bytes_received\": %" G_GUINT64_FORMAT
      ", \"bytes_sent\": %" G_GUINT64_FORMAT, st.rtt_ms, st.packets_lost,
      st.bytes_received, st.bytes_sent);
  g_string_append_printf (s, ", \"latency_samples\": %u, "
      "\"latency_p50_ms\": %.1f, \"latency_p95_ms\": %.1f",
      st.latency_samples, st.latency_p50_ms, st.latency_p95_ms);
  g_string_append (s, ", \"codec\": ");
  json_string (s, st.codec);
  g_string_append_printf (s, ", \"chat_sent\": %u, \"chat_acked\": %u, "
      "\"chat_received\": %u", chat_sent, chat_acked, chat_received);
  g_string_append_printf (s, ", \"server_connections\": %u",
      signal ? sl_signal_client_get_connections (signal) : 0);
  g_string_append (s, ", \"wiped\": {");
  if (wiped) {
    GHashTableIter iter;
    gpointer k, v;
    gboolean first = TRUE;

    g_mutex_lock (wiped_lock);
    g_hash_table_iter_init (&iter, wiped);
    while (g_hash_table_iter_next (&iter, &k, &v)) {
      if (!first)
        g_string_append (s, ", ");
      first = FALSE;
      json_string (s, k);
      g_string_append (s, ": ");
      json_string (s, v);
    }
    g_mutex_unlock (wiped_lock);
  }
  g_string_append (s, "}");
  if (snapshots >= 0)
    g_string_append_printf (s, ", \"goggles_snapshots\": %d", snapshots);
  g_string_append (s, "}\n");
  sl_media_stats_clear (&st);
  return g_string_free (s, FALSE);
}
