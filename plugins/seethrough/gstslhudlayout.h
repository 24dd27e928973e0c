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

/**
 * GstSlHudSecurity:
 * @GST_SL_HUD_SECURITY_UNKNOWN: no end-to-end keys yet
 * @GST_SL_HUD_SECURITY_SECURED: keys agreed and media bound to them, but
 *   the peer is not authenticated: compare the SAS aloud
 * @GST_SL_HUD_SECURITY_VERIFIED: the peer is authenticated
 * @GST_SL_HUD_SECURITY_FAILED: wrong code or interception detected
 *
 * What the top-right panel says about the call's security.
 */
typedef enum
{
  GST_SL_HUD_SECURITY_UNKNOWN,
  GST_SL_HUD_SECURITY_SECURED,
  GST_SL_HUD_SECURITY_VERIFIED,
  GST_SL_HUD_SECURITY_FAILED,
} GstSlHudSecurity;

/**
 * GstSlHudVerifiedBy:
 * @GST_SL_HUD_VERIFIED_BY_NONE: not said
 * @GST_SL_HUD_VERIFIED_BY_CODE: the security code
 * @GST_SL_HUD_VERIFIED_BY_SAS: both users confirmed the SAS
 * @GST_SL_HUD_VERIFIED_BY_CONTINUITY: the key of an earlier verified call
 */
typedef enum
{
  GST_SL_HUD_VERIFIED_BY_NONE,
  GST_SL_HUD_VERIFIED_BY_CODE,
  GST_SL_HUD_VERIFIED_BY_SAS,
  GST_SL_HUD_VERIFIED_BY_CONTINUITY,
} GstSlHudVerifiedBy;

/* How many chat lines the HUD keeps and can show at most. */
#define GST_SL_HUD_MAX_CHAT_LINES 8

/**
 * GstSlHudState:
 * @call_state: call state
 * @peer_name: (nullable): sanitised peer name
 * @peer_role: (nullable): sanitised peer role
 * @sas: (nullable): sanitised short authentication string
 * @security: unknown, secured, verified or failed
 * @verified_by: what verified the peer (with @security verified)
 * @keys_changed: the peer's keys changed since the last verified call
 * @sas_confirmed: this side's user confirmed the SAS; the peer's has not
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
  GstSlHudSecurity   security;
  GstSlHudVerifiedBy verified_by;
  gboolean           keys_changed;
  gboolean           sas_confirmed;
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
