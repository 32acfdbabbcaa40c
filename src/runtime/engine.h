// The engine: picks the tier for each new instance. `auto` starts modules on the interpreter at
// once and moves new instances to AOT code as soon as it is compiled, without ever making a
// caller wait for the compiler.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "common/result.h"
#include "runtime/aot_compiler.h"
#include "runtime/aot_instance.h"
#include "runtime/instance.h"

namespace pelato::runtime {

enum class Tier { Interp, Aot, Auto };
Result<Tier> parseTier(std::string_view name);
std::string_view toString(Tier tier);

struct EngineOptions {
  Tier tier = Tier::Auto;
  std::filesystem::path cacheDir = aot::defaultCacheDir();
  // In `auto`, how a missing artifact gets built: a thread of this process (long-running hosts)
  // or a detached `pelato compile` (one-shot commands, so the next run finds it cached).
  enum class Background { Thread, DetachedProcess, None } background = Background::Thread;
  std::string selfExecutable;  // for DetachedProcess
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> create(EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // A new instance on the best tier available now (blocking on the compiler only for `aot`).
  Result<std::unique_ptr<Instance>> instantiate(const Module& module, const HostFunctions& host, const Limits& limits);

  // Builds (or finds) the module's artifact and returns its path.
  Result<std::filesystem::path> compile(const Module& module);

  // The tier the next instance of `module` would get.
  Tier tierFor(const Module& module);

  // Waits until no background compilation is queued or running (tests, benchmarks).
  void waitForBackgroundWork();

 private:
  explicit Engine(EngineOptions options) : options_(std::move(options)) {}
  Result<std::shared_ptr<const AotArtifact>> loadArtifact(const Module& module, bool compileIfMissing);
  void schedule(const Module& module);
  void worker();

  EngineOptions options_;
  std::optional<aot::Compiler> compiler_;
  std::string compilerError_;

  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::map<std::string, std::shared_ptr<const AotArtifact>> artifacts_;  // by module digest
  std::map<std::string, std::string> failed_;                             // digest -> why AOT is impossible
  std::deque<Module> queue_;
  std::set<std::string> pending_;  // digests queued or compiling
  bool busy_ = false;
  bool stopping_ = false;
  std::atomic<bool> cancel_{false};  // set once stopping: background compiles give up
  std::thread worker_;
};

}  // namespace pelato::runtime
