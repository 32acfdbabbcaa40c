// An application's status in the wadm API's terms (pure): the reconciler's per-component
// reports become wadm's Status (per component and overall, aggregated as wadm does) and the
// summaries of model.list.
#pragma once

#include <vector>

#include "lattice/wadm_api.h"
#include "orchestrator/app_store.h"
#include "orchestrator/reconcile.h"

namespace pelato::orchestrator {

// `reports`: the last reconcile pass of the deployed version (empty before the first pass).
lattice::Status appStatus(const StoredApp& app, const std::vector<ComponentReport>& reports);

lattice::ModelSummary appSummary(const StoredApp& app, const std::vector<ComponentReport>& reports);

}  // namespace pelato::orchestrator
