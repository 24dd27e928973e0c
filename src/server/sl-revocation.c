/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The revocation list the server checks every device against.  It is the
 * CRL written by `sightline-ca revoke`, verified against the operator CA
 * on every load, and reloaded when the file changes (sightline-ca replaces
 * it with a rename, so a change is seen whole) or on SIGHUP.  A list that
 * fails to load or verify on reload is ignored with a warning and the
 * previous one stays in force: a broken file must not quietly re-admit
 * revoked devices.  "changed" is emitted after each successful reload so
 * the server can disconnect devices that are now revoked.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-revocation.h"
#include "sl-pki.h"

/* Coalesces the several file events one rename produces. */
#define RELOAD_DELAY_MS 100

struct _SlRevocation
{
  GObject parent_instance;

  char *path;
  GBytes *ca_pem;
  GHashTable *revoked;          /* serial (lowercase hex) set */
  GFileMonitor *monitor;
  guint reload_source;
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlRevocation, sl_revocation, G_TYPE_OBJECT);

/**
 * sl_revocation_reload:
 * @self: the revocation list
 * @error: return location for an error
 *
 * Reads and verifies the list again; on failure the previous list stays
 * in force.  Emits "changed" on success.
 *
 * Returns: whether the new list was loaded
 */
gboolean
sl_revocation_reload (SlRevocation * self, GError ** error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autoptr (GBytes) pem = NULL;
  GHashTable *set;
  gsize len;

  g_return_val_if_fail (SL_IS_REVOCATION (self), FALSE);

  if (!g_file_get_contents (self->path, &data, &len, &local_error)) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  pem = g_bytes_new_take (g_steal_pointer (&data), len);
  set = sl_pki_load_crl (pem, self->ca_pem, &local_error);
  if (set == NULL) {
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
        "%s: ", self->path);
    return FALSE;
  }
  g_clear_pointer (&self->revoked, g_hash_table_unref);
  self->revoked = set;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

static gboolean
reload_cb (gpointer user_data)
{
  SlRevocation *self = user_data;
  g_autoptr (GError) error = NULL;

  self->reload_source = 0;
  if (sl_revocation_reload (self, &error))
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
        "EVENT", "crl-reloaded", "MESSAGE", "revocation list reloaded: %u "
        "revoked certificates", g_hash_table_size (self->revoked));
  else
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
        "EVENT", "crl-reload-failed", "MESSAGE", "keeping the previous "
        "revocation list: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
file_changed_cb (GFileMonitor * monitor, GFile * file, GFile * other,
    GFileMonitorEvent event, gpointer user_data)
{
  SlRevocation *self = user_data;

  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
      event == G_FILE_MONITOR_EVENT_DELETED ||
      event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT ||
      event == G_FILE_MONITOR_EVENT_UNMOUNTED)
    return;
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_cb, self);
}

/**
 * sl_revocation_new:
 * @crl_path: the CRL file
 * @ca_pem: the operator CA certificate that signs it
 * @error: return location for an error
 *
 * Loads the list and starts watching the file.
 *
 * Returns: (transfer full) (nullable): the list, or %NULL if the file
 *   cannot be read or does not verify
 */
SlRevocation *
sl_revocation_new (const char *crl_path, GBytes * ca_pem, GError ** error)
{
  g_autoptr (SlRevocation) self = g_object_new (SL_TYPE_REVOCATION, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (crl_path);
  g_autoptr (GError) local_error = NULL;

  self->path = g_strdup (crl_path);
  self->ca_pem = g_bytes_ref (ca_pem);
  if (!sl_revocation_reload (self, error))
    return NULL;
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES,
      NULL, &local_error);
  if (self->monitor)
    g_signal_connect (self->monitor, "changed", G_CALLBACK (file_changed_cb),
        self);
  else
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "EVENT",
        "crl-watch-failed", "MESSAGE", "cannot watch %s (reload with "
        "SIGHUP): %s", crl_path, local_error->message);
  return g_steal_pointer (&self);
}

/**
 * sl_revocation_is_revoked:
 * @self: the list
 * @serial: a serial, lowercase hexadecimal without leading zeros
 *
 * Returns: whether the certificate is revoked
 */
gboolean
sl_revocation_is_revoked (SlRevocation * self, const char *serial)
{
  g_return_val_if_fail (SL_IS_REVOCATION (self), TRUE);
  return g_hash_table_contains (self->revoked, serial);
}

/**
 * sl_revocation_get_count:
 * @self: the list
 *
 * Returns: the number of revoked certificates
 */
guint
sl_revocation_get_count (SlRevocation * self)
{
  g_return_val_if_fail (SL_IS_REVOCATION (self), 0);
  return g_hash_table_size (self->revoked);
}

static void
sl_revocation_dispose (GObject * object)
{
  SlRevocation *self = SL_REVOCATION (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->monitor)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (sl_revocation_parent_class)->dispose (object);
}

static void
sl_revocation_finalize (GObject * object)
{
  SlRevocation *self = SL_REVOCATION (object);

  g_free (self->path);
  g_clear_pointer (&self->ca_pem, g_bytes_unref);
  g_clear_pointer (&self->revoked, g_hash_table_unref);
  G_OBJECT_CLASS (sl_revocation_parent_class)->finalize (object);
}

static void
sl_revocation_class_init (SlRevocationClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_revocation_dispose;
  object_class->finalize = sl_revocation_finalize;

  /**
   * SlRevocation::changed:
   *
   * Emitted after the list was reloaded.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
}

static void
sl_revocation_init (SlRevocation * self)
{
}
