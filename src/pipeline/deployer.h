// `pelato deploy` and `pelato remove` through the wadm API (any orchestrator serving
// wadm.api.<LATTICE>.model.>): deploy stores gen/wadm.yaml as a new version and deploys it, then
// waits until the application is deployed; remove undeploys, waits until no host runs any of
// the application's components (hosts' inventories, annotation wasmcloud.dev/appspec), then
// deletes every stored version.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/result.h"
#include "lattice/ctl_client.h"
#include "lattice/wadm_client.h"

namespace pelato::pipeline {

struct DeployOutcome {
  std::string application;
  std::string version;
  lattice::StatusInfo status;  // the last status seen
};

// Progress lines for the user ("status reconciling: …").
using DeployObserver = std::function<void(const std::string&)>;

// `wait` 0 returns right after model.deploy is acknowledged.
Result<DeployOutcome> deployManifest(lattice::WadmClient& wadm, std::string_view manifestText,
                                     std::chrono::milliseconds wait, const DeployObserver& observer);

// Whether anything was there to remove.
Result<bool> removeApplication(lattice::WadmClient& wadm, lattice::CtlClient& ctl, const std::string& application,
                               std::chrono::milliseconds wait, const DeployObserver& observer);

}  // namespace pelato::pipeline
