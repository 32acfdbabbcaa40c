// wadm application manifests: an OAM `core.oam.dev/v1beta1` `Application` (the `wadm.yaml` the
// PELATO pipeline generates) as plain data. parseManifest reads YAML or JSON and validates it
// fully: every error names the field path and what to change. manifestToJson writes the same
// data back (the wadm API's model.get/put), and parsing that JSON gives an equal Manifest.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace pelato::orchestrator {

using StringMap = std::map<std::string, std::string>;

inline constexpr std::string_view kOamApiVersion = "core.oam.dev/v1beta1";
inline constexpr std::string_view kOamKind = "Application";
// wadm's default when a spread entry gives no weight.
inline constexpr uint32_t kDefaultSpreadWeight = 100;

// A named configuration: either a reference to config stored in the lattice (a bare name) or
// one defined inline with its properties.
struct ConfigEntry {
  std::string name;
  std::optional<StringMap> properties;
  bool operator==(const ConfigEntry&) const = default;
};

// One spread entry: `weight` of the instances go to hosts whose labels include all
// `requirements`.
struct Spread {
  std::string name;
  uint32_t weight = kDefaultSpreadWeight;
  StringMap requirements;
  bool operator==(const Spread&) const = default;
};

// `instances` in total, divided over `spread` by weight (all hosts when `spread` is empty).
struct SpreadScaler {
  uint32_t instances = 0;
  std::vector<Spread> spread;
  bool operator==(const SpreadScaler&) const = default;
};

// `instances` on every host matching a spread entry's requirements (every host if none).
struct DaemonScaler {
  uint32_t instances = 0;
  std::vector<Spread> spread;
  bool operator==(const DaemonScaler&) const = default;
};

// A link from this component to `target` over the WIT interfaces namespace:package/interfaces.
struct LinkTrait {
  std::string target;
  std::string namespace_;
  std::string package;
  std::vector<std::string> interfaces;
  std::string name;  // the link name; empty means wadm's "default"
  std::vector<ConfigEntry> sourceConfig;
  std::vector<ConfigEntry> targetConfig;
  bool operator==(const LinkTrait&) const = default;
};

using Trait = std::variant<SpreadScaler, DaemonScaler, LinkTrait>;

enum class ComponentType { Component, Capability };

struct Component {
  std::string name;
  ComponentType type = ComponentType::Component;
  std::string image;
  std::optional<std::string> id;
  std::vector<ConfigEntry> config;
  std::vector<Trait> traits;
  // pelato extension: the component keeps state in its instance (properties.stateful: true).
  // It runs one instance, moves by snapshot and restore, and with snapshot_interval_ms its host
  // stores a snapshot that often, from which it restarts after a crash.
  bool stateful = false;
  uint32_t snapshotIntervalMs = 0;
  bool operator==(const Component&) const = default;
};

struct Manifest {
  std::string name;
  StringMap annotations;  // includes `version` and `description` when given
  StringMap labels;
  std::vector<Component> components;
  bool operator==(const Manifest&) const = default;

  std::string version() const;      // annotations["version"], or ""
  std::string description() const;  // annotations["description"], or ""
};

std::string_view componentTypeName(ComponentType type);
// The trait's `type` in the manifest: "spreadscaler", "daemonscaler" or "link".
std::string_view traitTypeName(const Trait& trait);

// Reads a manifest from YAML or JSON text and validates it. Syntax errors carry the line and
// column; validation errors the field path ("spec.components[1].traits[0].properties.instances").
Result<Manifest> parseManifest(std::string_view text);

// The manifest as JSON, in the field names wadm uses (canonical form: links use `target` by
// name with `source_config`/`target_config`).
nlohmann::json manifestToJson(const Manifest& manifest);

}  // namespace pelato::orchestrator
