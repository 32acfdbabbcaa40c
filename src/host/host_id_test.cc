#include "host/host_id.h"

#include <gtest/gtest.h>

namespace pelato::host {
namespace {

TEST(HostId, HasTheNkeyShapeAndDiffers) {
  std::string a = newHostId(), b = newHostId();
  EXPECT_TRUE(looksLikeHostId(a)) << a;
  EXPECT_TRUE(looksLikeHostId(b)) << b;
  EXPECT_NE(a, b);
}

TEST(HostId, RejectsOtherShapes) {
  EXPECT_FALSE(looksLikeHostId(""));
  EXPECT_FALSE(looksLikeHostId("N123"));
  EXPECT_FALSE(looksLikeHostId(std::string(56, 'A')));
  EXPECT_FALSE(looksLikeHostId("N" + std::string(55, '1')));
}

}  // namespace
}  // namespace pelato::host
