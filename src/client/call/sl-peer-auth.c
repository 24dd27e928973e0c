/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Who the peer of one call is, as far as this device can tell.  Agreed
 * keys bound to the media make a call *secured*: nobody can read or alter
 * it without being in the middle of the handshake.  Only a security code,
 * a SAS that both users confirmed, or key continuity with an earlier
 * verified call shows that nobody is in the middle: then the peer is
 * authenticated and the call *verified* (docs/SECURITY.md).
 *
 * A SAS counts once both users confirmed it: each compared it aloud with
 * the other, and both devices must keep this call's retained secret, or
 * continuity would break on the next call.  The retained secret is
 * written to the store once the call is authenticated and its media
 * bound, never for a merely secured call.  One SlPeerAuth per peer and
 * call, so that a group call can hold one per pair.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-peer-auth.h"

struct _SlPeerAuth
{
  GObject parent_instance;

  SlContinuityStore *store;
  SlContinuityUpdate *update;
  gboolean keys;
  gboolean code;
  SlContinuity continuity;
  gboolean bound;
  gboolean sas_local;
  gboolean sas_peer;
  gboolean remembered;
};

enum
{
  SIGNAL_SAS_CONFIRMED,
  SIGNAL_CHANGED,
  SIGNAL_REMEMBERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlPeerAuth, sl_peer_auth, G_TYPE_OBJECT);

const char *
sl_auth_method_to_string (SlAuthMethod method)
{
  switch (method) {
    case SL_AUTH_CODE:
      return "code";
    case SL_AUTH_SAS:
      return "sas";
    case SL_AUTH_CONTINUITY:
      return "continuity";
    case SL_AUTH_NONE:
    default:
      return "none";
  }
}

/**
 * sl_peer_auth_new:
 * @store: (nullable): where this device keeps retained secrets; %NULL
 *   turns key continuity off
 *
 * Returns: (transfer full): the authentication state of a new call
 */
SlPeerAuth *
sl_peer_auth_new (SlContinuityStore * store)
{
  SlPeerAuth *self = g_object_new (SL_TYPE_PEER_AUTH, NULL);

  self->store = store ? g_object_ref (store) : NULL;
  return self;
}

SlAuthMethod
sl_peer_auth_get_method (SlPeerAuth * self)
{
  g_return_val_if_fail (SL_IS_PEER_AUTH (self), SL_AUTH_NONE);

  if (!self->keys)
    return SL_AUTH_NONE;
  if (self->code)
    return SL_AUTH_CODE;
  if (self->continuity == SL_CONTINUITY_MATCH)
    return SL_AUTH_CONTINUITY;
  if (self->sas_local && self->sas_peer)
    return SL_AUTH_SAS;
  return SL_AUTH_NONE;
}

gboolean
sl_peer_auth_is_verified (SlPeerAuth * self)
{
  return sl_peer_auth_get_method (self) != SL_AUTH_NONE;
}

/* An authenticated call with bound media leaves its secret for the next
 * call, once. */
static void
maybe_remember (SlPeerAuth * self)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (self->remembered || self->update == NULL || self->store == NULL
      || !self->bound || !sl_peer_auth_is_verified (self))
    return;
  self->remembered = TRUE;
  ok = sl_continuity_store_apply (self->store, self->update, &error);
  g_clear_pointer (&self->update, sl_continuity_update_free);
  g_signal_emit (self, signals[SIGNAL_REMEMBERED], 0, ok ? NULL : error);
}

static void
changed (SlPeerAuth * self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  maybe_remember (self);
}

/**
 * sl_peer_auth_keys_agreed:
 * @self: a call's authentication state
 * @code: whether the handshake used a security code
 * @continuity: what key continuity found
 * @update: (transfer full) (nullable): this call's retained secret
 *
 * The end-to-end handshake completed.
 */
void
sl_peer_auth_keys_agreed (SlPeerAuth * self, gboolean code,
    SlContinuity continuity, SlContinuityUpdate * update)
{
  g_return_if_fail (SL_IS_PEER_AUTH (self));

  self->keys = TRUE;
  self->code = code;
  self->continuity = continuity;
  g_clear_pointer (&self->update, sl_continuity_update_free);
  self->update = update;
  changed (self);
}

/**
 * sl_peer_auth_media_bound:
 * @self: a call's authentication state
 *
 * The DTLS certificates were checked against the sealed SDP and bound to
 * the handshake: the call is secured.
 */
void
sl_peer_auth_media_bound (SlPeerAuth * self)
{
  g_return_if_fail (SL_IS_PEER_AUTH (self));

  if (self->bound)
    return;
  self->bound = TRUE;
  changed (self);
}

/**
 * sl_peer_auth_confirm_sas:
 * @self: a call's authentication state
 * @by_peer: %TRUE for the peer's user, %FALSE for ours
 *
 * A user said that both screens show the same SAS.
 */
void
sl_peer_auth_confirm_sas (SlPeerAuth * self, gboolean by_peer)
{
  gboolean *field;

  g_return_if_fail (SL_IS_PEER_AUTH (self));

  field = by_peer ? &self->sas_peer : &self->sas_local;
  if (*field || !self->keys)
    return;
  *field = TRUE;
  g_signal_emit (self, signals[SIGNAL_SAS_CONFIRMED], 0, by_peer);
  changed (self);
}

gboolean
sl_peer_auth_sas_confirmed (SlPeerAuth * self, gboolean by_peer)
{
  g_return_val_if_fail (SL_IS_PEER_AUTH (self), FALSE);

  return by_peer ? self->sas_peer : self->sas_local;
}

SlContinuity
sl_peer_auth_get_continuity (SlPeerAuth * self)
{
  g_return_val_if_fail (SL_IS_PEER_AUTH (self), SL_CONTINUITY_NONE);

  return self->continuity;
}

/**
 * sl_peer_auth_keys_changed:
 * @self: a call's authentication state
 *
 * Returns: %TRUE when this device remembers a verified call with the peer
 *   but the peer could not prove it (or presents another certificate),
 *   and no security code vouches for it: the user must compare the SAS
 */
gboolean
sl_peer_auth_keys_changed (SlPeerAuth * self)
{
  g_return_val_if_fail (SL_IS_PEER_AUTH (self), FALSE);

  return self->keys && !self->code &&
      (self->continuity == SL_CONTINUITY_MISMATCH ||
      self->continuity == SL_CONTINUITY_CERT_CHANGED);
}

/**
 * sl_peer_auth_clear:
 * @self: a call's authentication state
 *
 * Wipes a retained secret not stored yet (the call ended first).
 */
void
sl_peer_auth_clear (SlPeerAuth * self)
{
  g_return_if_fail (SL_IS_PEER_AUTH (self));

  g_clear_pointer (&self->update, sl_continuity_update_free);
}

static void
sl_peer_auth_dispose (GObject * object)
{
  SlPeerAuth *self = SL_PEER_AUTH (object);

  sl_peer_auth_clear (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sl_peer_auth_parent_class)->dispose (object);
}

static void
sl_peer_auth_class_init (SlPeerAuthClass * klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_peer_auth_dispose;

  /* (by_peer) a user confirmed the SAS; "changed" follows. */
  signals[SIGNAL_SAS_CONFIRMED] = g_signal_new ("sas-confirmed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /* Keys agreed, media bound, a SAS confirmation: see the getters. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /* (GError or NULL) this call's retained secret was written to the store
   * (NULL), or could not be. */
  signals[SIGNAL_REMEMBERED] = g_signal_new ("remembered",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sl_peer_auth_init (SlPeerAuth * self)
{
}
