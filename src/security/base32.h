// RFC 4648 base32 (A–Z, 2–7) without padding, as NATS nkeys print keys and seeds.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::security {

std::string base32Encode(std::span<const uint8_t> bytes);

// Strict: upper-case alphabet only, no padding, no whitespace, and the unused low bits of the
// last character must be zero (so every byte string has exactly one spelling).
Result<std::vector<uint8_t>> base32Decode(std::string_view text);

}  // namespace pelato::security
