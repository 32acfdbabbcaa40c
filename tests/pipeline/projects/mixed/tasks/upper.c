// Upper-cases its input (ASCII letters; other bytes pass through).
#include <ctype.h>
#include <string.h>

#include "pelato.h"

pelato_buf exec_task(const char* input, size_t len) {
  pelato_buf out = {malloc(len + 1), len};  // +1: malloc(0) may return NULL
  for (size_t i = 0; i < len; ++i) out.data[i] = (char)toupper((unsigned char)input[i]);
  return out;
}
