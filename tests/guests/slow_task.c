// A task that takes its time: its input is a number of milliseconds to keep the CPU busy
// (a clock loop, no sleeping), so that a host running it builds up load and queue depth.
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pelato.h"

static double nowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

pelato_buf exec_task(const char* input, size_t len) {
  char text[16] = {0};
  memcpy(text, input, len < sizeof text - 1 ? len : sizeof text - 1);
  double until = nowMs() + atoi(text);
  while (nowMs() < until) {
  }
  pelato_buf out = {malloc(len), len};
  memcpy(out.data, input, len);
  return out;
}
