#include "security/base32.h"

namespace pelato::security {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int digitValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

}  // namespace

std::string base32Encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> bits) & 31]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

Result<std::vector<uint8_t>> base32Decode(std::string_view text) {
  // Lengths that leave 1, 3 or 6 characters over cannot come from whole bytes.
  size_t rest = text.size() % 8;
  if (rest == 1 || rest == 3 || rest == 6) return fail("base32 text of {} characters is truncated", text.size());
  std::vector<uint8_t> out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    int v = digitValue(text[i]);
    if (v < 0) return fail("'{}' at position {} is not a base32 character (A-Z, 2-7)", text[i], i);
    buffer = (buffer << 5) | uint32_t(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(uint8_t(buffer >> bits));
    }
  }
  if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) return fail("base32 text has non-zero trailing bits");
  return out;
}

}  // namespace pelato::security
