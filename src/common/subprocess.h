// Runs an external program (compilers, wast2json) and collects its output.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace pelato {

struct ProcessOptions {
  std::optional<std::filesystem::path> cwd;
  std::string stdinData;
  std::chrono::milliseconds timeout{0};  // 0: no limit
};

struct ProcessResult {
  int exitCode = 0;  // 128+N when killed by signal N
  std::string out;
  std::string err;
};

// Fails only when the program cannot be started or times out; a non-zero exit is a result.
Result<ProcessResult> runProcess(const std::vector<std::string>& argv,
                                 const ProcessOptions& options = {});

// Starts a program in its own session with stdio on /dev/null and does not wait for it: it
// outlives this process (used to fill caches for a later run).
Result<void> spawnDetached(const std::vector<std::string>& argv);

}  // namespace pelato
