/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Private to the files of the `sightline` command (sightline*.c). */

#pragma once

#include <gio/gio.h>

#include "sightline/sl-call.h"
#include "sl-continuity-store.h"
#include "sl-device-identity.h"
#include "sightline/sl-goggles-view.h"
#include "sightline/sl-signal-client.h"

G_BEGIN_DECLS

typedef enum
{
  MODE_LIST,
  MODE_CALL,
  MODE_WAIT,
  MODE_FORGET,
} Mode;

typedef struct
{
  GMainLoop *loop;
  Mode mode;
  char *peer;
  char *code;
  char *server;
  char *cert;
  char *key;
  char *ca;
  gboolean auto_answer;
  gboolean auto_reject;
  gboolean confirm_sas;
  int duration;
  int connect_timeout;
  char *stats_path;
  char **chat;
  SlMediaOptions *opts;
  SlGogglesOptions *goggles;    /* with --display goggles[-png:PATH] */
  SlGogglesView *view;
  SlDeviceIdentity *identity;
  SlContinuityStore *store;

  SlSignalClient *signal;
  SlCall *call;
  GCancellable *cancellable;
  GDataInputStream *input;
  guint duration_source;
  guint stats_source;
  guint connect_source;
  int exit_status;
  gboolean quitting;
  gboolean dtls_ready;
  gboolean asking_sas;          /* --confirm-sas: the next y/n answers */
  gint64 first_frame_us;
  guint chat_sent;
  guint chat_acked;
  guint chat_received;
  GHashTable *wiped;            /* test hook: label -> "zero"/"nonzero" */
  GMutex wiped_lock;
} App;

void     out                (const char *format,
                             ...) G_GNUC_PRINTF (1, 2);
void     app_quit           (App        *app,
                             int         status);

/* sightline-options.c */
gboolean app_parse_options  (App        *app,
                             int        *argc,
                             char     ***argv);

/* sightline-input.c */
void     app_read_input     (App        *app);
void     app_send_chat      (App        *app,
                             const char *text);
void     app_ask_sas        (App        *app);
void     app_answer_sas     (App        *app,
                             gboolean    match);

G_END_DECLS
