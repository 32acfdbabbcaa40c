// pelato's host-function capabilities: the names a component's claims list in
// wascap.pelato_caps, and which functions of import module "pelato" each one grants.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "security/claims.h"

namespace pelato::security {

struct Capability {
  std::string_view name;                        // as written in claims and `--caps`
  std::span<const std::string_view> functions;  // the pelato.* imports it grants
  std::string_view description;
};

std::span<const Capability> knownCapabilities();

// The capability that grants `pelato.<function>`, if any.
std::optional<std::string_view> capabilityForImport(std::string_view function);

// Every name must be a known capability (so that a typo fails at signing, not at run time).
Result<void> checkCapabilityNames(std::span<const std::string> names);

// The host's check before instantiation: each function the module imports from module "pelato"
// must be granted by the claims ("component imports pelato.kv_get, which needs capability "kv";
// its claims grant none: re-sign with --caps kv").
Result<void> checkPelatoImports(const ComponentClaims& claims, std::span<const std::string> pelatoImports);

}  // namespace pelato::security
