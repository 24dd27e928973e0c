/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Mutual TLS for every device, before any application byte: the server
 * accepts TCP connections itself (GSocketService) rather than letting
 * libsoup listen, so that it controls the handshake timeout, the
 * certificate checks and the refusal reasons, and hands libsoup only
 * authenticated streams.
 *
 * A device is refused when it offers no certificate, one not issued by
 * the operator CA (the GTlsDatabase holds only that CA), an expired one,
 * one without the client-auth usage or the device subject, one on the
 * revocation list, when it does not complete the handshake in time, or
 * when the protocol is older than TLS 1.3 (GnuTLS is restricted to TLS 1.3
 * by main(); the version is checked again here).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-tls-acceptor.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

typedef struct
{
  SlTlsAcceptor *acceptor;
  GTlsConnection *tls;
  GCancellable *cancellable;
  guint timeout_id;
  GTlsCertificateFlags cert_errors;
  SlPkiIdentity *identity;      /* set when the certificate was accepted */
  const char *reason;           /* set when it was refused */
  char *detail;
  gboolean timed_out;
} Pending;

struct _SlTlsAcceptor
{
  GObject parent_instance;

  GTlsCertificate *certificate;
  GTlsCertificate *ca;
  SlRevocation *revocation;
  const SlServerConfig *config;
  SlServerMetrics *metrics;
  SlTlsAcceptedFunc func;
  gpointer user_data;
  GHashTable *pending;          /* Pending set */
};

G_DEFINE_FINAL_TYPE (SlTlsAcceptor, sl_tls_acceptor, G_TYPE_OBJECT);

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_clear_handle_id (&p->timeout_id, g_source_remove);
  g_clear_object (&p->cancellable);
  g_clear_object (&p->tls);
  g_clear_pointer (&p->identity, sl_pki_identity_free);
  g_free (p->detail);
  g_free (p);
}

/**
 * sl_tls_acceptor_new:
 * @certificate: the server certificate and key
 * @ca: the operator CA certificate
 * @revocation: (nullable): the revocation list
 * @config: the server settings; must outlive the acceptor
 * @metrics: the server's metrics
 * @func: called for each accepted device
 * @user_data: for @func
 *
 * Returns: (transfer full): the acceptor
 */
SlTlsAcceptor *
sl_tls_acceptor_new (GTlsCertificate * certificate, GTlsCertificate * ca,
    SlRevocation * revocation, const SlServerConfig * config,
    SlServerMetrics * metrics, SlTlsAcceptedFunc func, gpointer user_data)
{
  SlTlsAcceptor *self = g_object_new (SL_TYPE_TLS_ACCEPTOR, NULL);

  self->certificate = g_object_ref (certificate);
  self->ca = g_object_ref (ca);
  self->revocation = revocation ? g_object_ref (revocation) : NULL;
  self->config = config;
  self->metrics = g_object_ref (metrics);
  self->func = func;
  self->user_data = user_data;
  return self;
}

static char *
describe_peer (GTlsConnection * tls)
{
  GIOStream *base = NULL;
  g_autoptr (GSocketAddress) addr = NULL;

  g_object_get (tls, "base-io-stream", &base, NULL);
  if (G_IS_SOCKET_CONNECTION (base))
    addr = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (base),
        NULL);
  g_clear_object (&base);
  if (G_IS_INET_SOCKET_ADDRESS (addr)) {
    g_autofree char *ip = g_inet_address_to_string
        (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr)));
    return g_strdup_printf ("%s:%u", ip,
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr)));
  }
  return g_strdup ("?");
}

static void
refuse (SlTlsAcceptor * self, GTlsConnection * tls, const char *reason,
    const char *device_id, const char *detail)
{
  g_autofree char *peer = describe_peer (tls);

  sl_server_metrics_add (self->metrics, SL_METRIC_REFUSALS, reason, 1);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
      "EVENT", "refused", "REASON", reason, "REMOTE", peer,
      "DEVICE_ID", device_id ? device_id : "-",
      "MESSAGE", "connection refused: %s", detail ? detail : reason);
  g_io_stream_close_async (G_IO_STREAM (tls), G_PRIORITY_DEFAULT, NULL, NULL,
      NULL);
}

static const char *
classify_failure (Pending * p, GError * error)
{
  if (p->timed_out)
    return "handshake-timeout";
  if (p->cert_errors & G_TLS_CERTIFICATE_REVOKED)
    return "revoked";
  if (p->cert_errors & G_TLS_CERTIFICATE_EXPIRED)
    return "expired";
  if (p->cert_errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return "not-yet-valid";
  if (p->cert_errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return "unknown-ca";
  if (p->cert_errors)
    return "bad-certificate";
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    return "no-certificate";
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    return "not-tls";
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    return "handshake-aborted";
  return "handshake-failed";
}

static void
finish_accept (SlTlsAcceptor * self, Pending * p)
{
  if (g_tls_connection_get_protocol_version (p->tls) !=
      G_TLS_PROTOCOL_VERSION_TLS_1_3) {
    refuse (self, p->tls, "tls-version", NULL, "not TLS 1.3");
    return;
  }
  if (p->identity == NULL) {
    refuse (self, p->tls, "no-certificate", NULL, NULL);
    return;
  }
  self->func (g_object_ref (p->tls), g_steal_pointer (&p->identity),
      self->user_data);
}

static void
handshake_done_cb (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Pending *p = user_data;
  SlTlsAcceptor *self = p->acceptor;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result,
      &error);
  if (self == NULL) {
    /* The acceptor is gone (shutdown); just drop the connection. */
    g_io_stream_close_async (G_IO_STREAM (source), G_PRIORITY_DEFAULT, NULL,
        NULL, NULL);
    pending_free (p);
    return;
  }
  sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, -1);
  g_hash_table_steal (self->pending, p);
  if (ok)
    finish_accept (self, p);
  else if (p->reason)
    refuse (self, p->tls, p->reason, NULL, p->detail);
  else
    refuse (self, p->tls, classify_failure (p, error), NULL, error->message);
  pending_free (p);
}

static gboolean
handshake_timeout_cb (gpointer user_data)
{
  Pending *p = user_data;

  p->timeout_id = 0;
  p->timed_out = TRUE;
  g_cancellable_cancel (p->cancellable);
  return G_SOURCE_REMOVE;
}

/* glib-networking asks a server about every client certificate: accept
 * exactly those that chain to the operator CA, are within their validity
 * and name a device that is not revoked.  Refusing here fails the TLS
 * handshake itself.
 *
 * The connection has no GTlsDatabase on purpose (so glib-networking
 * reports UNKNOWN_CA, ignored here): with one, it parses the CA file into
 * a trust list for every connection, tens of kilobytes each, where this
 * check shares one parsed CA certificate. */
static gboolean
accept_certificate_cb (GTlsConnection * tls, GTlsCertificate * peer,
    GTlsCertificateFlags errors, gpointer user_data)
{
  Pending *p = user_data;
  SlTlsAcceptor *self = p->acceptor;
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (SlPkiIdentity) identity = NULL;
  g_autoptr (GError) error = NULL;

  if (self == NULL)
    return FALSE;
  errors = g_tls_certificate_verify (peer, NULL, self->ca);
  p->cert_errors = errors;
  if (errors != 0)
    return FALSE;
  g_object_get (peer, "certificate", &der, NULL);
  if (der)
    identity = sl_pki_identity_from_der (der->data, der->len, &error);
  if (identity == NULL) {
    p->reason = "not-device";
    p->detail = g_strdup (error ? error->message : "no certificate data");
    return FALSE;
  }
  if (self->revocation &&
      sl_revocation_is_revoked (self->revocation, identity->serial)) {
    p->reason = "revoked";
    p->detail = g_strdup_printf ("certificate of '%s' is revoked",
        identity->device_id);
    return FALSE;
  }
  if (identity->not_after <= g_get_real_time () / G_USEC_PER_SEC) {
    p->reason = "expired";
    p->detail = g_strdup ("certificate expired");
    return FALSE;
  }
  g_clear_pointer (&p->identity, sl_pki_identity_free);
  p->identity = g_steal_pointer (&identity);
  return TRUE;
}

/**
 * sl_tls_acceptor_accept:
 * @self: the acceptor
 * @connection: a new TCP connection
 *
 * Starts the TLS handshake; the result is the accepted callback or a
 * logged, counted refusal.
 */
void
sl_tls_acceptor_accept (SlTlsAcceptor * self, GSocketConnection * connection)
{
  g_autoptr (GError) error = NULL;
  GIOStream *tls;
  Pending *p;

  g_return_if_fail (SL_IS_TLS_ACCEPTOR (self));

  g_socket_set_option (g_socket_connection_get_socket (connection),
      IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  tls = g_tls_server_connection_new (G_IO_STREAM (connection),
      self->certificate, &error);
  if (tls == NULL) {
    sl_server_metrics_add (self->metrics, SL_METRIC_REFUSALS, "tls-setup", 1);
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
        "EVENT", "tls-setup-failed", "MESSAGE", "%s", error->message);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    return;
  }
  g_object_set (tls, "authentication-mode", G_TLS_AUTHENTICATION_REQUIRED,
      "require-close-notify", FALSE, NULL);
  /* No database, not even the system one (see accept_certificate_cb). */
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), NULL);

  p = g_new0 (Pending, 1);
  p->acceptor = self;
  p->tls = G_TLS_CONNECTION (tls);
  p->cancellable = g_cancellable_new ();
  p->timeout_id = g_timeout_add (self->config->handshake_timeout_ms,
      handshake_timeout_cb, p);
  g_signal_connect (tls, "accept-certificate",
      G_CALLBACK (accept_certificate_cb), p);
  g_hash_table_add (self->pending, p);
  sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, 1);

  g_tls_connection_handshake_async (p->tls, G_PRIORITY_DEFAULT,
      p->cancellable, handshake_done_cb, p);
}

/**
 * sl_tls_acceptor_get_pending:
 * @self: the acceptor
 *
 * Returns: the number of handshakes in progress
 */
guint
sl_tls_acceptor_get_pending (SlTlsAcceptor * self)
{
  g_return_val_if_fail (SL_IS_TLS_ACCEPTOR (self), 0);
  return g_hash_table_size (self->pending);
}

/**
 * sl_tls_acceptor_cancel_all:
 * @self: the acceptor
 *
 * Cancels every handshake in progress (shutdown).
 */
void
sl_tls_acceptor_cancel_all (SlTlsAcceptor * self)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (SL_IS_TLS_ACCEPTOR (self));
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    Pending *p = key;

    /* The handshake callback still runs; it frees the record. */
    p->acceptor = NULL;
    sl_server_metrics_add (self->metrics, SL_METRIC_TLS_PENDING, NULL, -1);
    g_clear_handle_id (&p->timeout_id, g_source_remove);
    g_signal_handlers_disconnect_by_data (p->tls, p);
    g_cancellable_cancel (p->cancellable);
    g_hash_table_iter_steal (&iter);
  }
}

static void
sl_tls_acceptor_dispose (GObject * object)
{
  SlTlsAcceptor *self = SL_TLS_ACCEPTOR (object);

  if (self->pending)
    sl_tls_acceptor_cancel_all (self);
  g_clear_object (&self->certificate);
  g_clear_object (&self->ca);
  g_clear_object (&self->revocation);
  g_clear_object (&self->metrics);
  G_OBJECT_CLASS (sl_tls_acceptor_parent_class)->dispose (object);
}

static void
sl_tls_acceptor_finalize (GObject * object)
{
  SlTlsAcceptor *self = SL_TLS_ACCEPTOR (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  G_OBJECT_CLASS (sl_tls_acceptor_parent_class)->finalize (object);
}

static void
sl_tls_acceptor_class_init (SlTlsAcceptorClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_tls_acceptor_dispose;
  object_class->finalize = sl_tls_acceptor_finalize;
}

static void
sl_tls_acceptor_init (SlTlsAcceptor * self)
{
  self->pending = g_hash_table_new (NULL, NULL);
}
