// The wadm application API of the Orchestrator (docs/PROTOCOL.md, "wadm application API"):
// requests arrive on nats.c's thread for the API subscription, one at a time.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "orchestrator/app_status.h"
#include "orchestrator/orchestrator.h"

namespace pelato::orchestrator {
namespace {

using lattice::Json;

std::string noSuchApp(const std::string& name) {
  return fmt::format("no application named {}; `pelato app list` shows them", name);
}

}  // namespace

void Orchestrator::onApi(const lattice::NatsMessage& message) {
  if (message.reply.empty()) return;
  auto subject = wadm_.parse(message.subject);
  Json reply = subject ? handleApi(*subject, message.data)
                       : Json{{"result", "error"}, {"message", subject.error().message()}};
  if (auto ok = nats_->respond(message, reply.dump()); !ok)
    spdlog::warn("replying on {}: {}", message.subject, ok.error().message());
}

Json Orchestrator::handleApi(const lattice::WadmSubject& subject, const std::string& body) {
  using Op = lattice::WadmOperation;
  const std::string& name = subject.name;
  switch (subject.operation) {
    case Op::Put: return putModel(body);
    case Op::Delete: return deleteModel(name, body);
    case Op::Deploy: return deployModel(name, body);
    case Op::Undeploy: return undeployModel(name);
    case Op::Get: {
      auto request = lattice::decodeWadmRequest<lattice::GetModelRequest>(body);
      if (!request) return lattice::GetModelResponse{.message = request.error().message()}.toJson();
      std::lock_guard lock(mutex_);
      auto it = appsByName_.find(name);
      if (it == appsByName_.end())
        return lattice::GetModelResponse{.result = lattice::GetResult::NotFound, .message = noSuchApp(name)}.toJson();
      const auto* version = it->second.find(request->version.value_or(""));
      if (!version)
        return lattice::GetModelResponse{.result = lattice::GetResult::NotFound,
                                         .message = fmt::format("{} has no version {}; `pelato app versions {}` lists them",
                                                                name, *request->version, name)}
            .toJson();
      return lattice::GetModelResponse{.result = lattice::GetResult::Success, .manifest = manifestToJson(version->manifest)}
          .toJson();
    }
    case Op::List: {
      lattice::ListModelsResponse response{.result = lattice::GetResult::Success};
      std::lock_guard lock(mutex_);
      for (const auto& [appName, app] : appsByName_) response.models.push_back(appSummary(app, reports_[appName]));
      return response.toJson();
    }
    case Op::Versions: {
      std::lock_guard lock(mutex_);
      auto it = appsByName_.find(name);
      if (it == appsByName_.end())
        return lattice::VersionResponse{.result = lattice::GetResult::NotFound, .message = noSuchApp(name)}.toJson();
      lattice::VersionResponse response{.result = lattice::GetResult::Success};
      for (const auto& v : it->second.versions)
        response.versions.push_back({.version = v.version, .deployed = it->second.deployed == v.version});
      return response.toJson();
    }
    case Op::Status: {
      std::lock_guard lock(mutex_);
      auto it = appsByName_.find(name);
      if (it == appsByName_.end())
        return lattice::StatusResponse{.result = lattice::StatusResult::NotFound, .message = noSuchApp(name)}.toJson();
      return lattice::StatusResponse{.result = lattice::StatusResult::Ok, .status = appStatus(it->second, reports_[name])}
          .toJson();
    }
  }
  return Json{{"result", "error"}, {"message", "unknown operation"}};
}

Result<void> Orchestrator::save(const StoredApp& app) {
  if (app.versions.empty()) return apps_->del(app.name);
  auto written = apps_->put(app.name, app.toJson().dump());
  if (!written) return fail(std::move(written.error()));
  return {};
}

Json Orchestrator::putModel(const std::string& body) {
  auto error = [](std::string message) {
    return lattice::PutModelResponse{.result = lattice::PutResult::Error, .message = std::move(message)}.toJson();
  };
  auto manifest = parseManifest(body);
  if (!manifest) return error(manifest.error().message());
  std::string name = manifest->name;
  std::string givenVersion = manifest->version();
  // The name is a subject token and a KV key.
  if (auto ok = wadm_.status(name); !ok || !lattice::validKvKey(name))
    return error(fmt::format("application name \"{}\" must be letters, digits, '-' and '_' only", name));

  std::lock_guard lock(mutex_);
  StoredApp app = appsByName_.contains(name) ? appsByName_[name] : StoredApp{};
  auto outcome = putVersion(app, std::move(*manifest));
  if (!outcome) return error(outcome.error().message());
  std::string version = *outcome == PutOutcome::Unchanged ? givenVersion : app.versions.back().version;
  lattice::PutModelResponse response{.result = *outcome == PutOutcome::Created ? lattice::PutResult::Created
                                                                               : lattice::PutResult::NewVersion,
                                     .totalVersions = app.versions.size(), .currentVersion = version, .name = name};
  if (*outcome == PutOutcome::Unchanged) {
    response.message = fmt::format("{} {} is already stored with this content", name, version);
    return response.toJson();
  }
  if (auto ok = save(app); !ok) return error(ok.error().message());
  appsByName_[name] = std::move(app);
  spdlog::info("stored {} {}", name, version);
  return response.toJson();
}

Json Orchestrator::deployModel(const std::string& name, const std::string& body) {
  auto respond = [&](lattice::DeployResult result, std::string message, std::optional<std::string> version = {}) {
    return lattice::DeployModelResponse{.result = result, .message = std::move(message), .name = name, .version = version}
        .toJson();
  };
  auto request = lattice::decodeWadmRequest<lattice::DeployModelRequest>(body);
  if (!request) return respond(lattice::DeployResult::Error, request.error().message());
  std::vector<lattice::LinkDeleteRequest> retired;
  std::string deployed;
  {
    std::lock_guard lock(mutex_);
    auto it = appsByName_.find(name);
    if (it == appsByName_.end()) return respond(lattice::DeployResult::NotFound, noSuchApp(name));
    StoredApp app = it->second;
    const auto* version = app.find(request->wantsLatest() ? "" : *request->version);
    if (!version)
      return respond(lattice::DeployResult::NotFound,
                     fmt::format("{} has no version {}; `pelato app versions {}` lists them", name, *request->version, name));
    if (const auto* previous = app.deployedVersion(); previous && previous->version != version->version) {
      retired = retiredLinks(previous->manifest, version->manifest);
      app.moves.clear();  // they were made for the old placement
    }
    app.deployed = version->version;
    if (auto ok = save(app); !ok) return respond(lattice::DeployResult::Error, ok.error().message());
    deployed = *app.deployed;
    it->second = std::move(app);
    reports_.erase(name);
    dirty_ = true;
    wake_.notify_all();
  }
  for (const auto& unlink : retired)
    if (auto ok = ctl_->linkDel(unlink); !ok) spdlog::warn("deleting link of {}: {}", unlink.sourceId, ok.error().message());
  spdlog::info("deploying {} {}", name, deployed);
  return respond(lattice::DeployResult::Acknowledged, "", deployed);
}

Json Orchestrator::undeployModel(const std::string& name) {
  auto respond = [&](lattice::DeployResult result, std::string message) {
    return lattice::DeployModelResponse{.result = result, .message = std::move(message), .name = name}.toJson();
  };
  Manifest manifest;
  LatticeState state;
  {
    std::lock_guard lock(mutex_);
    auto it = appsByName_.find(name);
    if (it == appsByName_.end()) return respond(lattice::DeployResult::NotFound, noSuchApp(name));
    const auto* deployed = it->second.deployedVersion();
    if (!deployed) return respond(lattice::DeployResult::Acknowledged, fmt::format("{} was not deployed", name));
    manifest = deployed->manifest;
    StoredApp app = it->second;
    app.deployed.reset();
    app.moves.clear();
    if (auto ok = save(app); !ok) return respond(lattice::DeployResult::Error, ok.error().message());
    it->second = std::move(app);
    reports_.erase(name);
    state = view_.state();
  }
  if (auto links = ctl_->linkGet()) state.links = std::move(*links);
  apply(undeploy(manifest, state), state, /*makeBeforeBreak=*/false);
  spdlog::info("undeployed {}", name);
  return respond(lattice::DeployResult::Acknowledged, "");
}

Json Orchestrator::deleteModel(const std::string& name, const std::string& body) {
  auto respond = [](lattice::DeleteResult result, std::string message, bool undeployed = false) {
    return lattice::DeleteModelResponse{.result = result, .message = std::move(message), .undeploy = undeployed}.toJson();
  };
  auto request = lattice::decodeWadmRequest<lattice::DeleteModelRequest>(body);
  if (!request) return respond(lattice::DeleteResult::Error, request.error().message());
  std::optional<Manifest> wasDeployed;
  LatticeState state;
  {
    std::lock_guard lock(mutex_);
    auto it = appsByName_.find(name);
    if (it == appsByName_.end()) return respond(lattice::DeleteResult::Noop, noSuchApp(name));
    StoredApp app = it->second;
    if (const auto* deployed = app.deployedVersion()) wasDeployed = deployed->manifest;
    auto undeploys = deleteVersions(app, request->version);
    if (!undeploys) return respond(lattice::DeleteResult::Error, undeploys.error().message());
    if (!*undeploys) wasDeployed.reset();
    if (auto ok = save(app); !ok) return respond(lattice::DeleteResult::Error, ok.error().message());
    if (app.versions.empty())
      appsByName_.erase(it);
    else
      it->second = std::move(app);
    reports_.erase(name);
    state = view_.state();
  }
  if (wasDeployed) {
    if (auto links = ctl_->linkGet()) state.links = std::move(*links);
    apply(undeploy(*wasDeployed, state), state, /*makeBeforeBreak=*/false);
  }
  spdlog::info("deleted {}{}", name, request->version ? " " + *request->version : "");
  return respond(lattice::DeleteResult::Deleted, "", wasDeployed.has_value());
}

}  // namespace pelato::orchestrator

namespace pelato::orchestrator {

Json Orchestrator::migrate(const std::string& body) {
  lattice::MigrateResponse response;
  auto request = lattice::decode<lattice::MigrateRequest>(body);
  if (!request) {
    response.message = request.error().message();
    return response.toJson();
  }
  const std::string& id = request->componentId;
  std::lock_guard lock(mutex_);
  LatticeState state = view_.state();
  std::vector<std::string> runningOn;
  for (const auto& host : state.hosts)
    if (auto it = host.components.find(id); it != host.components.end()) {
      runningOn.push_back(host.id);
      if (!it->second.app.empty()) response.app = it->second.app;
    }
  if (runningOn.empty()) {
    response.result = "notfound";
    response.message = fmt::format("component {} runs on no host; `pelato get inventory HOST` shows what runs where", id);
    return response.toJson();
  }
  auto app = appsByName_.find(response.app);
  if (response.app.empty() || app == appsByName_.end() || !app->second.deployed) {
    response.result = "notfound";
    response.message = fmt::format("component {} was not placed by a deployed application", id);
    return response.toJson();
  }
  if (request->fromHost) {
    response.fromHost = *request->fromHost;
  } else if (runningOn.size() == 1) {
    response.fromHost = runningOn[0];
  } else {
    response.message = fmt::format("component {} runs on hosts {}; say which one it leaves with --from", id,
                                   fmt::join(runningOn, ", "));
    return response.toJson();
  }
  if (std::find(runningOn.begin(), runningOn.end(), response.fromHost) == runningOn.end()) {
    response.message = fmt::format("component {} does not run on host {}", id, response.fromHost);
    return response.toJson();
  }
  auto to = std::find_if(state.hosts.begin(), state.hosts.end(), [&](const HostState& h) { return h.id == request->toHost; });
  if (to == state.hosts.end() || request->toHost == response.fromHost) {
    response.message = fmt::format("host {} is not another live host of the lattice; `pelato get hosts` lists them",
                                   request->toHost);
    return response.toJson();
  }
  if (!to->accepting) {
    response.message = fmt::format("host {} is draining; `pelato host undrain {}` first", to->id, to->id);
    return response.toJson();
  }
  StoredApp updated = app->second;
  updated.moves[id][response.fromHost] = request->toHost;
  if (auto ok = save(updated); !ok) {
    response.message = ok.error().message();
    return response.toJson();
  }
  app->second = std::move(updated);
  dirty_ = true;
  wake_.notify_all();
  spdlog::info("moving {} from host {} to {}", id, response.fromHost, request->toHost);
  response.result = "acknowledged";
  return response.toJson();
}

}  // namespace pelato::orchestrator
