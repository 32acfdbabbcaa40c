// `pelato migrate COMPONENT_ID --to HOST [--from HOST] [--stateful]`: moves a component's
// instances from one host to another, make before break: the new instances run and subscribe
// before the old ones stop, so an at-least-once stream loses nothing. With --stateful (or for a
// component started as stateful) its instance's state moves too: quiesce, snapshot, restore,
// switch. A component an application placed is moved by the orchestrator (which then keeps it
// there, and moves it by snapshot when its manifest says `stateful: true`); any other directly
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
  bool stateful = false;
};

int migrate(const MigrateOptions& o) {
  return runControl(o.lattice, 2s, [&](lattice::CtlClient& ctl) -> Result<void> {
    auto moved = lattice::migrateComponent(
        ctl, {.componentId = o.componentId, .toHost = o.to, .fromHost = o.from, .timeout = milliseconds(o.timeoutMs),
                  .stateful = o.stateful});
    if (!moved) return fail(std::move(moved.error()));
    std::string state;
    if (moved->snapshot)
      state = fmt::format(" with its state ({} bytes, snapshot generation {})", moved->snapshot->bytes,
                          moved->snapshot->generation);
    fmt::print("moved {} ({} instance{}) from host {} to {}{} in {} ms{}\n", o.componentId, moved->instances,
               moved->instances == 1 ? "" : "s", moved->fromHost, o.to, state, moved->took.count(),
               moved->orchestrated ? "; the orchestrator keeps it there" : "");
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
  cmd->add_flag("--stateful", options->stateful,
                "Move the instance's memory and globals too (one instance; messages wait in JetStream)");
  cmd->add_option("--timeout-ms", options->timeoutMs, "How long to wait for the move")->capture_default_str();
  cmd->callback([options, &action] { action = [options] { return migrate(*options); }; });
}

}  // namespace pelato::cli
