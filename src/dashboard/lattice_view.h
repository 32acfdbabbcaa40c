// What the dashboard knows about a lattice: hosts with their labels, load and components, links,
// applications and the recent events. Pure state, changed only by the functions below (fed by
// lattice/events.h's CloudEvents and the wadm API's list), so it is tested without NATS; the
// LatticeMonitor (lattice_monitor.h) does the I/O and keeps one behind a mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lattice/events.h"
#include "lattice/messages.h"
#include "lattice/wadm_api.h"

namespace pelato::dashboard {

using Clock = std::chrono::steady_clock;

// A host silent for this many heartbeat periods is gone (like the orchestrator's liveness).
inline constexpr uint32_t kMissedHeartbeats = 3;
// The period assumed until two heartbeats were seen: pelato hosts' default (`pelato dashboard
// --heartbeat-ms` sets another, e.g. 30000 for wasmCloud hosts), so that a host killed right
// after its first heartbeat leaves the view within seconds too.
inline constexpr std::chrono::milliseconds kDefaultHeartbeat{1000};
// Recent events kept (heartbeats are not kept: they would push everything else out).
inline constexpr size_t kMaxEvents = 200;

struct ComponentView {
  std::string id;
  std::string imageRef;
  std::string name;      // the component's name, if its host knows one
  std::string app;       // the application that placed it (annotation wasmcloud.dev/appspec), or ""
  bool stateful = false;  // annotation pelato.dev/stateful: one instance, moved with its state
  uint32_t instances = 0;
  std::optional<lattice::ComponentLoad> load;
};

struct HostView {
  std::string id;
  std::string friendlyName;
  std::string version;
  lattice::StringMap labels;
  uint64_t uptimeSeconds = 0;  // as of lastSeen
  std::optional<lattice::HostLoad> load;
  std::map<std::string, ComponentView> components;  // by id
  Clock::time_point lastSeen{};                     // last heartbeat or host_started
  std::optional<Clock::time_point> lastHeartbeat;
  std::chrono::milliseconds heartbeatPeriod = kDefaultHeartbeat;  // observed gap between the last two
  bool periodLearnt = false;  // from two heartbeats; until then LatticeView::assumedHeartbeat
};

// One application, as model.list reports it.
struct AppView {
  std::string name;
  std::string version;          // the newest stored version
  std::string deployedVersion;  // "" when undeployed
  std::string status;           // "deployed", "reconciling", "failed", ...
  std::string message;
  std::string description;
  bool operator==(const AppView&) const = default;
};

// A lattice event as the page lists it.
struct EventEntry {
  std::string time;    // the event's RFC 3339 time
  std::string type;    // short type ("component_scaled"), or "host_gone" for a host that went silent
  std::string source;  // the host id
  lattice::Json data;
};

struct LatticeView {
  std::chrono::milliseconds assumedHeartbeat = kDefaultHeartbeat;  // a new host's period
  std::map<std::string, HostView> hosts;     // by id
  std::map<std::string, lattice::Link> links;  // by linkKey()
  std::vector<AppView> apps;                 // sorted by name
  std::string appsError;                     // why the application list is unknown ("" when known)
  std::deque<EventEntry> events;             // oldest first, at most kMaxEvents
};

// "source_id/name/wit_namespace:wit_package": what identifies a link (link.del takes the same).
std::string linkKey(std::string_view sourceId, std::string_view name, std::string_view witNamespace,
                    std::string_view witPackage);

// Applies one lattice event received at `now`; true if the view changed. Events of other types
// (or that do not parse) are only listed.
bool apply(LatticeView& view, const lattice::CloudEvent& event, Clock::time_point now);

// Forgets hosts silent for kMissedHeartbeats periods, listing a "host_gone" event for each
// (stamped `wallNow`); true if any went.
bool expire(LatticeView& view, Clock::time_point now, std::chrono::system_clock::time_point wallNow);

// Replaces the links with link.get's answer.
void setLinks(LatticeView& view, const std::vector<lattice::Link>& links);

// Replaces the applications with model.list's answer, or records why there is none (no
// orchestrator answered: the list becomes empty). True if anything the page shows changed.
bool setApps(LatticeView& view, const Result<std::vector<lattice::ModelSummary>>& models);

// The view as the page reads it (docs/PROTOCOL.md, "Dashboard HTTP API"): durations relative
// to `now`, hosts sorted by friendly name, components by id.
lattice::Json toJson(const LatticeView& view, Clock::time_point now);

}  // namespace pelato::dashboard
