#include "host/module_policy.h"

#include <gtest/gtest.h>

#include "security/module_claims.h"
#include "security/nkeys.h"

namespace pelato::host {
namespace {

using security::KeyPair;
using security::KeyType;

runtime::Module guest(std::string_view name) {
  auto module = runtime::Module::loadFile(fmt::format("{}/{}.wasm", PELATO_GUEST_DIR, name));
  EXPECT_TRUE(module) << module.error().message();
  return std::move(*module);
}

runtime::Module signedGuest(std::string_view name, const KeyPair& issuer, std::vector<std::string> caps = {}) {
  auto plain = guest(name);
  security::ComponentClaims claims{.subject = KeyPair::generate(KeyType::Component).publicKey().encode(),
                                   .name = std::string(name), .pelatoCaps = std::move(caps)};
  auto bytes = security::signModule(plain.bytes(), std::move(claims), issuer);
  EXPECT_TRUE(bytes) << bytes.error().message();
  auto module = runtime::Module::load(std::move(*bytes));
  EXPECT_TRUE(module) << module.error().message();
  return std::move(*module);
}

const auto kNow = std::chrono::system_clock::now();

TEST(ModulePolicy, UnsignedModulesOnlyWhenAllowed) {
  auto strict = admitModule(guest("upper_task"), {}, kNow);
  ASSERT_FALSE(strict);
  EXPECT_NE(strict.error().message().find("not signed"), std::string::npos) << strict.error().message();
  auto relaxed = admitModule(guest("upper_task"), {.allowUnsigned = true}, kNow);
  ASSERT_TRUE(relaxed) << relaxed.error().message();
  EXPECT_FALSE(*relaxed);
}

TEST(ModulePolicy, SignedModulesNeedATrustedIssuer) {
  auto issuer = KeyPair::generate(KeyType::Account);
  std::string key = issuer.publicKey().encode();
  auto module = signedGuest("upper_task", issuer);
  auto nobody = admitModule(module, {}, kNow);
  ASSERT_FALSE(nobody);
  EXPECT_NE(nobody.error().message().find("--trusted-issuer " + key), std::string::npos) << nobody.error().message();
  auto other = admitModule(module, {.trustedIssuers = {KeyPair::generate(KeyType::Account).publicKey().encode()}}, kNow);
  EXPECT_FALSE(other);
  auto trusted = admitModule(module, {.trustedIssuers = {key}}, kNow);
  ASSERT_TRUE(trusted && *trusted) << (trusted ? "" : trusted.error().message());
  EXPECT_EQ((*trusted)->issuer, key);
  // In development any valid signature will do, and a signed module is still checked.
  EXPECT_TRUE(admitModule(module, {.allowUnsigned = true}, kNow));
}

TEST(ModulePolicy, PelatoImportsNeedTheirCapability) {
  auto issuer = KeyPair::generate(KeyType::Account);
  ModulePolicy policy{.trustedIssuers = {issuer.publicKey().encode()}};
  auto without = admitModule(signedGuest("kv_counter_task", issuer), policy, kNow);
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message().find("kv"), std::string::npos) << without.error().message();
  EXPECT_TRUE(admitModule(signedGuest("kv_counter_task", issuer, {"kv"}), policy, kNow));
}

}  // namespace
}  // namespace pelato::host
