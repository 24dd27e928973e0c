/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SlMetric:
 * @SL_METRIC_CONNECTIONS: gauge, authenticated WebSocket connections
 * @SL_METRIC_TLS_PENDING: gauge, connections still in the TLS handshake or
 *   the WebSocket upgrade
 * @SL_METRIC_CALLS_ACTIVE: gauge, calls ringing or active
 * @SL_METRIC_ACCEPTED: counter, devices admitted
 * @SL_METRIC_REFUSALS: counter by reason, connections refused before any
 *   application message
 * @SL_METRIC_CALLS: counter by outcome, calls ended
 * @SL_METRIC_RELAYED_MESSAGES: counter, blobs relayed (handshake messages
 *   and sealed records)
 * @SL_METRIC_RELAYED_BYTES: counter, base64 characters of blobs relayed
 * @SL_METRIC_MESSAGES_IN: counter, text messages received
 * @SL_METRIC_ERRORS: counter by code, `error` messages sent
 * @SL_METRIC_CLOSES: counter by code, connections closed by the server
 * @SL_METRIC_NOISE_RECORDS: counter, TLS records from logged-in devices
 *   that carried no application data (empty records, KeyUpdates, alerts)
 * @SL_METRIC_POLICY_REFUSALS: counter by reason (the kind of rule:
 *   device, role, default), invitations the call policy refused
 * @SL_METRIC_POLICY_RELOADS: counter by result (ok, failed), policy
 *   reloads on SIGHUP
 * @SL_METRIC_CLUSTER_UP: gauge, 1 while both Redis connections of the
 *   cluster are up, 0 while degraded (cluster mode only)
 * @SL_METRIC_CLUSTER_REMOTE: gauge, devices connected to other instances
 *   (cluster mode only)
 * @SL_METRIC_CLUSTER_REFUSED: counter by reason (malformed, replay),
 *   cluster bus messages refused (cluster mode only)
 */
typedef enum
{
  SL_METRIC_CONNECTIONS,
  SL_METRIC_TLS_PENDING,
  SL_METRIC_CALLS_ACTIVE,
  SL_METRIC_ACCEPTED,
  SL_METRIC_REFUSALS,
  SL_METRIC_CALLS,
  SL_METRIC_RELAYED_MESSAGES,
  SL_METRIC_RELAYED_BYTES,
  SL_METRIC_MESSAGES_IN,
  SL_METRIC_ERRORS,
  SL_METRIC_CLOSES,
  SL_METRIC_NOISE_RECORDS,
  SL_METRIC_POLICY_REFUSALS,
  SL_METRIC_POLICY_RELOADS,
  SL_METRIC_CLUSTER_UP,
  SL_METRIC_CLUSTER_REMOTE,
  SL_METRIC_CLUSTER_REFUSED,
  SL_N_METRICS,
} SlMetric;

#define SL_TYPE_SERVER_METRICS (sl_server_metrics_get_type ())
G_DECLARE_FINAL_TYPE (SlServerMetrics, sl_server_metrics, SL, SERVER_METRICS,
                      GObject)

SlServerMetrics * sl_server_metrics_new    (void);

void              sl_server_metrics_add    (SlServerMetrics *self,
                                            SlMetric         metric,
                                            const char      *label,
                                            gint64           delta);

void              sl_server_metrics_set    (SlServerMetrics *self,
                                            SlMetric         metric,
                                            gint64           value);
void              sl_server_metrics_enable_cluster (SlServerMetrics *self);
gboolean          sl_server_metrics_is_degraded    (SlServerMetrics *self);

gint64            sl_server_metrics_get    (SlServerMetrics *self,
                                            SlMetric         metric,
                                            const char      *label);

char *            sl_server_metrics_render (SlServerMetrics *self);

G_END_DECLS
