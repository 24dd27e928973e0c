/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the files of SlCall (sl-call*.c). */

#pragma once

#include "sightline/sl-call.h"
#include "media/sl-media-session.h"
#include "sl-handshake.h"
#include "sl-peer-channel.h"
#include "sightline/sl-call-error.h"
#include "sightline/sl-media-error.h"
#include "sl-call-timing.h"

G_BEGIN_DECLS

struct _SlCall
{
  GObject parent_instance;

  SlSignalClient *signal;
  SlMediaOptions *opts;
  gboolean caller;
  char *call_id;
  char *peer_id;
  char *code;
  SlCallState state;
  GError *error;
  GCancellable *cancellable;

  SlHandshake *handshake;
  GBytes *commit;               /* callee: the Commit from the invite */
  gboolean accept_pending;
  SlSession *session;
  char *sas;

  SlMediaSession *media;
  SlPeerChannel *channel;
  gboolean media_started;
  gboolean dtls_ok;
  gboolean bind_sent;
  GBytes *peer_mac;
  gboolean secured;             /* the media is bound to the keys */
  gboolean verified;            /* ... and the peer was authenticated */
  SlMediaStats final_stats;
  gboolean have_final_stats;

  /* Who the peer is (code, SAS, key continuity). */
  SlPeerAuth *auth;
  SlContinuityStore *store;
  guint8 own_cert[SL_CERT_HASH_LEN];
  gboolean have_own_cert;
  gboolean sas_answer_pending;  /* our /sas-ok, for when the channel opens */
  GBytes *reply;                /* callee: the Reply, until the user answers */

  gint64 created_us;
  gint64 secured_us;
  guint records_sent;
  GPtrArray *outbox;            /* PendingRecord, before the keys exist */
  guint linger_source;
  guint corrupt_record;         /* test hook: 1-based, 0 = off */
  guint relay_fault;            /* test hook: SlRelayFault */
  gboolean corrupt_bind;        /* test hook: damage the peer's bind MAC */
  GBytes *held_confirm;         /* test hook: a Confirm held back */

  guint setup_timer;            /* the current set-up step's deadline */
  gulong signal_lost_handler;
  GHashTable *steps;            /* set-up steps seen (emitted once each) */
  guint ice_sent[4];            /* host, srflx, prflx, relay */
  guint ice_received[4];
  char *ice_local_type;         /* the selected pair, once known */
  char *ice_remote_type;
};

/* Test hook: a hostile relay on the handshake (SL_TEST_RELAY_FAULT). */
typedef enum
{
  SL_RELAY_FAULT_NONE,
  SL_RELAY_FAULT_TAMPER_COMMIT, /* caller: one bit of the Commit flipped */
  SL_RELAY_FAULT_DROP_CONFIRM,  /* callee: the Confirm never sent */
  SL_RELAY_FAULT_REORDER_CONFIRM,       /* callee: sent after a record */
} SlRelayFault;

typedef enum
{
  SL_CALL_SIGNAL_STATE_CHANGED,
  SL_CALL_SIGNAL_SAS,
  SL_CALL_SIGNAL_SECURED,
  SL_CALL_SIGNAL_FIRST_FRAME,
  SL_CALL_SIGNAL_CHAT,
  SL_CALL_SIGNAL_CHAT_ACKED,
  SL_CALL_SIGNAL_ENDED,
  SL_CALL_SIGNAL_STEP,
  SL_CALL_SIGNAL_CREATE_ELEMENT,
  SL_CALL_SIGNAL_MEDIA_STOPPING,
  SL_CALL_N_SIGNALS
} SlCallSignal;

/* sl-call.c */
void     sl_call_emit              (SlCall       *self,
                                    SlCallSignal  signal,
                                    ...);
void     sl_call_set_state         (SlCall       *self,
                                    SlCallState   state);
gboolean sl_call_send_to_server    (SlCall       *self,
                                    const char   *type,
                                    const char   *member,
                                    const char   *value);
void     sl_call_end               (SlCall       *self,
                                    GError       *error,
                                    const char   *reason,
                                    gboolean      notify_peer);
void     sl_call_fail              (SlCall        *self,
                                    SlCallError  code,
                                    const char    *reason,
                                    const char    *message);
void     sl_call_fail_crypto       (SlCall       *self,
                                    const GError *error);
void     sl_call_step              (SlCall       *self,
                                    const char   *step);

/* sl-call-media.c */
SlCallError sl_call_code_from_media (const GError *error);
int      sl_call_ice_type_index    (const char   *type);
guint    sl_call_test_scale        (void);
gboolean sl_call_make_media        (SlCall       *self,
                                    SlVideoCodec  codec);
void     sl_call_start_media       (SlCall       *self,
                                    SlVideoCodec  codec);
void     sl_call_on_peer_hangup    (SlPeerChannel *channel,
                                    const char    *reason,
                                    SlCall        *self);
void     sl_call_on_peer_sas       (SlCall       *self,
                                    gboolean      match);
void     sl_call_on_auth_changed   (SlCall       *self);

/* sl-call-secure.c */
void     sl_call_clear_outbox      (SlCall       *self);
void     sl_call_relay_blob        (SlCall       *self,
                                    GBytes       *blob);
void     sl_call_seal_and_send     (SlCall       *self,
                                    SlWireType    type,
                                    const char   *text);
void     sl_call_send_hello        (SlCall       *self);
void     sl_call_process_handshake (SlCall       *self,
                                    GBytes       *message);
void     sl_call_on_relay          (SlCall       *self,
                                    const char   *b64);
void     sl_call_on_handshake_ready (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      user_data);

G_END_DECLS
