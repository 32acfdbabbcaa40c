// SHA-256 digests (libsodium), used to key caches and name artifacts.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace pelato {

using Sha256 = std::array<uint8_t, 32>;

Sha256 sha256(std::span<const uint8_t> data);
std::string toHex(std::span<const uint8_t> bytes);
inline std::string sha256Hex(std::span<const uint8_t> data) { return toHex(sha256(data)); }

}  // namespace pelato
