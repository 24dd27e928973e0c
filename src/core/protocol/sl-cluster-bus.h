/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sl-protocol.h"

G_BEGIN_DECLS

/* The version of the cluster bus messages; an instance refuses any other
 * (a mixed-version cluster during an upgrade keeps its instances apart
 * rather than misreading each other). */
#define SL_CLUSTER_BUS_VERSION 1
/* The largest device message a bus message carries (a relay with the
 * largest blob, escaped), and the largest bus message. */
#define SL_CLUSTER_BUS_MAX_CARRIED (2 * 98304)
#define SL_CLUSTER_BUS_MAX_MESSAGE (SL_CLUSTER_BUS_MAX_CARRIED + 4096)
/* Instance ids: what sl_cluster_bus_check_instance() accepts. */
#define SL_CLUSTER_BUS_MAX_INSTANCE 64
/* Sequence numbers, sessions and times stay exact in a JSON double. */
#define SL_CLUSTER_BUS_MAX_INT ((G_GINT64_CONSTANT (1) << 53) - 1)

/* Messages between server instances over Redis (docs/PROTOCOL.md, "Cluster
 * bus"): join, status, leave, alive, and for calls held on another
 * instance forward, deliver and in-call. */
extern const SlProtocolFamily sl_cluster_bus;

G_END_DECLS
