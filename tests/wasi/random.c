// Randomness: getentropy/arc4random/random_get fill buffers with bytes that differ
// between calls, and a big buffer has every byte value (the chance of a false failure is
// below 2^-300).
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

static int zero(const unsigned char* b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (b[i]) return 0;
  return 1;
}

static unsigned char big[1 << 16];

int main(void) {
  unsigned char a[64], b[64];
  SECTION("getentropy differs") {
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CHECK(getentropy(a, sizeof a) == 0);
    CHECK(getentropy(b, sizeof b) == 0);
    CHECK(!zero(a, sizeof a) && !zero(b, sizeof b));
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK_ERR(getentropy(big, 257), EIO);  // more than 256 bytes at once is an error
  }
  SECTION("arc4random") {
    arc4random_buf(b, sizeof b);
    CHECK(memcmp(a, b, sizeof a) != 0);
    uint32_t x = arc4random(), y = arc4random(), z = arc4random();
    CHECK(!(x == y && y == z));
  }
  SECTION("random_get") {
    memset(a, 0, sizeof a);
    CHECK_WASI(__wasi_random_get(a, 0), 0);
    CHECK(zero(a, sizeof a));  // nothing written for length 0
    CHECK_WASI(__wasi_random_get(a + 1, 7), 0);
    CHECK(a[0] == 0 && a[8] == 0 && !zero(a + 1, 7));  // exactly the bytes asked for
    CHECK_WASI(__wasi_random_get(big, sizeof big), 0);
    int count[256] = {0};
    for (size_t i = 0; i < sizeof big; ++i) count[big[i]]++;
    int missing = 0, max = 0;
    for (int i = 0; i < 256; ++i) {
      missing += count[i] == 0;
      if (count[i] > max) max = count[i];
    }
    CHECK(missing == 0);
    CHECK(max < 400);  // expected 256 each
  }
  return DONE();
}
