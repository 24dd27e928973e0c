/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * For the DTLS tests and the DTLS benchmark only: the parts of the tuning,
 * the version rule that switches them off, and the knobs the benchmark
 * turns between settings of one run.
 */

#pragma once

#include "sl-dtls-tuning.h"

G_BEGIN_DECLS

/**
 * SlDtlsTuningParts:
 * @SL_DTLS_TUNING_NONE: DTLS objects keep GStreamer's and OpenSSL's defaults
 * @SL_DTLS_TUNING_MTU: datagrams of up to %SL_DTLS_TUNING_MTU_BYTES
 * @SL_DTLS_TUNING_TIMER: the first retransmission after
 *   %SL_DTLS_TUNING_FIRST_TIMEOUT_MS, doubling up to
 *   %SL_DTLS_TUNING_MAX_TIMEOUT_MS
 */
typedef enum
{
  SL_DTLS_TUNING_NONE = 0,
  SL_DTLS_TUNING_MTU = 1 << 0,
  SL_DTLS_TUNING_TIMER = 1 << 1,
} SlDtlsTuningParts;

#define SL_DTLS_TUNING_MTU_BYTES         1200
#define SL_DTLS_TUNING_FIRST_TIMEOUT_MS  150
#define SL_DTLS_TUNING_MAX_TIMEOUT_MS    1200

SlDtlsTuningParts  sl_dtls_tuning_parts_for    (guint                gst_major,
                                                guint                gst_minor,
                                                guint                gst_micro);

gboolean           sl_dtls_tuning_install_for  (guint                gst_major,
                                                guint                gst_minor,
                                                guint                gst_micro,
                                                GError             **error);

void               sl_dtls_tuning_set_parts    (SlDtlsTuningParts    parts);

SlDtlsTuningParts  sl_dtls_tuning_get_parts    (void);

void               sl_dtls_tuning_set_timer    (guint                first_ms,
                                                guint                max_ms);

guint              sl_dtls_tuning_get_tuned    (void);

G_END_DECLS
