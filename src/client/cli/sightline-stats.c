/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The `sightline` command's --stats-json file: one flat JSON object that
 * scripts, the demo and the call suite read after a call, written with
 * json-glib's JsonBuilder and JsonGenerator (output only: network input
 * is parsed in src/core/protocol/ alone).
 *
 * The call's security is in three members: "security" ("verified",
 * "secured", "failed", or "none" without keys), "authenticated" ("code",
 * "sas", "continuity" or "none": what authenticated the peer) and
 * "verified" (a boolean, "security" == "verified").
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline-stats.h"
#include "sightline/sl-call-error.h"

#include <json-glib/json-glib.h>

static void
add_int (JsonBuilder * b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder * b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_string (JsonBuilder * b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value ? value : "");
}

static void
add_bool (JsonBuilder * b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
add_security (JsonBuilder * b, SlCall * call)
{
  SlPeerAuth *auth = call ? sl_call_get_auth (call) : NULL;
  const GError *error = call ? sl_call_get_error (call) : NULL;
  gboolean verified = call && sl_call_was_verified (call);
  const char *security = "none";

  if (g_error_matches (error, SL_CALL_ERROR, SL_CALL_ERROR_SECURITY))
    security = "failed";
  else if (verified)
    security = "verified";
  else if (call && sl_call_was_secured (call))
    security = "secured";
  add_string (b, "security", security);
  add_string (b, "authenticated", verified ?
      sl_auth_method_to_string (sl_peer_auth_get_method (auth)) : "none");
  add_bool (b, "verified", verified);
  add_bool (b, "secured", call && sl_call_was_secured (call));
  add_bool (b, "keys_changed", auth && sl_peer_auth_keys_changed (auth));
  add_string (b, "continuity", sl_continuity_to_string (auth ?
          sl_peer_auth_get_continuity (auth) : SL_CONTINUITY_NONE));
  add_bool (b, "sas_confirmed", auth && sl_peer_auth_sas_confirmed (auth,
          FALSE));
  add_bool (b, "sas_confirmed_by_peer", auth
      && sl_peer_auth_sas_confirmed (auth, TRUE));
}

static void
add_wiped (JsonBuilder * b, GHashTable * wiped, GMutex * wiped_lock)
{
  GHashTableIter iter;
  gpointer k, v;

  json_builder_set_member_name (b, "wiped");
  json_builder_begin_object (b);
  if (wiped) {
    g_mutex_lock (wiped_lock);
    g_hash_table_iter_init (&iter, wiped);
    while (g_hash_table_iter_next (&iter, &k, &v))
      add_string (b, k, v);
    g_mutex_unlock (wiped_lock);
  }
  json_builder_end_object (b);
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
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  SlMediaStats st = { 0, };
  gboolean have = call && sl_call_get_media_stats (call, &st);
  gint64 created = call ? sl_call_get_created_us (call) : -1;
  gint64 secured = call ? sl_call_get_secured_us (call) : -1;
  double secs = 0;
  g_autofree char *text = NULL;

  if (have && st.first_frame_us > 0)
    secs = (g_get_monotonic_time () - st.first_frame_us) / 1e6;
  json_builder_begin_object (b);
  add_int (b, "exit_status", exit_status);
  add_string (b, "role", call ? (sl_call_is_caller (call) ? "caller" :
          "callee") : "none");
  add_string (b, "sas", call ? sl_call_get_sas (call) : NULL);
  add_security (b, call);
  add_string (b, "error", call && sl_call_get_error (call) ?
      sl_call_get_error (call)->message : NULL);
  add_double (b, "setup_ms", secured > 0 ? (secured - created) / 1000.0 : -1.0);
  add_double (b, "first_frame_ms", have && st.first_frame_us > 0 ?
      (st.first_frame_us - created) / 1000.0 : -1.0);
  add_int (b, "video_frames_decoded", (gint64) st.video_frames_decoded);
  add_int (b, "video_frames_rendered", (gint64) st.video_frames_rendered);
  add_int (b, "audio_buffers_rendered", (gint64) st.audio_buffers_rendered);
  add_double (b, "video_fps", secs > 0.5 ?
      st.video_frames_rendered / secs : 0.0);
  add_double (b, "rtt_ms", st.rtt_ms);
  add_int (b, "packets_lost", st.packets_lost);
  add_int (b, "bytes_received", (gint64) st.bytes_received);
  add_int (b, "bytes_sent", (gint64) st.bytes_sent);
  add_int (b, "latency_samples", st.latency_samples);
  add_double (b, "latency_p50_ms", st.latency_p50_ms);
  add_double (b, "latency_p95_ms", st.latency_p95_ms);
  add_string (b, "codec", st.codec);
  add_int (b, "chat_sent", chat_sent);
  add_int (b, "chat_acked", chat_acked);
  add_int (b, "chat_received", chat_received);
  add_int (b, "server_connections", signal ?
      sl_signal_client_get_connections (signal) : 0);
  add_wiped (b, wiped, wiped_lock);
  if (snapshots >= 0)
    add_int (b, "goggles_snapshots", snapshots);
  json_builder_end_object (b);
  sl_media_stats_clear (&st);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, FALSE);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}
