/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the files of SlGogglesView (sl-goggles-*.c). */

#pragma once

#include "sl-goggles-view.h"

G_BEGIN_DECLS

#define SL_GOGGLES_CHAT_KEEP 8

struct _SlGogglesView
{
  GObject parent_instance;

  SlDisplayMode display;
  char *png_path;
  guint width;
  guint height;

  /* See-through settings and HUD state: kept here and applied to every
   * bin the view makes, so that a call's pipeline starts with what the
   * call has shown so far. */
  double opacity;
  char *placement;
  double scale;
  SlSeeThroughMode mode;
  char *call_state;
  char *peer_name;
  char *peer_role;
  char *sas;
  const char *security;         /* slhud's nicks: unknown, secured, ... */
  const char *verified_by;      /* none, code, sas, continuity */
  gboolean keys_changed;
  gboolean sas_confirmed;
  GPtrArray *chat;
  int rtt_ms;
  double loss_percent;
  int bitrate_kbps;

  /* The bin in the current call's pipeline (main thread). */
  GstElement *bin;
  GstElement *seethrough;
  GstElement *hud;
  GstElement *sink;
  GMainContext *context;

  /* X11 fullscreen window (Display *, Window), or NULL/0. */
  gpointer x_display;
  gulong x_window;

  /* goggles-png: periodic snapshots, encoded off the main thread. */
  guint snapshot_timer;
  gboolean snapshot_busy;
  guint snapshots;
  guint64 snapshot_seq;
  GMutex write_lock;
  guint64 written_seq;

  /* The call feeding the HUD. */
  SlCall *call;
  SlSignalClient *signal;
  guint stats_timer;
  guint64 last_lost;
  guint64 last_received;
};

typedef enum
{
  SL_GOGGLES_SIGNAL_NOTICE,
  SL_GOGGLES_SIGNAL_SAS_ANSWER,
  SL_GOGGLES_N_SIGNALS
} SlGogglesSignal;

void     sl_goggles_view_notice       (SlGogglesView *self,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (2, 3);

/* sl-goggles-output.c */
gboolean sl_goggles_output_open       (SlGogglesView *self,
                                       GError       **error);
void     sl_goggles_output_close      (SlGogglesView *self);
void     sl_goggles_output_apply_hud  (SlGogglesView *self);
void     sl_goggles_output_apply_view (SlGogglesView *self);

G_END_DECLS
