#include "pipeline/compiler_output.h"

#include <gtest/gtest.h>

namespace pelato::pipeline {
namespace {

TEST(CompilerOutput, ClangRustcAndAscPositionsPointAtTheUsersFile) {
  EXPECT_EQ(mapCompilerOutput("convert.c:3:5: error: use of undeclared identifier 'x'\n", "/p/gen/c1", "convert.c",
                              "proj/tasks/convert.c"),
            "proj/tasks/convert.c:3:5: error: use of undeclared identifier 'x'\n");
  EXPECT_EQ(mapCompilerOutput("error[E0425]: cannot find value\n --> convert.rs:2:5\n", "/p/gen/c1", "convert.rs",
                              "tasks/convert.rs"),
            "error[E0425]: cannot find value\n --> tasks/convert.rs:2:5\n");
  EXPECT_EQ(mapCompilerOutput("ERROR TS2304: Cannot find name 'x'.\n   in convert.ts(4,3)\n", "/p/gen/c1", "convert.ts",
                              "tasks/convert.ts"),
            "ERROR TS2304: Cannot find name 'x'.\n   in tasks/convert.ts(4,3)\n");
  EXPECT_EQ(mapCompilerOutput("/p/gen/c1/convert.c:1:1: warning\n", "/p/gen/c1", "convert.c", "tasks/convert.c"),
            "tasks/convert.c:1:1: warning\n");
}

TEST(CompilerOutput, OtherMentionsStayAsTheyAre) {
  // Not a position (no ':' or '(' after it), or part of a longer name.
  std::string text = "In file included from myconvert.c:1:\nnote: see convert.c for details\n";
  EXPECT_EQ(mapCompilerOutput(text, "/p/gen/c1", "convert.c", "tasks/convert.c"), text);
}

}  // namespace
}  // namespace pelato::pipeline
