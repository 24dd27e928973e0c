/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sightlinebin's call engine: a thread of its own with its own
 * GMainContext, pushed as the thread's default, on which the Sightline
 * engine runs as it does in the `sightline` command (libsoup, the phone,
 * the call and its media all belong to that context).  An element cannot
 * assume that its application runs the default main context, or any at
 * all: gst-launch-1.0 does, a GStreamer application may not.
 *
 * Everything the element asks (start, hang up, answer...) hops to that
 * context; everything the engine reports comes back as signals emitted on
 * the engine's thread, which the element turns into bus messages and its
 * own signals.  The device's files are checked when the engine starts, on
 * the caller's thread, so that a bad file fails the state change at once.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsightlineengine.h"

#include <string.h>

#include "sl-continuity-store.h"
#include "sl-device-identity.h"
#include "sl-source.h"

GST_DEBUG_CATEGORY_EXTERN (gst_sightline_bin_debug);
#define GST_CAT_DEFAULT gst_sightline_bin_debug

/* How long stopping waits for a call's end (its pipeline stops after
 * webrtcbin's pending work, see src/client/media/sl-media-link.c). */
#define STOP_BOUND_S 30

struct _GstSightlineEngine
{
  GObject parent_instance;

  GstSightlineConfig *config;
  SlDeviceIdentity *identity;
  SlContinuityStore *store;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;

  GMutex lock;
  GCond cond;
  gboolean running;             /* under @lock: the thread is set up */
  GError *start_error;          /* under @lock */

  /* The engine's thread only. */
  SlSignalClient *signal;
  SlPhone *phone;
  SlCall *call;
  gboolean dtls_ready;
  gboolean call_placed;
  gboolean call_over;
  gboolean stopping;
  GSource *connect_source;
  GCancellable *cancellable;
};

enum
{
  SIGNAL_CONNECTED,
  SIGNAL_CALL,
  SIGNAL_INCOMING,
  SIGNAL_ENDED,
  SIGNAL_FAILED,
  SIGNAL_CREATE_ELEMENT,
  SIGNAL_MEDIA_STOPPING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (GstSightlineEngine, gst_sightline_engine, G_TYPE_OBJECT);

void
gst_sightline_config_free (GstSightlineConfig * config)
{
  if (config == NULL)
    return;
  g_free (config->server);
  g_free (config->cert);
  g_free (config->key);
  g_free (config->ca);
  g_free (config->peer);
  if (config->code)
    memset (config->code, 0, strlen (config->code));
  g_free (config->code);
  g_clear_pointer (&config->media, sl_media_options_free);
  g_free (config);
}

/**
 * gst_sightline_engine_new:
 * @config: (transfer full): what to connect to, and with which identity
 *
 * Returns: (transfer full): an engine, not started
 */
GstSightlineEngine *
gst_sightline_engine_new (GstSightlineConfig * config)
{
  GstSightlineEngine *self = g_object_new (GST_TYPE_SIGHTLINE_ENGINE, NULL);

  self->config = config;
  return self;
}

/* ------------------------------------------------------------------ */
/* Hops to the engine's context                                         */

typedef void (*EngineFunc) (GstSightlineEngine * self, gpointer data);

typedef struct
{
  GstSightlineEngine *self;
  EngineFunc func;
  gpointer data;
  GDestroyNotify destroy;
} Hop;

static gboolean
hop_dispatch (gpointer data)
{
  Hop *hop = data;

  hop->func (hop->self, hop->data);
  return G_SOURCE_REMOVE;
}

static void
hop_free (gpointer data)
{
  Hop *hop = data;

  if (hop->destroy)
    hop->destroy (hop->data);
  g_object_unref (hop->self);
  g_free (hop);
}

/* Any thread; queued, never run in place. */
static void
hop (GstSightlineEngine * self, EngineFunc func, gpointer data,
    GDestroyNotify destroy)
{
  Hop *h = g_new0 (Hop, 1);
  GSource *source = g_idle_source_new ();

  h->self = g_object_ref (self);
  h->func = func;
  h->data = data;
  h->destroy = destroy;
  g_source_set_callback (source, hop_dispatch, h, hop_free);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* ------------------------------------------------------------------ */
/* The call                                                             */

static void
fail (GstSightlineEngine * self, const GError * error)
{
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

static GstElement *
on_create_element (SlCall * call, const char *role, GstSightlineEngine * self)
{
  GstElement *element = NULL;

  g_signal_emit (self, signals[SIGNAL_CREATE_ELEMENT], 0, role, &element);
  return element;
}

static void
on_media_stopping (SlCall * call, GstSightlineEngine * self)
{
  g_signal_emit (self, signals[SIGNAL_MEDIA_STOPPING], 0);
}

static void
on_call_added (SlPhone * phone, SlCall * call, GstSightlineEngine * self)
{
  /* One call per run: later invites hear busy. */
  sl_phone_set_accept_incoming (phone, FALSE);
  g_set_object (&self->call, call);
  g_signal_connect (call, "create-element", G_CALLBACK (on_create_element),
      self);
  g_signal_connect (call, "media-stopping", G_CALLBACK (on_media_stopping),
      self);
  g_signal_emit (self, signals[SIGNAL_CALL], 0, call);
}

static void
on_incoming_call (SlPhone * phone, SlCall * call, GstSightlineEngine * self)
{
  g_signal_emit (self, signals[SIGNAL_INCOMING], 0, sl_call_get_peer_id (call));
  if (self->config->auto_answer)
    sl_call_accept (call);
}

static void
on_call_ended (SlPhone * phone, SlCall * call, GError * error,
    GstSightlineEngine * self)
{
  self->call_over = TRUE;
  g_signal_emit (self, signals[SIGNAL_ENDED], 0, call, error);
  if (self->stopping)
    g_main_loop_quit (self->loop);
}

static void
place_call (GstSightlineEngine * self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlCall) call = NULL;

  if (self->config->peer == NULL || self->call_placed || !self->dtls_ready
      || !sl_signal_client_is_connected (self->signal) || self->stopping)
    return;
  self->call_placed = TRUE;
  call = sl_phone_call (self->phone, self->config->peer, self->config->code,
      &error);
  if (call == NULL)
    fail (self, error);
}

static void
on_connected (SlSignalClient * signal, GstSightlineEngine * self)
{
  sl_source_clear (&self->connect_source);
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0,
      sl_signal_client_get_device_id (signal));
  place_call (self);
}

/* The server refused this device for good: before a call that is the
 * end; a call in progress is peer to peer and goes on. */
static void
on_refused (SlSignalClient * signal, GError * why, GstSightlineEngine * self)
{
  if (self->call == NULL)
    fail (self, why);
}

static gboolean
on_connect_timeout (gpointer data)
{
  GstSightlineEngine *self = data;
  g_autoptr (GError) error = g_error_new (SL_SIGNAL_ERROR,
      SL_SIGNAL_ERROR_UNREACHABLE, "Cannot reach the server at %s within "
      "%u s", self->config->server, self->config->connect_timeout_s);

  sl_source_clear (&self->connect_source);
  fail (self, error);
  return G_SOURCE_REMOVE;
}

static void
on_dtls_ready (GObject * source, GAsyncResult * result, gpointer data)
{
  GstSightlineEngine *self = data;
  g_autoptr (GError) error = NULL;

  if (!sl_media_prepare_dtls_finish (result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      fail (self, error);
    g_object_unref (self);
    return;
  }
  self->dtls_ready = TRUE;
  place_call (self);
  g_object_unref (self);
}

/* ------------------------------------------------------------------ */
/* The thread                                                           */

static gboolean
set_up (GstSightlineEngine * self, GError ** error)
{
  GstSightlineConfig *c = self->config;

  self->signal = sl_signal_client_new (c->server, c->cert, c->key, c->ca,
      error);
  if (self->signal == NULL)
    return FALSE;
  self->phone = sl_phone_new (self->signal, c->media);
  sl_phone_set_continuity (self->phone, self->store, self->identity->cert_hash);
  sl_phone_set_code (self->phone, c->code);
  sl_phone_set_accept_incoming (self->phone, c->peer == NULL);
  g_signal_connect (self->signal, "connected", G_CALLBACK (on_connected), self);
  g_signal_connect (self->signal, "refused", G_CALLBACK (on_refused), self);
  g_signal_connect (self->phone, "call-added", G_CALLBACK (on_call_added),
      self);
  g_signal_connect (self->phone, "incoming-call",
      G_CALLBACK (on_incoming_call), self);
  g_signal_connect (self->phone, "call-ended", G_CALLBACK (on_call_ended),
      self);
  /* The DTLS certificate is made now, not on the first call. */
  sl_media_prepare_dtls_async (FALSE, self->cancellable, on_dtls_ready,
      g_object_ref (self));
  sl_signal_client_start (self->signal);
  if (c->connect_timeout_s > 0)
    self->connect_source = sl_timeout_attach_seconds (c->connect_timeout_s,
        on_connect_timeout, self);
  return TRUE;
}

static void
tear_down (GstSightlineEngine * self)
{
  sl_source_clear (&self->connect_source);
  g_cancellable_cancel (self->cancellable);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  if (self->phone)
    g_signal_handlers_disconnect_by_data (self->phone, self);
  g_clear_object (&self->phone);
  if (self->signal) {
    g_signal_handlers_disconnect_by_data (self->signal, self);
    sl_signal_client_stop (self->signal);
  }
  g_clear_object (&self->signal);
  /* What the client started on this context finishes here (libsoup's
   * closing connection, the DTLS task's return). */
  while (g_main_context_iteration (self->context, FALSE));
}

static gpointer
thread_main (gpointer data)
{
  GstSightlineEngine *self = data;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = set_up (self, &error);
  g_mutex_lock (&self->lock);
  self->running = TRUE;
  if (!ok)
    self->start_error = g_steal_pointer (&error);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (ok)
    g_main_loop_run (self->loop);
  tear_down (self);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * gst_sightline_engine_start:
 * @self: an engine
 * @error: set when the device's files are not usable or the server URL
 *   is not valid
 *
 * Checks the device's own files here, then connects on the engine's
 * thread (and places the call once connected, or waits for one).
 *
 * Returns: %TRUE when started
 */
gboolean
gst_sightline_engine_start (GstSightlineEngine * self, GError ** error)
{
  GstSightlineConfig *c = self->config;
  g_autofree char *path = NULL;

  self->identity = sl_device_identity_load (c->cert, c->key, c->ca,
      g_get_real_time () / G_USEC_PER_SEC, error);
  if (self->identity == NULL)
    return FALSE;
  if (c->peer && g_str_equal (c->peer, self->identity->device_id)) {
    g_set_error (error, SL_CALL_ERROR, SL_CALL_ERROR_CONFIG,
        "%s is this device: it cannot call itself", c->peer);
    return FALSE;
  }
  if (c->remember_keys) {
    path = sl_continuity_store_default_path (self->identity->device_id);
    self->store = sl_continuity_store_new (path);
  }
  self->thread = g_thread_new ("sightlinebin", thread_main, self);
  g_mutex_lock (&self->lock);
  while (!self->running)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  if (self->start_error) {
    g_propagate_error (error, g_steal_pointer (&self->start_error));
    g_thread_join (g_steal_pointer (&self->thread));
    return FALSE;
  }
  return TRUE;
}

static gboolean
on_stop_bound (gpointer data)
{
  GstSightlineEngine *self = data;
  g_autoptr (GError) error = g_error_new (SL_CALL_ERROR, SL_CALL_ERROR_MEDIA,
      "The call did not end within %u s of stopping; its pipeline is "
      "dropped unfinished", STOP_BOUND_S);

  /* A real problem, said where the application looks. */
  fail (self, error);
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static void
stop_main (GstSightlineEngine * self, gpointer data)
{
  GSource *bound;

  self->stopping = TRUE;
  if (self->call == NULL || self->call_over) {
    g_main_loop_quit (self->loop);
    return;
  }
  /* Hang up and wait for the call's end: its keys are wiped and its
   * pipeline stopped before the thread goes. */
  sl_call_hangup (self->call);
  bound = g_timeout_source_new_seconds (STOP_BOUND_S);
  g_source_set_callback (bound, on_stop_bound, self, NULL);
  g_source_attach (bound, self->context);
  g_source_unref (bound);
}

/**
 * gst_sightline_engine_stop:
 * @self: an engine
 *
 * Hangs a call up, waits for its end (keys wiped, pipeline stopped, at
 * most STOP_BOUND_S) and joins the engine's thread.  Blocks; safe to call
 * more than once.
 */
void
gst_sightline_engine_stop (GstSightlineEngine * self)
{
  if (self->thread == NULL)
    return;
  hop (self, stop_main, NULL, NULL);
  g_thread_join (g_steal_pointer (&self->thread));
}

static void
hangup_main (GstSightlineEngine * self, gpointer data)
{
  /* Before the call is placed: none will be. */
  self->call_placed = TRUE;
  if (self->call)
    sl_call_hangup (self->call);
}

/**
 * gst_sightline_engine_hangup:
 * @self: a started engine
 *
 * Any thread: ends the call (cancels it before it is set up), or places
 * none if it has not started yet.
 */
void
gst_sightline_engine_hangup (GstSightlineEngine * self)
{
  if (self->thread)
    hop (self, hangup_main, NULL, NULL);
}

static void
accept_main (GstSightlineEngine * self, gpointer data)
{
  if (self->call == NULL || sl_call_is_caller (self->call))
    return;
  if (GPOINTER_TO_INT (data))
    sl_call_accept (self->call);
  else
    sl_call_reject (self->call);
}

/**
 * gst_sightline_engine_accept:
 * @self: a started engine
 * @accept: answer (%TRUE) or decline the ringing call
 *
 * Any thread.
 */
void
gst_sightline_engine_accept (GstSightlineEngine * self, gboolean accept)
{
  if (self->thread)
    hop (self, accept_main, GINT_TO_POINTER (accept), NULL);
}

static void
sas_main (GstSightlineEngine * self, gpointer data)
{
  g_autoptr (GError) error = NULL;

  if (self->call && !sl_call_confirm_sas (self->call, GPOINTER_TO_INT (data),
          &error))
    GST_INFO ("SAS answer not taken: %s", error->message);
}

/**
 * gst_sightline_engine_confirm_sas:
 * @self: a started engine
 * @match: whether the user says both screens show the same SAS
 *
 * Any thread.
 */
void
gst_sightline_engine_confirm_sas (GstSightlineEngine * self, gboolean match)
{
  if (self->thread)
    hop (self, sas_main, GINT_TO_POINTER (match), NULL);
}

static void
chat_main (GstSightlineEngine * self, gpointer data)
{
  g_autoptr (GError) error = NULL;

  if (self->call == NULL || !sl_call_send_chat (self->call, data, NULL, &error))
    GST_INFO ("chat not sent: %s", error ? error->message : "no call");
}

/**
 * gst_sightline_engine_send_chat:
 * @self: a started engine
 * @text: a chat message
 *
 * Any thread.
 */
void
gst_sightline_engine_send_chat (GstSightlineEngine * self, const char *text)
{
  if (self->thread)
    hop (self, chat_main, g_strdup (text), g_free);
}

static void
gst_sightline_engine_dispose (GObject * object)
{
  GstSightlineEngine *self = GST_SIGHTLINE_ENGINE (object);

  gst_sightline_engine_stop (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gst_sightline_engine_parent_class)->dispose (object);
}

static void
gst_sightline_engine_finalize (GObject * object)
{
  GstSightlineEngine *self = GST_SIGHTLINE_ENGINE (object);

  g_clear_pointer (&self->config, gst_sightline_config_free);
  g_clear_pointer (&self->identity, sl_device_identity_free);
  g_clear_error (&self->start_error);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_object_unref (self->cancellable);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (gst_sightline_engine_parent_class)->finalize (object);
}

static void
gst_sightline_engine_class_init (GstSightlineEngineClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gst_sightline_engine_dispose;
  object_class->finalize = gst_sightline_engine_finalize;

  /* All emitted on the engine's thread. */
  /* (device id) the server welcomed this device. */
  signals[SIGNAL_CONNECTED] = g_signal_new ("connected",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (SlCall) a call was made (placed or ringing), not started yet: watch
   * it here. */
  signals[SIGNAL_CALL] = g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, SL_TYPE_CALL);
  /* (peer id) a call rings. */
  signals[SIGNAL_INCOMING] = g_signal_new ("incoming",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (SlCall, GError or NULL) the call ended, its pipeline stopped. */
  signals[SIGNAL_ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, SL_TYPE_CALL,
      G_TYPE_ERROR);
  /* (GError) no call could be made: the server is out of reach, refused
   * this device, or the DTLS elements are missing. */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* (role) -> GstElement: the call's "create-element". */
  signals[SIGNAL_CREATE_ELEMENT] = g_signal_new ("create-element",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      sl_call_first_element_accumulator, NULL,
      NULL, GST_TYPE_ELEMENT, 1, G_TYPE_STRING);
  /* The call's pipeline is about to stop. */
  signals[SIGNAL_MEDIA_STOPPING] = g_signal_new ("media-stopping",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
}

static void
gst_sightline_engine_init (GstSightlineEngine * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->cancellable = g_cancellable_new ();
}
