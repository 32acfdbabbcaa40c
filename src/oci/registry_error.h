// What a registry says when it refuses: the distribution spec's error body (pure).
#pragma once

#include <string>
#include <string_view>

namespace pelato::oci {

// `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown",...}]}` →
// "MANIFEST_UNKNOWN: manifest unknown" (several errors joined by "; "). A body that is not such
// JSON gives its first line (up to 200 characters), or "" when empty.
std::string registryErrorMessage(std::string_view body);

}  // namespace pelato::oci
