// A running instance of a module, whatever the engine tier behind it.
#pragma once

#include <algorithm>
#include <expected>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/guest_memory.h"
#include "runtime/host_function.h"
#include "runtime/limits.h"
#include "runtime/module.h"
#include "runtime/trap.h"
#include "runtime/value.h"

namespace pelato::runtime {

using CallResult = std::expected<std::vector<Value>, Trap>;

class Instance {
 public:
  virtual ~Instance() = default;

  virtual const Module& module() const = 0;

  // Calls an exported function. Limits::deadline and ::fuel apply to this call alone.
  virtual CallResult call(std::string_view exportName, std::span<const Value> args) = 0;
  // The same, with the results written to `results` (which must have room for them all) rather
  // than allocated: for calls made on every message.
  virtual std::expected<void, Trap> callInto(std::string_view exportName, std::span<const Value> args,
                                             std::span<Value> results) {
    auto out = call(exportName, args);
    if (!out) return std::unexpected(std::move(out.error()));
    if (out->size() > results.size())
      return std::unexpected(Trap{Trap::Kind::HostError, "more results than room for them"});
    std::copy(out->begin(), out->end(), results.begin());
    return {};
  }

  // The exported linear memory "memory" (else memory 0); empty when the module has none.
  virtual GuestMemory memory() = 0;
};

// Instantiates on the interpreter tier: resolves imports against `host`, applies `limits`,
// runs the start function. Unresolvable imports and start-function traps are errors.
Result<std::unique_ptr<Instance>> instantiateInterp(const Module& module, const HostFunctions& host,
                                                    const Limits& limits);

}  // namespace pelato::runtime
