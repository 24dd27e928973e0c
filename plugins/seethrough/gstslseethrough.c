/* Sightline see-through overlay element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-slseethrough
 * @title: slseethrough
 *
 * Floats the remote expert's video over the goggles wearer's view without
 * hiding it.
 *
 * In optical mode (additive see-through displays, where black is
 * transparent) the "remote" pad's video is drawn over black at the chosen
 * opacity, placement and scale.  In video mode the request pad "camera"
 * carries the wearer's own camera, which becomes the background; the output
 * then follows the camera's timing, the two inputs being synchronised as in
 * any #GstVideoAggregator.
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
 * out = round ((remote × A + background × (255 − A)) / 255).
 *
 * Accepts RGBA, BGRA, ARGB, ABGR, RGBx, BGRx, xRGB, xBGR, I420 and YV12
 * output (plus common camera formats on the inputs, converted).  The output
 * size is what downstream asks for, otherwise the camera's, otherwise the
 * remote video's.  Placement, opacity, mode, scale and the custom rectangle
 * can change while playing and can be driven by a #GstControlSource.
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
 * top-right corner at 40% of the frame.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslseethrough.h"
#include "gstslseethroughpad.h"
#include "gstslblend.h"

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

static GstStaticPadTemplate remote_template = GST_STATIC_PAD_TEMPLATE ("remote",
    GST_PAD_SINK, GST_PAD_REQUEST,
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

  /* properties and pad slots, under the object lock */
  GstSlSeethroughMode mode;
  gdouble opacity;
  GstSlGeometry geometry;
  gint x;
  gint y;
  gboolean luma_key;
  guint key_threshold;
  guint key_softness;
  gboolean edge_boost;
  gdouble edge_strength;

  /* not owned: the element's pad list holds them until release_pad */
  GstSlSeethroughPad *remote_pad;
  GstSlSeethroughPad *camera_pad;
};

#define gst_sl_seethrough_parent_class parent_class
G_DEFINE_TYPE (GstSlSeethrough, gst_sl_seethrough, GST_TYPE_VIDEO_AGGREGATOR);
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

static guint8
to_byte (gdouble v)
{
  return (guint8) CLAMP (floor (v * 255.0 + 0.5), 0, 255);
}

/* Called with the object lock held: hands the settings the pads act on
 * before aggregate_frames() runs. */
static void
push_pad_state_unlocked (GstSlSeethrough * self)
{
  if (self->remote_pad) {
    gst_sl_seethrough_pad_set_geometry (self->remote_pad, &self->geometry);
    /* edge boost can make pixels visible even at opacity 0 */
    gst_sl_seethrough_pad_set_skip (self->remote_pad,
        to_byte (self->opacity) == 0 && !self->edge_boost);
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
      UPDATE (self->x, g_value_get_int (value));
      break;
    case PROP_Y:
      UPDATE (self->y, g_value_get_int (value));
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
    push_pad_state_unlocked (self);
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
      g_value_set_int (value, self->x);
      break;
    case PROP_Y:
      g_value_set_int (value, self->y);
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

static GstAggregatorPad *
gst_sl_seethrough_create_new_pad (GstAggregator * agg, GstPadTemplate * templ,
    const gchar * req_name, const GstCaps * caps)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (agg);
  GstSlSeethroughPad **slot;
  GstSlSeethroughPadRole role;
  GstSlSeethroughPad *pad;

  if (g_strcmp0 (GST_PAD_TEMPLATE_NAME_TEMPLATE (templ), "remote") == 0)
    role = GST_SL_SEETHROUGH_PAD_REMOTE;
  else if (g_strcmp0 (GST_PAD_TEMPLATE_NAME_TEMPLATE (templ), "camera") == 0)
    role = GST_SL_SEETHROUGH_PAD_CAMERA;
  else
    return NULL;

  GST_OBJECT_LOCK (self);
  slot = role == GST_SL_SEETHROUGH_PAD_REMOTE ?
      &self->remote_pad : &self->camera_pad;
  if (*slot) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "pad %s already exists",
        GST_PAD_TEMPLATE_NAME_TEMPLATE (templ));
    return NULL;
  }
  pad = gst_sl_seethrough_pad_new (templ, role);
  *slot = pad;
  push_pad_state_unlocked (self);
  GST_OBJECT_UNLOCK (self);

  return GST_AGGREGATOR_PAD (pad);
}

static void
gst_sl_seethrough_release_pad (GstElement * element, GstPad * pad)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (element);

  GST_OBJECT_LOCK (self);
  if ((GstPad *) self->remote_pad == pad)
    self->remote_pad = NULL;
  if ((GstPad *) self->camera_pad == pad)
    self->camera_pad = NULL;
  GST_OBJECT_UNLOCK (self);

  GST_ELEMENT_CLASS (parent_class)->release_pad (element, pad);
}

/* Output size and rate: what downstream fixed, else the camera's, else the
 * remote video's. */
static GstCaps *
gst_sl_seethrough_fixate_src_caps (GstAggregator * agg, GstCaps * caps)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (agg);
  gint width = 320, height = 240, fps_n = 25, fps_d = 1;
  GstStructure *s;
  gint i;

  GST_OBJECT_LOCK (self);
  for (i = 0; i < 2; i++) {
    GstSlSeethroughPad *pad = i == 0 ? self->camera_pad : self->remote_pad;
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

/* A prepared frame the blender can use, or NULL. */
static GstVideoFrame *
usable_frame (GstSlSeethroughPad * pad, const GstVideoInfo * out_info,
    gboolean need_out_size)
{
  GstVideoFrame *frame;

  if (!pad)
    return NULL;
  frame = gst_video_aggregator_pad_get_prepared_frame
      (GST_VIDEO_AGGREGATOR_PAD (pad));
  if (!frame)
    return NULL;
  if (GST_VIDEO_FRAME_FORMAT (frame) != GST_VIDEO_INFO_FORMAT (out_info) ||
      (need_out_size &&
          (GST_VIDEO_FRAME_WIDTH (frame) != GST_VIDEO_INFO_WIDTH (out_info) ||
              GST_VIDEO_FRAME_HEIGHT (frame) !=
              GST_VIDEO_INFO_HEIGHT (out_info)))) {
    /* a frame converted before a renegotiation; the next one will fit */
    GST_DEBUG_OBJECT (pad, "prepared frame does not fit the output, skipped");
    return NULL;
  }
  return frame;
}

static GstFlowReturn
gst_sl_seethrough_aggregate_frames (GstVideoAggregator * vagg,
    GstBuffer * outbuf)
{
  GstSlSeethrough *self = GST_SL_SEETHROUGH (vagg);
  g_autoptr (GstSlSeethroughPad) remote = NULL;
  g_autoptr (GstSlSeethroughPad) camera = NULL;
  GstVideoFrame *rframe, *cframe = NULL, out;
  GstSlBlendParams params = { 0, };
  GstSlGeometry geometry;
  GstSlSeethroughMode mode;
  gint cx, cy, x = 0, y = 0;
  gboolean ok;

  sync_controlled_properties (self, outbuf);

  GST_OBJECT_LOCK (self);
  mode = self->mode;
  geometry = self->geometry;
  cx = self->x;
  cy = self->y;
  params.opacity = to_byte (self->opacity);
  params.luma_key = self->luma_key;
  params.key_threshold = self->key_threshold;
  params.key_softness = self->key_softness;
  params.edge_boost = self->edge_boost;
  params.edge_strength = to_byte (self->edge_strength);
  if (self->remote_pad)
    remote = gst_object_ref (self->remote_pad);
  if (self->camera_pad)
    camera = gst_object_ref (self->camera_pad);
  GST_OBJECT_UNLOCK (self);

  rframe = usable_frame (remote, &vagg->info, FALSE);
  if (mode == GST_SL_SEETHROUGH_MODE_VIDEO)
    cframe = usable_frame (camera, &vagg->info, TRUE);

  if (rframe) {
    const GstVideoInfo *rinfo = &GST_VIDEO_AGGREGATOR_PAD (remote)->info;

    /* the converter cannot invent alpha: only an input with alpha has it */
    params.use_src_alpha = rinfo->finfo && GST_VIDEO_INFO_HAS_ALPHA (rinfo) &&
        GST_VIDEO_INFO_HAS_ALPHA (&vagg->info);
    gst_sl_geometry_get_position (&geometry, cx, cy,
        GST_VIDEO_INFO_WIDTH (&vagg->info),
        GST_VIDEO_INFO_HEIGHT (&vagg->info), GST_VIDEO_FRAME_WIDTH (rframe),
        GST_VIDEO_FRAME_HEIGHT (rframe), &x, &y);
  }

  if (!gst_video_frame_map (&out, &vagg->info, outbuf, GST_MAP_WRITE)) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE, (NULL),
        ("could not map the output buffer"));
    return GST_FLOW_ERROR;
  }
  ok = gst_sl_blend_frame (&out, rframe, x, y, cframe, &params);
  gst_video_frame_unmap (&out);

  if (!ok) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
        ("cannot blend %s frames",
            gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (&vagg->info))));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  return GST_FLOW_OK;
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
      "optical: remote video over black for additive displays; video: over "
      "the camera pad", GST_TYPE_SL_SEETHROUGH_MODE, DEFAULT_MODE, ctl);
  props[PROP_OPACITY] = g_param_spec_double ("opacity", "Opacity",
      "Opacity of the remote video (quantised to 1/255)", 0.0, 1.0,
      DEFAULT_OPACITY, ctl);
  props[PROP_PLACEMENT] = g_param_spec_enum ("placement", "Placement",
      "Anchor of the remote video, or custom for x/y/width/height",
      GST_TYPE_SL_PLACEMENT, DEFAULT_PLACEMENT, ctl);
  props[PROP_X] = g_param_spec_int ("x", "X",
      "Left edge of the remote video with placement=custom (output pixels; "
      "even for I420/YV12, rounded down)", -MAX_COORD, MAX_COORD, 0, ctl);
  props[PROP_Y] = g_param_spec_int ("y", "Y",
      "Top edge of the remote video with placement=custom (output pixels; "
      "even for I420/YV12, rounded down)", -MAX_COORD, MAX_COORD, 0, ctl);
  props[PROP_WIDTH] = g_param_spec_int ("width", "Width",
      "Width of the remote video with placement=custom, 0 = its own width",
      0, MAX_COORD, 0, ctl);
  props[PROP_HEIGHT] = g_param_spec_int ("height", "Height",
      "Height of the remote video with placement=custom, 0 = its own height",
      0, MAX_COORD, 0, ctl);
  props[PROP_SCALE] = g_param_spec_double ("scale", "Scale",
      "Size factor: of the fitted size for presets, of width/height for "
      "custom (result at most twice the output size)", 0.01, 2.0,
      DEFAULT_SCALE, ctl);
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
      &camera_template, GST_TYPE_SL_SEETHROUGH_PAD);

  gst_element_class_set_static_metadata (element_class,
      "Sightline see-through overlay", "Filter/Editor/Video/Compositor",
      "Draws the remote video over the goggles wearer's view: over black for "
      "optical see-through (additive) displays or over the camera pad for "
      "video see-through, with opacity, placement, scale, luma key and edge "
      "boost. Example: gst-launch-1.0 videotestsrc ! slseethrough "
      "mode=optical opacity=0.6 ! videoconvert ! autovideosink",
      "Sightline <https://sightline.invalid>");

  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_release_pad);
  agg_class->create_new_pad =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_create_new_pad);
  agg_class->fixate_src_caps =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_fixate_src_caps);
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
  self->geometry.scale = DEFAULT_SCALE;
  self->key_threshold = DEFAULT_KEY_THRESHOLD;
  self->key_softness = DEFAULT_KEY_SOFTNESS;
  self->edge_strength = DEFAULT_EDGE_STRENGTH;
}
