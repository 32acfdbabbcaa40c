#include "host/link_settings.h"

#include <gtest/gtest.h>

namespace pelato::host {
namespace {

TEST(LinkSettings, InlineEntriesTrimmedAndTargetWins) {
  lattice::Link link{.sourceId = "c", .target = "t", .witNamespace = "n", .witPackage = "p",
                     .sourceConfig = {" a = 1 ", "b=2", "named-config"}, .targetConfig = {"b=3", "c="}};
  auto settings = linkSettings(link);
  EXPECT_EQ(settings, (std::map<std::string, std::string>{{"a", "1"}, {"b", "3"}, {"c", ""}}));
}

TEST(LinkSettings, NamedConfigsMergeInOrder) {
  NamedConfigs configs{{"base", {{"subscriptions", "a"}, {"destination", "x"}}}, {"override", {{"destination", "y"}}}};
  lattice::Link link{.sourceId = "c", .target = "t", .witNamespace = "n", .witPackage = "p",
                     .sourceConfig = {"base", "delivery=at-least-once"}, .targetConfig = {"override", "missing"}};
  auto settings = linkSettings(link, configs);
  EXPECT_EQ(settings, (std::map<std::string, std::string>{
                          {"subscriptions", "a"}, {"destination", "y"}, {"delivery", "at-least-once"}}));
}

}  // namespace
}  // namespace pelato::host
