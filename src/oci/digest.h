// Content digests as OCI writes them: `sha256:<64 lowercase hex>` (pure).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pelato::oci {

// `sha256:` + the hex SHA-256 of `data`.
std::string digestOf(std::span<const uint8_t> data);

// Checks the form of a digest. Only sha256 is accepted: it is what every registry computes and
// what pelato verifies; anything else could not be checked on pull.
Result<void> validateDigest(std::string_view digest);

// The 64 hex characters after `sha256:` (the digest must be valid).
inline std::string_view digestHex(std::string_view digest) { return digest.substr(7); }

}  // namespace pelato::oci
