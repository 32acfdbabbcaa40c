#include "runtime/binary_sections.h"

#include <gtest/gtest.h>

namespace pelato::runtime {
namespace {

const std::vector<uint8_t> kHeader = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

TEST(BinarySections, ListsCustomSections) {
  auto m = kHeader;
  // custom section "jwt" with payload "abc"
  m.insert(m.end(), {0x00, 0x07, 0x03, 'j', 'w', 't', 'a', 'b', 'c'});
  auto sections = listSections(m);
  ASSERT_TRUE(sections) << sections.error().message();
  ASSERT_EQ(sections->size(), 1u);
  EXPECT_EQ((*sections)[0].name, "jwt");
  EXPECT_EQ((*sections)[0].size, 3u);
  EXPECT_EQ(m[(*sections)[0].offset], 'a');
}

TEST(BinarySections, RejectsBadMagicAndTruncation) {
  EXPECT_FALSE(listSections(std::vector<uint8_t>{1, 2, 3}));
  auto m = kHeader;
  m.insert(m.end(), {0x01, 0x10, 0x00});  // claims 16 bytes, has 1
  auto r = listSections(m);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("byte 0x8"), std::string::npos);
}

TEST(BinarySections, ParsesFunctionNames) {
  // subsection 1: 2 names: 0 -> "a", 3 -> "fib"
  std::vector<uint8_t> payload = {0x01, 0x08, 0x02, 0x00, 0x01, 'a', 0x03, 0x03, 'f', 'i', 'b'};
  auto names = parseFunctionNames(payload);
  EXPECT_EQ(names[0], "a");
  EXPECT_EQ(names[3], "fib");
}

}  // namespace
}  // namespace pelato::runtime
