// A typed client of the wadm application API (lattice/wadm_api.h, docs/PROTOCOL.md): put,
// deploy, list, inspect and remove applications through whichever orchestrator (pelato's or
// wadm itself) serves `wadm.api.<lattice>.model.>`. It speaks only through a NatsClient, so
// tests can point it at a fake orchestrator.
//
// A reply whose result is "error" or "notfound" becomes an error carrying the orchestrator's
// message and what to do next; so does an orchestrator that does not answer at all.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lattice/nats_client.h"
#include "lattice/wadm_api.h"

namespace pelato::lattice {

class WadmClient {
 public:
  // `lattice` must be a valid lattice name (validateLatticeName); `timeout` bounds each request.
  WadmClient(NatsClient& nats, std::string lattice,
             std::chrono::milliseconds timeout = std::chrono::seconds(5))
      : nats_(nats), subjects_(std::move(lattice)), timeout_(timeout) {}

  const WadmSubjects& subjects() const { return subjects_; }

  // model.put: stores `manifestText` (YAML or JSON) as a new version; it is not deployed yet.
  Result<PutModelResponse> put(std::string_view manifestText);
  // model.get.<name>: the manifest as JSON (the newest version, or `version`).
  Result<Json> get(std::string_view name, const std::optional<std::string>& version = std::nullopt);
  // model.list: every stored application.
  Result<std::vector<ModelSummary>> list();
  // model.versions.<name>: the stored versions, oldest first.
  Result<std::vector<VersionInfo>> versions(std::string_view name);
  // model.del.<name>: one version, or every version when `version` is absent. A "noop" result
  // (nothing to delete) is not an error.
  Result<DeleteModelResponse> del(std::string_view name,
                                  const std::optional<std::string>& version = std::nullopt);
  // model.deploy.<name>: deploys `version` (the newest when absent).
  Result<DeployModelResponse> deploy(std::string_view name,
                                     const std::optional<std::string>& version = std::nullopt);
  // model.undeploy.<name>: stops everything the application runs; its versions stay stored.
  Result<DeployModelResponse> undeploy(std::string_view name);
  // model.status.<name>.
  Result<Status> status(std::string_view name);

 private:
  // Sends `body` on `subject` and reads the reply as T; an orchestrator that does not answer
  // becomes "no orchestrator answered on ... ; start one with ...".
  template <typename T>
  Result<T> call(const std::string& subject, std::string_view body);
  std::string noSuchApplication(std::string_view name, const std::optional<std::string>& version,
                                std::string_view message) const;

  NatsClient& nats_;
  WadmSubjects subjects_;
  std::chrono::milliseconds timeout_;
};

}  // namespace pelato::lattice
