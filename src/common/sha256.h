// SHA-256 digests, used to key caches, name artifacts and check snapshots. OpenSSL's libcrypto:
// it uses the CPU's SHA extensions where there are some (about 5 times libsodium's portable
// code here, which matters for megabytes of instance state on every migration).
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
