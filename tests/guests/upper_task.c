// A C task through the SDK: upper-cases its input and counts calls (state survives between
// calls because the instance stays warm).
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pelato.h"

static int calls;

pelato_buf exec_task(const char* input, size_t len) {
  ++calls;
  pelato_buf out = {malloc(len + 32), 0};
  for (size_t i = 0; i < len; ++i) out.data[i] = (char)toupper((unsigned char)input[i]);
  out.len = len + (size_t)snprintf(out.data + len, 32, " #%d", calls);
  return out;
}
