// Placement for a spreadscaler, pure: the manifest's instances and spread entries plus the hosts
// the lattice has now give the target instance count per host.
//
// Rules:
// - Instances are split over the spread entries by weight with the largest-remainder method:
//   each entry gets floor(instances * weight / total), and the instances left over go one each
//   to the entries with the largest remainders (ties: the earlier entry). Totals always equal
//   `instances`, and weights need not sum to 100. (wadm's compute_spread also floors each
//   share, then hands the leftovers out one each in descending weight order; for equal weights
//   such as the thesis's 50/50 both give the same counts.)
// - A host matches an entry when its labels include every requirement (equal values). An
//   entry's share is spread evenly over its matching hosts; the leftovers go first to hosts
//   already running more of the component (fewer moves), then by host id.
// - An entry with no matching host (all edge hosts gone) gives its share to the entries that do
//   have hosts, again by weight; `fellBack` names it so the reconciler can move the instances
//   back when such a host returns. With no matching host at all, everything is `unplaced`.
// - No spread entries: one implicit entry matching every host.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "orchestrator/manifest.h"

namespace pelato::orchestrator {

// A host as the scaler sees it: its labels and how many instances of this component it runs.
struct HostView {
  std::string id;
  StringMap labels;
  uint32_t running = 0;
};

struct HostTarget {
  std::string hostId;
  uint32_t instances = 0;
  bool operator==(const HostTarget&) const = default;
};

struct SpreadPlan {
  std::vector<HostTarget> targets;    // every eligible host, sorted by id (0 = run none there)
  std::vector<std::string> fellBack;  // spread entries with no matching host, in manifest order
  uint32_t unplaced = 0;              // instances no host could take
};

// `instances` divided in proportion to `weights` (largest remainder); all zero weights count
// as equal weights. The result sums to `instances` (empty if `weights` is).
std::vector<uint32_t> splitByWeight(uint32_t instances, std::span<const uint32_t> weights);

bool matchesRequirements(const HostView& host, const StringMap& requirements);

SpreadPlan computeSpread(const SpreadScaler& scaler, std::span<const HostView> hosts);

}  // namespace pelato::orchestrator
