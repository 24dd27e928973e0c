/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The cameras and microphones GStreamer's device monitor sees, by the
 * names a user picks them with (`sightline devices`, --video-device,
 * --audio-device).  Each is turned into a gst-launch description (its
 * element and the properties the device set on it, e.g. `v4l2src
 * device=/dev/video2`), so that a picked device travels the same path
 * as a --video or --audio description.  Probing blocks (a sound server
 * may be slow): for the command line, before a call, never on a
 * streaming thread.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-media-device-list.h"
#include "sightline/sl-media-error.h"
#include "sightline/sl-media-options.h"
#include "sl-media-devices.h"

#include <string.h>
#include <gst/gst.h>

static const char *
device_class (SlMediaDeviceKind kind)
{
  return kind == SL_MEDIA_DEVICE_CAMERA ? "Video/Source" : "Audio/Source";
}

/**
 * sl_media_device_free:
 * @device: (nullable) (transfer full): a device
 */
void
sl_media_device_free (SlMediaDevice * device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->source);
  g_free (device);
}

/* "FACTORY prop=value ...": the element @device makes, with every
 * property the device set to other than the factory's default. */
static char *
describe (GstDevice * device, SlMediaDeviceKind kind)
{
  g_autoptr (GstElement) element = gst_device_create_element (device, NULL);
  g_autoptr (GstElement) plain = NULL;
  g_autoptr (GString) desc = NULL;
  g_autofree GParamSpec **specs = NULL;
  GstElementFactory *factory;
  guint i, n = 0;

  if (element == NULL)
    return NULL;
  gst_object_ref_sink (element);
  factory = gst_element_get_factory (element);
  plain = factory ? gst_element_factory_create (factory, NULL) : NULL;
  if (plain == NULL)
    return NULL;
  gst_object_ref_sink (plain);
  desc = g_string_new (GST_OBJECT_NAME (factory));
  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (element), &n);
  for (i = 0; i < n; i++) {
    g_auto (GValue) value = G_VALUE_INIT;
    g_auto (GValue) fresh = G_VALUE_INIT;
    g_autofree char *text = NULL;
    const GParamSpec *spec = specs[i];

    if ((spec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE
        || (spec->flags & G_PARAM_CONSTRUCT_ONLY)
        || g_str_equal (spec->name, "name")
        || g_str_equal (spec->name, "parent"))
      continue;
    g_value_init (&value, spec->value_type);
    g_value_init (&fresh, spec->value_type);
    g_object_get_property (G_OBJECT (element), spec->name, &value);
    g_object_get_property (G_OBJECT (plain), spec->name, &fresh);
    if (g_param_values_cmp ((GParamSpec *) spec, &value, &fresh) == 0)
      continue;
    text = gst_value_serialize (&value);
    if (text == NULL)
      continue;
    if (strpbrk (text, " !\"'\\") != NULL) {
      g_autofree char *quoted = g_strescape (text, NULL);

      g_string_append_printf (desc, " %s=\"%s\"", spec->name, quoted);
    } else {
      g_string_append_printf (desc, " %s=%s", spec->name, text);
    }
  }
  /* As the default camera: the call asks for its own frame rate. */
  if (kind == SL_MEDIA_DEVICE_CAMERA)
    g_string_append (desc, " ! videorate");
  return g_string_free (g_steal_pointer (&desc), FALSE);
}

/**
 * sl_media_device_list:
 * @kind: cameras or microphones
 *
 * Blocks while GStreamer's device providers probe.
 *
 * Returns: (transfer full) (element-type SlMediaDevice): the devices
 *   found, in the monitor's order; empty when there are none
 */
GPtrArray *
sl_media_device_list (SlMediaDeviceKind kind)
{
  g_autoptr (GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      sl_media_device_free);
  GList *devices, *l;

  gst_device_monitor_add_filter (monitor, device_class (kind), NULL);
  devices = gst_device_monitor_get_devices (monitor);
  for (l = devices; l; l = l->next) {
    GstDevice *device = l->data;
    g_autofree char *source = NULL;
    SlMediaDevice *d;

    if (!gst_device_has_classes (device, device_class (kind))
        || (source = describe (device, kind)) == NULL)
      continue;
    d = g_new0 (SlMediaDevice, 1);
    d->name = gst_device_get_display_name (device);
    d->source = g_steal_pointer (&source);
    g_ptr_array_add (out, d);
  }
  g_list_free_full (devices, gst_object_unref);
  return out;
}

/**
 * sl_media_device_find:
 * @kind: cameras or microphones
 * @name: a device's name, as sl_media_device_list() gives it
 * @error: %SL_MEDIA_ERROR_CONFIG when no device, or several, have @name
 *
 * Returns: (transfer full) (nullable): the source description for the
 *   device named @name
 */
char *
sl_media_device_find (SlMediaDeviceKind kind, const char *name, GError ** error)
{
  g_autoptr (GPtrArray) devices = sl_media_device_list (kind);
  const char *what = kind == SL_MEDIA_DEVICE_CAMERA ? "camera" : "microphone";
  const SlMediaDevice *found = NULL;
  guint i, n = 0;

  for (i = 0; i < devices->len; i++) {
    const SlMediaDevice *d = g_ptr_array_index (devices, i);

    if (g_strcmp0 (d->name, name) == 0) {
      found = d;
      n++;
    }
  }
  if (n == 1)
    return g_strdup (found->source);
  if (n > 1)
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "%u %ss are named \"%s\": give one with its description "
        "(`sightline devices` shows them)", n, what, name);
  else if (devices->len == 0)
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "No %s named \"%s\": this machine has no %s", what, name, what);
  else
    g_set_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "No %s named \"%s\" (`sightline devices` lists the %u found)",
        what, name, devices->len);
  return NULL;
}

/**
 * sl_media_device_missing:
 * @opts: the call's options
 * @kind: cameras or microphones
 *
 * Probes the devices if they were not yet (blocks) and the source is not
 * given.
 *
 * Returns: %TRUE when no source of @kind was given and none was found,
 *   so that a call sends a test picture or tone in its place
 */
gboolean
sl_media_device_missing (const SlMediaOptions * opts, SlMediaDeviceKind kind)
{
  /* Given sources need no probe. */
  if (kind == SL_MEDIA_DEVICE_CAMERA)
    return opts->video_source == NULL && sl_media_devices_get ()->camera ==
        NULL;
  return opts->audio_source == NULL && !sl_media_devices_get ()->microphone;
}

/**
 * sl_media_speaker_missing:
 * @opts: the call's options
 *
 * Probes the devices if they were not yet (blocks) and the sound is to
 * play on the default output.
 *
 * Returns: %TRUE when the other device's sound should play on the
 *   default output (@opts' play_audio, no audio_sink) but there is none,
 *   so that it is dropped
 */
gboolean
sl_media_speaker_missing (const SlMediaOptions * opts)
{
  return opts->play_audio && opts->audio_sink == NULL
      && !sl_media_devices_get ()->speaker;
}
