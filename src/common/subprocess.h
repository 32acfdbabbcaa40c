// Runs an external program (compilers, wast2json) and collects its output.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <sys/types.h>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato {

struct ProcessOptions {
  std::optional<std::filesystem::path> cwd;
  std::string stdinData;
  std::chrono::milliseconds timeout{0};  // 0: no limit
  // When it becomes true the program is stopped (looked at every 100 ms): an owner shutting down
  // does not wait for a long compile.
  const std::atomic<bool>* cancel = nullptr;
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

// Where `name` is among the directories of `pathVariable` (a PATH value): the first executable
// regular file of that name, or nullopt.
std::optional<std::filesystem::path> findOnPath(std::string_view name, std::string_view pathVariable);

struct BackgroundProcess {
  std::vector<std::string> argv;
  std::vector<std::string> environment;  // "K=V" entries set on top of this process's environment
  std::filesystem::path log;             // stdout and stderr are appended here
  bool newSession = false;               // setsid: outlives this process's terminal
};

// Starts a long-running program (a service `pelato up` supervises) and returns its pid; the
// caller reaps it. Stdin is /dev/null, no other descriptor is inherited, the signal mask and
// dispositions are reset, and it gets a process group of its own, so that a Ctrl-C on the
// terminal reaches only the supervisor, which then stops its children in order; it gets SIGTERM
// if the thread that started it ends (a crashed supervisor leaves nothing running). With
// newSession it is independent instead. A program that cannot be run is an error here.
Result<pid_t> startBackground(const BackgroundProcess& process);

}  // namespace pelato
