#include "security/verify.h"

#include <gtest/gtest.h>

#include "common/file.h"
#include "security/capabilities.h"
#include "security/module_claims.h"
#include "security/wasm_sections.h"

namespace pelato::security {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

std::string errorOf(const auto& result) { return result ? std::string("(no error)") : result.error().message(); }

std::vector<uint8_t> guest(std::string_view name) {
  auto bytes = readFile(std::string(PELATO_GUEST_DIR) + "/" + std::string(name) + ".wasm");
  EXPECT_TRUE(bytes) << bytes.error().message();
  return bytes ? *bytes : std::vector<uint8_t>{};
}

class VerifyTest : public ::testing::Test {
 protected:
  ComponentClaims claimsFor(const KeyPair& component) const {
    return {.issuedAt = toJwtTime(now_), .subject = component.publicKey().encode(), .name = "upper",
            .version = "1.0.0", .pelatoCaps = {"kv"}};
  }
  std::vector<uint8_t> signedModule(ComponentClaims claims) const {
    auto signed_ = signModule(module_, std::move(claims), account_);
    EXPECT_TRUE(signed_) << signed_.error().message();
    return signed_ ? *signed_ : std::vector<uint8_t>{};
  }
  // Embeds claims as they are, signed by `signer`, bypassing signModule's checks.
  std::vector<uint8_t> withRawClaims(const ComponentClaims& claims, const KeyPair& signer) const {
    std::string_view names[] = {kClaimsSection, kLegacyClaimsSection};
    auto out = *stripCustomSections(module_, names);
    std::string jwt = encodeJwt(claimsToJson(claims), signer);
    appendCustomSection(out, kClaimsSection, std::span(reinterpret_cast<const uint8_t*>(jwt.data()), jwt.size()));
    return out;
  }
  Result<ComponentClaims> verify(const std::vector<uint8_t>& module, Clock::time_point at) const {
    std::vector<std::string> trusted{account_.publicKey().encode()};
    return verifyModule(module, at, trusted);
  }

  Clock::time_point now_ = Clock::now();
  KeyPair account_ = KeyPair::generate(KeyType::Account);
  KeyPair component_ = KeyPair::generate(KeyType::Component);
  std::vector<uint8_t> module_ = guest("upper_task");
};

TEST_F(VerifyTest, SignedModuleVerifies) {
  auto module = signedModule(claimsFor(component_));
  auto claims = verify(module, now_);
  ASSERT_TRUE(claims) << claims.error().message();
  EXPECT_EQ(claims->issuer, account_.publicKey().encode());
  EXPECT_EQ(claims->subject, component_.publicKey().encode());
  EXPECT_EQ(claims->name, "upper");
  EXPECT_EQ(claims->wascapRevision, kWascapRevision);
  EXPECT_EQ(claims->id.size(), 22u);
  EXPECT_EQ(claims->moduleHash, *computeModuleHash(module_));
  EXPECT_EQ(claims->moduleHash.size(), 64u);
  // The original module's bytes come first, untouched (its section sizes are minimal already).
  ASSERT_GT(module.size(), module_.size());
  EXPECT_TRUE(std::equal(module_.begin(), module_.end(), module.begin()));
  // An empty trust list accepts any issuer whose signature verifies.
  EXPECT_TRUE(verifyModule(module, now_, {}));
}

TEST_F(VerifyTest, TamperedModuleIsRefused) {
  auto module = signedModule(claimsFor(component_));
  auto sections = *readSections(module);
  auto code = std::find_if(sections.begin(), sections.end(), [](const WasmSection& s) { return s.id == 10; });
  ASSERT_NE(code, sections.end());
  module[code->contentStart + (code->end - code->contentStart) / 2] ^= 0x01;
  EXPECT_NE(errorOf(verify(module, now_)).find("module was modified after signing (hash mismatch"),
            std::string::npos)
      << errorOf(verify(module, now_));
}

TEST_F(VerifyTest, ValidityWindow) {
  auto claims = claimsFor(component_);
  claims.expires = toJwtTime(now_ + 24h);
  claims.notBefore = toJwtTime(now_ - 1h);
  auto module = signedModule(claims);
  EXPECT_TRUE(verify(module, now_));
  auto expired = verify(module, now_ + 25h);
  EXPECT_NE(errorOf(expired).find("claims expired at " + formatJwtTime(*claims.expires) + " (1 hours ago)"),
            std::string::npos)
      << errorOf(expired);
  auto early = verify(module, now_ - 3h);
  EXPECT_NE(errorOf(early).find("not valid before " + formatJwtTime(*claims.notBefore) + " (in 2 hours)"),
            std::string::npos)
      << errorOf(early);
}

TEST_F(VerifyTest, IssuerMustBeAnAccountKey) {
  auto claims = claimsFor(component_);
  KeyPair wrong = KeyPair::generate(KeyType::Component);
  EXPECT_NE(errorOf(signModule(module_, claims, wrong)).find("account key"), std::string::npos);

  claims.issuer = wrong.publicKey().encode();
  claims.moduleHash = *computeModuleHash(module_);
  claims.wascapRevision = kWascapRevision;
  claims.id = "x";
  auto error = errorOf(verify(withRawClaims(claims, wrong), now_));
  EXPECT_NE(error.find("claims issuer: " + claims.issuer + " is a component key (M…), but account key (A…)"),
            std::string::npos)
      << error;
}

TEST_F(VerifyTest, SubjectMustBeAComponentKey) {
  auto claims = claimsFor(component_);
  claims.subject = account_.publicKey().encode();
  EXPECT_NE(errorOf(signModule(module_, claims, account_)).find("subject"), std::string::npos);
}

TEST_F(VerifyTest, SignatureByAnotherKeyIsRefused) {
  // Claims naming our account as issuer but signed by someone else's account.
  auto claims = claimsFor(component_);
  claims.issuer = account_.publicKey().encode();
  claims.moduleHash = *computeModuleHash(module_);
  claims.wascapRevision = kWascapRevision;
  claims.id = "x";
  auto error = errorOf(verify(withRawClaims(claims, KeyPair::generate(KeyType::Account)), now_));
  EXPECT_NE(error.find("signature does not verify with issuer"), std::string::npos) << error;
}

TEST_F(VerifyTest, UntrustedIssuerIsRefused) {
  auto module = signedModule(claimsFor(component_));
  std::vector<std::string> trusted{KeyPair::generate(KeyType::Account).publicKey().encode()};
  auto error = errorOf(verifyModule(module, now_, trusted));
  EXPECT_NE(error.find("is not trusted by this host; add --trusted-issuer " + account_.publicKey().encode()),
            std::string::npos)
      << error;
}

TEST_F(VerifyTest, UnsignedAndGarbage) {
  EXPECT_NE(errorOf(verify(module_, now_)).find("module is not signed"), std::string::npos);

  auto garbage = module_;
  std::string_view junk = "not.a.jwt";
  appendCustomSection(garbage, kClaimsSection, std::span(reinterpret_cast<const uint8_t*>(junk.data()), junk.size()));
  auto error = errorOf(verify(garbage, now_));
  EXPECT_NE(error.find("invalid claims: the JWT header is not valid"), std::string::npos) << error;

  auto twice = signedModule(claimsFor(component_));
  auto jwt = (*extractClaims(twice))->jwt;
  appendCustomSection(twice, kLegacyClaimsSection, std::span(reinterpret_cast<const uint8_t*>(jwt.data()), jwt.size()));
  EXPECT_NE(errorOf(verify(twice, now_)).find("more than one claims section"), std::string::npos);

  std::vector<uint8_t> notWasm{1, 2, 3};
  EXPECT_NE(errorOf(verify(notWasm, now_)).find("not a WebAssembly module"), std::string::npos);
}

TEST_F(VerifyTest, OldWascapRevisionIsRefused) {
  auto claims = claimsFor(component_);
  claims.issuer = account_.publicKey().encode();
  claims.moduleHash = "whatever";
  claims.wascapRevision = 2;
  claims.id = "x";
  EXPECT_NE(errorOf(verify(withRawClaims(claims, account_), now_)).find("wascap_revision 2"), std::string::npos);
}

TEST_F(VerifyTest, ResigningReplacesClaims) {
  auto first = signedModule(claimsFor(component_));
  KeyPair other = KeyPair::generate(KeyType::Component);
  auto second = signModule(first, claimsFor(other), account_);
  ASSERT_TRUE(second) << second.error().message();
  auto claims = verify(*second, now_);
  ASSERT_TRUE(claims) << claims.error().message();
  EXPECT_EQ(claims->subject, other.publicKey().encode());
  EXPECT_EQ(claims->moduleHash, *computeModuleHash(module_));
  EXPECT_EQ(second->size(), first.size());
}

TEST_F(VerifyTest, LegacyJwtSectionIsRead) {
  auto module = signedModule(claimsFor(component_));
  auto jwt = (*extractClaims(module))->jwt;
  std::string_view names[] = {kClaimsSection};
  auto legacy = *stripCustomSections(module, names);
  appendCustomSection(legacy, kLegacyClaimsSection, std::span(reinterpret_cast<const uint8_t*>(jwt.data()), jwt.size()));
  EXPECT_TRUE(verify(legacy, now_));
}

TEST_F(VerifyTest, UnknownCapabilityIsRefusedAtSigning) {
  auto claims = claimsFor(component_);
  claims.pelatoCaps = {"kv", "teleport"};
  EXPECT_NE(errorOf(signModule(module_, claims, account_)).find("unknown capability \"teleport\" (known: kv)"),
            std::string::npos);
}

TEST(Capabilities, ImportsNeedTheirCapability) {
  ComponentClaims withKv{.pelatoCaps = {"kv"}};
  ComponentClaims without;
  std::vector<std::string> imports{"kv_get", "kv_set"};
  EXPECT_TRUE(checkPelatoImports(withKv, imports));
  EXPECT_TRUE(checkPelatoImports(without, {}));
  auto error = errorOf(checkPelatoImports(without, imports));
  EXPECT_NE(error.find("pelato.kv_get, which needs capability \"kv\""), std::string::npos) << error;
  EXPECT_NE(error.find("--caps kv"), std::string::npos);
  std::vector<std::string> unknown{"launch"};
  EXPECT_NE(errorOf(checkPelatoImports(withKv, unknown)).find("not a pelato host function"), std::string::npos);
  EXPECT_EQ(capabilityForImport("kv_del"), "kv");
}

TEST(JwtTime, Formats) {
  EXPECT_EQ(formatJwtTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatJwtTime(1764453600), "2025-11-29T22:00:00Z");
  EXPECT_EQ(formatJwtTime(17960177805), "2539-02-19T10:16:45Z");  // past the year 2262 (fuzz)
  EXPECT_EQ(formatJwtTime(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(formatJwtTime(UINT64_MAX), "18446744073709551615 (seconds since 1970)");
}

}  // namespace
}  // namespace pelato::security
