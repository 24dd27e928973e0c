/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-device-directory.h"

G_BEGIN_DECLS

/**
 * SlCallMemberState:
 * @SL_CALL_MEMBER_INVITED: invited and ringing; not yet in the call
 * @SL_CALL_MEMBER_JOINED: a participant: accepted, or started the call
 */
typedef enum
{
  SL_CALL_MEMBER_INVITED,
  SL_CALL_MEMBER_JOINED,
} SlCallMemberState;

/**
 * SlCallMember:
 * @device: the device: id, name, role, protocol version and the session
 *   that is in the call (strings owned by the member; @device.busy is
 *   unused)
 * @state: invited or joined
 * @inviter: (nullable): while invited, the participant who invited it
 * @ring_timeout_id: while invited, the ring timer
 *
 * One device in a call.  Everything the router needs to address and
 * describe it is here, so a call can be routed from its record alone.
 */
typedef struct
{
  SlDeviceInfo device;
  SlCallMemberState state;
  char *inviter;
  guint ring_timeout_id;
} SlCallMember;

/**
 * SlCallRecord:
 * @call_id: the call id chosen by the device that started it
 * @members: (element-type SlCallMember): invited and joined devices, in
 *   the order they were invited
 *
 * One call at the server.
 */
typedef struct
{
  char call_id[33];
  GPtrArray *members;
} SlCallRecord;

SlCallMember * sl_call_record_find         (const SlCallRecord *record,
                                            const char         *device_id);
guint          sl_call_record_count        (const SlCallRecord *record,
                                            SlCallMemberState   state);

#define SL_TYPE_CALL_TABLE (sl_call_table_get_type ())
G_DECLARE_FINAL_TYPE (SlCallTable, sl_call_table, SL, CALL_TABLE, GObject)

SlCallTable *  sl_call_table_new           (void);

SlCallRecord * sl_call_table_lookup        (SlCallTable        *self,
                                            const char         *call_id);
SlCallRecord * sl_call_table_find_device   (SlCallTable        *self,
                                            const char         *device_id);
SlCallRecord * sl_call_table_create        (SlCallTable        *self,
                                            const char         *call_id);
SlCallMember * sl_call_table_add_member    (SlCallTable        *self,
                                            SlCallRecord       *record,
                                            const SlDeviceInfo *device,
                                            SlCallMemberState   state,
                                            const char         *inviter);
void           sl_call_table_remove_member (SlCallTable        *self,
                                            SlCallRecord       *record,
                                            SlCallMember       *member);
void           sl_call_table_remove        (SlCallTable        *self,
                                            SlCallRecord       *record);
GPtrArray *    sl_call_table_list          (SlCallTable        *self);
guint          sl_call_table_get_count     (SlCallTable        *self);

G_END_DECLS
