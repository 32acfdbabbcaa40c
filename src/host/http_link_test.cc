#include "host/http_link.h"

#include <gtest/gtest.h>

namespace pelato::host {
namespace {

lattice::Link httpLink(std::vector<std::string> config) {
  return {.sourceId = "ingest", .target = "http-server", .witNamespace = "wasi", .witPackage = "http",
          .interfaces = {"incoming-handler"}, .sourceConfig = std::move(config)};
}

TEST(HttpLink, ReadsPathModeAndDestination) {
  auto async = httpBinding(httpLink({"path=/readings", "destination=readings.in"}));
  ASSERT_TRUE(async) << async.error().message();
  EXPECT_EQ(*async, (HttpBinding{"ingest", "/readings", HttpMode::Async, "readings.in"}));
  auto sync = httpBinding(httpLink({"path=/f", "mode=sync"}));
  ASSERT_TRUE(sync) << sync.error().message();
  EXPECT_EQ(sync->mode, HttpMode::Sync);
  EXPECT_EQ(sync->destination, "");
}

TEST(HttpLink, RefusesBadSettings) {
  EXPECT_FALSE(httpBinding(httpLink({})));
  EXPECT_FALSE(httpBinding(httpLink({"path=relative"})));
  EXPECT_FALSE(httpBinding(httpLink({"path=/a?b=c"})));
  EXPECT_FALSE(httpBinding(httpLink({"path=/a", "mode=later"})));
  EXPECT_FALSE(httpBinding(httpLink({"path=/a", "destination=out.>"})));
  lattice::Link other = httpLink({"path=/a"});
  other.witPackage = "messaging";
  EXPECT_FALSE(isHttpLink(other));
}

}  // namespace
}  // namespace pelato::host
