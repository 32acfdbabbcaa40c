#include "security/seed_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/file.h"

namespace pelato::security {
namespace {

std::string errorOf(const auto& result) { return result ? std::string("(no error)") : result.error().message(); }

TEST(SeedFile, WritesOwnerOnlyAndReadsBack) {
  auto dir = TempDir::create("seed-test");
  ASSERT_TRUE(dir);
  auto path = dir->path() / "account.nk";
  KeyPair pair = KeyPair::generate(KeyType::Account);
  ASSERT_TRUE(writeSeedFile(path, pair));
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto read = readSeedFile(path, KeyType::Account);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(read->publicKey(), pair.publicKey());

  EXPECT_NE(errorOf(writeSeedFile(path, pair)).find("already exists"), std::string::npos);
  auto wrongType = readSeedFile(path, KeyType::Component);
  EXPECT_NE(errorOf(wrongType).find("holds a seed of type account (SA…), but type component (SM…) is needed"), std::string::npos)
      << errorOf(wrongType);
  EXPECT_NE(errorOf(readSeedFile(dir->path() / "missing.nk")).find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace pelato::security
