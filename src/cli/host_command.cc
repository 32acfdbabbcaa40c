// `pelato host`: runs a host on a lattice until SIGINT/SIGTERM or host.stop.<id>;
// `pelato host stop HOST` asks a running host to stop (host.stop.<host>); `pelato host drain
// HOST` has the orchestrator move its work away first (label pelato.dev/drain=true).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>

#include <cstdlib>
#include <thread>

#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "cli/stop_signals.h"
#include "host/host.h"
#include "orchestrator/reconcile.h"

namespace pelato::cli {

namespace {

struct HostOptions {
  LatticeOptions lattice;
  std::vector<std::string> labels;
  std::string name;
  uint64_t heartbeatMs = 1000;
  std::string tier = "auto";
  bool allowUnsigned = false;
  std::vector<std::string> trustedIssuers;
  bool insecureRegistries = false;
  int httpPort = 8000;
  std::string httpAddress = "127.0.0.1";
};

int runHost(const HostOptions& o) {
  host::HostConfig config{.natsUrl = o.lattice.nats, .natsAuth = o.lattice.auth, .lattice = o.lattice.lattice,
                          .friendlyName = o.name,
                          .heartbeat = std::chrono::milliseconds(o.heartbeatMs),
                          .tier = *runtime::parseTier(o.tier),
                          .policy = {.allowUnsigned = o.allowUnsigned, .trustedIssuers = o.trustedIssuers},
                          .registryInsecure = o.insecureRegistries, .httpPort = o.httpPort,
                          .httpAddress = o.httpAddress};
  for (const auto& label : o.labels) {
    auto eq = label.find('=');
    if (eq == std::string::npos || eq == 0) {
      fmt::print(stderr, "error: --label {}: expected KEY=VALUE\n", label);
      return 2;
    }
    config.labels[label.substr(0, eq)] = label.substr(eq + 1);
  }
  sigset_t signals = blockStopSignals();

  auto host = host::Host::start(std::move(config));
  if (!host) {
    fmt::print(stderr, "error: {}\n", host.error().message());
    return 1;
  }
  std::string http = (*host)->httpPort() ? fmt::format(", http://{}:{}", o.httpAddress, (*host)->httpPort()) : "";
  fmt::print("host {} started on lattice {} ({}{})\n", (*host)->id(), o.lattice.lattice, o.lattice.nats, http);
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

struct StopOptions {
  std::string hostId;
  uint64_t timeoutMs = 2000;
};

int stopHost(const LatticeOptions& lattice, const StopOptions& o) {
  return runControl(lattice, std::chrono::milliseconds(o.timeoutMs), [&](lattice::CtlClient& ctl) -> Result<void> {
    auto message = ctl.stopHost(o.hostId);
    if (!message) return fail(std::move(message.error()));
    fmt::print("{}\n", message->empty() ? fmt::format("host {} is stopping", o.hostId) : *message);
    return {};
  });
}

struct DrainOptions {
  std::string hostId;
  uint64_t timeoutMs = 30000;
  bool stop = false;
};

// The components of `inventory` that an orchestrator placed (and so will move away).
std::vector<std::string> managedComponents(const lattice::HostInventory& inventory) {
  std::vector<std::string> ids;
  for (const auto& component : inventory.components)
    if (component.annotations && component.annotations->contains(std::string(orchestrator::kAppSpecAnnotation)))
      ids.push_back(component.id);
  return ids;
}

int drainHost(const LatticeOptions& lattice, const DrainOptions& o) {
  using namespace std::chrono;
  return runControl(lattice, 2s, [&](lattice::CtlClient& ctl) -> Result<void> {
    if (auto ok = ctl.labelPut(o.hostId, {.key = std::string(orchestrator::kDrainLabel), .value = "true"}); !ok)
      return fail(std::move(ok.error()));
    fmt::print("host {} is draining: the orchestrator moves its components to other hosts\n", o.hostId);
    std::fflush(stdout);
    auto deadline = steady_clock::now() + milliseconds(o.timeoutMs);
    std::vector<std::string> left;
    while (true) {
      auto inventory = ctl.inventory(o.hostId);
      if (!inventory) return fail(std::move(inventory.error()));
      left = managedComponents(*inventory);
      if (left.empty() || steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(200ms);
    }
    if (!left.empty())
      return fail("host {} still runs {} after {} ms; is an orchestrator running (`pelato orchestrator`), and do "
                  "other hosts match the components' spread requirements? (`pelato app status APP`)",
                  o.hostId, fmt::join(left, ", "), o.timeoutMs);
    fmt::print("host {} runs no orchestrated component now\n", o.hostId);
    if (!o.stop) return {};
    auto stopped = ctl.stopHost(o.hostId);
    if (!stopped) return fail(std::move(stopped.error()));
    fmt::print("host {} is stopping\n", o.hostId);
    return {};
  });
}

int undrainHost(const LatticeOptions& lattice, const std::string& hostId) {
  return runControl(lattice, std::chrono::seconds(2), [&](lattice::CtlClient& ctl) -> Result<void> {
    if (auto ok = ctl.labelDel(hostId, orchestrator::kDrainLabel); !ok) return fail(std::move(ok.error()));
    fmt::print("host {} takes placements again\n", hostId);
    return {};
  });
}

}  // namespace

void addHostCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<HostOptions>();
  auto* cmd = app.add_subcommand("host", "Run a host on a lattice (NATS control interface, components, messaging)");
  cmd->require_subcommand(0, 1);
  options->lattice.addTo(*cmd, "NATS server URL(s), comma-separated; needs JetStream (nats-server -js)");
  cmd->add_option("--label", options->labels, "A host label KEY=VALUE (repeatable)");
  cmd->add_option("--name", options->name, "Friendly name (default: derived from the host id)");
  cmd->add_option("--heartbeat-ms", options->heartbeatMs, "Heartbeat period")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(10), uint64_t(3600000)));
  cmd->add_option("--tier", options->tier, "interp, aot or auto")
      ->capture_default_str()
      ->envname("PELATO_TIER")
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  cmd->add_flag("--allow-unsigned", options->allowUnsigned,
               "Also run unsigned modules (development only; signed ones are still verified)");
  cmd->add_option("--trusted-issuer", options->trustedIssuers,
                  "Account public key (A…) whose signed modules may run (repeatable; `pelato keys public`)");
  cmd->add_flag("--insecure-registries", options->insecureRegistries,
                "Plain HTTP to every OCI registry (loopback registries use it anyway)");
  cmd->add_option("--http-port", options->httpPort,
                  "HTTP server for HTTP links, /metrics and /healthz (0: any free port, -1: none)")
      ->capture_default_str()
      ->check(CLI::Range(-1, 65535));
  cmd->add_option("--http-address", options->httpAddress, "Address the HTTP server binds to")->capture_default_str();
  cmd->callback([options, cmd, &action] {
    if (cmd->get_subcommands().empty()) action = [options] { return runHost(*options); };
  });

  // `stop` shares the host's --nats/--lattice (fallthrough), so both `pelato host stop H --nats U`
  // and `pelato host --nats U stop H` work.
  auto stop = std::make_shared<StopOptions>();
  auto* stopCmd = cmd->add_subcommand("stop", "Stop a running host: it drains its components and exits (host.stop)");
  stopCmd->fallthrough();
  stopCmd->footer("Also takes `pelato host`'s --nats URL and --lattice NAME.");
  stopCmd->add_option("host", stop->hostId, "Host id (see `pelato get hosts`)")->required();
  stopCmd->add_option("--timeout-ms", stop->timeoutMs, "How long to wait for the host's reply")->capture_default_str();
  stopCmd->callback([options, stop, &action] {
    action = [options, stop] { return stopHost(options->lattice, *stop); };
  });

  auto drain = std::make_shared<DrainOptions>();
  auto* drainCmd = cmd->add_subcommand(
      "drain", "Move a host's orchestrated components to other hosts (label pelato.dev/drain=true), then optionally stop it");
  drainCmd->fallthrough();
  drainCmd->footer("Also takes `pelato host`'s --nats URL and --lattice NAME. `pelato host undrain HOST` reverts it.");
  drainCmd->add_option("host", drain->hostId, "Host id (see `pelato get hosts`)")->required();
  drainCmd->add_option("--timeout-ms", drain->timeoutMs, "How long to wait for the components to move")->capture_default_str();
  drainCmd->add_flag("--stop", drain->stop, "Stop the host once it is drained");
  drainCmd->callback([options, drain, &action] {
    action = [options, drain] { return drainHost(options->lattice, *drain); };
  });

  auto undrain = std::make_shared<std::string>();
  auto* undrainCmd = cmd->add_subcommand("undrain", "Let a drained host take placements again");
  undrainCmd->fallthrough();
  undrainCmd->add_option("host", *undrain, "Host id")->required();
  undrainCmd->callback([options, undrain, &action] {
    action = [options, undrain] { return undrainHost(options->lattice, *undrain); };
  });
}

}  // namespace pelato::cli
