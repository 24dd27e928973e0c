/* Sightline see-through overlay element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-slseethrough
 * @title: slseethrough
 *
 * Floats the remote experts' videos over the goggles wearer's view without
 * hiding it.
 *
 * In optical mode (additive see-through displays, where black is
 * transparent) the remote videos are drawn over black at the chosen
 * opacity.  In video mode the request pad "camera" carries the wearer's own
 * camera, which becomes the background, cropped to the output's aspect
 * ratio (crop to fill, never stretched); the output then follows the
 * camera's timing, the inputs being synchronised as in any
 * #GstVideoAggregator.
 *
 * One, two or three remote videos come in on the request pads remote_%u
 * (remote_0 to remote_2); the request pad "remote" is an alias that takes
 * the lowest free slot, so pipelines written for one remote video keep
 * working.  One video goes where placement, scale and the custom box say.
 * Two or three are tiled so that the centre of the wearer's view, the
 * middle 50% × 50% of the frame, stays clear: in slot order the left band,
 * the right band, then the top band.  A remote pad's own placement takes
 * it out of that rule.  Each video has its own opacity (the element's by
 * default) and can be paused (not drawn, no frozen frame).  Videos are
 * fitted into their box or cell keeping their aspect ratio.
 *
 * When a HUD downstream (slhud) answers the "GstSlHudReserve" query,
 * presets and side tiles leave the rows it asks for free at the top and
 * bottom of the frame.  Every output buffer carries one
 * #GstVideoRegionOfInterestMeta (roi_type "sightline-remote-video") per
 * remote video, so that the HUD keeps its panels off the videos.
 *
 * Optional luma key: remote pixels darker than key-threshold become fully
 * transparent, with a linear ramp of key-softness above it.  Optional edge
 * boost: pixels on strong luma edges (annotations, text) are drawn more
 * opaque than the rest, up to fully opaque at edge-strength 1, so that they
 * stay legible against bright surroundings.
 *
 * Every output byte is defined exactly (integer arithmetic, see
 * gstslblend.c and docs/GOGGLES.md): with A = round (opacity × 255) and no
 * key, no edge boost and an opaque remote pixel,
 * out = round ((remote × A + background × (255 − A)) / 255); a second and
 * third video are blended the same way over what the first produced.
 *
 * Accepts RGBA, BGRA, ARGB, ABGR, RGBx, BGRx, xRGB, xBGR, I420 and YV12
 * output (plus common camera formats on the inputs, converted).  The output
 * size is what downstream asks for, otherwise the camera's, otherwise the
 * first remote video's.  Placement, opacity, mode, scale and the custom box
 * can change while playing and can be driven by a #GstControlSource; pads
 * can be requested and released while playing.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 videotestsrc ! slseethrough mode=optical opacity=0.6 ! videoconvert ! autovideosink
 * ]| A test source shown in optical mode at 60% opacity.
 * |[
 * gst-launch-1.0 slseethrough name=s mode=video opacity=0.7 placement=top-right scale=0.4 ! videoconvert ! autovideosink \
 *     videotestsrc pattern=ball ! s.remote \
 *     v4l2src ! videoconvert ! s.camera
 * ]| Video see-through: the camera as background, the remote video in the
 * top-right corner at 40% of the video area.
 * |[
 * gst-launch-1.0 slseethrough name=s opacity=0.7 ! video/x-raw,width=1280,height=720 ! slhud call-state=connected ! videoconvert ! autovideosink \
 *     videotestsrc pattern=smpte ! s.remote_0 \
 *     videotestsrc pattern=ball ! s.remote_1 \
 *     videotestsrc pattern=snow ! s.remote_2
 * ]| Three experts: left, right and top, the centre clear, the HUD around
 * them.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslseethrough.h"
#include "gstslseethroughpad.h"
#include "gstslseethroughcompose.h"
#include "gstslblend.h"
#include "gstslregions.h"

#include <math.h>

GST_DEBUG_CATEGORY_STATIC (gst_sl_seethrough_debug);
#define GST_CAT_DEFAULT gst_sl_seethrough_debug

#define OUT_FORMATS "{ RGBA, BGRA, I420, YV12, ARGB, ABGR, RGBx, BGRx, " \
    "xRGB, xBGR }"
/* the convert pads turn these into the output format */
#define IN_FORMATS "{ RGBA, BGRA, I420, YV12, ARGB, ABGR, RGBx, BGRx, " \
    "xRGB, xBGR, NV12, NV21, YUY2, UYVY, RGB, BGR, Y42B, Y444, AYUV }"

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (OUT_FORMATS)));

/* "remote" comes first so that "videotestsrc ! slseethrough" links to it */
static GstStaticPadTemplate remote_template = GST_STATIC_PAD_TEMPLATE ("remote",
    GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (IN_FORMATS)));

static GstStaticPadTemplate remote_n_template =
GST_STATIC_PAD_TEMPLATE ("remote_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (IN_FORMATS)));

static GstStaticPadTemplate camera_template = GST_STATIC_PAD_TEMPLATE ("camera",
    GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (IN_FORMATS)));

#define DEFAULT_MODE GST_SL_SEETHROUGH_MODE_OPTICAL
#define DEFAULT_OPACITY 0.8
#define DEFAULT_PLACEMENT GST_SL_PLACEMENT_CENTER
#define DEFAULT_SCALE 1.0
#define DEFAULT_KEY_THRESHOLD 24
#define DEFAULT_KEY_SOFTNESS 16
#define DEFAULT_EDGE_STRENGTH 0.75
#define MAX_COORD 16384

enum
{
  PROP_0,
  PROP_MODE,
  PROP_OPACITY,
  PROP_PLACEMENT,
  PROP_X,
  PROP_Y,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_SCALE,
  PROP_LUMA_KEY,
  PROP_KEY_THRESHOLD,
  PROP_KEY_SOFTNESS,
  PROP_EDGE_BOOST,
  PROP_EDGE_STRENGTH,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

struct _GstSlSeethrough
{
  GstVideoAggregator parent;

  /* properties, the HUD's reserve and pad slots, under the object lock;
   * geometry.tile stays none: it is the single-video placement */
  GstSlSeethroughMode mode;
  gdouble opacity;
  GstSlGeometry geometry;
  gboolean luma_key;
  guint key_threshold;
  guint key_softness;
  gboolean edge_boost;
  gdouble edge_strength;

  /* not owned: the element's pad list holds them until release_pad;
   * remotes by slot */
  GstSlSeethroughPad *remotes[GST_SL_MAX_REMOTES];
  GstSlSeethroughPad *camera_pad;
};

static void gst_sl_seethrough_child_proxy_init (gpointer g_iface,
    gpointer iface_data);

#define gst_sl_seethrough_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstSlSeethrough, gst_sl_seethrough,
    GST_TYPE_VIDEO_AGGREGATOR,
    G_IMPLEMENT_INTERFACE (GST_TYPE_CHILD_PROXY,
        gst_sl_seethrough_child_proxy_init));
GST_ELEMENT_REGISTER_DEFINE (slseethrough, "slseethrough", GST_RANK_NONE,
    GST_TYPE_SL_SEETHROUGH);

GType
gst_sl_seethrough_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SL_SEETHROUGH_MODE_OPTICAL,
          "Optical see-through: remote video over black (additive display)",
        "optical"},
    {GST_SL_SEETHROUGH_MODE_VIDEO,
        "Video see-through: remote video over the camera pad", "video"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSlSeethroughMode", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* Called with the object lock held: hands each pad the geometry and skip
 * flag the next aggregate_frames() acts on.  Remote pads without a
 * placement of their own follow the element: its placement when there is
 * one such pad, the tiles (in slot order) for two or three. */
static void
push_layout_unlocked (GstSlSeethrough * self)
{
  GstSlPadSettings settings[GST_SL_MAX_REMOTES];
  guint n_auto = 0, rank = 0, i;

  for (i = 0; i < GST_SL_MAX_REMOTES; i++) {
    if (!self->remotes[i])
      continue;
    gst_sl_seethrough_pad_get_settings (self->remotes[i], &settings[i]);
    if (settings[i].placement == GST_SL_PAD_PLACEMENT_AUTO)
      n_auto++;
  }
  for (i = 0; i < GST_SL_MAX_REMOTES; i++) {
    const GstSlPadSettings *s = &settings[i];
    GstSlGeometry g = self->geometry;

    if (!self->remotes[i])
      continue;
    if (s->placement == GST_SL_PAD_PLACEMENT_AUTO) {
      g.tile = gst_sl_tile_for_rank (rank++, n_auto);
    } else {
      g.tile = GST_SL_TILE_NONE;
      g.placement = (GstSlPlacement) (s->placement - 1);
      g.x = s->x;
      g.y = s->y;
      g.width = s->width;
      g.height = s->height;
      g.scale = s->scale;
    }
    gst_sl_seethrough_pad_set_geometry (self->remotes[i], &g);
    /* edge boost can make pixels visible even at opacity 0 */
    gst_sl_seethrough_pad_set_skip (self->remotes[i], s->paused ||
        (gst_sl_blend_opacity_byte (gst_sl_seethrough_pad_settings_opacity (s,
                    self->opacity)) == 0 && !self->edge_boost));
  }
  if (self->camera_pad)
    gst_sl_seethrough_pad_set_skip (self->camera_pad,
        self->mode != GST_SL_SEETHROUGH_MODE_VIDEO);
}

#define UPDATE(field, v) G_STMT_START { \
    changed = (field) != (v); \
    (field) = (v); \
  } G_STMT_END

static void
gst_sl_seethrough_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (object);
  gboolean changed = FALSE;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODE:
      UPDATE (self->mode, (GstSlSeethroughMode) g_value_get_enum (value));
      break;
    case PROP_OPACITY:
      UPDATE (self->opacity, g_value_get_double (value));
      break;
    case PROP_PLACEMENT:
      UPDATE (self->geometry.placement,
          (GstSlPlacement) g_value_get_enum (value));
      break;
    case PROP_X:
      UPDATE (self->geometry.x, g_value_get_int (value));
      break;
    case PROP_Y:
      UPDATE (self->geometry.y, g_value_get_int (value));
      break;
    case PROP_WIDTH:
      UPDATE (self->geometry.width, g_value_get_int (value));
      break;
    case PROP_HEIGHT:
      UPDATE (self->geometry.height, g_value_get_int (value));
      break;
    case PROP_SCALE:
      UPDATE (self->geometry.scale, g_value_get_double (value));
      break;
    case PROP_LUMA_KEY:
      UPDATE (self->luma_key, g_value_get_boolean (value));
      break;
    case PROP_KEY_THRESHOLD:
      UPDATE (self->key_threshold, g_value_get_uint (value));
      break;
    case PROP_KEY_SOFTNESS:
      UPDATE (self->key_softness, g_value_get_uint (value));
      break;
    case PROP_EDGE_BOOST:
      UPDATE (self->edge_boost, g_value_get_boolean (value));
      break;
    case PROP_EDGE_STRENGTH:
      UPDATE (self->edge_strength, g_value_get_double (value));
      break;
    default:
      GST_OBJECT_UNLOCK (self);
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
  }
  if (changed)
    push_layout_unlocked (self);
  GST_OBJECT_UNLOCK (self);

  /* controllers set every controlled property on every frame */
  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

#undef UPDATE

static void
gst_sl_seethrough_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_OPACITY:
      g_value_set_double (value, self->opacity);
      break;
    case PROP_PLACEMENT:
      g_value_set_enum (value, self->geometry.placement);
      break;
    case PROP_X:
      g_value_set_int (value, self->geometry.x);
      break;
    case PROP_Y:
      g_value_set_int (value, self->geometry.y);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->geometry.width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->geometry.height);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->geometry.scale);
      break;
    case PROP_LUMA_KEY:
      g_value_set_boolean (value, self->luma_key);
      break;
    case PROP_KEY_THRESHOLD:
      g_value_set_uint (value, self->key_threshold);
      break;
    case PROP_KEY_SOFTNESS:
      g_value_set_uint (value, self->key_softness);
      break;
    case PROP_EDGE_BOOST:
      g_value_set_boolean (value, self->edge_boost);
      break;
    case PROP_EDGE_STRENGTH:
      g_value_set_double (value, self->edge_strength);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* A remote pad's placement, box, opacity or pause changed: every tile may
 * move (the count of auto pads changes with a pad's own placement). */
static void
on_pad_notify (GstSlSeethroughPad * pad, GParamSpec * pspec,
    GstSlSeethrough * self)
{
  static const gchar *const layout_props[] = {
    "placement", "x", "y", "width", "height", "scale", "opacity", "paused",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (layout_props); i++) {
    if (g_str_equal (pspec->name, layout_props[i])) {
      GST_OBJECT_LOCK (self);
      push_layout_unlocked (self);
      GST_OBJECT_UNLOCK (self);
      return;
    }
  }
}

/* Called with the object lock held.  "remote" takes the lowest free slot;
 * "remote_%u" the slot it names, or the lowest free one.  Returns
 * GST_SL_MAX_REMOTES when the request cannot be met. */
static guint
choose_slot_unlocked (GstSlSeethrough * self, gboolean alias,
    const gchar * req_name)
{
  guint64 slot;
  guint i;

  if (alias) {
    for (i = 0; i < GST_SL_MAX_REMOTES; i++) {
      /* pad names are unique: one alias at a time */
      if (self->remotes[i] &&
          g_str_equal (GST_OBJECT_NAME (self->remotes[i]), "remote"))
        return GST_SL_MAX_REMOTES;
    }
  } else if (req_name) {
    if (!g_str_has_prefix (req_name, "remote_") ||
        !g_ascii_string_to_unsigned (req_name + strlen ("remote_"), 10, 0,
            GST_SL_MAX_REMOTES - 1, &slot, NULL) || self->remotes[slot])
      return GST_SL_MAX_REMOTES;
    return (guint) slot;
  }
  for (i = 0; i < GST_SL_MAX_REMOTES; i++) {
    if (!self->remotes[i])
      return i;
  }
  return GST_SL_MAX_REMOTES;
}

static GstAggregatorPad *
gst_sl_seethrough_create_new_pad (GstAggregator * agg, GstPadTemplate * templ,
    const gchar * req_name, const GstCaps * caps)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (agg);
  const gchar *tname = GST_PAD_TEMPLATE_NAME_TEMPLATE (templ);
  g_autofree gchar *name = NULL;
  GstSlSeethroughPad *pad;
  guint slot;

  if (g_str_equal (tname, "camera")) {
    GST_OBJECT_LOCK (self);
    if (self->camera_pad) {
      GST_OBJECT_UNLOCK (self);
      GST_WARNING_OBJECT (self, "pad camera already exists");
      return NULL;
    }
    pad = gst_sl_seethrough_pad_new (templ, "camera",
        GST_SL_SEETHROUGH_PAD_CAMERA, 0);
    self->camera_pad = pad;
    push_layout_unlocked (self);
    GST_OBJECT_UNLOCK (self);
    return GST_AGGREGATOR_PAD (pad);
  }
  if (!g_str_equal (tname, "remote") && !g_str_equal (tname, "remote_%u"))
    return NULL;

  GST_OBJECT_LOCK (self);
  slot = choose_slot_unlocked (self, g_str_equal (tname, "remote"), req_name);
  if (slot >= GST_SL_MAX_REMOTES) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "cannot add remote pad %s: %s taken or all %d "
        "remote slots in use", req_name ? req_name : tname,
        req_name ? req_name : "the alias", GST_SL_MAX_REMOTES);
    return NULL;
  }
  name = g_str_equal (tname, "remote") ? g_strdup ("remote") :
      g_strdup_printf ("remote_%u", slot);
  pad = gst_sl_seethrough_pad_new (templ, name, GST_SL_SEETHROUGH_PAD_REMOTE,
      slot);
  self->remotes[slot] = pad;
  push_layout_unlocked (self);
  GST_OBJECT_UNLOCK (self);

  g_signal_connect_object (pad, "notify", G_CALLBACK (on_pad_notify), self, 0);
  GST_DEBUG_OBJECT (self, "remote pad %s in slot %u", name, slot);
  return GST_AGGREGATOR_PAD (pad);
}

/* The pads are the element's children (GstChildProxy), so that
 * gst-launch-1.0 can set their properties: s.remote_1::opacity=0.5. */
static GstPad *
gst_sl_seethrough_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * req_name, const GstCaps * caps)
{
  GstPad *pad = GST_ELEMENT_CLASS (parent_class)->request_new_pad (element,
      templ, req_name, caps);

  if (pad)
    gst_child_proxy_child_added (GST_CHILD_PROXY (element), G_OBJECT (pad),
        GST_OBJECT_NAME (pad));
  return pad;
}

static GObject *
gst_sl_seethrough_get_child_by_index (GstChildProxy * proxy, guint index)
{
  GObject *child;

  GST_OBJECT_LOCK (proxy);
  child = g_list_nth_data (GST_ELEMENT (proxy)->sinkpads, index);
  if (child)
    gst_object_ref (child);
  GST_OBJECT_UNLOCK (proxy);
  return child;
}

static guint
gst_sl_seethrough_get_children_count (GstChildProxy * proxy)
{
  guint n;

  GST_OBJECT_LOCK (proxy);
  n = GST_ELEMENT (proxy)->numsinkpads;
  GST_OBJECT_UNLOCK (proxy);
  return n;
}

static void
gst_sl_seethrough_child_proxy_init (gpointer g_iface, gpointer iface_data)
{
  GstChildProxyInterface *iface = g_iface;

  iface->get_child_by_index = gst_sl_seethrough_get_child_by_index;
  iface->get_children_count = gst_sl_seethrough_get_children_count;
}

static void
gst_sl_seethrough_release_pad (GstElement * element, GstPad * pad)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (element);
  guint i;

  gst_child_proxy_child_removed (GST_CHILD_PROXY (element), G_OBJECT (pad),
      GST_OBJECT_NAME (pad));
  g_signal_handlers_disconnect_by_data (pad, self);
  GST_OBJECT_LOCK (self);
  for (i = 0; i < GST_SL_MAX_REMOTES; i++) {
    if ((GstPad *) self->remotes[i] == pad)
      self->remotes[i] = NULL;
  }
  if ((GstPad *) self->camera_pad == pad)
    self->camera_pad = NULL;
  /* the others take the free tiles from the next frame on */
  push_layout_unlocked (self);
  GST_OBJECT_UNLOCK (self);

  GST_ELEMENT_CLASS (parent_class)->release_pad (element, pad);
}

/* Output size and rate: what downstream fixed, else the camera's, else the
 * first remote video's. */
static GstCaps *
gst_sl_seethrough_fixate_src_caps (GstAggregator * agg, GstCaps * caps)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (agg);
  gint width = 320, height = 240, fps_n = 25, fps_d = 1;
  GstStructure *s;
  gint i;

  GST_OBJECT_LOCK (self);
  for (i = -1; i < GST_SL_MAX_REMOTES; i++) {
    GstSlSeethroughPad *pad = i < 0 ? self->camera_pad : self->remotes[i];
    GstVideoInfo *info;

    if (!pad)
      continue;
    info = &GST_VIDEO_AGGREGATOR_PAD (pad)->info;
    if (!info->finfo || GST_VIDEO_INFO_WIDTH (info) <= 0 ||
        GST_VIDEO_INFO_HEIGHT (info) <= 0)
      continue;
    width = GST_VIDEO_INFO_WIDTH (info);
    height = GST_VIDEO_INFO_HEIGHT (info);
    if (GST_VIDEO_INFO_FPS_N (info) > 0 && GST_VIDEO_INFO_FPS_D (info) > 0) {
      fps_n = GST_VIDEO_INFO_FPS_N (info);
      fps_d = GST_VIDEO_INFO_FPS_D (info);
    }
    break;
  }
  GST_OBJECT_UNLOCK (self);

  caps = gst_caps_make_writable (caps);
  s = gst_caps_get_structure (caps, 0);
  gst_structure_fixate_field_nearest_int (s, "width", width);
  gst_structure_fixate_field_nearest_int (s, "height", height);
  gst_structure_fixate_field_nearest_fraction (s, "framerate", fps_n, fps_d);
  if (gst_structure_has_field (s, "pixel-aspect-ratio"))
    gst_structure_fixate_field_nearest_fraction (s, "pixel-aspect-ratio", 1, 1);
  return gst_caps_fixate (caps);
}

/* Asks downstream (a HUD) which rows to keep free for the negotiated size;
 * nobody answering means none.  Runs before the pads prepare each frame,
 * so that a change applies to that frame. */
static void
update_reserve (GstSlSeethrough * self)
{
  GstVideoAggregator *vagg = GST_VIDEO_AGGREGATOR (self);
  gint w = GST_VIDEO_INFO_WIDTH (&vagg->info);
  gint h = GST_VIDEO_INFO_HEIGHT (&vagg->info);
  g_autoptr (GstQuery) query = NULL;
  gint top = 0, bottom = 0;

  if (!vagg->info.finfo || w <= 0 || h <= 0)
    return;
  query = gst_sl_hud_reserve_query_new (w, h);
  if (!gst_pad_peer_query (GST_AGGREGATOR_SRC_PAD (self), query) ||
      !gst_sl_hud_reserve_query_parse_result (query, &top, &bottom))
    top = bottom = 0;

  GST_OBJECT_LOCK (self);
  if (self->geometry.reserve_top != top ||
      self->geometry.reserve_bottom != bottom) {
    GST_DEBUG_OBJECT (self, "HUD reserves %d rows at the top, %d at the "
        "bottom of %dx%d", top, bottom, w, h);
    self->geometry.reserve_top = top;
    self->geometry.reserve_bottom = bottom;
    push_layout_unlocked (self);
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_sl_seethrough_negotiated_src_caps (GstAggregator * agg, GstCaps * caps)
{
  if (!GST_AGGREGATOR_CLASS (parent_class)->negotiated_src_caps (agg, caps))
    return FALSE;
  update_reserve (GST_SL_SEETHROUGH (agg));
  return TRUE;
}

static GstFlowReturn
gst_sl_seethrough_aggregate (GstAggregator * agg, gboolean timeout)
{
  update_reserve (GST_SL_SEETHROUGH (agg));
  return GST_AGGREGATOR_CLASS (parent_class)->aggregate (agg, timeout);
}

static void
sync_controlled_properties (GstSlSeethrough * self, GstBuffer * outbuf)
{
  GstAggregator *agg = GST_AGGREGATOR (self);
  GstClockTime ts = GST_BUFFER_PTS (outbuf), stream_time;

  if (!GST_CLOCK_TIME_IS_VALID (ts))
    return;
  GST_OBJECT_LOCK (agg->srcpad);
  stream_time =
      gst_segment_to_stream_time (&GST_AGGREGATOR_PAD (agg->srcpad)->segment,
      GST_FORMAT_TIME, ts);
  GST_OBJECT_UNLOCK (agg->srcpad);
  if (GST_CLOCK_TIME_IS_VALID (stream_time))
    gst_object_sync_values (GST_OBJECT (self), stream_time);
}

static GstFlowReturn
gst_sl_seethrough_aggregate_frames (GstVideoAggregator * vagg,
    GstBuffer * outbuf)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (vagg);
  g_autoptr (GstSlSeethroughPad) camera = NULL;
  GstSlBlendParams params = { 0, };
  gdouble opacity;

  sync_controlled_properties (self, outbuf);

  GST_OBJECT_LOCK (self);
  opacity = self->opacity;
  params.luma_key = self->luma_key;
  params.key_threshold = self->key_threshold;
  params.key_softness = self->key_softness;
  params.edge_boost = self->edge_boost;
  params.edge_strength = gst_sl_blend_opacity_byte (self->edge_strength);
  if (self->camera_pad && self->mode == GST_SL_SEETHROUGH_MODE_VIDEO)
    camera = gst_object_ref (self->camera_pad);
  GST_OBJECT_UNLOCK (self);

  return gst_sl_seethrough_compose (vagg, outbuf, camera, &params, opacity);
}

static void
gst_sl_seethrough_class_init (GstSlSeethroughClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstAggregatorClass *agg_class = GST_AGGREGATOR_CLASS (klass);
  GstVideoAggregatorClass *vagg_class = GST_VIDEO_AGGREGATOR_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      G_PARAM_EXPLICIT_NOTIFY | GST_PARAM_MUTABLE_PLAYING;
  const GParamFlags ctl = rw | GST_PARAM_CONTROLLABLE;

  gobject_class->set_property = gst_sl_seethrough_set_property;
  gobject_class->get_property = gst_sl_seethrough_get_property;

  props[PROP_MODE] = g_param_spec_enum ("mode", "Mode",
      "optical: remote videos over black for additive displays; video: over "
      "the camera pad", GST_TYPE_SL_SEETHROUGH_MODE, DEFAULT_MODE, ctl);
  props[PROP_OPACITY] = g_param_spec_double ("opacity", "Opacity",
      "Opacity of the remote videos whose pad says -1 (quantised to 1/255)",
      0.0, 1.0, DEFAULT_OPACITY, ctl);
  props[PROP_PLACEMENT] = g_param_spec_enum ("placement", "Placement",
      "Anchor of a single remote video in the video area, or custom for the "
      "box x/y/width/height (two or three videos are tiled)",
      GST_TYPE_SL_PLACEMENT, DEFAULT_PLACEMENT, ctl);
  props[PROP_X] = g_param_spec_int ("x", "X",
      "Left edge of the box with placement=custom (output pixels; even for "
      "I420/YV12, rounded down)", -MAX_COORD, MAX_COORD, 0, ctl);
  props[PROP_Y] = g_param_spec_int ("y", "Y",
      "Top edge of the box with placement=custom (output pixels; even for "
      "I420/YV12, rounded down)", -MAX_COORD, MAX_COORD, 0, ctl);
  props[PROP_WIDTH] = g_param_spec_int ("width", "Width",
      "Box width with placement=custom, 0 = from the height and the video's "
      "aspect ratio (both 0: the video's own size); the video is fitted "
      "into the box, never stretched", 0, MAX_COORD, 0, ctl);
  props[PROP_HEIGHT] = g_param_spec_int ("height", "Height",
      "Box height with placement=custom, 0 = from the width and the video's "
      "aspect ratio", 0, MAX_COORD, 0, ctl);
  props[PROP_SCALE] = g_param_spec_double ("scale", "Scale",
      "Size factor: of the fitted size for presets (tiles: at most 1), of "
      "the box for custom (result at most twice the output size)", 0.01,
      2.0, DEFAULT_SCALE, ctl);
  props[PROP_LUMA_KEY] = g_param_spec_boolean ("luma-key", "Luma key",
      "Make dark remote pixels fully transparent", FALSE, rw);
  props[PROP_KEY_THRESHOLD] = g_param_spec_uint ("key-threshold",
      "Key threshold",
      "Luma (0-255, full range) below which remote pixels are transparent",
      0, 255, DEFAULT_KEY_THRESHOLD, ctl);
  props[PROP_KEY_SOFTNESS] = g_param_spec_uint ("key-softness",
      "Key softness",
      "Width of the luma ramp from transparent to opaque above the threshold",
      0, 255, DEFAULT_KEY_SOFTNESS, ctl);
  props[PROP_EDGE_BOOST] = g_param_spec_boolean ("edge-boost", "Edge boost",
      "Draw pixels on strong luma edges more opaque so annotations stay "
      "legible", FALSE, rw);
  props[PROP_EDGE_STRENGTH] = g_param_spec_double ("edge-strength",
      "Edge strength", "How far edge pixels are pushed towards full opacity",
      0.0, 1.0, DEFAULT_EDGE_STRENGTH, ctl);
  g_object_class_install_properties (gobject_class, N_PROPS, props);

  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &src_template, GST_TYPE_AGGREGATOR_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &remote_template, GST_TYPE_SL_SEETHROUGH_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &remote_n_template, GST_TYPE_SL_SEETHROUGH_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &camera_template, GST_TYPE_SL_SEETHROUGH_PAD);

  gst_element_class_set_static_metadata (element_class,
      "Sightline see-through overlay", "Filter/Editor/Video/Compositor",
      "Draws one to three remote videos over the goggles wearer's view: over "
      "black for optical see-through (additive) displays or over the camera "
      "pad for video see-through; two or three are tiled around a clear "
      "centre. Opacity, placement, scale, luma key and edge boost. Example: "
      "gst-launch-1.0 videotestsrc ! slseethrough mode=optical opacity=0.6 "
      "! videoconvert ! autovideosink",
      "Sightline <https://sightline.invalid>");

  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_release_pad);
  agg_class->create_new_pad =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_create_new_pad);
  agg_class->fixate_src_caps =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_fixate_src_caps);
  agg_class->negotiated_src_caps =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_negotiated_src_caps);
  agg_class->aggregate = GST_DEBUG_FUNCPTR (gst_sl_seethrough_aggregate);
  vagg_class->aggregate_frames =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_aggregate_frames);

  GST_DEBUG_CATEGORY_INIT (gst_sl_seethrough_debug, "slseethrough", 0,
      "Sightline see-through overlay");
  gst_type_mark_as_plugin_api (GST_TYPE_SL_SEETHROUGH_MODE, 0);
}

static void
gst_sl_seethrough_init (GstSlSeethrough * self)
{
  self->mode = DEFAULT_MODE;
  self->opacity = DEFAULT_OPACITY;
  self->geometry.placement = DEFAULT_PLACEMENT;
  self->geometry.tile = GST_SL_TILE_NONE;
  self->geometry.scale = DEFAULT_SCALE;
  self->key_threshold = DEFAULT_KEY_THRESHOLD;
  self->key_softness = DEFAULT_KEY_SOFTNESS;
  self->edge_strength = DEFAULT_EDGE_STRENGTH;
}
