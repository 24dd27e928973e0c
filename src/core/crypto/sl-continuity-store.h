/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SL_RETAINED_SECRET_LEN 32
#define SL_CERT_HASH_LEN 32

#define SL_CONTINUITY_ERROR (sl_continuity_error_quark ())
GQuark sl_continuity_error_quark (void);

/**
 * SlContinuityError:
 * @SL_CONTINUITY_ERROR_DAMAGED: the store file is not a valid store; it was
 *   set aside (renamed) and the store starts empty.
 * @SL_CONTINUITY_ERROR_IO: the store cannot be read or written.
 * @SL_CONTINUITY_ERROR_INVALID: a peer id that no device can have.
 */
typedef enum
{
  SL_CONTINUITY_ERROR_DAMAGED,
  SL_CONTINUITY_ERROR_IO,
  SL_CONTINUITY_ERROR_INVALID,
} SlContinuityError;

/**
 * SlContinuity:
 * @SL_CONTINUITY_NONE: this device remembers no verified call with the peer.
 * @SL_CONTINUITY_MATCH: both devices proved the same retained secret, and it
 *   was mixed into the call's keys: the peer is the device of the last
 *   verified call.
 * @SL_CONTINUITY_MISMATCH: this device remembers a verified call with the
 *   peer, but the peer proved no matching secret (its keys changed, it
 *   lost its store, or someone is in the middle).
 * @SL_CONTINUITY_CERT_CHANGED: this device remembers a verified call with a
 *   device of this id but another certificate.
 *
 * What key continuity says about one call, from one side.
 */
typedef enum
{
  SL_CONTINUITY_NONE,
  SL_CONTINUITY_MATCH,
  SL_CONTINUITY_MISMATCH,
  SL_CONTINUITY_CERT_CHANGED,
} SlContinuity;

const char * sl_continuity_to_string (SlContinuity continuity);

/**
 * SlRetainedSecrets:
 * @n: how many secrets are valid (0, 1 or 2)
 * @rs: the newest secret first (rs1), then the one before it (rs2)
 *
 * The secrets remembered for one peer.  Wipe with
 * sl_retained_secrets_clear().
 */
typedef struct
{
  guint n;
  guint8 rs[2][SL_RETAINED_SECRET_LEN];
} SlRetainedSecrets;

void sl_retained_secrets_clear (SlRetainedSecrets *secrets);

/**
 * SlContinuityUpdate:
 *
 * A new retained secret for one peer, from a completed handshake; the
 * call applies it once the call is authenticated.  Wiped when freed.
 */
typedef struct _SlContinuityUpdate SlContinuityUpdate;

SlContinuityUpdate * sl_continuity_update_new  (const char   *peer_id,
                                                const guint8  cert_hash[SL_CERT_HASH_LEN],
                                                const guint8  secret[SL_RETAINED_SECRET_LEN]);
const char *         sl_continuity_update_get_peer_id (const SlContinuityUpdate *update);
void                 sl_continuity_update_free (SlContinuityUpdate *update);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlContinuityUpdate, sl_continuity_update_free)

#define SL_TYPE_CONTINUITY_STORE (sl_continuity_store_get_type ())
G_DECLARE_FINAL_TYPE (SlContinuityStore, sl_continuity_store, SL,
                      CONTINUITY_STORE, GObject)

SlContinuityStore * sl_continuity_store_new     (const char *path);

char *              sl_continuity_store_default_path (const char *local_device_id);

const char *        sl_continuity_store_get_path (SlContinuityStore *self);

gboolean            sl_continuity_store_check   (SlContinuityStore *self,
                                                 GError           **error);

gboolean            sl_continuity_store_lookup  (SlContinuityStore *self,
                                                 const char        *peer_id,
                                                 const guint8       cert_hash[SL_CERT_HASH_LEN],
                                                 SlRetainedSecrets *out,
                                                 gboolean          *out_cert_changed);

gboolean            sl_continuity_store_apply   (SlContinuityStore        *self,
                                                 const SlContinuityUpdate *update,
                                                 GError                  **error);

gboolean            sl_continuity_store_forget  (SlContinuityStore *self,
                                                 const char        *peer_id,
                                                 gboolean          *out_found,
                                                 GError           **error);

G_END_DECLS
