// The reconciler's pure core, in the style of wadm's scalers: a manifest and what the lattice
// runs now in, the control commands that close the gap out. Applying the same plan twice is
// harmless, and a lattice that already matches gives no commands, so the orchestrator can run
// it on every event and periodically.
//
// - Component ids are the manifest's `id`, else "<app>-<component>" (wadm's convention), with
//   characters a subject token cannot carry replaced by '_'.
// - Spreadscalers place through computeSpread; daemonscalers put `instances` on every host
//   matching one of their spread entries (every host without entries). A host that runs the
//   component but should not is scaled to 0; a host running another image ref is scaled again
//   (with allow_update).
// - Capability components are pelato's built-in providers: nothing to start.
// - Link traits become links; in pelato the component is always a link's source, so a trait on
//   a capability that points at a component (wasmCloud's provider → component link, e.g. the
//   messaging provider's subscriptions) is turned around. Links that then share an identity
//   (source, name, namespace, package) are merged: interfaces united, configs concatenated.
//   Inline config properties become pelato's "key=value" link settings, bare config names stay
//   names (resolved from config.put by the hosts). A link already in the lattice with the same
//   content is not put again.
// - Stateful components (`stateful: true`) carry the annotations pelato.dev/stateful (and
//   pelato.dev/snapshot-interval-ms): a host that starts one restores its stored state. Moving
//   one instance from a live host to another is a Transfer, not a scale up and a scale down.
#pragma once

#include <string>
#include <vector>

#include "lattice/messages.h"
#include "lattice/migrate_api.h"
#include "lattice/snapshot_api.h"
#include "orchestrator/manifest.h"

namespace pelato::orchestrator {

// What the lattice runs now (from heartbeats and host inventories).
struct RunningComponent {
  std::string imageRef;
  uint32_t instances = 0;
  std::string app;  // the application that placed it (annotation wasmcloud.dev/appspec), or ""
  bool operator==(const RunningComponent&) const = default;
};
struct HostState {
  std::string id;
  std::string friendlyName;
  StringMap labels;
  std::map<std::string, RunningComponent> components;  // by component id
  // false: the host takes no placements and gives up what it runs (it is draining, or shedding
  // load); its instances are placed elsewhere first.
  bool accepting = true;
  bool operator==(const HostState&) const = default;
};
struct LatticeState {
  std::vector<HostState> hosts;
  std::vector<lattice::Link> links;
};

enum class ComponentStatus { Deployed, Reconciling, Failed };
std::string_view toString(ComponentStatus status);

struct ComponentReport {
  std::string componentId;
  ComponentStatus status = ComponentStatus::Deployed;
  std::string message;  // why it is failed, which spread entries fell back, …
  bool operator==(const ComponentReport&) const = default;
};

// A stateful component's move from one live host to another: by snapshot and restore
// (lattice::moveStateful), as scales would lose its state.
struct Transfer {
  std::string componentId;
  std::string componentRef;
  std::string fromHost;
  std::string toHost;
  StringMap annotations;
  bool operator==(const Transfer&) const = default;
};

struct Plan {
  std::vector<lattice::ScaleComponentCommand> scales;  // each with its host_id
  std::vector<Transfer> transfers;
  std::vector<lattice::Link> links;                    // to put
  std::vector<lattice::LinkDeleteRequest> unlinks;     // to delete (undeploy only)
  std::vector<ComponentReport> components;             // in manifest order
};

// A host label: with the value "true" the host is draining (`pelato host drain`): it takes no
// placements and its instances move elsewhere.
inline constexpr std::string_view kDrainLabel = lattice::kDrainLabel;  // a protocol name

// A manifest annotation: with the value "true", instances that fell back to other spread
// entries' hosts stay there when the preferred hosts return (while the placement still holds:
// the full count runs, on hosts that accept placements and match a spread entry).
inline constexpr std::string_view kStayOnFallbackAnnotation = "pelato.dev/stay-on-fallback";

// Annotations on every scale the orchestrator sends: which app placed the component.
inline constexpr std::string_view kManagedByAnnotation = "wasmcloud.dev/managed-by";
inline constexpr std::string_view kAppSpecAnnotation = lattice::kAppSpecAnnotation;

std::string componentIdFor(const Manifest& manifest, const Component& component);

// Instances moved by `pelato migrate`: component id → (from host → to host). A move overrides
// the spread for as long as both hosts are there and the target accepts placements.
using Moves = std::map<std::string, std::map<std::string, std::string>>;

// Components this app placed that the manifest no longer has are stopped.
Plan reconcile(const Manifest& manifest, const LatticeState& lattice, const Moves& moves = {});

// Everything the app placed, stopped, and the manifest's links that the lattice has, deleted.
Plan undeploy(const Manifest& manifest, const LatticeState& lattice);

// The links `before` put that `after` no longer wants (a new version being deployed).
std::vector<lattice::LinkDeleteRequest> retiredLinks(const Manifest& before, const Manifest& after);

}  // namespace pelato::orchestrator
