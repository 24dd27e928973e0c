/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What a program does once, before its first call: make GStreamer's DTLS
 * certificate and look for a camera, microphone and speaker, so that no
 * call pays for either.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-media-prepare.h"
#include "sightline/sl-media-error.h"
#include "sl-media-devices.h"

#include <gst/gst.h>

static void
prepare_dtls_thread (GTask * task, gpointer source, gpointer data,
    GCancellable * cancellable)
{
  g_autoptr (GError) error = NULL;

  if (GPOINTER_TO_INT (data))
    sl_media_probe_devices ();
  if (sl_media_prepare_dtls (&error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * sl_media_prepare_dtls:
 * @error: set when the DTLS elements are missing
 *
 * GStreamer's DTLS elements make one certificate per process on first use,
 * which takes a few hundred milliseconds: paying it here, at start-up,
 * keeps it off the first call.  Blocks; see sl_media_prepare_dtls_async().
 *
 * Returns: %TRUE when the certificate is ready
 */
gboolean
sl_media_prepare_dtls (GError ** error)
{
  GstElement *dec = gst_element_factory_make ("dtlsdec", NULL);
  char *pem = NULL;

  if (dec == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG,
        "The DTLS elements are missing (gstreamer1.0-plugins-bad)");
    return FALSE;
  }
  g_object_get (dec, "pem", &pem, NULL);
  gst_object_unref (gst_object_ref_sink (dec));
  if (pem == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_FAILED,
        "Could not make the DTLS certificate");
    return FALSE;
  }
  g_free (pem);
  return TRUE;
}

/**
 * sl_media_prepare_dtls_async:
 * @probe_devices: also look for a camera, microphone and speaker now
 *   (needed when sources are not given or received media is played), so
 *   that no call waits for it
 * @cancellable: (nullable): a cancellable
 * @callback: called on the calling thread's main context when done
 * @user_data: for @callback
 *
 * Runs sl_media_prepare_dtls() on a worker thread.
 */
void
sl_media_prepare_dtls_async (gboolean probe_devices,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sl_media_prepare_dtls_async);
  g_task_set_task_data (task, GINT_TO_POINTER (probe_devices), NULL);
  g_task_run_in_thread (task, prepare_dtls_thread);
}

gboolean
sl_media_prepare_dtls_finish (GAsyncResult * result, GError ** error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sl_media_probe_devices:
 *
 * Looks for a camera, a microphone and a speaker once; later calls return
 * at once.  Blocks: call it from a worker thread at start-up.
 */
void
sl_media_probe_devices (void)
{
  sl_media_devices_get ();
}
