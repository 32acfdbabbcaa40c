// Functions the host offers to guests (WASI, pelato's own imports), independent of engine tier.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <expected>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/guest_memory.h"
#include "runtime/trap.h"
#include "runtime/value.h"

namespace pelato::runtime {

// One invocation: raw argument slots (i32 in the low 32 bits, floats as bit patterns).
struct HostCall {
  std::span<const uint64_t> args;
  std::span<uint64_t> results;
  GuestMemory memory;  // the calling instance's memory 0 (empty if it has none)
  // When the wasm call that made this host call must end; blocking host functions stop
  // waiting then (the engine traps the call right after they return).
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

using HostOutcome = std::expected<void, Trap>;

struct HostFunction {
  std::string module;
  std::string name;
  FuncType type;
  std::function<HostOutcome(HostCall&)> callback;
};

// What an instance may import. Later registrations of the same module+name replace earlier ones.
class HostFunctions {
 public:
  void add(HostFunction function);
  void add(std::vector<HostFunction> functions);
  const HostFunction* find(std::string_view module, std::string_view name) const;
  const std::vector<HostFunction>& all() const { return functions_; }

 private:
  std::vector<HostFunction> functions_;
};

struct ImportInfo;

// The host function for each of a module's imports, in import order. Fails, saying why and
// what to do, when an import is not a function, is missing, or has another type.
Result<std::vector<const HostFunction*>> resolveImports(const std::vector<ImportInfo>& imports,
                                                        const HostFunctions& host);

}  // namespace pelato::runtime
