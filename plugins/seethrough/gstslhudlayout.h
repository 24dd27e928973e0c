/* Sightline call HUD: layout and rendering
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstSlHudCallState:
 *
 * The call state shown in the HUD's top-left panel.
 */
typedef enum
{
  GST_SL_HUD_CALL_STATE_IDLE,
  GST_SL_HUD_CALL_STATE_CALLING,
  GST_SL_HUD_CALL_STATE_RINGING,
  GST_SL_HUD_CALL_STATE_CONNECTING,
  GST_SL_HUD_CALL_STATE_CONNECTED,
  GST_SL_HUD_CALL_STATE_ON_HOLD,
  GST_SL_HUD_CALL_STATE_RECONNECTING,
  GST_SL_HUD_CALL_STATE_ENDED,
  GST_SL_HUD_CALL_STATE_FAILED,
} GstSlHudCallState;

/* How many chat lines the HUD keeps and can show at most. */
#define GST_SL_HUD_MAX_CHAT_LINES 8

/**
 * GstSlHudState:
 * @call_state: call state
 * @peer_name: (nullable): sanitised peer name
 * @peer_role: (nullable): sanitised peer role
 * @sas: (nullable): sanitised short authentication string
 * @verified: whether the SAS was confirmed
 * @chat: (array zero-terminated=1): sanitised chat lines, oldest first
 * @chat_lines: how many of the newest chat lines to show
 * @rtt_ms: round-trip time, negative if unknown
 * @loss_percent: packet loss, negative if unknown
 * @bitrate_kbps: bitrate, negative if unknown
 * @font_scale: factor on the default text size
 *
 * A snapshot of the HUD element's properties, owned by whoever holds it.
 */
typedef struct
{
  GstSlHudCallState  call_state;
  gchar             *peer_name;
  gchar             *peer_role;
  gchar             *sas;
  gboolean           verified;
  gchar            **chat;
  guint              chat_lines;
  gint               rtt_ms;
  gdouble            loss_percent;
  gint               bitrate_kbps;
  gdouble            font_scale;
} GstSlHudState;

void                        gst_sl_hud_state_copy    (GstSlHudState       *dest,
                                                      const GstSlHudState *src);

void                        gst_sl_hud_state_clear   (GstSlHudState       *state);

gchar                      *gst_sl_hud_sanitize      (const gchar         *text,
                                                      glong                max_chars);

gint                        gst_sl_hud_font_px       (gint                 width,
                                                      gint                 height,
                                                      gdouble              font_scale);

void                        gst_sl_hud_keepout       (gint                 width,
                                                      gint                 height,
                                                      GstVideoRectangle   *rect);

GstVideoOverlayComposition *gst_sl_hud_layout_render (const GstSlHudState *state,
                                                      gint                 width,
                                                      gint                 height);

G_END_DECLS
