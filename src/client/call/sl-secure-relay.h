/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-continuity-store.h"
#include "sl-crypto.h"
#include "sl-session.h"

G_BEGIN_DECLS

#define SL_TYPE_SECURE_RELAY (sl_secure_relay_get_type ())
G_DECLARE_FINAL_TYPE (SlSecureRelay, sl_secure_relay, SL, SECURE_RELAY,
                      GObject)

SlSecureRelay * sl_secure_relay_new          (gboolean      caller,
                                              const char   *call_id,
                                              const char   *peer_id,
                                              const char   *code,
                                              GBytes       *commit);

void            sl_secure_relay_set_continuity (SlSecureRelay     *self,
                                                SlContinuityStore *store,
                                                const guint8      *own_cert_hash);

void            sl_secure_relay_prepare_async  (SlSecureRelay       *self,
                                                const char          *local_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        sl_secure_relay_prepare_finish (SlSecureRelay  *self,
                                                GAsyncResult   *result,
                                                GBytes        **out_message,
                                                GError        **error);

GBytes *        sl_secure_relay_take_reply   (SlSecureRelay *self);

void            sl_secure_relay_process_handshake (SlSecureRelay *self,
                                                   GBytes        *message);

void            sl_secure_relay_receive      (SlSecureRelay *self,
                                              const char    *b64);

void            sl_secure_relay_seal         (SlSecureRelay *self,
                                              SlWireType     type,
                                              const char    *text);

gboolean        sl_secure_relay_has_keys     (SlSecureRelay *self);

const char *    sl_secure_relay_get_sas      (SlSecureRelay *self);

gboolean        sl_secure_relay_uses_code    (SlSecureRelay *self);

SlContinuity    sl_secure_relay_get_continuity (SlSecureRelay *self);

SlContinuityUpdate * sl_secure_relay_take_continuity_update (SlSecureRelay *self);

void            sl_secure_relay_binding_mac  (SlSecureRelay *self,
                                              gboolean       as_caller,
                                              const char    *caller_fp,
                                              const char    *callee_fp,
                                              guint8        *mac);

gboolean        sl_secure_relay_binding_verify (SlSecureRelay *self,
                                                gboolean       as_caller,
                                                const char    *caller_fp,
                                                const char    *callee_fp,
                                                GBytes        *mac,
                                                GError       **error);

void            sl_secure_relay_clear        (SlSecureRelay *self);

G_END_DECLS
