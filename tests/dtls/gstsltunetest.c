/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * A test plugin that does what Sightline's call element must do to tune
 * DTLS for gst-launch-1.0 users: call sl_dtls_tuning_install() from
 * plugin_init (GStreamer loads plugins RTLD_LOCAL; the call promotes the
 * plugin to the global scope) and say so when it cannot work.  Its one
 * element, sltunetest, is an empty bin that only makes gst-launch-1.0
 * load the plugin:
 *
 *   gst-launch-1.0 sltunetest  dtlsdec ... dtlsenc ...
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

#include "sl-dtls-tuning.h"

#define GST_TYPE_SL_TUNE_TEST (gst_sl_tune_test_get_type ())
G_DECLARE_FINAL_TYPE (GstSlTuneTest, gst_sl_tune_test, GST, SL_TUNE_TEST,
    GstBin);

struct _GstSlTuneTest
{
  GstBin parent;
};

G_DEFINE_TYPE (GstSlTuneTest, gst_sl_tune_test, GST_TYPE_BIN);

static void
gst_sl_tune_test_class_init (GstSlTuneTestClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "Sightline DTLS tuning test", "Generic",
      "Loads the plugin that tunes DTLS (tests only)", "Sightline developers");
}

static void
gst_sl_tune_test_init (GstSlTuneTest * self)
{
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  g_autoptr (GError) error = NULL;

  if (!sl_dtls_tuning_install (&error))
    g_warning ("sltunetest: %s", error->message);
  return gst_element_register (plugin, "sltunetest", GST_RANK_NONE,
      GST_TYPE_SL_TUNE_TEST);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, sltunetest,
    "Sightline DTLS tuning test plugin", plugin_init, PACKAGE_VERSION,
    GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
