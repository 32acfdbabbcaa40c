#include "security/wasm_sections.h"

#include <gtest/gtest.h>

namespace pelato::security {
namespace {

using Bytes = std::vector<uint8_t>;

const Bytes kHeader = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A type section (one `() -> ()` type) whose size is written padded to five bytes, as some
// linkers do, and a custom section.
const Bytes kPaddedTypeSection = {0x01, 0x84, 0x80, 0x80, 0x80, 0x00, 0x01, 0x60, 0x00, 0x00};
const Bytes kMinimalTypeSection = {0x01, 0x04, 0x01, 0x60, 0x00, 0x00};
const Bytes kJwtSection = {0x00, 0x06, 0x03, 'j', 'w', 't', 'x', 'y'};
const Bytes kNameSection = {0x00, 0x05, 0x04, 'n', 'a', 'm', 'e'};

TEST(WasmSections, ReadsSectionsAndCustomNames) {
  Bytes module = concat({kHeader, kPaddedTypeSection, kJwtSection, kNameSection});
  auto sections = readSections(module);
  ASSERT_TRUE(sections) << sections.error().message();
  ASSERT_EQ(sections->size(), 3u);
  EXPECT_EQ((*sections)[0].id, 1);
  EXPECT_EQ((*sections)[0].contentStart, 14u);
  EXPECT_EQ((*sections)[1].name, "jwt");
  EXPECT_EQ(module[(*sections)[1].payloadStart], 'x');
  EXPECT_EQ((*sections)[1].end - (*sections)[1].payloadStart, 2u);
  EXPECT_EQ((*sections)[2].name, "name");
}

TEST(WasmSections, StripRemovesNamedSectionsAndMinimisesSizes) {
  Bytes module = concat({kHeader, kPaddedTypeSection, kJwtSection, kNameSection});
  std::string_view names[] = {"jwt"};
  auto stripped = stripCustomSections(module, names);
  ASSERT_TRUE(stripped) << stripped.error().message();
  EXPECT_EQ(*stripped, concat({kHeader, kMinimalTypeSection, kNameSection}));
}

TEST(WasmSections, AppendsACustomSection) {
  Bytes module = concat({kHeader, kMinimalTypeSection});
  std::string payload(200, 'p');  // a size that needs two LEB128 bytes
  appendCustomSection(module, "wasmcloud_jwt", std::span(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()));
  auto sections = readSections(module);
  ASSERT_TRUE(sections) << sections.error().message();
  ASSERT_EQ(sections->size(), 2u);
  EXPECT_EQ((*sections)[1].name, "wasmcloud_jwt");
  EXPECT_EQ((*sections)[1].end, module.size());
  EXPECT_EQ((*sections)[1].end - (*sections)[1].payloadStart, 200u);
}

TEST(WasmSections, RefusesMalformedModules) {
  auto errorOf = [](const Bytes& m) {
    auto r = readSections(m);
    return r ? std::string("(no error)") : r.error().message();
  };
  EXPECT_NE(errorOf({1, 2, 3}).find("not a WebAssembly module"), std::string::npos);
  EXPECT_NE(errorOf({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}).find("component"), std::string::npos);
  EXPECT_NE(errorOf({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}).find("version"), std::string::npos);
  EXPECT_NE(errorOf(concat({kHeader, {0x01, 0x09, 0x00}})).find("truncated"), std::string::npos);
  EXPECT_NE(errorOf(concat({kHeader, {0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}})).find("longer than 5"),
            std::string::npos);
  EXPECT_NE(errorOf(concat({kHeader, {0x01, 0xff, 0xff, 0xff, 0xff, 0x7f}})).find("too large"), std::string::npos);
  EXPECT_NE(errorOf(concat({kHeader, {0x01}})).find("unexpected end"), std::string::npos);
  EXPECT_NE(errorOf(concat({kHeader, {0x00, 0x02, 0x05, 'a'}})).find("name runs past"), std::string::npos);
  EXPECT_NE(errorOf(concat({kHeader, {0x00, 0x02, 0x01, 0xff}})).find("not UTF-8"), std::string::npos);
  EXPECT_NE(errorOf(concat({kHeader, {0x00, 0x03, 0x02, 0xc0, 0x80}})).find("not UTF-8"), std::string::npos);
  EXPECT_TRUE(readSections(concat({kHeader, {0x00, 0x03, 0x02, 0xc3, 0xa9}})));  // "é"
  EXPECT_TRUE(readSections(kHeader));
}

}  // namespace
}  // namespace pelato::security
