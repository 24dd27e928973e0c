/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>
#include <sightline/sightline.h>

G_BEGIN_DECLS

/**
 * GstSightlineConfig:
 *
 * What the engine needs, copied from the element's properties when it
 * starts.  Plain data.
 */
typedef struct
{
  char *server;
  char *cert;
  char *key;
  char *ca;
  char *peer;                   /* NULL: wait for a call */
  char *code;
  gboolean auto_answer;
  gboolean remember_keys;
  guint connect_timeout_s;
  SlMediaOptions *media;
} GstSightlineConfig;

void gst_sightline_config_free (GstSightlineConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstSightlineConfig, gst_sightline_config_free)

#define GST_TYPE_SIGHTLINE_ENGINE (gst_sightline_engine_get_type ())
G_DECLARE_FINAL_TYPE (GstSightlineEngine, gst_sightline_engine, GST,
                      SIGHTLINE_ENGINE, GObject)

GstSightlineEngine * gst_sightline_engine_new     (GstSightlineConfig *config);

gboolean             gst_sightline_engine_start   (GstSightlineEngine *self,
                                                   GError            **error);

void                 gst_sightline_engine_stop    (GstSightlineEngine *self);

void                 gst_sightline_engine_hangup  (GstSightlineEngine *self);

void                 gst_sightline_engine_accept  (GstSightlineEngine *self,
                                                   gboolean            accept);

void                 gst_sightline_engine_confirm_sas (GstSightlineEngine *self,
                                                       gboolean            match);

void                 gst_sightline_engine_send_chat (GstSightlineEngine *self,
                                                     const char         *text);

G_END_DECLS
