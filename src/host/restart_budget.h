// Supervision policy for a component's instances. After a trap the TaskRunner replaces the
// instance at once; a component that traps more than `maxTraps` times within `window` is
// suspended for a backoff that doubles on every suspension (up to `maxBackoff`) and goes back
// to `backoff` after a success. A component that keeps failing is therefore reported and
// slowed down, never restarted in a tight loop. Pure: the caller passes the time.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace pelato::host {

struct RestartOptions {
  uint32_t maxTraps = 10;
  std::chrono::milliseconds window{10'000};
  std::chrono::milliseconds backoff{1'000};
  std::chrono::milliseconds maxBackoff{60'000};
};

class RestartBudget {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RestartBudget(RestartOptions options = {}) : options_(options), nextBackoff_(options.backoff) {}

  // Records a trap. Returns the suspension it starts, if this trap exhausts the budget.
  std::optional<std::chrono::milliseconds> onTrap(Clock::time_point now);
  void onSuccess();
  bool suspended(Clock::time_point now) const { return now < suspendedUntil_; }
  Clock::time_point suspendedUntil() const { return suspendedUntil_; }
  uint64_t suspensions() const { return suspensions_; }

 private:
  RestartOptions options_;
  std::deque<Clock::time_point> traps_;  // within the window
  std::chrono::milliseconds nextBackoff_;
  Clock::time_point suspendedUntil_{};
  uint64_t suspensions_ = 0;
};

}  // namespace pelato::host
