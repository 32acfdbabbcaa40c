// `pelato up` (the whole platform on this machine: nats-server, registry, orchestrator, edge and
// cloud hosts, dashboard, and with --edge-leaf a leaf nats-server for the edge hosts; src/up)
// and `pelato down`.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "cli/stop_signals.h"
#include "common/file.h"
#include "common/subprocess.h"
#include "security/account_key.h"
#include "up/up_runner.h"

namespace pelato::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct UpFlags {
  up::UpOptions options;
  std::string dataDir;
  bool detach = false;
  uint64_t timeoutMs = 30000;
};

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

fs::path defaultDataDir() {
  fs::path data = env("XDG_DATA_HOME").empty() ? fs::path(env("HOME").empty() ? "." : env("HOME")) / ".local/share"
                                               : fs::path(env("XDG_DATA_HOME"));
  return data / "pelato" / "up";
}

fs::path dataDirOf(const UpFlags& f) { return f.dataDir.empty() ? defaultDataDir() : fs::absolute(f.dataDir); }

void report(const std::string& line) {
  fmt::print(stderr, "{:%H:%M:%S} {}\n", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
             line);
}

// Runs `pelato up` again without --detach in its own session, and returns once it is healthy.
int detach(const UpFlags& f, const fs::path& dataDir, std::vector<std::string> args) {
  std::erase(args, std::string("--detach"));
  args[0] = fs::read_symlink("/proc/self/exe").string();
  fs::create_directories(dataDir);
  fs::path log = dataDir / "up.log";
  auto pid = startBackground({.argv = args, .log = log, .newSession = true});
  if (!pid) return reportError(pid.error());
  auto deadline = Clock::now() + std::chrono::milliseconds(f.timeoutMs) + 15s;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(*pid, &status, WNOHANG) == *pid) {
      auto text = readTextFile(log);
      return reportError(Error(fmt::format("pelato up stopped before it was ready; {}:\n{}", log.string(),
                                           text ? *text : "")));
    }
    if (auto state = up::runningState(dataDir); state && *state && (*state)->pid == *pid) {
      fmt::print("{}(running in the background; its log: {})\n", up::describeState(**state), log.string());
      return 0;
    }
    std::this_thread::sleep_for(50ms);
  }
  return reportError(Error(fmt::format("pelato up (pid {}) is not ready after {} ms; see {}", *pid, f.timeoutMs,
                                       log.string())));
}

int runUp(UpFlags& f, const std::vector<std::string>& args) {
  fs::path dataDir = dataDirOf(f);
  auto running = up::runningState(dataDir);
  if (!running) return reportError(running.error());
  if (*running) {
    fmt::print("pelato up is already running from {}:\n{}", dataDir.string(), up::describeState(**running));
    return 0;
  }
  for (const auto& program : {f.options.natsServer, f.options.registry})
    if (!findOnPath(program, env("PATH")))
      return reportError(Error(fmt::format("{} not found on PATH: `make setup` installs it (Debian packages "
                                           "nats-server, docker-registry)", program)));
  if (f.detach) return detach(f, dataDir, args);

  sigset_t signals = blockStopSignals();  // before any thread starts
  f.options.dataDir = dataDir;
  f.options.pelato = fs::read_symlink("/proc/self/exe");
  auto start = Clock::now();
  auto lattice = up::bringUp(f.options, security::defaultIssuerKeyPath(env("XDG_CONFIG_HOME"), env("HOME")),
                             std::chrono::milliseconds(f.timeoutMs), report);
  if (!lattice) return reportError(lattice.error());
  fmt::print("{}(healthy in {:.1f} s)\n", up::describeState((*lattice)->state()),
             std::chrono::duration<double>(Clock::now() - start).count());
  std::fflush(stdout);
  int signal = 0;
  while ((signal = sigwaitinfo(&signals, nullptr)) < 0) {
  }
  report(fmt::format("{}: stopping everything", signal == SIGINT ? "interrupted" : "terminated"));
  (*lattice)->stop();
  report("stopped");
  return 0;
}

int runDown(const UpFlags& f) {
  fs::path dataDir = dataDirOf(f);
  auto running = up::runningState(dataDir);
  if (!running) return reportError(running.error());
  if (!*running) {
    fmt::print("nothing is running from {}\n", dataDir.string());
    return 0;
  }
  pid_t pid = (*running)->pid;
  if (::kill(pid, SIGTERM) != 0) return reportError(Error(fmt::format("cannot signal pelato up (pid {})", pid)));
  auto deadline = Clock::now() + std::chrono::milliseconds(f.timeoutMs);
  while (up::processRunning(pid)) {
    if (Clock::now() >= deadline)
      return reportError(Error(fmt::format("pelato up (pid {}) is still stopping after {} ms", pid, f.timeoutMs)));
    std::this_thread::sleep_for(50ms);
  }
  fmt::print("stopped pelato up (pid {}) and everything it ran\n", pid);
  return 0;
}

}  // namespace

void addUpCommands(CLI::App& app, Action& action, const std::vector<std::string>& args) {
  auto f = std::make_shared<UpFlags>();
  auto* up = app.add_subcommand(
      "up", "Run the whole platform here: nats-server, registry, orchestrator, edge and cloud hosts, dashboard");
  up->add_option("--data-dir", f->dataDir, "Where state, configs and logs live (default ~/.local/share/pelato/up)");
  up->add_option("--lattice", f->options.lattice, "Lattice name")->capture_default_str();
  up->add_option("--edge-hosts", f->options.edgeHosts, "Hosts labelled host-type=edge")->capture_default_str();
  up->add_option("--cloud-hosts", f->options.cloudHosts, "Hosts labelled host-type=cloud")->capture_default_str();
  up->add_option("--nats-port", f->options.natsPort, "nats-server's port (0: any free one)")->capture_default_str();
  up->add_option("--registry-port", f->options.registryPort, "The registry's port (0: any)")->capture_default_str();
  up->add_option("--dashboard-port", f->options.dashboardPort, "The dashboard's port (0: any)")->capture_default_str();
  up->add_option("--host-http-port", f->options.hostHttpPort,
                 "The first host's HTTP port, the next ones follow (0: each any)")
      ->capture_default_str();
  up->add_flag("--edge-leaf", f->options.edgeLeaf,
               "Put the edge hosts on an edge site: a second nats-server, a leaf node of the first");
  up->add_option("--leaf-port", f->options.leafPort,
                 "With --edge-leaf: where nats-server accepts leaf nodes (0: any free one)")
      ->capture_default_str();
  up->add_option("--edge-nats-port", f->options.edgeNatsPort,
                 "With --edge-leaf: the leaf node's client port, the edge hosts' (0: any free one)")
      ->capture_default_str();
  up->add_option("--timeout-ms", f->timeoutMs, "How long to wait for everything to be healthy")->capture_default_str();
  up->add_flag("--detach", f->detach, "Run in the background (stop it with `pelato down`)");
  up->callback([f, args, &action] { action = [f, args] { return runUp(*f, args); }; });

  auto d = std::make_shared<UpFlags>();
  auto* down = app.add_subcommand("down", "Stop what `pelato up` runs");
  down->add_option("--data-dir", d->dataDir, "The data directory `pelato up` was given")->capture_default_str();
  down->add_option("--timeout-ms", d->timeoutMs, "How long to wait for it to stop")->capture_default_str();
  down->callback([d, &action] { action = [d] { return runDown(*d); }; });
}

}  // namespace pelato::cli
