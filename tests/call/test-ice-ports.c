/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The port memory that keeps a call off the local ports of the calls just
 * before it (src/client/sl-ice-ports.c): the ranges it gives leave out
 * every held port, cover every other one, expire on time and stay bounded.
 */

#include "config.h"

#include <stdio.h>

#include "sightline/sl-ice-ports.h"

#define S G_USEC_PER_SEC

static gboolean
range_has (guint min, guint max, guint port)
{
  return port >= min && port <= max;
}

static void
test_nothing_held (void)
{
  g_autoptr (SlIcePorts) ports = sl_ice_ports_new (40000, 40999);
  guint min, max;

  sl_ice_ports_choose (ports, 0, &min, &max);
  g_assert_cmpuint (min, ==, 40000);
  g_assert_cmpuint (max, ==, 40999);
  g_assert_cmpuint (sl_ice_ports_n_held (ports, 0), ==, 0);
}

/* Over many draws no range holds a held port, and both gaps are given,
 * each about as often as its share of the free ports (3 of 9 here). */
static void
test_held_port_left_out (void)
{
  g_autoptr (SlIcePorts) ports = sl_ice_ports_new (1000, 1009);
  guint low = 0, high = 0, i;

  sl_ice_ports_hold (ports, 1003, 10 * S);
  for (i = 0; i < 3000; i++) {
    guint min, max;

    sl_ice_ports_choose (ports, 0, &min, &max);
    g_assert_false (range_has (min, max, 1003));
    g_assert_cmpuint (min, <=, max);
    if (min == 1000 && max == 1002)
      low++;
    else if (min == 1004 && max == 1009)
      high++;
    else
      g_assert_not_reached ();
  }
  g_assert_cmpuint (low, >, 750);
  g_assert_cmpuint (low, <, 1250);
  g_assert_cmpuint (low + high, ==, 3000);
}

static void
test_ports_at_the_edges (void)
{
  g_autoptr (SlIcePorts) ports = sl_ice_ports_new (2000, 2005);
  guint i;

  sl_ice_ports_hold (ports, 2000, 10 * S);
  sl_ice_ports_hold (ports, 2005, 10 * S);
  sl_ice_ports_hold (ports, 2002, 10 * S);
  for (i = 0; i < 200; i++) {
    guint min, max;

    sl_ice_ports_choose (ports, 0, &min, &max);
    g_assert_true ((min == 2001 && max == 2001) || (min == 2003
            && max == 2004));
  }
}

static void
test_expiry (void)
{
  g_autoptr (SlIcePorts) ports = sl_ice_ports_new (3000, 3999);
  guint min, max;

  sl_ice_ports_hold (ports, 3500, 10 * S);
  /* Holding again keeps the later time, never an earlier one. */
  sl_ice_ports_hold (ports, 3500, 5 * S);
  g_assert_cmpuint (sl_ice_ports_n_held (ports, 9 * S), ==, 1);
  sl_ice_ports_hold (ports, 3500, 20 * S);
  g_assert_cmpuint (sl_ice_ports_n_held (ports, 19 * S), ==, 1);
  sl_ice_ports_choose (ports, 20 * S, &min, &max);
  g_assert_cmpuint (min, ==, 3000);
  g_assert_cmpuint (max, ==, 3999);
  g_assert_cmpuint (sl_ice_ports_n_held (ports, 20 * S), ==, 0);
}

static void
test_outside_range_ignored (void)
{
  g_autoptr (SlIcePorts) ports = sl_ice_ports_new (3000, 3999);

  sl_ice_ports_hold (ports, 2999, 10 * S);
  sl_ice_ports_hold (ports, 4000, 10 * S);
  g_assert_cmpuint (sl_ice_ports_n_held (ports, 0), ==, 0);
}

/* A bounded memory: past its size the holds that end first go. */
static void
test_bounded (void)
{
  g_autoptr (SlIcePorts) ports = sl_ice_ports_new (10000, 19999);
  guint i, n;

  for (i = 1; i <= 40; i++)
    sl_ice_ports_hold (ports, 10000 + 100 * i, i * S);
  n = sl_ice_ports_n_held (ports, 0);
  g_assert_cmpuint (n, >=, 16);
  g_assert_cmpuint (n, <, 40);
  /* A hold shorter than every kept one is not taken in. */
  sl_ice_ports_hold (ports, 10050, 1);
  g_assert_cmpuint (sl_ice_ports_n_held (ports, 0), ==, n);
  /* The longest holds are the ones kept. */
  g_assert_cmpuint (sl_ice_ports_n_held (ports, 39 * S), ==, 1);
}

/* With every port held the whole range is given: a call must bind. */
static void
test_all_held (void)
{
  g_autoptr (SlIcePorts) ports = sl_ice_ports_new (100, 102);
  guint min, max;

  sl_ice_ports_hold (ports, 100, 10 * S);
  sl_ice_ports_hold (ports, 101, 10 * S);
  sl_ice_ports_hold (ports, 102, 10 * S);
  sl_ice_ports_choose (ports, 0, &min, &max);
  g_assert_cmpuint (min, ==, 100);
  g_assert_cmpuint (max, ==, 102);
}

static void
test_default_range (void)
{
  g_autoptr (SlIcePorts) ports = sl_ice_ports_new_default ();
  g_autofree char *text = NULL;
  guint min, max, kmin, kmax;

  sl_ice_ports_get_range (ports, &min, &max);
  g_assert_cmpuint (min, >=, 1024);
  g_assert_cmpuint (min, <=, max);
  g_assert_cmpuint (max, <=, 65535);
  if (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &text,
          NULL, NULL) && sscanf (text, "%u %u", &kmin, &kmax) == 2) {
    g_assert_cmpuint (min, ==, kmin);
    g_assert_cmpuint (max, ==, kmax);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_random_set_seed (42);

  g_test_add_func ("/ice-ports/nothing-held", test_nothing_held);
  g_test_add_func ("/ice-ports/held-port-left-out", test_held_port_left_out);
  g_test_add_func ("/ice-ports/edges", test_ports_at_the_edges);
  g_test_add_func ("/ice-ports/expiry", test_expiry);
  g_test_add_func ("/ice-ports/outside-range", test_outside_range_ignored);
  g_test_add_func ("/ice-ports/bounded", test_bounded);
  g_test_add_func ("/ice-ports/all-held", test_all_held);
  g_test_add_func ("/ice-ports/default-range", test_default_range);
  return g_test_run ();
}
