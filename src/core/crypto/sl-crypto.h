/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_CRYPTO_ERROR (sl_crypto_error_quark ())
GQuark sl_crypto_error_quark (void);

/**
 * SlCryptoError:
 * @SL_CRYPTO_ERROR_AUTH: the peer could not prove it holds the same keys:
 *   the security codes differ, or someone between the devices swapped keys
 *   or altered a message.  Also used for a sealed record that fails
 *   authentication.
 * @SL_CRYPTO_ERROR_MALFORMED: a message or record is not well formed
 *   (wrong version, length, encoding, or an invalid curve point).
 * @SL_CRYPTO_ERROR_REPLAY: a sealed record was already received.
 * @SL_CRYPTO_ERROR_OUT_OF_ORDER: a handshake message arrived in a state
 *   that does not expect it, or a record is older than the replay window.
 * @SL_CRYPTO_ERROR_INVALID_CODE: the security code is empty after
 *   normalisation or too long.
 * @SL_CRYPTO_ERROR_INTERNAL: the crypto library failed (out of memory, no
 *   randomness); not caused by the peer.
 *
 * Error codes for %SL_CRYPTO_ERROR.  Messages are written for users.
 */
typedef enum
{
  SL_CRYPTO_ERROR_AUTH,
  SL_CRYPTO_ERROR_MALFORMED,
  SL_CRYPTO_ERROR_REPLAY,
  SL_CRYPTO_ERROR_OUT_OF_ORDER,
  SL_CRYPTO_ERROR_INVALID_CODE,
  SL_CRYPTO_ERROR_INTERNAL,
} SlCryptoError;

/**
 * SL_HANDSHAKE_VERSION:
 *
 * The first byte of every handshake message: version 2 adds the
 * certificate hashes and the key-continuity proofs (docs/SECURITY.md).
 */
#define SL_HANDSHAKE_VERSION 0x02

/**
 * SL_RECORD_VERSION:
 *
 * The first byte of every sealed record.
 */
#define SL_RECORD_VERSION 0x01

/**
 * SlWireType:
 *
 * The second byte of every handshake message and sealed record.  Handshake
 * messages are below 0x10, sealed records are 0x10 and above.
 */
typedef enum
{
  SL_WIRE_HS_COMMIT = 0x01,
  SL_WIRE_HS_REPLY = 0x02,
  SL_WIRE_HS_REVEAL = 0x03,
  SL_WIRE_HS_CONFIRM = 0x04,
  SL_WIRE_HS_ALERT = 0x0f,
  SL_WIRE_RECORD_SDP_OFFER = 0x10,
  SL_WIRE_RECORD_SDP_ANSWER = 0x11,
  SL_WIRE_RECORD_ICE_CANDIDATE = 0x12,
  SL_WIRE_RECORD_CONTROL = 0x13,
} SlWireType;

#define SL_CALL_ID_LEN 16

void     sl_crypto_init_process      (void);

/* Observation of secret erasure, for tests: called right after a named
 * secret was wiped with OPENSSL_cleanse, with the wiped memory. */
typedef void (*SlWipeObserver) (const char *label, const guint8 * mem,
    gsize len, gpointer user_data);

void     sl_crypto_set_wipe_observer (SlWipeObserver observer,
                                      gpointer       user_data);

/* Checks of watched secrets where their storage ends (tests): the same
 * callback type, called with the memory the secret occupied, still
 * valid. */
void     sl_crypto_set_secret_check  (SlWipeObserver check,
                                      gpointer       user_data);

void     sl_crypto_wipe              (const char *label,
                                      gpointer    mem,
                                      gsize       len);

gboolean sl_crypto_random            (guint8  *buf,
                                      gsize    len,
                                      GError **error);

gboolean sl_crypto_call_id_from_hex  (const char *hex,
                                      guint8      out[SL_CALL_ID_LEN]);

char *   sl_crypto_call_id_new       (void);

gboolean sl_crypto_equal             (const guint8 *a,
                                      const guint8 *b,
                                      gsize         len);

G_END_DECLS
