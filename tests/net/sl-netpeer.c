/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sl-netpeer: a long-running test device for the network suite.  It links
 * the same call engine as `sightline` but stays up across calls, so that
 * the tests can place many calls between two processes (soak), cut the
 * WebSocket at a chosen set-up step, and check after every call that no
 * pipeline, call or file descriptor is left behind.  It prints one JSON
 * object per line on standard output:
 *
 *   {"ev":"connected"}  {"ev":"step","call":1,"step":"offer"}
 *   {"ev":"ended","call":1,"secured":true,"setup_ms":310.2,"code":"none",...}
 *   {"ev":"resources","call":1,"fds":14,"rss_kb":51200,"pipelines":0,...}
 *   {"ev":"done","ok":200,"failed":0}
 *
 *   sl-netpeer [OPTION...] call PEER    place --repeat calls, then exit
 *   sl-netpeer [OPTION...] wait         answer every call until SIGTERM
 *
 * Live GStreamer objects are counted with the leaks tracer
 * (GST_TRACERS="leaks(filters=...)"); calls with a weak reference.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <malloc.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include "sightline/sightline.h"
#include "sl-crypto.h"
#include "sl-dtls-tuning.h"

typedef struct
{
  GMainLoop *loop;
  gboolean caller;
  guint64 quark_probes;
  GQuark last_quark;            /* SL_NETPEER_LIST_QUARKS */
  char *peer;
  int repeat;
  int media_ms;
  int gap_ms;
  int settle_ms;
  int settle_waits;             /* on_settled() waiting for the server */
  int chat;
  char *cut_socket;
  char **cut_at;
  SlMediaOptions *opts;

  SlSignalClient *signal;
  SlPhone *phone;
  SlCall *call;
  guint attempt;
  gboolean dtls_ready;
  guint ok;
  guint failed;
  gint64 t0;
  gint64 call_started_us;
  gint64 waiting_since_us;
  guint hangup_source;
  guint chat_source;
  guint next_source;
  guint chat_sent;
  guint chat_acked;
  guint chat_received;
  guint calls_alive;            /* SlCall objects not finalized yet */
  GstTracer *tracer;            /* the leaks tracer, when active */
  GHashTable *live;             /* type name -> live count */
  gboolean quitting;
  gboolean call_ended;          /* p->call emitted "ended" */
} Peer;

static void
emit (JsonBuilder * b)
{
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  fprintf (stdout, "%s\n", text);
  fflush (stdout);
}

static JsonBuilder *
event (Peer * p, const char *name)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ev");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "t");
  json_builder_add_double_value (b, (g_get_monotonic_time () - p->t0) / 1e6);
  /* Wall-clock seconds, to find a call's lines in the server's and
   * coturn's logs. */
  json_builder_set_member_name (b, "wall");
  json_builder_add_double_value (b, g_get_real_time () / 1e6);
  if (p->attempt > 0) {
    json_builder_set_member_name (b, "call");
    json_builder_add_int_value (b, p->attempt);
  }
  return b;
}

static void
add_int (JsonBuilder * b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_str (JsonBuilder * b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* ------------------------------------------------------------------ */
/* Resources                                                            */

static guint
count_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n > 0 ? n - 1 : 0;     /* minus the directory's own fd */
}

/* A number from /proc/self/status, read once per report (@status). */
static gint64
status_kb (const char *status, const char *key)
{
  const char *line = status ? strstr (status, key) : NULL;

  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

/* Live GStreamer objects, by type, from the leaks tracer (GST_TRACERS=
 * leaks(...), set by the tests): what a finished call left behind.  Its
 * checkpoints list what was created and destroyed since the previous one
 * by type name and address only; its live-object list would take
 * references, which races with objects that streaming threads are still
 * finalizing. */
static GstTracer *
find_leaks_tracer (void)
{
  GList *tracers = gst_tracing_get_active_tracers ();
  GstTracer *found = NULL;
  GList *l;

  for (l = tracers; l; l = l->next) {
    if (found == NULL
        && g_str_equal (G_OBJECT_TYPE_NAME (l->data), "GstLeaksTracer"))
      found = gst_object_ref (l->data);
  }
  g_list_free_full (tracers, gst_object_unref);
  return found;
}

static void
apply_checkpoint (GHashTable * counts, const GstStructure * checkpoint,
    const char *field, int sign)
{
  const GValue *list = gst_structure_get_value (checkpoint, field);
  guint i;

  for (i = 0; list && i < gst_value_list_get_size (list); i++) {
    const GstStructure *s =
        gst_value_get_structure (gst_value_list_get_value (list, i));
    const char *name = gst_structure_get_string (s, "type-name");
    gpointer key = NULL, value = NULL;

    if (name == NULL)
      continue;
    if (!g_hash_table_lookup_extended (counts, name, &key, &value))
      key = g_strdup (name);
    else
      g_hash_table_steal (counts, name);
    g_hash_table_insert (counts, key,
        GINT_TO_POINTER (GPOINTER_TO_INT (value) + sign));
  }
}

static void
update_live (Peer * p)
{
  GstStructure *checkpoint = NULL;

  if (p->tracer == NULL)
    return;
  g_signal_emit_by_name (p->tracer, "activity-get-checkpoint", &checkpoint);
  if (checkpoint == NULL)
    return;
  apply_checkpoint (p->live, checkpoint, "objects-created-list", 1);
  apply_checkpoint (p->live, checkpoint, "objects-removed-list", -1);
  gst_structure_free (checkpoint);
}

/* GLib interns strings as quarks for good: a library that makes a quark
 * of a per-call name (a GstStructure field named after an SSRC, say)
 * grows the heap with every call.  Quarks are numbered in order, so a new
 * one's number is the count so far; the probe itself costs one per
 * report. */
static gint64
quark_count (Peer * p)
{
  g_autofree char *probe =
      g_strdup_printf ("sl-netpeer-probe-%" G_GUINT64_FORMAT,
      ++p->quark_probes);
  GQuark q = g_quark_from_string (probe);

  /* With SL_NETPEER_LIST_QUARKS set, every quark made since the last
   * report goes to standard error: how the soak's per-call growth was
   * attributed (docs/RELIABILITY.md). */
  if (g_getenv ("SL_NETPEER_LIST_QUARKS") != NULL) {
    GQuark i;

    for (i = p->last_quark + 1; p->last_quark != 0 && i < q; i++)
      g_printerr ("quark %u: %s\n", i, g_quark_to_string (i));
    p->last_quark = q;
  }
  return q;
}

static void
report_resources (Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "resources");
  g_autofree char *status = NULL;
  GHashTableIter iter;
  gpointer k, v;
  gint64 objects = 0;

  update_live (p);
  json_builder_set_member_name (b, "live");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, p->live);
  while (g_hash_table_iter_next (&iter, &k, &v)) {
    if (GPOINTER_TO_INT (v) != 0)
      add_int (b, k, GPOINTER_TO_INT (v));
    objects += GPOINTER_TO_INT (v);
  }
  json_builder_end_object (b);
  /* Left NULL if unreadable: every field is then -1. */
  g_file_get_contents ("/proc/self/status", &status, NULL, NULL);
  add_int (b, "fds", count_fds ());
  add_int (b, "rss_kb", status_kb (status, "VmRSS:"));
  /* RSS splits into anonymous memory (the heap, stacks) and pages of
   * mapped files: library code touched for the first time on a rare path
   * grows the second without any memory being held. */
  add_int (b, "rss_anon_kb", status_kb (status, "RssAnon:"));
  add_int (b, "rss_file_kb", status_kb (status, "RssFile:"));
  /* malloc's bytes in use (all arenas): a leak grows it, fragmentation
   * only grows RSS. */
  add_int (b, "heap_kb", (gint64) (mallinfo2 ().uordblks / 1024));
  add_int (b, "threads", status_kb (status, "Threads:"));
  add_int (b, "quarks", quark_count (p));
  add_int (b, "pipelines", GPOINTER_TO_INT (g_hash_table_lookup (p->live,
              "GstPipeline")));
  add_int (b, "webrtcbins", GPOINTER_TO_INT (g_hash_table_lookup (p->live,
              "GstWebRTCBin")));
  add_int (b, "gst_objects", p->tracer ? objects : -1);
  add_int (b, "calls", p->calls_alive);
  emit (b);
}

/* ------------------------------------------------------------------ */
/* Cutting the WebSocket through the test's proxy                       */

static void
cut_now (Peer * p, const char *step)
{
  struct sockaddr_un addr = { 0 };
  char reply[8] = { 0 };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_autoptr (JsonBuilder) b = event (p, "cut");
  gboolean ok = FALSE;

  addr.sun_family = AF_UNIX;
  g_strlcpy (addr.sun_path, p->cut_socket, sizeof addr.sun_path);
  /* Synchronous on purpose: the cut must happen at this very step. */
  if (fd >= 0 && connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0
      && write (fd, "cut\n", 4) == 4 && read (fd, reply, sizeof reply - 1) > 0)
    ok = g_str_has_prefix (reply, "ok");
  if (fd >= 0)
    close (fd);
  add_str (b, "step", step);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, ok);
  emit (b);
}

static void
on_step (SlCall * call, const char *step, Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "step");
  const char *cut = NULL;

  add_str (b, "step", step);
  emit (b);
  if (p->cut_at && p->attempt <= g_strv_length (p->cut_at))
    cut = p->cut_at[p->attempt - 1];
  if (cut && p->cut_socket && g_str_equal (cut, step))
    cut_now (p, step);
}

/* ------------------------------------------------------------------ */
/* Calls                                                                */

static void schedule_next (Peer * p, int delay_ms);
static void quit (Peer * p);

static gboolean
on_hangup_due (gpointer data)
{
  Peer *p = data;

  p->hangup_source = 0;
  sl_call_hangup (p->call);
  return G_SOURCE_REMOVE;
}

static gboolean
on_chat_due (gpointer data)
{
  Peer *p = data;
  g_autofree char *text = g_strdup_printf ("message %u of call %u",
      p->chat_sent + 1, p->attempt);

  if (p->call == NULL || (int) p->chat_sent >= p->chat) {
    p->chat_source = 0;
    return G_SOURCE_REMOVE;
  }
  if (sl_call_send_chat (p->call, text, NULL, NULL))
    p->chat_sent++;
  return G_SOURCE_CONTINUE;
}

static void
on_secured (SlCall * call, Peer * p)
{
  if (p->caller && p->media_ms > 0)
    p->hangup_source = g_timeout_add (p->media_ms, on_hangup_due, p);
  if (p->chat > 0)
    p->chat_source = g_timeout_add (50, on_chat_due, p);
}

static void
on_state (SlCall * call, int state, Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "state");

  add_str (b, "state", sl_call_state_to_string (state));
  emit (b);
}

/* {"ev":"media-path","alive":false} when the call says "reconnecting". */
static void
on_media_path (SlCall * call, gboolean alive, Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "media-path");

  json_builder_set_member_name (b, "alive");
  json_builder_add_boolean_value (b, alive);
  emit (b);
}

/* {"ev":"peer-reachable"}: the sealed probe was answered. */
static void
on_peer_reachable (SlCall * call, Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "peer-reachable");

  emit (b);
}

static void
on_chat (SlCall * call, gint64 id, const char *text, Peer * p)
{
  p->chat_received++;
}

static void
on_chat_acked (SlCall * call, gint64 id, Peer * p)
{
  p->chat_acked++;
}

static void
add_types (JsonBuilder * b, const char *name, const guint * counts)
{
  static const char *const types[] = { "host", "srflx", "prflx", "relay" };
  guint i;

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (i = 0; i < G_N_ELEMENTS (types); i++)
    add_int (b, types[i], counts[i]);
  json_builder_end_object (b);
}

static gboolean
on_settled (gpointer data)
{
  Peer *p = data;

  p->next_source = 0;
  /* A cut signalling connection is being made again: its socket and TLS
   * state would count as the call's.  Measure once the device is back
   * (the tests check that it comes back), at most 10 s later. */
  if (!sl_signal_client_is_connected (p->signal) && p->settle_waits < 100) {
    p->settle_waits++;
    p->next_source = g_timeout_add (100, on_settled, p);
    return G_SOURCE_REMOVE;
  }
  p->settle_waits = 0;
  /* Memory a finished call freed goes back to the system, so that the
   * soak's RSS figure shows what is still held, not the allocator's
   * free lists. */
  malloc_trim (0);
  report_resources (p);
  if (p->caller && (int) p->attempt >= p->repeat) {
    g_autoptr (JsonBuilder) b = event (p, "done");

    add_int (b, "ok", p->ok);
    add_int (b, "failed", p->failed);
    emit (b);
    g_main_loop_quit (p->loop);
  } else if (p->caller) {
    schedule_next (p, p->gap_ms);
  }
  return G_SOURCE_REMOVE;
}

static gboolean
drop_call (gpointer data)
{
  Peer *p = data;

  g_signal_handlers_disconnect_by_data (p->call, p);
  g_clear_object (&p->call);
  /* Pipelines stop in the background; measure once they are gone. */
  p->next_source = g_timeout_add (p->settle_ms, on_settled, p);
  return G_SOURCE_REMOVE;
}

static void
on_ended (SlCall * call, GError * error, Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "ended");
  SlMediaStats st = { 0, };
  SlCallIceInfo ice = { 0, };
  gboolean secured = sl_call_was_secured (call);
  gboolean ok = secured && error == NULL;

  g_clear_handle_id (&p->hangup_source, g_source_remove);
  g_clear_handle_id (&p->chat_source, g_source_remove);
  p->call_ended = TRUE;
  sl_call_get_ice_info (call, &ice);
  sl_call_get_media_stats (call, &st);
  if (ok)
    p->ok++;
  else
    p->failed++;
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, ok);
  json_builder_set_member_name (b, "secured");
  json_builder_add_boolean_value (b, secured);
  json_builder_set_member_name (b, "setup_ms");
  json_builder_add_double_value (b, secured ?
      (sl_call_get_secured_us (call) - sl_call_get_created_us (call)) /
      1000.0 : -1.0);
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_double_value (b,
      (g_get_monotonic_time () - sl_call_get_created_us (call)) / 1000.0);
  add_str (b, "error", error ? error->message : NULL);
  add_str (b, "code", sl_call_error_nick (error));
  add_int (b, "frames", st.video_frames_rendered);
  add_int (b, "audio_buffers", st.audio_buffers_rendered);
  add_int (b, "chat_sent", p->chat_sent);
  add_int (b, "chat_acked", p->chat_acked);
  add_int (b, "chat_received", p->chat_received);
  add_str (b, "local", ice.local_type);
  add_str (b, "remote", ice.remote_type);
  add_types (b, "sent", ice.sent);
  add_types (b, "received", ice.received);
  emit (b);
  sl_media_stats_clear (&st);
  if (p->quitting) {
    quit (p);
    return;
  }
  /* Not from inside the call's own signal. */
  g_idle_add (drop_call, p);
}

static void
on_call_finalized (gpointer data, GObject * where)
{
  Peer *p = data;

  p->calls_alive--;
}

/* Every call, placed or taken (the phone routes its messages and answers
 * busy while one runs). */
static void
on_call_added (SlPhone * phone, SlCall * call, Peer * p)
{
  if (!p->caller)
    p->attempt++;
  p->call = g_object_ref (call);
  p->call_ended = FALSE;
  p->calls_alive++;
  g_object_weak_ref (G_OBJECT (p->call), on_call_finalized, p);
  p->chat_sent = p->chat_acked = p->chat_received = 0;
  g_signal_connect (p->call, "step", G_CALLBACK (on_step), p);
  g_signal_connect (p->call, "state-changed", G_CALLBACK (on_state), p);
  g_signal_connect (p->call, "secured", G_CALLBACK (on_secured), p);
  g_signal_connect (p->call, "chat", G_CALLBACK (on_chat), p);
  g_signal_connect (p->call, "chat-acked", G_CALLBACK (on_chat_acked), p);
  g_signal_connect (p->call, "media-path", G_CALLBACK (on_media_path), p);
  g_signal_connect (p->call, "peer-reachable", G_CALLBACK (on_peer_reachable),
      p);
  g_signal_connect (p->call, "ended", G_CALLBACK (on_ended), p);
}

static gboolean
peer_available (Peer * p)
{
  const SlPeerInfo *info;

  if (!p->dtls_ready || !sl_signal_client_is_connected (p->signal))
    return FALSE;
  info = sl_signal_client_get_peer (p->signal, p->peer);
  return info != NULL && !info->busy;
}

/* The next call waits for the peer to be online and free (it may be
 * reconnecting after a cut), but not for ever. */
static gboolean
on_next (gpointer data)
{
  Peer *p = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SlCall) call = NULL;

  if (!peer_available (p)) {
    if (g_get_monotonic_time () - p->waiting_since_us < 20 * G_USEC_PER_SEC)
      return G_SOURCE_CONTINUE;
  }
  p->next_source = 0;
  p->attempt++;
  if (!peer_available (p)) {
    g_autoptr (JsonBuilder) b = event (p, "ended");

    json_builder_set_member_name (b, "ok");
    json_builder_add_boolean_value (b, FALSE);
    add_str (b, "error", "the peer did not come back within 20 s");
    emit (b);
    p->failed++;
    p->next_source = g_timeout_add (0, on_settled, p);
    return G_SOURCE_REMOVE;
  }
  report_resources (p);
  /* "call-added" keeps it in p->call. */
  call = sl_phone_call (p->phone, p->peer, NULL, &error);
  if (call == NULL) {
    g_autoptr (JsonBuilder) b = event (p, "ended");

    json_builder_set_member_name (b, "ok");
    json_builder_add_boolean_value (b, FALSE);
    add_str (b, "error", error->message);
    emit (b);
    p->failed++;
    p->next_source = g_timeout_add (0, on_settled, p);
  }
  return G_SOURCE_REMOVE;
}

static void
schedule_next (Peer * p, int delay_ms)
{
  p->waiting_since_us = g_get_monotonic_time () + delay_ms * 1000;
  g_clear_handle_id (&p->next_source, g_source_remove);
  p->next_source = g_timeout_add (MAX (delay_ms, 50), on_next, p);
}

static void
on_connected (SlSignalClient * signal, Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "connected");

  add_str (b, "device", sl_signal_client_get_device_id (signal));
  emit (b);
}

static void
on_disconnected (SlSignalClient * signal, GError * why, Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "disconnected");

  add_str (b, "why", why->message);
  emit (b);
}

static void
on_incoming_call (SlPhone * phone, SlCall * call, Peer * p)
{
  sl_call_accept (call);
}

static void
on_incoming_refused (SlPhone * phone, GError * error, Peer * p)
{
  g_autoptr (JsonBuilder) b = event (p, "ended");

  add_str (b, "error", error->message);
  emit (b);
}

static void
on_dtls_ready (GObject * source, GAsyncResult * result, gpointer data)
{
  Peer *p = data;
  g_autoptr (GError) error = NULL;

  if (!sl_media_prepare_dtls_finish (result, &error)) {
    g_printerr ("sl-netpeer: %s\n", error->message);
    g_main_loop_quit (p->loop);
    return;
  }
  p->dtls_ready = TRUE;
  /* The baseline: connected, DTLS certificate made, no call yet. */
  report_resources (p);
  if (p->caller)
    schedule_next (p, 0);
}

static void
quit (Peer * p)
{
  if (!p->caller) {
    g_autoptr (JsonBuilder) b = event (p, "done");

    add_int (b, "ok", p->ok);
    add_int (b, "failed", p->failed);
    emit (b);
  }
  g_main_loop_quit (p->loop);
}

/* A call in progress is hung up first: the program ends with it (its
 * pipeline stops without blocking, "ended" says when it is gone). */
static gboolean
on_term (gpointer data)
{
  Peer *p = data;

  p->quitting = TRUE;
  if (p->call && !p->call_ended)
    sl_call_hangup (p->call);
  else
    quit (p);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  Peer p = { 0, };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *server = NULL, *cert = NULL, *key = NULL, *ca = NULL;
  g_autofree char *cut_at = NULL;
  g_autofree char *video = NULL, *audio = NULL, *display = NULL;
  gboolean relay_only = FALSE;
  int width = 320, height = 240, fps = 15, kbps = 300;
  GOptionEntry entries[] = {
    {"server", 0, 0, G_OPTION_ARG_STRING, &server, "wss://HOST:PORT", "URL"},
    {"cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "Device certificate", "F"},
    {"key", 0, 0, G_OPTION_ARG_FILENAME, &key, "Device key", "F"},
    {"ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, "Operator CA", "F"},
    {"ice-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, "ICE address",
        "A"},
    {"stun", 0, 0, G_OPTION_ARG_STRING, NULL, "STUN server", "URL"},
    {"turn", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, "TURN server", "URL"},
    {"ice-relay-only", 0, 0, G_OPTION_ARG_NONE, &relay_only, "Relay only",
        NULL},
    {"video", 0, 0, G_OPTION_ARG_STRING, &video, "Only \"test\"", "DESC"},
    {"audio", 0, 0, G_OPTION_ARG_STRING, &audio, "Only \"test\"", "DESC"},
    {"display", 0, 0, G_OPTION_ARG_STRING, &display, "Only \"none\"", "M"},
    {"width", 0, 0, G_OPTION_ARG_INT, &width, "Video width", "PX"},
    {"height", 0, 0, G_OPTION_ARG_INT, &height, "Video height", "PX"},
    {"fps", 0, 0, G_OPTION_ARG_INT, &fps, "Frame rate", "N"},
    {"bitrate", 0, 0, G_OPTION_ARG_INT, &kbps, "Video kbit/s", "N"},
    {"repeat", 0, 0, G_OPTION_ARG_INT, &p.repeat, "Calls to place", "N"},
    {"media-ms", 0, 0, G_OPTION_ARG_INT, &p.media_ms,
        "Hang up this long after verification", "MS"},
    {"gap-ms", 0, 0, G_OPTION_ARG_INT, &p.gap_ms, "Pause between calls",
        "MS"},
    {"settle-ms", 0, 0, G_OPTION_ARG_INT, &p.settle_ms,
        "Wait before measuring after a call", "MS"},
    {"chat", 0, 0, G_OPTION_ARG_INT, &p.chat, "Chat messages per call", "N"},
    {"cut-socket", 0, 0, G_OPTION_ARG_FILENAME, &p.cut_socket,
        "The cutting proxy's control socket", "PATH"},
    {"cut-at", 0, 0, G_OPTION_ARG_STRING, &cut_at,
        "Comma-separated step at which call N cuts the WebSocket", "STEPS"},
    {NULL}
  };

  /* A long-running device runs each call's streaming threads anew; glibc
   * gives new threads new malloc arenas and never hands their memory back
   * whole, so RSS creeps although the heap in use does not (see
   * docs/RELIABILITY.md).  Two arenas are plenty for one call at a time;
   * an application embedding the call engine should do the same (or set
   * MALLOC_ARENA_MAX=2 in its unit). */
  mallopt (M_ARENA_MAX, 2);
  sl_crypto_init_process ();
  p.opts = sl_media_options_new ();
  entries[4].arg_data = &p.opts->ice_addresses;
  entries[5].arg_data = &p.opts->stun_server;
  entries[6].arg_data = &p.opts->turn_servers;
  p.repeat = 1;
  p.media_ms = 1500;
  p.gap_ms = 200;
  p.settle_ms = 500;
  context = g_option_context_new ("(call PEER | wait)");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("sl-netpeer: %s\n", error->message);
    return 2;
  }
  if (!sl_dtls_tuning_install (&error)) {
    g_printerr ("sl-netpeer: %s\n", error->message);
    return 2;
  }
  sl_dtls_guard_install ();
  if (argc == 3 && g_str_equal (argv[1], "call")) {
    p.caller = TRUE;
    p.peer = g_strdup (argv[2]);
  } else if (!(argc == 2 && g_str_equal (argv[1], "wait"))) {
    g_printerr ("sl-netpeer: call PEER or wait\n");
    return 2;
  }
  if (!server || !cert || !key || !ca) {
    g_printerr ("sl-netpeer: --server, --cert, --key and --ca are needed\n");
    return 2;
  }
  if (cut_at)
    p.cut_at = g_strsplit (cut_at, ",", -1);
  g_free (p.opts->video_source);
  g_free (p.opts->audio_source);
  p.opts->video_source = g_strdup ("test");
  p.opts->audio_source = g_strdup ("test");
  p.opts->display = SL_DISPLAY_NONE;
  p.opts->width = width;
  p.opts->height = height;
  p.opts->framerate = fps;
  p.opts->video_kbps = kbps;
  p.opts->relay_only = relay_only;

  p.live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p.tracer = find_leaks_tracer ();
  if (p.tracer)
    g_signal_emit_by_name (p.tracer, "activity-start-tracking");
  p.signal = sl_signal_client_new (server, cert, key, ca, &error);
  if (p.signal == NULL) {
    g_printerr ("sl-netpeer: %s\n", error->message);
    return 2;
  }
  p.t0 = g_get_monotonic_time ();
  p.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (p.signal, "connected", G_CALLBACK (on_connected), &p);
  g_signal_connect (p.signal, "disconnected", G_CALLBACK (on_disconnected), &p);
  p.phone = sl_phone_new (p.signal, p.opts);
  /* A device placing calls is busy for others. */
  sl_phone_set_accept_incoming (p.phone, !p.caller);
  g_signal_connect (p.phone, "call-added", G_CALLBACK (on_call_added), &p);
  g_signal_connect (p.phone, "incoming-call", G_CALLBACK (on_incoming_call),
      &p);
  g_signal_connect (p.phone, "incoming-refused",
      G_CALLBACK (on_incoming_refused), &p);
  g_unix_signal_add (SIGTERM, on_term, &p);
  g_unix_signal_add (SIGINT, on_term, &p);
  sl_media_prepare_dtls_async (FALSE, NULL, on_dtls_ready, &p);
  sl_signal_client_start (p.signal);

  g_main_loop_run (p.loop);

  g_clear_handle_id (&p.hangup_source, g_source_remove);
  g_clear_handle_id (&p.chat_source, g_source_remove);
  g_clear_handle_id (&p.next_source, g_source_remove);
  if (p.call)
    g_signal_handlers_disconnect_by_data (p.call, &p);
  g_clear_object (&p.call);
  g_clear_object (&p.phone);
  sl_signal_client_stop (p.signal);
  g_clear_object (&p.signal);
  g_main_loop_unref (p.loop);
  sl_media_options_free (p.opts);
  g_strfreev (p.cut_at);
  g_hash_table_unref (p.live);
  if (p.tracer)
    g_signal_emit_by_name (p.tracer, "activity-stop-tracking");
  g_clear_object (&p.tracer);
  g_free (p.cut_socket);
  g_free (p.peer);
  gst_deinit ();
  return p.failed > 0 ? 1 : 0;
}
