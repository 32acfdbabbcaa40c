#include "up/up_runner.h"

#include <unistd.h>

#include <set>
#include <thread>

#include <fmt/format.h>

#include "common/file.h"
#include "lattice/ctl_client.h"
#include "lattice/wadm_client.h"
#include "security/account_key.h"
#include "security/claims.h"
#include "up/ports.h"

namespace pelato::up {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kPoll = 50ms;
constexpr auto kStopGrace = 10s;

Result<void> writePrivate(const fs::path& path, const std::string& text) {
  // Config files hold the NATS password: owner-only (writeFileAtomic makes them 0600).
  return writeFileAtomic(path, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

std::string logTail(const fs::path& log) {
  auto text = readTextFile(log);
  if (!text || text->empty()) return "(its log is empty)";
  std::string_view t = *text;
  size_t start = t.size();
  for (int lines = 0; start > 0 && lines < 6; --start)
    if (t[start - 1] == '\n' && start != t.size()) ++lines;
  return fmt::format("its log {} ends:\n{}", log.string(), t.substr(start));
}

// The URL a host printed on its output ("http://127.0.0.1:PORT"), for hosts on any free port.
std::string hostUrl(const ServiceSpec& host) {
  if (host.port) return fmt::format("http://127.0.0.1:{}", host.port);
  auto text = readTextFile(host.log);
  if (!text) return "(no HTTP)";
  size_t at = text->rfind("http://127.0.0.1:");
  if (at == std::string::npos) return "(no HTTP)";
  size_t end = text->find_first_of(" )\n", at);
  return text->substr(at, end == std::string::npos ? std::string::npos : end - at);
}

Result<void> claimAll(UpOptions& o) {
  auto nats = claimPort(o.natsPort, "nats-server", "--nats-port");
  if (!nats) return fail(std::move(nats.error()));
  o.natsPort = *nats;
  auto registry = claimPort(o.registryPort, "docker-registry", "--registry-port");
  if (!registry) return fail(std::move(registry.error()));
  o.registryPort = *registry;
  auto dashboard = claimPort(o.dashboardPort, "the dashboard", "--dashboard-port");
  if (!dashboard) return fail(std::move(dashboard.error()));
  o.dashboardPort = *dashboard;
  if (o.edgeLeaf) {
    auto leaf = claimPort(o.leafPort, "nats-server's leafnode listener", "--leaf-port");
    if (!leaf) return fail(std::move(leaf.error()));
    o.leafPort = *leaf;
    auto edge = claimPort(o.edgeNatsPort, "the edge nats-server (leaf node)", "--edge-nats-port");
    if (!edge) return fail(std::move(edge.error()));
    o.edgeNatsPort = *edge;
  }
  if (o.hostHttpPort)
    for (unsigned i = 0; i < o.edgeHosts + o.cloudHosts; ++i)
      if (auto port = claimPort(static_cast<uint16_t>(o.hostHttpPort + i), "a host's HTTP server", "--host-http-port");
          !port)
        return fail(std::move(port.error()));
  return {};
}

// Waits until `ready` says so, or names the service and shows its log.
Result<void> waitFor(const ServiceSpec& service, Clock::time_point deadline, const std::function<bool()>& ready) {
  while (!ready()) {
    if (Clock::now() >= deadline) return fail("{} is not ready; {}", service.name, logTail(service.log));
    std::this_thread::sleep_for(kPoll);
  }
  return {};
}

// Whether JetStream answers through the leaf: it listens, it has joined the hub, and the hub's
// JetStream takes its clients' plain API requests (what the edge hosts need first thing).
bool leafServesJetStream(const ServiceSpec& leaf, const std::string& url, const Secrets& secrets) {
  if (!portInUse(leaf.port)) return false;
  auto client = lattice::NatsClient::connect(
      {.url = url, .auth = {.user = secrets.natsUser, .password = secrets.natsPassword}, .name = "pelato up"});
  return client && (*client)->request("$JS.API.INFO", "", 200ms).has_value();
}

}  // namespace

void RunningLattice::stop() {
  if (!supervisor_) return;
  supervisor_->stopAll(kStopGrace);
  supervisor_.reset();
  std::error_code ec;
  fs::remove(statePath(dataDir_), ec);
}

Result<std::unique_ptr<RunningLattice>> bringUp(UpOptions o, const fs::path& issuerKeyPath,
                                                std::chrono::milliseconds timeout, const Reporter& report) {
  auto deadline = Clock::now() + timeout;
  std::error_code ec;
  fs::create_directories(o.dataDir / "logs", ec);
  if (ec) return fail("creating {}: {}", o.dataDir.string(), ec.message());
  if (auto ok = claimAll(o); !ok) return fail(std::move(ok.error()));
  auto issuer = security::loadOrCreateAccountKey(issuerKeyPath);
  if (!issuer) return fail(std::move(issuer.error()));
  if (issuer->created) report(fmt::format("created the signing key {}", issuerKeyPath.string()));
  Secrets secrets{.natsPassword = security::newTokenId(), .dashboardToken = security::newTokenId()};
  UpPlan plan = planUp(o, secrets, issuer->pair.publicKey().encode());
  for (const auto& [path, text] : plan.files)
    if (auto ok = writePrivate(path, text); !ok) return fail(std::move(ok.error()));

  auto supervisor = std::make_unique<Supervisor>(report);
  UpState state{.pid = ::getpid(), .lattice = o.lattice, .natsUrl = plan.natsUrl, .natsUser = secrets.natsUser,
                .natsPassword = secrets.natsPassword, .registry = plan.registryAddress,
                .dashboardUrl = plan.dashboardUrl, .envFile = plan.envFile.string(),
                .edgeNatsUrl = plan.edgeNatsUrl, .leafListen = plan.leafListen};
  auto running = std::make_unique<RunningLattice>(std::move(supervisor), state, o.dataDir);
  // From here on, returning an error destroys `running`, which stops whatever was started.

  // NATS first (the hub, then the leaf), each serving before the next starts: the hosts exit when
  // they find no JetStream.
  size_t next = 0;
  for (; next < plan.services.size(); ++next) {
    const ServiceSpec& nats = plan.services[next];
    if (nats.kind != ServiceKind::Nats && nats.kind != ServiceKind::NatsLeaf) break;
    if (auto ok = running->supervisor().start(nats); !ok) return fail(std::move(ok.error()));
    auto ready = nats.kind == ServiceKind::Nats
                     ? std::function<bool()>([&] { return portInUse(nats.port); })
                     : std::function<bool()>([&] { return leafServesJetStream(nats, plan.edgeNatsUrl, secrets); });
    if (auto ok = waitFor(nats, deadline, ready); !ok) return fail(std::move(ok.error()));
  }
  // Everything else at once: each waits for what it needs by itself.
  for (size_t i = next; i < plan.services.size(); ++i)
    if (auto ok = running->supervisor().start(plan.services[i]); !ok) return fail(std::move(ok.error()));

  auto client = lattice::NatsClient::connect(
      {.url = plan.natsUrl, .auth = {.user = secrets.natsUser, .password = secrets.natsPassword}, .name = "pelato up"});
  if (!client) return fail(std::move(client.error()));
  auto subjects = lattice::Subjects::create(o.lattice);
  if (!subjects) return fail(std::move(subjects.error()));
  lattice::CtlClient ctl(**client, std::move(*subjects), 1s);
  lattice::WadmClient wadm(**client, o.lattice, 500ms);

  std::set<std::string> answered;  // hosts (by name) that answered a ping
  for (const auto& s : plan.services) {
    Result<void> ok;
    switch (s.kind) {
      case ServiceKind::Nats:
      case ServiceKind::NatsLeaf:
        continue;
      case ServiceKind::Registry:
      case ServiceKind::Dashboard:
        ok = waitFor(s, deadline, [&] { return portInUse(s.port); });
        break;
      case ServiceKind::Orchestrator:
        ok = waitFor(s, deadline, [&] { return wadm.list().has_value(); });
        break;
      case ServiceKind::Host:
        // One ping hears every host that is up: later hosts are usually known already.
        ok = waitFor(s, deadline, [&] {
          if (!answered.contains(s.name))
            if (auto hosts = ctl.pingHosts(100ms))
              for (const auto& h : *hosts) answered.insert(h.friendlyName);
          return answered.contains(s.name);
        });
        if (ok) running->addHost(fmt::format("{:<8} {}  (host-type={})", s.name, hostUrl(s), s.label));
        break;
    }
    if (!ok) return fail(std::move(ok.error()));
  }
  if (auto ok = writeState(o.dataDir, running->state()); !ok) return fail(std::move(ok.error()));
  return running;
}

}  // namespace pelato::up
