#include "security/verify.h"

#include <algorithm>

#include "security/jwt.h"
#include "security/module_claims.h"
#include "security/nkeys.h"

namespace pelato::security {

namespace {

std::string describeDelta(uint64_t from, uint64_t to) {
  uint64_t d = to > from ? to - from : from - to;
  if (d >= 86400) return fmt::format("{} days", d / 86400);
  if (d >= 3600) return fmt::format("{} hours", d / 3600);
  if (d >= 60) return fmt::format("{} minutes", d / 60);
  return fmt::format("{} seconds", d);
}

}  // namespace

Result<ComponentClaims> verifyModule(std::span<const uint8_t> module, std::chrono::system_clock::time_point now,
                                     std::span<const std::string> trustedIssuers) {
  auto embedded = extractClaims(module);
  if (!embedded) return fail(std::move(embedded.error()).context("invalid claims"));
  if (!*embedded)
    return fail("module is not signed (it has no claims); sign it with `pelato sign`, or run the host with "
                "--allow-unsigned for development");
  const ComponentClaims& claims = (*embedded)->claims;

  auto issuer = PublicKey::parse(claims.issuer, KeyType::Account);
  if (!issuer) return fail(std::move(issuer.error()).context("claims issuer"));
  if (auto subject = PublicKey::parse(claims.subject, KeyType::Component); !subject)
    return fail(std::move(subject.error()).context("claims subject"));

  if (auto signature = verifyJwtSignature((*embedded)->token, *issuer); !signature)
    return fail(std::move(signature.error()));

  if (claims.wascapRevision.value_or(0) < kWascapRevision)
    return fail("claims have wascap_revision {}, older than {} (no module hash to check); sign the module again",
                claims.wascapRevision.value_or(0), kWascapRevision);
  auto hash = computeModuleHash(module);
  if (!hash) return fail(std::move(hash.error()));
  std::string claimed = claims.moduleHash;
  std::transform(claimed.begin(), claimed.end(), claimed.begin(),
                 [](unsigned char c) { return char(std::toupper(c)); });
  if (claimed != *hash)
    return fail("module was modified after signing (hash mismatch: claims say {}, module is {}); get the "
                "original module or sign it again",
                claims.moduleHash, *hash);

  uint64_t t = toJwtTime(now);
  if (claims.expires && t >= *claims.expires)
    return fail("claims expired at {} ({} ago); sign the module again with a later --expires",
                formatJwtTime(*claims.expires), describeDelta(*claims.expires, t));
  if (claims.notBefore && t < *claims.notBefore)
    return fail("claims are not valid before {} (in {}); wait, or check this machine's clock",
                formatJwtTime(*claims.notBefore), describeDelta(t, *claims.notBefore));

  if (!trustedIssuers.empty() &&
      std::find(trustedIssuers.begin(), trustedIssuers.end(), claims.issuer) == trustedIssuers.end())
    return fail("issuer {} is not trusted by this host; add --trusted-issuer {} if it should be", claims.issuer,
                claims.issuer);
  return claims;
}

}  // namespace pelato::security
