#include "common/sha256.h"

#include <openssl/sha.h>

namespace pelato {

Sha256 sha256(std::span<const uint8_t> data) {
  Sha256 out;
  SHA256(data.data(), data.size(), out.data());
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
