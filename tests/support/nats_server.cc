#include "support/nats_server.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <thread>
#include <utility>
#include <vector>

#include "support/local_service.h"

namespace pelato::testing {
namespace {

using namespace std::chrono_literals;

bool acceptsConnections(int port) {
  int fd = connectLoopback(port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

// Waits up to `timeout` for `pid` to exit; true if it did (and was reaped).
bool waitForExit(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

std::string tail(const std::string& text, size_t max) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

}  // namespace

std::optional<std::filesystem::path> NatsServer::findBinary() { return findProgram("nats-server"); }

Result<std::unique_ptr<NatsServer>> NatsServer::start(NatsServerOptions options) {
  auto binary = findBinary();
  if (!binary)
    return fail("nats-server is not installed (Debian package nats-server; run scripts/setup)");
  auto dir = TempDir::create("pelato-nats");
  if (!dir) return fail(std::move(dir.error()));
  auto port = freeLoopbackPort();
  if (!port) return fail(std::move(port.error()));
  std::unique_ptr<NatsServer> server(new NatsServer(*binary, options, std::move(*dir), *port));
  if (auto launched = server->launch(); !launched) return fail(std::move(launched.error()));
  return server;
}

NatsServer::~NatsServer() { (void)stop(/*hard=*/true); }

std::string NatsServer::url() const { return fmt::format("nats://127.0.0.1:{}", port_); }

Result<void> NatsServer::launch() {
  if (pid_ > 0) return fail("nats-server on port {} is already running", port_);
  auto logPath = dir_.path() / "server.log";
  auto storeDir = dir_.path() / "jetstream";
  std::vector<std::string> argv{binary_.string(), "-a", "127.0.0.1", "-p", std::to_string(port_)};
  if (options_.jetstream) {
    argv.insert(argv.end(), {"-js", "-sd", storeDir.string()});
  }
  if (!options_.user.empty()) argv.insert(argv.end(), {"--user", options_.user, "--pass", options_.password});
  if (!options_.config.empty()) {
    auto configPath = dir_.path() / "server.conf";
    if (auto ok = writeFileAtomic(configPath, {reinterpret_cast<const uint8_t*>(options_.config.data()),
                                                            options_.config.size()}); !ok) return fail(std::move(ok.error()));
    argv.insert(argv.begin() + 1, {"-c", configPath.string()});
  }
  auto pid = spawnService(std::move(argv), logPath);
  if (!pid) return fail(std::move(pid.error()));
  pid_ = *pid;
  return waitUntilReady();
}

Result<void> NatsServer::waitUntilReady() {
  auto deadline = std::chrono::steady_clock::now() + options_.startTimeout;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return fail("nats-server exited during start-up (status {}); its output:\n{}", status,
                  tail(log(), 4000));
    }
    if (acceptsConnections(port_)) return {};
    if (std::chrono::steady_clock::now() >= deadline) {
      (void)stop(/*hard=*/true);
      return fail("nats-server did not accept connections on port {} within {} ms; its output:\n{}",
                  port_, options_.startTimeout.count(), tail(log(), 4000));
    }
    std::this_thread::sleep_for(20ms);
  }
}

Result<void> NatsServer::stop(bool hard) {
  if (pid_ <= 0) return {};
  pid_t pid = std::exchange(pid_, -1);
  ::kill(pid, hard ? SIGKILL : SIGTERM);
  if (waitForExit(pid, 10s)) return {};
  ::kill(pid, SIGKILL);
  waitForExit(pid, 10s);
  return hard ? Result<void>{}
              : fail("nats-server (pid {}) ignored SIGTERM for 10 s and was killed", pid);
}

Result<void> NatsServer::restart() {
  if (auto stopped = stop(); !stopped) return stopped;
  return launch();
}

std::string NatsServer::log() const {
  auto text = readTextFile(dir_.path() / "server.log");
  return text ? *text : std::string("(no log: ") + text.error().message() + ")";
}

}  // namespace pelato::testing
