/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The Sightline call engine's public headers (docs/ARCHITECTURE.md): a
 * phone (SlPhone) over a connection to the server (SlSignalClient) places
 * and takes calls (SlCall) whose media is shaped by SlMediaOptions and
 * shown by the program's own display or the goggles view.
 */

#pragma once

#include "sightline/sl-call-error.h"
#include "sightline/sl-call.h"
#include "sightline/sl-dtls-guard.h"
#include "sightline/sl-goggles-error.h"
#include "sightline/sl-goggles-options.h"
#include "sightline/sl-goggles-view.h"
#include "sightline/sl-ice-ports.h"
#include "sightline/sl-media-device-list.h"
#include "sightline/sl-media-error.h"
#include "sightline/sl-media-options.h"
#include "sightline/sl-media-prepare.h"
#include "sightline/sl-media-stats.h"
#include "sightline/sl-peer-auth.h"
#include "sightline/sl-phone.h"
#include "sightline/sl-signal-client.h"
#include "sightline/sl-signal-error.h"
