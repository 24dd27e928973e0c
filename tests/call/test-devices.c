/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Devices (issue 18): `sightline devices` on a machine without cameras or
 * microphones says so; --video-device/--audio-device refuse a name no
 * device has (exit 2); a command falling back to test sources warns; and,
 * in this process, a device provider's camera is listed by its name with
 * a description that builds that very device, and picked by that name.
 * The `sightline` processes see none of Debian's device providers (their
 * ranks set to none), whatever this machine has.
 */

#include "config.h"

#include <string.h>
#include <gst/gst.h>

#include "call-harness.h"
#include "sightline/sightline.h"

#define EXIT_OK 0
#define EXIT_USAGE 2
#define EXIT_SERVER 7
#define SECONDS 30

/* Debian 12's device providers, out of the device monitor's sight. */
#define NO_PROVIDERS "GST_PLUGIN_FEATURE_RANK=v4l2deviceprovider:NONE," \
  "uvch264deviceprovider:NONE,libcameraprovider:NONE," \
  "pulsedeviceprovider:NONE,alsadeviceprovider:NONE," \
  "pipewiredeviceprovider:NONE,jackaudiodeviceprovider:NONE," \
  "decklinkdeviceprovider:NONE,vulkandeviceprovider:NONE"

static CallWorld *world;

/* ------------------------------------------------------------------ */
/* A device provider with two cameras named alike and one of its own.  */

typedef struct
{
  GstDevice parent;
} FakeDevice;
typedef struct
{
  GstDeviceClass parent_class;
} FakeDeviceClass;
static GType fake_device_get_type (void);
G_DEFINE_TYPE (FakeDevice, fake_device, GST_TYPE_DEVICE);

static GstElement *
fake_create_element (GstDevice * device, const char *name)
{
  GstElement *src = gst_element_factory_make ("videotestsrc", name);
  g_autofree char *display = gst_device_get_display_name (device);

  /* The device's own settings: what the description must carry. */
  gst_util_set_object_arg (G_OBJECT (src), "pattern",
      g_str_equal (display, "Fake Cam") ? "ball" : "snow");
  g_object_set (src, "is-live", TRUE, NULL);
  return src;
}

static void
fake_device_class_init (FakeDeviceClass * klass)
{
  GST_DEVICE_CLASS (klass)->create_element = fake_create_element;
}

static void
fake_device_init (FakeDevice * self)
{
}

typedef struct
{
  GstDeviceProvider parent;
} FakeProvider;
typedef struct
{
  GstDeviceProviderClass parent_class;
} FakeProviderClass;
static GType fake_provider_get_type (void);
G_DEFINE_TYPE (FakeProvider, fake_provider, GST_TYPE_DEVICE_PROVIDER);

static GList *
fake_probe (GstDeviceProvider * provider)
{
  const char *names[] = { "Fake Cam", "Twin Cam", "Twin Cam" };
  GList *list = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autoptr (GstCaps) caps = gst_caps_new_empty_simple ("video/x-raw");

    list = g_list_append (list, g_object_new (fake_device_get_type (),
            "display-name", names[i], "device-class", "Video/Source", "caps",
            caps, NULL));
  }
  return list;
}

static void
fake_provider_class_init (FakeProviderClass * klass)
{
  GST_DEVICE_PROVIDER_CLASS (klass)->probe = fake_probe;
  gst_device_provider_class_set_static_metadata (GST_DEVICE_PROVIDER_CLASS
      (klass), "Fake cameras", "Video/Source", "Two cameras for a test",
      "Sightline developers");
}

static void
fake_provider_init (FakeProvider * self)
{
}

/* The listed description builds the device's own source. */
static void
test_list_and_pick (void)
{
  g_autoptr (GPtrArray) cams = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) bin = NULL;
  g_autoptr (GstElement) src = NULL;
  g_autofree char *picked = NULL;
  const SlMediaDevice *fake = NULL;
  guint i, twins = 0;
  int pattern = 0;

  g_assert_true (gst_device_provider_register (NULL, "slfakecams",
          GST_RANK_PRIMARY, fake_provider_get_type ()));
  cams = sl_media_device_list (SL_MEDIA_DEVICE_CAMERA);
  for (i = 0; i < cams->len; i++) {
    const SlMediaDevice *d = g_ptr_array_index (cams, i);

    if (g_str_equal (d->name, "Fake Cam"))
      fake = d;
    twins += g_str_equal (d->name, "Twin Cam");
  }
  g_assert_nonnull (fake);
  g_assert_cmpuint (twins, ==, 2);
  g_assert_true (g_str_has_prefix (fake->source, "videotestsrc "));
  g_assert_true (g_str_has_suffix (fake->source, " ! videorate"));

  bin = gst_parse_bin_from_description (fake->source, TRUE, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (bin);
  {
    g_autoptr (GstIterator) it = gst_bin_iterate_sources (GST_BIN (bin));
    GValue item = G_VALUE_INIT;

    g_assert_cmpint (gst_iterator_next (it, &item), ==, GST_ITERATOR_OK);
    src = g_value_dup_object (&item);
    g_value_unset (&item);
  }
  g_assert_cmpstr (GST_OBJECT_NAME (gst_element_get_factory (src)), ==,
      "videotestsrc");
  g_object_get (src, "pattern", &pattern, NULL);
  g_assert_cmpint (pattern, ==, 18);    /* ball */

  picked = sl_media_device_find (SL_MEDIA_DEVICE_CAMERA, "Fake Cam", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (picked, ==, fake->source);
  g_assert_null (sl_media_device_find (SL_MEDIA_DEVICE_CAMERA, "Twin Cam",
          &error));
  g_assert_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "2 cameras are named"));
  g_clear_error (&error);
  g_assert_null (sl_media_device_find (SL_MEDIA_DEVICE_CAMERA, "fake cam",
          &error));
  g_assert_error (error, SL_MEDIA_ERROR, SL_MEDIA_ERROR_CONFIG);
}

/* ------------------------------------------------------------------ */
/* The command, with no device provider at all.                        */

static int
run (const char *const *args, CallClient ** out)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *home = g_strdup_printf ("XDG_CONFIG_HOME=%s", world->dir);
  const char *env[] = { NO_PROVIDERS, home, NULL };
  const char *const *p;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SL_SIGHTLINE"));
  for (p = args; *p; p++)
    g_ptr_array_add (argv, (gpointer) * p);
  g_ptr_array_add (argv, NULL);
  *out = call_client_spawn_argv ("sightline", env,
      (const char *const *) argv->pdata);
  status = call_client_wait_exit (*out, SECONDS);
  return status;
}

static void
test_none (void)
{
  const char *args[] = { "devices", NULL };
  CallClient *c = NULL;

  g_assert_cmpint (run (args, &c), ==, EXIT_OK);
  g_assert_nonnull (call_client_find_line (c, "devices: no camera found"));
  g_assert_nonnull (call_client_find_line (c, "devices: no microphone found"));
  g_assert_cmpuint (c->lines->len, ==, 2);
  call_client_free (c);
}

static void
test_pick_missing (void)
{
  const char *video[] = { "--server=wss://127.0.0.1:1", "--cert=a",
    "--key=b", "--ca=c", "--video-device=Fake Cam", "list", NULL
  };
  const char *audio[] = { "--server=wss://127.0.0.1:1", "--cert=a",
    "--key=b", "--ca=c", "--audio-device=Headset", "list", NULL
  };
  CallClient *c = NULL;

  g_assert_cmpint (run (video, &c), ==, EXIT_USAGE);
  g_assert_nonnull (strstr (c->err_text->str,
          "No camera named \"Fake Cam\": this machine has no camera"));
  g_clear_pointer (&c, call_client_free);
  g_assert_cmpint (run (audio, &c), ==, EXIT_USAGE);
  g_assert_nonnull (strstr (c->err_text->str,
          "No microphone named \"Headset\""));
  call_client_free (c);
}

/* No source given, none found: a warning line for each, before any
 * call; a source given: none for it. */
static void
test_fallback_warns (void)
{
  g_autofree char *cert = call_world_device_arg (world, "goggles", "cert");
  g_autofree char *key = call_world_device_arg (world, "goggles", "key");
  g_autofree char *ca = call_world_device_arg (world, "goggles", "ca");
  g_autofree char *cert_arg = g_strconcat ("--cert=", cert, NULL);
  g_autofree char *key_arg = g_strconcat ("--key=", key, NULL);
  g_autofree char *ca_arg = g_strconcat ("--ca=", ca, NULL);
  const char *both[] = { "--server=wss://127.0.0.1:1", cert_arg, key_arg,
    ca_arg, "--connect-timeout=2", "--ice-address=127.0.0.1", "wait", NULL
  };
  const char *video_given[] = { "--server=wss://127.0.0.1:1", cert_arg,
    key_arg, ca_arg, "--connect-timeout=2", "--ice-address=127.0.0.1",
    "--video=test", "--audio-sink=fakesink", "wait", NULL
  };
  CallClient *c = NULL;

  g_assert_cmpint (run (both, &c), ==, EXIT_SERVER);
  g_assert_nonnull (call_client_find_line (c, "warning: no camera found: "
          "calls send a test picture"));
  g_assert_nonnull (call_client_find_line (c, "warning: no microphone "
          "found: calls send a test tone"));
  /* No window (--display none by default): the sound would still play on
   * the default output, which this command does not have. */
  g_assert_nonnull (call_client_find_line (c, "warning: no speaker found: "
          "the other device's sound is not played"));
  g_clear_pointer (&c, call_client_free);
  g_assert_cmpint (run (video_given, &c), ==, EXIT_SERVER);
  g_assert_null (call_client_find_line (c, "warning: no camera found"));
  g_assert_nonnull (call_client_find_line (c, "warning: no microphone "
          "found"));
  g_assert_null (call_client_find_line (c, "warning: no speaker found"));
  call_client_free (c);
}

int
main (int argc, char **argv)
{
  int status;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  world = call_world_new (3000);
  g_test_add_func ("/devices/list-and-pick", test_list_and_pick);
  g_test_add_func ("/devices/none", test_none);
  g_test_add_func ("/devices/pick-missing", test_pick_missing);
  g_test_add_func ("/devices/fallback-warns", test_fallback_warns);
  status = g_test_run ();
  call_world_free (world);
  gst_deinit ();
  return status;
}
