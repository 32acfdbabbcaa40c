#include "security/jwt.h"

#include <algorithm>

#include "security/base64url.h"

namespace pelato::security {

namespace {

constexpr std::string_view kType = "jwt";
constexpr std::string_view kAlgorithm = "Ed25519";
constexpr size_t kMaxTokenSize = 1 << 20;  // claims are small; refuse to parse megabytes of JSON

std::span<const uint8_t> asBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Result<OrderedJson> decodeJsonSegment(std::string_view segment, std::string_view what) {
  auto bytes = base64UrlDecode(segment);
  if (!bytes) return fail("the JWT {} is not valid: {}", what, bytes.error().message());
  auto json = OrderedJson::parse(bytes->begin(), bytes->end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return fail("the JWT {} is not valid JSON", what);
  if (!json.is_object()) return fail("the JWT {} is JSON but not an object", what);
  return json;
}

// A string member that must be there with exactly `want`.
Result<void> expectHeaderField(const OrderedJson& header, std::string_view key, std::string_view want) {
  auto it = header.find(key);
  if (it == header.end()) return fail("the JWT header has no \"{}\" (expected \"{}\")", key, want);
  // Only strings are echoed (and only their start): dumping an arbitrary value could recurse deeply.
  if (!it->is_string())
    return fail("the JWT header's \"{}\" is a {}, not the string \"{}\"", key, it->type_name(), want);
  const auto& value = it->get_ref<const std::string&>();
  if (value != want)
    return fail("the JWT header has \"{}\": \"{:.40}\", only \"{}\" is supported", key, value, want);
  return {};
}

}  // namespace

std::string encodeJwt(const OrderedJson& claims, const KeyPair& signer) {
  OrderedJson header = {{"typ", kType}, {"alg", kAlgorithm}};
  std::string input = base64UrlEncode(header.dump()) + "." +
                      base64UrlEncode(claims.dump(-1, ' ', false, OrderedJson::error_handler_t::replace));
  Signature signature = signer.sign(asBytes(input));
  return input + "." + base64UrlEncode(signature);
}

Result<DecodedJwt> decodeJwt(std::string_view token) {
  if (token.empty()) return fail("the JWT is empty");
  if (token.size() > kMaxTokenSize) return fail("the JWT is {} bytes, more than the {} allowed", token.size(), kMaxTokenSize);
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    size_t dots = size_t(std::count(token.begin(), token.end(), '.'));
    return fail("a JWT has three parts separated by '.', this has {}", dots + 1);
  }
  std::string_view headerText = token.substr(0, first);
  std::string_view claimsText = token.substr(first + 1, second - first - 1);
  std::string_view signatureText = token.substr(second + 1);
  if (headerText.empty() || claimsText.empty() || signatureText.empty())
    return fail("the JWT has an empty part (header, claims or signature)");

  auto header = decodeJsonSegment(headerText, "header");
  if (!header) return fail(std::move(header.error()));
  if (auto typ = expectHeaderField(*header, "typ", kType); !typ) return fail(std::move(typ.error()));
  if (auto alg = expectHeaderField(*header, "alg", kAlgorithm); !alg) return fail(std::move(alg.error()));

  auto claims = decodeJsonSegment(claimsText, "claims");
  if (!claims) return fail(std::move(claims.error()));

  auto signature = base64UrlDecode(signatureText);
  if (!signature) return fail("the JWT signature is not valid: {}", signature.error().message());
  if (signature->size() != sizeof(Signature))
    return fail("the JWT signature has {} bytes, an Ed25519 signature has {}", signature->size(), sizeof(Signature));

  return DecodedJwt{.claims = std::move(*claims),
                    .signingInput = std::string(token.substr(0, second)),
                    .signature = std::move(*signature)};
}

Result<void> verifyJwtSignature(const DecodedJwt& jwt, const PublicKey& issuer) {
  if (!issuer.verify(asBytes(jwt.signingInput), jwt.signature))
    return fail("the claims signature does not verify with issuer {} (signed by another key, or altered)",
                issuer.encode());
  return {};
}

}  // namespace pelato::security
