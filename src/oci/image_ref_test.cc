#include "oci/image_ref.h"

#include <gtest/gtest.h>

namespace pelato::oci {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

TEST(ImageRef, ParsesHostPortRepositoryAndTag) {
  auto ref = parseImageRef("127.0.0.1:5000/app/upper:v1");
  ASSERT_TRUE(ref) << ref.error().message();
  EXPECT_EQ(ref->registry, "127.0.0.1:5000");
  EXPECT_EQ(ref->repository, "app/upper");
  EXPECT_EQ(ref->tag, "v1");
  EXPECT_FALSE(ref->digest);
  EXPECT_EQ(ref->reference(), "v1");
  EXPECT_EQ(ref->toString(), "127.0.0.1:5000/app/upper:v1");
  EXPECT_TRUE(ref->isLoopback());
}

TEST(ImageRef, DefaultsToLatest) {
  auto ref = parseImageRef("ghcr.io/org/mod");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->tag, "latest");
  EXPECT_FALSE(ref->isLoopback());
}

TEST(ImageRef, DigestPinsTheReference) {
  auto ref = parseImageRef("localhost:5000/a:v2@" + kDigest);
  ASSERT_TRUE(ref) << ref.error().message();
  EXPECT_EQ(ref->tag, "v2");
  EXPECT_EQ(ref->reference(), kDigest);
  auto bare = parseImageRef("localhost/a@" + kDigest);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->tag, "");
  EXPECT_EQ(bare->toString(), "localhost/a@" + kDigest);
  EXPECT_TRUE(bare->isLoopback());
  EXPECT_TRUE(parseImageRef("[::1]:5000/a/b:c")->isLoopback());
  EXPECT_TRUE(parseImageRef("127.1.2.3/a")->isLoopback());
  EXPECT_FALSE(parseImageRef("127.example.com/a")->isLoopback());
}

TEST(ImageRef, RefusesWithClearErrors) {
  auto expectError = [](std::string text, std::string fragment) {
    auto ref = parseImageRef(text);
    ASSERT_FALSE(ref) << text;
    EXPECT_NE(ref.error().message().find(fragment), std::string::npos) << ref.error().message();
  };
  expectError("", "empty image ref");
  expectError("upper:v1", "no registry host");
  expectError("app/upper:v1", "does not start with a registry host");
  expectError("https://ghcr.io/a/b", "URL scheme");
  expectError("ghcr.io/A/b", "repository component 'A'");
  expectError("ghcr.io/a//b", "repository component ''");
  expectError("ghcr.io/a:-bad", "tag '-bad'");
  expectError("ghcr.io:99999/a", "not a port number");
  expectError("ghcr.io/a@sha256:1234", "expected 64");
  expectError("ghcr.io/a@md5:" + std::string(32, 'a'), "not supported");
  expectError("ghcr.io/", "no repository");
  expectError("ghcr.io/a b", "whitespace");
}

}  // namespace
}  // namespace pelato::oci
