/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-message.h"

G_BEGIN_DECLS

/**
 * SlDeviceInfo:
 * @device_id: the device id (from its certificate)
 * @name: its display name
 * @role: its role
 * @version: the signalling protocol version its connection speaks
 * @session: which connection of the device this is; a device that
 *   reconnects gets a new session, and messages meant for the old one are
 *   never delivered to the new one
 * @busy: whether its presence status is busy (in a call, or set so)
 *
 * An online device as the call router sees it.  The strings are borrowed
 * from the directory and valid until control returns to the main loop.
 */
typedef struct
{
  const char *device_id;
  const char *name;
  const char *role;
  guint version;
  guint64 session;
  gboolean busy;
} SlDeviceInfo;

#define SL_TYPE_DEVICE_DIRECTORY (sl_device_directory_get_type ())
G_DECLARE_INTERFACE (SlDeviceDirectory, sl_device_directory, SL,
                     DEVICE_DIRECTORY, GObject)

/**
 * SlDeviceDirectoryInterface:
 * @lookup: finds an online device that is not closing
 * @deliver: sends a message to one session of a device, if that session
 *   is still its connection; otherwise drops it
 * @set_in_call: records that a session of a device is or is no longer in
 *   a call, which changes its presence status
 *
 * Where the call router finds devices and how it reaches them.  The
 * router knows devices only by id and session, so its calls can be
 * routed by something other than this process's connections (issue 17:
 * several servers sharing one directory).
 */
struct _SlDeviceDirectoryInterface
{
  GTypeInterface parent_iface;

  gboolean (*lookup)      (SlDeviceDirectory *self,
                           const char        *device_id,
                           SlDeviceInfo      *info);
  void     (*deliver)     (SlDeviceDirectory *self,
                           const char        *device_id,
                           guint64            session,
                           SlMessage         *msg);
  void     (*set_in_call) (SlDeviceDirectory *self,
                           const char        *device_id,
                           guint64            session,
                           gboolean           in_call);
};

gboolean sl_device_directory_lookup      (SlDeviceDirectory *self,
                                          const char        *device_id,
                                          SlDeviceInfo      *info);
void     sl_device_directory_deliver     (SlDeviceDirectory *self,
                                          const char        *device_id,
                                          guint64            session,
                                          SlMessage         *msg);
void     sl_device_directory_set_in_call (SlDeviceDirectory *self,
                                          const char        *device_id,
                                          guint64            session,
                                          gboolean           in_call);

G_END_DECLS
