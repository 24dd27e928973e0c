/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sightline/sl-call-error.h"
#include "sightline/sl-media-options.h"
#include "sightline/sl-media-stats.h"
#include "sightline/sl-peer-auth.h"
#include "sightline/sl-signal-client.h"

G_BEGIN_DECLS

/**
 * SlCallState:
 * @SL_CALL_STATE_PREPARING: building the handshake (password hash).
 * @SL_CALL_STATE_INVITING: caller: the invite is on its way.
 * @SL_CALL_STATE_RINGING: the callee's device rings.
 * @SL_CALL_STATE_SECURING: the end-to-end handshake is running.
 * @SL_CALL_STATE_CONNECTING: keys agreed; media negotiating (ICE, DTLS).
 * @SL_CALL_STATE_SECURED: media bound to the handshake's keys; frames
 *   shown; the peer is not authenticated: compare the SAS.
 * @SL_CALL_STATE_VERIFIED: secured, and the peer authenticated by the
 *   security code, a SAS both users confirmed, or key continuity.
 * @SL_CALL_STATE_ENDED: over; see sl_call_get_error().
 */
typedef enum
{
  SL_CALL_STATE_PREPARING,
  SL_CALL_STATE_INVITING,
  SL_CALL_STATE_RINGING,
  SL_CALL_STATE_SECURING,
  SL_CALL_STATE_CONNECTING,
  SL_CALL_STATE_SECURED,
  SL_CALL_STATE_VERIFIED,
  SL_CALL_STATE_ENDED,
} SlCallState;

const char * sl_call_state_to_string (SlCallState state);

gboolean     sl_call_first_element_accumulator (GSignalInvocationHint *hint,
                                                GValue                *accu,
                                                const GValue          *handler_return,
                                                gpointer               data);

/**
 * SlCallIceInfo:
 * @local_type: (nullable): our side of the selected ICE pair ("host",
 *   "srflx", "prflx", "relay"), once the call is secured
 * @remote_type: (nullable): the peer's side of it
 * @sent: candidates sent to the peer, by type (host, srflx, prflx, relay)
 * @received: candidates received from the peer, by type
 *
 * Valid while the call lives.
 */
typedef struct
{
  const char *local_type;
  const char *remote_type;
  guint       sent[4];
  guint       received[4];
} SlCallIceInfo;

/**
 * SlCall:
 *
 * One call.  Its "ended" signal comes once the call's pipeline has
 * stopped, which never blocks the main context: a program keeps its main
 * context running until "ended" (the sightline command and sightlinebin
 * do), or the pipeline is left running at exit.
 */
#define SL_TYPE_CALL (sl_call_get_type ())
G_DECLARE_FINAL_TYPE (SlCall, sl_call, SL, CALL, GObject)

SlCall *       sl_call_new_outgoing  (SlSignalClient       *signal,
                                      const SlMediaOptions *opts,
                                      const char           *peer_id,
                                      const char           *code);

SlCall *       sl_call_new_incoming  (SlSignalClient       *signal,
                                      const SlMediaOptions *opts,
                                      SlMessage            *incoming,
                                      const char           *code,
                                      GError              **error);

void           sl_call_set_continuity (SlCall            *self,
                                       SlContinuityStore *store,
                                       const guint8      *own_cert_hash);

void           sl_call_start         (SlCall      *self);

void           sl_call_accept        (SlCall      *self);

void           sl_call_reject        (SlCall      *self);

void           sl_call_hangup        (SlCall      *self);

gboolean       sl_call_handle_message (SlCall     *self,
                                       SlMessage  *msg);

gboolean       sl_call_send_chat     (SlCall      *self,
                                      const char  *text,
                                      gint64      *out_id,
                                      GError     **error);

void           sl_call_set_mic_muted (SlCall      *self,
                                      gboolean     muted);

void           sl_call_set_camera_paused (SlCall  *self,
                                          gboolean paused);

gboolean       sl_call_confirm_sas   (SlCall      *self,
                                      gboolean     match,
                                      GError     **error);

const char *   sl_call_get_id        (SlCall      *self);
const char *   sl_call_get_peer_id   (SlCall      *self);
gboolean       sl_call_is_caller     (SlCall      *self);
SlCallState    sl_call_get_state     (SlCall      *self);
const char *   sl_call_get_sas       (SlCall      *self);
const GError * sl_call_get_error     (SlCall      *self);
SlPeerAuth *   sl_call_get_auth      (SlCall      *self);
gboolean       sl_call_was_secured   (SlCall      *self);
gboolean       sl_call_was_verified  (SlCall      *self);
gint64         sl_call_get_created_us (SlCall     *self);
gint64         sl_call_get_secured_us (SlCall     *self);
gboolean       sl_call_get_media_stats (SlCall       *self,
                                        SlMediaStats *out);
void           sl_call_get_ice_info  (SlCall        *self,
                                      SlCallIceInfo *out);

G_END_DECLS
