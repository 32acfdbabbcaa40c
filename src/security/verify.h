// The host's policy check: is this module signed, unchanged, in its validity window and issued
// by an account the host trusts?
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "common/result.h"
#include "security/claims.h"

namespace pelato::security {

// Verifies the claims embedded in `module` and returns them. In order, each failure with its
// own message: no claims ("module is not signed …"); malformed module, JWT or claims; issuer not
// an account key; subject not a component key; signature not by the issuer; wascap_revision
// older than the module hash; hash mismatch ("module was modified after signing (hash
// mismatch)"); expired ("claims expired at …"); not yet valid ("claims are not valid before
// …"); issuer not in `trustedIssuers` (account public keys; an empty list trusts any issuer
// whose signature verifies).
Result<ComponentClaims> verifyModule(std::span<const uint8_t> module, std::chrono::system_clock::time_point now,
                                     std::span<const std::string> trustedIssuers);

}  // namespace pelato::security
