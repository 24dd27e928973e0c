/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sightline/sl-call.h"

G_BEGIN_DECLS

#define SL_TYPE_CALL_PEER (sl_call_peer_get_type ())
G_DECLARE_FINAL_TYPE (SlCallPeer, sl_call_peer, SL, CALL_PEER, GObject)

SlCallPeer * sl_call_peer_new            (const SlMediaOptions *opts,
                                          gboolean              caller,
                                          const char           *call_id,
                                          const char           *peer_id,
                                          const char           *code,
                                          GBytes               *commit,
                                          gint64                created_us);

void         sl_call_peer_set_continuity (SlCallPeer        *self,
                                          SlContinuityStore *store,
                                          const guint8      *own_cert_hash);

void         sl_call_peer_prepare_async  (SlCallPeer          *self,
                                          const char          *local_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     sl_call_peer_prepare_finish (SlCallPeer    *self,
                                          GAsyncResult  *result,
                                          GBytes       **out_message,
                                          GError       **error);

GBytes *     sl_call_peer_take_reply     (SlCallPeer *self);

void         sl_call_peer_process_handshake (SlCallPeer *self,
                                             GBytes     *message);

void         sl_call_peer_receive        (SlCallPeer *self,
                                          const char *b64);

gboolean     sl_call_peer_make_media     (SlCallPeer  *self,
                                          SlVideoCodec codec);

void         sl_call_peer_start_media    (SlCallPeer  *self,
                                          SlVideoCodec codec);

gboolean     sl_call_peer_is_made        (SlCallPeer *self);

gboolean     sl_call_peer_send_chat      (SlCallPeer  *self,
                                          const char  *text,
                                          gint64      *out_id,
                                          GError     **error);

void         sl_call_peer_set_paused     (SlCallPeer *self,
                                          gboolean    mic_muted,
                                          gboolean    camera_paused);

gboolean     sl_call_peer_confirm_sas    (SlCallPeer *self,
                                          gboolean    match);

gboolean     sl_call_peer_send_hangup    (SlCallPeer *self,
                                          const char *reason);

void         sl_call_peer_suspect        (SlCallPeer *self,
                                          guint       deadline_ms);

void         sl_call_peer_hung_up        (SlCallPeer *self,
                                          const char *reason);

const char * sl_call_peer_get_sas        (SlCallPeer *self);

SlPeerAuth * sl_call_peer_get_auth       (SlCallPeer *self);

gboolean     sl_call_peer_get_stats      (SlCallPeer   *self,
                                          SlMediaStats *out);

void         sl_call_peer_get_ice_info   (SlCallPeer    *self,
                                          SlCallIceInfo *out);

void         sl_call_peer_end            (SlCallPeer *self);

void         sl_call_peer_stop_async     (SlCallPeer          *self,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void         sl_call_peer_stop_finish    (SlCallPeer   *self,
                                          GAsyncResult *result);
void         sl_call_peer_stop           (SlCallPeer *self);

G_END_DECLS
