#include "common/sha256.h"

#include <sodium.h>

namespace pelato {

Sha256 sha256(std::span<const uint8_t> data) {
  Sha256 out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

std::string toHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0xf]);
  }
  return hex;
}

}  // namespace pelato
