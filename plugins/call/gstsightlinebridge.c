/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * How media crosses between the application's pipeline and the call's.
 * The call runs its own pipeline (webrtcbin, the engine's thread and
 * clock); sightlinebin's pads belong to the application's.  Each input
 * ("video", "audio" request pads) ends in an appsink whose samples are
 * pushed into an appsrc at the head of the call's capture branch; each
 * output ("remote_video", "remote_audio" sometimes pads) starts at an
 * appsrc fed from an appsink in the call's display bin.  Buffers are
 * shared, not copied; each appsrc stamps them with its own pipeline's
 * running time as they arrive (the two pipelines keep their own clocks),
 * and drops the oldest when its consumer falls behind, so that neither
 * pipeline can hold the other back.
 *
 * Without a call, or before its media exists, inputs are simply dropped.
 * The received media passes the call's gate first: nothing reaches an
 * output before the call is secured.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsightlinebridge.h"

#include <gst/app/app.h>

GST_DEBUG_CATEGORY_EXTERN (gst_sightline_bin_debug);
#define GST_CAT_DEFAULT gst_sightline_bin_debug

/* Frames (or audio buffers) an appsrc keeps before dropping the oldest. */
#define QUEUE_BUFFERS 4

enum
{
  KIND_VIDEO,
  KIND_AUDIO,
  N_KINDS
};

struct _GstSightlineBridge
{
  GObject parent_instance;

  GstElement *bin;              /* not owned: the bridge is the bin's */

  GMutex lock;
  GstElement *inputs[N_KINDS];  /* appsinks in the application's pipeline */
  GstElement *captures[N_KINDS];        /* appsrcs in the call's pipeline */
  GstElement *outputs[N_KINDS]; /* appsrcs in the application's pipeline */
  GstPad *output_pads[N_KINDS]; /* the bin's pads for them */
};

enum
{
  SIGNAL_INPUT_EOS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (GstSightlineBridge, gst_sightline_bridge, G_TYPE_OBJECT);

static int
kind_of (const char *kind)
{
  return g_str_equal (kind, "audio") ? KIND_AUDIO : KIND_VIDEO;
}

static GstElement *
make_appsrc (const char *name)
{
  GstElement *src = gst_element_factory_make ("appsrc", name);

  g_object_set (src, "is-live", TRUE, "format", GST_FORMAT_TIME,
      "do-timestamp", TRUE, "max-buffers", (guint64) QUEUE_BUFFERS,
      "max-bytes", (guint64) 0, "max-time", (guint64) 0, NULL);
  gst_util_set_object_arg (G_OBJECT (src), "leaky-type", "downstream");
  return src;
}

static GstElement *
make_appsink (const char *name, GstAppSinkCallbacks * callbacks, gpointer data)
{
  GstElement *sink = gst_element_factory_make ("appsink", name);

  g_object_set (sink, "sync", FALSE, "async", FALSE, "max-buffers", 2,
      "drop", TRUE, "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), callbacks, data, NULL);
  return sink;
}

/* Pushes @sample to the appsrc in @slot, if there is one; any thread. */
static void
forward (GstSightlineBridge * self, GstElement ** slot, GstSample * sample)
{
  GstElement *src;

  g_mutex_lock (&self->lock);
  src = *slot ? gst_object_ref (*slot) : NULL;
  g_mutex_unlock (&self->lock);
  if (src) {
    gst_app_src_push_sample (GST_APP_SRC (src), sample);
    gst_object_unref (src);
  }
}

/* ------------------------------------------------------------------ */
/* Inputs: the application's media to send                              */

static GstFlowReturn
on_input_sample (GstAppSink * sink, gpointer data)
{
  GstSightlineBridge *self = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  int kind = g_object_get_data (G_OBJECT (sink), "sl-kind") != NULL ?
      KIND_AUDIO : KIND_VIDEO;

  if (sample == NULL)
    return GST_FLOW_EOS;
  forward (self, &self->captures[kind], sample);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static void
on_input_eos (GstAppSink * sink, gpointer data)
{
  g_signal_emit (data, signals[SIGNAL_INPUT_EOS], 0);
}

/**
 * gst_sightline_bridge_add_input:
 * @self: a bridge
 * @kind: "video" or "audio"
 * @templ: the request pad's template
 *
 * The application's thread: a request pad of the bin.
 *
 * Returns: (transfer none) (nullable): the bin's new pad, %NULL if it
 *   has one of @kind already
 */
GstPad *
gst_sightline_bridge_add_input (GstSightlineBridge * self, const char *kind,
    GstPadTemplate * templ)
{
  static GstAppSinkCallbacks callbacks = {
    .eos = on_input_eos,
    .new_sample = on_input_sample,
  };
  int k = kind_of (kind);
  g_autofree char *name = g_strdup_printf ("%s-in", kind);
  g_autoptr (GstPad) target = NULL;
  GstElement *sink;
  GstPad *pad;

  if (self->inputs[k])
    return NULL;
  sink = make_appsink (name, &callbacks, self);
  if (k == KIND_AUDIO)
    g_object_set_data (G_OBJECT (sink), "sl-kind", GINT_TO_POINTER (1));
  gst_bin_add (GST_BIN (self->bin), sink);
  target = gst_element_get_static_pad (sink, "sink");
  pad = gst_ghost_pad_new_from_template (kind, target, templ);
  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (self->bin, pad);
  gst_element_sync_state_with_parent (sink);
  g_mutex_lock (&self->lock);
  self->inputs[k] = gst_object_ref (sink);
  g_mutex_unlock (&self->lock);
  return pad;
}

/**
 * gst_sightline_bridge_remove_input:
 * @self: a bridge
 * @pad: a pad from gst_sightline_bridge_add_input()
 */
void
gst_sightline_bridge_remove_input (GstSightlineBridge * self, GstPad * pad)
{
  int k = kind_of (GST_OBJECT_NAME (pad));
  GstElement *sink;

  g_mutex_lock (&self->lock);
  sink = g_steal_pointer (&self->inputs[k]);
  g_mutex_unlock (&self->lock);
  gst_element_remove_pad (self->bin, pad);
  if (sink) {
    gst_element_set_locked_state (sink, TRUE);
    gst_element_set_state (sink, GST_STATE_NULL);
    /* A bin being disposed removed its children already. */
    if (GST_OBJECT_PARENT (sink) == GST_OBJECT (self->bin))
      gst_bin_remove (GST_BIN (self->bin), sink);
    gst_object_unref (sink);
  }
}

/**
 * gst_sightline_bridge_make_capture:
 * @self: a bridge
 * @kind: "video" or "audio"
 *
 * The engine's thread, as the call builds its media.
 *
 * Returns: (transfer floating) (nullable): the call's source for @kind,
 *   fed from the bin's input; %NULL when the bin has no such input
 */
GstElement *
gst_sightline_bridge_make_capture (GstSightlineBridge * self, const char *kind)
{
  int k = kind_of (kind);
  g_autofree char *name = g_strdup_printf ("%s-capture", kind);
  GstElement *src = NULL;

  g_mutex_lock (&self->lock);
  if (self->inputs[k]) {
    src = make_appsrc (name);
    gst_object_replace ((GstObject **) & self->captures[k], GST_OBJECT (src));
  }
  g_mutex_unlock (&self->lock);
  return src;
}

/* ------------------------------------------------------------------ */
/* Outputs: the peer's media                                            */

static gboolean
output_linked (GstSightlineBridge * self, int kind)
{
  gboolean linked;

  g_mutex_lock (&self->lock);
  linked = self->output_pads[kind] && gst_pad_is_linked
      (self->output_pads[kind]);
  g_mutex_unlock (&self->lock);
  return linked;
}

static GstFlowReturn
on_display_sample (GstAppSink * sink, gpointer data)
{
  GstSightlineBridge *self = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  int kind = g_object_get_data (G_OBJECT (sink), "sl-kind") != NULL ?
      KIND_AUDIO : KIND_VIDEO;

  if (sample == NULL)
    return GST_FLOW_EOS;
  /* An output the application left unlinked (gst-launch-1.0 with only
   * remote_video linked) would stop its appsrc with not-linked, an error
   * for the whole pipeline: what it would get is dropped instead. */
  if (output_linked (self, kind))
    forward (self, &self->outputs[kind], sample);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

/* A sometimes pad of the bin for @kind, fed by an appsrc. */
static void
add_output (GstSightlineBridge * self, int kind)
{
  const char *pad_name = kind == KIND_AUDIO ? "remote_audio" : "remote_video";
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (self->bin);
  g_autoptr (GstPad) target = NULL;
  GstElement *src;
  GstPad *pad;

  if (self->outputs[kind])
    return;
  src = make_appsrc (kind == KIND_AUDIO ? "audio-out" : "video-out");
  gst_bin_add (GST_BIN (self->bin), src);
  target = gst_element_get_static_pad (src, "src");
  pad = gst_ghost_pad_new_from_template (pad_name, target,
      gst_element_class_get_pad_template (klass, pad_name));
  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (self->bin, pad);
  gst_element_sync_state_with_parent (src);
  g_mutex_lock (&self->lock);
  self->outputs[kind] = gst_object_ref (src);
  self->output_pads[kind] = gst_object_ref (pad);
  g_mutex_unlock (&self->lock);
}

static void
add_display_input (GstElement * display, GstSightlineBridge * self, int kind)
{
  static GstAppSinkCallbacks callbacks = {
    .new_sample = on_display_sample,
  };
  GstElement *sink = make_appsink (kind == KIND_AUDIO ? "audio-display" :
      "video-display", &callbacks, self);
  g_autoptr (GstPad) target = NULL;
  GstPad *ghost;

  if (kind == KIND_AUDIO)
    g_object_set_data (G_OBJECT (sink), "sl-kind", GINT_TO_POINTER (1));
  gst_bin_add (GST_BIN (display), sink);
  target = gst_element_get_static_pad (sink, "sink");
  ghost = gst_ghost_pad_new (kind == KIND_AUDIO ? "audio" : "video", target);
  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (display, ghost);
}

/**
 * gst_sightline_bridge_make_display:
 * @self: a bridge
 *
 * The engine's thread, as the call builds its media: the bin's outputs
 * appear now (no more pads after them), before the first frame, so that
 * the application can link them.
 *
 * Returns: (transfer floating): the call's display, a bin with ghost sink
 *   pads "video" and "audio"
 */
GstElement *
gst_sightline_bridge_make_display (GstSightlineBridge * self)
{
  GstElement *display = gst_bin_new ("sightlinebin-display");

  add_display_input (display, self, KIND_VIDEO);
  add_display_input (display, self, KIND_AUDIO);
  add_output (self, KIND_VIDEO);
  add_output (self, KIND_AUDIO);
  gst_element_no_more_pads (self->bin);
  return display;
}

/**
 * gst_sightline_bridge_detach:
 * @self: a bridge
 *
 * The call's pipeline stops: inputs are dropped again.
 */
void
gst_sightline_bridge_detach (GstSightlineBridge * self)
{
  int k;

  g_mutex_lock (&self->lock);
  for (k = 0; k < N_KINDS; k++)
    gst_object_replace ((GstObject **) & self->captures[k], NULL);
  g_mutex_unlock (&self->lock);
}

/**
 * gst_sightline_bridge_end:
 * @self: a bridge
 *
 * The call is over: end of stream on the outputs, and on the inputs'
 * sinks, so that the application's pipeline ends (gst-launch-1.0 exits).
 */
void
gst_sightline_bridge_end (GstSightlineBridge * self)
{
  GstElement *outputs[N_KINDS] = { NULL, };
  GstElement *inputs[N_KINDS] = { NULL, };
  int k;

  g_mutex_lock (&self->lock);
  for (k = 0; k < N_KINDS; k++) {
    outputs[k] = self->outputs[k] ? gst_object_ref (self->outputs[k]) : NULL;
    inputs[k] = self->inputs[k] ? gst_object_ref (self->inputs[k]) : NULL;
  }
  g_mutex_unlock (&self->lock);
  for (k = 0; k < N_KINDS; k++) {
    if (outputs[k]) {
      gst_app_src_end_of_stream (GST_APP_SRC (outputs[k]));
      gst_object_unref (outputs[k]);
    }
    if (inputs[k]) {
      g_autoptr (GstPad) pad = gst_element_get_static_pad (inputs[k], "sink");

      gst_pad_send_event (pad, gst_event_new_eos ());
      gst_object_unref (inputs[k]);
    }
  }
}

/**
 * gst_sightline_bridge_new:
 * @bin: the element it belongs to (not referenced)
 *
 * Returns: (transfer full): a bridge without inputs or outputs
 */
GstSightlineBridge *
gst_sightline_bridge_new (GstElement * bin)
{
  GstSightlineBridge *self = g_object_new (GST_TYPE_SIGHTLINE_BRIDGE, NULL);

  self->bin = bin;
  return self;
}

static void
gst_sightline_bridge_dispose (GObject * object)
{
  GstSightlineBridge *self = GST_SIGHTLINE_BRIDGE (object);
  int k;

  g_mutex_lock (&self->lock);
  for (k = 0; k < N_KINDS; k++) {
    gst_object_replace ((GstObject **) & self->inputs[k], NULL);
    gst_object_replace ((GstObject **) & self->captures[k], NULL);
    gst_object_replace ((GstObject **) & self->outputs[k], NULL);
    gst_object_replace ((GstObject **) & self->output_pads[k], NULL);
  }
  g_mutex_unlock (&self->lock);

  G_OBJECT_CLASS (gst_sightline_bridge_parent_class)->dispose (object);
}

static void
gst_sightline_bridge_finalize (GObject * object)
{
  GstSightlineBridge *self = GST_SIGHTLINE_BRIDGE (object);

  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gst_sightline_bridge_parent_class)->finalize (object);
}

static void
gst_sightline_bridge_class_init (GstSightlineBridgeClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gst_sightline_bridge_dispose;
  object_class->finalize = gst_sightline_bridge_finalize;

  /* An input reached its end (a streaming thread). */
  signals[SIGNAL_INPUT_EOS] = g_signal_new ("input-eos",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
}

static void
gst_sightline_bridge_init (GstSightlineBridge * self)
{
  g_mutex_init (&self->lock);
}
