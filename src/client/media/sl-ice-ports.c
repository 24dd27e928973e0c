/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The local UDP ports a device's calls may bind for ICE, and the ports
 * its recent calls used.  A TURN server keys an allocation by the
 * client's public 5-tuple and answers an Allocate from a 5-tuple it still
 * holds with 437 (allocation mismatch); coturn keeps even a released
 * allocation for a second or two.  When the kernel gives the next call
 * the port the last one had, a NAT that keeps ports maps it to the same
 * public 5-tuple, and libnice, which does not retry on 437 (RFC 8656
 * asks for another port), gathers neither a relay nor a server-reflexive
 * candidate: a call across two NATs then fails (1 of 225 soak calls in
 * CI).  So each call gets a port range without the ports still held.
 *
 * The object is shared by all calls of a program (SlMediaOptions holds a
 * reference) and used on the main thread only.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sightline/sl-ice-ports.h"

#include <stdio.h>
#include <stdlib.h>

/* Enough for a call every second over the hold time; beyond it the
 * entries that expire first go. */
#define MAX_HELD 32

/* IANA's dynamic ports, when the kernel's ephemeral range is unknown. */
#define FALLBACK_MIN 49152
#define FALLBACK_MAX 65535

typedef struct
{
  guint port;
  gint64 until_us;
} Held;

struct _SlIcePorts
{
  GObject parent_instance;

  guint min;
  guint max;
  GArray *held;                 /* Held */
};

G_DEFINE_TYPE (SlIcePorts, sl_ice_ports, G_TYPE_OBJECT);

/**
 * sl_ice_ports_new:
 * @min: lowest port calls may bind, at least 1
 * @max: highest port, at least @min
 *
 * Returns: (transfer full): a port memory for the range
 */
SlIcePorts *
sl_ice_ports_new (guint min, guint max)
{
  SlIcePorts *self;

  g_return_val_if_fail (min >= 1 && min <= max && max <= 65535, NULL);

  self = g_object_new (SL_TYPE_ICE_PORTS, NULL);
  self->min = min;
  self->max = max;
  return self;
}

/**
 * sl_ice_ports_new_default:
 *
 * The kernel's ephemeral range (net.ipv4.ip_local_port_range), where
 * sockets bound to port 0 land anyway: calls spread over the same ports
 * as without a range, and stay off the ports services listen on.
 *
 * Returns: (transfer full): a port memory for that range
 */
SlIcePorts *
sl_ice_ports_new_default (void)
{
  g_autofree char *text = NULL;
  guint min = 0, max = 0;

  if (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &text,
          NULL, NULL) && sscanf (text, "%u %u", &min, &max) == 2
      && min >= 1024 && min <= max && max <= 65535)
    return sl_ice_ports_new (min, max);
  g_debug ("no usable ip_local_port_range; ICE uses ports %u-%u",
      FALLBACK_MIN, FALLBACK_MAX);
  return sl_ice_ports_new (FALLBACK_MIN, FALLBACK_MAX);
}

void
sl_ice_ports_get_range (SlIcePorts * self, guint * min, guint * max)
{
  g_return_if_fail (SL_IS_ICE_PORTS (self));

  *min = self->min;
  *max = self->max;
}

static void
expire (SlIcePorts * self, gint64 now_us)
{
  guint i = 0;

  while (i < self->held->len) {
    if (g_array_index (self->held, Held, i).until_us <= now_us)
      g_array_remove_index_fast (self->held, i);
    else
      i++;
  }
}

/**
 * sl_ice_ports_hold:
 * @self: the port memory
 * @port: a local port a call used
 * @until_us: monotonic time until which calls should not bind it
 *
 * Keeps @port out of the ranges sl_ice_ports_choose() gives until
 * @until_us.  Holding a port again keeps the later time.
 */
void
sl_ice_ports_hold (SlIcePorts * self, guint port, gint64 until_us)
{
  Held h = { port, until_us };
  guint i, soonest = 0;

  g_return_if_fail (SL_IS_ICE_PORTS (self));

  if (port < self->min || port > self->max)
    return;
  for (i = 0; i < self->held->len; i++) {
    Held *e = &g_array_index (self->held, Held, i);

    if (e->port == port) {
      e->until_us = MAX (e->until_us, until_us);
      return;
    }
    if (e->until_us < g_array_index (self->held, Held, soonest).until_us)
      soonest = i;
  }
  if (self->held->len < MAX_HELD)
    g_array_append_val (self->held, h);
  else if (until_us > g_array_index (self->held, Held, soonest).until_us)
    g_array_index (self->held, Held, soonest) = h;
}

/**
 * sl_ice_ports_n_held:
 * @self: the port memory
 * @now_us: monotonic time
 *
 * Returns: how many ports are held at @now_us
 */
guint
sl_ice_ports_n_held (SlIcePorts * self, gint64 now_us)
{
  g_return_val_if_fail (SL_IS_ICE_PORTS (self), 0);

  expire (self, now_us);
  return self->held->len;
}

static int
compare_ports (gconstpointer a, gconstpointer b)
{
  guint pa = *(const guint *) a, pb = *(const guint *) b;

  return pa < pb ? -1 : pa > pb;
}

/**
 * sl_ice_ports_choose:
 * @self: the port memory
 * @now_us: monotonic time
 * @min: (out): lowest port for the next call
 * @max: (out): highest port
 *
 * A contiguous range without any held port, for webrtcbin's ICE agent
 * ("min-rtp-port", "max-rtp-port").  libnice starts at a random port of
 * the range and walks up from it while ports are busy, so the range is
 * one of the gaps between held ports, drawn with a chance proportional
 * to its size: the start port is uniform over every port not held.  When
 * every port is held the whole range is given: a call that may meet a
 * 437 beats a call that cannot bind.
 */
void
sl_ice_ports_choose (SlIcePorts * self, gint64 now_us, guint * min, guint * max)
{
  g_autoptr (GArray) ports = NULL;
  guint free_ports = 0, pick, lo, i;

  g_return_if_fail (SL_IS_ICE_PORTS (self));

  *min = self->min;
  *max = self->max;
  expire (self, now_us);
  if (self->held->len == 0)
    return;

  ports = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->held->len + 1);
  for (i = 0; i < self->held->len; i++)
    g_array_append_val (ports, g_array_index (self->held, Held, i).port);
  g_array_sort (ports, compare_ports);
  /* A sentinel past the range closes the last gap. */
  lo = self->max + 1;
  g_array_append_val (ports, lo);

  lo = self->min;
  for (i = 0; i < ports->len; i++) {
    guint p = g_array_index (ports, guint, i);

    free_ports += p - lo;
    lo = p + 1;
  }
  if (free_ports == 0)
    return;

  pick = g_random_int_range (0, free_ports);
  lo = self->min;
  for (i = 0; i < ports->len; i++) {
    guint p = g_array_index (ports, guint, i);

    if (pick < p - lo) {
      *min = lo;
      *max = p - 1;
      return;
    }
    pick -= p - lo;
    lo = p + 1;
  }
  g_assert_not_reached ();
}

static void
sl_ice_ports_finalize (GObject * object)
{
  SlIcePorts *self = SL_ICE_PORTS (object);

  g_array_unref (self->held);

  G_OBJECT_CLASS (sl_ice_ports_parent_class)->finalize (object);
}

static void
sl_ice_ports_class_init (SlIcePortsClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sl_ice_ports_finalize;
}

static void
sl_ice_ports_init (SlIcePorts * self)
{
  self->held = g_array_new (FALSE, FALSE, sizeof (Held));
}
