/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "sightline/sl-goggles-options.h"
#include "sightline/sl-media-options.h"

G_BEGIN_DECLS

typedef enum
{
  SIGHTLINE_LIST,
  SIGHTLINE_CALL,
  SIGHTLINE_WAIT,
  SIGHTLINE_FORGET,
  SIGHTLINE_DEVICES,
} SightlineMode;

/**
 * SightlineOptions:
 *
 * What the command line asked for, checked.  Plain data.
 */
typedef struct
{
  SightlineMode mode;
  char *peer;
  char *code;
  char **servers;               /* tried in order */
  char *cert;
  char *key;
  char *ca;
  gboolean auto_answer;
  gboolean auto_reject;
  gboolean once;                /* wait: one call, then exit */
  gboolean confirm_sas;
  int duration;
  int connect_timeout;
  char *stats_path;
  char *log_file;               /* standard error goes there */
  gboolean version;             /* --version: print it, nothing else */
  char **chat;
  SlMediaOptions *media;
  SlGogglesOptions *goggles;    /* with --display goggles[-png:PATH] */
} SightlineOptions;

SightlineOptions * sightline_options_parse (int    *argc,
                                            char ***argv);

void               sightline_options_free  (SightlineOptions *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SightlineOptions, sightline_options_free)

G_END_DECLS
