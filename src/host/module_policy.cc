#include "host/module_policy.h"

#include "security/capabilities.h"
#include "security/module_claims.h"
#include "security/verify.h"

namespace pelato::host {

Result<std::optional<security::ComponentClaims>> admitModule(const runtime::Module& module, const ModulePolicy& policy,
                                                             std::chrono::system_clock::time_point now) {
  auto embedded = security::extractClaims(module.bytes());
  if (!embedded) return fail(std::move(embedded.error()).context("reading the module's claims"));
  if (!*embedded) {
    if (policy.allowUnsigned) return std::nullopt;
    return fail("the module is not signed: sign it with `pelato sign`, or start the host with --allow-unsigned "
                "(development only)");
  }
  if (policy.trustedIssuers.empty() && !policy.allowUnsigned)
    return fail("the module is signed by {}, but this host trusts no issuer: start it with --trusted-issuer {}",
                (*embedded)->claims.issuer, (*embedded)->claims.issuer);
  auto claims = security::verifyModule(module.bytes(), now, policy.trustedIssuers);
  if (!claims) return fail(std::move(claims.error()));
  std::vector<std::string> pelatoImports;
  for (const auto& import : module.imports())
    if (import.module == "pelato") pelatoImports.push_back(import.name);
  if (auto ok = security::checkPelatoImports(*claims, pelatoImports); !ok) return fail(std::move(ok.error()));
  return std::optional(std::move(*claims));
}

}  // namespace pelato::host
