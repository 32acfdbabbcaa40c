// Load shedding with hysteresis, pure: from each host's heartbeat load, which hosts are
// overloaded. A host becomes overloaded after `shedAfter` heartbeats in a row with CPU or queue
// depth above the high marks, and is back after `returnAfter` heartbeats in a row below the
// low marks (half the high ones). The gap between the marks and the long way back keep a host
// from flapping when its load leaves with its instances.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "lattice/events.h"

namespace pelato::orchestrator {

struct LoadThresholds {
  double cpuHigh = 0.85;       // share of the machine (HostLoad::cpu); 0 turns CPU shedding off
  uint64_t queueHigh = 1000;   // messages waiting in all components; 0 turns it off
  uint32_t shedAfter = 3;      // heartbeats above a high mark
  uint32_t returnAfter = 30;   // heartbeats below both low marks

  double cpuLow() const { return cpuHigh / 2; }
  uint64_t queueLow() const { return queueHigh / 2; }
};

class LoadPolicy {
 public:
  explicit LoadPolicy(LoadThresholds thresholds = {}) : thresholds_(thresholds) {}

  // One heartbeat's load; returns whether the host's overloaded state changed.
  bool observe(const std::string& hostId, const lattice::HostLoad& load);
  bool overloaded(const std::string& hostId) const;
  void forget(const std::string& hostId) { hosts_.erase(hostId); }

 private:
  struct Track {
    bool overloaded = false;
    uint32_t streak = 0;  // heartbeats in a row pointing at the other state
  };
  LoadThresholds thresholds_;
  std::map<std::string, Track> hosts_;
};

}  // namespace pelato::orchestrator
