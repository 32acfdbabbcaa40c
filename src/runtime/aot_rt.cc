#include "runtime/aot_rt.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <tuple>
#include <setjmp.h>
#include <vector>

#include <fmt/format.h>

namespace pelato::runtime::aot {

namespace {

constexpr uint64_t kPageSize = 65536;
constexpr uint64_t kReservation = kReservationBytes;
constexpr size_t kAltStackSize = 64 * 1024;
constexpr size_t kMaxPooled = 256;

int deadlineSignal() { return SIGRTMIN + 2; }

// Everything a thread needs to run compiled wasm. Initial-exec TLS in the executable, so the
// signal handlers may touch it.
struct ThreadState {
  sigjmp_buf* target = nullptr;
  volatile sig_atomic_t inWasm = 0;
  volatile sig_atomic_t deadlinePending = 0;
  volatile sig_atomic_t inRuntime = 0;  // in wasm-rt code called by wasm: deadlines wait
  uintptr_t stackLow = 0, stackHigh = 0;
  uint32_t maxPages = 65536;
  bool ready = false;
  bool hasTimer = false;
  timer_t timer{};
  void* altStack = nullptr;

  ~ThreadState() {
    if (hasTimer) timer_delete(timer);
    if (altStack) {
      stack_t disable{};
      disable.ss_flags = SS_DISABLE;
      sigaltstack(&disable, nullptr);
      std::free(altStack);
    }
  }
};

thread_local ThreadState tls;

struct sigaction previousSegv, previousBus;

[[noreturn]] void unwind(int code) {
  tls.inWasm = 0;
  tls.inRuntime = 0;
  siglongjmp(*tls.target, code);
}

// Runtime code that compiled wasm calls directly (it allocates, takes locks, changes page
// protections) must not be cut short by a deadline: jumping out of realloc or a locked mutex
// deadlocks the next caller. It defers the signal; the trap follows on return. (Faults there
// still unwind as before: a stack overflow in the runtime is the guest's stack overflow.)
template <typename F>
auto deferDeadline(F&& f) {
  const sig_atomic_t saved = tls.inRuntime;
  tls.inRuntime = 1;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  auto result = f();
  std::atomic_signal_fence(std::memory_order_seq_cst);
  tls.inRuntime = saved;
  if (!saved && tls.inWasm && tls.deadlinePending && tls.target) unwind(kTrapDeadline);
  return result;
}

void onFault(int sig, siginfo_t* info, void* context) {
  if (tls.inWasm && tls.target) {
    auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
    bool stack = addr + 65536 >= tls.stackLow && addr < tls.stackHigh;
    unwind(stack ? kTrapExhaustion : kTrapOob);
  }
  // Not ours: let the previous disposition handle it (usually: crash with a core).
  struct sigaction& prev = sig == SIGSEGV ? previousSegv : previousBus;
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) return prev.sa_sigaction(sig, info, context);
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    return prev.sa_handler(sig);
  }
  sigaction(sig, &prev, nullptr);  // re-executing the faulting instruction now kills us
}

void onDeadline(int, siginfo_t*, void*) {
  if (tls.inWasm && !tls.inRuntime && tls.target) unwind(kTrapDeadline);
  tls.deadlinePending = 1;  // in host or runtime code: the trap follows when it returns to wasm
}

void installHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa{};
    sa.sa_sigaction = onFault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previousSegv);
    sigaction(SIGBUS, &sa, &previousBus);
    struct sigaction dl{};
    dl.sa_sigaction = onDeadline;
    dl.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&dl.sa_mask);
    sigaction(deadlineSignal(), &dl, nullptr);
  });
}

// First call on a thread: an alternate signal stack (a stack overflow cannot be handled on the
// overflowing stack) and the thread's stack bounds.
ThreadState& threadState() {
  if (tls.ready) return tls;
  installHandlers();
  tls.altStack = std::malloc(kAltStackSize);
  stack_t ss{};
  ss.ss_sp = tls.altStack;
  ss.ss_size = kAltStackSize;
  sigaltstack(&ss, nullptr);
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* low = nullptr;
    size_t size = 0;
    pthread_attr_getstack(&attr, &low, &size);
    tls.stackLow = reinterpret_cast<uintptr_t>(low);
    tls.stackHigh = tls.stackLow + size;
    pthread_attr_destroy(&attr);
  }
  tls.ready = true;
  return tls;
}

void armDeadline(ThreadState& t, std::chrono::milliseconds after) {
  if (!t.hasTimer) {
    sigevent ev{};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = deadlineSignal();
    ev._sigev_un._tid = static_cast<pid_t>(syscall(SYS_gettid));
    if (timer_create(CLOCK_MONOTONIC, &ev, &t.timer) != 0) return;
    t.hasTimer = true;
  }
  itimerspec spec{};
  spec.it_value.tv_sec = after.count() / 1000;
  spec.it_value.tv_nsec = (after.count() % 1000) * 1000000;
  if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
  timer_settime(t.timer, 0, &spec, nullptr);
}

void disarmDeadline(ThreadState& t) {
  itimerspec zero{};
  timer_settime(t.timer, 0, &zero, nullptr);
  t.deadlinePending = 0;
}

// Reservations of kReservation bytes, reused after being wiped.
class MemoryPool {
 public:
  void* acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        void* p = free_.back();
        free_.pop_back();
        return p;
      }
    }
    void* p = mmap(nullptr, kReservation, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    std::lock_guard lock(mutex_);
    ++reserved_;
    return p;
  }

  void release(void* base, uint64_t used) {
    if (used) {
      madvise(base, used, MADV_DONTNEED);  // reads as zero next time
      mprotect(base, used, PROT_NONE);
    }
    std::lock_guard lock(mutex_);
    if (free_.size() < kMaxPooled) {
      free_.push_back(base);
      return;
    }
    --reserved_;
    munmap(base, kReservation);
  }

  PoolStats stats() {
    std::lock_guard lock(mutex_);
    return {reserved_, free_.size()};
  }

 private:
  std::mutex mutex_;
  std::vector<void*> free_;
  size_t reserved_ = 0;
};

MemoryPool& pool() {
  static MemoryPool* p = new MemoryPool;  // outlives every instance, even at exit
  return *p;
}

struct FuncTypeRegistry {
  std::mutex mutex;
  std::vector<std::vector<int>> types;  // params, then a -1 separator, then results
};

FuncTypeRegistry& funcTypes() {
  static FuncTypeRegistry* r = new FuncTypeRegistry;
  return *r;
}

}  // namespace

std::string trapMessage(int code) {
  switch (code) {
    case kTrapOob: return "out of bounds memory access";
    case kTrapIntOverflow: return "integer overflow";
    case kTrapDivByZero: return "integer divide by zero";
    case kTrapInvalidConversion: return "invalid conversion to integer";
    case kTrapUnreachable: return "unreachable executed";
    case kTrapCallIndirect: return "indirect call failed (undefined element, uninitialized element or type mismatch)";
    case kTrapUncaughtException: return "uncaught exception";
    case kTrapExhaustion: return "call stack exhausted";
    case kTrapDeadline: return "deadline exceeded";
    case kTrapResource: return "out of address space for linear memory";
    default: return fmt::format("trap {}", code);
  }
}

int invoke(Trampoline fn, void* instance, const uint64_t* args, uint64_t* results,
           std::optional<std::chrono::milliseconds> deadline) {
  ThreadState& t = threadState();
  sigjmp_buf buf;
  sigjmp_buf* const outer = t.target;
  const int outerInWasm = t.inWasm;
  const bool timed = deadline && !outer;  // nested calls run under the outer call's deadline
  if (timed) armDeadline(t, *deadline);
  // Both handlers run with SA_NODEFER, so jumping out of them leaves the signal mask as it was:
  // no need to save and restore it on every call (a system call each time).
  int code = sigsetjmp(buf, 0);
  if (code == 0) {
    t.target = &buf;
    t.inWasm = 1;
    fn(instance, args, results);
  }
  t.inWasm = outerInWasm;
  t.target = outer;
  if (timed && t.hasTimer) disarmDeadline(t);
  return code;
}

namespace {
struct InstantiateArgs {
  Instantiate fn;
  void* context;
};
void runInstantiate(void* instance, const uint64_t* args, uint64_t*) {
  auto* a = reinterpret_cast<const InstantiateArgs*>(args);
  a->fn(instance, a->context);
}
}  // namespace

int instantiate(Instantiate fn, void* instance, void* hostContext, uint32_t maxPages,
                std::optional<std::chrono::milliseconds> deadline) {
  ThreadState& t = threadState();
  uint32_t saved = t.maxPages;
  t.maxPages = maxPages;
  InstantiateArgs a{fn, hostContext};
  int code = invoke(runInstantiate, instance, reinterpret_cast<const uint64_t*>(&a), nullptr, deadline);
  t.maxPages = saved;
  return code;
}

void raiseHostTrap() { unwind(kTrapHost); }
void raiseDeadlineTrap() { unwind(kTrapDeadline); }

HostCallScope::HostCallScope() : saved_(tls.inWasm) { tls.inWasm = 0; }
HostCallScope::~HostCallScope() { tls.inWasm = saved_; }
bool HostCallScope::deadlinePending() const { return tls.deadlinePending; }

PoolStats poolStats() { return pool().stats(); }

}  // namespace pelato::runtime::aot

// ---- The wasm-rt API, called by compiled modules (exported dynamically, see aot_exports.list).

using namespace pelato::runtime::aot;

namespace {

// Tables live in host memory and Limits::maxMemoryPages does not cover them: like the
// interpreter (interp_instance.cc), no table grows past 10M elements unless it starts larger.
constexpr uint32_t kMaxTableElements = 10'000'000;
uint32_t tableCap(uint32_t elements, uint32_t max) { return std::min(max, std::max(elements, kMaxTableElements)); }

template <typename Table, typename T>
uint32_t growTable(Table* table, uint32_t delta, T init) {
  uint32_t old = table->size;
  uint64_t size = uint64_t(old) + delta;
  if (size > table->max_size) return UINT32_MAX;
  if (delta == 0) return old;
  auto* data = static_cast<T*>(std::realloc(table->data, size * sizeof(T)));
  if (!data) return UINT32_MAX;
  for (uint64_t i = old; i < size; ++i) data[i] = init;
  table->data = data;
  table->size = static_cast<uint32_t>(size);
  return old;
}

}  // namespace

extern "C" {

void wasm_rt_init(void) { installHandlers(); }
bool wasm_rt_is_initialized(void) { return true; }
void wasm_rt_free(void) {}

[[noreturn]] void wasm_rt_trap(int code) {
  if (!tls.target) {
    std::fprintf(stderr, "pelato: wasm trap %d outside of a call\n", code);
    std::abort();
  }
  unwind(code);
}

const char* wasm_rt_strerror(int code) {
  static thread_local std::string message;
  message = trapMessage(code);
  return message.c_str();
}

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  std::vector<int> type;
  va_list args;
  va_start(args, results);
  for (uint32_t i = 0; i < params; ++i) type.push_back(va_arg(args, int));
  type.push_back(-1);
  for (uint32_t i = 0; i < results; ++i) type.push_back(va_arg(args, int));
  va_end(args);
  auto& r = funcTypes();
  std::lock_guard lock(r.mutex);
  for (size_t i = 0; i < r.types.size(); ++i)
    if (r.types[i] == type) return static_cast<uint32_t>(i + 1);
  r.types.push_back(std::move(type));
  return static_cast<uint32_t>(r.types.size());
}

void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint32_t initial, uint32_t max) {
  uint32_t limit = std::min<uint32_t>(tls.maxPages, 65536);
  if (max > limit) max = limit;
  bool ok = deferDeadline([&] {  // the pool's lock; a reservation must not leak
    void* base = initial <= max ? pool().acquire() : nullptr;
    if (!base) return false;
    uint64_t bytes = uint64_t(initial) * kPageSize;
    if (bytes && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
      pool().release(base, 0);
      return false;
    }
    memory->data = static_cast<uint8_t*>(base);
    memory->pages = initial;
    memory->max_pages = max;
    memory->size = static_cast<uint32_t>(bytes);  // 65536 pages (4 GiB) wraps; see grow
    return true;
  });
  if (!ok) wasm_rt_trap(kTrapResource);
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint32_t delta) {
  uint32_t old = memory->pages;
  uint64_t pages = uint64_t(old) + delta;
  if (pages > memory->max_pages || pages > 65535) return UINT32_MAX;
  // Pages made accessible are counted at once: the pool only wipes and protects counted ones.
  return deferDeadline([&] {
    if (delta && mprotect(memory->data + uint64_t(old) * kPageSize, uint64_t(delta) * kPageSize,
                          PROT_READ | PROT_WRITE) != 0)
      return UINT32_MAX;
    memory->pages = static_cast<uint32_t>(pages);
    memory->size = static_cast<uint32_t>(pages * kPageSize);
    return old;
  });
}

void wasm_rt_free_memory(wasm_rt_memory_t* memory) {
  if (!memory->data) return;
  pool().release(memory->data, uint64_t(memory->pages) * kPageSize);
  memory->data = nullptr;
}

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* table, uint32_t elements, uint32_t max) {
  table->data = deferDeadline([&] {
    return static_cast<wasm_rt_funcref_t*>(std::calloc(elements ? elements : 1, sizeof(wasm_rt_funcref_t)));
  });
  if (!table->data) wasm_rt_trap(kTrapResource);
  table->size = elements;
  table->max_size = tableCap(elements, max);
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* table) {
  std::free(table->data);
  table->data = nullptr;
}

void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t* table, uint32_t elements, uint32_t max) {
  table->data = deferDeadline([&] { return static_cast<void**>(std::calloc(elements ? elements : 1, sizeof(void*))); });
  if (!table->data) wasm_rt_trap(kTrapResource);
  table->size = elements;
  table->max_size = tableCap(elements, max);
}

void wasm_rt_free_externref_table(wasm_rt_externref_table_t* table) {
  std::free(table->data);
  table->data = nullptr;
}

uint64_t pelato_rt_funcref_to_slot(wasm_rt_funcref_t ref) {
  if (!ref.func) return 0;
  static std::mutex mutex;
  static auto* interned = new std::map<std::tuple<uint32_t, void (*)(void), void*>, wasm_rt_funcref_t*>;
  return deferDeadline([&] {
    std::lock_guard lock(mutex);
    auto& slot = (*interned)[{ref.func_type, ref.func, ref.module_instance}];
    if (!slot) slot = new wasm_rt_funcref_t(ref);
    return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(slot));
  });
}

wasm_rt_funcref_t pelato_rt_funcref_from_slot(uint64_t slot) {
  if (!slot) return {0, nullptr, nullptr};
  return *reinterpret_cast<const wasm_rt_funcref_t*>(static_cast<uintptr_t>(slot));
}

uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* table, uint32_t delta, wasm_rt_funcref_t init) {
  return deferDeadline([&] { return growTable(table, delta, init); });
}

uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* table, uint32_t delta, void* init) {
  return deferDeadline([&] { return growTable(table, delta, init); });
}

}  // extern "C"
