/* Sightline call HUD element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-slhud
 * @title: slhud
 *
 * Draws the call's head-up display over video: call state, peer name and
 * role, the short authentication string (SAS) with the call's security
 * (secured: amber, with a prompt to compare the SAS aloud; verified:
 * green, with what verified it; failed: red; a red warning when the
 * peer's keys changed since the last verified call), the newest chat
 * lines and the link quality (RTT, loss, bitrate).
 *
 * The panels sit in the four corners and never inside the middle 50% × 50%
 * of the frame, where the wearer looks.  Text is 1/30 of the frame height
 * (times font-scale): 24 px at 1280x720, 36 px at 1920x1080.
 *
 * The HUD is a #GstVideoOverlayComposition, rendered again only when a
 * property or the frame size changes.  It is attached to each buffer as a
 * #GstVideoOverlayCompositionMeta when downstream takes it (caps feature
 * meta:GstVideoOverlayComposition, or the meta listed in the allocation
 * query) and blended into the frame otherwise.
 *
 * Every text property is untrusted input: it is made valid UTF-8, control
 * and bidi-override characters become spaces, and it is truncated.  Text is
 * never parsed as markup.
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
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslhud.h"
#include "gstslhudlayout.h"

#include <gst/video/video.h>

GST_DEBUG_CATEGORY_STATIC (gst_sl_hud_debug);
#define GST_CAT_DEFAULT gst_sl_hud_debug

#define OVERLAY_FEATURE GST_CAPS_FEATURE_META_GST_VIDEO_OVERLAY_COMPOSITION
#define HUD_CAPS \
    GST_VIDEO_CAPS_MAKE (GST_VIDEO_OVERLAY_COMPOSITION_BLEND_FORMATS) ";" \
    GST_VIDEO_CAPS_MAKE_WITH_FEATURES (OVERLAY_FEATURE, GST_VIDEO_FORMATS_ALL)

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (HUD_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (HUD_CAPS));

#define MAX_NAME_CHARS 64
#define MAX_ROLE_CHARS 32
#define MAX_SAS_CHARS 32
#define MAX_CHAT_CHARS 160
#define DEFAULT_CHAT_LINES 3
#define DEFAULT_FONT_SCALE 1.0

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

  /* streaming thread */
  GstVideoInfo info;
  gboolean caps_attach;
  gboolean check_allocation;
  gboolean attach;
  GstVideoOverlayComposition *composition;
  gint composition_w;
  gint composition_h;
};

#define gst_sl_hud_parent_class parent_class
G_DEFINE_TYPE (GstSlHud, gst_sl_hud, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (slhud, "slhud", GST_RANK_NONE, GST_TYPE_SL_HUD);

GType
gst_sl_hud_call_state_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_HUD_CALL_STATE_IDLE, "No call", "idle"},
    {GST_SL_HUD_CALL_STATE_CALLING, "Calling the peer", "calling"},
    {GST_SL_HUD_CALL_STATE_RINGING, "Incoming call", "ringing"},
    {GST_SL_HUD_CALL_STATE_CONNECTING, "Setting up media", "connecting"},
    {GST_SL_HUD_CALL_STATE_CONNECTED, "In a call", "connected"},
    {GST_SL_HUD_CALL_STATE_ON_HOLD, "On hold", "on-hold"},
    {GST_SL_HUD_CALL_STATE_RECONNECTING, "Media lost, reconnecting",
        "reconnecting"},
    {GST_SL_HUD_CALL_STATE_ENDED, "Call ended", "ended"},
    {GST_SL_HUD_CALL_STATE_FAILED, "Call failed", "failed"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlHudCallState", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_sl_hud_security_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_HUD_SECURITY_UNKNOWN, "No end-to-end keys yet", "unknown"},
    {GST_SL_HUD_SECURITY_SECURED, "Keys agreed, peer not authenticated: "
          "compare the SAS", "secured"},
    {GST_SL_HUD_SECURITY_VERIFIED, "Peer authenticated", "verified"},
    {GST_SL_HUD_SECURITY_FAILED, "Wrong code or interception detected",
        "failed"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlHudSecurity", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_sl_hud_verified_by_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_HUD_VERIFIED_BY_NONE, "Not said", "none"},
    {GST_SL_HUD_VERIFIED_BY_CODE, "The security code", "code"},
    {GST_SL_HUD_VERIFIED_BY_SAS, "Both users confirmed the SAS", "sas"},
    {GST_SL_HUD_VERIFIED_BY_CONTINUITY, "The key of an earlier verified call",
        "continuity"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlHudVerifiedBy", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* Called with the object lock held. */
static void
append_chat_line_unlocked (GstSlHud * self, const gchar * line)
{
  g_ptr_array_add (self->chat, gst_sl_hud_sanitize (line, MAX_CHAT_CHARS));
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

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CALL_STATE:
      UPDATE (self->state.call_state,
          (GstSlHudCallState) g_value_get_enum (value));
      break;
    case PROP_PEER_NAME:
      changed = replace_text (&self->state.peer_name,
          g_value_get_string (value), MAX_NAME_CHARS);
      break;
    case PROP_PEER_ROLE:
      changed = replace_text (&self->state.peer_role,
          g_value_get_string (value), MAX_ROLE_CHARS);
      break;
    case PROP_SAS:
      changed = replace_text (&self->state.sas, g_value_get_string (value),
          MAX_SAS_CHARS);
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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* Sink caps map to the same caps on the source side, plain first (blending
 * always works) then with the overlay feature added (attaching, for
 * downstream elements that only take that); source caps with the feature
 * map back to caps with and without it. */
static GstCaps *
gst_sl_hud_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstCaps *ret = gst_caps_new_empty ();
  guint i, n = gst_caps_get_size (caps);

  for (i = 0; i < n; i++) {
    GstStructure *s = gst_caps_get_structure (caps, i);
    GstCapsFeatures *f = gst_caps_get_features (caps, i);
    gboolean has_overlay = f && gst_caps_features_contains (f,
        OVERLAY_FEATURE);
    GstCapsFeatures *other = NULL;

    ret = gst_caps_merge_structure_full (ret, gst_structure_copy (s),
        f ? gst_caps_features_copy (f) : NULL);
    if (f && gst_caps_features_is_any (f))
      continue;

    if (direction == GST_PAD_SINK && !has_overlay) {
      if (!f || gst_caps_features_is_equal (f,
              GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))
        other = gst_caps_features_new (OVERLAY_FEATURE, NULL);
      else {
        other = gst_caps_features_copy (f);
        gst_caps_features_add (other, OVERLAY_FEATURE);
      }
    } else if (direction == GST_PAD_SRC && has_overlay) {
      other = gst_caps_features_copy (f);
      gst_caps_features_remove (other, OVERLAY_FEATURE);
      if (gst_caps_features_get_size (other) == 0) {
        gst_caps_features_free (other);
        other = gst_caps_features_copy (GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY);
      }
    }
    if (other)
      ret = gst_caps_merge_structure_full (ret, gst_structure_copy (s), other);
  }

  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, ret,
        GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (ret);
    ret = tmp;
  }
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
  self->caps_attach = f && gst_caps_features_contains (f, OVERLAY_FEATURE);
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

/* In-place transforms are never given a downstream allocation query by the
 * base class, so ask downstream ourselves whether it renders the meta. */
static gboolean
downstream_takes_meta (GstSlHud * self)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (trans->srcpad);
  g_autoptr (GstQuery) query = NULL;

  if (!caps)
    return FALSE;
  query = gst_query_new_allocation (caps, FALSE);
  if (!gst_pad_peer_query (trans->srcpad, query))
    return FALSE;
  return gst_query_find_allocation_meta (query,
      GST_VIDEO_OVERLAY_COMPOSITION_META_API_TYPE, NULL);
}

/* The cached composition, re-rendered if a property or the size changed.
 * Returns a new reference or NULL. */
static GstVideoOverlayComposition *
get_composition (GstSlHud * self)
{
  gint w = GST_VIDEO_INFO_WIDTH (&self->info);
  gint h = GST_VIDEO_INFO_HEIGHT (&self->info);
  GstSlHudState snapshot;
  gboolean render;

  GST_OBJECT_LOCK (self);
  render = self->dirty || w != self->composition_w || h != self->composition_h;
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
    self->composition = gst_sl_hud_layout_render (&snapshot, w, h);
    self->composition_w = w;
    self->composition_h = h;
    gst_sl_hud_state_clear (&snapshot);
    GST_DEBUG_OBJECT (self, "rendered HUD for %dx%d: %u rectangles", w, h,
        self->composition ?
        gst_video_overlay_composition_n_rectangles (self->composition) : 0);
  }
  return self->composition ?
      gst_video_overlay_composition_ref (self->composition) : NULL;
}

static void
attach_composition (GstBuffer * buf, GstVideoOverlayComposition * comp)
{
  GstVideoOverlayCompositionMeta *meta =
      gst_buffer_get_video_overlay_composition_meta (buf);
  GstVideoOverlayComposition *merged;
  guint i;

  if (!meta) {
    gst_buffer_add_video_overlay_composition_meta (buf, comp);
    return;
  }
  /* upstream attached its own overlay: keep it under ours */
  merged = gst_video_overlay_composition_copy (meta->overlay);
  for (i = 0; i < gst_video_overlay_composition_n_rectangles (comp); i++)
    gst_video_overlay_composition_add_rectangle (merged,
        gst_video_overlay_composition_get_rectangle (comp, i));
  gst_video_overlay_composition_unref (meta->overlay);
  meta->overlay = merged;
}

static GstFlowReturn
gst_sl_hud_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstSlHud *self = GST_SL_HUD (trans);
  GstVideoOverlayComposition *comp;
  GstVideoFrame frame;
  gboolean ok;

  if (self->check_allocation) {
    self->attach = self->caps_attach || downstream_takes_meta (self);
    self->check_allocation = FALSE;
    GST_INFO_OBJECT (self, "HUD is %s", self->attach ?
        "attached as GstVideoOverlayCompositionMeta" : "blended");
  }

  comp = get_composition (self);
  if (!comp)
    return GST_FLOW_OK;

  if (self->attach) {
    attach_composition (buf, comp);
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
  g_object_class_install_properties (gobject_class, N_PROPS, props);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Sightline call HUD",
      "Filter/Editor/Video/Overlay",
      "Draws call state, peer, SAS with the call's security, chat and link "
      "quality in the corners, never over the centre of view; attached as "
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
  self->dirty = TRUE;
  gst_video_info_init (&self->info);
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}
