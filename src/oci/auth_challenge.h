// Registry authentication, the pure parts: the `WWW-Authenticate` challenge of a 401 and the
// token server's answer in the bearer flow (Docker token auth, used by most public registries).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pelato::oci {

struct AuthChallenge {
  std::string scheme;                        // "basic" or "bearer" (lowercased)
  std::map<std::string, std::string> params;  // realm, service, scope, … (names lowercased)

  std::string param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
};

// Parses the first challenge of a WWW-Authenticate value: `Bearer realm="…",service="…",scope="…"`.
Result<AuthChallenge> parseAuthChallenge(std::string_view header);

// The token from a token server's JSON reply (`token`, or OAuth2's `access_token`).
Result<std::string> parseTokenResponse(std::string_view body);

// RFC 7617 `Basic base64(user:password)` header value.
std::string basicAuthorization(std::string_view user, std::string_view password);

// Percent-encodes a URL query value (RFC 3986 unreserved characters stay).
std::string urlEncode(std::string_view text);

}  // namespace pelato::oci
