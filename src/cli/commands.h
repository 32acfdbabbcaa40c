// Subcommands of `pelato`; each adds itself to the app and runs when selected.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace pelato::cli {

// The action of a parsed subcommand; returns the process exit code.
using Action = std::function<int()>;

void addRunCommand(CLI::App& app, Action& action);
void addTaskCommand(CLI::App& app, Action& action);
void addWastCommand(CLI::App& app, Action& action);
void addInspectCommand(CLI::App& app, Action& action);
void addCompileCommand(CLI::App& app, Action& action);
void addHostCommand(CLI::App& app, Action& action);  // also `pelato host stop HOST`
// The lattice control commands (docs/PROTOCOL.md): inspect and drive running hosts.
void addGetCommand(CLI::App& app, Action& action);
void addScaleCommand(CLI::App& app, Action& action);
void addLinkCommand(CLI::App& app, Action& action);
void addCallCommand(CLI::App& app, Action& action);
void addEventsCommand(CLI::App& app, Action& action);
// Applications through the orchestrator's wadm API: `pelato app deploy|list|status|get|versions|undeploy|delete`.
void addAppCommand(CLI::App& app, Action& action);
// `pelato orchestrator`: the wadm API, placement and failover for a lattice.
void addOrchestratorCommand(CLI::App& app, Action& action);
// `pelato migrate COMPONENT --to HOST`: make-before-break moves.
void addMigrateCommand(CLI::App& app, Action& action);
// Keys, signing and claims (src/security): `pelato keys gen|public`, `pelato sign`, `pelato claims inspect`.
void addKeysCommand(CLI::App& app, Action& action);
void addSignCommand(CLI::App& app, Action& action);
void addClaimsCommand(CLI::App& app, Action& action);
// OCI registries: `pelato push REF MODULE.wasm`, `pelato pull REF -o FILE` (inspect REF is in inspect).
void addPushCommand(CLI::App& app, Action& action);
void addPullCommand(CLI::App& app, Action& action);
// `pelato new|gen|build|deploy|remove|brush`: the PELATO pipeline.
void addPipelineCommands(CLI::App& app, Action& action);
// `pelato dashboard`: a live web view of a lattice, with actions (src/dashboard).
void addDashboardCommand(CLI::App& app, Action& action);
// `pelato up|down`; `args` is the whole command line (`up --detach` runs it again).
void addUpCommands(CLI::App& app, Action& action, const std::vector<std::string>& args);

}  // namespace pelato::cli
