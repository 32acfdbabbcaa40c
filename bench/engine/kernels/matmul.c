/* Kernel: dense matrix multiply C = A x B of doubles, i-k-j loop order. Measures f64
 * multiply-add throughput and linear memory loads/stores. The entries are small integers, so
 * every product and sum is exact and native and wasm results must agree bit for bit.
 * bench_matmul_setup(n) fills A and B (untimed); bench_matmul(n) multiplies them and returns
 * a checksum of C. */
#include <stdint.h>

#ifdef __wasm__
#define BENCH_EXPORT(name) __attribute__((export_name(name)))
#else
#define BENCH_EXPORT(name)
#endif

#define MM_MAX 512

static double A[MM_MAX * MM_MAX], B[MM_MAX * MM_MAX], C[MM_MAX * MM_MAX];

BENCH_EXPORT("bench_matmul_setup") uint32_t bench_matmul_setup(uint32_t n) {
  if (n > MM_MAX) n = MM_MAX;
  uint32_t x = 0x1234567u;
  for (uint32_t i = 0; i < n * n; ++i) {
    x = x * 1103515245u + 12345u;
    A[i] = (double)((x >> 16) % 17) - 8.0;
    x = x * 1103515245u + 12345u;
    B[i] = (double)((x >> 16) % 13) - 6.0;
  }
  return n;
}

BENCH_EXPORT("bench_matmul") uint32_t bench_matmul(uint32_t n) {
  if (n > MM_MAX) n = MM_MAX;
  for (uint32_t i = 0; i < n * n; ++i) C[i] = 0.0;
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t k = 0; k < n; ++k) {
      double a = A[i * n + k];
      for (uint32_t j = 0; j < n; ++j) C[i * n + j] += a * B[k * n + j];
    }
  uint32_t r = 0;
  for (uint32_t i = 0; i < n * n; ++i) r = r * 31 + (uint32_t)(int32_t)C[i];
  return r;
}
