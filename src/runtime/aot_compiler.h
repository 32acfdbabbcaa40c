// Turns a module into a native shared object: wasm2c, pelato's glue and wasm-rt.h, then the
// system C compiler. Artifacts are cached on disk, keyed by everything that shapes them.
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.h"
#include "runtime/aot_support.h"
#include "runtime/module.h"

namespace pelato::runtime::aot {

struct CompilerOptions {
  std::filesystem::path cacheDir;  // artifacts go in cacheDir/aot
  std::string cc = "cc";
};

// $PELATO_CACHE_DIR, else $XDG_CACHE_HOME/pelato, else ~/.cache/pelato.
std::filesystem::path defaultCacheDir();

class Compiler {
 public:
  // Identifies the C compiler (version and target triple); fails if there is none.
  static Result<Compiler> create(CompilerOptions options);

  // The cache key: module digest, pelato version, glue ABI, compiler identity, flags, target.
  std::string cacheKey(const Module& module, bool explicitBoundsChecks) const;

  // A verified artifact from the cache, if there is one. Corrupt or foreign entries are
  // removed, never returned.
  std::optional<std::filesystem::path> cached(const Module& module) const;

  // The artifact for `module`, compiling it if needed. Refuses modules wasm2c cannot translate.
  // `cancel`, when it becomes true, stops the translation or compilation in progress (an engine
  // shutting down).
  Result<std::filesystem::path> compile(const Module& module, const std::atomic<bool>* cancel = nullptr) const;

  const std::string& identity() const { return identity_; }

 private:
  Compiler(CompilerOptions options, std::string identity, std::string target)
      : options_(std::move(options)), identity_(std::move(identity)), target_(std::move(target)) {}
  std::filesystem::path dir() const { return options_.cacheDir / "aot"; }
  std::optional<std::filesystem::path> cached(const Module& module, const AotPlan& plan) const;
  std::vector<std::string> flags(bool explicitBoundsChecks) const;

  CompilerOptions options_;
  std::string identity_;
  std::string target_;
};

}  // namespace pelato::runtime::aot
