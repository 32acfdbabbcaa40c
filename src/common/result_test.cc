#include "common/result.h"

#include <gtest/gtest.h>

namespace pelato {
namespace {

Result<int> parsePositive(int v) {
  if (v <= 0) return fail("value {} is not positive; pass a number above 0", v);
  return v;
}

TEST(Result, CarriesValueOrError) {
  EXPECT_EQ(*parsePositive(3), 3);
  auto bad = parsePositive(-2);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "value -2 is not positive; pass a number above 0");
}

TEST(Result, ContextPrefixesMessage) {
  Error e = Error("bad magic").context("loading a.wasm");
  EXPECT_EQ(e.message(), "loading a.wasm: bad magic");
}

}  // namespace
}  // namespace pelato
