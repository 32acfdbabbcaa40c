// `pelato host`: runs a host on a lattice until SIGINT/SIGTERM or host.stop.<id>.
#include <fmt/format.h>
#include <signal.h>

#include <cstdlib>

#include "cli/commands.h"
#include "host/host.h"

namespace pelato::cli {

namespace {

struct HostOptions {
  std::string nats = "nats://127.0.0.1:4222";
  std::string lattice = "default";
  std::vector<std::string> labels;
  std::string name;
  uint64_t heartbeatMs = 1000;
  std::string tier = "auto";
};

int runHost(const HostOptions& o) {
  host::HostConfig config{.natsUrl = o.nats, .lattice = o.lattice, .friendlyName = o.name,
                          .heartbeat = std::chrono::milliseconds(o.heartbeatMs),
                          .tier = *runtime::parseTier(o.tier)};
  for (const auto& label : o.labels) {
    auto eq = label.find('=');
    if (eq == std::string::npos || eq == 0) {
      fmt::print(stderr, "error: --label {}: expected KEY=VALUE\n", label);
      return 2;
    }
    config.labels[label.substr(0, eq)] = label.substr(eq + 1);
  }
  // Signals are taken synchronously by this thread; every other thread (nats.c's, the
  // workers') inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto host = host::Host::start(std::move(config));
  if (!host) {
    fmt::print(stderr, "error: {}\n", host.error().message());
    return 1;
  }
  fmt::print("host {} started on lattice {} ({})\n", (*host)->id(), o.lattice, o.nats);
  std::fflush(stdout);
  std::string reason = "stop";
  while (!(*host)->stopRequested()) {
    timespec wait{0, 100'000'000};
    int signal = sigtimedwait(&signals, nullptr, &wait);
    if (signal == SIGINT || signal == SIGTERM) {
      reason = signal == SIGINT ? "SIGINT" : "SIGTERM";
      break;
    }
  }
  (*host)->shutdown(reason);
  fmt::print("host {} stopped ({})\n", (*host)->id(), reason);
  return 0;
}

}  // namespace

void addHostCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<HostOptions>();
  auto* cmd = app.add_subcommand("host", "Run a host on a lattice (NATS control interface, components, messaging)");
  cmd->add_option("--nats", options->nats, "NATS server URL(s), comma-separated; needs JetStream (nats-server -js)")
      ->envname("NATS_URL")
      ->capture_default_str();
  cmd->add_option("--lattice", options->lattice, "Lattice name")->capture_default_str();
  cmd->add_option("--label", options->labels, "A host label KEY=VALUE (repeatable)");
  cmd->add_option("--name", options->name, "Friendly name (default: derived from the host id)");
  cmd->add_option("--heartbeat-ms", options->heartbeatMs, "Heartbeat period")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(10), uint64_t(3600000)));
  cmd->add_option("--tier", options->tier, "interp, aot or auto")
      ->capture_default_str()
      ->envname("PELATO_TIER")
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  cmd->callback([options, &action] { action = [options] { return runHost(*options); }; });
}

}  // namespace pelato::cli
