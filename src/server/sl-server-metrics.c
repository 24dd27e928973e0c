/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Counters and gauges for GET /metrics, in the Prometheus text format
 * (version 0.0.4).  Labelled metrics keep one value per label seen; label
 * values are fixed strings chosen by the server (reasons, outcomes,
 * codes), never text from a device.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-server-metrics.h"

#include <stdio.h>
#include <unistd.h>

typedef struct
{
  const char *name;
  const char *type;
  const char *label;            /* NULL: unlabelled */
  const char *help;
  gboolean cluster;             /* rendered in cluster mode only */
} MetricInfo;

static const MetricInfo infos[SL_N_METRICS] = {
  {"sightline_connections", "gauge", NULL,
      "Authenticated WebSocket connections"},
  {"sightline_tls_pending", "gauge", NULL,
      "Connections in the TLS handshake or WebSocket upgrade"},
  {"sightline_calls_active", "gauge", NULL, "Calls ringing or active"},
  {"sightline_connections_accepted_total", "counter", NULL,
      "Devices admitted"},
  {"sightline_refusals_total", "counter", "reason",
      "Connections refused before any application message"},
  {"sightline_calls_total", "counter", "outcome", "Calls ended, by outcome"},
  {"sightline_relayed_messages_total", "counter", NULL,
      "Opaque blobs relayed between call parties"},
  {"sightline_relayed_bytes_total", "counter", NULL,
      "Base64 characters of blobs relayed"},
  {"sightline_messages_received_total", "counter", NULL,
      "Text messages received from devices"},
  {"sightline_errors_sent_total", "counter", "code",
      "Error messages sent to devices"},
  {"sightline_closes_total", "counter", "code",
      "Connections closed by the server, by WebSocket close code"},
  {"sightline_tls_records_without_data_total", "counter", NULL,
      "TLS records from devices that carried no application data"},
  {"sightline_policy_refusals_total", "counter", "reason",
      "Invitations refused by the call policy, by the kind of rule"},
  {"sightline_policy_reloads_total", "counter", "result",
      "Call policy reloads (SIGHUP), by result"},
  {"sightline_cluster_redis_up", "gauge", NULL,
        "1 while the cluster's Redis connections are up, 0 while degraded",
      TRUE},
  {"sightline_cluster_remote_devices", "gauge", NULL,
      "Devices connected to other instances of the cluster", TRUE},
  {"sightline_cluster_bus_refused_total", "counter", "reason",
      "Cluster bus messages refused, by reason", TRUE},
};

struct _SlServerMetrics
{
  GObject parent_instance;

  gboolean cluster;
  gint64 plain[SL_N_METRICS];
  GHashTable *labelled[SL_N_METRICS];   /* label value -> gint64 */
};

G_DEFINE_FINAL_TYPE (SlServerMetrics, sl_server_metrics, G_TYPE_OBJECT);

/**
 * sl_server_metrics_new:
 *
 * Returns: (transfer full): all metrics at zero
 */
SlServerMetrics *
sl_server_metrics_new (void)
{
  return g_object_new (SL_TYPE_SERVER_METRICS, NULL);
}

/**
 * sl_server_metrics_add:
 * @self: the metrics
 * @metric: which
 * @label: (nullable): the label value, for labelled metrics; a static or
 *   long-lived string chosen by the server
 * @delta: the change (negative for gauges going down)
 */
void
sl_server_metrics_add (SlServerMetrics * self, SlMetric metric,
    const char *label, gint64 delta)
{
  gint64 *slot;

  g_return_if_fail (SL_IS_SERVER_METRICS (self));
  g_return_if_fail (metric < SL_N_METRICS);

  if (infos[metric].label == NULL) {
    self->plain[metric] += delta;
    return;
  }
  g_return_if_fail (label != NULL);
  slot = g_hash_table_lookup (self->labelled[metric], label);
  if (slot == NULL) {
    slot = g_new0 (gint64, 1);
    g_hash_table_insert (self->labelled[metric], g_strdup (label), slot);
  }
  *slot += delta;
}

/**
 * sl_server_metrics_set:
 * @self: the metrics
 * @metric: an unlabelled gauge
 * @value: its new value
 */
void
sl_server_metrics_set (SlServerMetrics * self, SlMetric metric, gint64 value)
{
  g_return_if_fail (SL_IS_SERVER_METRICS (self));
  g_return_if_fail (metric < SL_N_METRICS && infos[metric].label == NULL);
  self->plain[metric] = value;
}

/**
 * sl_server_metrics_enable_cluster:
 * @self: the metrics
 *
 * Renders the cluster's series too (a single instance has none).
 */
void
sl_server_metrics_enable_cluster (SlServerMetrics * self)
{
  g_return_if_fail (SL_IS_SERVER_METRICS (self));
  self->cluster = TRUE;
}

/**
 * sl_server_metrics_is_degraded:
 * @self: the metrics
 *
 * Returns: whether a cluster instance has lost Redis (it then serves its
 *   own devices only)
 */
gboolean
sl_server_metrics_is_degraded (SlServerMetrics * self)
{
  g_return_val_if_fail (SL_IS_SERVER_METRICS (self), FALSE);
  return self->cluster && self->plain[SL_METRIC_CLUSTER_UP] == 0;
}

/**
 * sl_server_metrics_get:
 * @self: the metrics
 * @metric: which
 * @label: (nullable): the label value, for labelled metrics
 *
 * Returns: the current value
 */
gint64
sl_server_metrics_get (SlServerMetrics * self, SlMetric metric,
    const char *label)
{
  gint64 *slot;

  g_return_val_if_fail (SL_IS_SERVER_METRICS (self), 0);
  g_return_val_if_fail (metric < SL_N_METRICS, 0);
  if (infos[metric].label == NULL)
    return self->plain[metric];
  slot = label ? g_hash_table_lookup (self->labelled[metric], label) : NULL;
  return slot ? *slot : 0;
}

static gint64
resident_bytes (void)
{
  long pages = 0, resident = 0;
  FILE *f = fopen ("/proc/self/statm", "r");

  if (f == NULL)
    return 0;
  if (fscanf (f, "%ld %ld", &pages, &resident) != 2)
    resident = 0;
  fclose (f);
  return (gint64) resident *sysconf (_SC_PAGESIZE);
}

/**
 * sl_server_metrics_render:
 * @self: the metrics
 *
 * Returns: (transfer full): the Prometheus text exposition
 */
char *
sl_server_metrics_render (SlServerMetrics * self)
{
  GString *out = g_string_new (NULL);
  guint m;

  g_return_val_if_fail (SL_IS_SERVER_METRICS (self), NULL);

  for (m = 0; m < SL_N_METRICS; m++) {
    const MetricInfo *info = &infos[m];

    if (info->cluster && !self->cluster)
      continue;
    g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", info->name,
        info->help, info->name, info->type);
    if (info->label == NULL) {
      g_string_append_printf (out, "%s %" G_GINT64_FORMAT "\n", info->name,
          self->plain[m]);
    } else {
      g_autoptr (GList) keys = g_hash_table_get_keys (self->labelled[m]);
      GList *l;

      keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
      for (l = keys; l; l = l->next) {
        gint64 *v = g_hash_table_lookup (self->labelled[m], l->data);
        g_string_append_printf (out, "%s{%s=\"%s\"} %" G_GINT64_FORMAT "\n",
            info->name, info->label, (const char *) l->data, *v);
      }
    }
  }
  g_string_append_printf (out, "# HELP process_resident_memory_bytes "
      "Resident memory size in bytes\n# TYPE process_resident_memory_bytes "
      "gauge\nprocess_resident_memory_bytes %" G_GINT64_FORMAT "\n",
      resident_bytes ());
  return g_string_free (out, FALSE);
}

static void
sl_server_metrics_finalize (GObject * object)
{
  SlServerMetrics *self = SL_SERVER_METRICS (object);
  guint m;

  for (m = 0; m < SL_N_METRICS; m++)
    g_clear_pointer (&self->labelled[m], g_hash_table_unref);
  G_OBJECT_CLASS (sl_server_metrics_parent_class)->finalize (object);
}

static void
sl_server_metrics_class_init (SlServerMetricsClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_server_metrics_finalize;
}

static void
sl_server_metrics_init (SlServerMetrics * self)
{
  guint m;

  for (m = 0; m < SL_N_METRICS; m++) {
    if (infos[m].label)
      self->labelled[m] = g_hash_table_new_full (g_str_hash, g_str_equal,
          g_free, g_free);
  }
}
