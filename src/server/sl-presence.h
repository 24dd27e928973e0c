/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-call-policy.h"
#include "sl-device-directory.h"
#include "sl-remote-roster.h"
#include "sl-server-connection.h"

G_BEGIN_DECLS

#define SL_TYPE_PRESENCE (sl_presence_get_type ())
G_DECLARE_FINAL_TYPE (SlPresence, sl_presence, SL, PRESENCE, GObject)

SlPresence *         sl_presence_new            (SlCallPolicy         *policy);
void                 sl_presence_set_policy     (SlPresence           *self,
                                                 SlCallPolicy         *policy);

SlServerConnection * sl_presence_lookup         (SlPresence           *self,
                                                 const char           *device_id);
SlServerConnection * sl_presence_add            (SlPresence           *self,
                                                 SlServerConnection   *conn);
void                 sl_presence_send_roster    (SlPresence           *self,
                                                 SlServerConnection   *conn);
void                 sl_presence_announce       (SlPresence           *self,
                                                 SlServerConnection   *conn,
                                                 const char           *event);
gboolean             sl_presence_remove         (SlPresence           *self,
                                                 SlServerConnection   *conn);
guint                sl_presence_get_count      (SlPresence           *self);

SlServerConnection * sl_presence_set_remote     (SlPresence           *self,
                                                 const SlRemoteDevice *device);
gboolean             sl_presence_get_remote     (SlPresence           *self,
                                                 const char           *device_id,
                                                 SlRemoteDevice       *device);
void                 sl_presence_remove_remote  (SlPresence           *self,
                                                 const char           *device_id,
                                                 const char           *instance,
                                                 guint64               session);
void                 sl_presence_remove_instance (SlPresence          *self,
                                                  const char          *instance,
                                                  GHashTable          *keep);
guint                sl_presence_get_remote_count (SlPresence         *self);
GPtrArray *          sl_presence_list_remote    (SlPresence           *self);

G_END_DECLS
