#include "security/jwt.h"

#include <gtest/gtest.h>

#include "security/base64url.h"

namespace pelato::security {
namespace {

std::string errorOf(const auto& result) { return result ? std::string("(no error)") : result.error().message(); }

std::string segment(std::string_view json) { return base64UrlEncode(json); }

TEST(Jwt, RoundTripAndVerify) {
  KeyPair account = KeyPair::generate(KeyType::Account);
  OrderedJson claims = {{"jti", "x"}, {"iat", 1}, {"iss", account.publicKey().encode()}};
  std::string token = encodeJwt(claims, account);
  EXPECT_EQ(token.substr(0, token.find('.')), segment(R"({"typ":"jwt","alg":"Ed25519"})"));

  auto decoded = decodeJwt(token);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded->claims, claims);
  EXPECT_EQ(decoded->claims.dump(), R"({"jti":"x","iat":1,"iss":")" + account.publicKey().encode() + "\"}");
  EXPECT_TRUE(verifyJwtSignature(*decoded, account.publicKey()));

  auto other = verifyJwtSignature(*decoded, KeyPair::generate(KeyType::Account).publicKey());
  EXPECT_NE(errorOf(other).find("does not verify"), std::string::npos);
}

TEST(Jwt, AlteredClaimsFailTheSignature) {
  KeyPair account = KeyPair::generate(KeyType::Account);
  std::string token = encodeJwt({{"a", 1}}, account);
  size_t first = token.find('.'), second = token.rfind('.');
  std::string forged = token.substr(0, first + 1) + segment(R"({"a":2})") + token.substr(second);
  auto decoded = decodeJwt(forged);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_FALSE(verifyJwtSignature(*decoded, account.publicKey()));
}

TEST(Jwt, StrictStructure) {
  std::string header = segment(R"({"typ":"jwt","alg":"Ed25519"})");
  std::string body = segment(R"({"a":1})");
  std::string sig = base64UrlEncode(std::vector<uint8_t>(64, 7));

  EXPECT_NE(errorOf(decodeJwt("")).find("empty"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt("abc")).find("three parts"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(header + "." + body)).find("three parts"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(header + "." + body + "." + sig + ".x")).find("this has 4"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(header + ".." + sig)).find("empty part"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt("!!." + body + "." + sig)).find("header is not valid"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(header + "=." + body + "." + sig)).find("header is not valid"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(segment("{") + "." + body + "." + sig)).find("not valid JSON"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(segment("[1]") + "." + body + "." + sig)).find("not an object"), std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(segment(R"({"typ":"jwt","alg":"none"})") + "." + body + "." + sig))
                .find(R"("alg": "none", only "Ed25519")"),
            std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(segment(R"({"alg":"Ed25519"})") + "." + body + "." + sig)).find(R"(no "typ")"),
            std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(header + "." + segment("7") + "." + sig)).find("claims is JSON but not an object"),
            std::string::npos);
  EXPECT_NE(errorOf(decodeJwt(header + "." + body + "." + base64UrlEncode(std::vector<uint8_t>(63, 1))))
                .find("63 bytes"),
            std::string::npos);
  EXPECT_TRUE(decodeJwt(header + "." + body + "." + sig));
}

TEST(Jwt, Base64UrlIsStrict) {
  EXPECT_EQ(base64UrlEncode(std::string_view("\xfb\xff")), "-_8");
  EXPECT_EQ(*base64UrlDecode("-_8"), (std::vector<uint8_t>{0xfb, 0xff}));
  EXPECT_FALSE(base64UrlDecode("+/8"));   // standard alphabet
  EXPECT_FALSE(base64UrlDecode("-_8="));  // padding
  EXPECT_FALSE(base64UrlDecode("-_9"));   // non-zero trailing bits
  EXPECT_FALSE(base64UrlDecode("A"));     // no whole byte
}

}  // namespace
}  // namespace pelato::security
