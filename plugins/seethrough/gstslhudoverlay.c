/* Sightline call HUD: how the panels reach the frame
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The HUD's composition is attached as GstVideoOverlayCompositionMeta when
 * downstream renders it (a display sink does it on the GPU or on the final
 * frame at no cost to us) and blended into the frame otherwise.  These
 * helpers decide which and do the attaching; they never touch the
 * element's state.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstslhudoverlay.h"

/**
 * gst_sl_hud_overlay_transform_caps:
 * @direction: the pad @caps are on
 * @caps: caps on that pad
 * @filter: (nullable): caps to intersect the result with
 *
 * Sink caps map to the same caps on the source side, plain first (blending
 * always works) then with the overlay feature added (attaching, for
 * downstream elements that only take that); source caps with the feature
 * map back to caps with and without it.
 *
 * Returns: (transfer full): the caps on the other side
 */
GstCaps *
gst_sl_hud_overlay_transform_caps (GstPadDirection direction, GstCaps * caps,
    GstCaps * filter)
{
  GstCaps *ret = gst_caps_new_empty ();
  guint i, n = gst_caps_get_size (caps);

  for (i = 0; i < n; i++) {
    GstStructure *s = gst_caps_get_structure (caps, i);
    GstCapsFeatures *f = gst_caps_get_features (caps, i);
    gboolean has_overlay = f && gst_caps_features_contains (f,
        GST_SL_HUD_OVERLAY_FEATURE);
    GstCapsFeatures *other = NULL;

    ret = gst_caps_merge_structure_full (ret, gst_structure_copy (s),
        f ? gst_caps_features_copy (f) : NULL);
    if (f && gst_caps_features_is_any (f))
      continue;

    if (direction == GST_PAD_SINK && !has_overlay) {
      if (!f || gst_caps_features_is_equal (f,
              GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))
        other = gst_caps_features_new (GST_SL_HUD_OVERLAY_FEATURE, NULL);
      else {
        other = gst_caps_features_copy (f);
        gst_caps_features_add (other, GST_SL_HUD_OVERLAY_FEATURE);
      }
    } else if (direction == GST_PAD_SRC && has_overlay) {
      other = gst_caps_features_copy (f);
      gst_caps_features_remove (other, GST_SL_HUD_OVERLAY_FEATURE);
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
  return ret;
}

/**
 * gst_sl_hud_overlay_downstream_takes_meta:
 * @srcpad: the HUD's source pad, with caps
 *
 * In-place transforms are never given a downstream allocation query by the
 * base class, so the HUD asks downstream itself whether it renders the
 * overlay meta.
 *
 * Returns: whether downstream lists GstVideoOverlayCompositionMeta
 */
gboolean
gst_sl_hud_overlay_downstream_takes_meta (GstPad * srcpad)
{
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (srcpad);
  g_autoptr (GstQuery) query = NULL;

  if (!caps)
    return FALSE;
  query = gst_query_new_allocation (caps, FALSE);
  if (!gst_pad_peer_query (srcpad, query))
    return FALSE;
  return gst_query_find_allocation_meta (query,
      GST_VIDEO_OVERLAY_COMPOSITION_META_API_TYPE, NULL);
}

/**
 * gst_sl_hud_overlay_attach:
 * @buffer: a writable buffer
 * @composition: the HUD's panels
 *
 * Attaches @composition; an overlay attached upstream stays under it.
 */
void
gst_sl_hud_overlay_attach (GstBuffer * buffer,
    GstVideoOverlayComposition * composition)
{
  GstVideoOverlayCompositionMeta *meta =
      gst_buffer_get_video_overlay_composition_meta (buffer);
  GstVideoOverlayComposition *merged;
  guint i;

  if (!meta) {
    gst_buffer_add_video_overlay_composition_meta (buffer, composition);
    return;
  }
  merged = gst_video_overlay_composition_copy (meta->overlay);
  for (i = 0; i < gst_video_overlay_composition_n_rectangles (composition); i++)
    gst_video_overlay_composition_add_rectangle (merged,
        gst_video_overlay_composition_get_rectangle (composition, i));
  gst_video_overlay_composition_unref (meta->overlay);
  meta->overlay = merged;
}
