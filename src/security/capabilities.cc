#include "security/capabilities.h"

#include <algorithm>

namespace pelato::security {

namespace {

constexpr std::string_view kKvFunctions[] = {"kv_get", "kv_set", "kv_del"};
constexpr Capability kCapabilities[] = {
    {.name = "kv", .functions = kKvFunctions, .description = "key-value store (pelato.kv_get/kv_set/kv_del)"},
};

std::string knownNames() {
  std::string names;
  for (const auto& c : kCapabilities) names += (names.empty() ? "" : ", ") + std::string(c.name);
  return names;
}

}  // namespace

std::span<const Capability> knownCapabilities() { return kCapabilities; }

std::optional<std::string_view> capabilityForImport(std::string_view function) {
  for (const auto& c : kCapabilities)
    if (std::find(c.functions.begin(), c.functions.end(), function) != c.functions.end()) return c.name;
  return std::nullopt;
}

Result<void> checkCapabilityNames(std::span<const std::string> names) {
  for (const auto& name : names) {
    bool known = std::any_of(std::begin(kCapabilities), std::end(kCapabilities),
                             [&](const Capability& c) { return c.name == name; });
    if (!known) return fail("unknown capability \"{}\" (known: {})", name, knownNames());
  }
  return {};
}

Result<void> checkPelatoImports(const ComponentClaims& claims, std::span<const std::string> pelatoImports) {
  for (const auto& function : pelatoImports) {
    auto capability = capabilityForImport(function);
    if (!capability) return fail("component imports pelato.{}, which is not a pelato host function", function);
    if (std::find(claims.pelatoCaps.begin(), claims.pelatoCaps.end(), *capability) == claims.pelatoCaps.end())
      return fail("component imports pelato.{}, which needs capability \"{}\" that its claims do not grant; "
                  "re-sign it with --caps {}",
                  function, *capability, *capability);
  }
  return {};
}

}  // namespace pelato::security
