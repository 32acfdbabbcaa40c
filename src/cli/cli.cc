#include "cli/cli.h"

#include "cli/commands.h"
#include "cli/global_options.h"

namespace pelato::cli {

int run(int argc, char** argv) {
  CLI::App app{"pelato: WebAssembly functions for the edge-cloud continuum"};
  app.require_subcommand(1);
  GlobalOptions global;
  global.addTo(app, "pelato");

  Action action;
  addRunCommand(app, action);
  addTaskCommand(app, action);
  addWastCommand(app, action);
  addInspectCommand(app, action);
  addCompileCommand(app, action);
  addHostCommand(app, action);
  addGetCommand(app, action);
  addScaleCommand(app, action);
  addLinkCommand(app, action);
  addCallCommand(app, action);
  addEventsCommand(app, action);
  addAppCommand(app, action);
  addOrchestratorCommand(app, action);
  addMigrateCommand(app, action);
  addKeysCommand(app, action);
  addSignCommand(app, action);
  addClaimsCommand(app, action);
  addPushCommand(app, action);
  addPullCommand(app, action);
  addPipelineCommands(app, action);
  addDashboardCommand(app, action);
  addUpCommands(app, action, std::vector<std::string>(argv, argv + argc));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  global.apply();
  return action();
}

}  // namespace pelato::cli
