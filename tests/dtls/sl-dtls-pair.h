/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * SlDtlsPairPad:
 * @SL_DTLS_PAIR_SENT: what a side's dtlsenc sends
 * @SL_DTLS_PAIR_RECEIVED: what a side's dtlsdec receives
 *
 * Where sl_dtls_pair_add_probe() watches a side (0 client, 1 server).
 */
typedef enum
{
  SL_DTLS_PAIR_SENT,
  SL_DTLS_PAIR_RECEIVED,
} SlDtlsPairPad;

typedef struct _SlDtlsPair SlDtlsPair;

SlDtlsPair * sl_dtls_pair_new            (void);

void         sl_dtls_pair_add_probe      (SlDtlsPair          *pair,
                                          guint                side,
                                          SlDtlsPairPad        where,
                                          GstPadProbeCallback  callback,
                                          gpointer             user_data);

gint64       sl_dtls_pair_start          (SlDtlsPair          *pair);

gint64       sl_dtls_pair_get_connected  (SlDtlsPair          *pair,
                                          guint                side);

gboolean     sl_dtls_pair_has_failed     (SlDtlsPair          *pair);

gboolean     sl_dtls_pair_wait           (SlDtlsPair          *pair,
                                          gint64               deadline);

void         sl_dtls_pair_free           (SlDtlsPair          *pair);

G_END_DECLS
