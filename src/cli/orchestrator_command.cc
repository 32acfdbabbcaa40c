// `pelato orchestrator`: runs an orchestrator (the wadm API, reconciliation, failover) on a
// lattice until SIGINT/SIGTERM.
#include <fmt/format.h>
#include <signal.h>

#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "cli/stop_signals.h"
#include "orchestrator/orchestrator.h"

namespace pelato::cli {
namespace {

struct OrchestratorOptions {
  LatticeOptions lattice;
  uint64_t heartbeatMs = 1000;
  uint32_t missedHeartbeats = 3;
  uint64_t reconcileMs = 1000;
  uint64_t leaseMs = 3000;
  orchestrator::LoadThresholds load;
};

int runOrchestrator(const OrchestratorOptions& o) {
  using std::chrono::milliseconds;
  orchestrator::OrchestratorConfig config{
      .natsUrl = o.lattice.nats, .natsAuth = o.lattice.auth, .lattice = o.lattice.lattice,
      .liveness = {.heartbeat = milliseconds(o.heartbeatMs), .missedHeartbeats = o.missedHeartbeats,
                   .suspectAfter = milliseconds(o.heartbeatMs * 3 / 2)},
      .load = o.load, .reconcileEvery = milliseconds(o.reconcileMs), .leasePeriod = milliseconds(o.leaseMs)};
  sigset_t signals = blockStopSignals();

  auto orchestrator = orchestrator::Orchestrator::start(std::move(config));
  if (!orchestrator) return reportError(orchestrator.error());
  fmt::print("orchestrator {} started on lattice {} ({})\n", (*orchestrator)->id(), o.lattice.lattice, o.lattice.nats);
  std::fflush(stdout);
  int signal = sigwaitinfo(&signals, nullptr);
  (*orchestrator)->shutdown();
  fmt::print("orchestrator {} stopped ({})\n", (*orchestrator)->id(), signal == SIGINT ? "SIGINT" : "SIGTERM");
  return 0;
}

}  // namespace

void addOrchestratorCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<OrchestratorOptions>();
  auto* cmd = app.add_subcommand(
      "orchestrator", "Run an orchestrator: the wadm application API, placement, failover (several may run; one leads)");
  options->lattice.addTo(*cmd, "NATS server URL(s), comma-separated; needs JetStream (nats-server -js)");
  cmd->add_option("--heartbeat-ms", options->heartbeatMs, "The hosts' heartbeat period")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(10), uint64_t(3600000)));
  cmd->add_option("--missed-heartbeats", options->missedHeartbeats,
                  "A host silent this many periods is dead (one silent 1.5 periods is probed first)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100u));
  cmd->add_option("--reconcile-ms", options->reconcileMs, "Period of the full reconcile pass (events trigger one too)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(50), uint64_t(3600000)));
  cmd->add_option("--lease-ms", options->leaseMs, "Leader lease: a standby takes over within two of these")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(300), uint64_t(3600000)));
  cmd->add_option("--shed-cpu", options->load.cpuHigh,
                  "A host above this CPU share (0..1) sheds its instances; back below half of it (0: off)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--shed-queue", options->load.queueHigh,
                  "A host with more messages waiting sheds its instances; back below half of it (0: off)")
      ->capture_default_str();
  cmd->add_option("--shed-after", options->load.shedAfter, "Heartbeats in a row over a mark before shedding")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
  cmd->add_option("--return-after", options->load.returnAfter,
                  "Heartbeats in a row under both low marks before a shedding host takes work again")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10000u));
  cmd->callback([options, &action] { action = [options] { return runOrchestrator(*options); }; });
}

}  // namespace pelato::cli
