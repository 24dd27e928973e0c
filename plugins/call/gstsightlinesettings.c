/* Sightline call element
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sightlinebin's writable properties: their specs, storage and the
 * engine's configuration made from them.  Pure helpers on plain data;
 * the element holds its object lock around them.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsightlinesettings.h"

#include <string.h>

#include <gst/gst.h>

#define DEFAULT_WIDTH 640
#define DEFAULT_HEIGHT 480
#define DEFAULT_FRAMERATE 30
#define DEFAULT_BITRATE 1500
#define DEFAULT_LATENCY 30
#define DEFAULT_CONNECT_TIMEOUT 10

G_DEFINE_ENUM_TYPE (GstSightlineCodec, gst_sightline_codec,
    G_DEFINE_ENUM_VALUE (GST_SIGHTLINE_CODEC_VP8, "vp8"),
    G_DEFINE_ENUM_VALUE (GST_SIGHTLINE_CODEC_H264, "h264"));

enum
{
  PROP_0,
  PROP_SERVER,
  PROP_CERT,
  PROP_KEY,
  PROP_CA,
  PROP_PEER,
  PROP_CODE,
  PROP_AUTO_ANSWER,
  PROP_ICE_ADDRESS,
  PROP_STUN_SERVER,
  PROP_TURN_SERVER,
  PROP_RELAY_ONLY,
  PROP_CODEC,
  PROP_BITRATE,
  PROP_LATENCY,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_FRAMERATE,
  PROP_CONNECT_TIMEOUT,
  PROP_REMEMBER_KEYS,
  N_SETTINGS
};

G_STATIC_ASSERT (N_SETTINGS == GST_SIGHTLINE_N_SETTINGS + 1);

#define SETTING (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    G_PARAM_EXPLICIT_NOTIFY | GST_PARAM_MUTABLE_READY)

static void
wipe_string (char **text)
{
  if (*text)
    memset (*text, 0, strlen (*text));
  g_clear_pointer (text, g_free);
}

void
gst_sightline_settings_init (GstSightlineSettings * s)
{
  memset (s, 0, sizeof (*s));
  s->codec = GST_SIGHTLINE_CODEC_VP8;
  s->bitrate = DEFAULT_BITRATE;
  s->latency = DEFAULT_LATENCY;
  s->width = DEFAULT_WIDTH;
  s->height = DEFAULT_HEIGHT;
  s->framerate = DEFAULT_FRAMERATE;
  s->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  s->remember_keys = TRUE;
}

void
gst_sightline_settings_clear (GstSightlineSettings * s)
{
  g_clear_pointer (&s->server, g_free);
  g_clear_pointer (&s->cert, g_free);
  g_clear_pointer (&s->key, g_free);
  g_clear_pointer (&s->ca, g_free);
  g_clear_pointer (&s->peer, g_free);
  wipe_string (&s->code);
  g_clear_pointer (&s->ice_address, g_free);
  g_clear_pointer (&s->stun_server, g_free);
  g_clear_pointer (&s->turn_server, g_free);
}

/**
 * gst_sightline_settings_install:
 * @klass: the element's class
 *
 * Installs the settings as properties 1 .. %GST_SIGHTLINE_N_SETTINGS.
 */
void
gst_sightline_settings_install (GObjectClass * klass)
{
  GParamSpec *pspec[N_SETTINGS] = { NULL, };

  pspec[PROP_SERVER] = g_param_spec_string ("server", "Server",
      "The signalling server, wss://HOST:PORT", NULL, SETTING);
  pspec[PROP_CERT] = g_param_spec_string ("cert", "Certificate",
      "This device's certificate (PEM file)", NULL, SETTING);
  pspec[PROP_KEY] = g_param_spec_string ("key", "Key",
      "This device's private key (PEM file)", NULL, SETTING);
  pspec[PROP_CA] = g_param_spec_string ("ca", "CA",
      "The operator CA certificate, the only one trusted (PEM file)", NULL,
      SETTING);
  pspec[PROP_PEER] = g_param_spec_string ("peer", "Peer",
      "The device to call; none: wait for a call", NULL, SETTING);
  pspec[PROP_CODE] = g_param_spec_string ("code", "Security code",
      "A security code both users typed: it authenticates the call "
      "(write only: reads \"****\")", NULL, SETTING);
  pspec[PROP_AUTO_ANSWER] = g_param_spec_boolean ("auto-answer",
      "Auto-answer", "Without peer: take a call as soon as it rings "
      "(otherwise the \"accept\" action signal)", FALSE, SETTING);
  pspec[PROP_ICE_ADDRESS] = g_param_spec_string ("ice-address",
      "ICE addresses", "Local addresses ICE may use, comma-separated "
      "(default: all)", NULL, SETTING);
  pspec[PROP_STUN_SERVER] = g_param_spec_string ("stun-server", "STUN",
      "A STUN server, stun://HOST:PORT", NULL, SETTING);
  pspec[PROP_TURN_SERVER] = g_param_spec_string ("turn-server", "TURN",
      "TURN servers, turn://USER:PASSWORD@HOST:PORT, comma-separated (the "
      "server's own come with its welcome)", NULL, SETTING);
  pspec[PROP_RELAY_ONLY] = g_param_spec_boolean ("relay-only", "Relay only",
      "Use TURN relays only; never reveal this device's addresses", FALSE,
      SETTING);
  pspec[PROP_CODEC] = g_param_spec_enum ("codec", "Codec",
      "The video codec to offer (H.264 when both devices can, VP8 "
      "otherwise)", GST_TYPE_SIGHTLINE_CODEC, GST_SIGHTLINE_CODEC_VP8, SETTING);
  pspec[PROP_BITRATE] = g_param_spec_uint ("bitrate", "Bitrate",
      "Video bitrate sent (kbit/s)", 50, 100000, DEFAULT_BITRATE, SETTING);
  pspec[PROP_LATENCY] = g_param_spec_uint ("latency", "Latency",
      "Jitterbuffer latency (ms)", 0, 5000, DEFAULT_LATENCY, SETTING);
  pspec[PROP_WIDTH] = g_param_spec_uint ("width", "Width",
      "Width of the video sent", 16, 7680, DEFAULT_WIDTH, SETTING);
  pspec[PROP_HEIGHT] = g_param_spec_uint ("height", "Height",
      "Height of the video sent", 16, 4320, DEFAULT_HEIGHT, SETTING);
  pspec[PROP_FRAMERATE] = g_param_spec_uint ("framerate", "Frame rate",
      "Frames per second of the video sent", 1, 120, DEFAULT_FRAMERATE,
      SETTING);
  pspec[PROP_CONNECT_TIMEOUT] = g_param_spec_uint ("connect-timeout",
      "Connect timeout", "Post an error if the server cannot be reached "
      "within this many seconds (0: keep trying)", 0, 3600,
      DEFAULT_CONNECT_TIMEOUT, SETTING);
  pspec[PROP_REMEMBER_KEYS] = g_param_spec_boolean ("remember-keys",
      "Remember keys", "Key continuity: keep the key of a verified call for "
      "the next call with the same device (the store the sightline command "
      "uses for this device)", TRUE, SETTING);
  g_object_class_install_properties (klass, N_SETTINGS, pspec);
}

/**
 * gst_sightline_settings_set:
 *
 * Returns: %FALSE when @prop_id is no setting
 */
gboolean
gst_sightline_settings_set (GstSightlineSettings * s, guint prop_id,
    const GValue * value)
{
  switch (prop_id) {
    case PROP_SERVER:
      g_free (s->server);
      s->server = g_value_dup_string (value);
      return TRUE;
    case PROP_CERT:
      g_free (s->cert);
      s->cert = g_value_dup_string (value);
      return TRUE;
    case PROP_KEY:
      g_free (s->key);
      s->key = g_value_dup_string (value);
      return TRUE;
    case PROP_CA:
      g_free (s->ca);
      s->ca = g_value_dup_string (value);
      return TRUE;
    case PROP_PEER:
      g_free (s->peer);
      s->peer = g_value_dup_string (value);
      return TRUE;
    case PROP_CODE:
      wipe_string (&s->code);
      s->code = g_value_dup_string (value);
      return TRUE;
    case PROP_AUTO_ANSWER:
      s->auto_answer = g_value_get_boolean (value);
      return TRUE;
    case PROP_ICE_ADDRESS:
      g_free (s->ice_address);
      s->ice_address = g_value_dup_string (value);
      return TRUE;
    case PROP_STUN_SERVER:
      g_free (s->stun_server);
      s->stun_server = g_value_dup_string (value);
      return TRUE;
    case PROP_TURN_SERVER:
      g_free (s->turn_server);
      s->turn_server = g_value_dup_string (value);
      return TRUE;
    case PROP_RELAY_ONLY:
      s->relay_only = g_value_get_boolean (value);
      return TRUE;
    case PROP_CODEC:
      s->codec = g_value_get_enum (value);
      return TRUE;
    case PROP_BITRATE:
      s->bitrate = g_value_get_uint (value);
      return TRUE;
    case PROP_LATENCY:
      s->latency = g_value_get_uint (value);
      return TRUE;
    case PROP_WIDTH:
      s->width = g_value_get_uint (value);
      return TRUE;
    case PROP_HEIGHT:
      s->height = g_value_get_uint (value);
      return TRUE;
    case PROP_FRAMERATE:
      s->framerate = g_value_get_uint (value);
      return TRUE;
    case PROP_CONNECT_TIMEOUT:
      s->connect_timeout = g_value_get_uint (value);
      return TRUE;
    case PROP_REMEMBER_KEYS:
      s->remember_keys = g_value_get_boolean (value);
      return TRUE;
    default:
      return FALSE;
  }
}

/**
 * gst_sightline_settings_get:
 *
 * Returns: %FALSE when @prop_id is no setting
 */
gboolean
gst_sightline_settings_get (const GstSightlineSettings * s, guint prop_id,
    GValue * value)
{
  switch (prop_id) {
    case PROP_SERVER:
      g_value_set_string (value, s->server);
      return TRUE;
    case PROP_CERT:
      g_value_set_string (value, s->cert);
      return TRUE;
    case PROP_KEY:
      g_value_set_string (value, s->key);
      return TRUE;
    case PROP_CA:
      g_value_set_string (value, s->ca);
      return TRUE;
    case PROP_PEER:
      g_value_set_string (value, s->peer);
      return TRUE;
    case PROP_CODE:
      /* A secret: never read back. */
      g_value_set_string (value, s->code ? "****" : NULL);
      return TRUE;
    case PROP_AUTO_ANSWER:
      g_value_set_boolean (value, s->auto_answer);
      return TRUE;
    case PROP_ICE_ADDRESS:
      g_value_set_string (value, s->ice_address);
      return TRUE;
    case PROP_STUN_SERVER:
      g_value_set_string (value, s->stun_server);
      return TRUE;
    case PROP_TURN_SERVER:
      g_value_set_string (value, s->turn_server);
      return TRUE;
    case PROP_RELAY_ONLY:
      g_value_set_boolean (value, s->relay_only);
      return TRUE;
    case PROP_CODEC:
      g_value_set_enum (value, s->codec);
      return TRUE;
    case PROP_BITRATE:
      g_value_set_uint (value, s->bitrate);
      return TRUE;
    case PROP_LATENCY:
      g_value_set_uint (value, s->latency);
      return TRUE;
    case PROP_WIDTH:
      g_value_set_uint (value, s->width);
      return TRUE;
    case PROP_HEIGHT:
      g_value_set_uint (value, s->height);
      return TRUE;
    case PROP_FRAMERATE:
      g_value_set_uint (value, s->framerate);
      return TRUE;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, s->connect_timeout);
      return TRUE;
    case PROP_REMEMBER_KEYS:
      g_value_set_boolean (value, s->remember_keys);
      return TRUE;
    default:
      return FALSE;
  }
}

static char **
split_list (const char *text)
{
  g_auto (GStrv) parts = NULL;
  GPtrArray *out;
  guint i;

  if (text == NULL || *text == '\0')
    return NULL;
  parts = g_strsplit (text, ",", -1);
  out = g_ptr_array_new ();
  for (i = 0; parts[i]; i++) {
    g_strstrip (parts[i]);
    if (*parts[i])
      g_ptr_array_add (out, g_strdup (parts[i]));
  }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/**
 * gst_sightline_settings_to_config:
 * @s: settings
 *
 * Returns: (transfer full): the engine's configuration
 */
GstSightlineConfig *
gst_sightline_settings_to_config (const GstSightlineSettings * s)
{
  GstSightlineConfig *c = g_new0 (GstSightlineConfig, 1);
  SlMediaOptions *m = sl_media_options_new ();

  c->server = g_strdup (s->server);
  c->cert = g_strdup (s->cert);
  c->key = g_strdup (s->key);
  c->ca = g_strdup (s->ca);
  c->peer = g_strdup (s->peer && *s->peer ? s->peer : NULL);
  c->code = g_strdup (s->code && *s->code ? s->code : NULL);
  c->auto_answer = s->auto_answer;
  c->remember_keys = s->remember_keys;
  c->connect_timeout_s = s->connect_timeout;
  m->ice_addresses = split_list (s->ice_address);
  m->stun_server = g_strdup (s->stun_server);
  m->turn_servers = split_list (s->turn_server);
  m->relay_only = s->relay_only;
  m->codec = s->codec == GST_SIGHTLINE_CODEC_H264 ? SL_VIDEO_CODEC_H264 :
      SL_VIDEO_CODEC_VP8;
  m->video_kbps = s->bitrate;
  m->latency_ms = s->latency;
  m->width = s->width;
  m->height = s->height;
  m->framerate = s->framerate;
  /* An input left unrequested sends black video or silence: the other
   * device's pipeline negotiates as with any device. */
  m->video_source = g_strdup ("videotestsrc is-live=true pattern=black");
  m->audio_source = g_strdup ("audiotestsrc is-live=true wave=silence");
  c->media = m;
  return c;
}
