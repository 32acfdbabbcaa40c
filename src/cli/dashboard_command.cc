// `pelato dashboard`: a live web view of a lattice and its actions (src/dashboard), until
// SIGINT/SIGTERM. Prints `dashboard http://ADDRESS:PORT/?token=TOKEN` once it listens (the page
// keeps the token from its URL), so scripts and `pelato up` can read where it is.
#include <fmt/format.h>
#include <signal.h>

#include <cstdlib>
#include <random>

#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "cli/stop_signals.h"
#include "dashboard/dashboard_server.h"
#include "dashboard/lattice_monitor.h"
#include "lattice/wadm_client.h"

namespace pelato::cli {
namespace {

struct DashboardOptions {
  LatticeOptions lattice;
  int port = 4000;
  std::string address = "127.0.0.1";
  std::string token;
  uint64_t heartbeatMs = 1000;
};

// 128 random bits as 32 hex digits: long enough not to be guessed, short enough to paste.
std::string randomToken() {
  std::random_device random;  // /dev/urandom on Linux
  std::string token;
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", random());
  return token;
}

int runDashboard(const DashboardOptions& o) {
  using namespace std::chrono;
  sigset_t signals = blockStopSignals();
  auto subjects = lattice::Subjects::create(o.lattice.lattice);
  if (!subjects) return reportError(subjects.error());
  auto nats = lattice::NatsClient::connect(
      {.url = o.lattice.nats, .auth = o.lattice.auth, .name = "pelato dashboard " + o.lattice.lattice});
  if (!nats) return reportError(nats.error());
  lattice::CtlClient ctl(**nats, std::move(*subjects), 2s);
  // Short: the list is asked every second, and an orchestrator that does not answer must not
  // hold the view's other updates back.
  lattice::WadmClient wadm(**nats, o.lattice.lattice, 900ms);
  lattice::WadmClient wadmActions(**nats, o.lattice.lattice, 10s);
  auto monitor = dashboard::LatticeMonitor::start(ctl, wadm, {.heartbeat = std::chrono::milliseconds(o.heartbeatMs)});
  if (!monitor) return reportError(monitor.error());

  std::string token = o.token;
  if (token.empty()) token = randomToken();
  auto server = dashboard::DashboardServer::start(
      {.address = o.address, .port = uint16_t(o.port), .token = token},
      dashboard::StaticAssets(dashboard::builtinAssets()), **monitor, ctl, wadmActions);
  if (!server) return reportError(server.error());
  std::string host = o.address.find(':') != std::string::npos ? "[" + o.address + "]" : o.address;
  fmt::print("dashboard http://{}:{}/?token={}\n", host, (*server)->port(), token);
  fmt::print("watching lattice {} on {}; Ctrl-C stops\n", o.lattice.lattice, o.lattice.nats);
  std::fflush(stdout);
  int signal = sigwaitinfo(&signals, nullptr);
  (*server)->stop();
  (*monitor)->stop();
  fmt::print("dashboard stopped ({})\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
  return 0;
}

}  // namespace

void addDashboardCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<DashboardOptions>();
  auto* cmd = app.add_subcommand(
      "dashboard", "Serve a live web view of a lattice: hosts, components, apps, links, message rates; scale, "
                   "migrate, deploy, drain and stop from the page");
  options->lattice.addTo(*cmd);
  cmd->add_option("--port", options->port, "HTTP port (0: any free port; the URL is printed)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--address", options->address, "Address to bind (keep loopback unless behind a proxy)")
      ->capture_default_str();
  cmd->add_option("--token", options->token, "Access token for the page and API (default: a random one, printed)")
      ->envname("PELATO_DASHBOARD_TOKEN");
  cmd->add_option("--heartbeat-ms", options->heartbeatMs,
                  "Hosts' heartbeat period until learnt from two heartbeats (30000 for wasmCloud hosts); a host silent "
                  "for 3 periods leaves the view")
      ->capture_default_str();
  cmd->callback([options, &action] { action = [options] { return runDashboard(*options); }; });
}

}  // namespace pelato::cli
