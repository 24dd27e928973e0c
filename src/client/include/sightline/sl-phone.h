/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "sightline/sl-call.h"
#include "sightline/sl-media-options.h"
#include "sightline/sl-signal-client.h"

G_BEGIN_DECLS

#define SL_TYPE_PHONE (sl_phone_get_type ())
G_DECLARE_FINAL_TYPE (SlPhone, sl_phone, SL, PHONE, GObject)

SlPhone *        sl_phone_new               (SlSignalClient       *signal,
                                             const SlMediaOptions *opts);

SlSignalClient * sl_phone_get_signal_client (SlPhone *self);

void             sl_phone_set_continuity    (SlPhone           *self,
                                             SlContinuityStore *store,
                                             const guint8      *own_cert_hash);

void             sl_phone_set_code          (SlPhone    *self,
                                             const char *code);

void             sl_phone_set_accept_incoming (SlPhone  *self,
                                               gboolean  accept);
gboolean         sl_phone_get_accept_incoming (SlPhone  *self);

SlCall *         sl_phone_call              (SlPhone    *self,
                                             const char *peer_id,
                                             const char *code,
                                             GError    **error);

guint            sl_phone_get_n_calls       (SlPhone *self);

G_END_DECLS
