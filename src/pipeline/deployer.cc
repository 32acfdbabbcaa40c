#include "pipeline/deployer.h"

#include <thread>

#include "orchestrator/reconcile.h"

namespace pelato::pipeline {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
// How often the status is asked for while waiting: the wait ends at most this long after the
// application is deployed (200 ms made `pelato deploy` of 20 tasks 0.26 or 0.46 s, bench/brush).
constexpr auto kPoll = 50ms;

std::string describe(const lattice::StatusInfo& status) {
  std::string type(lattice::statusTypeName(status.type));
  return status.message.empty() ? type : fmt::format("{}: {}", type, status.message);
}

// How many components of `application` the lattice's hosts run.
Result<size_t> runningComponents(lattice::CtlClient& ctl, const std::string& application) {
  auto hosts = ctl.pingHosts(300ms);
  if (!hosts) return fail(std::move(hosts.error()));
  size_t running = 0;
  for (const auto& host : *hosts) {
    auto inventory = ctl.inventory(host.id);
    if (!inventory) continue;  // a host that just left runs nothing
    for (const auto& c : inventory->components)
      if (c.annotations) {
        auto app = c.annotations->find(std::string(orchestrator::kAppSpecAnnotation));
        if (app != c.annotations->end() && app->second == application) ++running;
      }
  }
  return running;
}

}  // namespace

Result<DeployOutcome> deployManifest(lattice::WadmClient& wadm, std::string_view manifestText,
                                     std::chrono::milliseconds wait, const DeployObserver& observer) {
  auto put = wadm.put(manifestText);
  if (!put) return fail(std::move(put.error()));
  std::optional<std::string> version;
  if (!put->currentVersion.empty()) version = put->currentVersion;
  auto deployed = wadm.deploy(put->name, version);
  if (!deployed) return fail(std::move(deployed.error()));
  DeployOutcome out{.application = put->name, .version = put->currentVersion};
  observer(fmt::format("stored {} version {} and asked to deploy it", out.application, out.version));
  if (wait == 0ms) return out;

  auto deadline = Clock::now() + wait;
  std::string last;
  while (true) {
    auto status = wadm.status(out.application);
    if (!status) return fail(std::move(status.error()));
    out.status = status->info;
    if (std::string now = describe(out.status); now != last) {
      observer("status " + now);
      last = now;
    }
    if (out.status.type == lattice::StatusType::Deployed) return out;
    if (out.status.type == lattice::StatusType::Failed)
      return fail("{} failed to deploy: {}", out.application, describe(out.status));
    if (Clock::now() >= deadline)
      return fail("{} is not deployed after {} s (status {}); it stays deployed and the orchestrator keeps trying "
                  "(`pelato app status {}`), or `pelato remove` takes it away",
                  out.application, std::chrono::duration_cast<std::chrono::seconds>(wait).count(), describe(out.status),
                  out.application);
    std::this_thread::sleep_for(kPoll);
  }
}

Result<bool> removeApplication(lattice::WadmClient& wadm, lattice::CtlClient& ctl, const std::string& application,
                               std::chrono::milliseconds wait, const DeployObserver& observer) {
  auto models = wadm.list();
  if (!models) return fail(std::move(models.error()));
  bool stored = std::any_of(models->begin(), models->end(),
                            [&](const lattice::ModelSummary& m) { return m.name == application; });
  if (stored) {
    if (auto undeployed = wadm.undeploy(application); !undeployed) return fail(std::move(undeployed.error()));
    observer(fmt::format("asked to undeploy {}", application));
  }
  auto deadline = Clock::now() + wait;
  size_t running = 0;
  while (true) {
    auto count = runningComponents(ctl, application);
    if (!count) return fail(std::move(count.error()));
    if (*count == 0) break;
    if (*count != running) observer(fmt::format("{} component{} of {} still running", *count, *count == 1 ? "" : "s", application));
    running = *count;
    if (Clock::now() >= deadline)
      return fail("{} component{} of {} still run after {} s; `pelato get hosts` and `pelato get inventory HOST` "
                  "show where", *count, *count == 1 ? "" : "s", application,
                  std::chrono::duration_cast<std::chrono::seconds>(wait).count());
    std::this_thread::sleep_for(kPoll);
  }
  if (stored) {
    if (auto deleted = wadm.del(application); !deleted) return fail(std::move(deleted.error()));
    observer(fmt::format("deleted every stored version of {}", application));
  }
  return stored;
}

}  // namespace pelato::pipeline
