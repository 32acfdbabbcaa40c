#include "security/base32.h"

#include <gtest/gtest.h>

namespace pelato::security {
namespace {

std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Base32, Rfc4648Vectors) {
  // RFC 4648 §10, without the padding.
  EXPECT_EQ(base32Encode(bytes("")), "");
  EXPECT_EQ(base32Encode(bytes("f")), "MY");
  EXPECT_EQ(base32Encode(bytes("fo")), "MZXQ");
  EXPECT_EQ(base32Encode(bytes("foo")), "MZXW6");
  EXPECT_EQ(base32Encode(bytes("foob")), "MZXW6YQ");
  EXPECT_EQ(base32Encode(bytes("fooba")), "MZXW6YTB");
  EXPECT_EQ(base32Encode(bytes("foobar")), "MZXW6YTBOI");
  EXPECT_EQ(*base32Decode("MZXW6YTBOI"), bytes("foobar"));
  EXPECT_EQ(*base32Decode("MZXW6YQ"), bytes("foob"));
}

TEST(Base32, RoundTripsEveryLength) {
  std::vector<uint8_t> data;
  for (int i = 0; i < 40; ++i) {
    auto decoded = base32Decode(base32Encode(data));
    ASSERT_TRUE(decoded) << decoded.error().message();
    EXPECT_EQ(*decoded, data);
    data.push_back(uint8_t(i * 37 + 11));
  }
}

TEST(Base32, RefusesWhatIsNotCanonical) {
  EXPECT_FALSE(base32Decode("MZXW6YTBOI======"));  // padding
  EXPECT_FALSE(base32Decode("mzxw6ytboi"));        // lower case
  EXPECT_FALSE(base32Decode("MZXW1"));             // '1' is not in the alphabet
  EXPECT_FALSE(base32Decode("MZX"));               // a length no byte string has
  EXPECT_FALSE(base32Decode("MZ"));                // "f" is MY: Z leaves non-zero trailing bits
  EXPECT_NE(base32Decode("MZ W6").error().message().find("position 2"), std::string::npos);
}

}  // namespace
}  // namespace pelato::security
