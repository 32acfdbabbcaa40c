#include "security/module_claims.h"

#include <fmt/format.h>

#include "common/sha256.h"
#include "security/capabilities.h"
#include "security/jwt.h"
#include "security/wasm_sections.h"

namespace pelato::security {

namespace {

constexpr std::string_view kClaimsSections[] = {kClaimsSection, kLegacyClaimsSection};

bool isClaimsSection(const WasmSection& s) {
  return s.id == 0 && (s.name == kClaimsSection || s.name == kLegacyClaimsSection);
}

std::string upperHex(std::span<const uint8_t> bytes) {
  std::string hex = toHex(bytes);
  for (char& c : hex) c = char(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

}  // namespace

Result<std::string> computeModuleHash(std::span<const uint8_t> module) {
  auto stripped = stripCustomSections(module, kClaimsSections);
  if (!stripped) return fail(std::move(stripped.error()));
  return upperHex(sha256(*stripped));
}

Result<std::vector<uint8_t>> signModule(std::span<const uint8_t> module, ComponentClaims claims,
                                        const KeyPair& issuer) {
  if (issuer.type() != KeyType::Account)
    return fail("claims must be signed with an account key (seed 'SA…'), this is a {} key; create one with "
                "`pelato keys gen account`",
                keyTypeName(issuer.type()));
  if (auto subject = PublicKey::parse(claims.subject, KeyType::Component); !subject)
    return fail(std::move(subject.error()).context("the claims subject"));
  if (auto caps = checkCapabilityNames(claims.pelatoCaps); !caps) return fail(std::move(caps.error()));
  if (claims.expires && claims.notBefore && *claims.expires <= *claims.notBefore)
    return fail("the claims would expire before they become valid");

  auto stripped = stripCustomSections(module, kClaimsSections);
  if (!stripped) return fail(std::move(stripped.error()));
  claims.issuer = issuer.publicKey().encode();
  claims.moduleHash = upperHex(sha256(*stripped));
  claims.wascapRevision = kWascapRevision;
  if (claims.id.empty()) claims.id = newTokenId();

  std::string jwt = encodeJwt(claimsToJson(claims), issuer);
  appendCustomSection(*stripped, kClaimsSection,
                      std::span(reinterpret_cast<const uint8_t*>(jwt.data()), jwt.size()));
  return std::move(*stripped);
}

Result<std::optional<EmbeddedClaims>> extractClaims(std::span<const uint8_t> module) {
  auto sections = readSections(module);
  if (!sections) return fail(std::move(sections.error()));
  const WasmSection* found = nullptr;
  for (const auto& s : *sections) {
    if (!isClaimsSection(s)) continue;
    // wascap reads the first one; two are ambiguous, so neither is trusted.
    if (found) return fail("the module has more than one claims section; sign it again with `pelato sign`");
    found = &s;
  }
  if (!found) return std::nullopt;
  std::string jwt(module.begin() + found->payloadStart, module.begin() + found->end);
  auto decoded = decodeJwt(jwt);
  if (!decoded) return fail(std::move(decoded.error()));
  auto claims = claimsFromJson(decoded->claims);
  if (!claims) return fail(std::move(claims.error()));
  return EmbeddedClaims{.jwt = std::move(jwt), .token = std::move(*decoded), .claims = std::move(*claims)};
}

uint64_t toJwtTime(std::chrono::system_clock::time_point time) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  return seconds < 0 ? 0 : uint64_t(seconds);
}

std::string formatJwtTime(uint64_t seconds) {
  constexpr uint64_t kYear9999 = 253402300799;  // the calendar below stops at 9999-12-31T23:59:59Z
  if (seconds > kYear9999) return fmt::format("{} (seconds since 1970)", seconds);
  // By hand with days, not fmt's chrono formatter: that goes through nanoseconds, which overflow
  // after the year 2262.
  using namespace std::chrono;
  sys_seconds time{std::chrono::seconds(int64_t(seconds))};
  auto day = floor<days>(time);
  year_month_day date{day};
  hh_mm_ss clock{time - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", int(date.year()), unsigned(date.month()),
                     unsigned(date.day()), clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

}  // namespace pelato::security
