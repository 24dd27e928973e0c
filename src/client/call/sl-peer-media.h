/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-secure-relay.h"
#include "media/sl-media-session.h"
#include "sightline/sl-call.h"

G_BEGIN_DECLS

#define SL_TYPE_PEER_MEDIA (sl_peer_media_get_type ())
G_DECLARE_FINAL_TYPE (SlPeerMedia, sl_peer_media, SL, PEER_MEDIA, GObject)

SlPeerMedia * sl_peer_media_new         (const SlMediaOptions  *opts,
                                         gboolean               caller,
                                         SlSecureRelay         *relay,
                                         gint64                 created_us);

gboolean      sl_peer_media_make        (SlPeerMedia           *self,
                                         SlVideoCodec           codec,
                                         const SlMediaElements *elements,
                                         GError               **error);

gboolean      sl_peer_media_start       (SlPeerMedia           *self,
                                         GError               **error);

gboolean      sl_peer_media_is_made     (SlPeerMedia *self);
gboolean      sl_peer_media_is_started  (SlPeerMedia *self);

gboolean      sl_peer_media_set_remote_description (SlPeerMedia *self,
                                                    const char  *sdp,
                                                    GError     **error);

SlMessage *   sl_peer_media_read_candidate (SlPeerMedia *self,
                                            const char  *record);

void          sl_peer_media_add_candidate  (SlPeerMedia *self,
                                            SlMessage   *candidate);

void          sl_peer_media_set_paused  (SlPeerMedia  *self,
                                         gboolean      mic_muted,
                                         gboolean      camera_paused);

gboolean      sl_peer_media_send_chat   (SlPeerMedia  *self,
                                         const char   *text,
                                         gint64       *out_id,
                                         GError      **error);

void          sl_peer_media_answer_sas  (SlPeerMedia *self);

void          sl_peer_media_after_secured (SlPeerMedia *self);

gboolean      sl_peer_media_send_hangup (SlPeerMedia *self,
                                         const char  *reason);

void          sl_peer_media_suspect     (SlPeerMedia *self,
                                         guint        deadline_ms);

gboolean      sl_peer_media_get_stats   (SlPeerMedia  *self,
                                         SlMediaStats *out);

void          sl_peer_media_get_ice_info (SlPeerMedia   *self,
                                          SlCallIceInfo *out);

void          sl_peer_media_stop_async  (SlPeerMedia         *self,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void          sl_peer_media_stop_finish (SlPeerMedia         *self,
                                         GAsyncResult        *result);
void          sl_peer_media_stop        (SlPeerMedia *self);

G_END_DECLS
