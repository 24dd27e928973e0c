/* Sightline see-through overlay: sink pad
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The remote_%u (alias "remote") and "camera" pads of slseethrough.  Both
 * convert their input to the output format through
 * GstVideoAggregatorConvertPad; a remote pad also scales to the size its
 * geometry asks for, the camera pad to the output size after cropping the
 * camera frame to the output's aspect ratio (crop to fill, set as the
 * converter's source rectangle).
 *
 * The element pushes the resolved geometry into the pad (see
 * gst_sl_seethrough_pad_set_geometry()) instead of the pad reading the
 * element's properties, because create_conversion_info() runs with the
 * pad's object lock held and the element takes its own lock before the
 * pad's.  The pad's own properties (placement override, box, opacity,
 * paused) reach the element through GObject's notify signal.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslseethroughpad.h"

GST_DEBUG_CATEGORY_STATIC (gst_sl_seethrough_pad_debug);
#define GST_CAT_DEFAULT gst_sl_seethrough_pad_debug

#define MAX_COORD 16384

enum
{
  PROP_0,
  PROP_PLACEMENT,
  PROP_X,
  PROP_Y,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_SCALE,
  PROP_OPACITY,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

struct _GstSlSeethroughPad
{
  GstVideoAggregatorConvertPad parent;

  GstSlSeethroughPadRole role;
  guint slot;

  /* under the pad's object lock */
  GstSlPadSettings settings;
  GstSlGeometry geometry;
  gboolean skip;

  /* camera: the crop the converter was last given (streaming thread);
   * config_dirty is set from any thread when converter-config changes */
  GstVideoRectangle applied_crop;
  gint config_dirty;
};

G_DEFINE_TYPE (GstSlSeethroughPad, gst_sl_seethrough_pad,
    GST_TYPE_VIDEO_AGGREGATOR_CONVERT_PAD);

/**
 * gst_sl_seethrough_pad_new:
 * @templ: the remote, remote_%u or camera template
 * @name: the pad's name
 * @role: what the pad carries
 * @slot: remote pads: the slot, which orders the tiles
 *
 * Returns: (transfer floating): a new sink pad
 */
GstSlSeethroughPad *
gst_sl_seethrough_pad_new (GstPadTemplate * templ, const gchar * name,
    GstSlSeethroughPadRole role, guint slot)
{
  GstSlSeethroughPad *pad;

  g_return_val_if_fail (GST_IS_PAD_TEMPLATE (templ), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  pad = g_object_new (GST_TYPE_SL_SEETHROUGH_PAD, "name", name, "direction",
      GST_PAD_SINK, "template", templ, NULL);
  pad->role = role;
  pad->slot = slot;
  return pad;
}

GstSlSeethroughPadRole
gst_sl_seethrough_pad_get_role (GstSlSeethroughPad * pad)
{
  g_return_val_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad),
      GST_SL_SEETHROUGH_PAD_REMOTE);

  return pad->role;
}

guint
gst_sl_seethrough_pad_get_slot (GstSlSeethroughPad * pad)
{
  g_return_val_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad), 0);

  return pad->slot;
}

/**
 * gst_sl_seethrough_pad_get_settings:
 * @pad: a pad
 * @settings: (out caller-allocates): what the application set on it
 */
void
gst_sl_seethrough_pad_get_settings (GstSlSeethroughPad * pad,
    GstSlPadSettings * settings)
{
  g_return_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad));

  GST_OBJECT_LOCK (pad);
  *settings = pad->settings;
  GST_OBJECT_UNLOCK (pad);
}

/**
 * gst_sl_seethrough_pad_settings_opacity:
 * @settings: a remote pad's settings
 * @element_opacity: the element's opacity
 *
 * Returns: the opacity the pad's video is drawn with
 */
gdouble
gst_sl_seethrough_pad_settings_opacity (const GstSlPadSettings * settings,
    gdouble element_opacity)
{
  return settings->opacity >= 0 ? settings->opacity : element_opacity;
}

/**
 * gst_sl_seethrough_pad_set_geometry:
 * @pad: a remote pad
 * @geometry: (transfer none): the resolved geometry, copied
 *
 * Rebuilds the converter before the next frame if the size may change.
 */
void
gst_sl_seethrough_pad_set_geometry (GstSlSeethroughPad * pad,
    const GstSlGeometry * geometry)
{
  gboolean changed;

  g_return_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad));
  g_return_if_fail (geometry != NULL);

  GST_OBJECT_LOCK (pad);
  changed = !gst_sl_geometry_equal (&pad->geometry, geometry);
  pad->geometry = *geometry;
  GST_OBJECT_UNLOCK (pad);

  if (changed && pad->role == GST_SL_SEETHROUGH_PAD_REMOTE)
    gst_video_aggregator_convert_pad_update_conversion_info
        (GST_VIDEO_AGGREGATOR_CONVERT_PAD (pad));
}

/**
 * gst_sl_seethrough_pad_get_geometry:
 * @pad: a remote pad
 * @geometry: (out caller-allocates): the geometry last set
 */
void
gst_sl_seethrough_pad_get_geometry (GstSlSeethroughPad * pad,
    GstSlGeometry * geometry)
{
  g_return_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad));

  GST_OBJECT_LOCK (pad);
  *geometry = pad->geometry;
  GST_OBJECT_UNLOCK (pad);
}

/**
 * gst_sl_seethrough_pad_set_skip:
 * @pad: a pad
 * @skip: %TRUE when the element will not draw this pad's frames
 *
 * Skipped pads still consume their buffers in sync with the other pads but
 * are neither mapped nor converted.
 */
void
gst_sl_seethrough_pad_set_skip (GstSlSeethroughPad * pad, gboolean skip)
{
  g_return_if_fail (GST_IS_SL_SEETHROUGH_PAD (pad));

  GST_OBJECT_LOCK (pad);
  pad->skip = skip;
  GST_OBJECT_UNLOCK (pad);
}

static gboolean
crop_equal (const GstVideoRectangle * a, const GstVideoRectangle * b)
{
  return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

/* The converter's source rectangle, in converter-config: removed when the
 * whole frame is used, so that a camera already in the output's size and
 * format still needs no conversion at all. */
static void
apply_camera_crop (GstSlSeethroughPad * pad, GstVideoAggregator * vagg)
{
  GstVideoAggregatorPad *vpad = GST_VIDEO_AGGREGATOR_PAD (pad);
  static const gchar *const keys[] = {
    GST_VIDEO_CONVERTER_OPT_SRC_X, GST_VIDEO_CONVERTER_OPT_SRC_Y,
    GST_VIDEO_CONVERTER_OPT_SRC_WIDTH, GST_VIDEO_CONVERTER_OPT_SRC_HEIGHT,
  };
  g_autoptr (GstStructure) config = NULL;
  GstStructure *wanted;
  GstVideoRectangle crop;
  gboolean whole;
  guint i;

  gst_sl_camera_crop (&vpad->info, &vagg->info, &crop);
  if (crop_equal (&crop, &pad->applied_crop) &&
      !g_atomic_int_compare_and_exchange (&pad->config_dirty, TRUE, FALSE))
    return;
  pad->applied_crop = crop;

  g_object_get (pad, "converter-config", &config, NULL);
  whole = crop.x == 0 && crop.y == 0 &&
      crop.w == GST_VIDEO_INFO_WIDTH (&vpad->info) &&
      crop.h == GST_VIDEO_INFO_HEIGHT (&vpad->info);
  wanted = config ? gst_structure_copy (config) :
      gst_structure_new_empty ("GstVideoConverter");
  if (whole) {
    for (i = 0; i < G_N_ELEMENTS (keys); i++)
      gst_structure_remove_field (wanted, keys[i]);
  } else {
    gst_structure_set (wanted, keys[0], G_TYPE_INT, crop.x, keys[1],
        G_TYPE_INT, crop.y, keys[2], G_TYPE_INT, crop.w, keys[3], G_TYPE_INT,
        crop.h, NULL);
  }
  if (config ? gst_structure_is_equal (config, wanted) :
      gst_structure_n_fields (wanted) == 0) {
    gst_structure_free (wanted);
    return;
  }
  GST_DEBUG_OBJECT (pad, "camera crop %d,%d %dx%d of %dx%d", crop.x, crop.y,
      crop.w, crop.h, GST_VIDEO_INFO_WIDTH (&vpad->info),
      GST_VIDEO_INFO_HEIGHT (&vpad->info));
  if (gst_structure_n_fields (wanted) == 0)
    g_clear_pointer (&wanted, gst_structure_free);
  g_object_set (pad, "converter-config", wanted, NULL);
  if (wanted)
    gst_structure_free (wanted);
}

static gboolean
gst_sl_seethrough_pad_prepare_frame (GstVideoAggregatorPad * vpad,
    GstVideoAggregator * vagg, GstBuffer * buffer,
    GstVideoFrame * prepared_frame)
{
  GstSlSeethroughPad *pad = GST_SL_SEETHROUGH_PAD (vpad);
  gboolean skip;

  GST_OBJECT_LOCK (pad);
  skip = pad->skip;
  GST_OBJECT_UNLOCK (pad);

  if (skip)
    return TRUE;
  if (pad->role == GST_SL_SEETHROUGH_PAD_CAMERA)
    apply_camera_crop (pad, vagg);

  return
      GST_VIDEO_AGGREGATOR_PAD_CLASS
      (gst_sl_seethrough_pad_parent_class)->prepare_frame (vpad, vagg, buffer,
      prepared_frame);
}

/* Called with the pad's object lock held. */
static void
gst_sl_seethrough_pad_create_conversion_info (GstVideoAggregatorConvertPad *
    cpad, GstVideoAggregator * vagg, GstVideoInfo * conversion_info)
{
  GstSlSeethroughPad *pad = GST_SL_SEETHROUGH_PAD (cpad);
  GstVideoAggregatorPad *vpad = GST_VIDEO_AGGREGATOR_PAD (cpad);
  gint width, height;

  GST_VIDEO_AGGREGATOR_CONVERT_PAD_CLASS
      (gst_sl_seethrough_pad_parent_class)->create_conversion_info (cpad, vagg,
      conversion_info);
  if (!conversion_info->finfo)
    return;

  if (pad->role == GST_SL_SEETHROUGH_PAD_CAMERA) {
    width = GST_VIDEO_INFO_WIDTH (&vagg->info);
    height = GST_VIDEO_INFO_HEIGHT (&vagg->info);
  } else {
    gst_sl_geometry_get_size (&pad->geometry, &vpad->info, &vagg->info,
        &width, &height);
  }

  if (GST_VIDEO_INFO_WIDTH (conversion_info) != width ||
      GST_VIDEO_INFO_HEIGHT (conversion_info) != height) {
    GstVideoInfo tmp;

    /* same format, colorimetry and rates, only the size changes */
    gst_video_info_set_interlaced_format (&tmp,
        GST_VIDEO_INFO_FORMAT (conversion_info),
        conversion_info->interlace_mode, width, height);
    tmp.chroma_site = conversion_info->chroma_site;
    tmp.colorimetry = conversion_info->colorimetry;
    tmp.par_n = conversion_info->par_n;
    tmp.par_d = conversion_info->par_d;
    tmp.fps_n = conversion_info->fps_n;
    tmp.fps_d = conversion_info->fps_d;
    tmp.flags = conversion_info->flags;
    *conversion_info = tmp;
  }
  GST_DEBUG_OBJECT (pad, "converting to %dx%d %s", width, height,
      gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (conversion_info)));
}

static void
gst_sl_seethrough_pad_notify (GObject * object, GParamSpec * pspec)
{
  GstSlSeethroughPad *pad = GST_SL_SEETHROUGH_PAD (object);

  /* someone (maybe apply_camera_crop) replaced the converter config:
   * check the crop fields again on the next frame */
  if (g_str_equal (pspec->name, "converter-config"))
    g_atomic_int_set (&pad->config_dirty, TRUE);
  if (G_OBJECT_CLASS (gst_sl_seethrough_pad_parent_class)->notify)
    G_OBJECT_CLASS (gst_sl_seethrough_pad_parent_class)->notify (object, pspec);
}

#define UPDATE(field, v) G_STMT_START { \
    changed = (field) != (v); \
    (field) = (v); \
  } G_STMT_END

static void
gst_sl_seethrough_pad_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSlSeethroughPad *pad = GST_SL_SEETHROUGH_PAD (object);
  GstSlPadSettings *s = &pad->settings;
  gboolean changed = FALSE;

  GST_OBJECT_LOCK (pad);
  switch (prop_id) {
    case PROP_PLACEMENT:
      UPDATE (s->placement, (GstSlPadPlacement) g_value_get_enum (value));
      break;
    case PROP_X:
      UPDATE (s->x, g_value_get_int (value));
      break;
    case PROP_Y:
      UPDATE (s->y, g_value_get_int (value));
      break;
    case PROP_WIDTH:
      UPDATE (s->width, g_value_get_int (value));
      break;
    case PROP_HEIGHT:
      UPDATE (s->height, g_value_get_int (value));
      break;
    case PROP_SCALE:
      UPDATE (s->scale, g_value_get_double (value));
      break;
    case PROP_OPACITY:
      UPDATE (s->opacity, g_value_get_double (value));
      break;
    case PROP_PAUSED:
      UPDATE (s->paused, g_value_get_boolean (value));
      break;
    default:
      GST_OBJECT_UNLOCK (pad);
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
  }
  GST_OBJECT_UNLOCK (pad);

  /* the element listens and lays the pads out again */
  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

#undef UPDATE

static void
gst_sl_seethrough_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSlSeethroughPad *pad = GST_SL_SEETHROUGH_PAD (object);
  GstSlPadSettings s;

  gst_sl_seethrough_pad_get_settings (pad, &s);
  switch (prop_id) {
    case PROP_PLACEMENT:
      g_value_set_enum (value, s.placement);
      break;
    case PROP_X:
      g_value_set_int (value, s.x);
      break;
    case PROP_Y:
      g_value_set_int (value, s.y);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, s.width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, s.height);
      break;
    case PROP_SCALE:
      g_value_set_double (value, s.scale);
      break;
    case PROP_OPACITY:
      g_value_set_double (value, s.opacity);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, s.paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_sl_seethrough_pad_class_init (GstSlSeethroughPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstVideoAggregatorPadClass *vpad_class = GST_VIDEO_AGGREGATOR_PAD_CLASS
      (klass);
  GstVideoAggregatorConvertPadClass *cpad_class =
      GST_VIDEO_AGGREGATOR_CONVERT_PAD_CLASS (klass);
  const GParamFlags ctl = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      G_PARAM_EXPLICIT_NOTIFY | GST_PARAM_MUTABLE_PLAYING |
      GST_PARAM_CONTROLLABLE;

  gobject_class->set_property = gst_sl_seethrough_pad_set_property;
  gobject_class->get_property = gst_sl_seethrough_pad_get_property;
  gobject_class->notify = gst_sl_seethrough_pad_notify;

  props[PROP_PLACEMENT] = g_param_spec_enum ("placement", "Placement",
      "Remote pads: auto follows the element (its placement for one video, "
      "tiles for two or three); any other value places this video on its "
      "own and takes it out of the tiles", GST_TYPE_SL_PAD_PLACEMENT,
      GST_SL_PAD_PLACEMENT_AUTO, ctl);
  props[PROP_X] = g_param_spec_int ("x", "X",
      "Remote pads, placement=custom: left edge of the box (output pixels)",
      -MAX_COORD, MAX_COORD, 0, ctl);
  props[PROP_Y] = g_param_spec_int ("y", "Y",
      "Remote pads, placement=custom: top edge of the box (output pixels)",
      -MAX_COORD, MAX_COORD, 0, ctl);
  props[PROP_WIDTH] = g_param_spec_int ("width", "Width",
      "Remote pads, placement=custom: box width, 0 = from the height and "
      "the video's aspect ratio (both 0: the video's own size)", 0,
      MAX_COORD, 0, ctl);
  props[PROP_HEIGHT] = g_param_spec_int ("height", "Height",
      "Remote pads, placement=custom: box height, 0 = from the width and "
      "the video's aspect ratio", 0, MAX_COORD, 0, ctl);
  props[PROP_SCALE] = g_param_spec_double ("scale", "Scale",
      "Remote pads with their own placement: factor on the fitted size or "
      "the box", 0.01, 2.0, 1.0, ctl);
  props[PROP_OPACITY] = g_param_spec_double ("opacity", "Opacity",
      "Remote pads: opacity of this video, -1 = the element's opacity",
      -1.0, 1.0, -1.0, ctl);
  props[PROP_PAUSED] = g_param_spec_boolean ("paused", "Paused",
      "Remote pads: the participant paused the camera; the video is not "
      "drawn (no frozen frame) and its rectangle stays reserved", FALSE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY |
      GST_PARAM_MUTABLE_PLAYING);
  g_object_class_install_properties (gobject_class, N_PROPS, props);

  vpad_class->prepare_frame =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_pad_prepare_frame);
  cpad_class->create_conversion_info =
      GST_DEBUG_FUNCPTR (gst_sl_seethrough_pad_create_conversion_info);

  GST_DEBUG_CATEGORY_INIT (gst_sl_seethrough_pad_debug, "slseethroughpad", 0,
      "Sightline see-through overlay pad");
  gst_type_mark_as_plugin_api (GST_TYPE_SL_SEETHROUGH_PAD, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SL_PLACEMENT, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SL_PAD_PLACEMENT, 0);
}

static void
gst_sl_seethrough_pad_init (GstSlSeethroughPad * pad)
{
  pad->settings.placement = GST_SL_PAD_PLACEMENT_AUTO;
  pad->settings.scale = 1.0;
  pad->settings.opacity = -1.0;
  pad->geometry.placement = GST_SL_PLACEMENT_CENTER;
  pad->geometry.scale = 1.0;
  pad->applied_crop.w = pad->applied_crop.h = -1;
}
