/* Sightline call HUD element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-slhud
 * @title: slhud
 *
 * Draws the call's head-up display over video: call state, who is in the
 * call (the peer, or every participant of a group call, with their
 * microphone and camera states), the wearer's own muted microphone or
 * paused camera, a notice such as "TEST CAMERA", the short authentication
 * string (SAS) with each pair's security (secured: amber, with a prompt to
 * compare the SAS aloud; verified: green, with what verified it; failed:
 * red; a red warning when the peer's keys changed since the last verified
 * call), the newest chat lines and the link quality (RTT, loss, bitrate).
 *
 * The panels never cover the middle 50% × 50% of the frame, where the
 * wearer looks, nor the remote videos that slseethrough upstream reports
 * on each buffer (#GstVideoRegionOfInterestMeta "sightline-remote-video"),
 * nor each other.  slhud answers slseethrough's "GstSlHudReserve" query so
 * that the videos leave reserve-lines lines of room at the top and bottom.
 * When room runs out a panel is narrowed, then loses its least important
 * lines, then is left out (security last).  Text is 1/30 of the frame
 * height (times font-scale): 24 px at 1280x720, 36 px at 1920x1080.
 *
 * The HUD is a #GstVideoOverlayComposition, rendered again only when a
 * property, the frame size or the video rectangles change.  It is attached
 * to each buffer as a #GstVideoOverlayCompositionMeta when downstream takes
 * it (caps feature meta:GstVideoOverlayComposition, or the meta listed in
 * the allocation query) and blended into the frame otherwise.
 *
 * Every text property is untrusted input: it is made valid UTF-8, control
 * and bidi-override characters become spaces, and it is truncated.  Text is
 * never parsed as markup.  A participant list that does not check out is
 * refused whole, with a warning message on the bus.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 videotestsrc ! slhud call-state=connected peer-name=Alice peer-role=expert sas="4812 5530 0912" security=verified verified-by=code rtt-ms=42 loss-percent=0.4 bitrate-kbps=1800 chat-line="Alice: check the left valve" ! videoconvert ! autovideosink
 * ]| The HUD over a test picture.
 * |[
 * gst-launch-1.0 videotestsrc ! slhud call-state=connected peer-name=Alice sas="4812 5530 0912" security=secured ! videoconvert ! autovideosink
 * ]| A call that is secured but not verified: the SAS with a prompt to
 * compare it aloud.
 * |[
 * gst-launch-1.0 videotestsrc ! slseethrough mode=optical opacity=0.6 ! slhud call-state=connected peer-name=Alice ! videoconvert ! autovideosink
 * ]| What optical see-through goggles display: remote video and HUD over
 * black.
 * |[
 * gst-launch-1.0 videotestsrc ! slhud call-state=connected mic-muted=true notice="TEST CAMERA (no camera found)" participants="participant, id=alice, name=Alice, role=expert, security=verified, verified-by=code, rtt-ms=40; participant, id=bob, name=Bob, security=secured, sas=(string)\"1234 5678 9012\", camera-paused=true" ! videoconvert ! autovideosink
 * ]| A group call: Alice verified, Bob secured with his own SAS and his
 * camera paused, the wearer's microphone muted, no camera found.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslhud.h"
#include "gstslhudlayout.h"
#include "gstslhudoverlay.h"
#include "gstslregions.h"

#include <gst/video/video.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_sl_hud_debug);
#define GST_CAT_DEFAULT gst_sl_hud_debug

#define HUD_CAPS \
    GST_VIDEO_CAPS_MAKE (GST_VIDEO_OVERLAY_COMPOSITION_BLEND_FORMATS) ";" \
    GST_VIDEO_CAPS_MAKE_WITH_FEATURES (GST_SL_HUD_OVERLAY_FEATURE, \
        GST_VIDEO_FORMATS_ALL)

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (HUD_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (HUD_CAPS));

#define DEFAULT_CHAT_LINES 3
#define DEFAULT_FONT_SCALE 1.0
#define DEFAULT_RESERVE_LINES 3
#define MAX_RESERVE_LINES 8

enum
{
  PROP_0,
  PROP_CALL_STATE,
  PROP_PEER_NAME,
  PROP_PEER_ROLE,
  PROP_SAS,
  PROP_SECURITY,
  PROP_VERIFIED_BY,
  PROP_KEYS_CHANGED,
  PROP_SAS_CONFIRMED,
  PROP_CHAT,
  PROP_CHAT_LINE,
  PROP_CHAT_LINES,
  PROP_RTT_MS,
  PROP_LOSS_PERCENT,
  PROP_BITRATE_KBPS,
  PROP_FONT_SCALE,
  PROP_PEER_MUTED,
  PROP_PEER_CAMERA_PAUSED,
  PROP_MIC_MUTED,
  PROP_CAMERA_PAUSED,
  PROP_NOTICE,
  PROP_PARTICIPANTS,
  PROP_RESERVE_LINES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

struct _GstSlHud
{
  GstBaseTransform parent;

  /* under the object lock; state.chat stays NULL, the lines live in chat */
  GstSlHudState state;
  GPtrArray *chat;
  gboolean dirty;
  guint reserve_lines;
  /* the last reserve answered: (width, height, font scale, lines) -> rows */
  gint reserve_key[2];
  gdouble reserve_key_scale;
  guint reserve_key_lines;
  gint reserve_rows;

  /* streaming thread */
  GstVideoInfo info;
  gboolean caps_attach;
  gboolean check_allocation;
  gboolean attach;
  GstVideoOverlayComposition *composition;
  gint composition_w;
  gint composition_h;
  GstVideoRectangle videos[GST_SL_MAX_REGIONS];
  guint n_videos;
  gboolean security_shown;
};

#define gst_sl_hud_parent_class parent_class
G_DEFINE_TYPE (GstSlHud, gst_sl_hud, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (slhud, "slhud", GST_RANK_NONE, GST_TYPE_SL_HUD);

/* Called with the object lock held. */
static void
append_chat_line_unlocked (GstSlHud * self, const gchar * line)
{
  g_ptr_array_add (self->chat, gst_sl_hud_sanitize (line,
          GST_SL_HUD_MAX_CHAT_CHARS));
  if (self->chat->len > GST_SL_HUD_MAX_CHAT_LINES)
    g_ptr_array_remove_range (self->chat, 0,
        self->chat->len - GST_SL_HUD_MAX_CHAT_LINES);
}

static gboolean
replace_text (gchar ** field, const gchar * value, glong max_chars)
{
  g_autofree gchar *clean = gst_sl_hud_sanitize (value, max_chars);

  if (g_strcmp0 (*field, clean) == 0)
    return FALSE;
  g_free (*field);
  *field = g_steal_pointer (&clean);
  return TRUE;
}

/* Checks and installs a new participant list: a list that does not check
 * out is refused whole with a warning, the old one stays.  Returns whether
 * the shown list changed. */
static gboolean
set_participants (GstSlHud * self, const GstCaps * caps)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstCaps) before = NULL;
  g_autoptr (GstCaps) after = NULL;
  GstSlHudParticipant *list = NULL;
  guint n = 0;

  if (!gst_sl_hud_participants_from_caps (caps, &list, &n, &error)) {
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS,
        ("Participant list refused: %s", error->message),
        ("the previous list stays on the HUD"));
    return FALSE;
  }
  after = gst_sl_hud_participants_to_caps (list, n);
  GST_OBJECT_LOCK (self);
  before = gst_sl_hud_participants_to_caps (self->state.participants,
      self->state.n_participants);
  gst_sl_hud_participants_free (self->state.participants,
      self->state.n_participants);
  self->state.participants = list;
  self->state.n_participants = n;
  GST_OBJECT_UNLOCK (self);
  return !gst_caps_is_strictly_equal (before, after);
}

#define UPDATE(field, v) G_STMT_START { \
    changed = (field) != (v); \
    (field) = (v); \
  } G_STMT_END

static void
gst_sl_hud_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSlHud *self = GST_SL_HUD (object);
  gboolean changed = TRUE;

  if (prop_id == PROP_PARTICIPANTS) {
    if (set_participants (self, gst_value_get_caps (value))) {
      GST_OBJECT_LOCK (self);
      self->dirty = TRUE;
      GST_OBJECT_UNLOCK (self);
      g_object_notify_by_pspec (object, pspec);
    }
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CALL_STATE:
      UPDATE (self->state.call_state,
          (GstSlHudCallState) g_value_get_enum (value));
      break;
    case PROP_PEER_NAME:
      changed = replace_text (&self->state.peer_name,
          g_value_get_string (value), GST_SL_HUD_MAX_NAME_CHARS);
      break;
    case PROP_PEER_ROLE:
      changed = replace_text (&self->state.peer_role,
          g_value_get_string (value), GST_SL_HUD_MAX_ROLE_CHARS);
      break;
    case PROP_SAS:
      changed = replace_text (&self->state.sas, g_value_get_string (value),
          GST_SL_HUD_MAX_SAS_CHARS);
      break;
    case PROP_SECURITY:
      UPDATE (self->state.security,
          (GstSlHudSecurity) g_value_get_enum (value));
      break;
    case PROP_VERIFIED_BY:
      UPDATE (self->state.verified_by,
          (GstSlHudVerifiedBy) g_value_get_enum (value));
      break;
    case PROP_KEYS_CHANGED:
      UPDATE (self->state.keys_changed, g_value_get_boolean (value));
      break;
    case PROP_SAS_CONFIRMED:
      UPDATE (self->state.sas_confirmed, g_value_get_boolean (value));
      break;
    case PROP_CHAT:{
      const gchar *const *lines = g_value_get_boxed (value);

      g_ptr_array_set_size (self->chat, 0);
      for (; lines && *lines; lines++)
        append_chat_line_unlocked (self, *lines);
      break;
    }
    case PROP_CHAT_LINE:
      if (g_value_get_string (value))
        append_chat_line_unlocked (self, g_value_get_string (value));
      else
        changed = FALSE;
      break;
    case PROP_CHAT_LINES:
      UPDATE (self->state.chat_lines, g_value_get_uint (value));
      break;
    case PROP_RTT_MS:
      UPDATE (self->state.rtt_ms, g_value_get_int (value));
      break;
    case PROP_LOSS_PERCENT:
      UPDATE (self->state.loss_percent, g_value_get_double (value));
      break;
    case PROP_BITRATE_KBPS:
      UPDATE (self->state.bitrate_kbps, g_value_get_int (value));
      break;
    case PROP_FONT_SCALE:
      UPDATE (self->state.font_scale, g_value_get_double (value));
      break;
    case PROP_PEER_MUTED:
      UPDATE (self->state.peer_muted, g_value_get_boolean (value));
      break;
    case PROP_PEER_CAMERA_PAUSED:
      UPDATE (self->state.peer_camera_paused, g_value_get_boolean (value));
      break;
    case PROP_MIC_MUTED:
      UPDATE (self->state.mic_muted, g_value_get_boolean (value));
      break;
    case PROP_CAMERA_PAUSED:
      UPDATE (self->state.camera_paused, g_value_get_boolean (value));
      break;
    case PROP_NOTICE:
      changed = replace_text (&self->state.notice, g_value_get_string (value),
          GST_SL_HUD_MAX_NOTICE_CHARS);
      break;
    case PROP_RESERVE_LINES:
      /* asked for by slseethrough before its next frame */
      UPDATE (self->reserve_lines, g_value_get_uint (value));
      break;
    default:
      GST_OBJECT_UNLOCK (self);
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
  }
  self->dirty |= changed;
  GST_OBJECT_UNLOCK (self);

  if (changed) {
    /* a new line changes the chat history, not the write-only property */
    g_object_notify_by_pspec (object,
        prop_id == PROP_CHAT_LINE ? props[PROP_CHAT] : pspec);
  }
}

#undef UPDATE

/* Called with the object lock held. */
static gchar **
chat_to_strv_unlocked (GstSlHud * self)
{
  gchar **strv = g_new0 (gchar *, self->chat->len + 1);
  guint i;

  for (i = 0; i < self->chat->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (self->chat, i));
  return strv;
}

static void
gst_sl_hud_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstSlHud *self = GST_SL_HUD (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CALL_STATE:
      g_value_set_enum (value, self->state.call_state);
      break;
    case PROP_PEER_NAME:
      g_value_set_string (value, self->state.peer_name);
      break;
    case PROP_PEER_ROLE:
      g_value_set_string (value, self->state.peer_role);
      break;
    case PROP_SAS:
      g_value_set_string (value, self->state.sas);
      break;
    case PROP_SECURITY:
      g_value_set_enum (value, self->state.security);
      break;
    case PROP_VERIFIED_BY:
      g_value_set_enum (value, self->state.verified_by);
      break;
    case PROP_KEYS_CHANGED:
      g_value_set_boolean (value, self->state.keys_changed);
      break;
    case PROP_SAS_CONFIRMED:
      g_value_set_boolean (value, self->state.sas_confirmed);
      break;
    case PROP_CHAT:
      g_value_take_boxed (value, chat_to_strv_unlocked (self));
      break;
    case PROP_CHAT_LINES:
      g_value_set_uint (value, self->state.chat_lines);
      break;
    case PROP_RTT_MS:
      g_value_set_int (value, self->state.rtt_ms);
      break;
    case PROP_LOSS_PERCENT:
      g_value_set_double (value, self->state.loss_percent);
      break;
    case PROP_BITRATE_KBPS:
      g_value_set_int (value, self->state.bitrate_kbps);
      break;
    case PROP_FONT_SCALE:
      g_value_set_double (value, self->state.font_scale);
      break;
    case PROP_PEER_MUTED:
      g_value_set_boolean (value, self->state.peer_muted);
      break;
    case PROP_PEER_CAMERA_PAUSED:
      g_value_set_boolean (value, self->state.peer_camera_paused);
      break;
    case PROP_MIC_MUTED:
      g_value_set_boolean (value, self->state.mic_muted);
      break;
    case PROP_CAMERA_PAUSED:
      g_value_set_boolean (value, self->state.camera_paused);
      break;
    case PROP_NOTICE:
      g_value_set_string (value, self->state.notice);
      break;
    case PROP_PARTICIPANTS:
      g_value_take_boxed (value,
          gst_sl_hud_participants_to_caps (self->state.participants,
              self->state.n_participants));
      break;
    case PROP_RESERVE_LINES:
      g_value_set_uint (value, self->reserve_lines);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstCaps *
gst_sl_hud_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstCaps *ret = gst_sl_hud_overlay_transform_caps (direction, caps, filter);

  GST_DEBUG_OBJECT (trans, "%s caps %" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT,
      direction == GST_PAD_SINK ? "sink" : "src", caps, ret);
  return ret;
}

static gboolean
gst_sl_hud_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstSlHud *self = GST_SL_HUD (trans);
  GstCapsFeatures *f;

  if (!gst_video_info_from_caps (&self->info, incaps)) {
    GST_ERROR_OBJECT (self, "invalid caps %" GST_PTR_FORMAT, incaps);
    return FALSE;
  }
  f = gst_caps_get_features (outcaps, 0);
  self->caps_attach = f && gst_caps_features_contains (f,
      GST_SL_HUD_OVERLAY_FEATURE);
  self->check_allocation = TRUE;
  return TRUE;
}

static gboolean
gst_sl_hud_propose_allocation (GstBaseTransform * trans,
    GstQuery * decide_query, GstQuery * query)
{
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
  return GST_BASE_TRANSFORM_CLASS (parent_class)->propose_allocation (trans,
      decide_query, query);
}

/* Takes the remote video rectangles of @buf; returns whether they moved. */
static gboolean
update_videos (GstSlHud * self, GstBuffer * buf)
{
  GstVideoRectangle videos[GST_SL_MAX_REGIONS];
  guint n = gst_sl_regions_get (buf, GST_VIDEO_INFO_WIDTH (&self->info),
      GST_VIDEO_INFO_HEIGHT (&self->info), videos, GST_SL_MAX_REGIONS);

  if (n == self->n_videos &&
      memcmp (videos, self->videos, n * sizeof (GstVideoRectangle)) == 0)
    return FALSE;
  memcpy (self->videos, videos, n * sizeof (GstVideoRectangle));
  self->n_videos = n;
  return TRUE;
}

/* The cached composition, re-rendered if a property, the size or the
 * videos changed.  Returns a new reference or NULL. */
static GstVideoOverlayComposition *
get_composition (GstSlHud * self, GstBuffer * buf)
{
  gint w = GST_VIDEO_INFO_WIDTH (&self->info);
  gint h = GST_VIDEO_INFO_HEIGHT (&self->info);
  gboolean moved = update_videos (self, buf);
  GstSlHudState snapshot;
  gboolean render;
  guint32 shown;

  GST_OBJECT_LOCK (self);
  render = self->dirty || moved || w != self->composition_w ||
      h != self->composition_h;
  if (render) {
    GstSlHudState tmp = self->state;

    tmp.chat = chat_to_strv_unlocked (self);
    gst_sl_hud_state_copy (&snapshot, &tmp);
    g_strfreev (tmp.chat);
    self->dirty = FALSE;
  }
  GST_OBJECT_UNLOCK (self);

  if (render) {
    g_clear_pointer (&self->composition, gst_video_overlay_composition_unref);
    self->composition = gst_sl_hud_layout_render (&snapshot, w, h,
        self->videos, self->n_videos, &shown);
    self->composition_w = w;
    self->composition_h = h;
    gst_sl_hud_state_clear (&snapshot);
    GST_DEBUG_OBJECT (self, "rendered HUD for %dx%d around %u videos: %u "
        "panels", w, h, self->n_videos, self->composition ?
        gst_video_overlay_composition_n_rectangles (self->composition) : 0);
    /* the wearer must always see the security state: say so once when the
     * videos leave no room for it */
    if (self->security_shown && !(shown & (1u << GST_SL_HUD_PANEL_SECURITY)))
      GST_ELEMENT_WARNING (self, STREAM, FAILED,
          ("No room for the security panel"),
          ("the remote videos cover every place for it at %dx%d", w, h));
    self->security_shown = (shown & (1u << GST_SL_HUD_PANEL_SECURITY)) != 0;
  }
  return self->composition ?
      gst_video_overlay_composition_ref (self->composition) : NULL;
}

/* Rows slseethrough upstream keeps free at the top and bottom for a frame
 * of @width × @height; cached, the text has to be measured. */
static gint
reserve_rows (GstSlHud * self, gint width, gint height)
{
  gdouble scale;
  guint lines;
  gint rows;

  GST_OBJECT_LOCK (self);
  scale = self->state.font_scale;
  lines = self->reserve_lines;
  if (self->reserve_key[0] == width && self->reserve_key[1] == height &&
      self->reserve_key_scale == scale && self->reserve_key_lines == lines) {
    rows = self->reserve_rows;
    GST_OBJECT_UNLOCK (self);
    return rows;
  }
  GST_OBJECT_UNLOCK (self);

  rows = gst_sl_hud_reserve_rows (width, height, scale, lines);

  GST_OBJECT_LOCK (self);
  self->reserve_key[0] = width;
  self->reserve_key[1] = height;
  self->reserve_key_scale = scale;
  self->reserve_key_lines = lines;
  self->reserve_rows = rows;
  GST_OBJECT_UNLOCK (self);
  return rows;
}

static gboolean
gst_sl_hud_query (GstBaseTransform * trans, GstPadDirection direction,
    GstQuery * query)
{
  GstSlHud *self = GST_SL_HUD (trans);
  gint width, height, rows;

  if (direction == GST_PAD_SINK &&
      gst_sl_hud_reserve_query_parse_request (query, &width, &height)) {
    rows = reserve_rows (self, width, height);
    gst_sl_hud_reserve_query_set_result (query, rows, rows);
    GST_LOG_OBJECT (self, "reserving %d rows at the top and bottom of %dx%d",
        rows, width, height);
    return TRUE;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->query (trans, direction,
      query);
}

static GstFlowReturn
gst_sl_hud_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstSlHud *self = GST_SL_HUD (trans);
  GstVideoOverlayComposition *comp;
  GstVideoFrame frame;
  gboolean ok;

  if (self->check_allocation) {
    self->attach = self->caps_attach ||
        gst_sl_hud_overlay_downstream_takes_meta (trans->srcpad);
    self->check_allocation = FALSE;
    GST_INFO_OBJECT (self, "HUD is %s", self->attach ?
        "attached as GstVideoOverlayCompositionMeta" : "blended");
  }

  comp = get_composition (self, buf);
  if (!comp)
    return GST_FLOW_OK;

  if (self->attach) {
    gst_sl_hud_overlay_attach (buf, comp);
    gst_video_overlay_composition_unref (comp);
    return GST_FLOW_OK;
  }

  if (!gst_video_frame_map (&frame, &self->info, buf, GST_MAP_READWRITE)) {
    gst_video_overlay_composition_unref (comp);
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL),
        ("could not map the video frame"));
    return GST_FLOW_ERROR;
  }
  ok = gst_video_overlay_composition_blend (comp, &frame);
  gst_video_frame_unmap (&frame);
  gst_video_overlay_composition_unref (comp);
  if (!ok)
    GST_WARNING_OBJECT (self, "cannot blend the HUD into %s frames",
        gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (&self->info)));
  return GST_FLOW_OK;
}

static gboolean
gst_sl_hud_stop (GstBaseTransform * trans)
{
  GstSlHud *self = GST_SL_HUD (trans);

  g_clear_pointer (&self->composition, gst_video_overlay_composition_unref);
  self->composition_w = self->composition_h = 0;
  self->n_videos = 0;
  self->security_shown = TRUE;
  return TRUE;
}

static void
gst_sl_hud_finalize (GObject * object)
{
  GstSlHud *self = GST_SL_HUD (object);

  g_clear_pointer (&self->composition, gst_video_overlay_composition_unref);
  g_ptr_array_unref (self->chat);
  gst_sl_hud_state_clear (&self->state);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_sl_hud_class_init (GstSlHudClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      G_PARAM_EXPLICIT_NOTIFY | GST_PARAM_MUTABLE_PLAYING;

  gobject_class->set_property = gst_sl_hud_set_property;
  gobject_class->get_property = gst_sl_hud_get_property;
  gobject_class->finalize = gst_sl_hud_finalize;

  props[PROP_CALL_STATE] = g_param_spec_enum ("call-state", "Call state",
      "Call state shown top-left", GST_TYPE_SL_HUD_CALL_STATE,
      GST_SL_HUD_CALL_STATE_IDLE, rw);
  props[PROP_PEER_NAME] = g_param_spec_string ("peer-name", "Peer name",
      "Name of the other party (sanitised, at most 64 characters)", NULL, rw);
  props[PROP_PEER_ROLE] = g_param_spec_string ("peer-role", "Peer role",
      "Role of the other party, e.g. expert (at most 32 characters)", NULL, rw);
  props[PROP_SAS] = g_param_spec_string ("sas", "SAS",
      "Short authentication string both parties compare", NULL, rw);
  props[PROP_SECURITY] = g_param_spec_enum ("security", "Security",
      "The call's security: unknown (no keys yet), secured (keys agreed, "
      "peer not authenticated: amber, with a prompt to compare the SAS), "
      "verified (green) or failed (red)", GST_TYPE_SL_HUD_SECURITY,
      GST_SL_HUD_SECURITY_UNKNOWN, rw);
  props[PROP_VERIFIED_BY] = g_param_spec_enum ("verified-by", "Verified by",
      "What authenticated the peer of a verified call",
      GST_TYPE_SL_HUD_VERIFIED_BY, GST_SL_HUD_VERIFIED_BY_NONE, rw);
  props[PROP_KEYS_CHANGED] = g_param_spec_boolean ("keys-changed",
      "Keys changed", "The peer could not prove the key of the last "
      "verified call: a red warning in a secured call", FALSE, rw);
  props[PROP_SAS_CONFIRMED] = g_param_spec_boolean ("sas-confirmed",
      "SAS confirmed", "This side's user confirmed the SAS and waits for "
      "the peer's (secured calls)", FALSE, rw);
  props[PROP_CHAT] = g_param_spec_boxed ("chat", "Chat",
      "Chat history, oldest first (the newest 8 lines are kept)",
      G_TYPE_STRV, rw);
  props[PROP_CHAT_LINE] = g_param_spec_string ("chat-line", "Chat line",
      "Appends one line to the chat history", NULL,
      G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY |
      GST_PARAM_MUTABLE_PLAYING);
  props[PROP_CHAT_LINES] = g_param_spec_uint ("chat-lines", "Chat lines",
      "How many of the newest chat lines to show (0 hides the chat)", 0,
      GST_SL_HUD_MAX_CHAT_LINES, DEFAULT_CHAT_LINES, rw);
  props[PROP_RTT_MS] = g_param_spec_int ("rtt-ms", "RTT",
      "Round-trip time in milliseconds, -1 if unknown", -1, 600000, -1, rw);
  props[PROP_LOSS_PERCENT] = g_param_spec_double ("loss-percent", "Loss",
      "Packet loss in percent, -1 if unknown", -1.0, 100.0, -1.0, rw);
  props[PROP_BITRATE_KBPS] = g_param_spec_int ("bitrate-kbps", "Bitrate",
      "Media bitrate in kbit/s, -1 if unknown", -1, G_MAXINT, -1, rw);
  props[PROP_FONT_SCALE] = g_param_spec_double ("font-scale", "Font scale",
      "Factor on the text height (1/30 of the frame height)", 0.5, 3.0,
      DEFAULT_FONT_SCALE, rw);
  props[PROP_PEER_MUTED] = g_param_spec_boolean ("peer-muted", "Peer muted",
      "Two-party calls: the peer muted the microphone", FALSE, rw);
  props[PROP_PEER_CAMERA_PAUSED] = g_param_spec_boolean
      ("peer-camera-paused", "Peer camera paused",
      "Two-party calls: the peer paused the camera (pause slseethrough's "
      "remote pad too, so that no frozen frame is shown)", FALSE, rw);
  props[PROP_MIC_MUTED] = g_param_spec_boolean ("mic-muted", "Mic muted",
      "The wearer's microphone is muted", FALSE, rw);
  props[PROP_CAMERA_PAUSED] = g_param_spec_boolean ("camera-paused",
      "Camera paused", "The wearer's camera is paused (not sent)", FALSE, rw);
  props[PROP_NOTICE] = g_param_spec_string ("notice", "Notice",
      "A warning shown under the call state, e.g. \"TEST CAMERA (no camera "
      "found)\" (sanitised, at most 96 characters; empty: none)", NULL, rw);
  props[PROP_PARTICIPANTS] = g_param_spec_boxed ("participants",
      "Participants",
      "Group calls: one \"participant\" structure per other participant, "
      "fields id (string, required, unique), name, role, sas (strings), "
      "security (unknown, secured, verified, failed), verified-by (none, "
      "code, sas, continuity), keys-changed, sas-confirmed, muted, "
      "camera-paused (booleans), rtt-ms (int), loss-percent (double), "
      "bitrate-kbps (int); at most 8.  Replaces the peer properties while "
      "not empty; a list with a bad field is refused whole", GST_TYPE_CAPS, rw);
  props[PROP_RESERVE_LINES] = g_param_spec_uint ("reserve-lines",
      "Reserve lines",
      "Lines of text slseethrough upstream keeps free of video at the top "
      "and at the bottom of the frame (0: none)", 0, MAX_RESERVE_LINES,
      DEFAULT_RESERVE_LINES, rw);
  g_object_class_install_properties (gobject_class, N_PROPS, props);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Sightline call HUD",
      "Filter/Editor/Video/Overlay",
      "Draws call state, participants, SAS with each pair's security, mute "
      "states, chat and link quality around the remote videos, never over "
      "them nor the centre of view; attached as "
      "GstVideoOverlayCompositionMeta when downstream supports it, blended "
      "otherwise. Example: gst-launch-1.0 videotestsrc ! slhud "
      "call-state=connected peer-name=Alice security=verified "
      "verified-by=code ! videoconvert ! autovideosink",
      "Sightline <https://sightline.invalid>");

  trans_class->passthrough_on_same_caps = FALSE;
  trans_class->transform_caps = GST_DEBUG_FUNCPTR (gst_sl_hud_transform_caps);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_sl_hud_set_caps);
  trans_class->propose_allocation =
      GST_DEBUG_FUNCPTR (gst_sl_hud_propose_allocation);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_sl_hud_transform_ip);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_sl_hud_stop);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_sl_hud_query);

  GST_DEBUG_CATEGORY_INIT (gst_sl_hud_debug, "slhud", 0, "Sightline call HUD");
  gst_type_mark_as_plugin_api (GST_TYPE_SL_HUD_CALL_STATE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SL_HUD_SECURITY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SL_HUD_VERIFIED_BY, 0);
}

static void
gst_sl_hud_init (GstSlHud * self)
{
  self->chat = g_ptr_array_new_with_free_func (g_free);
  self->state.call_state = GST_SL_HUD_CALL_STATE_IDLE;
  self->state.chat_lines = DEFAULT_CHAT_LINES;
  self->state.rtt_ms = -1;
  self->state.loss_percent = -1.0;
  self->state.bitrate_kbps = -1;
  self->state.font_scale = DEFAULT_FONT_SCALE;
  self->reserve_lines = DEFAULT_RESERVE_LINES;
  self->reserve_key[0] = -1;
  self->security_shown = TRUE;
  self->dirty = TRUE;
  gst_video_info_init (&self->info);
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}
