// The bearer-token flow and a registry serving a corrupt blob, against a scripted registry
// (pelato's own HTTP server): docker-registry cannot issue tokens without a token service.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <fmt/format.h>

#include "http/http_server.h"
#include "oci/digest.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "oci/registry_client.h"

namespace pelato::oci {
namespace {

std::span<const uint8_t> bytesOf(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

class FakeTokenRegistry {
 public:
  enum class Blob { Good, Corrupt, Oversized };
  explicit FakeTokenRegistry(Blob blob) : blob_(blob) {
    module_ = std::string("\0asm\1\0\0\0", 8) + std::string(100, 'm');
    auto layer = Descriptor{.mediaType = std::string(kWasmLayerMediaType), .digest = digestOf(bytesOf(module_)),
                            .size = module_.size()};
    auto config = Descriptor{.mediaType = "application/vnd.oci.empty.v1+json", .digest = digestOf(bytesOf("{}")), .size = 2};
    manifest_ = serializeManifest(makeWasmManifest(config, layer));
    layerDigest_ = layer.digest;
    auto server = http::HttpServer::start({}, [this](http::HttpRequest request, http::HttpResponder responder) {
      responder.respond(handle(request));
    });
    EXPECT_TRUE(server) << server.error().message();
    if (server) server_ = std::move(*server);
  }

  std::string host() const { return fmt::format("127.0.0.1:{}", server_->port()); }
  const std::string& module() const { return module_; }
  const std::string& layerDigest() const { return layerDigest_; }
  int tokensIssued() const { return tokens_; }
  std::string lastScope() const {
    std::lock_guard lock(mutex_);
    return lastScope_;
  }

 private:
  http::HttpResponse handle(const http::HttpRequest& request) {
    if (request.path == "/token") {
      // alice:wonderland
      if (request.headers.find("Authorization") != "Basic YWxpY2U6d29uZGVybGFuZA==")
        return {.status = 401, .contentType = "application/json",
                .body = R"({"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]})"};
      {
        std::lock_guard lock(mutex_);
        lastScope_ = request.query;
      }
      ++tokens_;
      return {.contentType = "application/json", .body = R"({"token":"secret-token","expires_in":300})"};
    }
    if (request.headers.find("Authorization") != "Bearer secret-token") {
      return {.status = 401, .contentType = "application/json",
              .body = R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
              .headers = {{"WWW-Authenticate",
                           fmt::format(R"(Bearer realm="http://{}/token",service="fake",scope="repository:app/x:pull")", host())}}};
    }
    if (request.path == "/v2/app/x/manifests/v1")
      return {.contentType = std::string(kManifestMediaType), .body = manifest_};
    if (request.path == "/v2/app/x/blobs/" + layerDigest_) {
      std::string body = module_;
      if (blob_ == Blob::Corrupt) body.back() ^= 1;           // same size, other content
      if (blob_ == Blob::Oversized) body += std::string(4 << 20, 'x');  // far more than announced
      return {.contentType = "application/octet-stream", .body = body};
    }
    return {.status = 404, .contentType = "application/json",
            .body = R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})"};
  }

  Blob blob_;
  std::string module_, manifest_, layerDigest_;
  std::atomic<int> tokens_{0};
  mutable std::mutex mutex_;
  std::string lastScope_;
  std::unique_ptr<http::HttpServer> server_;
};

TEST(BearerFlow, GetsATokenFromTheChallengeRealmAndReusesIt) {
  FakeTokenRegistry fake(FakeTokenRegistry::Blob::Good);
  auto client = RegistryClient::create({.credentials = {"alice", "wonderland"}});
  ASSERT_TRUE(client);
  auto ref = *parseImageRef(fake.host() + "/app/x:v1");
  auto pulled = client->pullWasm(ref);
  ASSERT_TRUE(pulled) << pulled.error().message();
  EXPECT_EQ(std::string(pulled->module.begin(), pulled->module.end()), fake.module());
  EXPECT_EQ(fake.tokensIssued(), 1);  // the manifest's token served the blob too
  EXPECT_EQ(fake.lastScope(), "service=fake&scope=repository%3Aapp%2Fx%3Apull");
}

TEST(BearerFlow, WrongPasswordAtTheTokenServerSaysSo) {
  FakeTokenRegistry fake(FakeTokenRegistry::Blob::Good);
  auto client = RegistryClient::create({.credentials = {"alice", "looking-glass"}});
  auto pulled = client->pullWasm(*parseImageRef(fake.host() + "/app/x:v1"));
  ASSERT_FALSE(pulled);
  EXPECT_NE(pulled.error().message().find("wrong username or password"), std::string::npos) << pulled.error().message();
  EXPECT_NE(pulled.error().message().find("UNAUTHORIZED: bad credentials"), std::string::npos) << pulled.error().message();
}

TEST(BearerFlow, ACorruptBlobIsADigestMismatch) {
  FakeTokenRegistry fake(FakeTokenRegistry::Blob::Corrupt);
  auto client = RegistryClient::create({.credentials = {"alice", "wonderland"}});
  auto pulled = client->pullWasm(*parseImageRef(fake.host() + "/app/x:v1"));
  ASSERT_FALSE(pulled);
  EXPECT_NE(pulled.error().message().find("digest mismatch for blob " + fake.layerDigest()), std::string::npos)
      << pulled.error().message();
}

TEST(BearerFlow, ABlobLargerThanItsDescriptorIsCutOff) {
  FakeTokenRegistry fake(FakeTokenRegistry::Blob::Oversized);
  auto client = RegistryClient::create({.credentials = {"alice", "wonderland"}});
  auto pulled = client->pullWasm(*parseImageRef(fake.host() + "/app/x:v1"));
  ASSERT_FALSE(pulled);
  EXPECT_NE(pulled.error().message().find("larger than the 109 bytes allowed"), std::string::npos)
      << pulled.error().message();
}

}  // namespace
}  // namespace pelato::oci
