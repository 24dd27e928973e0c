/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * sl-bench-crypto: the cost of the end-to-end layer.
 *
 *   1. A full handshake (both sides, in one thread) without and with a
 *      security code, median of several runs, and a breakdown naming each
 *      scalar multiplication, the password hash and the hashing/HKDF work.
 *   2. Sealing and opening one record of 64 B, 1 KiB and 4 KiB beside the
 *      raw ChaCha20-Poly1305 primitive timed in the same run: the same
 *      OpenSSL calls (one keyed context, a new nonce per message, 26 bytes
 *      of associated data) with no framing, no padding and no allocation.
 *
 * Times are thread CPU time (CLOCK_THREAD_CPUTIME_ID), so other processes
 * on the machine disturb them less than wall-clock time would; they still
 * share caches and frequency.
 *
 *   sl-bench-crypto [--quick]
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "sl-crypto-private.h"
#include "sl-key-schedule.h"
#include "sl-openssl.h"
#include "sl-spake2.h"

#define CALL_ID "00112233445566778899aabbccddeeff"

static gboolean quick;

static double
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
check (gboolean ok, const char *what)
{
  if (!ok) {
    g_printerr ("sl-bench-crypto: %s failed\n", what);
    exit (1);
  }
}

/* One full handshake, both sides; returns its CPU time in µs. */
static double
handshake_once (const char *code)
{
  double t0 = now_us ();
  g_autoptr (SlHandshake) a = sl_handshake_new (SL_ROLE_CALLER, CALL_ID,
      "goggles", "expert", code, NULL);
  g_autoptr (SlHandshake) b = sl_handshake_new (SL_ROLE_CALLEE, CALL_ID,
      "expert", "goggles", code, NULL);
  g_autoptr (GBytes) commit = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GBytes) reveal = NULL;
  g_autoptr (GBytes) confirm = NULL;
  g_autoptr (GBytes) none = NULL;
  double t1;

  commit = sl_handshake_start (a, NULL);
  check (commit != NULL, "start");
  check (sl_handshake_process (b, commit, &reply, NULL), "commit");
  check (sl_handshake_process (a, reply, &reveal, NULL), "reply");
  check (sl_handshake_process (b, reveal, &confirm, NULL), "reveal");
  check (sl_handshake_process (a, confirm, &none, NULL), "confirm");
  t1 = now_us ();
  check (sl_handshake_is_complete (a) && sl_handshake_is_complete (b),
      "handshake");
  return t1 - t0;
}

static double
handshake_median (const char *code, guint runs)
{
  g_autofree double *t = g_new (double, runs);
  guint i;

  handshake_once (code);        /* warm-up: fetches, tables */
  for (i = 0; i < runs; i++)
    t[i] = handshake_once (code);
  return median (t, runs);
}

typedef void (*OpFunc) (gpointer data);

/* Median over @rounds of the mean time of @batch calls, in µs. */
static double
time_op (OpFunc op, gpointer data, guint batch, guint rounds)
{
  g_autofree double *t = g_new (double, rounds);
  guint r, i;

  op (data);
  for (r = 0; r < rounds; r++) {
    double t0 = now_us ();

    for (i = 0; i < batch; i++)
      op (data);
    t[r] = (now_us () - t0) / batch;
  }
  return median (t, rounds);
}

typedef struct
{
  EC_GROUP *group;
  EC_POINT *m;
  BIGNUM *scalar;
  BN_CTX *bn_ctx;
  EC_POINT *out;
  EVP_PKEY *key;
  guint8 pub[32], w[32], call_id[16];
  guint8 peer_share[65];
  guint8 th[32], ikm[48];
} Prims;

static void
op_x25519_keygen (gpointer data)
{
  Prims *p = data;
  guint8 pub[32];

  EVP_PKEY_free (p->key);
  p->key = sl_crypto_x25519_keygen (pub, NULL);
  check (p->key != NULL, "x25519 keygen");
}

static void
op_x25519_dh (gpointer data)
{
  Prims *p = data;
  guint8 out[32];

  check (sl_crypto_x25519_derive (p->key, p->pub, out, NULL), "x25519");
}

static void
op_p256_base (gpointer data)
{
  Prims *p = data;

  check (EC_POINT_mul (p->group, p->out, p->scalar, NULL, NULL, p->bn_ctx),
      "x*G");
}

static void
op_p256_point (gpointer data)
{
  Prims *p = data;

  check (EC_POINT_mul (p->group, p->out, NULL, p->m, p->scalar, p->bn_ctx),
      "w*M");
}

static void
op_spake2_share (gpointer data)
{
  Prims *p = data;
  SlSpake2 *s = sl_spake2_new (TRUE, p->w, NULL, NULL);

  check (s != NULL, "spake2 share");
  sl_spake2_free (s);
}

static void
op_spake2_finish (gpointer data)
{
  Prims *p = data;
  guint8 hash[32];
  SlSpake2 *s = sl_spake2_new (FALSE, p->w, NULL, NULL);

  check (s != NULL && sl_spake2_finish (s, "goggles", "expert",
          p->peer_share, 65, hash, NULL, NULL, NULL), "spake2 finish");
  sl_spake2_free (s);
}

static void
op_scrypt (gpointer data)
{
  Prims *p = data;
  guint8 w[32];

  check (sl_crypto_password_scalar ("4711-0815", p->call_id, w, NULL),
      "scrypt");
}

static void
op_key_schedule (gpointer data)
{
  Prims *p = data;
  SlKeySchedule ks;
  guint8 mac[32];

  check (sl_key_schedule_derive (p->th, p->ikm, sizeof p->ikm, &ks, NULL) &&
      sl_crypto_hmac_sha256 (ks.confirm_a, 32, p->th, 32, mac, NULL) &&
      sl_crypto_hmac_sha256 (ks.confirm_b, 32, p->th, 32, mac, NULL),
      "key schedule");
  sl_key_schedule_wipe (&ks);
}

static void
handshake_section (void)
{
  guint runs_plain = quick ? 10 : 60, runs_code = quick ? 3 : 15;
  double plain, code;
  Prims p = { 0 };
  g_autoptr (SlSpake2) peer = NULL;
  struct
  {
    const char *name;
    OpFunc op;
    guint calls;                /* per full handshake, both sides */
    guint batch;
    gboolean with_code;
  } ops[] = {
    {"X25519 key generation (base-point mult)", op_x25519_keygen, 2, 50,
        FALSE},
    {"X25519 shared secret (mult)", op_x25519_dh, 2, 50, FALSE},
    {"SPAKE2 share: x*G + w*M", op_spake2_share, 2, 20, TRUE},
    {"  of which P-256 x*G (own share)", op_p256_base, 2, 50, TRUE},
    {"  of which P-256 w*M (own share)", op_p256_point, 2, 50, TRUE},
    /* Timed with a fresh share each time; the share row is subtracted. */
    {"SPAKE2 K = x*(pB - w*N) (w*N, then x*P)", op_spake2_finish, 2, 10,
        TRUE},
    {"scrypt password hash (N=2^14, r=8, p=1)", op_scrypt, 2, 1, TRUE},
    {"HKDF (1 extract, 8 expands) + 2 HMAC", op_key_schedule, 2, 50, FALSE},
  };
  double sum_plain = 0, sum_code = 0, share_us = 0;
  guint i;

  plain = handshake_median (NULL, runs_plain);
  code = handshake_median ("4711-0815", runs_code);
  g_print ("== Full handshake, both sides in one thread (median CPU time)\n");
  g_print ("%-44s %10.0f us  (%u runs)\n", "without a code", plain, runs_plain);
  g_print ("%-44s %10.0f us  (%u runs)\n\n", "with a code", code, runs_code);

  p.group = EC_GROUP_new_by_curve_name (NID_X9_62_prime256v1);
  p.m = EC_POINT_new (p.group);
  p.out = EC_POINT_new (p.group);
  p.bn_ctx = BN_CTX_new ();
  p.scalar = BN_new ();
  check (p.group && p.m && p.out && p.bn_ctx && p.scalar, "set-up");
  check (BN_rand_range (p.scalar, EC_GROUP_get0_order (p.group)), "rand");
  BN_set_flags (p.scalar, BN_FLG_CONSTTIME);
  check (EC_POINT_mul (p.group, p.m, p.scalar, NULL, NULL, p.bn_ctx), "M");
  p.key = sl_crypto_x25519_keygen (p.pub, NULL);
  check (p.key != NULL, "key");
  check (sl_crypto_call_id_from_hex (CALL_ID, p.call_id), "call id");
  check (sl_crypto_random (p.w, 31, NULL), "w");
  peer = sl_spake2_new (TRUE, p.w, NULL, NULL);
  memcpy (p.peer_share, sl_spake2_get_share (peer), 65);
  memset (p.th, 7, sizeof p.th);
  memset (p.ikm, 9, sizeof p.ikm);

  g_print ("== Where the handshake time goes (the same calls, timed alone)\n");
  g_print ("%-44s %10s %6s %12s\n", "operation", "us/call", "calls",
      "us/handshake");
  for (i = 0; i < G_N_ELEMENTS (ops); i++) {
    double us = time_op (ops[i].op, &p, quick ? MAX (1, ops[i].batch / 5) :
        ops[i].batch, quick ? 3 : 9);
    gboolean part = ops[i].name[0] == ' ';

    if (ops[i].op == op_spake2_finish)
      us -= share_us;
    if (ops[i].op == op_spake2_share)
      share_us = us;

    g_print ("%-44s %10.1f %6u %12.0f%s\n", ops[i].name, us, ops[i].calls,
        us * ops[i].calls, ops[i].with_code ? "  (code only)" : "");
    if (part)
      continue;
    if (!ops[i].with_code)
      sum_plain += us * ops[i].calls;
    sum_code += us * ops[i].calls;
  }
  g_print ("%-44s %10s %6s %12.0f  = %.0f%% of the measured %0.f us\n",
      "sum, without a code", "", "", sum_plain, 100 * sum_plain / plain, plain);
  g_print ("%-44s %10s %6s %12.0f  = %.0f%% of the measured %0.f us\n\n",
      "sum, with a code", "", "", sum_code, 100 * sum_code / code, code);

  EVP_PKEY_free (p.key);
  EC_POINT_free (p.m);
  EC_POINT_free (p.out);
  BN_free (p.scalar);
  BN_CTX_free (p.bn_ctx);
  EC_GROUP_free (p.group);
}

typedef struct
{
  gsize len;
  guint8 *template;
  guint8 *buf;
  guint8 *out;
  EVP_CIPHER_CTX *ctx;
  guint64 seq;
  SlSession *sender;
  SlSession *receiver;
  GBytes **records;
  guint n_records, next_record;
  guint8 **raw;                 /* raw ciphertexts with tags */
  guint8 key[32], iv[12], ad[26];
  guint8 call_id[16], key_b[32], iv_b[12], dtls[32];
} Rec;

/* The baseline's own context: plain OpenSSL, keyed once. */
static EVP_CIPHER_CTX *
raw_ctx_new (const guint8 * key, int encrypt)
{
  static EVP_CIPHER *cipher;
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();

  if (cipher == NULL)
    cipher = EVP_CIPHER_fetch (NULL, "ChaCha20-Poly1305", NULL);
  check (ctx != NULL && cipher != NULL &&
      EVP_CipherInit_ex2 (ctx, cipher, key, NULL, encrypt, NULL), "raw ctx");
  return ctx;
}

static void
make_nonce (Rec * r, guint64 seq, guint8 nonce[12])
{
  guint i;

  memcpy (nonce, r->iv, 12);
  for (i = 0; i < 8; i++)
    nonce[4 + i] ^= (guint8) (seq >> (56 - 8 * i));
}

static void
op_seal (gpointer data)
{
  Rec *r = data;
  GBytes *rec;

  memcpy (r->buf, r->template, r->len);
  rec = sl_session_seal (r->sender, SL_WIRE_RECORD_SDP_OFFER, r->buf, r->len,
      NULL);
  check (rec != NULL, "seal");
  g_bytes_unref (rec);
}

static void
op_raw_seal (gpointer data)
{
  Rec *r = data;
  guint8 nonce[12];
  int n;

  memcpy (r->buf, r->template, r->len);
  make_nonce (r, r->seq++, nonce);
  check (EVP_EncryptInit_ex2 (r->ctx, NULL, NULL, nonce, NULL) &&
      EVP_EncryptUpdate (r->ctx, NULL, &n, r->ad, sizeof r->ad) &&
      EVP_EncryptUpdate (r->ctx, r->out, &n, r->buf, (int) r->len) &&
      EVP_EncryptFinal_ex (r->ctx, r->out + n, &n) &&
      EVP_CIPHER_CTX_ctrl (r->ctx, EVP_CTRL_AEAD_GET_TAG, 16,
          r->out + r->len), "raw seal");
}

static void
op_open (gpointer data)
{
  Rec *r = data;
  GBytes *plain;

  plain = sl_session_open (r->receiver, r->records[r->next_record++], NULL,
      NULL);
  check (plain != NULL, "open");
  g_bytes_unref (plain);
}

static void
op_raw_open (gpointer data)
{
  Rec *r = data;
  guint idx = r->next_record++;
  guint8 nonce[12];
  int n;

  make_nonce (r, idx, nonce);
  check (EVP_DecryptInit_ex2 (r->ctx, NULL, NULL, nonce, NULL) &&
      EVP_DecryptUpdate (r->ctx, NULL, &n, r->ad, sizeof r->ad) &&
      EVP_DecryptUpdate (r->ctx, r->out, &n, r->raw[idx], (int) r->len) &&
      EVP_CIPHER_CTX_ctrl (r->ctx, EVP_CTRL_AEAD_SET_TAG, 16,
          r->raw[idx] + r->len) &&
      EVP_DecryptFinal_ex (r->ctx, r->out + n, &n), "raw open");
}

/* Interleaves batches of ours and of the raw primitive so that both see
 * the same machine state; returns the two medians. */
static void
compare (OpFunc ours, OpFunc raw, Rec * r, guint batch, guint rounds,
    gboolean opening, double *t_ours, double *t_raw)
{
  g_autofree double *a = g_new (double, rounds);
  g_autofree double *b = g_new (double, rounds);
  guint i, j;

  for (i = 0; i < rounds; i++) {
    double t0;

    /* Opening reuses the same records every round, with a fresh receiver
     * (sequence numbers start again), so both sides read warm memory. */
    if (opening) {
      g_clear_object (&r->receiver);
      r->receiver = sl_session_new_internal (SL_ROLE_CALLEE, r->call_id,
          r->key_b, r->iv_b, r->key, r->iv, r->dtls, NULL);
      r->next_record = 0;
    }
    t0 = now_us ();
    for (j = 0; j < batch; j++)
      ours (r);
    a[i] = (now_us () - t0) / batch;

    if (opening)
      r->next_record = 0;
    t0 = now_us ();
    for (j = 0; j < batch; j++)
      raw (r);
    b[i] = (now_us () - t0) / batch;
  }
  *t_ours = median (a, rounds);
  *t_raw = median (b, rounds);
}

static void
record_section (void)
{
  static const gsize sizes[] = { 64, 1024, 4096 };
  guint batch = 200, rounds = quick ? 10 : 100;
  guint s;

  g_print ("== Sealed records vs raw ChaCha20-Poly1305 (median CPU time per "
      "record, %u x %u)\n", rounds, batch);
  g_print ("%-6s %-5s %10s %10s %7s   %s\n", "size", "op", "ours us", "raw us",
      "ratio", "raw on the padded size (ours / that)");

  for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
    Rec r = { 0 };
    gsize padded = sl_session_padded_size (sizes[s]);
    guint n = batch, i;
    double seal_ours, seal_raw, open_ours, open_raw, pad_seal, pad_open;
    guint8 **raw_pad;

    r.len = sizes[s];
    r.template = g_malloc (padded);
    r.buf = g_malloc (padded);
    r.out = g_malloc (padded + 16);
    for (i = 0; i < padded; i++)
      r.template[i] = (guint8) i;
    check (sl_crypto_random (r.key, 32, NULL) &&
        sl_crypto_random (r.iv, 12, NULL) &&
        sl_crypto_random (r.call_id, 16, NULL), "random");
    memset (r.key_b, 1, 32);
    memset (r.iv_b, 2, 12);
    memset (r.dtls, 3, 32);
    memset (r.ad, 4, sizeof r.ad);
    r.sender = sl_session_new_internal (SL_ROLE_CALLER, r.call_id, r.key, r.iv,
        r.key_b, r.iv_b, r.dtls, NULL);
    r.receiver = sl_session_new_internal (SL_ROLE_CALLEE, r.call_id, r.key_b,
        r.iv_b, r.key, r.iv, r.dtls, NULL);
    r.ctx = raw_ctx_new (r.key, 1);
    check (r.sender && r.receiver && r.ctx, "sessions");

    compare (op_seal, op_raw_seal, &r, batch, rounds, FALSE, &seal_ours,
        &seal_raw);

    /* The raw primitive on the padded size: what padding alone costs. */
    r.len = padded;
    pad_seal = time_op (op_raw_seal, &r, batch, rounds);
    r.len = sizes[s];

    /* Records to open: ours from a fresh sender (sequence 0...), raw ones
     * sealed with the same calls as above. */
    g_clear_object (&r.sender);
    r.sender = sl_session_new_internal (SL_ROLE_CALLER, r.call_id, r.key, r.iv,
        r.key_b, r.iv_b, r.dtls, NULL);
    r.records = g_new (GBytes *, n);
    r.raw = g_new (guint8 *, n);
    raw_pad = g_new (guint8 *, n);
    r.seq = 0;
    for (i = 0; i < n; i++) {
      memcpy (r.buf, r.template, r.len);
      r.records[i] = sl_session_seal (r.sender, SL_WIRE_RECORD_SDP_OFFER,
          r.buf, r.len, NULL);
      op_raw_seal (&r);
      r.raw[i] = g_memdup2 (r.out, r.len + 16);
    }
    r.seq = 0;
    r.len = padded;
    for (i = 0; i < n; i++) {
      op_raw_seal (&r);
      raw_pad[i] = g_memdup2 (r.out, r.len + 16);
    }
    r.len = sizes[s];
    EVP_CIPHER_CTX_free (r.ctx);
    r.ctx = raw_ctx_new (r.key, 0);

    /* Each round opens fresh records: rounds x batch of them. */
    compare (op_open, op_raw_open, &r, batch, rounds, TRUE, &open_ours,
        &open_raw);
    {
      guint8 **unpadded = r.raw;
      double again;

      r.raw = raw_pad;
      r.len = padded;
      compare (op_raw_open, op_raw_open, &r, batch, rounds, TRUE, &pad_open,
          &again);
      r.raw = unpadded;
      r.len = sizes[s];
    }

    g_print ("%-6" G_GSIZE_FORMAT " %-5s %10.3f %10.3f %6.2fx   %.3f us "
        "(%" G_GSIZE_FORMAT " B: %.2fx)\n", sizes[s], "seal", seal_ours,
        seal_raw, seal_ours / seal_raw, pad_seal, padded, seal_ours / pad_seal);
    g_print ("%-6" G_GSIZE_FORMAT " %-5s %10.3f %10.3f %6.2fx   %.3f us "
        "(%" G_GSIZE_FORMAT " B: %.2fx)\n", sizes[s], "open", open_ours,
        open_raw, open_ours / open_raw, pad_open, padded, open_ours / pad_open);

    for (i = 0; i < n; i++) {
      g_bytes_unref (r.records[i]);
      g_free (r.raw[i]);
      g_free (raw_pad[i]);
    }
    g_free (r.records);
    g_free (r.raw);
    g_free (raw_pad);
    EVP_CIPHER_CTX_free (r.ctx);
    g_clear_object (&r.sender);
    g_clear_object (&r.receiver);
    g_free (r.template);
    g_free (r.buf);
    g_free (r.out);
  }
}

int
main (int argc, char **argv)
{
  quick = argc > 1 && strcmp (argv[1], "--quick") == 0;

  g_print ("sl-bench-crypto: OpenSSL %s, %s\n\n",
      OpenSSL_version (OPENSSL_VERSION_STRING),
      quick ? "quick run (--quick): fewer repetitions" : "full run");
  handshake_section ();
  record_section ();
  return 0;
}
