// libFuzzer target: arbitrary bytes through everything that parses untrusted claims material:
// nkeys public keys and seeds, compact JWTs, the claims JSON, and a module carrying the bytes as
// its claims section (extraction, hashing, full verification). Everything must end in a value or
// an error with a message: never a crash, a sanitizer report or a hang. Parsed claims must
// survive a round trip through JSON unchanged.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "security/base32.h"
#include "security/base64url.h"
#include "security/claims.h"
#include "security/jwt.h"
#include "security/module_claims.h"
#include "security/nkeys.h"
#include "security/verify.h"
#include "security/wasm_sections.h"

using namespace pelato;
using namespace pelato::security;

namespace {

void fail(const char* what) {
  fprintf(stderr, "claims_fuzzer: %s\n", what);
  __builtin_trap();
}

template <typename T>
void expectMessage(const Result<T>& r, const char* what) {
  if (!r && r.error().message().empty()) fail(what);
}

// A minimal module (one empty type section) whose claims section holds `payload`.
std::vector<uint8_t> moduleWith(std::span<const uint8_t> payload, std::string_view section) {
  std::vector<uint8_t> module = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00};
  appendCustomSection(module, section, payload);
  return module;
}

void checkClaims(const ComponentClaims& claims) {
  auto again = claimsFromJson(claimsToJson(claims));
  if (!again || !(*again == claims)) fail("claims changed in a JSON round trip");
  if (claims.expires) (void)formatJwtTime(*claims.expires);
  if (claims.notBefore) (void)formatJwtTime(*claims.notBefore);
  (void)formatJwtTime(claims.issuedAt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // Keys.
  auto pub = PublicKey::parse(text);
  expectMessage(pub, "public key error without a message");
  if (pub) {
    auto again = PublicKey::parse(pub->encode());
    if (!again || !(*again == *pub)) fail("public key does not round-trip");
  }
  auto seed = KeyPair::fromSeed(text);
  expectMessage(seed, "seed error without a message");
  if (seed) {
    auto again = KeyPair::fromSeed(seed->encodeSeed());
    if (!again || !(again->publicKey() == seed->publicKey())) fail("seed does not round-trip");
  }
  expectMessage(base32Decode(text), "base32 error without a message");
  expectMessage(base64UrlDecode(text), "base64url error without a message");

  // The JWT and its claims.
  auto jwt = decodeJwt(text);
  expectMessage(jwt, "JWT error without a message");
  if (jwt) {
    auto claims = claimsFromJson(jwt->claims);
    expectMessage(claims, "claims error without a message");
    if (claims) {
      checkClaims(*claims);
      if (auto issuer = PublicKey::parse(claims->issuer)) expectMessage(verifyJwtSignature(*jwt, *issuer), "signature");
    }
  }
  // The bytes as JSON claims directly (the JWT's base64 hides structure from the mutator).
  auto json = OrderedJson::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) {
    auto claims = claimsFromJson(json);
    expectMessage(claims, "claims error without a message");
    if (claims) checkClaims(*claims);
  }

  // The bytes as a module, and as the claims section of one.
  auto now = std::chrono::system_clock::now();
  std::vector<std::string> trusted;
  expectMessage(verifyModule(bytes, now, trusted), "module verification error without a message");
  expectMessage(computeModuleHash(bytes), "module hash error without a message");
  for (std::string_view section : {kClaimsSection, kLegacyClaimsSection}) {
    auto module = moduleWith(bytes, section);
    auto extracted = extractClaims(module);
    expectMessage(extracted, "extraction error without a message");
    if (extracted && !*extracted) fail("a claims section was not found");
    auto verified = verifyModule(module, now, trusted);
    expectMessage(verified, "verification error without a message");
    if (verified) checkClaims(*verified);
  }
  return 0;
}
