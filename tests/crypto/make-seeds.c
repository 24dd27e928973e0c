/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Writes (or checks) the seed corpora of the fuzz targets fuzz-handshake
 * and fuzz-record: valid messages and records made with the same
 * deterministic set-up the fuzzers use, so the seeds reach deep states.
 *
 *   make-seeds --write tests/fuzz/corpus    regenerate the tree's seeds
 *   make-seeds --check tests/fuzz/corpus    fail if they are out of date
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>

#include "fuzz-setup.h"

typedef struct
{
  const char *dir;
  gboolean check;
  guint written;
  guint failed;
} Out;

static void
emit (Out * out, const char *target, const char *name, guint8 first,
    GBytes * body)
{
  g_autofree char *path = g_build_filename (out->dir, target, name, NULL);
  g_autoptr (GByteArray) seed = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_byte_array_append (seed, &first, 1);
  if (body != NULL)
    g_byte_array_append (seed, g_bytes_get_data (body, NULL),
        (guint) g_bytes_get_size (body));

  if (out->check) {
    g_autofree char *contents = NULL;
    gsize len = 0;

    if (!g_file_get_contents (path, &contents, &len, &error) ||
        len != seed->len || memcmp (contents, seed->data, len) != 0) {
      g_printerr ("make-seeds: %s is missing or out of date%s%s\n", path,
          error ? ": " : "", error ? error->message : "");
      out->failed++;
    }
  } else {
    g_autofree char *dir = g_path_get_dirname (path);

    if (g_mkdir_with_parents (dir, 0755) != 0 ||
        !g_file_set_contents (path, (const char *) seed->data, seed->len,
            &error)) {
      g_printerr ("make-seeds: cannot write %s: %s\n", path,
          error ? error->message : g_strerror (errno));
      out->failed++;
    }
  }
  out->written++;
}

static void
handshake_seeds (Out * out)
{
  guint code, state;

  for (code = 0; code < 2; code++) {
    for (state = 0; state < SL_FUZZ_N_STATES; state++) {
      SlFuzzHandshake fz;
      g_autofree char *name = g_strdup_printf ("%s-%s",
          code ? "code" : "nocode", sl_fuzz_state_names[state]);

      GBytes *reply = NULL;
      gboolean alert;

      sl_fuzz_handshake_setup (&fz, code, state);
      emit (out, "fuzz-handshake", name, (guint8) (state << 1 | code), fz.next);

      /* The seed must be exactly what that state accepts (an Alert ends
       * the handshake by design). */
      alert = ((const guint8 *) g_bytes_get_data (fz.next, NULL))[1] ==
          SL_WIRE_HS_ALERT;
      if (sl_handshake_process (fz.target, fz.next, &reply, NULL) == alert) {
        g_printerr ("make-seeds: %s is not accepted by its state\n", name);
        out->failed++;
      }
      g_clear_pointer (&reply, g_bytes_unref);
      sl_fuzz_handshake_clear (&fz);
    }
  }
}

static GBytes *
seal (SlSession * s, SlWireType type, const char *text, gsize len)
{
  g_autofree guint8 *copy = g_memdup2 (text, len);
  GBytes *record = sl_session_seal (s, type, copy, len, NULL);

  g_assert_nonnull (record);
  return record;
}

static void
record_seeds (Out * out)
{
  static const char candidate[] = "{\"candidate\":\"candidate:1 1 UDP "
      "2122260223 127.0.0.1 40000 typ host\",\"sdpMLineIndex\":0}";
  g_autofree char *large = g_strnfill (1100, 'x');
  SlFuzzRecord fz;

  {
    g_autoptr (GBytes) r = NULL;

    sl_fuzz_record_setup (&fz);
    r = seal (fz.a, SL_WIRE_RECORD_CONTROL, "", 0);
    emit (out, "fuzz-record", "open-empty", SL_FUZZ_RECORD_OPEN, r);
    sl_fuzz_record_clear (&fz);
  }
  {
    g_autoptr (GBytes) r = NULL;

    sl_fuzz_record_setup (&fz);
    r = seal (fz.a, SL_WIRE_RECORD_ICE_CANDIDATE, candidate,
        strlen (candidate));
    emit (out, "fuzz-record", "open-candidate", SL_FUZZ_RECORD_OPEN, r);
    sl_fuzz_record_clear (&fz);
  }
  {
    g_autoptr (GBytes) r = NULL;

    sl_fuzz_record_setup (&fz);
    r = seal (fz.a, SL_WIRE_RECORD_SDP_OFFER, large, strlen (large));
    emit (out, "fuzz-record", "open-large", SL_FUZZ_RECORD_OPEN, r);
    sl_fuzz_record_clear (&fz);
  }
  {
    /* seq (8) || len (4) || "abc" || zeros: a valid inside. */
    guint8 inner[8 + 4 + 256];
    g_autoptr (GBytes) body = NULL;

    memset (inner, 0, sizeof inner);
    inner[8 + 3] = 3;
    memcpy (inner + 12, "abc", 3);
    body = g_bytes_new (inner, sizeof inner);
    emit (out, "fuzz-record", "inner-valid", SL_FUZZ_RECORD_INNER, body);
    inner[8 + 200] = 1;
    g_clear_pointer (&body, g_bytes_unref);
    body = g_bytes_new (inner, sizeof inner);
    emit (out, "fuzz-record", "inner-bad-padding", SL_FUZZ_RECORD_INNER, body);
  }
  {
    /* Records 0, 2, 1 and 1 again (a replay), each behind a u16 length. */
    g_autoptr (GByteArray) seq = g_byte_array_new ();
    g_autoptr (GBytes) body = NULL;
    GBytes *r[3];
    static const guint order[] = { 0, 2, 1, 1 };
    guint i;

    sl_fuzz_record_setup (&fz);
    for (i = 0; i < 3; i++)
      r[i] = seal (fz.a, SL_WIRE_RECORD_CONTROL, "bye", 3);
    for (i = 0; i < G_N_ELEMENTS (order); i++) {
      gsize len = g_bytes_get_size (r[order[i]]);
      guint8 prefix[2] = { (guint8) (len >> 8), (guint8) len };

      g_byte_array_append (seq, prefix, 2);
      g_byte_array_append (seq, g_bytes_get_data (r[order[i]], NULL),
          (guint) len);
    }
    for (i = 0; i < 3; i++)
      g_bytes_unref (r[i]);
    body = g_bytes_new (seq->data, seq->len);
    emit (out, "fuzz-record", "sequence-replay", SL_FUZZ_RECORD_SEQUENCE, body);
    sl_fuzz_record_clear (&fz);
  }
  {
    static const char sdp[] = "\x10v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";
    g_autoptr (GBytes) body = g_bytes_new (sdp, strlen (sdp));

    emit (out, "fuzz-record", "round-trip-sdp", SL_FUZZ_RECORD_ROUND_TRIP,
        body);
  }
}

int
main (int argc, char **argv)
{
  Out out = { 0 };

  if (argc != 3 || (strcmp (argv[1], "--write") != 0 &&
          strcmp (argv[1], "--check") != 0)) {
    g_printerr ("usage: %s --write|--check CORPUS-DIR\n", argv[0]);
    return 2;
  }
  out.check = strcmp (argv[1], "--check") == 0;
  out.dir = argv[2];

  handshake_seeds (&out);
  record_seeds (&out);

  if (out.failed > 0) {
    g_printerr ("make-seeds: %u of %u seeds %s; run: make-seeds --write %s\n",
        out.failed, out.written, out.check ? "differ" : "failed", out.dir);
    return 1;
  }
  g_print ("make-seeds: %u seeds %s\n", out.written,
      out.check ? "are up to date" : "written");
  return 0;
}
