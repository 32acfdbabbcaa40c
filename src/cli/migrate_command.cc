// `pelato migrate COMPONENT_ID --to HOST [--from HOST]`: moves a component's instances from one
// host to another, make before break: the new instances run and subscribe before the old ones
// stop, so an at-least-once stream loses nothing. A component an application placed is moved
// by the orchestrator (which then keeps it there); any other is moved with scale commands.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <thread>

#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "lattice/migrate_api.h"
#include "orchestrator/reconcile.h"

namespace pelato::cli {
namespace {

using namespace std::chrono;

struct MigrateOptions {
  LatticeOptions lattice;
  std::string componentId;
  std::string to;
  std::string from;
  uint64_t timeoutMs = 30000;
};

// The component as `hostId` runs it, if it does.
Result<std::optional<lattice::ComponentDescription>> runningOn(lattice::CtlClient& ctl, const std::string& hostId,
                                                               const std::string& componentId) {
  auto inventory = ctl.inventory(hostId);
  if (!inventory) return fail(std::move(inventory.error()));
  for (auto& component : inventory->components)
    if (component.id == componentId && component.maxInstances > 0) return std::move(component);
  return std::nullopt;
}

// Which host the instances leave: --from, or the only host running the component.
Result<std::pair<std::string, lattice::ComponentDescription>> source(lattice::CtlClient& ctl, const MigrateOptions& o) {
  std::vector<std::string> candidates;
  if (!o.from.empty()) {
    candidates.push_back(o.from);
  } else {
    auto hosts = ctl.pingHosts(1s);
    if (!hosts) return fail(std::move(hosts.error()));
    for (const auto& host : *hosts)
      if (host.id != o.to) candidates.push_back(host.id);
  }
  std::vector<std::pair<std::string, lattice::ComponentDescription>> found;
  for (const auto& host : candidates) {
    auto running = runningOn(ctl, host, o.componentId);
    if (!running) return fail(std::move(running.error()));
    if (*running) found.emplace_back(host, std::move(**running));
  }
  if (found.empty())
    return fail("component {} runs on no host{}; `pelato get inventory HOST` shows what runs where", o.componentId,
                o.from.empty() ? "" : " " + o.from);
  if (found.size() > 1) {
    std::vector<std::string> ids;
    for (const auto& [host, _] : found) ids.push_back(host);
    return fail("component {} runs on hosts {}; say which one it leaves with --from", o.componentId, fmt::join(ids, ", "));
  }
  return std::move(found[0]);
}

// Polls until `to` runs the component and `from` does not.
Result<void> waitForMove(lattice::CtlClient& ctl, const MigrateOptions& o, const std::string& from) {
  auto deadline = steady_clock::now() + milliseconds(o.timeoutMs);
  while (steady_clock::now() < deadline) {
    auto onTarget = runningOn(ctl, o.to, o.componentId);
    auto onSource = runningOn(ctl, from, o.componentId);
    if (onTarget && *onTarget && onSource && !*onSource) return {};
    std::this_thread::sleep_for(100ms);
  }
  return fail("component {} did not move from host {} to {} within {} ms; `pelato app status APP` says why",
              o.componentId, from, o.to, o.timeoutMs);
}

Result<void> byOrchestrator(lattice::CtlClient& ctl, const MigrateOptions& o, const std::string& from) {
  lattice::MigrateRequest request{.componentId = o.componentId, .toHost = o.to, .fromHost = from};
  auto reply = ctl.nats().request(lattice::migrateSubject(ctl.subjects().lattice()), lattice::encode(request), 5s);
  if (!reply)
    return fail("no orchestrator answered the migration of {}: {}; start one with `pelato orchestrator`", o.componentId,
                reply.error().message());
  auto response = lattice::decode<lattice::MigrateResponse>(reply->data);
  if (!response) return fail(std::move(response.error()));
  if (response->result != "acknowledged") return fail("{}", response->message);
  return waitForMove(ctl, o, from);
}

// Without an orchestrator: start on the target and wait for it, then stop the source.
Result<void> byScaling(lattice::CtlClient& ctl, const MigrateOptions& o, const std::string& from,
                       const lattice::ComponentDescription& running) {
  auto existing = runningOn(ctl, o.to, o.componentId);
  if (!existing) return fail(std::move(existing.error()));
  uint32_t already = *existing ? (*existing)->maxInstances : 0;
  lattice::ScaleComponentCommand up{.componentRef = running.imageRef, .componentId = o.componentId, .hostId = o.to,
                                    .maxInstances = already + running.maxInstances, .annotations = running.annotations};
  if (auto ok = ctl.scale(up, milliseconds(o.timeoutMs)); !ok) return fail(std::move(ok.error()));
  lattice::ScaleComponentCommand down{.componentRef = running.imageRef, .componentId = o.componentId, .hostId = from,
                                      .maxInstances = 0};
  if (auto ok = ctl.scale(down, milliseconds(o.timeoutMs)); !ok) return fail(std::move(ok.error()));
  return {};
}

int migrate(const MigrateOptions& o) {
  return runControl(o.lattice, 2s, [&](lattice::CtlClient& ctl) -> Result<void> {
    auto started = steady_clock::now();
    auto found = source(ctl, o);
    if (!found) return fail(std::move(found.error()));
    const auto& [from, running] = *found;
    bool orchestrated = running.annotations && running.annotations->contains(std::string(orchestrator::kAppSpecAnnotation));
    auto moved = orchestrated ? byOrchestrator(ctl, o, from) : byScaling(ctl, o, from, running);
    if (!moved) return fail(std::move(moved.error()));
    fmt::print("moved {} ({} instances) from host {} to {} in {} ms{}\n", o.componentId, running.maxInstances, from,
               o.to, duration_cast<milliseconds>(steady_clock::now() - started).count(),
               orchestrated ? "; the orchestrator keeps it there" : "");
    return {};
  });
}

}  // namespace

void addMigrateCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<MigrateOptions>();
  auto* cmd = app.add_subcommand("migrate", "Move a component's instances to another host, make before break");
  options->lattice.addTo(*cmd);
  cmd->add_option("component", options->componentId, "Component id (see `pelato get inventory HOST`)")->required();
  cmd->add_option("--to", options->to, "The host that takes the instances")->required();
  cmd->add_option("--from", options->from, "The host they leave (needed when several run it)");
  cmd->add_option("--timeout-ms", options->timeoutMs, "How long to wait for the move")->capture_default_str();
  cmd->callback([options, &action] { action = [options] { return migrate(*options); }; });
}

}  // namespace pelato::cli
