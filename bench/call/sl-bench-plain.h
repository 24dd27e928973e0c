/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "sightline/sl-media-options.h"

G_BEGIN_DECLS

typedef struct _SlBenchPlain SlBenchPlain;

void           sl_bench_plain_use_certificate (const char *pem);

SlBenchPlain * sl_bench_plain_new       (const SlMediaOptions *opts,
                                         gboolean              unpaced,
                                         GError              **error);
gint64         sl_bench_plain_first_frame_us (SlBenchPlain *self);
gboolean       sl_bench_plain_failed    (SlBenchPlain *self);
gboolean       sl_bench_plain_connected (SlBenchPlain *self);
gboolean       sl_bench_plain_used_certificate (SlBenchPlain *self);
guint64        sl_bench_plain_frames    (SlBenchPlain *self);
GArray *       sl_bench_plain_take_latencies (SlBenchPlain *self);
void           sl_bench_plain_free      (SlBenchPlain *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlBenchPlain, sl_bench_plain_free)

G_END_DECLS
