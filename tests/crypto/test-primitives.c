/* Sightline
 * Copyright (C) 2026 Sightline developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Known-answer tests for every primitive the crypto module wraps (RFC 7748,
 * RFC 5869, RFC 8439, RFC 9382 Appendix B, RFC 7914), and the small
 * helpers: call ids, constant-time equality, code normalisation, point
 * validation.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto-test-util.h"
#include "sl-crypto-private.h"
#include "sl-spake2.h"

/* RFC 7748 section 5.2. */
static void
test_x25519_rfc7748_vectors (void)
{
  static const struct
  {
    const char *scalar, *u, *out;
  } v[] = {
    {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
          "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
    {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
          "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (v); i++) {
    guint8 k[32], u[32], out[32];

    sl_test_hex_into (v[i].scalar, k, 32);
    sl_test_hex_into (v[i].u, u, 32);
    g_assert_true (sl_crypto_x25519 (k, u, out, NULL));
    sl_test_assert_hex (out, 32, v[i].out);
  }
}

/* RFC 7748 section 5.2: k = X25519(k, u), u = old k, from k = u = 9. */
static void
test_x25519_rfc7748_iterated (void)
{
  guint8 k[32] = { 9 }, u[32] = { 9 }, out[32];
  guint i;

  for (i = 1; i <= 1000; i++) {
    g_assert_true (sl_crypto_x25519 (k, u, out, NULL));
    memcpy (u, k, 32);
    memcpy (k, out, 32);
    if (i == 1)
      sl_test_assert_hex (k, 32,
          "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
  }
  sl_test_assert_hex (k, 32,
      "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}

/* RFC 7748 section 6.1. */
static void
test_x25519_rfc7748_dh (void)
{
  guint8 a[32], b[32], pub_a[32], pub_b[32], s1[32], s2[32];

  sl_test_hex_into
      ("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a,
      32);
  sl_test_hex_into
      ("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b,
      32);
  g_assert_true (sl_crypto_x25519_public (a, pub_a, NULL));
  g_assert_true (sl_crypto_x25519_public (b, pub_b, NULL));
  sl_test_assert_hex (pub_a, 32,
      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  sl_test_assert_hex (pub_b, 32,
      "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  g_assert_true (sl_crypto_x25519 (a, pub_b, s1, NULL));
  g_assert_true (sl_crypto_x25519 (b, pub_a, s2, NULL));
  sl_test_assert_hex (s1, 32,
      "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  sl_test_assert_hex (s2, 32,
      "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
}

/* Small-order points give the all-zero secret: refused as MALFORMED. */
static void
test_x25519_small_order (void)
{
  static const char *const points[] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  };
  guint8 k[32], u[32], out[32];
  guint i;

  memset (k, 0x42, sizeof k);
  for (i = 0; i < G_N_ELEMENTS (points); i++) {
    g_autoptr (GError) error = NULL;

    sl_test_hex_into (points[i], u, 32);
    memset (out, 0xaa, sizeof out);
    g_assert_false (sl_crypto_x25519 (k, u, out, &error));
    g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
    g_assert_cmpuint (out[0] | out[31], ==, 0);
  }
}

/* RFC 5869 Appendix A.1 to A.3 (SHA-256). */
static void
test_hkdf_rfc5869 (void)
{
  static const struct
  {
    const char *ikm, *salt, *info, *prk, *okm;
  } v[] = {
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
          "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
          "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
          "34007208d5b887185865"},
    {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
          "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
          "404142434445464748494a4b4c4d4e4f",
          "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
          "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
          "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
          "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
          "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
          "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
          "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
          "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
          "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
          "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
          "9d201395faa4b61a96c8"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (v); i++) {
    g_autoptr (GBytes) ikm = sl_test_hex (v[i].ikm);
    g_autoptr (GBytes) salt = sl_test_hex (v[i].salt);
    g_autoptr (GBytes) info = sl_test_hex (v[i].info);
    gsize okm_len = strlen (v[i].okm) / 2;
    g_autofree guint8 *okm = g_malloc (okm_len);
    guint8 prk[32];

    g_assert_true (sl_crypto_hkdf_extract (g_bytes_get_data (salt, NULL),
            g_bytes_get_size (salt), g_bytes_get_data (ikm, NULL),
            g_bytes_get_size (ikm), prk, NULL));
    sl_test_assert_hex (prk, 32, v[i].prk);
    g_assert_true (sl_crypto_hkdf_expand (prk, 32,
            g_bytes_get_data (info, NULL), g_bytes_get_size (info), okm,
            okm_len, NULL));
    sl_test_assert_hex (okm, okm_len, v[i].okm);
  }
}

static const char sunscreen[] = "Ladies and Gentlemen of the class of '99: "
    "If I could offer you only one tip for the future, sunscreen would be it.";

/* RFC 8439 section 2.8.2: seal. */
static void
test_aead_rfc8439_seal (void)
{
  guint8 key[32], nonce[12], ad[12], tag[16];
  gsize len = strlen (sunscreen);
  g_autofree guint8 *out = g_malloc (len);
  g_autofree guint8 *back = g_malloc (len);

  sl_test_hex_into
      ("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", key,
      32);
  sl_test_hex_into ("070000004041424344454647", nonce, 12);
  sl_test_hex_into ("50515253c0c1c2c3c4c5c6c7", ad, 12);
  g_assert_true (sl_crypto_aead_seal (key, nonce, ad, sizeof ad,
          (const guint8 *) sunscreen, len, out, tag, NULL));
  sl_test_assert_hex (out, len,
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
      "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
      "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
      "3ff4def08e4b7a9de576d26586cec64b6116");
  sl_test_assert_hex (tag, 16, "1ae10b594f09e26a7e902ecbd0600691");

  g_assert_true (sl_crypto_aead_open (key, nonce, ad, sizeof ad, out, len, tag,
          back, NULL));
  g_assert_cmpmem (back, len, sunscreen, len);
}

/* RFC 8439 Appendix A.5: open, and refuse any change to tag, data or ad. */
static void
test_aead_rfc8439_open (void)
{
  g_autoptr (GBytes) ct = sl_test_hex
      ("64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
      "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
      "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
      "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
      "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
      "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
      "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
      "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
      "a6ad5cb4022b02709b");
  static const char expected[] = "Internet-Drafts are draft documents valid "
      "for a maximum of six months and may be updated, replaced, or "
      "obsoleted by other documents at any time. It is inappropriate to use "
      "Internet-Drafts as reference material or to cite them other than as "
      "/\xe2\x80\x9cwork in progress./\xe2\x80\x9d";
  guint8 key[32], nonce[12], ad[12], tag[16];
  gsize len = g_bytes_get_size (ct);
  g_autofree guint8 *out = g_malloc (len);
  g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (ct, NULL), len);
  g_autoptr (GError) error = NULL;

  sl_test_hex_into
      ("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0", key,
      32);
  sl_test_hex_into ("000000000102030405060708", nonce, 12);
  sl_test_hex_into ("f33388860000000000004e91", ad, 12);
  sl_test_hex_into ("eead9d67890cbb22392336fea1851f38", tag, 16);

  g_assert_true (sl_crypto_aead_open (key, nonce, ad, sizeof ad,
          g_bytes_get_data (ct, NULL), len, tag, out, NULL));
  g_assert_cmpmem (out, len, expected, strlen (expected));

  tag[0] ^= 1;
  g_assert_false (sl_crypto_aead_open (key, nonce, ad, sizeof ad,
          g_bytes_get_data (ct, NULL), len, tag, out, &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_AUTH);
  g_clear_error (&error);
  tag[0] ^= 1;
  ad[11] ^= 0x80;
  g_assert_false (sl_crypto_aead_open (key, nonce, ad, sizeof ad,
          g_bytes_get_data (ct, NULL), len, tag, out, &error));
  g_clear_error (&error);
  ad[11] ^= 0x80;
  bad[len - 1] ^= 0x01;
  g_assert_false (sl_crypto_aead_open (key, nonce, ad, sizeof ad, bad, len,
          tag, out, &error));
}

/* RFC 7914 section 12, the second vector (N = 1024, r = 8, p = 16). */
static void
test_scrypt_rfc7914 (void)
{
  guint8 out[64];

  g_assert_true (sl_crypto_scrypt ((const guint8 *) "password", 8,
          (const guint8 *) "NaCl", 4, 1024, 8, 16, out, sizeof out, NULL));
  sl_test_assert_hex (out, sizeof out,
      "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
      "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

typedef struct
{
  const char *id_a, *id_b, *w, *x, *y, *pa, *pb, *k, *hash_tt, *kca, *kcb,
      *ca, *cb;
} Spake2Vector;

/* RFC 9382 Appendix B, SPAKE2-P256-SHA256-HKDF-HMAC. */
static const Spake2Vector spake2_vectors[] = {
  {"server", "client",
        "2ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f",
        "43dd0fd7215bdcb482879fca3220c6a968e66d70b1356cac18bb26c84a78d729",
        "dcb60106f276b02606d8ef0a328c02e4b629f84f89786af5befb0bc75b6e66be",
        "04a56fa807caaa53a4d28dbb9853b9815c61a411118a6fe516a8798434751470f9"
        "010153ac33d0d5f2047ffdb1a3e42c9b4e6be662766e1eeb4116988ede5f912c",
        "0406557e482bd03097ad0cbaa5df82115460d951e3451962f1eaf4367a420676d0"
        "9857ccbc522686c83d1852abfa8ed6e4a1155cf8f1543ceca528afb591a1e0b7",
        "0412af7e89717850671913e6b469ace67bd90a4df8ce45c2af19010175e37eed69"
        "f75897996d539356e2fa6a406d528501f907e04d97515fbe83db277b715d3325",
        "0e0672dc86f8e45565d338b0540abe6915bdf72e2b35b5c9e5663168e960a91b",
        "00c12546835755c86d8c0db7851ae86f", "a9fa3406c3b781b93d804485430ca27a",
        "58ad4aa88e0b60d5061eb6b5dd93e80d9c4f00d127c65b3b35b1b5281fee38f0",
      "d3e2e547f1ae04f2dbdbf0fc4b79f8ecff2dff314b5d32fe9fcef2fb26dc459b"},
  {"", "client",
        "0548d8729f730589e579b0475a582c1608138ddf7054b73b5381c7e883e2efae",
        "403abbe3b1b4b9ba17e3032849759d723939a27a27b9d921c500edde18ed654b",
        "903023b6598908936ea7c929bd761af6039577a9c3f9581064187c3049d87065",
        "04a897b769e681c62ac1c2357319a3d363f610839c4477720d24cbe32f5fd85f44"
        "fb92ba966578c1b712be6962498834078262caa5b441ecfa9d4a9485720e918a",
        "04e0f816fd1c35e22065d5556215c097e799390d16661c386e0ecc84593974a61b"
        "881a8c82327687d0501862970c64565560cb5671f696048050ca66ca5f8cc7fc",
        "048f83ec9f6e4f87cc6f9dc740bdc2769725f923364f01c84148c049a39a735ebd"
        "a82eac03e00112fd6a5710682767cff5361f7e819e53d8d3c3a2922e0d837aa6",
        "642f05c473c2cd79909f9a841e2f30a70bf89b18180af97353ba198789c2b963",
        "c6be376fc7cd1301fd0a13adf3e7bffd", "b7243f4ae60440a49b3f8cab3c1fba07",
        "47d29e6666af1b7dd450d571233085d7a9866e4d49d2645e2df975489521232b",
      "3313c5cefc361d27fb16847a91c2a73b766ffa90a4839122a9b70a2f6bd1d6df"},
  {"server", "",
        "626e0cdc7b14c9db3e52a0b1b3a768c98e37852d5db30febe0497b14eae8c254",
        "07adb3db6bc623d3399726bfdbfd3d15a58ea776ab8a308b00392621291f9633",
        "b6a4fc8dbb629d4ba51d6f91ed1532cf87adec98f25dd153a75accafafedec16",
        "04f88fb71c99bfffaea370966b7eb99cd4be0ff1a7d335caac4211c4afd855e2e1"
        "5a873b298503ad8ba1d9cbb9a392d2ba309b48bfd7879aefd0f2cea6009763b0",
        "040c269d6be017dccb15182ac6bfcd9e2a14de019dd587eaf4bdfd353f031101e7"
        "cca177f8eb362a6e83e7d5e729c0732e1b528879c086f39ba0f31a9661bd34db",
        "0445ee233b8ecb51ebd6e7da3f307e88a1616bae2166121221fdc0dadb986afaf3"
        "ec8a988dc9c626fa3b99f58a7ca7c9b844bb3e8dd9554aafc5b53813504c1cbe",
        "005184ff460da2ce59062c87733c299c3521297d736598fc0a1127600efa1afb",
        "f3da53604f0aeecea5a33be7bddf6edf", "9e3f86848736f159bd92b6e107ec6799",
        "bc9f9bbe99f26d0b2260e6456e05a86196a3307ec6663a18bf6ac825736533b2",
      "c2370e1bf813b086dff0d834e74425a06e6390f48f5411900276dcccc5a297ec"},
  {"", "",
        "7bf46c454b4c1b25799527d896508afd5fc62ef4ec59db1efb49113063d70cca",
        "8cef65df64bb2d0f83540c53632de911b5b24b3eab6cc74a97609fd659e95473",
        "d7a66f64074a84652d8d623a92e20c9675c61cb5b4f6a0063e4648a2fdc02d53",
        "04a65b367a3f613cf9f0654b1b28a1e3a8a40387956c8ba6063e8658563890f46c"
        "a1ef6a676598889fc28de2950ab8120b79a5ef1ea4c9f44bc98f585634b46d66",
        "04589f13218822710d98d8b2123a079041052d9941b9cf88c6617ddb2fcc049466"
        "2eea8ba6b64692dc318250030c6af045cb738bc81ba35b043c3dcb46adf6f58d",
        "041a3c03d51b452537ca2a1fea6110353c6d5ed483c4f0f86f4492ca3f378d40a9"
        "94b4477f93c64d928edbbcd3e85a7c709b7ea73ee97986ce3d1438e135543772",
        "fc6374762ba5cf11f4b2caa08b2cd1b9907ae0e26e8d6234318d91583cd74c86",
        "5dbd2f477166b7fb6d61febbd77a5563", "7689b4654407a5faeffdc8f18359d8a3",
        "dfb4db8d48ae5a675963ea5e6c19d98d4ea028d8e898dad96ea19a80ade95dca",
      "d0f0609d1613138d354f7e95f19fb556bf52d751947241e8c7118df5ef0ae175"},
};

/* TT of the first vector, printed in full in the RFC. */
static const char spake2_tt_1[] =
    "06000000000000007365727665720600000000000000636c69656e74"
    "410000000000000004a56fa807caaa53a4d28dbb9853b9815c61a411118a6fe516a879"
    "8434751470f9010153ac33d0d5f2047ffdb1a3e42c9b4e6be662766e1eeb4116988ede"
    "5f912c41000000000000000406557e482bd03097ad0cbaa5df82115460d951e3451962"
    "f1eaf4367a420676d09857ccbc522686c83d1852abfa8ed6e4a1155cf8f1543ceca528"
    "afb591a1e0b741000000000000000412af7e89717850671913e6b469ace67bd90a4df8"
    "ce45c2af19010175e37eed69f75897996d539356e2fa6a406d528501f907e04d97515f"
    "be83db277b715d332520000000000000002ee57912099d31560b3a44b1184b9b4866e9"
    "04c49d12ac5042c97dca461b1a5f";

static void
test_spake2_rfc9382 (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (spake2_vectors); i++) {
    const Spake2Vector *v = &spake2_vectors[i];
    guint8 w[32], x[32], y[32], pa[65], pb[65];
    guint8 hash_a[32], hash_b[32], k_a[65], k_b[65], kc[32], mac[32];
    g_autoptr (GByteArray) tt = g_byte_array_new ();
    g_autoptr (SlSpake2) a = NULL;
    g_autoptr (SlSpake2) b = NULL;

    sl_test_hex_into (v->w, w, 32);
    sl_test_hex_into (v->x, x, 32);
    sl_test_hex_into (v->y, y, 32);
    a = sl_spake2_new (TRUE, w, x, NULL);
    b = sl_spake2_new (FALSE, w, y, NULL);
    g_assert_nonnull (a);
    g_assert_nonnull (b);
    sl_test_assert_hex (sl_spake2_get_share (a), 65, v->pa);
    sl_test_assert_hex (sl_spake2_get_share (b), 65, v->pb);
    memcpy (pa, sl_spake2_get_share (a), 65);
    memcpy (pb, sl_spake2_get_share (b), 65);

    g_assert_true (sl_spake2_finish (a, v->id_a, v->id_b, pb, 65, hash_a, k_a,
            tt, NULL));
    g_assert_true (sl_spake2_finish (b, v->id_a, v->id_b, pa, 65, hash_b, k_b,
            NULL, NULL));
    sl_test_assert_hex (k_a, 65, v->k);
    sl_test_assert_hex (k_b, 65, v->k);
    sl_test_assert_hex (hash_a, 32, v->hash_tt);
    sl_test_assert_hex (hash_b, 32, v->hash_tt);
    if (i == 0)
      sl_test_assert_hex (tt->data, tt->len, spake2_tt_1);

    /* The RFC's key confirmation, to pin Ke||Ka down completely:
     * KcA || KcB = HKDF(salt = nil, Ka, "ConfirmationKeys"), A's MAC is
     * HMAC(KcA, TT), B's is HMAC(KcB, TT). */
    g_assert_true (sl_crypto_hkdf_extract (NULL, 0, hash_a + 16, 16, kc, NULL));
    g_assert_true (sl_crypto_hkdf_expand (kc, 32,
            (const guint8 *) "ConfirmationKeys", 16, kc, 32, NULL));
    sl_test_assert_hex (kc, 16, v->kca);
    sl_test_assert_hex (kc + 16, 16, v->kcb);
    g_assert_true (sl_crypto_hmac_sha256 (kc, 16, tt->data, tt->len, mac,
            NULL));
    sl_test_assert_hex (mac, 32, v->ca);
    g_assert_true (sl_crypto_hmac_sha256 (kc + 16, 16, tt->data, tt->len,
            mac, NULL));
    sl_test_assert_hex (mac, 32, v->cb);

    /* A spent state refuses to run again. */
    g_assert_false (sl_spake2_finish (a, v->id_a, v->id_b, pb, 65, hash_a,
            NULL, NULL, NULL));
  }
}

/* Wrong encodings, off-curve points and the point at infinity are refused
 * as shares, and so is a share that makes K the point at infinity. */
static void
test_spake2_invalid_points (void)
{
  const Spake2Vector *v = &spake2_vectors[0];
  guint8 w[32], x[32], good[65], bad[65];
  guint8 infinity[1] = { 0x00 };
  guint8 hash[32];
  guint i;

  sl_test_hex_into (v->w, w, 32);
  sl_test_hex_into (v->x, x, 32);
  sl_test_hex_into (v->pb, good, 65);
  g_assert_true (sl_spake2_point_is_valid (good, 65));

  g_assert_false (sl_spake2_point_is_valid (infinity, 1));
  g_assert_false (sl_spake2_point_is_valid (good, 64));
  g_assert_false (sl_spake2_point_is_valid (NULL, 0));
  memset (bad, 0, sizeof bad);
  g_assert_false (sl_spake2_point_is_valid (bad, 65));
  bad[0] = 0x04;
  g_assert_false (sl_spake2_point_is_valid (bad, 65));
  memset (bad + 1, 0xff, 64);
  g_assert_false (sl_spake2_point_is_valid (bad, 65));
  /* The compressed form of a valid point, and the hybrid forms. */
  memcpy (bad, good, 65);
  bad[0] = 0x02 | (good[64] & 1);
  g_assert_false (sl_spake2_point_is_valid (bad, 33));
  g_assert_false (sl_spake2_point_is_valid (bad, 65));
  bad[0] = 0x06 | (good[64] & 1);
  g_assert_false (sl_spake2_point_is_valid (bad, 65));
  /* Off the curve: y + 1. */
  memcpy (bad, good, 65);
  for (i = 64; i > 0; i--)
    if (++bad[i] != 0)
      break;
  g_assert_false (sl_spake2_point_is_valid (bad, 65));

  for (i = 0; i < 4; i++) {
    g_autoptr (SlSpake2) a = sl_spake2_new (TRUE, w, x, NULL);
    g_autoptr (GError) error = NULL;
    const guint8 *share = i == 0 ? infinity : bad;
    gsize len = i == 0 ? 1 : i == 1 ? 64 : 65;

    if (i == 3)
      memset (bad, 0, sizeof bad);
    g_assert_false (sl_spake2_finish (a, "a", "b", share, len, hash, NULL,
            NULL, &error));
    g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
  }
}

/* pB = w*N makes pB - w*N the point at infinity: refused. */
static void
test_spake2_identity_k (void)
{
  guint8 w[32], x[32], y[32] = { 0 };
  guint8 hash[32], w_n[65];
  g_autoptr (SlSpake2) a = NULL;
  g_autoptr (SlSpake2) wn = NULL;
  g_autoptr (GError) error = NULL;

  sl_test_hex_into (spake2_vectors[0].w, w, 32);
  sl_test_hex_into (spake2_vectors[0].x, x, 32);
  /* B's share with y = 0 is exactly w*N: the attacker's point. */
  wn = sl_spake2_new (FALSE, w, y, NULL);
  g_assert_nonnull (wn);
  memcpy (w_n, sl_spake2_get_share (wn), 65);
  g_assert_true (sl_spake2_point_is_valid (w_n, 65));

  a = sl_spake2_new (TRUE, w, x, NULL);
  g_assert_false (sl_spake2_finish (a, "a", "b", w_n, 65, hash, NULL, NULL,
          &error));
  g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_MALFORMED);
}

static void
test_call_id (void)
{
  g_autofree char *a = sl_crypto_call_id_new ();
  g_autofree char *b = sl_crypto_call_id_new ();
  guint8 id[SL_CALL_ID_LEN], before[SL_CALL_ID_LEN];
  static const char *const bad[] = {
    "", "00112233445566778899aabbccddeef", "00112233445566778899aabbccddeeff0",
    "00112233445566778899AABBCCDDEEFF", "00112233445566778899aabbccddeefg",
    " 0112233445566778899aabbccddeeff", "0x112233445566778899aabbccddeeff",
  };
  guint i;

  g_assert_nonnull (a);
  g_assert_cmpuint (strlen (a), ==, 32);
  g_assert_cmpstr (a, !=, b);
  g_assert_true (sl_crypto_call_id_from_hex (a, id));
  sl_test_assert_hex (id, SL_CALL_ID_LEN, a);

  g_assert_true (sl_crypto_call_id_from_hex
      ("00112233445566778899aabbccddeeff", id));
  sl_test_assert_hex (id, 16, "00112233445566778899aabbccddeeff");
  memcpy (before, id, sizeof id);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_assert_false (sl_crypto_call_id_from_hex (bad[i], id));
    g_assert_cmpmem (id, 16, before, 16);
  }
  g_assert_false (sl_crypto_call_id_from_hex (NULL, id));
}

static void
test_equal (void)
{
  guint8 a[32], b[32];

  memset (a, 7, sizeof a);
  memcpy (b, a, sizeof b);
  g_assert_true (sl_crypto_equal (a, b, sizeof a));
  b[31] ^= 0x80;
  g_assert_false (sl_crypto_equal (a, b, sizeof a));
  g_assert_true (sl_crypto_equal (a, b, 0));
}

static void
test_normalise_code (void)
{
  static const struct
  {
    const char *in, *out;
  } ok[] = {
    {"1234-5678", "12345678"},
    {" 12 34\t56 78 ", "12345678"},
    {"AbC-dEf", "abcdef"},
    /* Full-width digits (NFKC) and a German sharp s (case folding). */
    {"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93", "123"},
    {"Stra\xc3\x9f" "e", "strasse"},
    /* A composed and a decomposed e-acute are the same code. */
    {"caf\xc3\xa9", "caf\xc3\xa9"},
    {"cafe\xcc\x81", "caf\xc3\xa9"},
    /* Non-breaking space is white space. */
    {"12\xc2\xa0" "34", "1234"},
  };
  static const char *const invalid[] = {
    "", "   ", "- -", "\xff\xfe",
    "12345678901234567890123456789012345678901234567890123456789012345",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ok); i++) {
    g_autoptr (GError) error = NULL;
    char *norm = sl_crypto_normalise_code (ok[i].in, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (norm, ==, ok[i].out);
    sl_crypto_free_string (norm);
  }
  for (i = 0; i < G_N_ELEMENTS (invalid); i++) {
    g_autoptr (GError) error = NULL;

    g_assert_null (sl_crypto_normalise_code (invalid[i], &error));
    g_assert_error (error, SL_CRYPTO_ERROR, SL_CRYPTO_ERROR_INVALID_CODE);
    g_assert_nonnull (error->message);
  }
  /* Exactly 64 characters is fine. */
  {
    g_autofree char *max = g_strnfill (64, '7');
    char *norm = sl_crypto_normalise_code (max, NULL);

    g_assert_cmpstr (norm, ==, max);
    sl_crypto_free_string (norm);
  }
}

/* Same code and call id -> same w; another call id or code -> another. */
static void
test_password_scalar (void)
{
  guint8 id1[16], id2[16], w1[32], w2[32], w3[32], w4[32];

  g_assert_true (sl_crypto_call_id_from_hex
      ("00112233445566778899aabbccddeeff", id1));
  g_assert_true (sl_crypto_call_id_from_hex
      ("ffeeddccbbaa99887766554433221100", id2));
  g_assert_true (sl_crypto_password_scalar ("1234-5678", id1, w1, NULL));
  g_assert_true (sl_crypto_password_scalar (" 12345678", id1, w2, NULL));
  g_assert_true (sl_crypto_password_scalar ("1234-5678", id2, w3, NULL));
  g_assert_true (sl_crypto_password_scalar ("1234-5679", id1, w4, NULL));
  g_assert_cmpmem (w1, 32, w2, 32);
  g_assert_false (memcmp (w1, w3, 32) == 0);
  g_assert_false (memcmp (w1, w4, 32) == 0);
}

/* A thread that uses OpenSSL while the process exits, as GStreamer's
 * pooled streaming threads do after gst_deinit(): released by an exit
 * handler registered before OpenSSL is set up, so it runs after any
 * handler OpenSSL registers itself. */
static GMutex late_lock;
static GCond late_cond;
static gboolean late_go;
static gboolean late_ok;
static GThread *late_thread;

static gpointer
late_user (gpointer data)
{
  guint8 buf[16];

  g_mutex_lock (&late_lock);
  while (!late_go)
    g_cond_wait (&late_cond, &late_lock);
  g_mutex_unlock (&late_lock);
  late_ok = sl_crypto_random (buf, sizeof buf, NULL);
  return NULL;
}

static void
release_late_user (void)
{
  g_mutex_lock (&late_lock);
  late_go = TRUE;
  g_cond_signal (&late_cond);
  g_mutex_unlock (&late_lock);
  g_thread_join (late_thread);
  if (!late_ok)
    _exit (3);
}

static void
test_exit_with_threads (void)
{
  if (g_test_subprocess ()) {
    guint8 buf[16];

    atexit (release_late_user);
    late_thread = g_thread_new ("late", late_user, NULL);
    sl_crypto_init_process ();
    g_assert_true (sl_crypto_random (buf, sizeof buf, NULL));
    exit (0);
  }
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crypto/x25519/rfc7748-vectors",
      test_x25519_rfc7748_vectors);
  g_test_add_func ("/crypto/x25519/rfc7748-iterated",
      test_x25519_rfc7748_iterated);
  g_test_add_func ("/crypto/x25519/rfc7748-dh", test_x25519_rfc7748_dh);
  g_test_add_func ("/crypto/x25519/small-order", test_x25519_small_order);
  g_test_add_func ("/crypto/hkdf/rfc5869", test_hkdf_rfc5869);
  g_test_add_func ("/crypto/aead/rfc8439-seal", test_aead_rfc8439_seal);
  g_test_add_func ("/crypto/aead/rfc8439-open", test_aead_rfc8439_open);
  g_test_add_func ("/crypto/scrypt/rfc7914", test_scrypt_rfc7914);
  g_test_add_func ("/crypto/spake2/rfc9382", test_spake2_rfc9382);
  g_test_add_func ("/crypto/spake2/invalid-points", test_spake2_invalid_points);
  g_test_add_func ("/crypto/spake2/identity-k", test_spake2_identity_k);
  g_test_add_func ("/crypto/call-id", test_call_id);
  g_test_add_func ("/crypto/equal", test_equal);
  g_test_add_func ("/crypto/code/normalise", test_normalise_code);
  g_test_add_func ("/crypto/code/password-scalar", test_password_scalar);
  g_test_add_func ("/crypto/exit-with-threads", test_exit_with_threads);

  return g_test_run ();
}
