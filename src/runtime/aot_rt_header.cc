#include "runtime/aot_rt_header.h"

#include "runtime/aot_rt.h"

namespace pelato::runtime::aot {

namespace {

static_assert(kReservationBytes == 4297064448ull, "PELATO_GUARDED_BYTES in the header below");

// Bounds checks come from guard pages (WASM_RT_MEMCHECK_SIGNAL_HANDLER=1) unless a module
// is compiled with -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0; native stack overflow is caught on
// the guard page too, so no per-call depth counter is needed.
constexpr std::string_view kHeader = R"(/* pelato wasm-rt.h: runtime API for wasm2c 1.0.32 output. */
#ifndef WASM_RT_H_
#define WASM_RT_H_
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __cplusplus
extern "C" {
#endif
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define wasm_rt_memcpy __builtin_memcpy
#define wasm_rt_unreachable __builtin_unreachable
#ifndef WASM_RT_MEMCHECK_SIGNAL_HANDLER
#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 1
#endif
#define WASM_RT_SIGNAL_RECOVERY_SUPPORTED 1
#define WASM_RT_USE_STACK_DEPTH_COUNT 0
#define WASM_RT_NO_RETURN __attribute__((noreturn))
#define WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS 0
/* Keeps a float load alive in an FP register (pelato patches wasm2c's f32/f64 loads to use it). */
#if defined(__x86_64__)
#define PELATO_KEEP_LOADED_FP(x) __asm__("" ::"x"(x))
#elif defined(__aarch64__)
#define PELATO_KEEP_LOADED_FP(x) __asm__("" ::"w"(x))
#else
#define PELATO_KEEP_LOADED_FP(x) __asm__("" ::"r"(x))
#endif
/* Keeps an integer load alive (pelato patches wasm2c's integer loads to use it). The value goes
   through the asm, so the compiler keeps the one register load instead of also re-reading
   memory for a memory operand later; volatile, so the asm (and the load) is never dropped. */
#define PELATO_KEEP_LOADED(x) __asm__ volatile("" : "+r"(x))
/* Bytes reserved behind each linear memory (4 GiB + the guard region); see MEMCHECK. */
#define PELATO_GUARDED_BYTES 4297064448ull
typedef enum {
  WASM_RT_TRAP_NONE,
  WASM_RT_TRAP_OOB,
  WASM_RT_TRAP_INT_OVERFLOW,
  WASM_RT_TRAP_DIV_BY_ZERO,
  WASM_RT_TRAP_INVALID_CONVERSION,
  WASM_RT_TRAP_UNREACHABLE,
  WASM_RT_TRAP_CALL_INDIRECT,
  WASM_RT_TRAP_UNCAUGHT_EXCEPTION,
  WASM_RT_TRAP_EXHAUSTION,
} wasm_rt_trap_t;
typedef enum { WASM_RT_I32, WASM_RT_I64, WASM_RT_F32, WASM_RT_F64, WASM_RT_FUNCREF, WASM_RT_EXTERNREF } wasm_rt_type_t;
typedef void (*wasm_rt_function_ptr_t)(void);
typedef struct {
  uint32_t func_type;
  wasm_rt_function_ptr_t func;
  void* module_instance;
} wasm_rt_funcref_t;
static const wasm_rt_funcref_t wasm_rt_funcref_null_value = {0, NULL, NULL};
typedef void* wasm_rt_externref_t;
static const wasm_rt_externref_t wasm_rt_externref_null_value = NULL;
typedef struct {
  uint8_t* data;
  uint32_t pages, max_pages;
  uint32_t size;
} wasm_rt_memory_t;
typedef struct {
  wasm_rt_funcref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_funcref_table_t;
typedef struct {
  wasm_rt_externref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_externref_table_t;
void wasm_rt_init(void);
bool wasm_rt_is_initialized(void);
void wasm_rt_free(void);
WASM_RT_NO_RETURN void wasm_rt_trap(wasm_rt_trap_t);
const char* wasm_rt_strerror(wasm_rt_trap_t trap);
uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...);
void wasm_rt_allocate_memory(wasm_rt_memory_t*, uint32_t initial_pages, uint32_t max_pages);
uint32_t wasm_rt_grow_memory(wasm_rt_memory_t*, uint32_t pages);
void wasm_rt_free_memory(wasm_rt_memory_t*);
void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t*, uint32_t elements, uint32_t max_elements);
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t*);
void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t*, uint32_t elements, uint32_t max_elements);
void wasm_rt_free_externref_table(wasm_rt_externref_table_t*);
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t*, uint32_t delta, wasm_rt_funcref_t init);
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t*, uint32_t delta, wasm_rt_externref_t init);
#ifdef __cplusplus
}
#endif
#endif
)";

}  // namespace

std::string_view wasmRtHeader() { return kHeader; }

}  // namespace pelato::runtime::aot
