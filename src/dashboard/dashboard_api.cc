#include "dashboard/dashboard_api.h"

#include <fmt/format.h>

namespace pelato::dashboard {
namespace {

using lattice::Json;
using lattice::JsonObject;

Result<Json> parseBody(std::string_view body, std::string_view what) {
  auto json = lattice::parseJson(body);
  if (!json) return fail(std::move(json.error()).context(fmt::format("{}: the body is not JSON", what)));
  if (!json->is_object()) return fail("{}: the body must be a JSON object", what);
  return json;
}

// A required string that must not be empty.
Result<std::string> nonEmpty(const JsonObject& o, std::string_view key) {
  auto value = o.requiredString(key);
  if (!value) return value;
  if (value->empty()) return fail("{}: must not be empty", o.pathOf(key));
  return value;
}

template <typename T, typename Read>
Result<T> parse(std::string_view body, std::string_view what, Read read) {
  auto json = parseBody(body, what);
  if (!json) return fail(std::move(json.error()));
  auto o = JsonObject::of(*json);
  if (!o) return fail(std::move(o.error()));
  lattice::FirstError error;
  T action = read(*o, error);
  if (error) return fail(error.release().context(what));
  return action;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hexDigit(text[i + 1]) >= 0 && hexDigit(text[i + 2]) >= 0) {
      out += char(hexDigit(text[i + 1]) * 16 + hexDigit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Equal strings, taking the same time wherever they differ (the token is a secret).
bool constantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

Result<ScaleAction> parseScale(std::string_view body) {
  return parse<ScaleAction>(body, "scale", [](const JsonObject& o, lattice::FirstError& error) {
    return ScaleAction{.componentId = error.take(nonEmpty(o, "component_id")),
                       .imageRef = error.take(o.string("image_ref")),
                       .hostId = error.take(nonEmpty(o, "host_id")),
                       .count = uint32_t(error.take(o.requiredUnsigned("count", 1000)))};
  });
}

Result<MigrateAction> parseMigrate(std::string_view body) {
  return parse<MigrateAction>(body, "migrate", [](const JsonObject& o, lattice::FirstError& error) {
    return MigrateAction{.componentId = error.take(nonEmpty(o, "component_id")),
                         .toHost = error.take(nonEmpty(o, "to_host")),
                         .fromHost = error.take(o.string("from_host"))};
  });
}

Result<DeployAction> parseDeploy(std::string_view body) {
  return parse<DeployAction>(body, "deploy", [](const JsonObject& o, lattice::FirstError& error) {
    return DeployAction{.manifest = error.take(nonEmpty(o, "manifest"))};
  });
}

Result<UndeployAction> parseUndeploy(std::string_view body) {
  return parse<UndeployAction>(body, "undeploy", [](const JsonObject& o, lattice::FirstError& error) {
    return UndeployAction{.name = error.take(nonEmpty(o, "name"))};
  });
}

Result<HostAction> parseHostAction(std::string_view body) {
  return parse<HostAction>(body, "host action", [](const JsonObject& o, lattice::FirstError& error) {
    return HostAction{.hostId = error.take(nonEmpty(o, "host_id"))};
  });
}

std::optional<std::string> queryParameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (percentDecode(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

bool hasToken(const http::HttpRequest& request, std::string_view token) {
  if (token.empty()) return false;
  if (auto header = request.headers.find("Authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (header->size() > kBearer.size() && header->substr(0, kBearer.size()) == kBearer &&
        constantTimeEqual(header->substr(kBearer.size()), token))
      return true;
  }
  auto query = queryParameter(request.query, "token");
  return query && constantTimeEqual(*query, token);
}

http::HttpResponse jsonError(unsigned status, std::string_view message) {
  return jsonResponse(status, Json{{"error", message}});
}

http::HttpResponse jsonResponse(unsigned status, const Json& body) {
  return {.status = status, .contentType = "application/json", .body = lattice::dumpJson(body),
          .headers = {{"Cache-Control", "no-store"}}};
}

}  // namespace pelato::dashboard
