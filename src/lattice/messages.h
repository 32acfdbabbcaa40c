// Control interface messages (docs/PROTOCOL.md, protocol v1): the payloads of
// `wasmbus.ctl.v1.<lattice>.…` requests and their replies, with exactly the JSON field names of
// wasmCloud 1.x (crate wasmcloud-control-interface, src/types/*.rs) so that wasmCloud tooling and
// pelato understand each other. Pure data: toJson() writes, fromJson() checks and reads.
//
// Parsing rules: unknown fields are ignored; null counts as absent; a field that wasmCloud always
// sends and that a receiver cannot act without is required ("component_id: missing"); every
// other field falls back to wasmCloud's default. Errors name the field path and the reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lattice/json_reader.h"

namespace pelato::lattice {

// The reply envelope of every control request: {"success", "message", "response"?}
// (wasmCloud's CtlResponse<T>). `response` is omitted from the JSON when absent.
struct CtlReply {
  bool success = true;
  std::string message;
  std::optional<Json> response;

  static CtlReply ok(Json response) { return {true, {}, std::move(response)}; }
  static CtlReply done(std::string message = {}) {
    return {true, std::move(message), std::nullopt};
  }
  static CtlReply error(std::string message) { return {false, std::move(message), std::nullopt}; }

  Json toJson() const;
  // Also accepts wasmCloud's last-resort error shape {"success": false, "error": "..."}.
  static Result<CtlReply> fromJson(const Json& json);
  bool operator==(const CtlReply&) const = default;
};

// Reply to host.ping: a summary of one host (wasmCloud's `Host`).
struct Host {
  std::string id;                          // "id" (required): the host's unique id
  std::string friendlyName;                // "friendly_name"
  StringMap labels;                        // "labels"
  std::string lattice;                     // "lattice"
  uint64_t uptimeSeconds = 0;              // "uptime_seconds"
  std::optional<std::string> uptimeHuman;  // "uptime_human"
  std::optional<std::string> version;      // "version"
  std::optional<std::string> rpcHost;      // "rpc_host"   (NATS server used for RPC)
  std::optional<std::string> ctlHost;      // "ctl_host"   (NATS server used for control)
  std::optional<std::string> jsDomain;     // "js_domain"  (JetStream domain)

  Json toJson() const;
  static Result<Host> fromJson(const Json& json);
  bool operator==(const Host&) const = default;
};

// pelato extension: how busy one component is, in inventories and heartbeats ("load").
struct ComponentLoad {
  uint64_t queueDepth = 0;    // "queue_depth": messages received but not yet handled
  double callsPerSecond = 0;  // "calls_per_s": completed calls per second, recent average
  uint64_t errors = 0;        // "errors": failed calls (traps, errors) in the last period

  Json toJson() const;
  static Result<ComponentLoad> fromJson(const Json& json, std::string path);
  bool operator==(const ComponentLoad&) const = default;
};

// One component in an inventory or heartbeat (wasmCloud's `ComponentDescription`).
struct ComponentDescription {
  std::string id;                        // "id" (required)
  std::string imageRef;                  // "image_ref"
  std::optional<std::string> name;       // "name"
  std::optional<StringMap> annotations;  // "annotations"
  int64_t revision = 0;                  // "revision"
  uint32_t maxInstances = 0;             // "max_instances": the instance count it is scaled to
  std::optional<ComponentLoad> load;     // "load": pelato extension

  Json toJson() const;
  static Result<ComponentDescription> fromJson(const Json& json, std::string path);
  bool operator==(const ComponentDescription&) const = default;
};

// One capability provider in an inventory or heartbeat (wasmCloud's `ProviderDescription`).
struct ProviderDescription {
  std::string id;                        // "id" (required)
  std::optional<std::string> imageRef;   // "image_ref"
  std::optional<std::string> name;       // "name"
  int64_t revision = 0;                  // "revision"
  std::optional<StringMap> annotations;  // "annotations"

  Json toJson() const;
  static Result<ProviderDescription> fromJson(const Json& json, std::string path);
  bool operator==(const ProviderDescription&) const = default;
};

// Reply to host.get.<host>, and the body of a host_heartbeat (wasmCloud's `HostInventory`).
struct HostInventory {
  std::string hostId;                            // "host_id" (required)
  std::string friendlyName;                      // "friendly_name"
  StringMap labels;                              // "labels"
  std::vector<ComponentDescription> components;  // "components" (older hosts: "actors")
  std::vector<ProviderDescription> providers;    // "providers"
  std::string version;                           // "version"
  uint64_t uptimeSeconds = 0;                    // "uptime_seconds"
  std::string uptimeHuman;                       // "uptime_human"

  Json toJson() const;
  static Result<HostInventory> fromJson(const Json& json);
  bool operator==(const HostInventory&) const = default;
};

// component.scale.<host> (wasmCloud's `ScaleComponentCommand`). wasmCloud serialises
// max_instances under the key "count" (a serde rename kept for compatibility); pelato writes
// "count" too and reads either "count" or "max_instances".
struct ScaleComponentCommand {
  std::string componentRef;              // "component_ref" (required): file:// path or image ref
  std::string componentId;               // "component_id" (required)
  std::string hostId;                    // "host_id"
  uint32_t maxInstances = 0;             // "count" (required; 0 stops the component)
  std::optional<StringMap> annotations;  // "annotations"
  std::vector<std::string> config;       // "config": named configs, merged left to right
  bool allowUpdate = false;              // "allow_update": update the image ref if it changed

  Json toJson() const;
  static Result<ScaleComponentCommand> fromJson(const Json& json);
  bool operator==(const ScaleComponentCommand&) const = default;
};

// component.update.<host> (wasmCloud's `UpdateComponentCommand`).
struct UpdateComponentCommand {
  std::string componentId;               // "component_id" (required)
  std::string newComponentRef;           // "new_component_ref" (required)
  std::string hostId;                    // "host_id"
  std::optional<StringMap> annotations;  // "annotations"

  Json toJson() const;
  static Result<UpdateComponentCommand> fromJson(const Json& json);
  bool operator==(const UpdateComponentCommand&) const = default;
};

// host.stop.<host> (wasmCloud's `StopHostCommand`).
struct StopHostCommand {
  std::string hostId;               // "host_id"
  std::optional<uint64_t> timeout;  // "timeout": drain deadline; the wasmCloud host reads ms

  Json toJson() const;
  static Result<StopHostCommand> fromJson(const Json& json);
  bool operator==(const StopHostCommand&) const = default;
};

// label.put.<host> (wasmCloud's `HostLabel`).
struct HostLabel {
  std::string key;    // "key" (required)
  std::string value;  // "value" (required)

  Json toJson() const;
  static Result<HostLabel> fromJson(const Json& json);
  bool operator==(const HostLabel&) const = default;
};

// label.del.<host> (wasmCloud's `HostLabelIdentifier`).
struct HostLabelKey {
  std::string key;  // "key" (required)

  Json toJson() const;
  static Result<HostLabelKey> fromJson(const Json& json);
  bool operator==(const HostLabelKey&) const = default;
};

// A link from a source component to a target on a WIT interface: link.put, link.get's replies
// and the linkdef_set event (wasmCloud's `Link`).
struct Link {
  std::string sourceId;                   // "source_id" (required)
  std::string target;                     // "target" (required)
  std::string name = "default";           // "name"
  std::string witNamespace;               // "wit_namespace" (required), e.g. "wasmcloud"
  std::string witPackage;                 // "wit_package" (required), e.g. "messaging"
  std::vector<std::string> interfaces;    // "interfaces" (required), e.g. ["consumer"]
  std::vector<std::string> sourceConfig;  // "source_config": named configs for the source
  std::vector<std::string> targetConfig;  // "target_config": named configs for the target

  Json toJson() const;
  static Result<Link> fromJson(const Json& json);
  bool operator==(const Link&) const = default;
};

// link.del (wasmCloud's `DeleteInterfaceLinkDefinitionRequest`).
struct LinkDeleteRequest {
  std::string sourceId;          // "source_id" (required)
  std::string name = "default";  // "name"
  std::string witNamespace;      // "wit_namespace" (required)
  std::string witPackage;        // "wit_package" (required)

  Json toJson() const;
  static Result<LinkDeleteRequest> fromJson(const Json& json);
  bool operator==(const LinkDeleteRequest&) const = default;
};

// component.auction (wasmCloud's `ComponentAuctionRequest`): which hosts could run this?
struct ComponentAuctionRequest {
  std::string componentRef;   // "component_ref" (required)
  std::string componentId;    // "component_id" (required)
  StringMap constraints;      // "constraints": labels a bidder must have
  uint64_t maxMemory = 0;     // "max_memory"
  uint32_t maxInstances = 1;  // "max_instances"

  Json toJson() const;
  static Result<ComponentAuctionRequest> fromJson(const Json& json);
  bool operator==(const ComponentAuctionRequest&) const = default;
};

// A host's bid in a component auction, inside a CtlReply (wasmCloud's `ComponentAuctionAck`).
struct ComponentAuctionAck {
  std::string componentRef;   // "component_ref"
  std::string componentId;    // "component_id"
  std::string hostId;         // "host_id" (required)
  StringMap constraints;      // "constraints"
  uint64_t maxMemory = 0;     // "max_memory"
  uint32_t maxInstances = 0;  // "max_instances"

  Json toJson() const;
  static Result<ComponentAuctionAck> fromJson(const Json& json);
  bool operator==(const ComponentAuctionAck&) const = default;
};

// registry.put: credentials per registry host ({"ghcr.io": {...}, "127.0.0.1:5000": {...}}),
// wasmCloud's `RegistryCredential` for each.
struct RegistryCredential {
  std::optional<std::string> username;  // "username"
  std::optional<std::string> password;  // "password"
  std::optional<std::string> token;     // "token": a bearer token instead of a password
  std::string registryType = "oci";     // "registry_type": only "oci" is served

  Json toJson() const;
  static Result<RegistryCredential> fromJson(const Json& json, std::string path);
  bool operator==(const RegistryCredential&) const = default;
};
using RegistryCredentials = std::map<std::string, RegistryCredential>;
Result<RegistryCredentials> parseRegistryCredentials(const Json& json);

// config.put.<name> carries the config itself: an object of strings ({"key": "value"}).
Result<StringMap> parseConfigValues(const Json& json);
Json configValuesToJson(const StringMap& values);

}  // namespace pelato::lattice
