/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SlRemoteDevice:
 * @id: the device id
 * @name: its display name
 * @role: its role
 * @instance: the server instance that holds its connection
 * @session: which connection of the device this is, on that instance
 * @version: the signalling protocol version its connection speaks
 * @busy: whether its presence status is busy
 * @user_busy: whether the device itself set its status to busy
 * @in_call_at: (nullable): the instance holding the call it is in
 * @serial: its certificate's serial number
 *
 * A device connected to another server instance (issue 17).
 */
typedef struct
{
  const char *id;
  const char *name;
  const char *role;
  const char *instance;
  guint64 session;
  guint version;
  gboolean busy;
  gboolean user_busy;
  const char *in_call_at;
  const char *serial;
} SlRemoteDevice;

/**
 * SlRemoteRosterChange:
 * @SL_REMOTE_ROSTER_UNCHANGED: nothing other devices see changed
 * @SL_REMOTE_ROSTER_JOINED: a new device, or a new connection of it
 * @SL_REMOTE_ROSTER_CHANGED: the same connection with a new name, role or
 *   status
 */
typedef enum
{
  SL_REMOTE_ROSTER_UNCHANGED,
  SL_REMOTE_ROSTER_JOINED,
  SL_REMOTE_ROSTER_CHANGED,
} SlRemoteRosterChange;

/**
 * SlRemoteRosterFunc:
 * @device: a device that left the roster (strings valid during the call)
 * @user_data: the caller's data
 */
typedef void (*SlRemoteRosterFunc) (const SlRemoteDevice *device,
                                    gpointer              user_data);

#define SL_TYPE_REMOTE_ROSTER (sl_remote_roster_get_type ())
G_DECLARE_FINAL_TYPE (SlRemoteRoster, sl_remote_roster, SL, REMOTE_ROSTER,
    GObject)

SlRemoteRoster *     sl_remote_roster_new             (void);
SlRemoteRosterChange sl_remote_roster_set             (SlRemoteRoster       *self,
                                                       const SlRemoteDevice *device);
gboolean             sl_remote_roster_get             (SlRemoteRoster       *self,
                                                       const char           *device_id,
                                                       SlRemoteDevice       *device);
void                 sl_remote_roster_forget          (SlRemoteRoster       *self,
                                                       const char           *device_id);
void                 sl_remote_roster_remove          (SlRemoteRoster       *self,
                                                       const char           *device_id,
                                                       const char           *instance,
                                                       guint64               session,
                                                       SlRemoteRosterFunc    gone,
                                                       gpointer              user_data);
void                 sl_remote_roster_remove_instance (SlRemoteRoster       *self,
                                                       const char           *instance,
                                                       GHashTable           *keep,
                                                       SlRemoteRosterFunc    gone,
                                                       gpointer              user_data);
GPtrArray *          sl_remote_roster_list            (SlRemoteRoster       *self);
guint                sl_remote_roster_get_count       (SlRemoteRoster       *self);

void                 sl_remote_roster_iter_init       (SlRemoteRoster       *self,
                                                       GHashTableIter       *iter);
gboolean             sl_remote_roster_iter_next       (GHashTableIter       *iter,
                                                       SlRemoteDevice       *device);

G_END_DECLS
