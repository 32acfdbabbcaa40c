// pelato's control-interface extension for stateful components (docs/PROTOCOL.md, "Stateful
// components"): `component.snapshot.<host>` takes a component's instance state and stores it in
// the lattice's snapshot store (lattice/snapshot_store.h); `component.restore.<host>` starts a
// component from a stored snapshot. Stateful migration is the one then the other. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lattice/json_reader.h"

namespace pelato::lattice {

// Scale annotations of a stateful component. With "true", a host that starts the component
// restores it from the store's snapshot if there is one (a crash restarts it from its last
// state), and the orchestrator moves it by snapshot and restore rather than by scaling.
inline constexpr std::string_view kStatefulAnnotation = "pelato.dev/stateful";
// Milliseconds between the snapshots a host stores of a running stateful component (when it
// ran messages since the last); absent or 0: only on migration.
inline constexpr std::string_view kSnapshotIntervalAnnotation = "pelato.dev/snapshot-interval-ms";

bool isStateful(const std::optional<StringMap>& annotations);

// component.snapshot.<host>
struct SnapshotRequest {
  std::string componentId;  // "component_id" (required)
  // "stop": quiesce first (take no more messages, finish those taken, settle their
  // acknowledgements), and stop the component once the snapshot is stored: a migration's first
  // half. Without it the component keeps running and the snapshot is taken between two calls.
  bool stop = false;

  Json toJson() const;
  static Result<SnapshotRequest> fromJson(const Json& json);
  bool operator==(const SnapshotRequest&) const = default;
};

// The "response" of a snapshot or restore reply: which stored snapshot, and how big.
struct SnapshotInfo {
  std::string componentId;  // "component_id"
  std::string componentRef;  // "component_ref": the image the state belongs to
  uint64_t generation = 0;  // "generation": in the store
  uint64_t bytes = 0;       // "bytes": the encoded snapshot
  std::string sha256;       // "sha256": of the encoded snapshot
  uint64_t tookMs = 0;      // "took_ms": on the host, quiesce included

  Json toJson() const;
  static Result<SnapshotInfo> fromJson(const Json& json);
  bool operator==(const SnapshotInfo&) const = default;
};

// component.restore.<host>: starts one instance of the component with the stored state (fails
// when the store has none for it, or one of another module).
struct RestoreRequest {
  std::string componentRef;  // "component_ref" (required)
  std::string componentId;   // "component_id" (required)
  std::optional<StringMap> annotations;  // "annotations", as on a scale

  Json toJson() const;
  static Result<RestoreRequest> fromJson(const Json& json);
  bool operator==(const RestoreRequest&) const = default;
};

}  // namespace pelato::lattice
