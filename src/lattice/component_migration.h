// Moving a component's instances from one host to another, make before break (the new instances
// run and subscribe before the old ones stop): what `pelato migrate` and the dashboard's
// /api/migrate both do. A component an application placed (annotation wasmcloud.dev/appspec) is
// moved by the orchestrator through pelato's migrate API, so it then keeps it there; any other
// is moved with scale commands.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "lattice/ctl_client.h"

namespace pelato::lattice {

struct MigrationRequest {
  std::string componentId;
  std::string toHost;
  std::string fromHost;  // "": the only host (other than toHost) that runs the component
  std::chrono::milliseconds timeout{30'000};  // for the whole move
};

struct MigrationOutcome {
  std::string fromHost;
  uint32_t instances = 0;     // how many instances moved
  bool orchestrated = false;  // moved by the orchestrator (which keeps it there)
  std::chrono::milliseconds took{0};
};

// Finds the source host, moves the instances and waits until the target runs the component
// and the source does not. Errors say what to do (e.g. "say which one it leaves with --from").
Result<MigrationOutcome> migrateComponent(CtlClient& ctl, const MigrationRequest& request);

}  // namespace pelato::lattice
