// What the orchestrator knows of the lattice, built from events alone (pure: no NATS): every
// host_heartbeat carries the host's whole inventory, so the view is the last heartbeat of each
// live host, corrected in between by component_scaled and labels_changed.
//
// Liveness: a host that has sent nothing for `suspectAfter` is a suspect (the orchestrator
// probes it directly, so a killed host is found in well under 3 heartbeats); one silent for
// `missedHeartbeats` periods is dead and leaves the view, as does one that says host_stopped.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lattice/events.h"
#include "orchestrator/load_policy.h"
#include "orchestrator/reconcile.h"

namespace pelato::orchestrator {

struct Liveness {
  std::chrono::milliseconds heartbeat{1000};
  uint32_t missedHeartbeats = 3;
  std::chrono::milliseconds suspectAfter{1500};
};

class LatticeView {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LatticeView(Liveness liveness = {}, LoadThresholds load = {}) : liveness_(liveness), load_(load) {}

  // Each returns whether what the reconciler acts on (hosts, labels, components) changed.
  bool onHeartbeat(const lattice::HostHeartbeat& heartbeat, Clock::time_point now);
  bool onHostStarted(const lattice::HostStarted& started, Clock::time_point now);
  bool onHostStopped(const std::string& hostId);
  bool onComponentScaled(const lattice::ComponentScaled& scaled, Clock::time_point now);
  bool onLabelsChanged(const lattice::LabelsChanged& changed, Clock::time_point now);

  // Hosts silent for longer than suspectAfter but not yet dead.
  std::vector<std::string> suspects(Clock::time_point now) const;
  // A probe answered: the host is alive.
  void confirmAlive(const std::string& hostId, Clock::time_point now);
  // Removes the hosts silent for missedHeartbeats periods and returns their ids.
  std::vector<std::string> expire(Clock::time_point now);
  // Removes a host at once (its probe failed); returns whether it was there.
  bool remove(const std::string& hostId);

  // Draining hosts, and overloaded ones while some other host is neither, do not accept
  // placements (HostState::accepting).
  LatticeState state() const;
  bool overloaded(const std::string& hostId) const { return load_.overloaded(hostId); }
  bool contains(const std::string& hostId) const { return hosts_.contains(hostId); }
  const HostState* host(const std::string& hostId) const;

 private:
  struct Entry {
    HostState host;
    Clock::time_point lastSeen;
  };
  Entry& touch(const std::string& hostId, Clock::time_point now);

  Liveness liveness_;
  LoadPolicy load_;
  std::map<std::string, Entry> hosts_;
};

}  // namespace pelato::orchestrator
