// `pelato scale component REF --id ID --host HOST --count N [--stateful [--snapshot-ms MS]]`:
// component.scale.<host>, then (unless --no-wait) the component_scaled / component_scale_failed
// event that settles it. --stateful adds the annotations of a stateful component
// (lattice/snapshot_api.h): it starts from its stored snapshot, and moves with its state.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/lattice_options.h"

namespace pelato::cli {

namespace {

struct ScaleOptions {
  LatticeOptions lattice;
  std::string ref;
  std::string componentId;
  std::string hostId;
  uint32_t count = 0;
  bool wait = true;
  bool allowUpdate = false;
  bool stateful = false;
  uint64_t snapshotMs = 0;
  uint64_t timeoutMs = 2000;
  uint64_t waitMs = 30000;
};

// A local path is what people type during development: make it the file:// URL hosts take.
// Image refs never start with `/` or `.`, nor end in `.wasm` (they end in a tag or digest).
std::string componentRef(const std::string& ref) {
  bool path = ref.starts_with('/') || ref.starts_with("./") || ref.starts_with("../") ||
              (ref.ends_with(".wasm") && ref.find("://") == std::string::npos);
  if (!path) return ref;
  return "file://" + std::filesystem::absolute(ref).lexically_normal().string();
}

int scaleComponent(const ScaleOptions& o) {
  return runControl(o.lattice, std::chrono::milliseconds(o.timeoutMs), [&](lattice::CtlClient& ctl) -> Result<void> {
    lattice::ScaleComponentCommand command{.componentRef = componentRef(o.ref), .componentId = o.componentId,
                                           .hostId = o.hostId, .maxInstances = o.count,
                                           .allowUpdate = o.allowUpdate};
    if (o.stateful) {
      command.annotations = lattice::StringMap{{std::string(lattice::kStatefulAnnotation), "true"}};
      if (o.snapshotMs)
        (*command.annotations)[std::string(lattice::kSnapshotIntervalAnnotation)] = std::to_string(o.snapshotMs);
    } else if (o.snapshotMs) {
      return fail("--snapshot-ms applies to stateful components: add --stateful");
    }
    std::optional<std::chrono::milliseconds> wait;
    if (o.wait) wait = std::chrono::milliseconds(o.waitMs);
    auto outcome = ctl.scale(command, wait);
    if (!outcome) return fail(std::move(outcome.error()));
    fmt::print("host {} accepted: {}\n", o.hostId,
               outcome->acceptedMessage.empty()
                   ? fmt::format("scale component {} to {} ({})", o.componentId, o.count, command.componentRef)
                   : outcome->acceptedMessage);
    if (!outcome->scaled) return {};
    const auto& scaled = *outcome->scaled;
    if (scaled.maxInstances == 0)
      fmt::print("component {} stopped on host {}\n", scaled.componentId, scaled.hostId);
    else
      fmt::print("component {} scaled to {} instance{} on host {} ({})\n", scaled.componentId, scaled.maxInstances,
                 scaled.maxInstances == 1 ? "" : "s", scaled.hostId, scaled.imageRef);
    return {};
  });
}

}  // namespace

void addScaleCommand(CLI::App& app, Action& action) {
  auto* scale = app.add_subcommand("scale", "Scale what runs on a host");
  scale->require_subcommand(1);
  auto o = std::make_shared<ScaleOptions>();
  auto* cmd = scale->add_subcommand("component", "Run N instances of a component on a host (component.scale); 0 stops it");
  cmd->add_option("ref", o->ref, "file:///abs/path.wasm, a local path (made file://; the host must see the same file), or an image ref")->required();
  cmd->add_option("--id", o->componentId, "Component id")->required();
  cmd->add_option("--host", o->hostId, "Host id (see `pelato get hosts`)")->required();
  cmd->add_option("--count", o->count, "Instances wanted (0 stops the component)")->required();
  cmd->add_flag("--wait,!--no-wait", o->wait, "Wait for component_scaled / component_scale_failed (default: on)");
  cmd->add_flag("--allow-update", o->allowUpdate, "Replace a running component that has another ref");
  cmd->add_flag("--stateful", o->stateful,
                "Stateful: one instance, started from its stored snapshot, moved with its state");
  cmd->add_option("--snapshot-ms", o->snapshotMs, "With --stateful: store a snapshot this often (ms)");
  cmd->add_option("--timeout-ms", o->timeoutMs, "How long to wait for the host's reply")->capture_default_str();
  cmd->add_option("--wait-ms", o->waitMs, "How long --wait waits for the outcome event")->capture_default_str();
  o->lattice.addTo(*cmd);
  cmd->callback([o, &action] { action = [o] { return scaleComponent(*o); }; });
}

}  // namespace pelato::cli
