/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How long a port stays out of use after its call: past a TURN server's
 * own clean-up of a released allocation (coturn: 1-2 s), and for the
 * allocation's whole lifetime (coturn's default, 10 minutes) when the
 * release was not confirmed. */
#define SL_ICE_PORT_HOLD_US        (10 * G_USEC_PER_SEC)
#define SL_ICE_PORT_UNRELEASED_US  (600 * G_USEC_PER_SEC)

#define SL_TYPE_ICE_PORTS (sl_ice_ports_get_type ())
G_DECLARE_FINAL_TYPE (SlIcePorts, sl_ice_ports, SL, ICE_PORTS, GObject)

SlIcePorts * sl_ice_ports_new         (guint       min,
                                       guint       max);

SlIcePorts * sl_ice_ports_new_default (void);

void         sl_ice_ports_get_range   (SlIcePorts *self,
                                       guint      *min,
                                       guint      *max);

void         sl_ice_ports_hold        (SlIcePorts *self,
                                       guint       port,
                                       gint64      until_us);

guint        sl_ice_ports_n_held      (SlIcePorts *self,
                                       gint64      now_us);

void         sl_ice_ports_choose      (SlIcePorts *self,
                                       gint64      now_us,
                                       guint      *min,
                                       guint      *max);

G_END_DECLS
