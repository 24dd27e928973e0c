/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * DTLS set-up that survives packet loss with GStreamer 1.22's dtls plugin
 * (issue 16; figures in docs/RELIABILITY.md, "DTLS under loss").
 *
 * Two defaults make webrtcbin's DTLS handshake slow on a lossy path:
 *
 * - GStreamer's DTLS BIO answers OpenSSL's MTU query with 0
 *   (gstdtlsconnection.c, bio_method_ctrl, BIO_CTRL_DGRAM_QUERY_MTU), so
 *   OpenSSL falls back to its 256-byte minimum: with GStreamer's RSA-2048
 *   certificate the server's flight is 6 datagrams and the client's second
 *   flight 8, and a flight only counts when every datagram arrives.
 *   GStreamer answers 1200 from 1.28.0 on (backported to 1.26.8; see
 *   bio_method_ctrl in gst-plugins-bad's gstdtlsconnection.c, main branch
 *   commit 17d22abe89b4), the value libwebrtc's BIO has answered since
 *   2015 (webrtc commit f4baca50bb98, codereview.webrtc.org/1174483002).
 * - OpenSSL's retransmission timer starts at 1 s and doubles up to 60 s.
 *   OpenSSL >= 1.1.1 lets an application choose it per SSL object with
 *   DTLS_set_timer_cb(); no GStreamer release calls it.  Ours starts at
 *   150 ms (longer than the round trips a call tolerates) and doubles to
 *   1.2 s, so a flight gets ten attempts within 10 s; OpenSSL still gives
 *   a handshake up after its 13th expiry in a row, 13 s of total loss
 *   here (the call's own set-up deadline is 20 s).  Measured with
 *   bench/dtls: 20 % loss, p90 22 s -> 1.35 s.
 *
 * GStreamer 1.22 gives no handle on its SSL objects: the connection makes
 * one with SSL_new() when dtlsdec gets its connection-id and keeps it in
 * its private struct.  So this file defines SSL_new() itself: it calls
 * the real one (the next definition in the lookup order, libssl's) and
 * configures the object when it is a DTLS one, before GStreamer sets its
 * BIO, its verify callback and its state.  TLS objects (the server's and
 * the client's own TLS in src/core/crypto) pass through untouched.
 *
 * The dynamic linker binds libgstdtls.so's call to the first SSL_new in
 * the global scope: ours when it is in the executable (it is exported
 * because libssl, on the link line, defines the same symbol), in an
 * LD_PRELOAD library (libsightline-dtls.so, sl-dtls-preload.c), or in a
 * GStreamer plugin that promotes itself to the global scope before
 * GStreamer loads the dtls plugin: GStreamer opens plugins with RTLD_NOW
 * (every PLT slot is bound when the plugin is loaded), so a dtls plugin
 * loaded earlier is bound to libssl for good.  sl_dtls_tuning_install()
 * does the promotion and says when it cannot work.  Where a process holds
 * several copies (a program and a plugin, or the preload library and a
 * plugin), a plugin's call to sl_dtls_tuning_install() reaches the copy
 * that comes first as well, as long as that one is exported (the preload
 * library's always is; Sightline's programs are linked with
 * --export-dynamic, which libsoup-3.0's pkg-config file asks for).
 *
 * Until sl_dtls_tuning_install() is called the hook changes nothing.  The
 * MTU part is off where GStreamer sets the MTU itself (>= 1.26.8 in the
 * 1.26 series, >= 1.28.0); the timer part is on everywhere, because no
 * release sets a timer, and it steps aside by itself: GStreamer configures
 * its SSL object after SSL_new() returns, so a release that calls
 * DTLS_set_timer_cb() or SSL_set_mtu() overrides our values.
 *
 * This is configuration of OpenSSL's own DTLS through its public API; it
 * adds no cryptography and changes no security setting.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-dtls-tuning-private.h"

#include <dlfcn.h>

#include <gst/gst.h>
#include <openssl/ssl.h>

G_DEFINE_QUARK (sl - dtls - tuning - error - quark, sl_dtls_tuning_error);

typedef SSL *(*SslNewFunc) (SSL_CTX * ctx);

static gint active_parts = SL_DTLS_TUNING_NONE;
static guint first_timeout_us = SL_DTLS_TUNING_FIRST_TIMEOUT_MS * 1000;
static guint max_timeout_us = SL_DTLS_TUNING_MAX_TIMEOUT_MS * 1000;
static guint tuned_objects;

/* OpenSSL asks at the start of every flight (@previous_us 0) and after
 * every expiry. */
static unsigned int
retransmit_after (SSL * ssl, unsigned int previous_us)
{
  guint64 next;

  if (previous_us == 0)
    return g_atomic_int_get (&first_timeout_us);
  next = 2 * (guint64) previous_us;
  return MIN (next, (guint64) g_atomic_int_get (&max_timeout_us));
}

static void
tune (SSL * ssl)
{
  SlDtlsTuningParts parts = g_atomic_int_get (&active_parts);

  if (parts & SL_DTLS_TUNING_MTU) {
    /* Without NO_QUERY_MTU OpenSSL asks the BIO again (and gets 0) after
     * two retransmissions of a flight, just when loss is high. */
    SSL_set_options (ssl, SSL_OP_NO_QUERY_MTU);
    SSL_set_mtu (ssl, SL_DTLS_TUNING_MTU_BYTES);
  }
  if (parts & SL_DTLS_TUNING_TIMER)
    DTLS_set_timer_cb (ssl, retransmit_after);
  if (parts != SL_DTLS_TUNING_NONE)
    g_atomic_int_inc (&tuned_objects);
}

static SslNewFunc
real_ssl_new (void)
{
  static gpointer real;
  gpointer found = g_atomic_pointer_get (&real);

  if (found == NULL) {
    found = dlsym (RTLD_NEXT, "SSL_new");
    g_atomic_pointer_set (&real, found);
  }
  return (SslNewFunc) found;
}

/* Replaces libssl's SSL_new in the process (see above); exported even
 * where the rest of a module is built with hidden visibility. */
SSL *SSL_new (SSL_CTX * ctx) __attribute__((visibility ("default")));

SSL *
SSL_new (SSL_CTX * ctx)
{
  SslNewFunc real = real_ssl_new ();
  SSL *ssl;

  if (real == NULL) {
    /* Only if libssl were not loaded, which the caller's own link rules
     * out; fail like an allocation failure rather than crash. */
    g_warning ("sl-dtls-tuning: libssl's SSL_new not found: %s", dlerror ());
    return NULL;
  }
  ssl = real (ctx);
  if (ssl != NULL && SSL_is_dtls (ssl))
    tune (ssl);
  return ssl;
}

/* This copy's own SSL_new: the name SSL_new, even here, resolves to
 * whichever definition the dynamic linker put first. */
static SSL *own_ssl_new (SSL_CTX * ctx) __attribute__((alias ("SSL_new")));

/* The SSL_new a library loaded from now on binds to first: the global
 * scope's, which a lookup through the main program's handle searches
 * (RTLD_DEFAULT would also search the caller's own local scope, where a
 * plugin always finds itself).  NULL when no global object defines it. */
static gpointer
first_ssl_new (void)
{
  static gpointer program;
  gpointer handle = g_atomic_pointer_get (&program);

  if (handle == NULL) {
    handle = dlopen (NULL, RTLD_NOW);
    g_atomic_pointer_set (&program, handle);
  }
  return dlsym (handle, "SSL_new");
}

static gboolean
binds_to_us (void)
{
  return first_ssl_new () == (gpointer) own_ssl_new;
}

/* Found by its soname; GStreamer's registry cannot be asked from within
 * a plugin_init (gst_plugin_is_loaded() waits for the loading lock). */
static gboolean
dtls_plugin_loaded (void)
{
  gpointer handle = dlopen ("libgstdtls.so", RTLD_LAZY | RTLD_NOLOAD);

  if (handle == NULL)
    return FALSE;
  dlclose (handle);
  return TRUE;
}

/* A module GStreamer loaded (RTLD_LOCAL) joins the global scope here.
 * The reference dlopen() takes is kept: GStreamer never unloads a plugin. */
static gboolean
promote_self (GError ** error)
{
  Dl_info info;

  if (!dladdr ((gpointer) own_ssl_new, &info) || info.dli_fname == NULL
      || dlopen (info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL) == NULL
      || !binds_to_us ()) {
    g_set_error (error, SL_DTLS_TUNING_ERROR,
        SL_DTLS_TUNING_ERROR_NOT_INTERPOSED,
        "Another SSL_new comes first in this process's global scope; "
        "DTLS keeps GStreamer's defaults (slow call set-up under loss). "
        "Start the program with LD_PRELOAD=libsightline-dtls.so");
    return FALSE;
  }
  if (dtls_plugin_loaded ()) {
    g_set_error (error, SL_DTLS_TUNING_ERROR,
        SL_DTLS_TUNING_ERROR_NOT_INTERPOSED,
        "GStreamer's dtls plugin was loaded before Sightline's and is bound "
        "to OpenSSL's SSL_new; DTLS keeps GStreamer's defaults (slow call "
        "set-up under loss). Start the program with "
        "LD_PRELOAD=libsightline-dtls.so");
    return FALSE;
  }
  return TRUE;
}

/**
 * sl_dtls_tuning_parts_for:
 * @gst_major: GStreamer's major version
 * @gst_minor: its minor version
 * @gst_micro: its micro version
 *
 * Returns: the parts of the tuning that GStreamer @gst_major.@gst_minor.
 *   @gst_micro needs: the MTU only before 1.26.8 (1.26 series) and 1.28.0;
 *   the timer always.  1.27.x development snapshots keep the MTU part: it
 *   sets the value those snapshots may already set.
 */
SlDtlsTuningParts
sl_dtls_tuning_parts_for (guint gst_major, guint gst_minor, guint gst_micro)
{
  gboolean gst_sets_mtu;

  if (gst_major != 1)
    gst_sets_mtu = gst_major > 1;
  else if (gst_minor == 26)
    gst_sets_mtu = gst_micro >= 8;
  else
    gst_sets_mtu = gst_minor >= 28;
  return SL_DTLS_TUNING_TIMER | (gst_sets_mtu ? 0 : SL_DTLS_TUNING_MTU);
}

/**
 * sl_dtls_tuning_install_for:
 * @gst_major: the GStreamer version to tune for
 * @gst_minor: its minor version
 * @gst_micro: its micro version
 * @error: return location for a #SL_DTLS_TUNING_ERROR
 *
 * sl_dtls_tuning_install() for a given GStreamer version, so that tests
 * can play a newer GStreamer.
 *
 * Returns: whether the DTLS objects GStreamer makes from now on get the
 *   tuning
 */
gboolean
sl_dtls_tuning_install_for (guint gst_major, guint gst_minor, guint gst_micro,
    GError ** error)
{
  SlDtlsTuningParts parts =
      sl_dtls_tuning_parts_for (gst_major, gst_minor, gst_micro);

  if (!binds_to_us () && !promote_self (error))
    return FALSE;
  sl_dtls_tuning_set_parts (parts);
  g_debug ("DTLS tuning for GStreamer %u.%u.%u: MTU %s, timer %s", gst_major,
      gst_minor, gst_micro, parts & SL_DTLS_TUNING_MTU ? "on" : "off",
      parts & SL_DTLS_TUNING_TIMER ? "on" : "off");
  return TRUE;
}

/**
 * sl_dtls_tuning_install:
 * @error: return location for a #SL_DTLS_TUNING_ERROR
 *
 * Tunes every DTLS handshake GStreamer starts from now on for the running
 * GStreamer version.  Call it once, right after gst_init() and before any
 * DTLS element exists; a GStreamer plugin calls it from its plugin_init.
 * Calling it again is harmless.
 *
 * Returns: %TRUE when GStreamer's dtls plugin will use the tuning; %FALSE
 *   with @error set when it cannot (handshakes then work as before)
 */
gboolean
sl_dtls_tuning_install (GError ** error)
{
  guint major, minor, micro, nano;

  gst_version (&major, &minor, &micro, &nano);
  return sl_dtls_tuning_install_for (major, minor, micro, error);
}

/**
 * sl_dtls_tuning_set_parts:
 * @parts: the parts to apply to DTLS objects made from now on
 *
 * For the benchmark, which compares settings in one process.
 */
void
sl_dtls_tuning_set_parts (SlDtlsTuningParts parts)
{
  g_atomic_int_set (&active_parts, parts);
}

/**
 * sl_dtls_tuning_get_parts:
 *
 * Returns: the parts applied to DTLS objects made now
 */
SlDtlsTuningParts
sl_dtls_tuning_get_parts (void)
{
  return g_atomic_int_get (&active_parts);
}

/**
 * sl_dtls_tuning_set_timer:
 * @first_ms: the first retransmission timeout of every flight
 * @max_ms: the longest timeout the doubling reaches
 *
 * For the benchmark; the defaults are %SL_DTLS_TUNING_FIRST_TIMEOUT_MS and
 * %SL_DTLS_TUNING_MAX_TIMEOUT_MS.
 */
void
sl_dtls_tuning_set_timer (guint first_ms, guint max_ms)
{
  g_return_if_fail (first_ms > 0 && first_ms <= max_ms);

  g_atomic_int_set (&first_timeout_us, first_ms * 1000);
  g_atomic_int_set (&max_timeout_us, max_ms * 1000);
}

/**
 * sl_dtls_tuning_get_tuned:
 *
 * Returns: how many DTLS objects this process has tuned
 */
guint
sl_dtls_tuning_get_tuned (void)
{
  return g_atomic_int_get (&tuned_objects);
}
