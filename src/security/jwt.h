// Compact JWS as wascap writes it: base64url(header) "." base64url(claims) "." base64url(sig),
// no padding, header {"typ":"jwt","alg":"Ed25519"}, an Ed25519 signature over the first two
// segments by the issuer's nkey.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "security/nkeys.h"

namespace pelato::security {

// Insertion-ordered, so tokens list their fields in wascap's order.
using OrderedJson = nlohmann::ordered_json;

// Signs `claims` (a JSON object) with `signer`.
std::string encodeJwt(const OrderedJson& claims, const KeyPair& signer);

struct DecodedJwt {
  OrderedJson claims;             // the payload, a JSON object
  std::string signingInput;       // "<header>.<claims>" as found, what the signature covers
  std::vector<uint8_t> signature;  // 64 bytes
};

// Strict structural parse: exactly three non-empty segments, canonical base64url, a header that
// is a JSON object with "typ": "jwt" and "alg": "Ed25519", a JSON object payload, a 64-byte
// signature. Does not check the signature (the key comes from the claims): see verifyJwt.
Result<DecodedJwt> decodeJwt(std::string_view token);

// Whether `jwt` was signed by `issuer`.
Result<void> verifyJwtSignature(const DecodedJwt& jwt, const PublicKey& issuer);

}  // namespace pelato::security
