// `pelato migrate COMPONENT_ID --to HOST [--from HOST]`: moves a component's instances from one
// host to another, make before break: the new instances run and subscribe before the old ones
// stop, so an at-least-once stream loses nothing. A component an application placed is moved
// by the orchestrator (which then keeps it there); any other is moved with scale commands
// (lattice/component_migration.h, shared with the dashboard).
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "lattice/component_migration.h"

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

int migrate(const MigrateOptions& o) {
  return runControl(o.lattice, 2s, [&](lattice::CtlClient& ctl) -> Result<void> {
    auto moved = lattice::migrateComponent(
        ctl, {.componentId = o.componentId, .toHost = o.to, .fromHost = o.from, .timeout = milliseconds(o.timeoutMs)});
    if (!moved) return fail(std::move(moved.error()));
    fmt::print("moved {} ({} instances) from host {} to {} in {} ms{}\n", o.componentId, moved->instances,
               moved->fromHost, o.to, moved->took.count(), moved->orchestrated ? "; the orchestrator keeps it there" : "");
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
