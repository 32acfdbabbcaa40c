#include "pipeline/suggest.h"

#include <gtest/gtest.h>

namespace pelato::pipeline {
namespace {

constexpr std::string_view kKeys[] = {"name", "type", "source_topic", "dest_topic", "version"};

TEST(Suggest, FindsCloseTypos) {
  EXPECT_EQ(closestMatch("sorce_topic", kKeys), "source_topic");
  EXPECT_EQ(closestMatch("verison", kKeys), "version");  // a swap is one edit
  EXPECT_EQ(closestMatch("Name", kKeys), "name");
  EXPECT_EQ(closestMatch("dest-topic", kKeys), "dest_topic");
  EXPECT_EQ(closestMatch("sour", kKeys), "source_topic");  // a shortened key
}

TEST(Suggest, TiesGoToTheLongerSharedStart) {
  constexpr std::string_view kEnv[] = {"NATS_HOST", "NATS_PORT"};
  EXPECT_EQ(closestMatch("NATS_POST", kEnv), "NATS_PORT");
  EXPECT_EQ(closestMatch("NATS_HOTS", kEnv), "NATS_HOST");
}

TEST(Suggest, IgnoresUnrelatedWords) {
  EXPECT_EQ(closestMatch("image", kKeys), std::nullopt);
  EXPECT_EQ(closestMatch("ty", kKeys), std::nullopt);  // two edits from "type" but half its length
  EXPECT_EQ(closestMatch("", kKeys), std::nullopt);
  EXPECT_EQ(closestMatch(std::string(1000, 'a'), kKeys), std::nullopt);
  EXPECT_EQ(didYouMean("zzz", kKeys), "");
  EXPECT_EQ(didYouMean("typ", kKeys), " (did you mean \"type\"?)");
}

}  // namespace
}  // namespace pelato::pipeline
