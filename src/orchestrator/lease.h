// Leader election for several orchestrators over one KV key, pure (the caller does the KV
// reads and compare-and-set writes): the leader rewrites the key every period/3; a standby
// that sees the key's revision stand still for a whole period takes it over with a
// compare-and-set on that revision, so exactly one standby wins and a leader that is only slow
// finds its next renewal refused. A leader that could not renew for a period steps down by
// itself, before any standby may take over, so two leaders never act at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace pelato::orchestrator {

class Lease {
 public:
  using Clock = std::chrono::steady_clock;

  Lease(std::string self, std::chrono::milliseconds period) : self_(std::move(self)), period_(period) {}

  // The key as last read: its holder and revision, or nullopt when it has none.
  struct Current {
    std::string holder;
    uint64_t revision = 0;
  };
  // What to write now: create the key, or update it from `revision`; nullopt: nothing.
  struct Write {
    bool create = false;
    uint64_t revision = 0;
  };
  std::optional<Write> decide(const std::optional<Current>& current, Clock::time_point now);
  // The outcome of that write: the new revision, or nullopt when another writer won.
  void written(std::optional<uint64_t> revision, Clock::time_point now);

  bool leader(Clock::time_point now) const;
  std::chrono::milliseconds renewEvery() const { return period_ / 3; }

 private:
  std::string self_;
  std::chrono::milliseconds period_;
  std::optional<Clock::time_point> renewedAt_;  // our last successful write
  uint64_t revision_ = 0;                       // the revision we wrote
  uint64_t seenRevision_ = 0;                   // another holder's revision, and since when
  Clock::time_point seenSince_{};
};

}  // namespace pelato::orchestrator
