/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Byte layout of the handshake messages (docs/SECURITY.md), internal to the
 * crypto module: every message is version (1) | type (1) | call_id (16) |
 * body.
 */

#pragma once

#include <glib.h>

#include "sl-crypto-private.h"
#include "sl-continuity-store.h"

G_BEGIN_DECLS

#define SL_HS_HEADER_LEN        (2 + SL_CALL_ID_LEN)
#define SL_HS_FLAG_CODE         0x01
/* flags | cert hash | commitment */
#define SL_HS_COMMIT_BODY_LEN   (1 + SL_CERT_HASH_LEN + SL_SHA256_LEN)
#define SL_HS_CONFIRM_BODY_LEN  SL_SHA256_LEN
#define SL_HS_ALERT_BODY_LEN    1

/* (transfer full): a message with its header filled in and room for
 * @body_len bytes after it; *@out_len is the whole size. */
guint8 *  sl_hs_message_new   (const guint8  call_id[SL_CALL_ID_LEN],
                               SlWireType    type,
                               gsize         body_len,
                               gsize        *out_len);

/* (transfer full): an Alert carrying @reason. */
GBytes *  sl_hs_alert_new     (const guint8  call_id[SL_CALL_ID_LEN],
                               SlCryptoError reason);

/* SHA-256("sightline-v2 commit" || call_id || X25519 key [|| SPAKE2 share]). */
gboolean  sl_hs_commitment    (const guint8  call_id[SL_CALL_ID_LEN],
                               const guint8  pub[SL_X25519_LEN],
                               const guint8 *share,
                               guint8        out[SL_SHA256_LEN],
                               GError      **error);

/* Version and call id; MALFORMED otherwise. */
gboolean  sl_hs_check_header  (const guint8  call_id[SL_CALL_ID_LEN],
                               const guint8 *data,
                               gsize         size,
                               GError      **error);

/* Turns a well-formed Alert into the error it reports (for the user) and
 * returns TRUE; a damaged Alert gives MALFORMED and FALSE. */
gboolean  sl_hs_parse_alert   (const guint8 *data,
                               gsize         size,
                               GError      **error);

/* Sets a MALFORMED error with @message; returns FALSE. */
gboolean  sl_hs_set_malformed (GError      **error,
                               const char   *message);

G_END_DECLS
