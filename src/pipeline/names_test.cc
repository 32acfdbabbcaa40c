#include "pipeline/names.h"

#include <gtest/gtest.h>

namespace pelato::pipeline {
namespace {

TEST(Names, ComponentNamesFollowOciWithoutDots) {
  for (auto ok : {"a", "temp_filter", "a__b", "a-b", "a---b", "x9", "9x"})
    EXPECT_TRUE(validComponentName(ok)) << ok;
  for (auto bad : {"", "A", "a.b", "_a", "a_", "a___b", "a_-b", "-a", "a-", "a b", "é"})
    EXPECT_FALSE(validComponentName(bad)) << bad;
  EXPECT_FALSE(validComponentName(std::string(129, 'a')));
  EXPECT_EQ(suggestComponentName("Temp Filter!"), "temp_filter");
  EXPECT_EQ(suggestComponentName("--"), "");
}

TEST(Names, Subjects) {
  EXPECT_TRUE(validSubject("a.b-c.d_e", false));
  EXPECT_FALSE(validSubject("a.*", false));
  EXPECT_TRUE(validSubject("a.*.c", true));
  EXPECT_TRUE(validSubject("a.>", true));
  EXPECT_FALSE(validSubject("a.>.c", true));
  EXPECT_FALSE(validSubject("a.b*", true));
  EXPECT_FALSE(validSubject(".a", false));
  EXPECT_FALSE(validSubject("a.", false));
  EXPECT_FALSE(validSubject("", false));
  EXPECT_TRUE(subjectMatches("a.*.c", "a.b.c"));
  EXPECT_FALSE(subjectMatches("a.*.c", "a.b.d"));
  EXPECT_TRUE(subjectMatches("a.>", "a.b.c"));
  EXPECT_FALSE(subjectMatches("a.>", "a"));
  EXPECT_FALSE(subjectMatches("a.b", "a.b.c"));
  EXPECT_TRUE(subjectMatches("in", "in"));
}

TEST(Names, TagsLabelsPathsText) {
  EXPECT_TRUE(validOciTag("1.0.0"));
  EXPECT_TRUE(validOciTag("_x"));
  EXPECT_FALSE(validOciTag(".1"));
  EXPECT_FALSE(validOciTag(std::string(129, 'a')));
  EXPECT_TRUE(validLabelValue("edge"));
  EXPECT_TRUE(validLabelValue("eu-west.1"));
  EXPECT_FALSE(validLabelValue("-edge"));
  EXPECT_FALSE(validLabelValue(std::string(64, 'a')));
  EXPECT_TRUE(validTaskPath("sub/convert.c"));
  EXPECT_TRUE(validTaskPath("c++.cc"));
  EXPECT_FALSE(validTaskPath("../x.c"));
  EXPECT_FALSE(validTaskPath("sub/"));
  EXPECT_TRUE(validText("Temperatura – analisi"));
  EXPECT_FALSE(validText("a\nb"));
  EXPECT_FALSE(validText("\xff"));
}

}  // namespace
}  // namespace pelato::pipeline
