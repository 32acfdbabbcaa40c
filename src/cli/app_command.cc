// `pelato app deploy|list|status|get|versions|undeploy|delete`: applications (wadm manifests)
// through the orchestrator's wadm API (wadm.api.<lattice>.model.…, docs/PROTOCOL.md).
#include <fmt/format.h>

#include "cli/app_format.h"
#include "cli/app_manifest.h"
#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "cli/output_format.h"
#include "common/file.h"
#include "lattice/subjects.h"
#include "lattice/wadm_client.h"

namespace pelato::cli {

namespace {

struct AppOptions {
  LatticeOptions lattice;
  OutputOptions output;
  std::string format = "yaml";  // `app get` only: yaml or json
  uint64_t timeoutMs = 5000;
  std::string file;  // `app deploy`
  std::string name;
  std::optional<std::string> version;
  bool noDeploy = false;
};

// Connects to the lattice, runs `body` with a wadm API client, and turns the outcome into an
// exit code like runControl does.
int runWadm(const AppOptions& o, const std::function<Result<void>(lattice::WadmClient&)>& body) {
  if (auto ok = lattice::validateLatticeName(o.lattice.lattice); !ok) return reportError(ok.error());
  auto nats = lattice::NatsClient::connect({.url = o.lattice.nats, .auth = o.lattice.auth, .name = "pelato app"});
  if (!nats) return reportError(nats.error());
  lattice::WadmClient client(**nats, o.lattice.lattice, std::chrono::milliseconds(o.timeoutMs));
  auto done = body(client);
  if (!done) return reportError(done.error());
  return 0;
}

int appDeploy(const AppOptions& o) {
  // Read and validate before connecting: a broken file is reported without needing a lattice.
  auto text = readTextFile(o.file);
  if (!text) return reportError(text.error());
  auto manifest = prepareManifest(*text, o.file, o.version);
  if (!manifest) return reportError(manifest.error());
  return runWadm(o, [&](lattice::WadmClient& wadm) -> Result<void> {
    auto put = wadm.put(lattice::dumpJson(orchestrator::manifestToJson(*manifest)));
    if (!put) return fail(std::move(put.error()));
    if (put->name.empty()) put->name = manifest->name;
    if (!o.noDeploy) {
      std::optional<std::string> version;
      if (!put->currentVersion.empty()) version = put->currentVersion;
      auto deployed = wadm.deploy(put->name, version);
      if (!deployed) return fail(std::move(deployed.error()));
    }
    fmt::print("{}", formatPutOutcome(*put, !o.noDeploy));
    return {};
  });
}

int appList(const AppOptions& o) {
  return runWadm(o, [&](lattice::WadmClient& wadm) -> Result<void> {
    auto models = wadm.list();
    if (!models) return fail(std::move(models.error()));
    if (o.output.json()) {
      lattice::Json array = lattice::Json::array();
      for (const auto& m : *models) array.push_back(m.toJson());
      fmt::print("{}", prettyJson(array));
    } else {
      fmt::print("{}", formatApps(*models, o.lattice.lattice));
    }
    return {};
  });
}

int appStatus(const AppOptions& o) {
  return runWadm(o, [&](lattice::WadmClient& wadm) -> Result<void> {
    auto status = wadm.status(o.name);
    if (!status) return fail(std::move(status.error()));
    fmt::print("{}", o.output.json() ? prettyJson(status->toJson()) : formatAppStatus(o.name, *status));
    return {};
  });
}

int appGet(const AppOptions& o) {
  return runWadm(o, [&](lattice::WadmClient& wadm) -> Result<void> {
    auto manifest = wadm.get(o.name, o.version);
    if (!manifest) return fail(std::move(manifest.error()));
    fmt::print("{}", o.format == "json" ? prettyJson(*manifest) : jsonToYaml(*manifest));
    return {};
  });
}

int appVersions(const AppOptions& o) {
  return runWadm(o, [&](lattice::WadmClient& wadm) -> Result<void> {
    auto versions = wadm.versions(o.name);
    if (!versions) return fail(std::move(versions.error()));
    if (o.output.json()) {
      lattice::Json array = lattice::Json::array();
      for (const auto& v : *versions) array.push_back(v.toJson());
      fmt::print("{}", prettyJson(array));
    } else {
      fmt::print("{}", formatVersions(*versions));
    }
    return {};
  });
}

int appUndeploy(const AppOptions& o) {
  return runWadm(o, [&](lattice::WadmClient& wadm) -> Result<void> {
    auto undeployed = wadm.undeploy(o.name);
    if (!undeployed) return fail(std::move(undeployed.error()));
    fmt::print("undeployed {}; its versions stay stored (`pelato app delete {}` removes them)\n", o.name, o.name);
    return {};
  });
}

int appDelete(const AppOptions& o) {
  return runWadm(o, [&](lattice::WadmClient& wadm) -> Result<void> {
    auto deleted = wadm.del(o.name, o.version);
    if (!deleted) return fail(std::move(deleted.error()));
    std::string what = o.version ? fmt::format("{} {}", o.name, *o.version) : o.name;
    if (deleted->result == lattice::DeleteResult::Noop)
      fmt::print("nothing to delete for {}{}\n", what, deleted->message.empty() ? "" : ": " + deleted->message);
    else
      fmt::print("deleted {}{}\n", what, deleted->undeploy ? " (it was deployed: undeployed it too)" : "");
    return {};
  });
}

// What every `app` subcommand takes: the lattice connection and a request timeout.
void addCommon(CLI::App& cmd, AppOptions& o) {
  o.lattice.addTo(cmd);
  cmd.add_option("--timeout-ms", o.timeoutMs, "How long to wait for the orchestrator's reply")->capture_default_str();
}

void addName(CLI::App& cmd, AppOptions& o) {
  cmd.add_option("name", o.name, "Application name (see `pelato app list`)")->required();
}

// Adds `pelato app <name>` running `run` with its own options.
CLI::App* addSubcommand(CLI::App& app, Action& action, const std::string& name, const std::string& help,
                        const std::shared_ptr<AppOptions>& options, int (*run)(const AppOptions&)) {
  auto* cmd = app.add_subcommand(name, help);
  cmd->callback([options, run, &action] { action = [options, run] { return run(*options); }; });
  return cmd;
}

}  // namespace

void addAppCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("app", "Deploy and manage applications (wadm manifests) via the orchestrator");
  cmd->require_subcommand(1);

  auto deploy = std::make_shared<AppOptions>();
  auto* deployCmd = addSubcommand(*cmd, action, "deploy",
                                  "Store a manifest (YAML or JSON) as a new version and deploy it (model.put, "
                                  "model.deploy)",
                                  deploy, appDeploy);
  deployCmd->add_option("file", deploy->file, "The manifest, e.g. wadm.yaml")->required()->check(CLI::ExistingFile);
  deployCmd->add_option("--version", deploy->version, "Store it as this version (sets annotations.version)");
  deployCmd->add_flag("--no-deploy", deploy->noDeploy, "Only store the new version");
  addCommon(*deployCmd, *deploy);

  auto list = std::make_shared<AppOptions>();
  auto* listCmd = addSubcommand(*cmd, action, "list", "List the stored applications and their status (model.list)",
                                list, appList);
  list->output.addTo(*listCmd);
  addCommon(*listCmd, *list);

  auto status = std::make_shared<AppOptions>();
  auto* statusCmd = addSubcommand(*cmd, action, "status",
                                  "Show an application's status, per component and scaler (model.status)", status,
                                  appStatus);
  addName(*statusCmd, *status);
  status->output.addTo(*statusCmd);
  addCommon(*statusCmd, *status);

  auto get = std::make_shared<AppOptions>();
  auto* getCmd = addSubcommand(*cmd, action, "get", "Print a stored manifest (model.get)", get, appGet);
  addName(*getCmd, *get);
  getCmd->add_option("--version", get->version, "Which version (default: the newest)");
  getCmd->add_option("-o,--output", get->format, "yaml or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"yaml", "json"}));
  addCommon(*getCmd, *get);

  auto versions = std::make_shared<AppOptions>();
  auto* versionsCmd = addSubcommand(*cmd, action, "versions",
                                    "List an application's stored versions (model.versions)", versions, appVersions);
  addName(*versionsCmd, *versions);
  versions->output.addTo(*versionsCmd);
  addCommon(*versionsCmd, *versions);

  auto undeploy = std::make_shared<AppOptions>();
  auto* undeployCmd = addSubcommand(*cmd, action, "undeploy",
                                    "Stop everything an application runs; keep its versions (model.undeploy)",
                                    undeploy, appUndeploy);
  addName(*undeployCmd, *undeploy);
  addCommon(*undeployCmd, *undeploy);

  auto del = std::make_shared<AppOptions>();
  auto* delCmd = addSubcommand(*cmd, action, "delete",
                               "Delete one stored version, or the whole application (model.del)", del, appDelete);
  addName(*delCmd, *del);
  delCmd->add_option("--version", del->version, "Only this version (default: every version)");
  addCommon(*delCmd, *del);
}

}  // namespace pelato::cli
