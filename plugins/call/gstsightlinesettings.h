/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "gstsightlineengine.h"

G_BEGIN_DECLS

typedef enum
{
  GST_SIGHTLINE_CODEC_VP8,
  GST_SIGHTLINE_CODEC_H264,
} GstSightlineCodec;

#define GST_TYPE_SIGHTLINE_CODEC (gst_sightline_codec_get_type ())
GType gst_sightline_codec_get_type (void);

/* The settings' property ids: 1 .. GST_SIGHTLINE_N_SETTINGS; an element
 * numbers its own properties after them. */
#define GST_SIGHTLINE_N_SETTINGS 19

/**
 * GstSightlineSettings:
 *
 * sightlinebin's writable properties, plain data the element keeps under
 * its object lock.
 */
typedef struct
{
  char *server;
  char *cert;
  char *key;
  char *ca;
  char *peer;
  char *code;
  gboolean auto_answer;
  char *ice_address;
  char *stun_server;
  char *turn_server;
  gboolean relay_only;
  GstSightlineCodec codec;
  guint bitrate;
  guint latency;
  guint width;
  guint height;
  guint framerate;
  guint connect_timeout;
  gboolean remember_keys;
} GstSightlineSettings;

void                 gst_sightline_settings_init      (GstSightlineSettings *s);
void                 gst_sightline_settings_clear     (GstSightlineSettings *s);
void                 gst_sightline_settings_install   (GObjectClass         *klass);
gboolean             gst_sightline_settings_set       (GstSightlineSettings *s,
                                                       guint                 prop_id,
                                                       const GValue         *value);
gboolean             gst_sightline_settings_get       (const GstSightlineSettings *s,
                                                       guint                 prop_id,
                                                       GValue               *value);
GstSightlineConfig * gst_sightline_settings_to_config (const GstSightlineSettings *s);

G_END_DECLS
