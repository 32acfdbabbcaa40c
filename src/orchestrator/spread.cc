#include "orchestrator/spread.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace pelato::orchestrator {

std::vector<uint32_t> splitByWeight(uint32_t instances, std::span<const uint32_t> weights) {
  std::vector<uint32_t> out(weights.size(), 0);
  if (weights.empty()) return out;
  uint64_t total = std::accumulate(weights.begin(), weights.end(), uint64_t{0});
  auto weightOf = [&](size_t i) -> uint64_t { return total == 0 ? 1 : weights[i]; };
  if (total == 0) total = weights.size();
  std::vector<uint64_t> remainders(weights.size());
  uint64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    uint64_t product = uint64_t{instances} * weightOf(i);  // < 2^64: both are 32-bit
    out[i] = static_cast<uint32_t>(product / total);
    remainders[i] = product % total;
    given += out[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Largest remainder first; ties to the earlier entry (explicit, so plain sort is deterministic).
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b;
  });
  for (size_t k = 0; given < instances; ++k, ++given) ++out[order[k % order.size()]];
  return out;
}

bool matchesRequirements(const HostView& host, const StringMap& requirements) {
  return std::all_of(requirements.begin(), requirements.end(), [&](const auto& req) {
    auto it = host.labels.find(req.first);
    return it != host.labels.end() && it->second == req.second;
  });
}

namespace {

// `count` instances over `hosts` (indices into the sorted host list), evenly; leftovers go to
// hosts already running more, then to lower ids.
void spreadEvenly(uint32_t count, std::vector<size_t> hosts, std::span<const HostView> sorted,
                  std::vector<uint32_t>& targets) {
  if (hosts.empty() || count == 0) return;
  uint32_t base = count / hosts.size();
  uint32_t extra = count % hosts.size();
  std::sort(hosts.begin(), hosts.end(), [&](size_t a, size_t b) {
    return sorted[a].running != sorted[b].running ? sorted[a].running > sorted[b].running : a < b;
  });
  for (size_t k = 0; k < hosts.size(); ++k) targets[hosts[k]] += base + (k < extra ? 1 : 0);
}

}  // namespace

SpreadPlan computeSpread(const SpreadScaler& scaler, std::span<const HostView> hosts) {
  std::vector<HostView> sorted(hosts.begin(), hosts.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const HostView& a, const HostView& b) { return a.id < b.id; });

  std::vector<Spread> entries = scaler.spread;
  if (entries.empty()) entries.push_back({.name = "", .weight = 1});

  std::vector<std::vector<size_t>> matching(entries.size());
  std::vector<bool> eligible(sorted.size(), false);
  for (size_t e = 0; e < entries.size(); ++e) {
    for (size_t h = 0; h < sorted.size(); ++h) {
      if (!matchesRequirements(sorted[h], entries[e].requirements)) continue;
      matching[e].push_back(h);
      eligible[h] = true;
    }
  }

  std::vector<uint32_t> weights;
  for (const auto& e : entries) weights.push_back(e.weight);
  std::vector<uint32_t> shares = splitByWeight(scaler.instances, weights);

  SpreadPlan plan;
  uint32_t orphaned = 0;
  std::vector<size_t> placeable;
  for (size_t e = 0; e < entries.size(); ++e) {
    if (matching[e].empty()) {
      if (!scaler.spread.empty()) plan.fellBack.push_back(entries[e].name);
      orphaned += shares[e];
      shares[e] = 0;
    } else {
      placeable.push_back(e);
    }
  }
  if (placeable.empty()) {
    plan.unplaced = scaler.instances;
  } else if (orphaned > 0) {
    std::vector<uint32_t> fallbackWeights;
    for (size_t e : placeable) fallbackWeights.push_back(entries[e].weight);
    auto extra = splitByWeight(orphaned, fallbackWeights);
    for (size_t k = 0; k < placeable.size(); ++k) shares[placeable[k]] += extra[k];
  }

  std::vector<uint32_t> targets(sorted.size(), 0);
  for (size_t e : placeable) spreadEvenly(shares[e], matching[e], sorted, targets);
  for (size_t h = 0; h < sorted.size(); ++h) {
    if (eligible[h]) plan.targets.push_back({.hostId = sorted[h].id, .instances = targets[h]});
  }
  return plan;
}

}  // namespace pelato::orchestrator
