/* Kernel: naive doubly-recursive Fibonacci. Measures calls, returns and integer arithmetic.
 * Built twice from this file: to wasm (bench/CMakeLists.txt, pelato_guest) and natively into
 * bench_engine. BENCH_EXPORT only names the wasm export; natively it is a plain function. */
#include <stdint.h>

#ifdef __wasm__
#define BENCH_EXPORT(name) __attribute__((export_name(name)))
#else
#define BENCH_EXPORT(name)
#endif

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

BENCH_EXPORT("bench_fib") uint32_t bench_fib(uint32_t n) { return fib(n); }

/* An empty export: the baseline cost of one host->guest call. */
BENCH_EXPORT("bench_nop") uint32_t bench_nop(uint32_t n) { return n; }
