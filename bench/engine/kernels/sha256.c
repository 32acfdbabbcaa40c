/* Kernel: SHA-256 (FIPS 180-4) over a generated buffer. Measures 32-bit rotates, shifts, adds
 * and byte loads. bench_sha256_setup(len) fills the buffer (untimed); bench_sha256(iters)
 * hashes it `iters` times, chaining each digest into the first bytes of the buffer, and
 * returns the XOR of the final digest's eight words. bench_sha256_selftest() checks the
 * FIPS test vector for "abc" (returns 1 when it matches). */
#include <stddef.h>
#include <stdint.h>

#ifdef __wasm__
#define BENCH_EXPORT(name) __attribute__((export_name(name)))
#else
#define BENCH_EXPORT(name)
#endif

#define SHA_MAX (4u << 20)

static uint8_t sha_buf[SHA_MAX];
static uint32_t sha_len;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress(uint32_t h[8], const uint8_t* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; ++i) {
    uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const uint8_t* data, size_t len, uint8_t out[32]) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  size_t full = len & ~(size_t)63;
  for (size_t i = 0; i < full; i += 64) compress(h, data + i);
  uint8_t tail[128] = {0};
  size_t rest = len - full;
  for (size_t i = 0; i < rest; ++i) tail[i] = data[full + i];
  tail[rest] = 0x80;
  size_t tailLen = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; ++i) tail[tailLen - 1 - i] = (uint8_t)(bits >> (8 * i));
  for (size_t i = 0; i < tailLen; i += 64) compress(h, tail + i);
  for (int i = 0; i < 8; ++i) {
    out[4 * i] = (uint8_t)(h[i] >> 24); out[4 * i + 1] = (uint8_t)(h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(h[i] >> 8); out[4 * i + 3] = (uint8_t)h[i];
  }
}

BENCH_EXPORT("bench_sha256_setup") uint32_t bench_sha256_setup(uint32_t len) {
  if (len > SHA_MAX) len = SHA_MAX;
  uint32_t x = 0x9e3779b9u;
  for (uint32_t i = 0; i < len; ++i) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;  /* xorshift32 */
    sha_buf[i] = (uint8_t)(x >> 24);
  }
  sha_len = len;
  return len;
}

BENCH_EXPORT("bench_sha256") uint32_t bench_sha256(uint32_t iters) {
  uint8_t digest[32] = {0};
  uint8_t saved[32];
  uint32_t n = sha_len < 32 ? sha_len : 32;
  for (uint32_t i = 0; i < n; ++i) saved[i] = sha_buf[i];
  for (uint32_t it = 0; it < iters; ++it) {
    sha256(sha_buf, sha_len, digest);
    for (uint32_t i = 0; i < n; ++i) sha_buf[i] ^= digest[i];  /* chain: no pass can be skipped */
  }
  for (uint32_t i = 0; i < n; ++i) sha_buf[i] = saved[i];  /* repeatable across calls */
  uint32_t r = 0;
  for (int i = 0; i < 8; ++i)
    r ^= (uint32_t)digest[4 * i] << 24 | (uint32_t)digest[4 * i + 1] << 16 | (uint32_t)digest[4 * i + 2] << 8 | digest[4 * i + 3];
  return r;
}

BENCH_EXPORT("bench_sha256_selftest") uint32_t bench_sha256_selftest(void) {
  static const uint8_t expect[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                     0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                     0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  const uint8_t abc[3] = {'a', 'b', 'c'};
  uint8_t out[32];
  sha256(abc, 3, out);
  for (int i = 0; i < 32; ++i)
    if (out[i] != expect[i]) return 0;
  return 1;
}
