// `pelato build`: every generated task compiled (in parallel, PARALLEL_BUILD at a time), checked
// against the task ABI, signed (wascap claims: the project's issuer, a per-component key kept in
// DIR/.pelato/keys/, the pelato capabilities its imports need) and cached in
// DIR/.pelato/build/<component>/ under a key of all its inputs (build_key.h), so a rebuild with
// nothing changed compiles nothing and yields the same bytes. Compiler messages name the user's
// file (compiler_output.h). All tasks are attempted; the error lists every failure.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "pipeline/codegen.h"
#include "pipeline/toolchain.h"
#include "security/nkeys.h"

namespace pelato::pipeline {

struct BuiltTask {
  GeneratedTask task;
  std::filesystem::path module;  // the signed module, in the cache
  bool cached = false;           // nothing compiled
  std::chrono::duration<double> time{};
};

struct BuildEvent {
  enum class Kind { Started, Cached, Built, Failed };
  Kind kind;
  std::string component;
  std::chrono::duration<double> time{};  // Cached, Built, Failed
};

// Called from build threads, one call at a time.
using BuildObserver = std::function<void(const BuildEvent&)>;

struct BuildOptions {
  ToolSearch search;
  const security::KeyPair* issuer = nullptr;  // an account key; required
  unsigned parallel = 1;
  std::chrono::seconds compileTimeout{600};
};

Result<std::vector<BuiltTask>> buildAll(const Project& project, const GenOutput& gen, const BuildOptions& options,
                                        const BuildObserver& observer);

}  // namespace pelato::pipeline
