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
#include "runtime/snapshot.h"
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

  // The same for the function exported as module().exports()[exportIndex]: a caller that calls
  // the same export on every message looks it up once rather than by name each time.
  virtual std::expected<void, Trap> callInto(size_t exportIndex, std::span<const Value> args,
                                             std::span<Value> results) {
    const auto& exports = module().exports();
    if (exportIndex >= exports.size())
      return std::unexpected(Trap{Trap::Kind::HostError, "no such export"});
    return callInto(exports[exportIndex].name, args, results);
  }

  // The exported linear memory "memory" (else memory 0); empty when the module has none.
  virtual GuestMemory memory() = 0;

  // The instance's whole state between two calls (runtime/snapshot.h): every memory, mutable
  // global and table. restore() applies one taken from an instance of the same module (on any
  // machine) to this fresh one. Tiers that cannot yet say so.
  virtual Result<InstanceSnapshot> snapshot() { return fail("this engine tier cannot take snapshots yet"); }
  virtual Result<void> restore(const InstanceSnapshot&) { return fail("this engine tier cannot restore snapshots yet"); }
};

// A module's digest (hex, Module::digest()) as the 32 bytes a snapshot carries.
Sha256 digestBytes(const Module& module);

// Instantiates on the interpreter tier: resolves imports against `host`, applies `limits`,
// runs the start function. Unresolvable imports and start-function traps are errors.
Result<std::unique_ptr<Instance>> instantiateInterp(const Module& module, const HostFunctions& host,
                                                    const Limits& limits);

}  // namespace pelato::runtime
