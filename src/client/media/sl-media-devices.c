/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The camera, microphone and speaker of this machine.  Probing is slow (a
 * sound server may time out), so it happens once per process, at start-up
 * through sl_media_probe_devices(), never on a streaming thread in the
 * middle of a call.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-media-devices.h"

#include <string.h>
#include <gst/gst.h>

static GstDevice *
find_device (const char *klass)
{
  g_autoptr (GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GList *devices, *l;
  GstDevice *found = NULL;

  gst_device_monitor_add_filter (monitor, klass, NULL);
  devices = gst_device_monitor_get_devices (monitor);
  for (l = devices; l && !found; l = l->next) {
    if (gst_device_has_classes (l->data, klass))
      found = gst_object_ref (l->data);
  }
  g_list_free_full (devices, gst_object_unref);
  return found;
}

/**
 * sl_media_devices_get:
 *
 * Probes on the first call (blocks), then returns at once.
 *
 * Returns: (transfer none): what this machine has
 */
const SlMediaDevices *
sl_media_devices_get (void)
{
  static gsize once = 0;
  static SlMediaDevices d;

  if (g_once_init_enter (&once)) {
    g_autoptr (GstDevice) camera = find_device ("Video/Source");
    g_autoptr (GstDevice) mic = find_device ("Audio/Source");
    g_autoptr (GstDevice) speaker = find_device ("Audio/Sink");
    g_autoptr (GstStructure) props = NULL;
    const char *path = NULL;

    if (camera)
      props = gst_device_get_properties (camera);
    if (props)
      path = gst_structure_get_string (props, "device.path");
    if (path && !strchr (path, ' ') && !strchr (path, '!'))
      d.camera = g_strdup_printf ("v4l2src device=%s ! videorate", path);
    else if (camera)
      d.camera = g_strdup ("autovideosrc ! videorate");
    d.microphone = mic != NULL;
    d.speaker = speaker != NULL;
    g_once_init_leave (&once, 1);
  }
  return &d;
}
