/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:sl-continuity-store
 * @short_description: retained secrets of earlier verified calls
 *
 * Key continuity in the manner of ZRTP (RFC 6189 sections 4.3 and 4.9):
 * after a call that a security code or a confirmed SAS authenticated, both
 * devices keep a secret derived from that call's keys, one entry per peer,
 * keyed by the peer's device id and the SHA-256 of its certificate.  The
 * next call proves the secret inside the handshake and mixes it into the
 * keys (sl-handshake.c).  Each entry keeps the newest secret (rs1) and the
 * one before (rs2), so that a call whose update reached only one of the
 * two devices does not break continuity.
 *
 * One text file per local device, mode 0600 in a 0700 folder, written
 * atomically (temporary file, fsync, rename):
 *
 *   sightline-continuity 1
 *   PEER-ID CERT-SHA256 RS1 RS2-OR-DASH UPDATED-UNIX-TIME
 *
 * with every binary field in lowercase hexadecimal.  The file is read
 * afresh for each operation, so that `sightline forget` from another
 * process takes effect at once.  A file that is not exactly in this form
 * is damaged: it is renamed aside (nothing is lost) and the store starts
 * empty.  One process per device writes the store; two processes of the
 * same device writing at once could lose the older update (the next
 * authenticated call repairs it).  Secrets in memory and every buffer that
 * held the file's text are wiped.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-continuity-store.h"
#include "sl-crypto-private.h"
#include "sl-pki.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#define STORE_HEADER "sightline-continuity 1"
#define STORE_MAX_BYTES (1024 * 1024)

G_DEFINE_QUARK (sl - continuity - error - quark, sl_continuity_error);

struct _SlContinuityUpdate
{
  char *peer_id;
  guint8 cert[SL_CERT_HASH_LEN];
  guint8 secret[SL_RETAINED_SECRET_LEN];
};

typedef struct
{
  char *peer_id;
  guint8 cert[SL_CERT_HASH_LEN];
  SlRetainedSecrets secrets;
  gint64 updated;
} Entry;

struct _SlContinuityStore
{
  GObject parent_instance;

  char *path;
};

enum
{
  SIGNAL_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SlContinuityStore, sl_continuity_store, G_TYPE_OBJECT);

const char *
sl_continuity_to_string (SlContinuity continuity)
{
  switch (continuity) {
    case SL_CONTINUITY_MATCH:
      return "match";
    case SL_CONTINUITY_MISMATCH:
      return "mismatch";
    case SL_CONTINUITY_CERT_CHANGED:
      return "certificate-changed";
    case SL_CONTINUITY_NONE:
    default:
      return "none";
  }
}

void
sl_retained_secrets_clear (SlRetainedSecrets * secrets)
{
  sl_crypto_wipe (SL_WIPE_RETAINED_SECRET, secrets->rs, sizeof secrets->rs);
  secrets->n = 0;
}

/**
 * sl_continuity_update_new:
 * @peer_id: the peer's device id
 * @cert_hash: SHA-256 of the peer's device certificate
 * @secret: the new retained secret (copied)
 *
 * Returns: (transfer full): an update for sl_continuity_store_apply()
 */
SlContinuityUpdate *
sl_continuity_update_new (const char *peer_id,
    const guint8 cert_hash[SL_CERT_HASH_LEN],
    const guint8 secret[SL_RETAINED_SECRET_LEN])
{
  SlContinuityUpdate *u = g_new0 (SlContinuityUpdate, 1);

  u->peer_id = g_strdup (peer_id);
  memcpy (u->cert, cert_hash, SL_CERT_HASH_LEN);
  memcpy (u->secret, secret, SL_RETAINED_SECRET_LEN);
  return u;
}

const char *
sl_continuity_update_get_peer_id (const SlContinuityUpdate * update)
{
  return update->peer_id;
}

void
sl_continuity_update_free (SlContinuityUpdate * update)
{
  if (update == NULL)
    return;
  sl_crypto_wipe (SL_WIPE_RETAINED_SECRET, update->secret,
      sizeof update->secret);
  g_free (update->peer_id);
  g_free (update);
}

static void
entry_free (gpointer data)
{
  Entry *e = data;

  sl_retained_secrets_clear (&e->secrets);
  g_free (e->peer_id);
  g_free (e);
}

/* --- the file -------------------------------------------------------- */

static gboolean
parse_hex (const char *text, guint8 * out, gsize n)
{
  gsize i;

  if (strlen (text) != 2 * n)
    return FALSE;
  for (i = 0; i < 2 * n; i++) {
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  }
  for (i = 0; i < n; i++)
    out[i] = (guint8) (g_ascii_xdigit_value (text[2 * i]) << 4 |
        g_ascii_xdigit_value (text[2 * i + 1]));
  return TRUE;
}

static void
append_hex (GString * s, const guint8 * data, gsize n)
{
  static const char digits[] = "0123456789abcdef";
  gsize i;

  for (i = 0; i < n; i++) {
    g_string_append_c (s, digits[data[i] >> 4]);
    g_string_append_c (s, digits[data[i] & 0xf]);
  }
}

static Entry *
find (GPtrArray * entries, const char *peer_id)
{
  guint i;

  for (i = 0; i < entries->len; i++) {
    Entry *e = g_ptr_array_index (entries, i);

    if (g_str_equal (e->peer_id, peer_id))
      return e;
  }
  return NULL;
}

/* One entry line; NULL when it is not exactly in the store's form. */
static Entry *
parse_line (const char *line, GPtrArray * entries)
{
  g_auto (GStrv) f = g_strsplit (line, " ", -1);
  Entry *e;
  guint64 updated;
  char *end = NULL;

  if (g_strv_length (f) != 5 || !sl_pki_check_device_id (f[0], NULL)
      || find (entries, f[0]) != NULL)
    return NULL;
  e = g_new0 (Entry, 1);
  e->peer_id = g_strdup (f[0]);
  e->secrets.n = g_str_equal (f[3], "-") ? 1 : 2;
  updated = g_ascii_strtoull (f[4], &end, 10);
  if (!parse_hex (f[1], e->cert, SL_CERT_HASH_LEN)
      || !parse_hex (f[2], e->secrets.rs[0], SL_RETAINED_SECRET_LEN)
      || (e->secrets.n == 2 && !parse_hex (f[3], e->secrets.rs[1],
              SL_RETAINED_SECRET_LEN))
      || f[4][0] == '\0' || !g_ascii_isdigit (f[4][0]) || *end != '\0'
      || updated > G_MAXINT64 / 2) {
    entry_free (e);
    return NULL;
  }
  e->updated = (gint64) updated;
  /* The split copies held secret digits too. */
  sl_crypto_wipe (SL_WIPE_STORE_TEXT, f[2], strlen (f[2]));
  sl_crypto_wipe (SL_WIPE_STORE_TEXT, f[3], strlen (f[3]));
  return e;
}

/* Every line in order, or FALSE with *@bad_line set (1-based). */
static gboolean
parse (char *text, gsize len, GPtrArray * entries, guint * bad_line)
{
  g_auto (GStrv) lines = NULL;
  guint i, n;
  gboolean ok = TRUE;

  if (len == 0 || memchr (text, '\0', len) != NULL || text[len - 1] != '\n') {
    *bad_line = 1;
    return FALSE;
  }
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  /* The text ends with a newline: the last piece is empty. */
  if (!g_str_equal (lines[0], STORE_HEADER)) {
    *bad_line = 1;
    ok = FALSE;
  }
  for (i = 1; ok && i + 1 < n; i++) {
    Entry *e = parse_line (lines[i], entries);

    if (e == NULL) {
      *bad_line = i + 1;
      ok = FALSE;
    } else {
      g_ptr_array_add (entries, e);
    }
  }
  for (i = 0; i < n; i++)
    sl_crypto_wipe (SL_WIPE_STORE_TEXT, lines[i], strlen (lines[i]));
  return ok;
}

/* Renames a damaged store aside; says where in @error. */
static void
set_aside (SlContinuityStore * self, guint bad_line, GError ** error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s", self->path,
      stamp);
  guint n;

  /* Never over an earlier damaged copy. */
  for (n = 2; g_file_test (aside, G_FILE_TEST_EXISTS) && n < 1000; n++) {
    g_free (aside);
    aside = g_strdup_printf ("%s.damaged-%s-%u", self->path, stamp, n);
  }
  if (g_rename (self->path, aside) != 0) {
    int saved = errno;

    g_set_error (error, SL_CONTINUITY_ERROR, SL_CONTINUITY_ERROR_IO,
        "The continuity store %s is damaged (line %u) and cannot be set "
        "aside: %s", self->path, bad_line, g_strerror (saved));
    return;
  }
  g_set_error (error, SL_CONTINUITY_ERROR, SL_CONTINUITY_ERROR_DAMAGED,
      "The continuity store %s is damaged (line %u); it was set aside as %s "
      "and is ignored: devices remembered there need a security code or a "
      "SAS comparison again", self->path, bad_line, aside);
}

/* The entries on disk: an empty array when there is no file; NULL with
 * @error for a file that cannot be read (IO) or is damaged (DAMAGED, and
 * the file has been set aside). */
static GPtrArray *
load (SlContinuityStore * self, GError ** error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr (GError) local_error = NULL;
  char *text = NULL;
  gsize len = 0;
  guint bad_line = 0;
  gboolean ok;

  if (!g_file_get_contents (self->path, &text, &len, &local_error)) {
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return g_steal_pointer (&entries);
    g_set_error (error, SL_CONTINUITY_ERROR, SL_CONTINUITY_ERROR_IO,
        "Cannot read the continuity store: %s", local_error->message);
    return NULL;
  }
  ok = len <= STORE_MAX_BYTES && parse (text, len, entries, &bad_line);
  sl_crypto_wipe (SL_WIPE_STORE_TEXT, text, len);
  g_free (text);
  if (!ok) {
    set_aside (self, bad_line ? bad_line : 1, error);
    return NULL;
  }
  return g_steal_pointer (&entries);
}

/* load(), but a damaged or unreadable store is reported through the
 * "problem" signal and counts as empty. */
static GPtrArray *
load_or_empty (SlContinuityStore * self)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *entries = load (self, &error);

  if (entries != NULL)
    return entries;
  g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, error);
  return g_ptr_array_new_with_free_func (entry_free);
}

static gboolean
save (SlContinuityStore * self, GPtrArray * entries, GError ** error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr (GError) local_error = NULL;
  GString *s = g_string_new (STORE_HEADER "\n");
  gboolean ok;
  guint i;

  for (i = 0; i < entries->len; i++) {
    Entry *e = g_ptr_array_index (entries, i);

    g_string_append_printf (s, "%s ", e->peer_id);
    append_hex (s, e->cert, SL_CERT_HASH_LEN);
    g_string_append_c (s, ' ');
    append_hex (s, e->secrets.rs[0], SL_RETAINED_SECRET_LEN);
    g_string_append_c (s, ' ');
    if (e->secrets.n == 2)
      append_hex (s, e->secrets.rs[1], SL_RETAINED_SECRET_LEN);
    else
      g_string_append_c (s, '-');
    g_string_append_printf (s, " %" G_GINT64_FORMAT "\n", e->updated);
  }
  ok = g_mkdir_with_parents (dir, 0700) == 0;
  if (!ok)
    g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "cannot create %s: %s", dir, g_strerror (errno));
  /* Temporary file with mode 0600 from the start, fsync, rename. */
  ok = ok && g_file_set_contents_full (self->path, s->str, s->len,
      G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error);
  sl_crypto_wipe (SL_WIPE_STORE_TEXT, s->str, s->len);
  g_string_free (s, TRUE);
  if (!ok)
    g_set_error (error, SL_CONTINUITY_ERROR, SL_CONTINUITY_ERROR_IO,
        "Cannot write the continuity store: %s", local_error->message);
  return ok;
}

/* --- public API ------------------------------------------------------- */

/**
 * sl_continuity_store_new:
 * @path: the store file (it need not exist)
 *
 * Returns: (transfer full): a store; nothing is read yet
 */
SlContinuityStore *
sl_continuity_store_new (const char *path)
{
  SlContinuityStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SL_TYPE_CONTINUITY_STORE, NULL);
  self->path = g_strdup (path);
  return self;
}

/**
 * sl_continuity_store_default_path:
 * @local_device_id: this device's id (from its certificate)
 *
 * Returns: (transfer full) (nullable): the store of @local_device_id under
 *   the user's data directory ($XDG_DATA_HOME/sightline/continuity/), or
 *   %NULL if @local_device_id is not a device id
 */
char *
sl_continuity_store_default_path (const char *local_device_id)
{
  g_autofree char *name = NULL;

  if (local_device_id == NULL
      || !sl_pki_check_device_id (local_device_id, NULL))
    return NULL;
  name = g_strdup_printf ("%s.store", local_device_id);
  return g_build_filename (g_get_user_data_dir (), "sightline", "continuity",
      name, NULL);
}

const char *
sl_continuity_store_get_path (SlContinuityStore * self)
{
  g_return_val_if_fail (SL_IS_CONTINUITY_STORE (self), NULL);

  return self->path;
}

/**
 * sl_continuity_store_check:
 * @self: a store
 * @error: %SL_CONTINUITY_ERROR_DAMAGED (the file was set aside) or
 *   %SL_CONTINUITY_ERROR_IO
 *
 * Reads the store once, so that a program can report a problem before its
 * first call.
 *
 * Returns: %TRUE if the store is absent or valid
 */
gboolean
sl_continuity_store_check (SlContinuityStore * self, GError ** error)
{
  g_autoptr (GPtrArray) entries = NULL;

  g_return_val_if_fail (SL_IS_CONTINUITY_STORE (self), FALSE);

  entries = load (self, error);
  return entries != NULL;
}

/**
 * sl_continuity_store_lookup:
 * @self: a store
 * @peer_id: the peer's device id
 * @cert_hash: SHA-256 of the certificate the peer presents
 * @out: (out caller-allocates): the peer's secrets, newest first; wipe
 *   with sl_retained_secrets_clear()
 * @out_cert_changed: (out) (optional): set when the store holds secrets
 *   for @peer_id under another certificate (then @out is empty)
 *
 * A damaged or unreadable store counts as empty and is reported through
 * the "problem" signal.
 *
 * Returns: %TRUE if @out holds at least one secret
 */
gboolean
sl_continuity_store_lookup (SlContinuityStore * self, const char *peer_id,
    const guint8 cert_hash[SL_CERT_HASH_LEN], SlRetainedSecrets * out,
    gboolean * out_cert_changed)
{
  g_autoptr (GPtrArray) entries = NULL;
  Entry *e;

  g_return_val_if_fail (SL_IS_CONTINUITY_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (out_cert_changed)
    *out_cert_changed = FALSE;
  if (peer_id == NULL)
    return FALSE;
  entries = load_or_empty (self);
  e = find (entries, peer_id);
  if (e == NULL)
    return FALSE;
  if (!sl_crypto_equal (e->cert, cert_hash, SL_CERT_HASH_LEN)) {
    if (out_cert_changed)
      *out_cert_changed = TRUE;
    return FALSE;
  }
  memcpy (out, &e->secrets, sizeof *out);
  return TRUE;
}

/**
 * sl_continuity_store_apply:
 * @self: a store
 * @update: a new secret for one peer
 * @error: %SL_CONTINUITY_ERROR_IO
 *
 * Makes @update's secret the peer's newest (rs1); the previous newest
 * becomes rs2 and the older one is forgotten.  An entry for the peer
 * under another certificate is replaced.
 *
 * Returns: %TRUE when the store was written
 */
gboolean
sl_continuity_store_apply (SlContinuityStore * self,
    const SlContinuityUpdate * update, GError ** error)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) local_error = NULL;
  Entry *e;

  g_return_val_if_fail (SL_IS_CONTINUITY_STORE (self), FALSE);
  g_return_val_if_fail (update != NULL, FALSE);

  entries = load (self, &local_error);
  if (g_error_matches (local_error, SL_CONTINUITY_ERROR,
          SL_CONTINUITY_ERROR_DAMAGED)) {
    /* Already set aside: say so, and start a new store. */
    g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, local_error);
    entries = g_ptr_array_new_with_free_func (entry_free);
  } else if (entries == NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  e = find (entries, update->peer_id);
  if (e != NULL && sl_crypto_equal (e->cert, update->cert, SL_CERT_HASH_LEN)) {
    memcpy (e->secrets.rs[1], e->secrets.rs[0], SL_RETAINED_SECRET_LEN);
    e->secrets.n = 2;
  } else {
    if (e != NULL)
      g_ptr_array_remove (entries, e);
    e = g_new0 (Entry, 1);
    e->peer_id = g_strdup (update->peer_id);
    memcpy (e->cert, update->cert, SL_CERT_HASH_LEN);
    e->secrets.n = 1;
    g_ptr_array_add (entries, e);
  }
  memcpy (e->secrets.rs[0], update->secret, SL_RETAINED_SECRET_LEN);
  e->updated = g_get_real_time () / G_USEC_PER_SEC;
  return save (self, entries, error);
}

/**
 * sl_continuity_store_forget:
 * @self: a store
 * @peer_id: the device to forget
 * @out_found: (out) (optional): whether the store held it
 * @error: %SL_CONTINUITY_ERROR_INVALID, _IO or _DAMAGED (the store was
 *   set aside, so nothing is remembered any more)
 *
 * Returns: %TRUE when @peer_id is not remembered any more
 */
gboolean
sl_continuity_store_forget (SlContinuityStore * self, const char *peer_id,
    gboolean * out_found, GError ** error)
{
  g_autoptr (GPtrArray) entries = NULL;
  Entry *e;

  g_return_val_if_fail (SL_IS_CONTINUITY_STORE (self), FALSE);

  if (out_found)
    *out_found = FALSE;
  if (peer_id == NULL || !sl_pki_check_device_id (peer_id, NULL)) {
    g_set_error (error, SL_CONTINUITY_ERROR, SL_CONTINUITY_ERROR_INVALID,
        "\"%s\" is not a device id", peer_id ? peer_id : "");
    return FALSE;
  }
  entries = load (self, error);
  if (entries == NULL)
    return FALSE;
  e = find (entries, peer_id);
  if (e == NULL)
    return TRUE;
  if (out_found)
    *out_found = TRUE;
  g_ptr_array_remove (entries, e);
  return save (self, entries, error);
}

static void
sl_continuity_store_finalize (GObject * object)
{
  SlContinuityStore *self = SL_CONTINUITY_STORE (object);

  g_free (self->path);

  G_OBJECT_CLASS (sl_continuity_store_parent_class)->finalize (object);
}

static void
sl_continuity_store_class_init (SlContinuityStoreClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_continuity_store_finalize;

  /* (GError) the store could not be read, or was damaged and set aside;
   * it counts as empty. */
  signals[SIGNAL_PROBLEM] = g_signal_new ("problem",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sl_continuity_store_init (SlContinuityStore * self)
{
}
