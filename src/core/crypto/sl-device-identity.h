/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "sl-continuity-store.h"

G_BEGIN_DECLS

#define SL_DEVICE_IDENTITY_ERROR (sl_device_identity_error_quark ())
GQuark sl_device_identity_error_quark (void);

/**
 * SlDeviceIdentityError:
 * @SL_DEVICE_IDENTITY_ERROR_UNREADABLE: a file cannot be read.
 * @SL_DEVICE_IDENTITY_ERROR_INVALID: a file is not a PEM certificate or
 *   key, or the certificate is not a Sightline device certificate.
 * @SL_DEVICE_IDENTITY_ERROR_KEY_MISMATCH: the key does not belong to the
 *   certificate.
 * @SL_DEVICE_IDENTITY_ERROR_EXPIRED: the certificate's validity has ended.
 * @SL_DEVICE_IDENTITY_ERROR_NOT_YET_VALID: its validity has not begun.
 * @SL_DEVICE_IDENTITY_ERROR_UNTRUSTED: the operator CA did not issue it.
 *
 * Why this device's own files cannot work; each message says which file
 * and what to do.
 */
typedef enum
{
  SL_DEVICE_IDENTITY_ERROR_UNREADABLE,
  SL_DEVICE_IDENTITY_ERROR_INVALID,
  SL_DEVICE_IDENTITY_ERROR_KEY_MISMATCH,
  SL_DEVICE_IDENTITY_ERROR_EXPIRED,
  SL_DEVICE_IDENTITY_ERROR_NOT_YET_VALID,
  SL_DEVICE_IDENTITY_ERROR_UNTRUSTED,
} SlDeviceIdentityError;

/**
 * SlDeviceIdentity:
 * @device_id: the device id in the certificate's subject
 * @cert_hash: SHA-256 of the certificate (DER), the key under which peers
 *   remember this device (key continuity)
 * @not_after: the end of validity, Unix time
 */
typedef struct
{
  char *device_id;
  guint8 cert_hash[SL_CERT_HASH_LEN];
  gint64 not_after;
} SlDeviceIdentity;

SlDeviceIdentity * sl_device_identity_load (const char  *cert_file,
                                            const char  *key_file,
                                            const char  *ca_file,
                                            gint64       now,
                                            GError     **error);

void               sl_device_identity_free (SlDeviceIdentity *identity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlDeviceIdentity, sl_device_identity_free)

G_END_DECLS
