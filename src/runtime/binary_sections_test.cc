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

TEST(BinarySections, RejectsCustomSectionNamesThatAreNotUtf8) {
  for (std::vector<uint8_t> name : {std::vector<uint8_t>{0x80}, {0xc0, 0x80}, {0xed, 0xa0, 0x80}, {0xf4, 0x90, 0x80, 0x80},
                                    {0xe2, 0x82}}) {
    auto m = kHeader;
    m.insert(m.end(), {0x00, static_cast<uint8_t>(name.size() + 1), static_cast<uint8_t>(name.size())});
    m.insert(m.end(), name.begin(), name.end());
    EXPECT_FALSE(listSections(m)) << "name byte 0x" << std::hex << int(name[0]);
  }
  auto ok = kHeader;
  ok.insert(ok.end(), {0x00, 0x04, 0x03, 0xe2, 0x82, 0xac});  // "€"
  EXPECT_TRUE(listSections(ok));
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
