#include "lattice/component_migration.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <thread>

#include "lattice/migrate_api.h"

namespace pelato::lattice {
namespace {

using namespace std::chrono;

// The component as `hostId` runs it, if it does.
Result<std::optional<ComponentDescription>> runningOn(CtlClient& ctl, const std::string& hostId,
                                                      const std::string& componentId) {
  auto inventory = ctl.inventory(hostId);
  if (!inventory) return fail(std::move(inventory.error()));
  for (auto& component : inventory->components)
    if (component.id == componentId && component.maxInstances > 0) return std::move(component);
  return std::nullopt;
}

// Which host the instances leave: the one asked for, or the only host running the component.
Result<std::pair<std::string, ComponentDescription>> source(CtlClient& ctl, const MigrationRequest& r) {
  std::vector<std::string> candidates;
  if (!r.fromHost.empty()) {
    candidates.push_back(r.fromHost);
  } else {
    auto hosts = ctl.pingHosts(1s);
    if (!hosts) return fail(std::move(hosts.error()));
    for (const auto& host : *hosts)
      if (host.id != r.toHost) candidates.push_back(host.id);
  }
  std::vector<std::pair<std::string, ComponentDescription>> found;
  for (const auto& host : candidates) {
    auto running = runningOn(ctl, host, r.componentId);
    if (!running) return fail(std::move(running.error()));
    if (*running) found.emplace_back(host, std::move(**running));
  }
  if (found.empty())
    return fail("component {} runs on no host{}; `pelato get inventory HOST` shows what runs where", r.componentId,
                r.fromHost.empty() ? "" : " " + r.fromHost);
  if (found.size() > 1) {
    std::vector<std::string> ids;
    for (const auto& [host, _] : found) ids.push_back(host);
    return fail("component {} runs on hosts {}; say which one it leaves with --from", r.componentId,
                fmt::join(ids, ", "));
  }
  return std::move(found[0]);
}

// Polls until `to` runs the component and `from` does not.
Result<void> waitForMove(CtlClient& ctl, const MigrationRequest& r, const std::string& from,
                         steady_clock::time_point deadline) {
  while (steady_clock::now() < deadline) {
    auto onTarget = runningOn(ctl, r.toHost, r.componentId);
    auto onSource = runningOn(ctl, from, r.componentId);
    if (onTarget && *onTarget && onSource && !*onSource) return {};
    std::this_thread::sleep_for(100ms);
  }
  return fail("component {} did not move from host {} to {} within {} ms; `pelato app status APP` says why",
              r.componentId, from, r.toHost, r.timeout.count());
}

Result<void> byOrchestrator(CtlClient& ctl, const MigrationRequest& r, const std::string& from,
                            steady_clock::time_point deadline) {
  MigrateRequest request{.componentId = r.componentId, .toHost = r.toHost, .fromHost = from};
  auto reply = ctl.nats().request(migrateSubject(ctl.subjects().lattice()), encode(request), 5s);
  if (!reply)
    return fail("no orchestrator answered the migration of {}: {}; start one with `pelato orchestrator`",
                r.componentId, reply.error().message());
  auto response = decode<MigrateResponse>(reply->data);
  if (!response) return fail(std::move(response.error()));
  if (response->result != "acknowledged") return fail("{}", response->message);
  return waitForMove(ctl, r, from, deadline);
}

// Without an orchestrator: start on the target and wait for it, then stop the source.
Result<void> byScaling(CtlClient& ctl, const MigrationRequest& r, const std::string& from,
                       const ComponentDescription& running) {
  auto existing = runningOn(ctl, r.toHost, r.componentId);
  if (!existing) return fail(std::move(existing.error()));
  uint32_t already = *existing ? (*existing)->maxInstances : 0;
  ScaleComponentCommand up{.componentRef = running.imageRef, .componentId = r.componentId, .hostId = r.toHost,
                           .maxInstances = already + running.maxInstances, .annotations = running.annotations};
  if (auto ok = ctl.scale(up, r.timeout); !ok) return fail(std::move(ok.error()));
  ScaleComponentCommand down{.componentRef = running.imageRef, .componentId = r.componentId, .hostId = from,
                             .maxInstances = 0};
  if (auto ok = ctl.scale(down, r.timeout); !ok) return fail(std::move(ok.error()));
  return {};
}

}  // namespace

Result<SnapshotInfo> moveStateful(CtlClient& ctl, const StatefulMove& move) {
  auto snapshot = ctl.snapshot(move.fromHost, {.componentId = move.componentId, .stop = true}, move.timeout);
  if (!snapshot) return fail(std::move(snapshot.error()));
  RestoreRequest restore{.componentRef = move.componentRef, .componentId = move.componentId,
                         .annotations = move.annotations};
  auto restored = ctl.restore(move.toHost, restore, move.timeout);
  if (restored) return snapshot;
  auto back = ctl.restore(move.fromHost, restore, move.timeout);
  if (!back)
    return fail("{}; restoring it back on host {} failed too: {} (its state is stored: `pelato migrate` it again)",
                restored.error().message(), move.fromHost, back.error().message());
  return fail("{}; it runs on host {} again, with its state", restored.error().message(), move.fromHost);
}

Result<MigrationOutcome> migrateComponent(CtlClient& ctl, const MigrationRequest& request) {
  auto started = steady_clock::now();
  auto deadline = started + request.timeout;
  auto found = source(ctl, request);
  if (!found) return fail(std::move(found.error()));
  const auto& [from, running] = *found;
  bool orchestrated = running.annotations && running.annotations->contains(std::string(kAppSpecAnnotation));
  MigrationOutcome outcome{.fromHost = from, .instances = running.maxInstances, .orchestrated = orchestrated};
  if (orchestrated) {
    if (auto moved = byOrchestrator(ctl, request, from, deadline); !moved) return fail(std::move(moved.error()));
  } else if (request.stateful || isStateful(running.annotations)) {
    if (running.maxInstances != 1)
      return fail("component {} runs {} instances on host {}; a stateful move takes one", request.componentId,
                  running.maxInstances, from);
    auto moved = moveStateful(ctl, {.componentId = request.componentId, .componentRef = running.imageRef,
                                    .annotations = running.annotations, .fromHost = from, .toHost = request.toHost,
                                    .timeout = request.timeout});
    if (!moved) return fail(std::move(moved.error()));
    outcome.snapshot = std::move(*moved);
  } else if (auto moved = byScaling(ctl, request, from, running); !moved) {
    return fail(std::move(moved.error()));
  }
  outcome.took = duration_cast<milliseconds>(steady_clock::now() - started);
  return outcome;
}

}  // namespace pelato::lattice
