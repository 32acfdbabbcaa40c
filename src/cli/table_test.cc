#include "cli/table.h"

#include <gtest/gtest.h>

namespace pelato::cli {
namespace {

TEST(Table, AlignsColumnsWithoutTrailingSpaces) {
  Table table({"ID", "NAME", "VERSION"});
  table.addRow({"N1", "edge-one", "0.1.0"});
  table.addRow({"N22", "x", ""});
  EXPECT_EQ(table.render(),
            "ID   NAME      VERSION\n"
            "N1   edge-one  0.1.0\n"
            "N22  x\n");
}

TEST(Table, CountsCharactersNotBytesAndFillsMissingCells) {
  Table table({"A", "B"});
  table.addRow({"zürich", "1"});
  table.addRow({"z"});
  table.addRow({"a", "b", "dropped"});
  EXPECT_EQ(table.render(),
            "A       B\n"
            "zürich  1\n"
            "z\n"
            "a       b\n");
  EXPECT_EQ(displayWidth("zürich"), 6u);
}

TEST(Table, HeaderOnlyWhenEmpty) {
  Table table({"ID", "NAME"});
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.render(), "ID  NAME\n");
}

}  // namespace
}  // namespace pelato::cli
