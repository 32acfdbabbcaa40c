#include "oci/auth_challenge.h"

#include <gtest/gtest.h>

namespace pelato::oci {
namespace {

TEST(AuthChallenge, ParsesBearerParameters) {
  auto c = parseAuthChallenge(
      R"(Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push")");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->scheme, "bearer");
  EXPECT_EQ(c->param("realm"), "https://auth.example.com/token");
  EXPECT_EQ(c->param("service"), "registry.example.com");
  EXPECT_EQ(c->param("scope"), "repository:a/b:pull,push");
}

TEST(AuthChallenge, ParsesBasicAndRefusesJunk) {
  auto c = parseAuthChallenge(R"(Basic realm="pelato")");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->scheme, "basic");
  EXPECT_EQ(c->param("realm"), "pelato");
  EXPECT_FALSE(parseAuthChallenge(""));
  EXPECT_FALSE(parseAuthChallenge(R"(Bearer realm="unterminated)"));
}

TEST(AuthChallenge, TokensAndBasicHeaders) {
  EXPECT_EQ(*parseTokenResponse(R"({"token":"abc"})"), "abc");
  EXPECT_EQ(*parseTokenResponse(R"({"access_token":"xyz","expires_in":300})"), "xyz");
  EXPECT_FALSE(parseTokenResponse(R"({"token":""})"));
  EXPECT_FALSE(parseTokenResponse(R"({"token":"a\nb"})"));
  EXPECT_FALSE(parseTokenResponse("<html>"));
  EXPECT_EQ(basicAuthorization("user", "pass"), "Basic dXNlcjpwYXNz");
  EXPECT_EQ(basicAuthorization("a", "b"), "Basic YTpi");
  EXPECT_EQ(basicAuthorization("ab", "c"), "Basic YWI6Yw==");
  EXPECT_EQ(urlEncode("repository:a/b:pull,push"), "repository%3Aa%2Fb%3Apull%2Cpush");
}

}  // namespace
}  // namespace pelato::oci
