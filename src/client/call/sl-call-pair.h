/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sightline/sl-call.h"

G_BEGIN_DECLS

#define SL_TYPE_CALL_PAIR (sl_call_pair_get_type ())
G_DECLARE_FINAL_TYPE (SlCallPair, sl_call_pair, SL, CALL_PAIR, GObject)

SlCallPair * sl_call_pair_new            (SlSignalClient       *signal,
                                          const SlMediaOptions *opts,
                                          gboolean              caller,
                                          const char           *call_id,
                                          const char           *peer_id,
                                          const char           *code,
                                          GBytes               *commit,
                                          gint64                created_us);

void         sl_call_pair_forward        (gpointer    from,
                                          const char *name,
                                          gpointer    to);

void         sl_call_pair_forward_media  (SlCallPair *self,
                                          gpointer    to);

void         sl_call_pair_set_continuity (SlCallPair        *self,
                                          SlContinuityStore *store,
                                          const guint8      *own_cert_hash);

void         sl_call_pair_start          (SlCallPair *self);

void         sl_call_pair_accept         (SlCallPair *self);

gboolean     sl_call_pair_handle_message (SlCallPair *self,
                                          SlMessage  *msg);

gboolean     sl_call_pair_send_chat      (SlCallPair  *self,
                                          const char  *text,
                                          gint64      *out_id,
                                          GError     **error);

void         sl_call_pair_confirm_sas    (SlCallPair *self,
                                          gboolean    match);

void         sl_call_pair_set_paused     (SlCallPair *self,
                                          gboolean    mic_muted,
                                          gboolean    camera_paused);

gboolean     sl_call_pair_send_hangup    (SlCallPair *self,
                                          const char *reason);

void         sl_call_pair_end            (SlCallPair *self);

gboolean     sl_call_pair_stop_media     (SlCallPair          *self,
                                          gboolean             now,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void         sl_call_pair_stop_finish    (SlCallPair   *self,
                                          GAsyncResult *result);

SlCallState  sl_call_pair_get_state      (SlCallPair *self);
gboolean     sl_call_pair_was_secured    (SlCallPair *self);
gboolean     sl_call_pair_was_verified   (SlCallPair *self);
gint64       sl_call_pair_get_secured_us (SlCallPair *self);
const char * sl_call_pair_get_sas        (SlCallPair *self);
SlPeerAuth * sl_call_pair_get_auth       (SlCallPair *self);
gboolean     sl_call_pair_get_stats      (SlCallPair   *self,
                                          SlMediaStats *out);
void         sl_call_pair_get_ice_info   (SlCallPair    *self,
                                          SlCallIceInfo *out);

G_END_DECLS
