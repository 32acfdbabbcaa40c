#include "runtime/engine.h"

#include <spdlog/spdlog.h>

#include "common/file.h"
#include "common/subprocess.h"

namespace pelato::runtime {

Result<Tier> parseTier(std::string_view name) {
  if (name == "interp") return Tier::Interp;
  if (name == "aot") return Tier::Aot;
  if (name == "auto") return Tier::Auto;
  return fail("unknown tier '{}': use interp, aot or auto", name);
}

std::string_view toString(Tier tier) {
  switch (tier) {
    case Tier::Interp: return "interp";
    case Tier::Aot: return "aot";
    case Tier::Auto: return "auto";
  }
  return "?";
}

Result<std::unique_ptr<Engine>> Engine::create(EngineOptions options) {
  std::unique_ptr<Engine> engine(new Engine(std::move(options)));
  if (engine->options_.tier != Tier::Interp) {
    auto compiler = aot::Compiler::create({.cacheDir = engine->options_.cacheDir});
    if (compiler) {
      engine->compiler_.emplace(std::move(*compiler));
    } else if (engine->options_.tier == Tier::Aot) {
      return fail(std::move(compiler.error()));
    } else {
      engine->compilerError_ = compiler.error().message();
      spdlog::info("AOT tier unavailable, interpreting everything: {}", engine->compilerError_);
    }
  }
  return engine;
}

Engine::~Engine() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  cancel_ = true;  // a compile in progress stops now: a host shutting down does not wait for it
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Result<std::shared_ptr<const AotArtifact>> Engine::loadArtifact(const Module& module, bool compileIfMissing) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = artifacts_.find(module.digest()); it != artifacts_.end()) return it->second;
    if (auto it = failed_.find(module.digest()); it != failed_.end()) return fail("{}", it->second);
    // Being compiled already: no need to look in the cache on every new instance meanwhile.
    if (!compileIfMissing && pending_.contains(module.digest())) return fail("not compiled yet");
  }
  if (!compiler_) return fail("{}", compilerError_);
  std::optional<std::filesystem::path> path = compiler_->cached(module);
  if (!path) {
    if (!compileIfMissing) return fail("not compiled yet");
    auto built = compiler_->compile(module, &cancel_);
    if (!built) {
      std::lock_guard lock(mutex_);
      failed_[module.digest()] = built.error().message();
      return fail(std::move(built.error()));
    }
    path = *built;
  }
  auto artifact = AotArtifact::load(*path, module);
  if (!artifact) return fail(std::move(artifact.error()));
  std::lock_guard lock(mutex_);
  return artifacts_.emplace(module.digest(), std::move(*artifact)).first->second;
}

Result<std::filesystem::path> Engine::compile(const Module& module) {
  if (!compiler_) return fail("{}", compilerError_.empty() ? "the AOT tier is disabled (--tier interp)" : compilerError_);
  return compiler_->compile(module);
}

Tier Engine::tierFor(const Module& module) {
  if (options_.tier != Tier::Auto) return options_.tier;
  std::lock_guard lock(mutex_);
  return artifacts_.contains(module.digest()) ? Tier::Aot : Tier::Interp;
}

Result<std::unique_ptr<Instance>> Engine::instantiate(const Module& module, const HostFunctions& host,
                                                      const Limits& limits) {
  switch (options_.tier) {
    case Tier::Interp: return instantiateInterp(module, host, limits);
    case Tier::Aot: {
      auto artifact = loadArtifact(module, /*compileIfMissing=*/true);
      if (!artifact) return fail(std::move(artifact.error()).context("--tier aot"));
      return instantiateAot(module, *artifact, host, limits);
    }
    case Tier::Auto: break;
  }
  if (auto artifact = loadArtifact(module, /*compileIfMissing=*/false)) {
    if (auto instance = instantiateAot(module, *artifact, host, limits)) return instance;
  } else if (compiler_) {
    schedule(module);
  }
  return instantiateInterp(module, host, limits);
}

void Engine::schedule(const Module& module) {
  std::lock_guard lock(mutex_);
  if (pending_.contains(module.digest()) || failed_.contains(module.digest())) return;
  pending_.insert(module.digest());
  switch (options_.background) {
    case EngineOptions::Background::None: return;
    case EngineOptions::Background::DetachedProcess: {
      // Fill the cache for the next run; this process may be gone before it finishes.
      auto tmp = std::filesystem::temp_directory_path() / fmt::format("pelato-tierup-{}.wasm", module.digest());
      if (auto ok = writeFileAtomic(tmp, module.bytes()); ok)
        spawnDetached({"/bin/sh", "-c", "\"$0\" compile --quiet \"$1\"; rm -f \"$1\"", options_.selfExecutable,
                       tmp.string()});
      return;
    }
    case EngineOptions::Background::Thread: break;
  }
  queue_.push_back(module);
  if (!worker_.joinable()) worker_ = std::thread([this] { worker(); });
  wake_.notify_one();
}

void Engine::worker() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Module module = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    auto artifact = loadArtifact(module, /*compileIfMissing=*/true);
    if (artifact) spdlog::info("module {} tiered up to AOT", module.digest().substr(0, 12));
    else spdlog::info("module {} stays on the interpreter: {}", module.digest().substr(0, 12), artifact.error().message());
    lock.lock();
    pending_.erase(module.digest());
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

void Engine::waitForBackgroundWork() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

}  // namespace pelato::runtime
