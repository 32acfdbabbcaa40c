// Allocates 1 MiB blocks until malloc fails, then aborts (a wasm trap).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char* volatile keep;  // so the allocations are not optimised away

int main(void) {
  for (size_t mib = 0;; ++mib) {
    char* p = malloc(1 << 20);
    if (!p) {
      fprintf(stderr, "malloc failed after %zu MiB\n", mib);
      abort();
    }
    memset(p, 0xa5, 1 << 20);
    keep = p;
  }
}
