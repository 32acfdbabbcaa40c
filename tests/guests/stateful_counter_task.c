// A stateful task for migration tests and bench/migration: its totals and a ballast of memory
// live only in the instance, so they survive a move only if the state moves with it.
//   "<integer>"     adds it: returns "n=<messages> sum=<total>"
//   "ballast <B>"   keeps B bytes of non-zero state (a pattern); returns "ballast=<B>"
//   "check"         returns "n=<messages> sum=<total> ballast=<B> digest=<FNV-1a of the ballast>"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pelato.h"

static uint64_t messages;
static int64_t total;
static uint8_t* ballast;
static size_t ballastBytes;

__attribute__((format(printf, 1, 2)))
static pelato_buf text(const char* format, ...) {
  pelato_buf out = {malloc(160), 0};
  va_list args;
  va_start(args, format);
  out.len = (size_t)vsnprintf(out.data, 160, format, args);
  va_end(args);
  return out;
}

pelato_buf exec_task(const char* input, size_t len) {
  char line[64];
  size_t n = len < sizeof line - 1 ? len : sizeof line - 1;
  memcpy(line, input, n);
  line[n] = 0;
  if (strncmp(line, "ballast ", 8) == 0) {
    ballastBytes = (size_t)strtoull(line + 8, NULL, 10);
    ballast = realloc(ballast, ballastBytes ? ballastBytes : 1);
    for (size_t i = 0; i < ballastBytes; ++i) ballast[i] = (uint8_t)(i * 31 + 7) | 1;
    return text("ballast=%zu", ballastBytes);
  }
  if (strcmp(line, "check") == 0) {
    uint32_t digest = 2166136261u;
    for (size_t i = 0; i < ballastBytes; ++i) digest = (digest ^ ballast[i]) * 16777619u;
    return text("n=%llu sum=%lld ballast=%zu digest=%08x", (unsigned long long)messages, (long long)total,
                ballastBytes, digest);
  }
  ++messages;
  total += strtoll(line, NULL, 10);
  if (ballastBytes) ballast[messages % ballastBytes] ^= 0x80;  // the state changes with every message
  return text("n=%llu sum=%lld", (unsigned long long)messages, (long long)total);
}
