// Options shared by the commands that run wasm: limits, in CLI form.
#pragma once

#include <CLI/CLI.hpp>

#include "runtime/limits.h"

namespace pelato::cli {

struct EngineOptions {
  uint64_t deadlineMs = 0;
  uint64_t maxMemoryMb = 1024;

  void addTo(CLI::App& command) {
    command.add_option("--deadline-ms", deadlineMs, "Stop a call that runs longer (0: no limit)");
    command.add_option("--max-memory-mb", maxMemoryMb, "Linear memory limit per instance")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t(1), uint64_t(4096)));
  }

  runtime::Limits limits() const {
    runtime::Limits l;
    l.deadline = std::chrono::milliseconds(deadlineMs);
    l.maxMemoryPages = runtime::Limits::pagesForMiB(maxMemoryMb);
    return l;
  }
};

}  // namespace pelato::cli
