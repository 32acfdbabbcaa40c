#include "support/registry.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <vector>

#include "common/subprocess.h"
#include "support/local_service.h"

namespace pelato::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// docker-registry answers GET /v2/ with 200 (no auth) or 401 (auth) once it serves; a raw
// request avoids depending on an HTTP client here.
bool answersV2(int port) {
  int fd = connectLoopback(port);
  if (fd < 0) return false;
  bool ok = false;
  std::string_view request = "GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char buffer[32] = {};
    ok = ::read(fd, buffer, sizeof buffer - 1) > 12 && std::string_view(buffer).starts_with("HTTP/1.");
  }
  ::close(fd);
  return ok;
}

std::span<const uint8_t> bytesOf(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

}  // namespace

std::optional<fs::path> Registry::findBinary() { return findProgram("docker-registry"); }

Result<std::unique_ptr<Registry>> Registry::start(RegistryOptions options) {
  auto binary = findBinary();
  if (!binary) return fail("docker-registry is not installed (Debian package docker-registry; run scripts/setup)");
  auto dir = TempDir::create("pelato-registry");
  if (!dir) return fail(std::move(dir.error()));
  auto port = freeLoopbackPort();
  if (!port) return fail(std::move(port.error()));
  const auto& root = dir->path();

  std::string auth;
  if (!options.user.empty()) {
    auto htpasswd = findProgram("htpasswd");
    if (!htpasswd) return fail("htpasswd is not installed (Debian package apache2-utils; run scripts/setup)");
    auto entry = runProcess({htpasswd->string(), "-Bbn", options.user, options.password}, {.timeout = 30s});
    if (!entry) return fail(std::move(entry.error()));
    if (entry->exitCode != 0) return fail("htpasswd failed: {}", entry->err);
    if (auto written = writeFileAtomic(root / "htpasswd", bytesOf(entry->out)); !written) return fail(std::move(written.error()));
    auth = fmt::format("auth:\n  htpasswd:\n    realm: pelato-test\n    path: {}\n", (root / "htpasswd").string());
  }
  // A fixed http.secret keeps docker-registry from warning; deletes let tests clean up.
  auto config = fmt::format(
      "version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n"
      "    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{}\n  secret: pelato-test-secret\n{}",
      (root / "storage").string(), *port, auth);
  if (auto written = writeFileAtomic(root / "config.yml", bytesOf(config)); !written) return fail(std::move(written.error()));

  std::unique_ptr<Registry> registry(new Registry(std::move(*dir), *port));
  if (auto launched = registry->launch(*binary, registry->dir_.path() / "config.yml", options.startTimeout); !launched)
    return fail(std::move(launched.error()));
  return registry;
}

Result<void> Registry::launch(const fs::path& binary, const fs::path& config, std::chrono::milliseconds timeout) {
  auto logPath = dir_.path() / "registry.log";
  std::vector<std::string> argv{binary.string(), "serve", config.string()};
  auto pid = spawnService(std::move(argv), logPath);
  if (!pid) return fail(std::move(pid.error()));
  pid_ = *pid;

  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return fail("docker-registry exited during start-up (status {}); its output:\n{}", status, log());
    }
    if (answersV2(port_)) return {};
    if (std::chrono::steady_clock::now() >= deadline) {
      stop();
      return fail("docker-registry did not answer on port {} within {} ms; its output:\n{}", port_, timeout.count(), log());
    }
    std::this_thread::sleep_for(20ms);
  }
}

Registry::~Registry() { stop(); }

void Registry::stop() {
  if (pid_ <= 0) return;
  pid_t pid = std::exchange(pid_, -1);
  ::kill(pid, SIGKILL);  // nothing to flush: tests are done with it
  ::waitpid(pid, nullptr, 0);
}

std::string Registry::host() const { return fmt::format("127.0.0.1:{}", port_); }

fs::path Registry::blobPath(const std::string& digest) const {
  auto hex = digest.substr(digest.find(':') + 1);
  return dir_.path() / "storage" / "docker" / "registry" / "v2" / "blobs" / "sha256" / hex.substr(0, 2) / hex / "data";
}

std::string Registry::log() const {
  auto text = readTextFile(dir_.path() / "registry.log");
  if (!text) return "(no log: " + text.error().message() + ")";
  return text->size() <= 4000 ? *text : "..." + text->substr(text->size() - 4000);
}

}  // namespace pelato::testing
