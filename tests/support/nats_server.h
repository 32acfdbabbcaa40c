// A real nats-server for integration tests: started on a free local port, with JetStream and a
// private store directory, and killed (its directory removed) when the object goes away.
//
//   auto server = testing::NatsServer::start();
//   if (!server) GTEST_SKIP() << server.error().message();   // only when not installed
//   connect to (*server)->url() ...
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

struct NatsServerOptions {
  bool jetstream = true;                          // -js -sd <private dir>
  std::string user, password;                     // --user/--pass: clients must authenticate
  std::chrono::milliseconds startTimeout{10000};  // until it accepts connections
  // More configuration, a config file's text (e.g. `leafnodes { ... }` blocks): written beside
  // the store and given with -c; the flags above (port, JetStream store, user) still win.
  std::string config;
};

class NatsServer {
 public:
  // Where nats-server is installed ($PATH, then /usr/sbin, /usr/local/sbin), if anywhere.
  static std::optional<std::filesystem::path> findBinary();

  // Starts nats-server on a free 127.0.0.1 port and waits until it accepts connections.
  // The server dies with the test process (PR_SET_PDEATHSIG), even if the test crashes.
  static Result<std::unique_ptr<NatsServer>> start(NatsServerOptions options = {});

  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;
  ~NatsServer();

  int port() const { return port_; }
  std::string url() const;  // nats://127.0.0.1:<port>
  bool running() const { return pid_ > 0; }

  // Stops the server: SIGTERM (a clean shutdown) or, with `hard`, SIGKILL (a crash).
  Result<void> stop(bool hard = false);
  // Starts it again on the same port with the same JetStream store (after stop()).
  Result<void> restart();

  // Everything the server printed so far (all runs), for failure messages.
  std::string log() const;

 private:
  NatsServer(std::filesystem::path binary, NatsServerOptions options, TempDir dir, int port)
      : binary_(std::move(binary)), options_(options), dir_(std::move(dir)), port_(port) {}
  Result<void> launch();
  Result<void> waitUntilReady();

  std::filesystem::path binary_;
  NatsServerOptions options_;
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace pelato::testing
