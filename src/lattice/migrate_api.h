// pelato's extension of the orchestrator API (docs/PROTOCOL.md, "Migration"): move the
// instances of an orchestrated component from one host to another, make before break.
// Subject `pelato.api.<lattice>.component.migrate`, answered by the leading orchestrator.
#pragma once

#include <optional>
#include <string>

#include "lattice/json_reader.h"

namespace pelato::lattice {

std::string migrateSubject(std::string_view lattice);

// Annotation on every scale an orchestrator sends: the application that placed the component.
// A component that carries it is moved through the migrate API, any other by scale commands.
inline constexpr std::string_view kAppSpecAnnotation = "wasmcloud.dev/appspec";

// A host label: with the value "true" the host is draining (`pelato host drain`, the dashboard):
// it takes no placements and the orchestrator moves its instances elsewhere.
inline constexpr std::string_view kDrainLabel = "pelato.dev/drain";

struct MigrateRequest {
  std::string componentId;              // "component_id" (required)
  std::string toHost;                   // "to_host" (required)
  std::optional<std::string> fromHost;  // "from_host": needed when several hosts run it

  Json toJson() const;
  static Result<MigrateRequest> fromJson(const Json& json);
  bool operator==(const MigrateRequest&) const = default;
};

// {"result": "acknowledged"|"notfound"|"error", "message", "app", "from_host"}. "notfound": no
// application placed the component (move it with scale commands instead).
struct MigrateResponse {
  std::string result = "error";  // "result" (required)
  std::string message;           // "message"
  std::string app;               // "app": the application that placed the component
  std::string fromHost;          // "from_host": where the instances leave from

  Json toJson() const;
  static Result<MigrateResponse> fromJson(const Json& json);
  bool operator==(const MigrateResponse&) const = default;
};

}  // namespace pelato::lattice
