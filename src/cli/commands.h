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
void addHostCommand(CLI::App& app, Action& action);

}  // namespace pelato::cli
