// Which modules a host runs (issue 6): by default only modules with valid claims (signed with
// `pelato sign`) from a trusted issuer, whose hash matches, not expired, and which import only
// the `pelato` host functions their claims grant. `allowUnsigned` (development) also admits
// unsigned modules; a signed module is always verified, so a tampered one is refused anyway.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/module.h"
#include "security/claims.h"

namespace pelato::host {

struct ModulePolicy {
  bool allowUnsigned = false;
  std::vector<std::string> trustedIssuers;  // account public keys (A…)
};

// The module's verified claims (nullopt: unsigned, admitted by allowUnsigned), or why the host
// must not run it.
Result<std::optional<security::ComponentClaims>> admitModule(const runtime::Module& module, const ModulePolicy& policy,
                                                             std::chrono::system_clock::time_point now);

}  // namespace pelato::host
