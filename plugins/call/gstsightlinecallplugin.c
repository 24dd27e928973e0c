/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <sightline/sightline.h>

#include "gstsightlinebin.h"
#include "sl-dtls-tuning.h"

GST_DEBUG_CATEGORY_STATIC (sightlinecall_debug);
#define GST_CAT_DEFAULT sightlinecall_debug

static gboolean
plugin_init (GstPlugin * plugin)
{
  g_autoptr (GError) error = NULL;

  GST_DEBUG_CATEGORY_INIT (sightlinecall_debug, "sightlinecall", 0,
      "Sightline call plugin");
  /* First of all: GStreamer binds a dtls plugin to the first SSL_new in
   * the process's global scope when it loads it (RTLD_NOW), so the tuning
   * must be in that scope before any pipeline makes a dtlsenc.  A dtls
   * plugin loaded earlier (another element of the application) keeps
   * OpenSSL's defaults: calls work, set-up under loss is slower, and the
   * element says so on the bus when it starts (the plugin scanner, which
   * loads every plugin, stays quiet). */
  if (!sl_dtls_tuning_install (&error))
    GST_WARNING ("%s (the fallback: LD_PRELOAD=%s)", error->message,
        SL_DTLS_PRELOAD_PATH);
  /* GStreamer 1.22's DTLS connections can die on the clock's thread while
   * their elements are disposed (src/client/media/sl-dtls-guard.c): the
   * guard is a tracer, installed before any pipeline of this process runs
   * a call, as the sightline command does right after gst_init(). */
  sl_dtls_guard_install ();
  return GST_ELEMENT_REGISTER (sightlinebin, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, sightlinecall,
    "Sightline calls in a pipeline", plugin_init, VERSION, GST_LICENSE,
    GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
