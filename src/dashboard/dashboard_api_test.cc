#include "dashboard/dashboard_api.h"

#include <gtest/gtest.h>

namespace pelato::dashboard {
namespace {

std::string errorOf(const auto& result) { return result ? "" : result.error().message(); }

TEST(DashboardApi, ParsesActions) {
  auto scale = parseScale(R"({"component_id": "upper", "image_ref": "file:///u.wasm", "host_id": "N1", "count": 3})");
  ASSERT_TRUE(scale) << scale.error().message();
  EXPECT_EQ(scale->componentId, "upper");
  EXPECT_EQ(scale->imageRef, "file:///u.wasm");
  EXPECT_EQ(scale->hostId, "N1");
  EXPECT_EQ(scale->count, 3u);
  auto noRef = parseScale(R"({"component_id": "upper", "host_id": "N1", "count": 0})");
  ASSERT_TRUE(noRef);
  EXPECT_EQ(noRef->imageRef, "");

  auto migrate = parseMigrate(R"({"component_id": "upper", "to_host": "N2"})");
  ASSERT_TRUE(migrate);
  EXPECT_EQ(migrate->toHost, "N2");
  EXPECT_EQ(migrate->fromHost, "");
  EXPECT_EQ(parseDeploy(R"({"manifest": "apiVersion: core.oam.dev/v1beta1"})")->manifest,
            "apiVersion: core.oam.dev/v1beta1");
  EXPECT_EQ(parseUndeploy(R"({"name": "temps"})")->name, "temps");
  EXPECT_EQ(parseHostAction(R"({"host_id": "N1"})")->hostId, "N1");
}

TEST(DashboardApi, RefusalsNameTheField) {
  EXPECT_NE(errorOf(parseScale("not json")).find("scale: the body is not JSON"), std::string::npos);
  EXPECT_EQ(errorOf(parseScale("[1]")), "scale: the body must be a JSON object");
  EXPECT_NE(errorOf(parseScale(R"({"host_id": "N1", "count": 1})")).find("component_id"), std::string::npos);
  EXPECT_NE(errorOf(parseScale(R"({"component_id": "c", "host_id": "N1", "count": -1})")).find("count"),
            std::string::npos);
  EXPECT_NE(errorOf(parseScale(R"({"component_id": "c", "host_id": "N1", "count": 5000})")).find("count"),
            std::string::npos);
  EXPECT_NE(errorOf(parseScale(R"({"component_id": "", "host_id": "N1", "count": 1})")).find("must not be empty"),
            std::string::npos);
  EXPECT_NE(errorOf(parseMigrate(R"({"component_id": "c"})")).find("to_host"), std::string::npos);
  EXPECT_NE(errorOf(parseDeploy(R"({"manifest": 3})")).find("manifest"), std::string::npos);
  EXPECT_NE(errorOf(parseHostAction("{}")).find("host_id"), std::string::npos);
}

TEST(DashboardApi, QueryParameters) {
  EXPECT_EQ(queryParameter("a=1&token=abc", "token"), "abc");
  EXPECT_EQ(queryParameter("token=a%2Fb+c", "token"), "a/b c");
  EXPECT_EQ(queryParameter("token", "token"), "");
  EXPECT_EQ(queryParameter("tokens=1", "token"), std::nullopt);
  EXPECT_EQ(queryParameter("", "token"), std::nullopt);
}

http::HttpRequest request(std::string query, std::optional<std::string> authorization = {}) {
  http::HttpRequest r{.method = "GET", .path = "/api/state", .query = std::move(query)};
  if (authorization) r.headers.add("authorization", *authorization);
  return r;
}

TEST(DashboardApi, TokenInTheHeaderOrTheQuery) {
  EXPECT_TRUE(hasToken(request("", "Bearer s3cret"), "s3cret"));
  EXPECT_TRUE(hasToken(request("token=s3cret"), "s3cret"));
  EXPECT_FALSE(hasToken(request(""), "s3cret"));
  EXPECT_FALSE(hasToken(request("", "Bearer s3cre"), "s3cret"));
  EXPECT_FALSE(hasToken(request("", "Basic s3cret"), "s3cret"));
  EXPECT_FALSE(hasToken(request("token=S3CRET"), "s3cret"));
  EXPECT_FALSE(hasToken(request("token="), "")) << "an empty token never matches";
}

TEST(DashboardApi, JsonAnswers) {
  auto error = jsonError(401, "missing token");
  EXPECT_EQ(error.status, 401u);
  EXPECT_EQ(error.contentType, "application/json");
  EXPECT_EQ(error.body, R"({"error":"missing token"})");
}

}  // namespace
}  // namespace pelato::dashboard
