/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sl-crypto.h"

G_BEGIN_DECLS

#define SL_RECORD_MAX_PLAINTEXT 65536
#define SL_DTLS_BINDING_MAC_LEN 32

#define SL_TYPE_SESSION (sl_session_get_type ())
G_DECLARE_FINAL_TYPE (SlSession, sl_session, SL, SESSION, GObject)

/* Seals @len bytes as one record of @type (>= 0x10).  The caller's
 * plaintext buffer is wiped before this returns, on success and failure. */
GBytes *     sl_session_seal          (SlSession    *self,
                                       SlWireType    type,
                                       guint8       *plaintext,
                                       gsize         len,
                                       GError      **error);

/* Opens a record from the peer.  The returned plaintext is wiped when its
 * last reference is dropped. */
GBytes *     sl_session_open          (SlSession    *self,
                                       GBytes       *record,
                                       SlWireType   *out_type,
                                       GError      **error);

/* MAC binding the two DTLS certificate fingerprints (as in the SDP, e.g.
 * "sha-256 AB:CD:...") to this call.  @from_caller tells whose MAC it is;
 * the fingerprints are always given caller's first. */
void         sl_session_dtls_binding_mac (SlSession  *self,
                                          gboolean    from_caller,
                                          const char *caller_fingerprint,
                                          const char *callee_fingerprint,
                                          guint8      out[SL_DTLS_BINDING_MAC_LEN]);

gboolean     sl_session_dtls_binding_verify (SlSession    *self,
                                             gboolean      from_caller,
                                             const char   *caller_fingerprint,
                                             const char   *callee_fingerprint,
                                             const guint8 *mac,
                                             gsize         mac_len,
                                             GError      **error);

/* Wipes every key now; seal and open fail afterwards (also on dispose). */
void         sl_session_clear         (SlSession    *self);

gboolean     sl_session_is_cleared    (SlSession    *self);

G_END_DECLS
