// Tiny assertion helpers for the WASI test programs. Every program prints one line per
// section, "ok NAME" when all of the section's checks held and "not ok NAME" otherwise,
// with a "FAIL ..." line per failed check, so run_tests.sh can compare stdout exactly.
// main() ends with `return DONE();`, exiting 1 when anything failed.
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_failures;

static void check_report(const char* name, int before) {
  printf("%s %s\n", g_failures == before ? "ok" : "not ok", name);
  fflush(stdout);
}

// SECTION("name") { ...checks... } prints "ok name" or "not ok name" afterwards.
#define SECTION(name) \
  for (int check_before_ = g_failures, check_once_ = 1; check_once_; check_once_ = 0, check_report(name, check_before_))

#define CHECK(cond)                                                                                   \
  do {                                                                                                \
    errno = 0;                                                                                        \
    if (!(cond)) {                                                                                    \
      printf("FAIL line %d: %s (errno %d: %s)\n", __LINE__, #cond, errno, strerror(errno));         \
      g_failures++;                                                                                   \
    }                                                                                                 \
  } while (0)

// The call must fail with -1 (or any negative value) and set errno to `err`.
#define CHECK_ERR(call, err)                                                                          \
  do {                                                                                                \
    errno = 0;                                                                                        \
    long check_rc_ = (long)(call);                                                                    \
    int check_errno_ = errno;                                                                         \
    if (check_rc_ >= 0 || check_errno_ != (err)) {                                                    \
      printf("FAIL line %d: %s returned %ld errno %d (%s), expected errno %d (%s)\n", __LINE__, #call, \
             check_rc_, check_errno_, strerror(check_errno_), (int)(err), strerror(err));            \
      g_failures++;                                                                                   \
    }                                                                                                 \
  } while (0)

// A raw WASI call must return exactly `want` (an __WASI_ERRNO_* value).
#define CHECK_WASI(call, want)                                                                        \
  do {                                                                                                \
    int check_e_ = (int)(call);                                                                       \
    if (check_e_ != (int)(want)) {                                                                    \
      printf("FAIL line %d: %s = wasi errno %d (%s), expected %d (%s)\n", __LINE__, #call, check_e_,  \
             strerror(check_e_), (int)(want), strerror(want));                                        \
      g_failures++;                                                                                   \
    }                                                                                                 \
  } while (0)

#define DONE() (fflush(stdout), g_failures ? 1 : 0)

// Reads a whole file into a static buffer; returns its length or -1.
static long slurp(const char* path, char* buf, size_t cap) {
  FILE* f = fopen(path, "rb");
  if (!f) return -1;
  size_t n = fread(buf, 1, cap - 1, f);
  buf[n] = 0;
  fclose(f);
  return (long)n;
}
