// Task code mistakenly built as a WASI command (it has main, and no -mexec-model=reactor).
#include <string.h>

#include "pelato.h"

pelato_buf exec_task(const char* input, size_t len) {
  pelato_buf out = {malloc(len), len};
  memcpy(out.data, input, len);
  return out;
}

int main(void) { return 0; }
