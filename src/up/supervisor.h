// Keeps `pelato up`'s services running: starts each (own process group, output appended to its
// log), reaps and restarts any that dies — after a delay that doubles while it keeps dying (1 s
// up to 30 s, back to 1 s once it has run a minute) — and stops them all in reverse start order
// (SIGTERM, then SIGKILL after a grace period). One thread watches; every method is thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "up/up_plan.h"

namespace pelato::up {

// The restart delay after a service died `failures` times in a row (pure).
std::chrono::milliseconds restartDelay(unsigned failures);

class Supervisor {
 public:
  using Clock = std::chrono::steady_clock;
  // `report` gets lines such as "edge-1 exited (signal 9); restarting in 1 s".
  explicit Supervisor(std::function<void(const std::string&)> report);
  ~Supervisor();  // stops everything still running
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts the service now and keeps it running.
  Result<void> start(const ServiceSpec& spec);
  // Stops every service, newest first, each given `grace` to exit after SIGTERM.
  void stopAll(std::chrono::milliseconds grace);

  struct Status {
    std::string name;
    pid_t pid = 0;  // 0 while waiting to be restarted
    unsigned restarts = 0;
  };
  std::vector<Status> status() const;

 private:
  struct Child {
    ServiceSpec spec;
    pid_t pid = 0;
    Clock::time_point startedAt;
    Clock::time_point restartAt;  // when pid == 0
    unsigned failures = 0;        // deaths in a row
    unsigned restarts = 0;
  };
  void watch(std::stop_token stop);
  Result<pid_t> launch(const ServiceSpec& spec);

  std::function<void(const std::string&)> report_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::vector<Child> children_;
  bool stopping_ = false;
  std::jthread watcher_;
};

}  // namespace pelato::up
