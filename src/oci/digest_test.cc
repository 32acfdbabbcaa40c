#include "oci/digest.h"

#include <gtest/gtest.h>

namespace pelato::oci {
namespace {

TEST(Digest, ComputesAndValidatesSha256Digests) {
  std::string_view abc = "abc";
  auto digest = digestOf({reinterpret_cast<const uint8_t*>(abc.data()), abc.size()});
  EXPECT_EQ(digest, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(validateDigest(digest));
  EXPECT_EQ(digestHex(digest), digest.substr(7));
  EXPECT_FALSE(validateDigest("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  EXPECT_NE(validateDigest("sha512:abc").error().message().find("not supported"), std::string::npos);
  EXPECT_NE(validateDigest("abc").error().message().find("not a digest"), std::string::npos);
}

}  // namespace
}  // namespace pelato::oci
