// pelato's runtime for wasm2c-compiled modules: the wasm_rt_* functions that compiled code
// calls (exported from the pelato executable to the artifacts it dlopens), plus the calls the
// AOT tier makes into compiled code.
//
// Thread-safe by construction: trap targets, "running wasm" flags, alternate signal stacks
// and deadline timers are per thread; the only shared state is the function-type registry and
// the memory pool, both behind mutexes. Linear memories are 4 GiB reservations plus a guard,
// so out-of-bounds accesses fault instead of being checked; a fault, a stack overflow or an
// expired deadline inside compiled code unwinds to the call's entry with siglongjmp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

// The C ABI shared with generated code (see aot_rt_header.cc): layouts and the wasm-rt calls
// that the host side uses too.
extern "C" {
struct wasm_rt_memory_t {
  uint8_t* data;
  uint32_t pages, max_pages;
  uint32_t size;
};
struct wasm_rt_funcref_t {
  uint32_t func_type;
  void (*func)(void);
  void* module_instance;
};
struct wasm_rt_funcref_table_t {
  wasm_rt_funcref_t* data;
  uint32_t max_size;
  uint32_t size;
};
struct wasm_rt_externref_table_t {
  void** data;
  uint32_t max_size;
  uint32_t size;
};
void wasm_rt_allocate_memory(wasm_rt_memory_t*, uint32_t initial_pages, uint32_t max_pages);
uint32_t wasm_rt_grow_memory(wasm_rt_memory_t*, uint32_t pages);
void wasm_rt_free_memory(wasm_rt_memory_t*);
void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t*, uint32_t elements, uint32_t max_elements);
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t*);
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t*, uint32_t delta, wasm_rt_funcref_t init);
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t*, uint32_t delta, void* init);
// funcref values cross the host boundary as 64-bit slots: 0 for null, else a pointer to an
// interned copy (one per distinct function and instance, kept for the life of the process).
uint64_t pelato_rt_funcref_to_slot(wasm_rt_funcref_t ref);
wasm_rt_funcref_t pelato_rt_funcref_from_slot(uint64_t slot);
}

namespace pelato::runtime::aot {

// Static offsets up to this size are covered by the guard region. An access with a larger
// static offset could reach past the reservation (4 GiB + kGuardBytes): the patched MEMCHECK
// compares such addresses against the reservation's end (aot_patches.cc); for offsets below
// kGuardBytes the C compiler proves that check false and drops it.
inline constexpr uint64_t kGuardBytes = 2u << 20;
inline constexpr uint64_t kReservationBytes = (4ull << 30) + kGuardBytes;

enum TrapCode : int {
  kTrapNone = 0,
  kTrapOob = 1,
  kTrapIntOverflow = 2,
  kTrapDivByZero = 3,
  kTrapInvalidConversion = 4,
  kTrapUnreachable = 5,
  kTrapCallIndirect = 6,
  kTrapUncaughtException = 7,
  kTrapExhaustion = 8,
  kTrapDeadline = 100,  // pelato: the call's deadline expired
  kTrapHost = 101,      // pelato: a host function failed or exited; details are with the caller
  kTrapResource = 102,  // pelato: no address space for a memory
};

// The spec's wording for a trap code ("out of bounds memory access", ...).
std::string trapMessage(int code);

using Trampoline = void (*)(void* instance, const uint64_t* args, uint64_t* results);
using Instantiate = void (*)(void* instance, void* hostContext);

// Runs `fn` with trap handling; returns kTrapNone or the trap code. A deadline, if given,
// interrupts the call from a per-thread timer. Re-entrant (host -> wasm -> host -> wasm).
int invoke(Trampoline fn, void* instance, const uint64_t* args, uint64_t* results,
           std::optional<std::chrono::milliseconds> deadline);

// Runs a module's instantiate function (which may trap on segments or the start function)
// with its memories limited to `maxPages`.
int instantiate(Instantiate fn, void* instance, void* hostContext, uint32_t maxPages,
                std::optional<std::chrono::milliseconds> deadline);

// Called by the host-call bridge when a host function failed: unwinds to invoke() with kTrapHost.
[[noreturn]] void raiseHostTrap();
// Called by the host-call bridge when the deadline expired during a host call.
[[noreturn]] void raiseDeadlineTrap();

// Marks the calling thread as running host code while a host function runs, so that a
// deadline signal is deferred instead of unwinding through host frames.
class HostCallScope {
 public:
  HostCallScope();
  ~HostCallScope();
  // A deadline that expired during the host call; the bridge traps with it on return.
  bool deadlinePending() const;

 private:
  int saved_;
};

// Memory pool statistics (for benchmarks and tests).
struct PoolStats {
  size_t reserved;  // reservations alive, in use or pooled
  size_t pooled;    // ready for reuse
};
PoolStats poolStats();

}  // namespace pelato::runtime::aot
