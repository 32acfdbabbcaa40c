// base64url without padding (RFC 4648 §5), the alphabet of compact JWS segments.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::security {

std::string base64UrlEncode(std::span<const uint8_t> bytes);
inline std::string base64UrlEncode(std::string_view text) {
  return base64UrlEncode(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

// Strict: URL-safe alphabet, no padding, no whitespace, canonical trailing bits.
Result<std::vector<uint8_t>> base64UrlDecode(std::string_view text);

}  // namespace pelato::security
