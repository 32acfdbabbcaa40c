// libFuzzer target: arbitrary bytes through Module::load, instantiateInterp (with WASI and small
// limits) and calls to a few of the exports that take no arguments. Everything must end in a
// value, an error or a trap with a message: never a crash, a sanitizer report, a hang or a
// host allocation beyond the limits.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "runtime/instance.h"
#include "runtime/task_abi.h"
#include "runtime/wasi_context.h"

using namespace pelato::runtime;
using namespace std::chrono_literals;

namespace {

int devNull() {
  static int fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  return fd;
}

// poll_oneoff may legitimately sleep for as long as the guest asks, and host calls are not
// interrupted by Limits::deadline; so that the fuzzer does not report that as a hang, a poll
// made only of clock subscriptions, one of them longer than 1 ms, is refused before it reaches
// the host. Any other subscription makes poll return at once (stdio is /dev/null, other
// descriptors do not exist), so those calls go through whatever their timeouts.
void boundSleeps(std::vector<HostFunction>& functions) {
  for (auto& f : functions) {
    if (f.name != "poll_oneoff") continue;
    f.callback = [inner = std::move(f.callback)](HostCall& call) -> HostOutcome {
      uint64_t in = call.args[0] & 0xffffffffu, count = call.args[2] & 0xffffffffu;
      bool onlyClocks = true, long_ = false;
      for (uint64_t i = 0; i < count && i < (uint64_t(1) << 19); ++i) {
        auto tag = call.memory.load<uint8_t>(in + i * 48 + 8);
        auto timeout = call.memory.load<uint64_t>(in + i * 48 + 24);
        if (!tag || !timeout) break;  // out of bounds: the host answers EFAULT at once
        if (*tag != 0) onlyClocks = false;
        else if (*timeout > 1'000'000) long_ = true;
      }
      if (onlyClocks && long_) {
        call.results[0] = 58;  // ENOTSUP
        return {};
      }
      return inner(call);
    };
  }
}

void fail(const char* what) {
  fprintf(stderr, "module_fuzzer: %s\n", what);
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto module = Module::load(std::vector<uint8_t>(data, data + size));
  if (!module) {
    if (module.error().message().empty()) fail("load failed without a message");
    return 0;
  }
  for (const auto& e : module->exports())
    if (e.kind == ExternKind::Func) (void)module->functionName(e.index);
  for (const auto& s : module->customSections()) (void)module->customSection(s.name);
  if (auto abi = checkTaskAbi(*module); !abi && abi.error().message().empty()) fail("task ABI error without a message");

  auto wasi = WasiContext::create(
      {.args = {"fuzz", "arg"}, .env = {"K=V"}, .stdinFd = devNull(), .stdoutFd = devNull(), .stderrFd = devNull()});
  if (!wasi) fail("WasiContext::create failed");
  auto functions = (*wasi)->functions();
  boundSleeps(functions);
  HostFunctions host;
  host.add(std::move(functions));

  Limits limits;
  limits.maxMemoryPages = Limits::pagesForMiB(16);
  limits.deadline = 50ms;
  limits.fuel = 1'000'000;
  auto instance = instantiateInterp(*module, host, limits);
  if (!instance) {
    if (instance.error().message().empty()) fail("instantiation failed without a message");
    return 0;
  }

  // A call after a trap must still work, or trap again with a message.
  int calls = 0;
  for (const auto& e : module->exports()) {
    if (e.kind != ExternKind::Func || !e.funcType.params.empty()) continue;
    auto r = (*instance)->call(e.name, {});
    if (r) {
      if (r->size() != e.funcType.results.size()) fail("wrong number of results");
    } else if (r.error().message.empty()) {
      fail("trap without a message");
    }
    if (++calls == 4) break;
  }
  GuestMemory memory = (*instance)->memory();
  if (memory.size() > uint64_t(limits.maxMemoryPages) * Limits::kWasmPageSize) fail("memory above the limit");
  if (!memory.empty()) (void)memory.load<uint64_t>(memory.size() - 8);
  return 0;
}
