// Module::load on broken input: every malformed module is an error naming where and why, never a
// crash. Real modules are cut at many offsets and corrupted byte by byte.
#include "runtime/module.h"

#include <random>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/file.h"

namespace pelato::runtime {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::vector<uint8_t> kHeader = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

std::vector<uint8_t> guestBytes(std::string_view name) {
  auto bytes = readFile(std::string(PELATO_GUEST_DIR) + "/" + std::string(name) + ".wasm");
  if (!bytes) throw std::runtime_error(bytes.error().message());
  return std::move(*bytes);
}

std::vector<uint8_t> withHeader(std::initializer_list<uint8_t> rest) {
  auto m = kHeader;
  m.insert(m.end(), rest);
  return m;
}

TEST(ModuleLoad, LoadsARealModule) {
  auto m = Module::load(guestBytes("limits_traps"));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->digest().size(), 64u);
  ASSERT_NE(m->findExport("boom"), nullptr);
  EXPECT_EQ(m->findExport("boom")->kind, ExternKind::Func);
  EXPECT_EQ(m->findExport("nope"), nullptr);
  ASSERT_EQ(m->memories().size(), 1u);
  EXPECT_EQ(m->memories()[0].initialPages, 1u);
  EXPECT_FALSE(m->memories()[0].maxPages);
  EXPECT_TRUE(m->customSection("name"));  // wat2wasm --debug-names
  EXPECT_EQ(m->functionName(m->findExport("calls_boom")->index), "calls_boom");
  EXPECT_EQ(m->functionName(12345), "func[12345]");
}

TEST(ModuleLoad, EmptyInput) {
  auto m = Module::load({});
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), StartsWith("invalid module"));
}

TEST(ModuleLoad, BadMagic) {
  auto bytes = guestBytes("limits_traps");
  bytes[0] = 'E';
  bytes[1] = 'L';
  bytes[2] = 'F';
  auto m = Module::load(bytes);
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid module at byte offset 0x"));
  EXPECT_THAT(m.error().message(), HasSubstr("magic"));
}

TEST(ModuleLoad, BadVersion) {
  auto bytes = guestBytes("limits_traps");
  bytes[4] = 0x02;
  auto m = Module::load(bytes);
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid module at byte offset 0x"));
  EXPECT_THAT(m.error().message(), HasSubstr("bad wasm file version: 0x2"));

  // A component (layer 1) is not a core module.
  auto component = withHeader({});
  component[4] = 0x0d;
  component[6] = 0x01;
  EXPECT_FALSE(Module::load(component));
}

TEST(ModuleLoad, TextFormatIsNotABinaryModule) {
  std::string wat = "(module (func (export \"f\")))";
  auto m = Module::load(std::vector<uint8_t>(wat.begin(), wat.end()));
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("magic"));
}

TEST(ModuleLoad, OversizedSectionLength) {
  // A type section that claims 0xffffffff bytes.
  auto m = Module::load(withHeader({0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00}));
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid module at byte offset 0x"));
  EXPECT_THAT(m.error().message(), HasSubstr("section"));

  // A custom section that claims more than is there.
  m = Module::load(withHeader({0x00, 0x40, 0x01, 'x'}));
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid module"));

  // A section length that is not a valid LEB128 u32 (too many bytes).
  m = Module::load(withHeader({0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}));
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid module"));
}

TEST(ModuleLoad, OversizedCountsInsideSections) {
  // A type section of 5 bytes that claims 2^32-1 types.
  auto m = Module::load(withHeader({0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f}));
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid module"));
  // A custom section whose name length runs past the section. libwabt tolerates malformed
  // custom sections; Module::load used to then read the section table without checking it.
  m = Module::load(withHeader({0x00, 0x02, 0x7f, 'n'}));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message(), "invalid module: custom section at byte 0x8 has a malformed name");
  m = Module::load(withHeader({0x00, 0x00}));  // no room for a name at all
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid module"));
}

TEST(ModuleLoad, SectionsOutOfOrder) {
  // A function section (3) before the type section (1).
  auto m = Module::load(withHeader({0x03, 0x01, 0x00, 0x01, 0x01, 0x00}));
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid module"));
}

TEST(ModuleLoad, UnknownSectionId) {
  auto m = Module::load(withHeader({0x7e, 0x00}));
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("invalid section code: 126"));
}

TEST(ModuleLoad, HeaderOnlyIsAnEmptyModule) {
  auto m = Module::load(kHeader);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_TRUE(m->exports().empty());
  EXPECT_TRUE(m->imports().empty());
}

// Truncated modules: every prefix either fails with a message or, when the cut falls on a
// section boundary, is a smaller module that is still valid.
// Cuts at every one of the first 64 bytes, at every section boundary and next to it, and at about
// `cuts` offsets spread over the rest.
void checkTruncations(const std::vector<uint8_t>& full, size_t cuts) {
  std::set<size_t> boundaries = {kHeader.size()};
  {
    auto m = Module::load(full);
    ASSERT_TRUE(m) << m.error().message();
  }
  // Section boundaries, read by hand: id, LEB128 size, payload.
  for (size_t pos = kHeader.size(); pos < full.size();) {
    size_t p = pos + 1, size = 0;
    for (int shift = 0;; shift += 7) {
      uint8_t b = full[p++];
      size |= size_t(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    pos = p + size;
    boundaries.insert(pos);
  }
  std::set<size_t> offsets;
  for (size_t cut = 0; cut < std::min<size_t>(64, full.size()); ++cut) offsets.insert(cut);
  for (size_t b : boundaries)
    for (size_t cut : {b - 1, b, b + 1})
      if (cut < full.size()) offsets.insert(cut);
  size_t stride = std::max<size_t>(1, full.size() / cuts);
  for (size_t cut = 0; cut < full.size(); cut += stride) offsets.insert(cut);
  offsets.insert(full.size() - 1);

  size_t failures = 0;
  for (size_t cut : offsets) {
    std::vector<uint8_t> prefix(full.begin(), full.begin() + static_cast<ptrdiff_t>(cut));
    auto m = Module::load(std::move(prefix));
    if (m) {
      EXPECT_TRUE(boundaries.contains(cut)) << "a module cut at byte " << cut << " of " << full.size() << " loaded";
      continue;
    }
    ++failures;
    EXPECT_THAT(m.error().message(), StartsWith("invalid module")) << "cut at " << cut;
    EXPECT_GT(m.error().message().size(), std::string_view("invalid module").size()) << "cut at " << cut;
  }
  EXPECT_GT(failures, 0u);
}

TEST(ModuleLoad, TruncatedWatModule) { checkTruncations(guestBytes("limits_traps"), 100000); }

TEST(ModuleLoad, TruncatedCModule) {
  auto bytes = guestBytes("limits_malloc_bomb");
  ASSERT_GT(bytes.size(), 1000u);
  checkTruncations(bytes, 300);
}

TEST(ModuleLoad, TruncatedTaskModule) { checkTruncations(guestBytes("limits_task"), 300); }

TEST(ModuleLoad, GarbageBytes) {
  std::mt19937 rng(20261129);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bytes(rng() % 256);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    auto m = Module::load(bytes);
    ASSERT_FALSE(m) << "garbage #" << i << " loaded";
    EXPECT_THAT(m.error().message(), StartsWith("invalid module"));
  }
}

TEST(ModuleLoad, GarbageAfterAValidHeader) {
  std::mt19937 rng(7);
  int loaded = 0;
  for (int i = 0; i < 2000; ++i) {
    auto bytes = kHeader;
    size_t n = rng() % 64;
    for (size_t j = 0; j < n; ++j) bytes.push_back(static_cast<uint8_t>(rng()));
    auto m = Module::load(bytes);
    if (m) {
      ++loaded;
      continue;
    }
    EXPECT_THAT(m.error().message(), StartsWith("invalid module"));
  }
  EXPECT_LT(loaded, 2000);
}

TEST(ModuleLoad, FlippedBytesInARealModule) {
  // Every byte of a real module flipped in turn: loading must end in a module or an error.
  auto full = guestBytes("limits_traps");
  for (size_t i = 0; i < full.size(); ++i) {
    for (uint8_t mask : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xff)}) {
      auto bytes = full;
      bytes[i] ^= mask;
      auto m = Module::load(bytes);
      if (!m) EXPECT_THAT(m.error().message(), StartsWith("invalid module")) << "byte " << i;
      else (void)m->functionName(0);
    }
  }
}

TEST(ModuleLoad, MalformedNameSectionIsIgnored) {
  // A valid module whose "name" custom section is garbage: names fall back to func[N].
  auto m = Module::load(withHeader({
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,        // type section: () -> ()
      0x03, 0x02, 0x01, 0x00,                    // function section: 1 func of type 0
      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,        // code section: empty body
      0x00, 0x08, 0x04, 'n', 'a', 'm', 'e',      // custom "name" ...
      0x01, 0x7f, 0x01,                          // ... subsection 1 claiming 127 bytes
  }));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->functionName(0), "func[0]");
}

TEST(ModuleLoad, MissingFileNamesThePath) {
  auto m = Module::loadFile("/nonexistent/dir/x.wasm");
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("/nonexistent/dir/x.wasm"));
}

TEST(ModuleLoad, LoadFileNamesThePathOfAnInvalidModule) {
  auto m = Module::loadFile(std::string(PELATO_SOURCE_DIR) + "/tests/limits/traps.wat");
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("traps.wat: invalid module"));
}

}  // namespace
}  // namespace pelato::runtime
