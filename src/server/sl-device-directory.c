/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The seam between call routing and connections: the router asks the
 * directory whether a device is online and hands it messages by device
 * id and session.  SlPresence implements it for one server's own
 * connections; unit tests implement it with a recorder.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-device-directory.h"

G_DEFINE_INTERFACE (SlDeviceDirectory, sl_device_directory, G_TYPE_OBJECT);

static void
sl_device_directory_default_init (SlDeviceDirectoryInterface * iface)
{
}

/**
 * sl_device_directory_lookup:
 * @self: a directory
 * @device_id: a device id
 * @info: (out caller-allocates): the device, when online
 *
 * Returns: whether @device_id is online (and not being closed)
 */
gboolean
sl_device_directory_lookup (SlDeviceDirectory * self, const char *device_id,
    SlDeviceInfo * info)
{
  g_return_val_if_fail (SL_IS_DEVICE_DIRECTORY (self), FALSE);
  return SL_DEVICE_DIRECTORY_GET_IFACE (self)->lookup (self, device_id, info);
}

/**
 * sl_device_directory_deliver:
 * @self: a directory
 * @device_id: a device id
 * @session: the session the message is meant for
 * @msg: a message of the family for the session's protocol version
 */
void
sl_device_directory_deliver (SlDeviceDirectory * self, const char *device_id,
    guint64 session, SlMessage * msg)
{
  g_return_if_fail (SL_IS_DEVICE_DIRECTORY (self));
  SL_DEVICE_DIRECTORY_GET_IFACE (self)->deliver (self, device_id, session, msg);
}

/**
 * sl_device_directory_set_in_call:
 * @self: a directory
 * @device_id: a device id
 * @session: its session
 * @in_call: whether it is now a member of a call (ringing or joined)
 */
void
sl_device_directory_set_in_call (SlDeviceDirectory * self,
    const char *device_id, guint64 session, gboolean in_call)
{
  g_return_if_fail (SL_IS_DEVICE_DIRECTORY (self));
  SL_DEVICE_DIRECTORY_GET_IFACE (self)->set_in_call (self, device_id, session,
      in_call);
}
