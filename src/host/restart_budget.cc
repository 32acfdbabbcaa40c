#include "host/restart_budget.h"

#include <algorithm>

namespace pelato::host {

std::optional<std::chrono::milliseconds> RestartBudget::onTrap(Clock::time_point now) {
  traps_.push_back(now);
  while (!traps_.empty() && now - traps_.front() >= options_.window) traps_.pop_front();
  if (traps_.size() <= options_.maxTraps) return std::nullopt;
  traps_.clear();
  auto backoff = nextBackoff_;
  suspendedUntil_ = now + backoff;
  nextBackoff_ = std::min(nextBackoff_ * 2, options_.maxBackoff);
  ++suspensions_;
  return backoff;
}

void RestartBudget::onSuccess() { nextBackoff_ = options_.backoff; }

}  // namespace pelato::host
