/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The wearer's call keys in the goggles window: answering and hanging up
 * need no full keyboard, only a small Bluetooth keyboard or a headset's
 * media buttons (X11's XF86 keysyms).  Each key stands for a standard
 * input command, so a key and a typed line do exactly the same thing;
 * docs/GOGGLES.md lists them next to the view keys.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-goggles-keys.h"

typedef struct
{
  const char *key;              /* X keysym name, as GstNavigation gives it */
  const char *command;          /* the standard input command it stands for */
} SlGogglesKey;

static const SlGogglesKey call_keys[] = {
  {"a", "/accept"},
  {"Return", "/accept"},
  {"KP_Enter", "/accept"},
  {"XF86AudioPlay", "/accept"},
  {"XF86PickupPhone", "/accept"},
  {"r", "/reject"},
  {"Escape", "/reject"},
  {"h", "/hangup"},
  {"XF86AudioStop", "/hangup"},
  {"XF86AudioPause", "/hangup"},
  {"XF86HangupPhone", "/hangup"},
  {"m", "/mute toggle"},
  {"XF86AudioMicMute", "/mute toggle"},
  {"XF86AudioMute", "/mute toggle"},
  {"c", "/camera toggle"},
  {"XF86WebCam", "/camera toggle"},
};

/**
 * sl_goggles_key_command:
 * @key: an X key name from a GstNavigation key-press event
 *
 * Returns: (nullable): the standard input command @key stands for, or
 *   %NULL when @key is no call key
 */
const char *
sl_goggles_key_command (const char *key)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (call_keys); i++) {
    if (g_str_equal (call_keys[i].key, key))
      return call_keys[i].command;
  }
  return NULL;
}
