#include "dashboard/lattice_view.h"

#include <fmt/format.h>

#include <algorithm>

#include "lattice/migrate_api.h"
#include "lattice/snapshot_api.h"

namespace pelato::dashboard {
namespace {

using lattice::Json;
using namespace std::chrono;
namespace type = lattice::event_type;

HostView& hostFor(LatticeView& view, const std::string& id) {
  auto [it, added] = view.hosts.try_emplace(id);
  if (added) it->second = {.id = id, .heartbeatPeriod = view.assumedHeartbeat};
  return it->second;
}

ComponentView componentFrom(const lattice::ComponentDescription& c) {
  ComponentView view{.id = c.id, .imageRef = c.imageRef, .name = c.name.value_or(""),
                     .instances = c.maxInstances, .load = c.load};
  if (c.annotations)
    if (auto app = c.annotations->find(std::string(lattice::kAppSpecAnnotation)); app != c.annotations->end())
      view.app = app->second;
  view.stateful = lattice::isStateful(c.annotations);
  return view;
}

void applyHeartbeat(LatticeView& view, const lattice::HostHeartbeat& beat, Clock::time_point now) {
  auto& host = hostFor(view, beat.inventory.hostId);
  host.friendlyName = beat.inventory.friendlyName;
  host.labels = beat.inventory.labels;
  host.version = beat.inventory.version;
  host.uptimeSeconds = beat.inventory.uptimeSeconds;
  host.load = beat.load;
  host.components.clear();
  for (const auto& c : beat.inventory.components)
    if (c.maxInstances > 0) host.components[c.id] = componentFrom(c);
  // The period is learnt from consecutive heartbeats; a gap of several missed ones (a host
  // that hung and came back) must not stretch it, so only a shorter or first gap is taken
  // as is and a longer one slowly.
  if (host.lastHeartbeat) {
    auto gap = duration_cast<milliseconds>(now - *host.lastHeartbeat);
    if (gap > 0ms) {
      host.heartbeatPeriod = !host.periodLearnt || gap < host.heartbeatPeriod ? gap : (host.heartbeatPeriod * 3 + gap) / 4;
      host.periodLearnt = true;
    }
  }
  host.lastHeartbeat = now;
  host.lastSeen = now;
}

void record(LatticeView& view, EventEntry entry) {
  view.events.push_back(std::move(entry));
  while (view.events.size() > kMaxEvents) view.events.pop_front();
}

Json loadJson(const std::optional<lattice::HostLoad>& load) { return load ? load->toJson() : Json(nullptr); }
Json loadJson(const std::optional<lattice::ComponentLoad>& load) { return load ? load->toJson() : Json(nullptr); }

}  // namespace

std::string linkKey(std::string_view sourceId, std::string_view name, std::string_view witNamespace,
                    std::string_view witPackage) {
  return fmt::format("{}/{}/{}:{}", sourceId, name, witNamespace, witPackage);
}

bool apply(LatticeView& view, const lattice::CloudEvent& event, Clock::time_point now) {
  auto kind = event.latticeType();
  if (kind == type::kHostHeartbeat) {
    auto beat = lattice::HostHeartbeat::fromJson(event.data);
    if (!beat) return false;
    if (beat->inventory.hostId.empty()) beat->inventory.hostId = event.source;
    applyHeartbeat(view, *beat, now);
    return true;
  }
  record(view, {.time = event.time, .type = std::string(kind.empty() ? std::string_view(event.type) : kind),
                .source = event.source, .data = event.data});
  if (kind == type::kHostStarted) {
    if (auto started = lattice::HostStarted::fromJson(event.data)) {
      auto& host = hostFor(view, started->hostId);
      host.friendlyName = started->friendlyName;
      host.labels = started->labels;
      host.version = started->version;
      host.uptimeSeconds = started->uptimeSeconds;
      host.lastSeen = now;
    }
  } else if (kind == type::kHostStopped) {
    auto stopped = lattice::HostStopped::fromJson(event.data);
    view.hosts.erase(stopped && !stopped->hostId.empty() ? stopped->hostId : event.source);
  } else if (kind == type::kLabelsChanged) {
    if (auto changed = lattice::LabelsChanged::fromJson(event.data))
      if (auto host = view.hosts.find(changed->hostId); host != view.hosts.end()) host->second.labels = changed->labels;
  } else if (kind == type::kComponentScaled) {
    // Shown at once rather than with the next heartbeat, so a scale from the page shows within
    // the second.
    if (auto scaled = lattice::ComponentScaled::fromJson(event.data)) {
      if (auto host = view.hosts.find(scaled->hostId); host != view.hosts.end()) {
        if (scaled->maxInstances == 0) {
          host->second.components.erase(scaled->componentId);
        } else {
          auto& c = host->second.components[scaled->componentId];
          c.id = scaled->componentId;
          c.imageRef = scaled->imageRef;
          c.instances = scaled->maxInstances;
          if (auto app = scaled->annotations.find(std::string(lattice::kAppSpecAnnotation));
              app != scaled->annotations.end())
            c.app = app->second;
          c.stateful = lattice::isStateful(scaled->annotations);
        }
      }
    }
  } else if (kind == type::kLinkdefSet) {
    if (auto link = lattice::Link::fromJson(event.data))
      view.links[linkKey(link->sourceId, link->name, link->witNamespace, link->witPackage)] = *link;
  } else if (kind == type::kLinkdefDeleted) {
    if (auto deleted = lattice::LinkdefDeleted::fromJson(event.data))
      view.links.erase(linkKey(deleted->sourceId, deleted->name, deleted->witNamespace, deleted->witPackage));
  }
  return true;  // the event list changed at least
}

bool expire(LatticeView& view, Clock::time_point now, std::chrono::system_clock::time_point wallNow) {
  bool changed = false;
  for (auto it = view.hosts.begin(); it != view.hosts.end();) {
    const auto& host = it->second;
    auto silentFor = now - host.lastSeen;
    if (silentFor > host.heartbeatPeriod * kMissedHeartbeats) {
      record(view, {.time = lattice::formatEventTime(wallNow), .type = "host_gone", .source = host.id,
                    .data = Json{{"host_id", host.id},
                                 {"friendly_name", host.friendlyName},
                                 {"reason", fmt::format("no heartbeat for {} ms",
                                                        duration_cast<milliseconds>(silentFor).count())}}});
      it = view.hosts.erase(it);
      changed = true;
    } else {
      ++it;
    }
  }
  return changed;
}

void setLinks(LatticeView& view, const std::vector<lattice::Link>& links) {
  view.links.clear();
  for (const auto& link : links)
    view.links[linkKey(link.sourceId, link.name, link.witNamespace, link.witPackage)] = link;
}

bool setApps(LatticeView& view, const Result<std::vector<lattice::ModelSummary>>& models) {
  std::vector<AppView> apps;
  std::string error;
  if (models) {
    for (const auto& m : *models)
      apps.push_back({.name = m.name, .version = m.version, .deployedVersion = m.deployedVersion.value_or(""),
                      .status = std::string(lattice::statusTypeName(m.detailedStatus.info.type)),
                      .message = m.detailedStatus.info.message, .description = m.description.value_or("")});
    std::ranges::sort(apps, {}, &AppView::name);
  } else {
    error = models.error().message();
  }
  bool changed = apps != view.apps || error != view.appsError;
  view.apps = std::move(apps);
  view.appsError = std::move(error);
  return changed;
}

Json toJson(const LatticeView& view, Clock::time_point now) {
  std::vector<const HostView*> hosts;
  for (const auto& [_, host] : view.hosts) hosts.push_back(&host);
  std::ranges::sort(hosts, [](const HostView* a, const HostView* b) {
    return std::tie(a->friendlyName, a->id) < std::tie(b->friendlyName, b->id);
  });
  Json hostsJson = Json::array();
  for (const auto* host : hosts) {
    Json components = Json::array();
    for (const auto& [_, c] : host->components)
      components.push_back({{"id", c.id}, {"image_ref", c.imageRef}, {"name", c.name}, {"app", c.app}, {"stateful", c.stateful},
                            {"instances", c.instances}, {"load", loadJson(c.load)}});
    auto sinceSeen = duration_cast<milliseconds>(now - host->lastSeen);
    auto drain = host->labels.find(std::string(lattice::kDrainLabel));
    hostsJson.push_back({{"id", host->id},
                         {"friendly_name", host->friendlyName},
                         {"labels", host->labels},
                         {"version", host->version},
                         {"uptime_seconds", host->uptimeSeconds + uint64_t(duration_cast<seconds>(sinceSeen).count())},
                         {"last_seen_ms", sinceSeen.count()},
                         {"heartbeat_ms", host->heartbeatPeriod.count()},
                         {"draining", drain != host->labels.end() && drain->second == "true"},
                         {"load", loadJson(host->load)},
                         {"components", std::move(components)}});
  }
  Json links = Json::array();
  for (const auto& [_, link] : view.links) links.push_back(link.toJson());
  Json apps = Json::array();
  for (const auto& app : view.apps)
    apps.push_back({{"name", app.name}, {"version", app.version}, {"deployed_version", app.deployedVersion},
                    {"status", app.status}, {"message", app.message}, {"description", app.description}});
  Json events = Json::array();
  for (const auto& e : view.events)
    events.push_back({{"time", e.time}, {"type", e.type}, {"source", e.source}, {"data", e.data}});
  return {{"hosts", std::move(hostsJson)},
          {"links", std::move(links)},
          {"apps", std::move(apps)},
          {"apps_error", view.appsError.empty() ? Json(nullptr) : Json(view.appsError)},
          {"events", std::move(events)}};
}

}  // namespace pelato::dashboard
