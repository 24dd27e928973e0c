/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Call control for tests.  Expectations abort the test with the message
 * that arrived instead, so a failure says what the server did.  Presence
 * events interleave with call messages (status changes of the members)
 * and are skipped where a call message is expected.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sl-test-call.h"
#include "sl-signalling.h"

#include <stdarg.h>
#include <string.h>

/**
 * sl_test_new_call_id:
 *
 * Returns: (transfer full): 32 random lowercase hexadecimal characters
 */
char *
sl_test_new_call_id (void)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < 32; i++)
    g_string_append_c (s, "0123456789abcdef"[g_random_int_range (0, 16)]);
  return g_string_free (s, FALSE);
}

/**
 * sl_test_new_blob:
 * @len: bytes before encoding
 *
 * Returns: (transfer full): random bytes as base64: opaque to the server,
 *   unique to the test
 */
char *
sl_test_new_blob (gsize len)
{
  g_autofree guint8 *raw = g_malloc (len);
  gsize i;

  for (i = 0; i < len; i++)
    raw[i] = (guint8) g_random_int_range (0, 256);
  return g_base64_encode (raw, len);
}

/**
 * sl_test_join:
 * @server: the server
 * @pki: the test CA
 * @device_id: a device issued by @pki
 * @version: the protocol version it speaks
 * @out_roster: (out) (optional): its roster
 *
 * Connects and takes `welcome` and `roster`.
 *
 * Returns: (transfer full): the device
 */
SlTestClient *
sl_test_join (SlTestServer * server, SlTestPki * pki, const char *device_id,
    guint version, SlMessage ** out_roster)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SlMessage) welcome = NULL;
  g_autoptr (SlMessage) roster = NULL;
  SlTestClient *client = sl_test_client_connect_version (server, pki,
      device_id, version, &error);

  g_assert_no_error (error);
  welcome = sl_test_client_expect (client, "welcome");
  g_assert_cmpstr (sl_message_get_string (sl_message_get_object (welcome,
              "device"), "id"), ==, device_id);
  roster = sl_test_client_expect (client, "roster");
  if (out_roster)
    *out_roster = g_steal_pointer (&roster);
  return client;
}

/**
 * sl_test_drain:
 * @client: a device
 *
 * Drops what arrives until it is quiet for 200 ms.
 */
void
sl_test_drain (SlTestClient * client)
{
  SlMessage *msg;

  while ((msg = sl_test_client_next (client, 200)))
    sl_message_unref (msg);
}

/**
 * sl_test_send_members:
 * @client: a device
 * @type: a message type of the device's protocol version
 * @...: pairs of member name and string value, then %NULL
 */
void
sl_test_send_members (SlTestClient * client, const char *type, ...)
{
  g_autoptr (SlMessage) msg =
      sl_message_new (sl_signalling_to_server_for (sl_test_client_get_version
          (client)), type);
  const char *name;
  va_list ap;

  va_start (ap, type);
  while ((name = va_arg (ap, const char *)))
      sl_message_set_string (msg, name, va_arg (ap, const char *));
  va_end (ap);
  sl_test_client_send (client, msg);
}

void
sl_test_send_call (SlTestClient * client, const char *type,
    const char *call_id, const char *member, const char *value)
{
  sl_test_send_members (client, type, "call_id", call_id, member, value, NULL);
}

void
sl_test_send_invite (SlTestClient * client, const char *call_id,
    const char *to, const char *hs)
{
  sl_test_send_members (client, "invite", "call_id", call_id, "to", to, "hs",
      hs, NULL);
}

/**
 * sl_test_expect_next:
 * @client: a device
 * @type: a message type
 *
 * The next message that is not a presence event must be of @type.
 *
 * Returns: (transfer full): the message
 */
SlMessage *
sl_test_expect_next (SlTestClient * client, const char *type)
{
  for (;;) {
    SlMessage *msg = sl_test_client_next (client, SL_TEST_TIMEOUT_MS);
    g_autofree char *json = NULL;

    if (msg == NULL)
      g_error ("expected '%s', got nothing", type);
    if (g_str_equal (sl_message_get_type_name (msg), type))
      return msg;
    json = sl_message_to_json (msg, NULL, NULL);
    if (!g_str_equal (sl_message_get_type_name (msg), "presence"))
      g_error ("expected '%s', got %s", type, json);
    sl_message_unref (msg);
  }
}

SlMessage *
sl_test_expect_call (SlTestClient * client, const char *type,
    const char *call_id)
{
  SlMessage *msg = sl_test_expect_next (client, type);

  g_assert_cmpstr (sl_message_get_string (msg, "call_id"), ==, call_id);
  return msg;
}

/**
 * sl_test_expect_about:
 * @client: a version 2 device
 * @type: a call message type
 * @call_id: its call
 * @peer: the member it must name (`from` in a relay, `peer` otherwise)
 *
 * Returns: (transfer full): the message
 */
SlMessage *
sl_test_expect_about (SlTestClient * client, const char *type,
    const char *call_id, const char *peer)
{
  SlMessage *msg = sl_test_expect_call (client, type, call_id);

  g_assert_cmpstr (sl_message_get_string (msg, g_str_equal (type, "relay") ?
          "from" : "peer"), ==, peer);
  return msg;
}

void
sl_test_expect_error (SlTestClient * client, const char *code,
    const char *call_id, const char *ref_type)
{
  g_autoptr (SlMessage) msg = sl_test_expect_next (client, "error");

  g_assert_cmpstr (sl_message_get_string (msg, "code"), ==, code);
  if (call_id)
    g_assert_cmpstr (sl_message_get_string (msg, "call_id"), ==, call_id);
  if (ref_type)
    g_assert_cmpstr (sl_message_get_string (msg, "ref_type"), ==, ref_type);
}

/**
 * sl_test_expect_status:
 * @client: a device
 * @id: a device it sees
 * @status: "available" or "busy"
 *
 * The next presence event (other messages are dropped) must be a status
 * change of @id to @status.
 */
void
sl_test_expect_status (SlTestClient * client, const char *id,
    const char *status)
{
  g_autoptr (SlMessage) msg = sl_test_client_wait_for (client, "presence",
      SL_TEST_TIMEOUT_MS);
  const SlMessage *device;

  g_assert_nonnull (msg);
  device = sl_message_get_object (msg, "device");
  g_assert_cmpstr (sl_message_get_string (msg, "event"), ==, "status");
  g_assert_cmpstr (sl_message_get_string (device, "id"), ==, id);
  g_assert_cmpstr (sl_message_get_string (device, "status"), ==, status);
}

/**
 * sl_test_roster_has:
 * @roster: a `roster` message
 * @id: a device id
 * @status: (nullable): the status it must have, or %NULL for any
 *
 * Returns: whether @id is listed (with @status)
 */
gboolean
sl_test_roster_has (SlMessage * roster, const char *id, const char *status)
{
  guint i;

  for (i = 0; i < sl_message_get_array_length (roster, "devices"); i++) {
    const SlMessage *d = sl_message_get_array_object (roster, "devices", i);

    if (g_str_equal (sl_message_get_string (d, "id"), id))
      return status == NULL ||
          g_str_equal (sl_message_get_string (d, "status"), status);
  }
  return FALSE;
}

/**
 * sl_test_expect_quiet:
 * @client: a device
 * @ms: how long
 *
 * Nothing but presence events may arrive within @ms.
 */
void
sl_test_expect_quiet (SlTestClient * client, guint ms)
{
  SlMessage *msg;

  sl_test_sleep (ms);
  while ((msg = sl_test_client_next (client, 0))) {
    g_autofree char *json = sl_message_to_json (msg, NULL, NULL);

    if (!g_str_equal (sl_message_get_type_name (msg), "presence"))
      g_error ("expected nothing, got %s", json);
    sl_message_unref (msg);
  }
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/**
 * sl_test_join_sorted:
 * @strings: (element-type utf8): strings, sorted in place
 * @separator: put between them
 *
 * Returns: (transfer full): the strings in order, joined
 */
char *
sl_test_join_sorted (GPtrArray * strings, const char *separator)
{
  GString *out = g_string_new (NULL);
  guint i;

  g_ptr_array_sort (strings, compare_strings);
  for (i = 0; i < strings->len; i++)
    g_string_append_printf (out, "%s%s", i ? separator : "",
        (const char *) g_ptr_array_index (strings, i));
  return g_string_free (out, FALSE);
}

struct _SlTestDevices
{
  SlTestServer *server;
  SlTestPki *pki;
  GHashTable *clients;          /* id -> SlTestClient */
};

SlTestDevices *
sl_test_devices_new (SlTestServer * server, SlTestPki * pki)
{
  SlTestDevices *self = g_new0 (SlTestDevices, 1);

  self->server = g_object_ref (server);
  self->pki = g_object_ref (pki);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_object_unref);
  return self;
}

void
sl_test_devices_free (SlTestDevices * self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->clients);
  g_object_unref (self->server);
  g_object_unref (self->pki);
  g_free (self);
}

/**
 * sl_test_devices_connect:
 * @self: the devices
 * @id: a device issued by the test CA, not connected yet
 *
 * Returns: (transfer full): its roster
 */
SlMessage *
sl_test_devices_connect (SlTestDevices * self, const char *id)
{
  SlMessage *roster = NULL;
  SlTestClient *client = sl_test_join (self->server, self->pki, id,
      g_str_has_prefix (id, "legacy-") ? 1 : 2, &roster);

  g_assert_false (g_hash_table_contains (self->clients, id));
  g_hash_table_insert (self->clients, g_strdup (id), client);
  return roster;
}

/**
 * sl_test_devices_get:
 * @self: the devices
 * @id: a device issued by the test CA
 *
 * Returns: (transfer none): the device, connected on first use
 */
SlTestClient *
sl_test_devices_get (SlTestDevices * self, const char *id)
{
  if (!g_hash_table_contains (self->clients, id))
    sl_message_unref (sl_test_devices_connect (self, id));
  return g_hash_table_lookup (self->clients, id);
}

/**
 * sl_test_devices_connect_all:
 * @self: the devices
 * @first: a device id
 * @...: more, then %NULL
 *
 * Connects them, so that none is offline when a test calls it, then drops
 * what every device has received so far.
 */
void
sl_test_devices_connect_all (SlTestDevices * self, const char *first, ...)
{
  GHashTableIter iter;
  gpointer value;
  const char *id;
  va_list ap;

  va_start (ap, first);
  for (id = first; id; id = va_arg (ap, const char *))
      sl_test_devices_get (self, id);
  va_end (ap);
  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sl_test_drain (value);
}

/**
 * sl_test_devices_expect_quiet:
 * @self: the devices
 * @ms: how long
 *
 * No device may receive anything but presence events within @ms.
 */
void
sl_test_devices_expect_quiet (SlTestDevices * self, guint ms)
{
  GHashTableIter iter;
  gpointer value;

  sl_test_sleep (ms);
  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sl_test_expect_quiet (value, 0);
}
