/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A throwaway operator CA with devices "goggles", "expert" and "third",
 * and a real sightline-server on 127.0.0.1. */
typedef struct
{
  char *dir;
  char *url;
  guint16 port;
  guint ring_timeout_ms;
  char *extra_conf;             /* appended to every server's config */
  GSubprocess *server;
} CallWorld;

/* One real `sightline` process.  Its standard error is collected too:
 * any GLib critical or warning there fails the test (see
 * call_client_wait_exit()). */
typedef struct
{
  char *name;
  GSubprocess *proc;
  GDataInputStream *out;
  GDataInputStream *err;
  GCancellable *cancel;
  GPtrArray *lines;
  GPtrArray *problems;          /* criticals and warnings on stderr */
  GString *err_text;            /* all of stderr */
  char *stats_path;
  gboolean eof;
  gboolean err_eof;
} CallClient;

CallWorld *  call_world_new        (guint ring_timeout_ms);
CallWorld *  call_world_new_full   (guint ring_timeout_ms,
                                    const char *extra_conf);
void         call_world_free       (CallWorld *world);
void         call_world_kill_server (CallWorld *world);
void         call_world_restart_server (CallWorld *world);
char *       call_world_start_extra_server (CallWorld *world,
                                            GSubprocess **out_server);
void         call_world_ca_run     (CallWorld          *world,
                                    const char *const  *args);
char *       call_world_device_arg (CallWorld *world,
                                    const char *device,
                                    const char *what);

CallClient * call_client_spawn     (CallWorld          *world,
                                    const char         *device,
                                    const char *const  *env,
                                    const char *const  *args);
CallClient * call_client_spawn_argv (const char         *name,
                                    const char *const  *env,
                                    const char *const  *argv);
void         call_client_free      (CallClient *client);
gboolean     call_client_wait_line (CallClient *client,
                                    const char *prefix,
                                    int         seconds);
const char * call_client_find_line (CallClient *client,
                                    const char *prefix);
guint        call_client_count_lines (CallClient *client,
                                      const char *prefix);
int          call_client_wait_exit (CallClient *client,
                                    int         seconds);
void         call_client_write     (CallClient *client,
                                    const char *line);
JsonObject * call_client_stats     (CallClient *client);
gint64       call_client_last_stat (CallClient *client,
                                    const char *name);
gboolean     call_client_wait_stat (CallClient *client,
                                    const char *name,
                                    gint64      at_least,
                                    int         seconds);
char *       call_client_stderr    (CallClient *client);
guint        call_harness_ticker   (void);
void         call_harness_known_critical_not_fatal (void);

G_END_DECLS
