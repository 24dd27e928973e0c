/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The call's timers, in one place so that the tests derive their bounds
 * from them (tests/call/test-call.c includes this file too). */

#pragma once

#include <glib.h>

#define HEARTBEAT_MS 1000
/* Silence after which the peer counts as lost.  A 5 s outage of the media
 * path must pass: SCTP retransmits with a doubling timeout from 1 s, so
 * the first message after a 5 s gap may arrive about 7 s after the last
 * one.  A dead path must be noticed within 15 s: the deadline plus half a
 * heartbeat period (the check runs twice per ping) is 10.5 s. */
#define HEARTBEAT_DEADLINE_MS 10000
/* Silence after which the media path counts as dead ("reconnecting"),
 * long before the peer counts as lost: a live path carries the peer's ping
 * and its pong to ours, two messages a second, so 2 s without any is not
 * jitter.  The check runs twice per ping (every HEARTBEAT_MS / 2): a path
 * that dies is reported at most 2 s + 0.5 s = 2.5 s after its last
 * message, inside the 3 s the product promises with room for a loaded
 * main loop. */
#define MEDIA_STALL_MS 2000
/* Once the server reports the peer's connection gone, silence this long
 * is enough: a live peer answers a ping within it. */
#define PEER_GONE_DEADLINE_MS 3000

/* Call set-up deadlines (see set_up_deadline_ms()): every step that waits
 * on the network ends the call cleanly when it takes too long. */
#define SETUP_INVITE_MS 10000       /* invite sent -> ringing */
#define SETUP_RING_MARGIN_MS 5000   /* past the server's ring timeout */
#define SETUP_SECURING_MS 10000     /* accepted -> keys agreed */
#define SETUP_CONNECTING_MS 20000   /* keys agreed -> media verified */

G_BEGIN_DECLS

guint sl_call_test_scale        (void);

guint sl_call_set_up_deadline_ms (int   state,
                                  guint ring_timeout_ms);

G_END_DECLS
