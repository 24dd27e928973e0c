/* Sightline call HUD: what it shows
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

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

#define GST_TYPE_SL_HUD_CALL_STATE (gst_sl_hud_call_state_get_type ())
GType gst_sl_hud_call_state_get_type (void);

/**
 * GstSlHudSecurity:
 * @GST_SL_HUD_SECURITY_UNKNOWN: no end-to-end keys yet
 * @GST_SL_HUD_SECURITY_SECURED: keys agreed and media bound to them, but
 *   the peer is not authenticated: compare the SAS aloud
 * @GST_SL_HUD_SECURITY_VERIFIED: the peer is authenticated
 * @GST_SL_HUD_SECURITY_FAILED: wrong code or interception detected
 *
 * What the HUD says about a pair's security.
 */
typedef enum
{
  GST_SL_HUD_SECURITY_UNKNOWN,
  GST_SL_HUD_SECURITY_SECURED,
  GST_SL_HUD_SECURITY_VERIFIED,
  GST_SL_HUD_SECURITY_FAILED,
} GstSlHudSecurity;

#define GST_TYPE_SL_HUD_SECURITY (gst_sl_hud_security_get_type ())
GType gst_sl_hud_security_get_type (void);

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

#define GST_TYPE_SL_HUD_VERIFIED_BY (gst_sl_hud_verified_by_get_type ())
GType gst_sl_hud_verified_by_get_type (void);

/* How many chat lines the HUD keeps and can show at most. */
#define GST_SL_HUD_MAX_CHAT_LINES 8

/* How many participants the HUD lists at most (a call's hard maximum is
 * 8 devices: the wearer and 7 others). */
#define GST_SL_HUD_MAX_PARTICIPANTS 8

/* Longest texts, in characters, before the ellipsis. */
#define GST_SL_HUD_MAX_ID_CHARS 64
#define GST_SL_HUD_MAX_NAME_CHARS 64
#define GST_SL_HUD_MAX_ROLE_CHARS 32
#define GST_SL_HUD_MAX_SAS_CHARS 32
#define GST_SL_HUD_MAX_CHAT_CHARS 160
#define GST_SL_HUD_MAX_NOTICE_CHARS 96

/**
 * GstSlHudParticipant:
 * @id: sanitised identifier (unique in a list)
 * @name: (nullable): sanitised display name
 * @role: (nullable): sanitised role
 * @sas: (nullable): sanitised SAS of this pair
 * @security: this pair's security
 * @verified_by: what verified this pair
 * @keys_changed: this peer's keys changed since the last verified call
 * @sas_confirmed: this side's user confirmed this pair's SAS
 * @muted: the participant muted the microphone
 * @camera_paused: the participant paused the camera
 * @rtt_ms: round-trip time, negative if unknown
 * @loss_percent: packet loss, negative if unknown
 * @bitrate_kbps: bitrate, negative if unknown
 *
 * One other participant of a group call.
 */
typedef struct
{
  gchar             *id;
  gchar             *name;
  gchar             *role;
  gchar             *sas;
  GstSlHudSecurity   security;
  GstSlHudVerifiedBy verified_by;
  gboolean           keys_changed;
  gboolean           sas_confirmed;
  gboolean           muted;
  gboolean           camera_paused;
  gint               rtt_ms;
  gdouble            loss_percent;
  gint               bitrate_kbps;
} GstSlHudParticipant;

/**
 * GstSlHudState:
 * @call_state: call state
 * @peer_name: (nullable): sanitised peer name (two-party calls)
 * @peer_role: (nullable): sanitised peer role
 * @sas: (nullable): sanitised short authentication string
 * @security: unknown, secured, verified or failed
 * @verified_by: what verified the peer (with @security verified)
 * @keys_changed: the peer's keys changed since the last verified call
 * @sas_confirmed: this side's user confirmed the SAS; the peer's has not
 * @peer_muted: the peer muted the microphone
 * @peer_camera_paused: the peer paused the camera
 * @mic_muted: the wearer's microphone is muted
 * @camera_paused: the wearer's camera is paused
 * @notice: (nullable): a warning line such as "TEST CAMERA (no camera
 *     found)", sanitised
 * @participants: (array length=n_participants): the others of a group call;
 *     when there are any they replace the peer fields above
 * @n_participants: how many
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
  GstSlHudCallState    call_state;
  gchar               *peer_name;
  gchar               *peer_role;
  gchar               *sas;
  GstSlHudSecurity     security;
  GstSlHudVerifiedBy   verified_by;
  gboolean             keys_changed;
  gboolean             sas_confirmed;
  gboolean             peer_muted;
  gboolean             peer_camera_paused;
  gboolean             mic_muted;
  gboolean             camera_paused;
  gchar               *notice;
  GstSlHudParticipant *participants;
  guint                n_participants;
  gchar              **chat;
  guint                chat_lines;
  gint                 rtt_ms;
  gdouble              loss_percent;
  gint                 bitrate_kbps;
  gdouble              font_scale;
} GstSlHudState;

/**
 * GstSlHudParticipantsError:
 * @GST_SL_HUD_PARTICIPANTS_ERROR_INVALID: a structure, field or value is not
 *     one the HUD knows
 * @GST_SL_HUD_PARTICIPANTS_ERROR_DUPLICATE: two participants share an id
 * @GST_SL_HUD_PARTICIPANTS_ERROR_TOO_MANY: more than
 *     %GST_SL_HUD_MAX_PARTICIPANTS
 */
typedef enum
{
  GST_SL_HUD_PARTICIPANTS_ERROR_INVALID,
  GST_SL_HUD_PARTICIPANTS_ERROR_DUPLICATE,
  GST_SL_HUD_PARTICIPANTS_ERROR_TOO_MANY,
} GstSlHudParticipantsError;

#define GST_SL_HUD_PARTICIPANTS_ERROR (gst_sl_hud_participants_error_quark ())
GQuark gst_sl_hud_participants_error_quark (void);

gchar    *gst_sl_hud_sanitize                (const gchar           *text,
                                              glong                  max_chars);

void      gst_sl_hud_state_copy              (GstSlHudState         *dest,
                                              const GstSlHudState   *src);

void      gst_sl_hud_state_clear             (GstSlHudState         *state);

void      gst_sl_hud_participants_free       (GstSlHudParticipant   *participants,
                                              guint                  n);

gboolean  gst_sl_hud_participants_from_caps  (const GstCaps         *caps,
                                              GstSlHudParticipant  **participants,
                                              guint                 *n,
                                              GError               **error);

GstCaps  *gst_sl_hud_participants_to_caps    (const GstSlHudParticipant *participants,
                                              guint                  n);

G_END_DECLS
