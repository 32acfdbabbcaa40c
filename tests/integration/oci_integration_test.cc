// OCI registries end to end: the real `pelato` binary pushes a real guest to a real
// docker-registry (with and without htpasswd auth); skopeo, an independent client, reads and
// copies it; pelato pulls what skopeo copied, byte for byte. Refusals are checked by what a
// person sees on stderr.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/file.h"
#include "common/sha256.h"
#include "common/subprocess.h"
#include "support/registry.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string sha256Digest(std::string_view text) {
  return "sha256:" + sha256Hex({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

class OciIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::Registry::findBinary()) GTEST_SKIP() << "docker-registry is not installed (Debian docker-registry)";
    if (!fs::exists("/usr/bin/skopeo")) GTEST_SKIP() << "skopeo is not installed (Debian skopeo)";
    auto dir = TempDir::create("pelato-oci-it");
    ASSERT_TRUE(dir) << dir.error().message();
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    auto module = readFile(guest());
    ASSERT_TRUE(module) << module.error().message();
    module_ = std::move(*module);
  }

  void start(testing::RegistryOptions options = {}) {
    auto registry = testing::Registry::start(options);
    ASSERT_TRUE(registry) << registry.error().message();
    registry_ = std::move(*registry);
  }

  std::string guest() const { return std::string(PELATO_GUEST_DIR) + "/upper_task.wasm"; }
  std::string ref(const std::string& path) const { return registry_->host() + "/" + path; }
  fs::path path(const std::string& name) const { return dir_->path() / name; }

  // `pelato ARGS...` with a private OCI cache and only the REGISTRY_* variables given.
  ProcessResult pelato(std::vector<std::string> args, std::vector<std::string> env = {}) {
    std::vector<std::string> argv{"/usr/bin/env", "-u", "REGISTRY_USER", "-u", "REGISTRY_PASSWORD",
                                  "PELATO_CACHE_DIR=" + path("cache").string()};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(PELATO_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
  }

  ProcessResult skopeo(std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/skopeo");
    return run(args);
  }

  ProcessResult run(const std::vector<std::string>& argv) {
    auto result = runProcess(argv, {.timeout = 60s});
    EXPECT_TRUE(result) << result.error().message();
    return result ? *result : ProcessResult{.exitCode = -1};
  }

  // Pushes the guest and returns the manifest digest pelato printed.
  std::string push(const std::string& target, std::vector<std::string> extra = {}, std::vector<std::string> env = {}) {
    std::vector<std::string> args{"push", target, guest()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto pushed = pelato(args, env);
    EXPECT_EQ(pushed.exitCode, 0) << pushed.err << registry_->log();
    auto digest = firstLine(pushed.out);
    EXPECT_TRUE(digest.starts_with("sha256:") && digest.size() == 71) << pushed.out;
    return digest;
  }

  void expectPullIdentical(const std::string& source, std::vector<std::string> extra = {}) {
    auto out = path("pulled.wasm");
    std::vector<std::string> args{"pull", source, "-o", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto pulled = pelato(args);
    ASSERT_EQ(pulled.exitCode, 0) << pulled.err;
    auto bytes = readFile(out);
    ASSERT_TRUE(bytes) << bytes.error().message();
    EXPECT_EQ(*bytes, module_) << "pulled module differs from " << guest();
    fs::remove(out);
  }

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<testing::Registry> registry_;
  std::vector<uint8_t> module_;
};

TEST_F(OciIntegration, PushedArtifactIsReadAndCopiedBySkopeoAndPulledBack) {
  start();
  auto digest = push(ref("app/upper:v1"));

  // skopeo sees exactly the manifest pelato pushed (--raw: skopeo's summary refuses non-image
  // artifacts, "unsupported image-specific operation on artifact").
  auto raw = skopeo({"inspect", "--raw", "--tls-verify=false", "docker://" + ref("app/upper:v1")});
  ASSERT_EQ(raw.exitCode, 0) << raw.err;
  EXPECT_EQ(sha256Digest(raw.out), digest);
  EXPECT_NE(raw.out.find("application/vnd.wasm.content.layer.v1+wasm"), std::string::npos) << raw.out;
  EXPECT_NE(raw.out.find("application/vnd.wasm.config.v0+json"), std::string::npos) << raw.out;
  EXPECT_NE(raw.out.find(sha256Digest({reinterpret_cast<const char*>(module_.data()), module_.size()})),
            std::string::npos);
  auto config = skopeo({"inspect", "--raw", "--config", "--tls-verify=false", "docker://" + ref("app/upper:v1")});
  ASSERT_EQ(config.exitCode, 0) << config.err;
  EXPECT_NE(config.out.find(R"("architecture":"wasm")"), std::string::npos) << config.out;

  // Registry to registry, then pelato pulls skopeo's copy.
  auto copied = skopeo({"copy", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://" + ref("app/upper:v1"),
                        "docker://" + ref("mirror/upper:copy")});
  ASSERT_EQ(copied.exitCode, 0) << copied.err;
  expectPullIdentical(ref("mirror/upper:copy"));

  // Registry to an OCI layout directory: the module is a blob there, as pushed.
  auto layout = path("layout");
  auto toDir = skopeo({"copy", "--src-tls-verify=false", "docker://" + ref("app/upper:v1"), "oci:" + layout.string() + ":v1"});
  ASSERT_EQ(toDir.exitCode, 0) << toDir.err;
  auto blob = readFile(layout / "blobs" / "sha256" /
                       sha256Hex(module_));
  ASSERT_TRUE(blob) << blob.error().message();
  EXPECT_EQ(*blob, module_);

  // Pinned by digest, and inspected remotely.
  expectPullIdentical(ref("app/upper@" + digest));
  auto inspected = pelato({"inspect", ref("app/upper:v1")});
  ASSERT_EQ(inspected.exitCode, 0) << inspected.err;
  EXPECT_NE(inspected.out.find("manifest " + digest), std::string::npos) << inspected.out;
  EXPECT_NE(inspected.out.find("application/vnd.wasm.config.v0+json"), std::string::npos) << inspected.out;
  EXPECT_NE(inspected.out.find("architecture wasm, os wasip1"), std::string::npos) << inspected.out;
  EXPECT_NE(inspected.out.find("org.opencontainers.image.title = upper_task.wasm"), std::string::npos) << inspected.out;
  // A file still inspects as a module.
  auto local = pelato({"inspect", guest()});
  ASSERT_EQ(local.exitCode, 0) << local.err;
  EXPECT_NE(local.out.find("exports"), std::string::npos);
}

TEST_F(OciIntegration, ChunkedUploadIsReadableBySkopeo) {
  start();
  auto digest = push(ref("app/chunked:v1"), {"--chunk-size", "1000"});
  auto raw = skopeo({"inspect", "--raw", "--tls-verify=false", "docker://" + ref("app/chunked:v1")});
  ASSERT_EQ(raw.exitCode, 0) << raw.err;
  EXPECT_EQ(sha256Digest(raw.out), digest);
  auto toDir = skopeo({"copy", "--src-tls-verify=false", "docker://" + ref("app/chunked:v1"), "oci:" + path("l").string() + ":v1"});
  ASSERT_EQ(toDir.exitCode, 0) << toDir.err;
  auto blob = readFile(path("l") / "blobs" / "sha256" / sha256Hex(module_));
  ASSERT_TRUE(blob);
  EXPECT_EQ(*blob, module_);
}

TEST_F(OciIntegration, HtpasswdAuthWithFlagsAndEnvironment) {
  start({.user = "alice", .password = "correct horse"});
  auto anonymous = pelato({"push", ref("app/upper:v1"), guest()});
  EXPECT_EQ(anonymous.exitCode, 1);
  EXPECT_NE(anonymous.err.find("requires a username and password"), std::string::npos) << anonymous.err;
  auto wrong = pelato({"push", ref("app/upper:v1"), guest(), "--user", "alice", "--password", "battery"});
  EXPECT_EQ(wrong.exitCode, 1);
  EXPECT_NE(wrong.err.find("wrong username or password"), std::string::npos) << wrong.err;

  auto digest = push(ref("app/upper:v1"), {}, {"REGISTRY_USER=alice", "REGISTRY_PASSWORD=correct horse"});
  auto raw = skopeo({"inspect", "--raw", "--tls-verify=false", "--creds", "alice:correct horse",
                     "docker://" + ref("app/upper:v1")});
  ASSERT_EQ(raw.exitCode, 0) << raw.err;
  EXPECT_EQ(sha256Digest(raw.out), digest);
  auto copied = skopeo({"copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--src-creds",
                        "alice:correct horse", "--dest-creds", "alice:correct horse",
                        "docker://" + ref("app/upper:v1"), "docker://" + ref("app/upper:copy")});
  ASSERT_EQ(copied.exitCode, 0) << copied.err;
  expectPullIdentical(ref("app/upper:copy"), {"--user", "alice", "--password", "correct horse"});

  auto wrongPull = pelato({"pull", ref("app/upper:copy"), "-o", path("x.wasm").string(), "--user", "alice",
                           "--password", "nope"});
  EXPECT_EQ(wrongPull.exitCode, 1);
  EXPECT_NE(wrongPull.err.find("wrong username or password"), std::string::npos) << wrongPull.err;
  EXPECT_FALSE(fs::exists(path("x.wasm")));
}

TEST_F(OciIntegration, MissingTagAndTamperedBlobAreRefused) {
  start();
  push(ref("app/upper:v1"));
  auto missing = pelato({"pull", ref("app/upper:nope"), "-o", path("x.wasm").string()});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("MANIFEST_UNKNOWN: manifest unknown"), std::string::npos) << missing.err;
  auto missingInspect = pelato({"inspect", ref("app/upper:nope")});
  EXPECT_EQ(missingInspect.exitCode, 1);
  EXPECT_NE(missingInspect.err.find("MANIFEST_UNKNOWN"), std::string::npos) << missingInspect.err;
  auto neither = pelato({"inspect", "no-such-file.wasm"});
  EXPECT_EQ(neither.exitCode, 1);
  EXPECT_NE(neither.err.find("neither a file nor an image ref"), std::string::npos) << neither.err;

  // Flip one byte of the module in the registry's own storage.
  auto layerDigest = sha256Digest({reinterpret_cast<const char*>(module_.data()), module_.size()});
  auto blobPath = registry_->blobPath(layerDigest);
  auto bytes = readFile(blobPath);
  ASSERT_TRUE(bytes) << bytes.error().message();
  (*bytes)[bytes->size() / 2] ^= 0x01;
  ASSERT_TRUE(writeFileAtomic(blobPath, *bytes));
  auto tampered = pelato({"pull", ref("app/upper:v1"), "-o", path("x.wasm").string()});
  EXPECT_EQ(tampered.exitCode, 1);
  EXPECT_NE(tampered.err.find("digest mismatch for blob " + layerDigest), std::string::npos) << tampered.err;
  EXPECT_FALSE(fs::exists(path("x.wasm")));
}

}  // namespace
}  // namespace pelato
