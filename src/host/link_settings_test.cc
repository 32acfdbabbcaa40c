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

}  // namespace
}  // namespace pelato::host
