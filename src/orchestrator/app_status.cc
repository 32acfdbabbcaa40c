#include "orchestrator/app_status.h"

#include <algorithm>

namespace pelato::orchestrator {
namespace {

lattice::StatusType statusType(ComponentStatus status) {
  switch (status) {
    case ComponentStatus::Deployed: return lattice::StatusType::Deployed;
    case ComponentStatus::Reconciling: return lattice::StatusType::Reconciling;
    case ComponentStatus::Failed: return lattice::StatusType::Failed;
  }
  return lattice::StatusType::Failed;
}

}  // namespace

lattice::Status appStatus(const StoredApp& app, const std::vector<ComponentReport>& reports) {
  const StoredVersion* deployed = app.deployedVersion();
  if (!deployed) return {.info = {.type = lattice::StatusType::Undeployed}};
  lattice::Status status{.version = deployed->version};
  std::vector<lattice::StatusType> types;
  for (const auto& component : deployed->manifest.components) {
    std::string id = componentIdFor(deployed->manifest, component);
    auto report = std::find_if(reports.begin(), reports.end(), [&](const ComponentReport& r) { return r.componentId == id; });
    lattice::StatusInfo info = report == reports.end()
                                   ? lattice::StatusInfo{.type = lattice::StatusType::Reconciling, .message = "not reconciled yet"}
                                   : lattice::StatusInfo{.type = statusType(report->status), .message = report->message};
    types.push_back(info.type);
    status.components.push_back({.name = component.name, .type = std::string(componentTypeName(component.type)), .info = info});
  }
  status.info.type = lattice::aggregateStatus(types);
  // The app's message is that of the component that decided its status, or a note such as a
  // spread falling back (providers' notes stay on the provider).
  for (const auto& component : status.components)
    if (component.type == componentTypeName(ComponentType::Component) && component.info.type == status.info.type &&
        !component.info.message.empty()) {
      status.info.message = component.name + ": " + component.info.message;
      break;
    }
  return status;
}

lattice::ModelSummary appSummary(const StoredApp& app, const std::vector<ComponentReport>& reports) {
  lattice::ModelSummary summary{.name = app.name, .deployedVersion = app.deployed};
  if (const auto* newest = app.find("")) {
    summary.version = newest->version;
    if (auto description = newest->manifest.description(); !description.empty()) summary.description = description;
  }
  summary.detailedStatus = appStatus(app, reports);
  summary.status = summary.detailedStatus.info.type;
  if (!summary.detailedStatus.info.message.empty()) summary.statusMessage = summary.detailedStatus.info.message;
  return summary;
}

}  // namespace pelato::orchestrator
