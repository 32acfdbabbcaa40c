// Lattice events (docs/PROTOCOL.md, protocol v1): CloudEvents 1.0 JSON envelopes published on
// `wasmbus.evt.<lattice>.<type>` with type `com.wasmcloud.lattice.<type>`, as the wasmCloud 1.x
// host does (crates/host/src/nats/event.rs), and the data of the events pelato emits, with
// wasmCloud's field names (crates/host/src/event.rs; wasmcloud.com "Cloud Event List").
// Pure, except newEventId() and the clock read by callers of makeLatticeEvent().
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lattice/json_reader.h"
#include "lattice/messages.h"

namespace pelato::lattice {

// Short event types (the last subject token, and the type after "com.wasmcloud.lattice.").
namespace event_type {
inline constexpr std::string_view kHostHeartbeat = "host_heartbeat";
inline constexpr std::string_view kHostStarted = "host_started";
inline constexpr std::string_view kHostStopped = "host_stopped";
inline constexpr std::string_view kLabelsChanged = "labels_changed";
inline constexpr std::string_view kComponentScaled = "component_scaled";
inline constexpr std::string_view kComponentScaleFailed = "component_scale_failed";
inline constexpr std::string_view kLinkdefSet = "linkdef_set";
inline constexpr std::string_view kLinkdefDeleted = "linkdef_deleted";
inline constexpr std::string_view kComponentSuspended = "component_suspended";  // pelato
inline constexpr std::string_view kConfigSet = "config_set";          // data {"config_name"}
inline constexpr std::string_view kConfigDeleted = "config_deleted";  // data {"config_name"}
}  // namespace event_type

inline constexpr std::string_view kLatticeEventPrefix = "com.wasmcloud.lattice.";

// A CloudEvents 1.0 envelope in its JSON encoding.
struct CloudEvent {
  std::string specversion = "1.0";                   // "specversion" (must be "1.0")
  std::string id;                                    // "id" (required): unique per event
  std::string source;                                // "source" (required): the host id
  std::string type;                                  // "type" (required): com.wasmcloud.lattice.<t>
  std::string time;                                  // "time": RFC 3339, UTC
  std::string datacontenttype = "application/json";  // "datacontenttype"
  Json data;                                         // "data" (null when absent)

  // The short type ("host_heartbeat") if `type` is a lattice event, else "".
  std::string_view latticeType() const;

  Json toJson() const;
  static Result<CloudEvent> fromJson(const Json& json);
  bool operator==(const CloudEvent&) const = default;
};

// The envelope of a lattice event: type com.wasmcloud.lattice.<type>, application/json data.
CloudEvent makeLatticeEvent(std::string_view type, std::string source, Json data, std::string id,
                            std::chrono::system_clock::time_point time);

// RFC 3339 in UTC with microseconds: "2024-06-13T18:00:53.856590Z".
std::string formatEventTime(std::chrono::system_clock::time_point time);

// A random (version 4) UUID for CloudEvent ids, e.g. "3b241101-e2bb-4255-8caf-4136c566a962".
std::string newEventId();

// pelato extension to heartbeats: how loaded the whole host is ("load").
struct HostLoad {
  double cpu = 0;             // "cpu": share of the machine's CPU time used by the host, 0..1
  uint64_t queueDepth = 0;    // "queue_depth": messages waiting in all components
  double callsPerSecond = 0;  // "calls_per_s": calls completed per second, all components
  uint64_t errors = 0;        // "errors": failed calls during the last heartbeat period

  Json toJson() const;
  static Result<HostLoad> fromJson(const Json& json, std::string path);
  bool operator==(const HostLoad&) const = default;
};

// host_heartbeat data: the host's inventory (as wasmCloud sends it) plus pelato's "load".
// Per-component load sits in each component's optional "load" (ComponentDescription::load).
struct HostHeartbeat {
  HostInventory inventory;
  std::optional<HostLoad> load;

  Json toJson() const;
  static Result<HostHeartbeat> fromJson(const Json& json);
  bool operator==(const HostHeartbeat&) const = default;
};

// host_started data. wasmCloud 1.x sends {"id", "friendly_name", "labels", "uptime_seconds",
// "version"} while its documentation lists "host_id"; pelato writes both and reads either.
struct HostStarted {
  std::string hostId;          // "host_id" and "id" (one of them required)
  std::string friendlyName;    // "friendly_name"
  StringMap labels;            // "labels"
  std::string version;         // "version"
  uint64_t uptimeSeconds = 0;  // "uptime_seconds"

  Json toJson() const;
  static Result<HostStarted> fromJson(const Json& json);
  bool operator==(const HostStarted&) const = default;
};

// host_stopped data (wasmCloud's host sends only "labels"; the documented event also has
// "host_id" and "reason", which pelato fills in).
struct HostStopped {
  std::string hostId;  // "host_id"
  StringMap labels;    // "labels"
  std::string reason;  // "reason", e.g. "stop", "drained"

  Json toJson() const;
  static Result<HostStopped> fromJson(const Json& json);
  bool operator==(const HostStopped&) const = default;
};

// labels_changed data.
struct LabelsChanged {
  std::string hostId;  // "host_id" (required)
  StringMap labels;    // "labels": the full set after the change

  Json toJson() const;
  static Result<LabelsChanged> fromJson(const Json& json);
  bool operator==(const LabelsChanged&) const = default;
};

// component_scaled data.
struct ComponentScaled {
  std::string hostId;                    // "host_id" (required)
  std::string componentId;               // "component_id" (required)
  std::string imageRef;                  // "image_ref"
  uint32_t maxInstances = 0;             // "max_instances": the new count (0: stopped)
  StringMap annotations;                 // "annotations"
  std::optional<std::string> publicKey;  // "public_key": the component's key, if signed
  std::optional<Json> claims;            // "claims": {issuer, name, version, ...}, if signed

  Json toJson() const;
  static Result<ComponentScaled> fromJson(const Json& json);
  bool operator==(const ComponentScaled&) const = default;
};

// component_scale_failed data: the same fields plus the reason.
struct ComponentScaleFailed {
  std::string hostId;                    // "host_id" (required)
  std::string componentId;               // "component_id" (required)
  std::string imageRef;                  // "image_ref"
  uint32_t maxInstances = 0;             // "max_instances": the count that was asked for
  StringMap annotations;                 // "annotations"
  std::optional<std::string> publicKey;  // "public_key"
  std::string error;                     // "error" (required): what went wrong

  Json toJson() const;
  static Result<ComponentScaleFailed> fromJson(const Json& json);
  bool operator==(const ComponentScaleFailed&) const = default;
};

// component_suspended data (pelato extension): a component trapped too often and takes no
// messages until the backoff ends.
struct ComponentSuspended {
  std::string hostId;       // "host_id" (required)
  std::string componentId;  // "component_id" (required)
  std::string imageRef;     // "image_ref"
  std::string reason;       // "reason" (required): how many traps, the last one, for how long

  Json toJson() const;
  static Result<ComponentSuspended> fromJson(const Json& json);
  bool operator==(const ComponentSuspended&) const = default;
};

// linkdef_set data is a Link (messages.h), field for field.

// linkdef_deleted data. wasmCloud adds target and interfaces only when the link existed.
struct LinkdefDeleted {
  std::string sourceId;                                // "source_id" (required)
  std::string name = "default";                        // "name"
  std::string witNamespace;                            // "wit_namespace" (required)
  std::string witPackage;                              // "wit_package" (required)
  std::optional<std::string> target;                   // "target"
  std::optional<std::vector<std::string>> interfaces;  // "interfaces"

  Json toJson() const;
  static Result<LinkdefDeleted> fromJson(const Json& json);
  bool operator==(const LinkdefDeleted&) const = default;
};

}  // namespace pelato::lattice
