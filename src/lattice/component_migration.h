// Moving a component's instances from one host to another, make before break (the new instances
// run and subscribe before the old ones stop): what `pelato migrate` and the dashboard's
// /api/migrate both do. A component an application placed (annotation wasmcloud.dev/appspec) is
// moved by the orchestrator through pelato's migrate API, so it then keeps it there; any other
// is moved with scale commands, or with `stateful`, by snapshot and restore (moveStateful).
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
  // Move the instance's state too (one instance): quiesce, snapshot, restore, switch. For a
  // component an application placed, its manifest decides (`stateful: true`).
  bool stateful = false;
};

struct MigrationOutcome {
  std::string fromHost;
  uint32_t instances = 0;     // how many instances moved
  bool orchestrated = false;  // moved by the orchestrator (which keeps it there)
  std::chrono::milliseconds took{0};
  std::optional<SnapshotInfo> snapshot;  // a stateful move's snapshot
};

// One stateful move, make-then-break impossible (the state is in one place at a time): the
// source quiesces, stores its snapshot and stops (component.snapshot with stop), the target
// starts from it (component.restore). Messages published meanwhile wait in JetStream (at-least-
// once links). If the target cannot restore it, the source restores it back: nothing is lost.
struct StatefulMove {
  std::string componentId;
  std::string componentRef;
  std::optional<StringMap> annotations;  // the source's, kept on the target
  std::string fromHost;
  std::string toHost;
  std::chrono::milliseconds timeout{30'000};
};
Result<SnapshotInfo> moveStateful(CtlClient& ctl, const StatefulMove& move);

// Finds the source host, moves the instances and waits until the target runs the component
// and the source does not. Errors say what to do (e.g. "say which one it leaves with --from").
Result<MigrationOutcome> migrateComponent(CtlClient& ctl, const MigrationRequest& request);

}  // namespace pelato::lattice
