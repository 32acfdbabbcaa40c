// A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on a free
// 127.0.0.1 port, storing blobs in a private directory, optionally behind htpasswd basic auth.
// Killed (its directory removed) when the object goes away.
//
//   auto registry = testing::Registry::start({.user = "user", .password = "pass"});
//   if (!registry) GTEST_SKIP() << registry.error().message();   // only when not installed
//   push to (*registry)->host() + "/app/upper:v1" ...
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/file.h"
#include "common/result.h"

namespace pelato::testing {

struct RegistryOptions {
  std::string user;      // non-empty: htpasswd auth with this user (needs `htpasswd`, apache2-utils)
  std::string password;
  std::chrono::milliseconds startTimeout{10000};
};

class Registry {
 public:
  // Where docker-registry is installed, if anywhere.
  static std::optional<std::filesystem::path> findBinary();

  // Starts docker-registry and waits until GET /v2/ answers. Fails with a message naming the
  // Debian package when docker-registry (or htpasswd, with auth) is not installed.
  static Result<std::unique_ptr<Registry>> start(RegistryOptions options = {});

  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  ~Registry();

  int port() const { return port_; }
  std::string host() const;  // 127.0.0.1:<port>, the registry part of an image ref
  // The file docker-registry stores a blob in (sha256:<hex> digest), to tamper with it.
  std::filesystem::path blobPath(const std::string& digest) const;

  void stop();
  std::string log() const;  // everything it printed, for failure messages

 private:
  Registry(TempDir dir, int port) : dir_(std::move(dir)), port_(port) {}
  Result<void> launch(const std::filesystem::path& binary, const std::filesystem::path& config,
                      std::chrono::milliseconds timeout);

  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace pelato::testing
