// A long-running child process for integration tests (`pelato host`, `pelato events`): its
// stdout is captured through a pipe, stderr goes to the test's stderr. The child dies with the
// test process (PR_SET_PDEATHSIG) and is killed (SIGKILL) when the object goes away.
//
//   auto events = testing::ChildProcess::start({PELATO_BINARY, "events", ...});
//   ASSERT_TRUE(events) << events.error().message();
//   EXPECT_TRUE((*events)->waitForOutput("host_heartbeat", 5s)) << (*events)->output();
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::testing {

class ChildProcess {
 public:
  static Result<std::unique_ptr<ChildProcess>> start(const std::vector<std::string>& argv);

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }

  // Reads stdout until `count` occurrences of `text` have been printed in all (or the output
  // ends, or `timeout` passes); true if they were.
  bool waitForOutput(std::string_view text, std::chrono::milliseconds timeout, size_t count = 1);
  // Everything printed so far (reads what is waiting in the pipe first).
  std::string output();

  void signal(int sig);
  // The exit code (128+N when killed by signal N), or nullopt if it is still running after
  // `timeout`. Output printed before the exit stays readable.
  std::optional<int> waitExit(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL if it has not exited within `grace`; its exit code.
  int stop(std::chrono::milliseconds grace);

 private:
  ChildProcess(pid_t pid, int out) : pid_(pid), out_(out) {}
  // Reads what the pipe holds, waiting up to `wait` for the first bytes; false at end of output.
  bool readSome(std::chrono::milliseconds wait);

  pid_t pid_;
  int out_;
  std::string output_;
  std::optional<int> exitCode_;
};

// How often `text` occurs in `haystack`.
size_t countOccurrences(std::string_view haystack, std::string_view text);

}  // namespace pelato::testing
