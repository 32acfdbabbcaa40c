#include "orchestrator/lease.h"

namespace pelato::orchestrator {

std::optional<Lease::Write> Lease::decide(const std::optional<Current>& current, Clock::time_point now) {
  if (!current) return Write{.create = true};
  if (current->holder == self_ && current->revision == revision_) {
    if (renewedAt_ && now - *renewedAt_ < renewEvery()) return std::nullopt;
    return Write{.revision = current->revision};
  }
  renewedAt_.reset();  // someone else holds it
  if (current->revision != seenRevision_) {
    seenRevision_ = current->revision;
    seenSince_ = now;
    return std::nullopt;
  }
  if (now - seenSince_ < period_) return std::nullopt;
  return Write{.revision = current->revision};  // its holder went silent
}

void Lease::written(std::optional<uint64_t> revision, Clock::time_point now) {
  if (!revision) {
    renewedAt_.reset();
    return;
  }
  revision_ = *revision;
  renewedAt_ = now;
}

bool Lease::leader(Clock::time_point now) const { return renewedAt_ && now - *renewedAt_ < period_; }

}  // namespace pelato::orchestrator
