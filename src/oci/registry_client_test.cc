// RegistryClient and the caching Registry against a real docker-registry (tests/support).
#include "oci/registry_client.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/file.h"
#include "oci/digest.h"
#include "oci/registry.h"
#include "support/registry.h"

namespace pelato::oci {
namespace {

namespace fs = std::filesystem;

// A valid module header followed by a custom section of `size` bytes of varied content.
std::vector<uint8_t> moduleOfSize(size_t size, uint8_t seed = 1) {
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00};
  size_t payload = size + 2;  // name length byte + 1-byte name
  do {
    uint8_t byte = payload & 0x7f;
    payload >>= 7;
    m.push_back(payload ? byte | 0x80 : byte);
  } while (payload);
  m.push_back(1);
  m.push_back('x');
  for (size_t i = 0; i < size; ++i) m.push_back(static_cast<uint8_t>(i * 31 + seed));
  return m;
}

std::unique_ptr<testing::Registry> startRegistry(testing::RegistryOptions options = {}) {
  auto registry = testing::Registry::start(options);
  if (!registry) {
    ADD_FAILURE() << registry.error().message();
    return nullptr;
  }
  return std::move(*registry);
}

class RegistryClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::Registry::findBinary()) GTEST_SKIP() << "docker-registry is not installed (Debian docker-registry)";
  }
  ImageRef ref(const testing::Registry& r, const std::string& path) { return *parseImageRef(r.host() + "/" + path); }
  RegistryClient client(RegistryOptions options = {}) { return std::move(*RegistryClient::create(std::move(options))); }
};

TEST_F(RegistryClientTest, ChunkedPushThenPullAndSkipOnRepush) {
  auto registry = startRegistry();
  ASSERT_TRUE(registry);
  auto module = moduleOfSize(20000);
  auto c = client({.chunkThreshold = 4096, .chunkSize = 4096});
  auto pushed = c.pushWasm(ref(*registry, "app/big:v1"),
                           {.module = module, .title = "big.wasm", .created = "2026-11-29T00:00:00Z"});
  ASSERT_TRUE(pushed) << pushed.error().message() << registry->log();
  EXPECT_EQ(pushed->blobsUploaded, 2);
  EXPECT_EQ(pushed->layer.digest, digestOf(module));

  auto pulled = client().pullWasm(ref(*registry, "app/big:v1"));
  ASSERT_TRUE(pulled) << pulled.error().message();
  EXPECT_EQ(pulled->module, module);
  EXPECT_EQ(pulled->manifest.digest, pushed->manifestDigest);
  ASSERT_TRUE(pulled->config);
  EXPECT_EQ(pulled->config->layerDigests, std::vector<std::string>{pushed->layer.digest});
  EXPECT_EQ(pulled->layer.annotations.at("org.opencontainers.image.title"), "big.wasm");

  // The same blobs under another tag: HEAD finds both, nothing is uploaded again.
  auto again = c.pushWasm(ref(*registry, "app/big:v2"), {.module = module, .created = "2026-11-29T00:00:00Z"});
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->blobsSkipped, 2);
  EXPECT_EQ(again->blobsUploaded, 0);
}

TEST_F(RegistryClientTest, MonolithicPushAndClearRefusals) {
  auto registry = startRegistry();
  ASSERT_TRUE(registry);
  auto module = moduleOfSize(3000);
  auto pushed = client().pushWasm(ref(*registry, "app/small:v1"), {.module = module});
  ASSERT_TRUE(pushed) << pushed.error().message();

  auto missing = client().pullWasm(ref(*registry, "app/small:nope"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("MANIFEST_UNKNOWN: manifest unknown"), std::string::npos)
      << missing.error().message();

  auto limited = client({.maxBlobBytes = 1000}).pullWasm(ref(*registry, "app/small:v1"));
  ASSERT_FALSE(limited);
  EXPECT_NE(limited.error().message().find("over the 1000 byte limit"), std::string::npos) << limited.error().message();

  std::vector<uint8_t> notWasm = {'h', 'e', 'l', 'l', 'o', '!', '!', '!'};
  auto refused = client().pushWasm(ref(*registry, "app/small:bad"), {.module = notWasm});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("not a WebAssembly binary"), std::string::npos);

  // A flipped byte in the registry's storage: same size, different digest.
  auto blob = registry->blobPath(pushed->layer.digest);
  auto bytes = readFile(blob);
  ASSERT_TRUE(bytes) << bytes.error().message();
  (*bytes)[bytes->size() - 1] ^= 0xff;
  ASSERT_TRUE(writeFileAtomic(blob, *bytes));
  auto tampered = client().pullWasm(ref(*registry, "app/small:v1"));
  ASSERT_FALSE(tampered);
  EXPECT_NE(tampered.error().message().find("digest mismatch for blob " + pushed->layer.digest), std::string::npos)
      << tampered.error().message();
}

TEST_F(RegistryClientTest, BasicAuth) {
  auto registry = startRegistry({.user = "pelato", .password = "s3cret"});
  ASSERT_TRUE(registry);
  auto module = moduleOfSize(100);
  auto anonymous = client().pushWasm(ref(*registry, "app/auth:v1"), {.module = module});
  ASSERT_FALSE(anonymous);
  EXPECT_NE(anonymous.error().message().find("requires a username and password"), std::string::npos)
      << anonymous.error().message();
  auto wrong = client({.credentials = {"pelato", "nope"}}).pushWasm(ref(*registry, "app/auth:v1"), {.module = module});
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message().find("wrong username or password"), std::string::npos) << wrong.error().message();
  auto right = client({.credentials = {"pelato", "s3cret"}}).pushWasm(ref(*registry, "app/auth:v1"), {.module = module});
  ASSERT_TRUE(right) << right.error().message();
  auto pulled = client({.credentials = {"pelato", "s3cret"}}).pullWasm(ref(*registry, "app/auth:v1"));
  ASSERT_TRUE(pulled) << pulled.error().message();
  EXPECT_EQ(pulled->module, module);
}

TEST_F(RegistryClientTest, PullToCacheReusesVerifiedBlobsAndWorksOfflineByDigest) {
  auto registry = startRegistry();
  ASSERT_TRUE(registry);
  auto cache = TempDir::create("pelato-oci-cache");
  ASSERT_TRUE(cache);
  auto module = moduleOfSize(5000);
  auto pushed = client().pushWasm(ref(*registry, "app/cached:v1"), {.module = module});
  ASSERT_TRUE(pushed) << pushed.error().message();

  auto reg = makeRegistry({}, cache->path());
  auto first = reg->pullToCache(ref(*registry, "app/cached:v1"), {});
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_FALSE(first->fromCache);
  EXPECT_EQ(first->manifestDigest, pushed->manifestDigest);
  EXPECT_EQ(*readFile(first->path), module);
  auto second = reg->pullToCache(ref(*registry, "app/cached:v1"), {});
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->fromCache);

  // A corrupted cache entry is not trusted: it is fetched again.
  ASSERT_TRUE(writeFileAtomic(first->path, std::vector<uint8_t>{1, 2, 3}));
  auto repaired = reg->pullToCache(ref(*registry, "app/cached:v1"), {});
  ASSERT_TRUE(repaired) << repaired.error().message();
  EXPECT_FALSE(repaired->fromCache);
  EXPECT_EQ(*readFile(repaired->path), module);

  // Pinned by digest and cached: no registry needed.
  registry->stop();
  auto pinned = reg->pullToCache(*parseImageRef(registry->host() + "/app/cached@" + pushed->manifestDigest), {});
  ASSERT_TRUE(pinned) << pinned.error().message();
  EXPECT_TRUE(pinned->fromCache);
  auto byTag = reg->pullToCache(ref(*registry, "app/cached:v1"), {});
  ASSERT_FALSE(byTag);
  EXPECT_NE(byTag.error().message().find("is the registry running"), std::string::npos) << byTag.error().message();
}

}  // namespace
}  // namespace pelato::oci
