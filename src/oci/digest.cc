#include "oci/digest.h"

#include "common/sha256.h"

namespace pelato::oci {

std::string digestOf(std::span<const uint8_t> data) { return "sha256:" + sha256Hex(data); }

Result<void> validateDigest(std::string_view digest) {
  constexpr std::string_view prefix = "sha256:";
  if (!digest.starts_with(prefix)) {
    auto colon = digest.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return fail("'{}' is not a digest: expected sha256:<64 hex digits>", digest.substr(0, 80));
    return fail("digest algorithm '{}' is not supported: pelato verifies sha256 digests only",
                digest.substr(0, std::min<size_t>(colon, 32)));
  }
  auto hex = digest.substr(prefix.size());
  if (hex.size() != 64)
    return fail("digest '{}' has {} hex digits after sha256:, expected 64", digest.substr(0, 80), hex.size());
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return fail("digest '{}' must be lowercase hex after sha256:", digest.substr(0, 80));
  }
  return {};
}

}  // namespace pelato::oci
