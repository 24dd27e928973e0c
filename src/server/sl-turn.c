/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Short-lived TURN credentials in coturn's shared-secret REST scheme
 * (coturn's `use-auth-secret` + `static-auth-secret`): the username is
 * "<expiry unix time>:<device id>" and the password is
 * base64(HMAC-SHA1(secret, username)).  coturn recomputes the HMAC and
 * refuses an expired username, so nothing has to be stored.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-turn.h"
#include "sl-crypto.h"
#include "sl-server-config.h"

#include <string.h>

struct _SlTurn
{
  GObject parent_instance;

  char **urls;
  char *secret;
  gsize secret_len;
  guint ttl;
};

G_DEFINE_FINAL_TYPE (SlTurn, sl_turn, G_TYPE_OBJECT);

/**
 * sl_turn_credential:
 * @secret: (array length=secret_len): the shared secret
 * @secret_len: its length
 * @username: "<expiry>:<device id>"
 *
 * Returns: (transfer full): base64(HMAC-SHA1(@secret, @username))
 */
char *
sl_turn_credential (const char *secret, gsize secret_len, const char *username)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1,
      (const guchar *) secret, secret_len);
  guint8 digest[20];
  gsize len = sizeof digest;
  char *b64;

  g_hmac_update (hmac, (const guchar *) username, (gssize) strlen (username));
  g_hmac_get_digest (hmac, digest, &len);
  b64 = g_base64_encode (digest, len);
  sl_crypto_wipe ("turn-hmac", digest, sizeof digest);
  return b64;
}

/**
 * sl_turn_new:
 * @urls: (array zero-terminated=1): turn:/turns:/stun: URLs for devices
 * @secret_file: the file holding coturn's static-auth-secret
 * @ttl: credential lifetime in seconds
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the credential source, or %NULL if
 *   the secret cannot be read or is empty
 */
SlTurn *
sl_turn_new (const char *const *urls, const char *secret_file, guint ttl,
    GError ** error)
{
  g_autoptr (SlTurn) self = g_object_new (SL_TYPE_TURN, NULL);
  g_autoptr (GError) local_error = NULL;

  if (!g_file_get_contents (secret_file, &self->secret, &self->secret_len,
          &local_error)) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG,
        "turn_secret_file: %s", local_error->message);
    return NULL;
  }
  /* A trailing newline is an editor's, not part of the secret. */
  while (self->secret_len > 0 &&
      (self->secret[self->secret_len - 1] == '\n' ||
          self->secret[self->secret_len - 1] == '\r'))
    self->secret[--self->secret_len] = '\0';
  if (self->secret_len == 0) {
    g_set_error (error, SL_SERVER_ERROR, SL_SERVER_ERROR_CONFIG,
        "turn_secret_file: %s is empty", secret_file);
    return NULL;
  }
  self->urls = g_strdupv ((char **) urls);
  self->ttl = ttl;
  return g_steal_pointer (&self);
}

/**
 * sl_turn_fill:
 * @self: the credential source
 * @device_id: the authenticated device
 * @now: the current Unix time
 * @turn: a `turn` object (welcome.turn) or a `turn-credentials` message
 *
 * Fills in urls, username, credential and ttl.
 */
void
sl_turn_fill (SlTurn * self, const char *device_id, gint64 now,
    SlMessage * turn)
{
  g_autofree char *username = NULL;
  guint i;

  g_return_if_fail (SL_IS_TURN (self));
  username = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", now + self->ttl,
      device_id);
  for (i = 0; self->urls[i]; i++)
    sl_message_append_string (turn, "urls", self->urls[i]);
  sl_message_set_string (turn, "username", username);
  sl_message_take_string (turn, "credential",
      sl_turn_credential (self->secret, self->secret_len, username));
  sl_message_set_int (turn, "ttl", self->ttl);
}

static void
sl_turn_finalize (GObject * object)
{
  SlTurn *self = SL_TURN (object);

  if (self->secret) {
    sl_crypto_wipe ("turn-secret", self->secret, self->secret_len);
    g_free (self->secret);
  }
  g_strfreev (self->urls);
  G_OBJECT_CLASS (sl_turn_parent_class)->finalize (object);
}

static void
sl_turn_class_init (SlTurnClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_turn_finalize;
}

static void
sl_turn_init (SlTurn * self)
{
}
