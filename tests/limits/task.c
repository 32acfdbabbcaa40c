// A task that echoes its input, or misbehaves on request: "trap", "spin", "recurse".
#include "pelato.h"

#include <string.h>

// Endless recursion with a real frame on the C stack (in linear memory), which the compiler
// can neither drop nor turn into a loop.
static int recurse(int n) {
  volatile char frame[256];
  frame[0] = (char)n;
  return recurse(n + 1) + frame[0];
}

pelato_buf exec_task(const char* input, size_t len) {
  if (len == 4 && memcmp(input, "trap", 4) == 0) __builtin_trap();
  if (len == 4 && memcmp(input, "spin", 4) == 0)
    for (volatile int i = 0;; i = i + 1) {
    }
  if (len == 7 && memcmp(input, "recurse", 7) == 0) recurse(0);
  pelato_buf out = {malloc(len + 6), len + 6};
  memcpy(out.data, "echo: ", 6);
  memcpy(out.data + 6, input, len);
  return out;
}
