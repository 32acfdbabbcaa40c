// How a spec script's modules run on one engine tier: instantiate with imports from `spectest`
// and registered modules, invoke exports, read globals. The script driver (wast_runner.cc) is
// tier-neutral; each tier has a backend.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/module.h"
#include "runtime/value.h"

namespace pelato::runtime {

// Reference values in scripts: `ref.extern N` travels as bits N+1, null as 0; a non-null
// funcref result is any non-zero bits.
class WastBackend {
 public:
  using Handle = std::shared_ptr<void>;

  virtual ~WastBackend() = default;
  // Fails when linking, instantiation or (AOT) compilation fails.
  virtual Result<Handle> instantiate(const Module& module) = 0;
  virtual void registerAs(const std::string& name, Handle instance) = 0;
  // An error whose message starts with "trap: " means the call trapped.
  virtual Result<std::vector<Value>> invoke(const Handle& instance, const std::string& field,
                                            const std::vector<Value>& args) = 0;
  virtual Result<Value> get(const Handle& instance, const std::string& field) = 0;
};

std::unique_ptr<WastBackend> makeInterpWastBackend();
// Compiles each module with wasm2c into the cache at `cacheDir`.
Result<std::unique_ptr<WastBackend>> makeAotWastBackend(const std::filesystem::path& cacheDir);

}  // namespace pelato::runtime
