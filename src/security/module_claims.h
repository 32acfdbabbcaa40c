// Claims inside a module, as wascap embeds them: a custom section holding the compact JWT, and a
// module hash over the module without that section.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "security/claims.h"
#include "security/jwt.h"
#include "security/nkeys.h"

namespace pelato::security {

// The custom section wascap >= 0.9 writes; "jwt" is what earlier versions wrote. Both are read
// and both are stripped before hashing and signing.
inline constexpr std::string_view kClaimsSection = "wasmcloud_jwt";
inline constexpr std::string_view kLegacyClaimsSection = "jwt";

// Upper-case hex SHA-256 of the module with every claims section removed and section sizes
// re-encoded as minimal LEB128 (what wascap hashes).
Result<std::string> computeModuleHash(std::span<const uint8_t> module);

// Signs `claims` into `module`: drops any claims already there, sets iss (from `issuer`, which
// must be an account key), wascap.hash, wascap_revision and, when empty, jti; `claims.subject`
// must be a component public key and every pelato capability known. Returns the new module.
Result<std::vector<uint8_t>> signModule(std::span<const uint8_t> module, ComponentClaims claims,
                                        const KeyPair& issuer);

struct EmbeddedClaims {
  std::string jwt;    // the section's text
  DecodedJwt token;   // its parts (signature not yet checked)
  ComponentClaims claims;
};

// The claims a module carries, parsed but NOT verified (for `pelato claims inspect`); nullopt
// when the module has no claims section. Fails on a malformed module, JWT or claims.
Result<std::optional<EmbeddedClaims>> extractClaims(std::span<const uint8_t> module);

// Seconds since the epoch, as JWTs count time.
uint64_t toJwtTime(std::chrono::system_clock::time_point time);
// "2026-11-29T22:00:00Z"; out-of-range values are printed as the raw number.
std::string formatJwtTime(uint64_t seconds);

}  // namespace pelato::security
