/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * DTLS certificate fingerprints (RFC 8122 syntax, "sha-256 AB:CD:...").
 * GStreamer's DTLS elements accept any peer certificate, so the call is
 * only end to end once the certificate the peer presented hashes to the
 * fingerprint of the SDP that came through the sealed channel.  GLib's
 * GChecksum is enough for the hash: OpenSSL stays inside src/core/crypto/.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-dtls-fingerprint.h"
#include "sightline/sl-media-error.h"

#include <string.h>
#include <gst/sdp/sdp.h>

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

/**
 * sl_dtls_fingerprint_from_pem:
 * @pem: a PEM certificate (the first one is used)
 * @error: set when @pem holds no certificate
 *
 * Returns: (transfer full): "sha-256 " and the SHA-256 of the DER bytes in
 *   upper-case hex pairs separated by colons
 */
char *
sl_dtls_fingerprint_from_pem (const char *pem, GError ** error)
{
  const char *begin, *end;
  g_autofree char *body = NULL;
  g_autofree guint8 *der = NULL;
  gsize der_len = 0;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autoptr (GChecksum) sum = NULL;
  GString *out;
  gsize i;

  begin = pem ? strstr (pem, PEM_BEGIN) : NULL;
  end = begin ? strstr (begin, PEM_END) : NULL;
  if (begin == NULL || end == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY,
        "The other device presented no DTLS certificate");
    return NULL;
  }
  begin += strlen (PEM_BEGIN);
  body = g_strndup (begin, end - begin);
  der = g_base64_decode (g_strstrip (body), &der_len);
  if (der == NULL || der_len < 16) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY,
        "The other device's DTLS certificate is not valid PEM");
    return NULL;
  }

  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, der, der_len);
  g_checksum_get_digest (sum, digest, &digest_len);

  out = g_string_new ("sha-256 ");
  for (i = 0; i < digest_len; i++)
    g_string_append_printf (out, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (out, FALSE);
}

/**
 * sl_dtls_fingerprint_normalise:
 * @fingerprint: "HASH HEX:HEX:..." in any case, with surrounding spaces
 *
 * Returns: (transfer full) (nullable): lower-case hash name, one space,
 *   upper-case hex; %NULL when @fingerprint is not of that form
 */
char *
sl_dtls_fingerprint_normalise (const char *fingerprint)
{
  g_autofree char *copy = NULL;
  g_auto (GStrv) parts = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *hex = NULL;
  const char *p;

  if (fingerprint == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (fingerprint));
  parts = g_strsplit_set (copy, " \t", 2);
  if (g_strv_length (parts) != 2)
    return NULL;
  hash = g_ascii_strdown (parts[0], -1);
  hex = g_ascii_strup (g_strstrip (parts[1]), -1);
  if (!*hash || !*hex)
    return NULL;
  for (p = hex; *p; p++) {
    if (!g_ascii_isxdigit (*p) && *p != ':')
      return NULL;
  }
  return g_strdup_printf ("%s %s", hash, hex);
}

/**
 * sl_dtls_fingerprint_equal:
 * @a: (nullable): a fingerprint
 * @b: (nullable): a fingerprint
 *
 * Returns: %TRUE when both are valid and name the same hash and value
 */
gboolean
sl_dtls_fingerprint_equal (const char *a, const char *b)
{
  g_autofree char *na = sl_dtls_fingerprint_normalise (a);
  g_autofree char *nb = sl_dtls_fingerprint_normalise (b);

  return na != NULL && nb != NULL && strcmp (na, nb) == 0;
}

static gboolean
take_fingerprint (char **found, const char *value, GError ** error)
{
  g_autofree char *norm = sl_dtls_fingerprint_normalise (value);

  if (norm == NULL || !g_str_has_prefix (norm, "sha-256 ")) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY,
        "The session description carries a DTLS fingerprint that is not "
        "SHA-256");
    return FALSE;
  }
  if (*found != NULL && strcmp (*found, norm) != 0) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY,
        "The session description carries two different DTLS fingerprints");
    return FALSE;
  }
  if (*found == NULL)
    *found = g_steal_pointer (&norm);
  return TRUE;
}

/**
 * sl_dtls_fingerprint_from_sdp:
 * @sdp: SDP text
 * @error: set when the SDP does not parse, has no fingerprint, or has
 *   fingerprints that disagree or are not SHA-256
 *
 * Returns: (transfer full): the normalised fingerprint shared by the
 *   session and every media section
 */
char *
sl_dtls_fingerprint_from_sdp (const char *sdp, GError ** error)
{
  GstSDPMessage *msg = NULL;
  g_autofree char *found = NULL;
  const char *value;
  guint i, j;
  gboolean ok = TRUE;

  if (sdp == NULL || gst_sdp_message_new_from_text (sdp, &msg) != GST_SDP_OK) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_PROTOCOL,
        "The session description does not parse");
    return NULL;
  }

  for (i = 0; ok && (value = gst_sdp_message_get_attribute_val_n (msg,
              "fingerprint", i)); i++)
    ok = take_fingerprint (&found, value, error);
  for (i = 0; ok && i < gst_sdp_message_medias_len (msg); i++) {
    const GstSDPMedia *media = gst_sdp_message_get_media (msg, i);

    for (j = 0; ok && (value = gst_sdp_media_get_attribute_val_n (media,
                "fingerprint", j)); j++)
      ok = take_fingerprint (&found, value, error);
  }
  gst_sdp_message_free (msg);
  if (!ok)
    return NULL;
  if (found == NULL) {
    g_set_error_literal (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_SECURITY,
        "The session description has no DTLS fingerprint");
    return NULL;
  }
  return g_steal_pointer (&found);
}
