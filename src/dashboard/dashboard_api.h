// The dashboard's HTTP API as plain data (docs/PROTOCOL.md, "Dashboard HTTP API"): the JSON
// bodies of the actions, checked with messages that name the field, the token check, and the
// JSON answers. Pure, so every refusal is unit-tested without a socket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/http_message.h"
#include "lattice/json_reader.h"

namespace pelato::dashboard {

// POST /api/scale {"component_id", "image_ref"?, "host_id", "count"}. Without image_ref the
// dashboard takes the one the component already runs with.
struct ScaleAction {
  std::string componentId;
  std::string imageRef;
  std::string hostId;
  uint32_t count = 0;
};

// POST /api/migrate {"component_id", "to_host", "from_host"?}.
struct MigrateAction {
  std::string componentId;
  std::string toHost;
  std::string fromHost;  // "": the only host that runs it
};

// POST /api/deploy {"manifest": YAML or JSON text}.
struct DeployAction {
  std::string manifest;
};

// POST /api/undeploy {"name"}.
struct UndeployAction {
  std::string name;
};

// POST /api/drain, /api/undrain, /api/stop {"host_id"}.
struct HostAction {
  std::string hostId;
};

Result<ScaleAction> parseScale(std::string_view body);
Result<MigrateAction> parseMigrate(std::string_view body);
Result<DeployAction> parseDeploy(std::string_view body);
Result<UndeployAction> parseUndeploy(std::string_view body);
Result<HostAction> parseHostAction(std::string_view body);

// The value of `name` in a query string ("a=1&token=x"), percent-decoded; nullopt if absent.
std::optional<std::string> queryParameter(std::string_view query, std::string_view name);

// Whether the request carries `token`: "Authorization: Bearer TOKEN", or "?token=TOKEN" (for
// EventSource, which cannot set headers). Compared in constant time.
bool hasToken(const http::HttpRequest& request, std::string_view token);

// {"error": message} with `status`.
http::HttpResponse jsonError(unsigned status, std::string_view message);
// `body` as application/json with `status`.
http::HttpResponse jsonResponse(unsigned status, const lattice::Json& body);

}  // namespace pelato::dashboard
