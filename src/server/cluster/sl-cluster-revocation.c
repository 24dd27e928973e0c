/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Revocation across a cluster (issue 17): each instance reads its own
 * revocation list, and also checks the devices connected to the others
 * against it (when they join and when its list changes), telling the
 * holding instance to close a revoked one ("revoke").  A device is thus
 * closed if any instance's list revokes it, even while the lists differ.
 * A "revoke" is obeyed only for the connection (session and certificate
 * serial) it names.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-cluster-revocation.h"
#include "sl-cluster-bus.h"
#include "sl-signalling.h"

struct _SlClusterRevocation
{
  GObject parent_instance;

  SlCluster *cluster;           /* not a reference: it owns this object */
  SlPresence *presence;
  SlClusterRevokedFunc revoked;
  gpointer revoked_data;
};

G_DEFINE_FINAL_TYPE (SlClusterRevocation, sl_cluster_revocation, G_TYPE_OBJECT);

/**
 * sl_cluster_revocation_new:
 * @cluster: the cluster member that owns it
 * @presence: the roster
 *
 * Returns: (transfer full): the revocation checks, with no list yet
 */
SlClusterRevocation *
sl_cluster_revocation_new (SlCluster * cluster, SlPresence * presence)
{
  SlClusterRevocation *self = g_object_new (SL_TYPE_CLUSTER_REVOCATION, NULL);

  self->cluster = cluster;
  self->presence = g_object_ref (presence);
  return self;
}

void
sl_cluster_revocation_set_func (SlClusterRevocation * self,
    SlClusterRevokedFunc func, gpointer user_data)
{
  g_return_if_fail (SL_IS_CLUSTER_REVOCATION (self));
  self->revoked = func;
  self->revoked_data = user_data;
}

/**
 * sl_cluster_revocation_check:
 * @self: the revocation checks
 * @device_id: a device on another instance
 *
 * Tells the instance holding @device_id to close it if this instance's
 * revocation list revokes its certificate.
 */
void
sl_cluster_revocation_check (SlClusterRevocation * self, const char *device_id)
{
  SlRemoteDevice remote;
  g_autoptr (SlMessage) out = NULL;

  g_return_if_fail (SL_IS_CLUSTER_REVOCATION (self));
  if (self->revoked == NULL ||
      !sl_presence_get_remote (self->presence, device_id, &remote) ||
      !self->revoked (remote.serial, self->revoked_data))
    return;
  out = sl_cluster_new_message (self->cluster, "revoke");
  sl_message_set_string (out, "id", remote.id);
  sl_message_set_int (out, "session", (gint64) MIN (SL_CLUSTER_BUS_MAX_INT,
          remote.session));
  sl_message_set_string (out, "serial", remote.serial);
  sl_cluster_send_to (self->cluster, remote.instance, out);
}

/**
 * sl_cluster_revocation_check_all:
 * @self: the revocation checks
 *
 * Checks every device on other instances against this instance's
 * revocation list (which just changed).
 */
void
sl_cluster_revocation_check_all (SlClusterRevocation * self)
{
  g_autoptr (GPtrArray) ids = NULL;
  guint i;

  g_return_if_fail (SL_IS_CLUSTER_REVOCATION (self));
  ids = sl_presence_list_remote (self->presence);
  for (i = 0; i < ids->len; i++)
    sl_cluster_revocation_check (self, g_ptr_array_index (ids, i));
}

/**
 * sl_cluster_revocation_receive:
 * @self: the revocation checks
 * @msg: a checked "revoke" bus message addressed to this instance
 *
 * Closes the local connection it names, if it is still that one.
 */
void
sl_cluster_revocation_receive (SlClusterRevocation * self,
    const SlMessage * msg)
{
  const char *id = sl_message_get_string (msg, "id");
  SlServerConnection *conn;

  g_return_if_fail (SL_IS_CLUSTER_REVOCATION (self));
  conn = sl_presence_lookup (self->presence, id);
  if (conn == NULL || sl_server_connection_get_session (conn) !=
      (guint64) sl_message_get_int (msg, "session") ||
      g_strcmp0 (sl_server_connection_get_serial (conn),
          sl_message_get_string (msg, "serial")) != 0)
    return;
  g_message ("cluster: instance %s revokes device %s",
      sl_message_get_string (msg, "instance"), id);
  sl_server_connection_close (conn, SL_CLOSE_REVOKED,
      "certificate revoked (another instance's revocation list)");
}

static void
sl_cluster_revocation_dispose (GObject * object)
{
  SlClusterRevocation *self = SL_CLUSTER_REVOCATION (object);

  g_clear_object (&self->presence);
  G_OBJECT_CLASS (sl_cluster_revocation_parent_class)->dispose (object);
}

static void
sl_cluster_revocation_class_init (SlClusterRevocationClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_cluster_revocation_dispose;
}

static void
sl_cluster_revocation_init (SlClusterRevocation * self)
{
}
