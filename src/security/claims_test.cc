#include "security/claims.h"

#include <gtest/gtest.h>

namespace pelato::security {
namespace {

std::string errorOf(const auto& result) { return result ? std::string("(no error)") : result.error().message(); }

ComponentClaims sample() {
  return {.id = "abc",
          .issuedAt = 1700000000,
          .issuer = "AISSUER",
          .subject = "MSUBJECT",
          .expires = 1800000000,
          .wascapRevision = 3,
          .name = "upper",
          .moduleHash = "00FF",
          .tags = std::vector<std::string>{"edge"},
          .revision = 2,
          .version = "1.0.0",
          .pelatoCaps = {"kv"}};
}

TEST(Claims, JsonInWascapOrder) {
  EXPECT_EQ(claimsToJson(sample()).dump(),
            R"({"exp":1800000000,"jti":"abc","iat":1700000000,"iss":"AISSUER","sub":"MSUBJECT",)"
            R"("wascap":{"name":"upper","hash":"00FF","tags":["edge"],"rev":2,"ver":"1.0.0","prov":false,)"
            R"("pelato_caps":["kv"]},"wascap_revision":3})");
}

TEST(Claims, RoundTrip) {
  auto parsed = claimsFromJson(claimsToJson(sample()));
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, sample());

  ComponentClaims minimal{.id = "j", .issuer = "A", .subject = "M", .moduleHash = "H"};
  auto again = claimsFromJson(claimsToJson(minimal));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(*again, minimal);
}

TEST(Claims, NullIsAbsentAndUnknownFieldsAreIgnored) {
  auto json = OrderedJson::parse(
      R"({"jti":"j","iat":0,"iss":"A","sub":"M","exp":null,"future":1,"wascap":{"hash":"H","caps":null,"x":[]}})");
  auto parsed = claimsFromJson(json);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_FALSE(parsed->expires);
  EXPECT_FALSE(parsed->caps);
}

TEST(Claims, TypeErrorsNameTheField) {
  auto withChange = [](std::string_view pointer, OrderedJson value) {
    OrderedJson json = claimsToJson(sample());
    json[OrderedJson::json_pointer(std::string(pointer))] = std::move(value);
    return errorOf(claimsFromJson(json));
  };
  EXPECT_NE(withChange("/iat", -1).find("\"iat\" must be a whole number"), std::string::npos);
  EXPECT_NE(withChange("/exp", 1.5).find("\"exp\""), std::string::npos);
  EXPECT_NE(withChange("/nbf", "soon").find("\"nbf\""), std::string::npos);
  EXPECT_NE(withChange("/iss", 7).find("\"iss\" must be a string"), std::string::npos);
  EXPECT_NE(withChange("/wascap/hash", false).find("\"wascap.hash\""), std::string::npos);
  EXPECT_NE(withChange("/wascap/tags", OrderedJson::array({1})).find("\"wascap.tags\""), std::string::npos);
  EXPECT_NE(withChange("/wascap/rev", 1LL << 40).find("\"wascap.rev\""), std::string::npos);
  EXPECT_NE(withChange("/wascap/prov", "no").find("\"wascap.prov\""), std::string::npos);
  EXPECT_NE(withChange("/wascap/pelato_caps", "kv").find("\"wascap.pelato_caps\""), std::string::npos);
  EXPECT_NE(withChange("/wascap", 1).find("\"wascap\" must be an object"), std::string::npos);
  EXPECT_NE(withChange("/wascap_revision", 1LL << 33).find("out of range"), std::string::npos);

  OrderedJson json = claimsToJson(sample());
  json.erase("sub");
  EXPECT_NE(errorOf(claimsFromJson(json)).find("no \"sub\""), std::string::npos);
  json = claimsToJson(sample());
  json.erase("wascap");
  EXPECT_NE(errorOf(claimsFromJson(json)).find("not component claims"), std::string::npos);
  EXPECT_NE(errorOf(claimsFromJson(OrderedJson::array())).find("object"), std::string::npos);
}

TEST(Claims, NegativeRevisionIsAnInt32) {
  OrderedJson json = claimsToJson(sample());
  json["wascap"]["rev"] = -4;
  auto parsed = claimsFromJson(json);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->revision, -4);
}

TEST(Claims, TokenIds) {
  std::string a = newTokenId(), b = newTokenId();
  EXPECT_EQ(a.size(), 22u);
  EXPECT_NE(a, b);
  for (char c : a) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
}

}  // namespace
}  // namespace pelato::security
