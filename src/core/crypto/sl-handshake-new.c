/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Building a handshake: parsing the call id and, with a security code,
 * the slow password hash, on the calling thread or in a worker thread so
 * that it never blocks the main loop.  The state machine is in
 * sl-handshake.c.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-handshake-private.h"
#include "sl-spake2.h"

static gboolean
parse_call_id (const char *call_id_hex, guint8 call_id[SL_CALL_ID_LEN],
    GError ** error)
{
  if (!sl_crypto_call_id_from_hex (call_id_hex, call_id)) {
    g_set_error_literal (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED,
        "The call identifier is not valid.");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_handshake_new:
 * @role: %SL_ROLE_CALLER or %SL_ROLE_CALLEE
 * @call_id_hex: the call id, 32 lowercase hex characters
 * @local_id: this device's id (from its certificate)
 * @peer_id: the other device's id
 * @code: (nullable): the security code the user typed, or NULL for none
 * @error: return location for a #GError
 *
 * With a code, runs the slow password hash (about 50 ms) on this thread.
 *
 * Returns: (transfer full) (nullable): a new handshake, or NULL with
 *   %SL_CRYPTO_ERROR_MALFORMED (call id) or %SL_CRYPTO_ERROR_INVALID_CODE
 */
SlHandshake *
sl_handshake_new (SlRole role, const char *call_id_hex, const char *local_id,
    const char *peer_id, const char *code, GError ** error)
{
  guint8 call_id[SL_CALL_ID_LEN];
  guint8 w[SL_P256_SCALAR_LEN];
  SL_SECRET_LOCAL (SL_WIPE_SPAKE2_W, w);
  SlHandshake *self;

  g_return_val_if_fail (role == SL_ROLE_CALLER || role == SL_ROLE_CALLEE, NULL);
  g_return_val_if_fail (local_id != NULL && peer_id != NULL, NULL);

  if (!parse_call_id (call_id_hex, call_id, error))
    return NULL;
  if (code == NULL)
    return sl_handshake_new_internal (role, call_id, local_id, peer_id, NULL,
        error);

  if (!sl_crypto_password_scalar (code, call_id, w, error))
    return NULL;
  self = sl_handshake_new_internal (role, call_id, local_id, peer_id, w, error);
  sl_crypto_wipe (SL_WIPE_SPAKE2_W, w, sizeof w);
  return self;
}

#ifdef SL_TEST_HOOKS
SlHandshake *
sl_handshake_new_with_scalar (SlRole role, const char *call_id_hex,
    const char *local_id, const char *peer_id, const guint8 * w,
    GError ** error)
{
  guint8 call_id[SL_CALL_ID_LEN];

  g_return_val_if_fail (local_id != NULL && peer_id != NULL, NULL);

  if (!parse_call_id (call_id_hex, call_id, error))
    return NULL;
  return sl_handshake_new_internal (role, call_id, local_id, peer_id, w, error);
}
#endif

typedef struct
{
  SlRole role;
  char *call_id_hex;
  char *local_id;
  char *peer_id;
  char *code;
} NewData;

static void
new_data_free (NewData * data)
{
  g_free (data->call_id_hex);
  g_free (data->local_id);
  g_free (data->peer_id);
  sl_crypto_free_string (data->code);
  g_free (data);
}

static void
new_in_thread (GTask * task, gpointer source, gpointer task_data,
    GCancellable * cancellable)
{
  NewData *data = task_data;
  GError *error = NULL;
  SlHandshake *self;

  if (g_task_return_error_if_cancelled (task))
    return;
  self = sl_handshake_new (data->role, data->call_id_hex, data->local_id,
      data->peer_id, data->code, &error);
  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

/**
 * sl_handshake_new_async:
 * @role: as for sl_handshake_new()
 * @call_id_hex: as for sl_handshake_new()
 * @local_id: as for sl_handshake_new()
 * @peer_id: as for sl_handshake_new()
 * @code: (nullable): as for sl_handshake_new(); copied, and the copy wiped
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * Runs sl_handshake_new() in a worker thread so the slow password hash
 * never blocks the main loop.
 */
void
sl_handshake_new_async (SlRole role, const char *call_id_hex,
    const char *local_id, const char *peer_id, const char *code,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  NewData *data;

  g_return_if_fail (local_id != NULL && peer_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_handshake_new_async);
  data = g_new0 (NewData, 1);
  data->role = role;
  data->call_id_hex = g_strdup (call_id_hex);
  data->local_id = g_strdup (local_id);
  data->peer_id = g_strdup (peer_id);
  data->code = g_strdup (code);
  g_task_set_task_data (task, data, (GDestroyNotify) new_data_free);
  g_task_run_in_thread (task, new_in_thread);
}

/**
 * sl_handshake_new_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the handshake, or NULL with @error
 *   set (also %G_IO_ERROR_CANCELLED)
 */
SlHandshake *
sl_handshake_new_finish (GAsyncResult * result, GError ** error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
