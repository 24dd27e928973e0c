/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "media/sl-media-channel.h"

G_BEGIN_DECLS

#define SL_TYPE_PEER_CHANNEL (sl_peer_channel_get_type ())
G_DECLARE_FINAL_TYPE (SlPeerChannel, sl_peer_channel, SL, PEER_CHANNEL,
                      GObject)

SlPeerChannel * sl_peer_channel_new        (SlMediaChannel *channel,
                                            guint           heartbeat_ms,
                                            guint           stall_ms,
                                            guint           deadline_ms);

gboolean        sl_peer_channel_is_open    (SlPeerChannel  *self);

gboolean        sl_peer_channel_send_chat  (SlPeerChannel  *self,
                                            const char     *text,
                                            gint64         *out_id,
                                            GError        **error);

gboolean        sl_peer_channel_send_bind  (SlPeerChannel  *self,
                                            const guint8   *mac,
                                            gsize           len,
                                            GError        **error);

gboolean        sl_peer_channel_send_sas   (SlPeerChannel  *self,
                                            gboolean        match,
                                            GError        **error);

gboolean        sl_peer_channel_send_hangup (SlPeerChannel *self,
                                             const char    *reason,
                                             GError       **error);

gboolean        sl_peer_channel_send_media_state (SlPeerChannel *self,
                                                  gboolean       mic_muted,
                                                  gboolean       camera_paused,
                                                  GError       **error);

guint           sl_peer_channel_get_unacked (SlPeerChannel *self);

void            sl_peer_channel_suspect    (SlPeerChannel  *self,
                                            guint           deadline_ms);

gboolean        sl_peer_channel_was_suspected (SlPeerChannel *self);

void            sl_peer_channel_stop       (SlPeerChannel  *self);

G_END_DECLS
