#include "pipeline/toolchain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "common/file.h"

namespace pelato::pipeline {
namespace {

using testing::HasSubstr;

ToolSearch withPath(std::string path) { return {.environment = {{"PATH", std::move(path)}}}; }

TEST(Toolchain, MissingCompilersSayWhatToInstall) {
  auto go = findToolchain(Language::Go, withPath("/nonexistent"));
  ASSERT_FALSE(go);
  EXPECT_THAT(go.error().message(), HasSubstr("Go tasks need TinyGo"));
  EXPECT_THAT(go.error().message(), HasSubstr("write the task in c, cpp, rust or as"));
  auto c = findToolchain(Language::C, withPath("/nonexistent"));
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message(), HasSubstr("clang-19 not found on PATH: install Debian's clang-19"));
  auto as = findToolchain(Language::AssemblyScript, withPath("/nonexistent"));
  ASSERT_FALSE(as);
  EXPECT_THAT(as.error().message(), HasSubstr("npm install assemblyscript"));
  auto bad = findToolchain(Language::C, {.environment = {{"PELATO_CC", "/nonexistent/cc"}}});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message(), HasSubstr("PELATO_CC=/nonexistent/cc is not an executable file"));
}

TEST(Toolchain, TheMachinesCompilersAreFoundWithTheirIdentity) {
  ToolSearch search = withPath(std::getenv("PATH"));
  search.nodeRoots = {PELATO_SOURCE_DIR};
  auto c = findToolchain(Language::C, search);
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->compiler.filename(), "clang-19");
  EXPECT_THAT(c->identity, HasSubstr("clang version 19"));
  auto rust = findToolchain(Language::Rust, search);
  ASSERT_TRUE(rust) << rust.error().message();  // Debian's, even when a rustup rustc comes first on PATH
  auto as = findToolchain(Language::AssemblyScript, search);
  ASSERT_TRUE(as) << as.error().message();
  EXPECT_EQ(as->compiler, std::filesystem::path(PELATO_SOURCE_DIR) / "node_modules" / ".bin" / "asc");
}

TEST(Toolchain, AscIsFoundInAParentsNodeModules) {
  auto tmp = TempDir::create("asc");
  ASSERT_TRUE(tmp);
  auto bin = tmp->path() / "node_modules" / ".bin";
  std::filesystem::create_directories(bin);
  std::filesystem::create_directories(tmp->path() / "a" / "b");
  std::ofstream(bin / "asc") << "#!/bin/sh\necho Version 9.9.9\n";
  std::filesystem::permissions(bin / "asc", std::filesystem::perms::owner_all);
  auto as = findToolchain(Language::AssemblyScript,
                          {.environment = {{"PATH", "/nonexistent"}}, .nodeRoots = {tmp->path() / "a" / "b"}});
  ASSERT_TRUE(as) << as.error().message();
  EXPECT_EQ(as->compiler, bin / "asc");
  EXPECT_EQ(as->identity, "Version 9.9.9");
}

}  // namespace
}  // namespace pelato::pipeline
