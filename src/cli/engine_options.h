// Options shared by the commands that run wasm: limits, in CLI form.
#pragma once

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <climits>

#include "runtime/engine.h"
#include "runtime/limits.h"

namespace pelato::cli {

struct EngineOptions {
  uint64_t deadlineMs = 0;
  uint64_t maxMemoryMb = 1024;
  std::string tier = "auto";

  void addTo(CLI::App& command) {
    command.add_option("--deadline-ms", deadlineMs, "Stop a call that runs longer (0: no limit)");
    command.add_option("--max-memory-mb", maxMemoryMb, "Linear memory limit per instance")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t(1), uint64_t(4096)));
    addTierTo(command);
  }

  void addTierTo(CLI::App& command) {
    command.add_option("--tier", tier, "interp, aot (compile first) or auto (AOT when cached, else interpret)")
        ->capture_default_str()
        ->envname("PELATO_TIER")
        ->check(CLI::IsMember({"interp", "aot", "auto"}));
  }

  // One-shot commands: in auto mode a missing artifact is built by a detached `pelato compile`
  // so that the next run finds it in the cache.
  Result<std::unique_ptr<runtime::Engine>> engine() const {
    runtime::EngineOptions options{.tier = *runtime::parseTier(tier),
                                   .background = runtime::EngineOptions::Background::DetachedProcess};
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) options.selfExecutable.assign(self, static_cast<size_t>(n));
    else options.background = runtime::EngineOptions::Background::None;
    return runtime::Engine::create(std::move(options));
  }

  runtime::Limits limits() const {
    runtime::Limits l;
    l.deadline = std::chrono::milliseconds(deadlineMs);
    l.maxMemoryPages = runtime::Limits::pagesForMiB(maxMemoryMb);
    return l;
  }
};

}  // namespace pelato::cli
