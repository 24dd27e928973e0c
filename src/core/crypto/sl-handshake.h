/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-crypto.h"
#include "sl-continuity-store.h"
#include "sl-session.h"

G_BEGIN_DECLS

/**
 * SlRole:
 * @SL_ROLE_CALLER: device A, who places the call and sends the Commit.
 * @SL_ROLE_CALLEE: device B, who answers.
 */
typedef enum
{
  SL_ROLE_CALLER,
  SL_ROLE_CALLEE,
} SlRole;

#define SL_TYPE_HANDSHAKE (sl_handshake_get_type ())
G_DECLARE_FINAL_TYPE (SlHandshake, sl_handshake, SL, HANDSHAKE, GObject)

/* Synchronous constructor: runs the slow password hash on the calling
 * thread when @code is set.  The main loop uses the _async variant. */
SlHandshake * sl_handshake_new        (SlRole        role,
                                       const char   *call_id_hex,
                                       const char   *local_id,
                                       const char   *peer_id,
                                       const char   *code,
                                       GError      **error);

void          sl_handshake_new_async  (SlRole               role,
                                       const char          *call_id_hex,
                                       const char          *local_id,
                                       const char          *peer_id,
                                       const char          *code,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);

SlHandshake * sl_handshake_new_finish (GAsyncResult  *result,
                                       GError       **error);

/* Key continuity: call before start (caller) or the first message
 * (callee).  @own_cert_hash is SL_CERT_HASH_LEN bytes or NULL. */
void          sl_handshake_set_continuity (SlHandshake       *self,
                                           SlContinuityStore *store,
                                           const guint8      *own_cert_hash);

/* Caller only: the Commit message, to send in the invite. */
GBytes *      sl_handshake_start      (SlHandshake  *self,
                                       GError      **error);

/* Feeds one message from the peer.  On success *out_reply is the message
 * to send back, or NULL when there is none.  On failure returns FALSE with
 * @error set and *out_reply set to an Alert to forward to the peer, so
 * that it fails too (NULL when the failure came from the peer's Alert). */
gboolean      sl_handshake_process    (SlHandshake  *self,
                                       GBytes       *message,
                                       GBytes      **out_reply,
                                       GError      **error);

/* Builds an Alert for the peer when the caller aborts on its own. */
GBytes *      sl_handshake_abort      (SlHandshake  *self,
                                       SlCryptoError reason);

gboolean      sl_handshake_is_complete (SlHandshake *self);

gboolean      sl_handshake_uses_code  (SlHandshake  *self);

SlRole        sl_handshake_get_role   (SlHandshake  *self);

/* "1234 5678 9012": valid once complete, else NULL. */
const char *  sl_handshake_get_sas    (SlHandshake  *self);

SlContinuity  sl_handshake_get_continuity (SlHandshake *self);

/* (transfer full) (nullable): this call's retained secret for the peer,
 * once complete, with a continuity store; the caller applies it to the
 * store when the call is authenticated. */
SlContinuityUpdate * sl_handshake_take_continuity_update (SlHandshake *self);

/* (transfer full): the traffic keys, once complete.  The handshake keeps
 * no copy; every handshake secret has been wiped when this returns. */
SlSession *   sl_handshake_take_session (SlHandshake *self);

/* Wipes every secret now (also done on dispose). */
void          sl_handshake_clear      (SlHandshake  *self);

G_END_DECLS
