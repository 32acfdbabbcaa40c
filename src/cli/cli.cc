#include "cli/cli.h"

#include "cli/commands.h"
#include "common/log.h"
#include "common/version.h"

namespace pelato::cli {

int run(int argc, char** argv) {
  CLI::App app{"pelato: WebAssembly functions for the edge-cloud continuum"};
  app.require_subcommand(1);
  std::string logLevel = "warn";
  app.add_option("--log-level", logLevel, "trace|debug|info|warn|error")->envname("PELATO_LOG");
  std::string logFormat = "text";
  app.add_option("--log-format", logFormat, "text|json (one JSON object per line)")
      ->envname("PELATO_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  app.set_version_flag("--version", fmt::format("pelato {}", kVersion));

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
  setupLogging(logLevel, logFormat == "json" ? LogFormat::Json : LogFormat::Text);
  return action();
}

}  // namespace pelato::cli
