#include "orchestrator/load_policy.h"

namespace pelato::orchestrator {

bool LoadPolicy::observe(const std::string& hostId, const lattice::HostLoad& load) {
  const auto& t = thresholds_;
  bool cpuOn = t.cpuHigh > 0, queueOn = t.queueHigh > 0;
  bool high = (cpuOn && load.cpu > t.cpuHigh) || (queueOn && load.queueDepth > t.queueHigh);
  bool low = (!cpuOn || load.cpu < t.cpuLow()) && (!queueOn || load.queueDepth < t.queueLow());
  Track& track = hosts_[hostId];
  bool towardsOther = track.overloaded ? low : high;
  track.streak = towardsOther ? track.streak + 1 : 0;
  uint32_t needed = track.overloaded ? t.returnAfter : t.shedAfter;
  if (!towardsOther || track.streak < needed) return false;
  track.overloaded = !track.overloaded;
  track.streak = 0;
  return true;
}

bool LoadPolicy::overloaded(const std::string& hostId) const {
  auto it = hosts_.find(hostId);
  return it != hosts_.end() && it->second.overloaded;
}

}  // namespace pelato::orchestrator
