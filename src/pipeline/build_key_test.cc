#include "pipeline/build_key.h"

#include <gtest/gtest.h>

namespace pelato::pipeline {
namespace {

BuildInputs inputs() {
  return {.command = {"clang-19", "-O2", "convert.c", "-o", "OUT"},
          .compilerIdentity = "Debian clang version 19.1.7",
          .signer = "ABCD",
          .pelatoVersion = "0.1.0",
          .files = {{"convert.c", "int x;"}, {"glue.h", "#include \"pelato.h\""}}};
}

TEST(BuildKey, SameInputsSameKeyWhateverTheFileOrder) {
  auto reordered = inputs();
  std::swap(reordered.files[0], reordered.files[1]);
  EXPECT_EQ(buildKey(inputs()), buildKey(reordered));
  EXPECT_EQ(buildKey(inputs()).size(), 64u);
}

TEST(BuildKey, AnyChangeChangesTheKey) {
  std::string base = buildKey(inputs());
  auto changed = [&](auto edit) {
    auto in = inputs();
    edit(in);
    return buildKey(in) != base;
  };
  EXPECT_TRUE(changed([](BuildInputs& in) { in.files[0].second = "int y;"; }));
  EXPECT_TRUE(changed([](BuildInputs& in) { in.files[0].first = "other.c"; }));
  EXPECT_TRUE(changed([](BuildInputs& in) { in.files.push_back({"extra.h", ""}); }));
  EXPECT_TRUE(changed([](BuildInputs& in) { in.command[1] = "-O0"; }));
  EXPECT_TRUE(changed([](BuildInputs& in) { in.compilerIdentity += "!"; }));
  EXPECT_TRUE(changed([](BuildInputs& in) { in.signer = "EFGH"; }));
  EXPECT_TRUE(changed([](BuildInputs& in) { in.pelatoVersion = "0.2.0"; }));
  // Field boundaries count: moving a character from one field to the next is a change.
  EXPECT_TRUE(changed([](BuildInputs& in) { in.files = {{"convert.cint x;", ""}, {"glue.h", "#include \"pelato.h\""}}; }));
}

}  // namespace
}  // namespace pelato::pipeline
