#include "orchestrator/reconcile.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <span>
#include <utility>

#include <fmt/format.h>

#include "lattice/snapshot_api.h"
#include "orchestrator/spread.h"

namespace pelato::orchestrator {
namespace {

bool tokenChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// Where each instance of one component should run: host id → count (0: none).
using Targets = std::map<std::string, uint32_t>;

// The hosts that may take instances (those not accepting get none: their targets stay 0).
std::vector<HostView> viewsFor(const LatticeState& lattice, const std::string& componentId) {
  std::vector<HostView> views;
  for (const auto& host : lattice.hosts) {
    if (!host.accepting) continue;
    auto it = host.components.find(componentId);
    views.push_back({.id = host.id, .labels = host.labels, .running = it == host.components.end() ? 0 : it->second.instances});
  }
  return views;
}

Targets daemonTargets(const DaemonScaler& scaler, std::span<const HostView> hosts) {
  Targets targets;
  for (const auto& host : hosts) {
    bool eligible = scaler.spread.empty() ||
                    std::any_of(scaler.spread.begin(), scaler.spread.end(),
                                [&](const Spread& s) { return matchesRequirements(host, s.requirements); });
    targets[host.id] = eligible ? scaler.instances : 0;
  }
  return targets;
}

// Inline properties as pelato's "key=value" link settings; bare names stay names.
std::vector<std::string> linkConfig(const std::vector<ConfigEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    if (!entry.properties) {
      out.push_back(entry.name);
      continue;
    }
    for (const auto& [key, value] : *entry.properties) out.push_back(key + "=" + value);
  }
  return out;
}

lattice::ScaleComponentCommand stop(const std::string& hostId, const std::string& componentId,
                                   const RunningComponent& running) {
  return {.componentRef = running.imageRef, .componentId = componentId, .hostId = hostId, .maxInstances = 0};
}

bool staysOnFallback(const Manifest& manifest) {
  auto it = manifest.annotations.find(std::string(kStayOnFallbackAnnotation));
  return it != manifest.annotations.end() && it->second == "true";
}

// Whether what runs now is a valid placement of `spread`: the full count, and only on hosts
// that accept placements (`accepting`) and match one of its entries.
bool placementHolds(const SpreadScaler& spread, std::span<const HostView> accepting, const LatticeState& lattice,
                    const std::string& componentId) {
  uint32_t total = 0;
  for (const auto& host : lattice.hosts) {
    auto it = host.components.find(componentId);
    if (it == host.components.end()) continue;
    auto view = std::find_if(accepting.begin(), accepting.end(), [&](const HostView& v) { return v.id == host.id; });
    if (view == accepting.end()) return false;
    bool matches = spread.spread.empty() || std::any_of(spread.spread.begin(), spread.spread.end(), [&](const Spread& s) {
                     return matchesRequirements(*view, s.requirements);
                   });
    if (!matches) return false;
    total += it->second.instances;
  }
  return total == spread.instances;
}

// Links are identified by source, name and WIT namespace:package (what link.del takes).
// A stateful component's scales from `first` on: one host going from 1 to 0 instances of the
// same image and another from 0 to 1 become one Transfer.
void asTransfer(Plan& plan, size_t first) {
  if (plan.scales.size() - first != 2) return;
  auto& a = plan.scales[first];
  auto& b = plan.scales[first + 1];
  if (a.allowUpdate || b.allowUpdate || a.maxInstances + b.maxInstances != 1) return;
  const auto& up = a.maxInstances == 1 ? a : b;
  const auto& down = a.maxInstances == 1 ? b : a;
  plan.transfers.push_back({.componentId = up.componentId, .componentRef = up.componentRef, .fromHost = down.hostId,
                            .toHost = up.hostId, .annotations = up.annotations.value_or(StringMap{})});
  plan.scales.resize(first);
}

bool sameIdentity(const lattice::Link& a, const lattice::Link& b) {
  return a.sourceId == b.sourceId && a.name == b.name && a.witNamespace == b.witNamespace &&
         a.witPackage == b.witPackage;
}

lattice::LinkDeleteRequest deleteRequestFor(const lattice::Link& link) {
  return {.sourceId = link.sourceId, .name = link.name, .witNamespace = link.witNamespace, .witPackage = link.witPackage};
}

// The links the manifest asks for, with component names turned into ids.
std::vector<lattice::Link> wantedLinks(const Manifest& manifest, std::map<std::string, std::string>& idByName);

}  // namespace

std::string_view toString(ComponentStatus status) {
  switch (status) {
    case ComponentStatus::Deployed: return "deployed";
    case ComponentStatus::Reconciling: return "reconciling";
    case ComponentStatus::Failed: return "failed";
  }
  return "unknown";
}

std::string componentIdFor(const Manifest& manifest, const Component& component) {
  std::string id = component.id.value_or(manifest.name + "-" + component.name);
  for (char& c : id)
    if (!tokenChar(c)) c = '_';
  return id;
}

Plan reconcile(const Manifest& manifest, const LatticeState& lattice, const Moves& moves) {
  Plan plan;
  std::map<std::string, std::string> idByName;
  for (const auto& component : manifest.components) idByName[component.name] = componentIdFor(manifest, component);

  for (const auto& component : manifest.components) {
    const std::string& id = idByName[component.name];
    ComponentReport report{.componentId = id};
    if (component.type == ComponentType::Capability) {
      report.message = "built-in provider";
      plan.components.push_back(std::move(report));
      continue;
    }
    auto hosts = viewsFor(lattice, id);
    std::optional<Targets> targets;
    for (const auto& trait : component.traits) {
      if (const auto* spread = std::get_if<SpreadScaler>(&trait)) {
        auto placed = computeSpread(*spread, hosts);
        targets.emplace();
        if (staysOnFallback(manifest) && placementHolds(*spread, hosts, lattice, id)) {
          for (const auto& host : hosts) (*targets)[host.id] = host.running;
          continue;
        }
        for (const auto& target : placed.targets) (*targets)[target.hostId] = target.instances;
        if (placed.unplaced > 0) {
          report.status = ComponentStatus::Failed;
          report.message = fmt::format("no host matches the requirements of any spread entry; {} instances unplaced",
                                       placed.unplaced);
        } else if (!placed.fellBack.empty()) {
          report.message = fmt::format("no host for spread {}; their share runs on the other entries' hosts",
                                       fmt::join(placed.fellBack, ", "));
        }
      } else if (const auto* daemon = std::get_if<DaemonScaler>(&trait)) {
        targets = daemonTargets(*daemon, hosts);
      }
    }
    if (auto moved = moves.find(id); targets && moved != moves.end()) {
      for (const auto& [from, to] : moved->second) {
        auto target = std::find_if(lattice.hosts.begin(), lattice.hosts.end(),
                                   [&](const HostState& h) { return h.id == to && h.accepting; });
        if (target == lattice.hosts.end() || !targets->contains(from)) continue;
        (*targets)[to] += std::exchange((*targets)[from], 0);
        if (report.message.empty()) report.message = fmt::format("moved from host {} to {}", from, to);
      }
    }
    if (targets) {
      StringMap annotations{{std::string(kManagedByAnnotation), "pelato"},
                            {std::string(kAppSpecAnnotation), manifest.name}};
      if (component.stateful) {
        annotations[std::string(lattice::kStatefulAnnotation)] = "true";
        if (component.snapshotIntervalMs)
          annotations[std::string(lattice::kSnapshotIntervalAnnotation)] = std::to_string(component.snapshotIntervalMs);
      }
      size_t first = plan.scales.size();
      for (const auto& host : lattice.hosts) {
        auto want = targets->contains(host.id) ? targets->at(host.id) : 0;
        auto running = host.components.find(id);
        uint32_t have = running == host.components.end() ? 0 : running->second.instances;
        bool sameImage = running == host.components.end() || running->second.imageRef == component.image;
        if (want == have && (want == 0 || sameImage)) continue;
        plan.scales.push_back({.componentRef = component.image, .componentId = id, .hostId = host.id,
                               .maxInstances = want, .annotations = annotations,
                               .allowUpdate = !sameImage});
        if (report.status == ComponentStatus::Deployed) report.status = ComponentStatus::Reconciling;
      }
      if (component.stateful) asTransfer(plan, first);
    }
    plan.components.push_back(std::move(report));
  }

  for (const auto& host : lattice.hosts)
    for (const auto& [id, running] : host.components) {
      bool inManifest = std::any_of(idByName.begin(), idByName.end(), [&](const auto& entry) { return entry.second == id; });
      if (running.app == manifest.name && !inManifest) plan.scales.push_back(stop(host.id, id, running));
    }

  for (auto& link : wantedLinks(manifest, idByName))
    if (std::find(lattice.links.begin(), lattice.links.end(), link) == lattice.links.end())
      plan.links.push_back(std::move(link));
  return plan;
}

Plan undeploy(const Manifest& manifest, const LatticeState& lattice) {
  Plan plan;
  for (const auto& host : lattice.hosts)
    for (const auto& [id, running] : host.components)
      if (running.app == manifest.name) plan.scales.push_back(stop(host.id, id, running));
  std::map<std::string, std::string> idByName;
  for (const auto& component : manifest.components) idByName[component.name] = componentIdFor(manifest, component);
  for (const auto& link : wantedLinks(manifest, idByName)) {
    bool present = std::any_of(lattice.links.begin(), lattice.links.end(),
                               [&](const lattice::Link& l) { return sameIdentity(l, link); });
    if (present) plan.unlinks.push_back(deleteRequestFor(link));
  }
  return plan;
}

std::vector<lattice::LinkDeleteRequest> retiredLinks(const Manifest& before, const Manifest& after) {
  auto wanted = [](const Manifest& manifest) {
    std::map<std::string, std::string> idByName;
    for (const auto& component : manifest.components) idByName[component.name] = componentIdFor(manifest, component);
    return wantedLinks(manifest, idByName);
  };
  auto kept = wanted(after);
  std::vector<lattice::LinkDeleteRequest> out;
  for (const auto& link : wanted(before)) {
    bool stays = std::any_of(kept.begin(), kept.end(), [&](const lattice::Link& l) { return sameIdentity(l, link); });
    if (!stays) out.push_back(deleteRequestFor(link));
  }
  return out;
}

namespace {

std::vector<lattice::Link> wantedLinks(const Manifest& manifest, std::map<std::string, std::string>& idByName) {
  std::vector<lattice::Link> wanted;
  for (const auto& component : manifest.components) {
    for (const auto& trait : component.traits) {
      const auto* link = std::get_if<LinkTrait>(&trait);
      if (!link) continue;
      std::string source = idByName[component.name];
      std::string target = idByName.contains(link->target) ? idByName[link->target] : link->target;
      bool targetIsComponent = std::any_of(manifest.components.begin(), manifest.components.end(), [&](const Component& c) {
        return c.name == link->target && c.type == ComponentType::Component;
      });
      if (component.type == ComponentType::Capability && targetIsComponent) std::swap(source, target);
      lattice::Link next{.sourceId = source, .target = target, .name = link->name.empty() ? "default" : link->name,
                         .witNamespace = link->namespace_, .witPackage = link->package, .interfaces = link->interfaces,
                         .sourceConfig = linkConfig(link->sourceConfig), .targetConfig = linkConfig(link->targetConfig)};
      auto same = std::find_if(wanted.begin(), wanted.end(), [&](const lattice::Link& l) { return sameIdentity(l, next); });
      if (same == wanted.end()) {
        wanted.push_back(std::move(next));
        continue;
      }
      for (auto& interface : next.interfaces)
        if (std::find(same->interfaces.begin(), same->interfaces.end(), interface) == same->interfaces.end())
          same->interfaces.push_back(interface);
      same->sourceConfig.insert(same->sourceConfig.end(), next.sourceConfig.begin(), next.sourceConfig.end());
      same->targetConfig.insert(same->targetConfig.end(), next.targetConfig.begin(), next.targetConfig.end());
    }
  }
  return wanted;
}

}  // namespace

}  // namespace pelato::orchestrator
