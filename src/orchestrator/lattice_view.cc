#include "orchestrator/lattice_view.h"

#include <algorithm>

namespace pelato::orchestrator {
namespace {

std::string appOf(const std::optional<StringMap>& annotations) {
  if (!annotations) return {};
  auto it = annotations->find(std::string(kAppSpecAnnotation));
  return it == annotations->end() ? std::string() : it->second;
}

}  // namespace

LatticeView::Entry& LatticeView::touch(const std::string& hostId, Clock::time_point now) {
  Entry& entry = hosts_[hostId];
  entry.host.id = hostId;
  entry.lastSeen = now;
  return entry;
}

bool LatticeView::onHeartbeat(const lattice::HostHeartbeat& heartbeat, Clock::time_point now) {
  const auto& inventory = heartbeat.inventory;
  HostState next{.id = inventory.hostId, .friendlyName = inventory.friendlyName, .labels = inventory.labels};
  for (const auto& component : inventory.components) {
    if (component.maxInstances == 0) continue;
    next.components[component.id] = {.imageRef = component.imageRef, .instances = component.maxInstances,
                                      .app = appOf(component.annotations)};
  }
  bool isNew = !hosts_.contains(inventory.hostId);
  Entry& entry = touch(inventory.hostId, now);
  bool changed = isNew || entry.host != next;
  entry.host = std::move(next);
  if (heartbeat.load && load_.observe(inventory.hostId, *heartbeat.load)) changed = true;
  return changed;
}

bool LatticeView::onHostStarted(const lattice::HostStarted& started, Clock::time_point now) {
  bool isNew = !hosts_.contains(started.hostId);
  Entry& entry = touch(started.hostId, now);
  if (!isNew && entry.host.labels == started.labels) return false;
  entry.host.friendlyName = started.friendlyName;
  entry.host.labels = started.labels;
  return true;
}

bool LatticeView::onHostStopped(const std::string& hostId) { return remove(hostId); }

bool LatticeView::onComponentScaled(const lattice::ComponentScaled& scaled, Clock::time_point now) {
  auto it = hosts_.find(scaled.hostId);
  if (it == hosts_.end()) return false;  // its next heartbeat brings it in whole
  it->second.lastSeen = now;
  auto& components = it->second.host.components;
  if (scaled.maxInstances == 0) return components.erase(scaled.componentId) > 0;
  RunningComponent next{.imageRef = scaled.imageRef, .instances = scaled.maxInstances,
                        .app = appOf(scaled.annotations)};
  auto& current = components[scaled.componentId];
  bool changed = current != next;
  current = std::move(next);
  return changed;
}

bool LatticeView::onLabelsChanged(const lattice::LabelsChanged& changed, Clock::time_point now) {
  auto it = hosts_.find(changed.hostId);
  if (it == hosts_.end()) return false;
  it->second.lastSeen = now;
  if (it->second.host.labels == changed.labels) return false;
  it->second.host.labels = changed.labels;
  return true;
}

std::vector<std::string> LatticeView::suspects(Clock::time_point now) const {
  std::vector<std::string> out;
  for (const auto& [id, entry] : hosts_)
    if (now - entry.lastSeen > liveness_.suspectAfter) out.push_back(id);
  return out;
}

void LatticeView::confirmAlive(const std::string& hostId, Clock::time_point now) {
  if (auto it = hosts_.find(hostId); it != hosts_.end()) it->second.lastSeen = now;
}

std::vector<std::string> LatticeView::expire(Clock::time_point now) {
  std::vector<std::string> dead;
  auto limit = liveness_.heartbeat * liveness_.missedHeartbeats;
  for (auto it = hosts_.begin(); it != hosts_.end();) {
    if (now - it->second.lastSeen >= limit) {
      dead.push_back(it->first);
      load_.forget(it->first);
      it = hosts_.erase(it);
    } else {
      ++it;
    }
  }
  return dead;
}

bool LatticeView::remove(const std::string& hostId) {
  load_.forget(hostId);
  return hosts_.erase(hostId) > 0;
}

LatticeState LatticeView::state() const {
  LatticeState state;
  for (const auto& [id, entry] : hosts_) {
    state.hosts.push_back(entry.host);
    auto drain = entry.host.labels.find(std::string(kDrainLabel));
    if (drain != entry.host.labels.end() && drain->second == "true") state.hosts.back().accepting = false;
  }
  // Shedding only makes sense with somewhere to shed to.
  bool relief = std::any_of(state.hosts.begin(), state.hosts.end(),
                            [&](const HostState& h) { return h.accepting && !load_.overloaded(h.id); });
  if (relief)
    for (auto& host : state.hosts)
      if (load_.overloaded(host.id)) host.accepting = false;
  return state;
}

const HostState* LatticeView::host(const std::string& hostId) const {
  auto it = hosts_.find(hostId);
  return it == hosts_.end() ? nullptr : &it->second.host;
}


}  // namespace pelato::orchestrator
