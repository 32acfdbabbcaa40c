#include "common/file.h"

#include <gtest/gtest.h>

namespace pelato {
namespace {

TEST(File, AtomicWriteThenRead) {
  auto dir = TempDir::create();
  ASSERT_TRUE(dir);
  auto path = dir->path() / "x.bin";
  std::vector<uint8_t> data{1, 2, 3, 0, 255};
  ASSERT_TRUE(writeFileAtomic(path, data));
  auto back = readFile(path);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, data);
}

TEST(File, MissingFileSaysWhich) {
  auto r = readFile("/nonexistent/pelato.wasm");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("/nonexistent/pelato.wasm"), std::string::npos);
}

TEST(File, TempDirIsRemoved) {
  std::filesystem::path p;
  {
    auto dir = TempDir::create();
    ASSERT_TRUE(dir);
    p = dir->path();
    EXPECT_TRUE(std::filesystem::is_directory(p));
  }
  EXPECT_FALSE(std::filesystem::exists(p));
}

}  // namespace
}  // namespace pelato
