// The orchestrator process (what wadm does): serves the wadm application API, keeps every
// application's manifests in the KV bucket PELATO_APPS_<lattice>, follows the lattice through
// its events (lattice_view.h) and makes it match the deployed manifests (reconcile.h), on
// every change and periodically.
//
// - Dead hosts: a host silent for Liveness::suspectAfter is probed (host.get); one that does
//   not answer, or stays silent for missedHeartbeats periods, is dead and its instances are
//   placed elsewhere at once.
// - Make before break: a component's scale-downs wait until its scale-ups of the same plan
//   show in the lattice, so moving instances (fallback, return, drain) never leaves a
//   subject without subscribers.
// - High availability: any number may run; the one holding the lease (lease.h, key `leader`
//   in PELATO_ORCHESTRATOR_<lattice>) answers the API and reconciles; the others keep their
//   view current and take over when its lease lapses.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.h"
#include "lattice/ctl_client.h"
#include "lattice/lattice_kv.h"
#include "lattice/migrate_api.h"
#include "lattice/nats_client.h"
#include "lattice/wadm_api.h"
#include "orchestrator/app_store.h"
#include "orchestrator/lattice_view.h"
#include "orchestrator/lease.h"
#include "orchestrator/reconcile.h"

namespace pelato::orchestrator {

struct OrchestratorConfig {
  std::string natsUrl = "nats://127.0.0.1:4222";
  lattice::NatsAuth natsAuth;
  std::string lattice = "default";
  Liveness liveness;
  LoadThresholds load;                             // when hosts shed instances, and take them back
  std::chrono::milliseconds reconcileEvery{1000};  // the periodic pass, besides event-driven ones
  std::chrono::milliseconds leasePeriod{3000};
  // A scale that has not shown in the lattice after this long is sent again.
  std::chrono::milliseconds resendAfter{5000};
  std::string id;  // "" : a new one
};

class Orchestrator {
 public:
  // Connects, opens its KV buckets (fails without JetStream), subscribes to lattice events
  // and starts competing for the lease.
  static Result<std::unique_ptr<Orchestrator>> start(OrchestratorConfig config);
  ~Orchestrator();  // shutdown()

  const std::string& id() const { return config_.id; }
  void shutdown();  // idempotent

 private:
  using Clock = std::chrono::steady_clock;
  struct Sent {
    uint32_t instances = 0;
    std::string imageRef;
    Clock::time_point at;
  };

  explicit Orchestrator(OrchestratorConfig config);

  void run();  // the loop: lease, reconcile
  void stepLease(Clock::time_point now);
  void serveApi(bool leading);  // subscribes to the API when leading, unsubscribes when not
  // Its own thread, so that a slow reconcile pass never delays finding a dead host.
  void watchLiveness();
  void probeSuspects(Clock::time_point now);
  void reconcileAll();
  // `makeBeforeBreak`: hold a component's scale-downs while its scale-ups are not yet running
  // (not for undeploys: nothing comes up, and no later pass would send the held ones).
  void apply(const Plan& plan, const LatticeState& state, bool makeBeforeBreak = true);
  void applyScales(const Plan& plan, const LatticeState& state, bool makeBeforeBreak);
  void applyTransfers(const Plan& plan);  // stateful moves, one after the other

  void onEvent(const lattice::CloudEvent& event);
  void onAppEntry(lattice::KvEntry entry);

  // The wadm API (while leader).
  void onApi(const lattice::NatsMessage& message);
  lattice::Json handleApi(const lattice::WadmSubject& subject, const std::string& body);
  lattice::Json putModel(const std::string& body);
  lattice::Json deleteModel(const std::string& name, const std::string& body);
  lattice::Json deployModel(const std::string& name, const std::string& body);
  lattice::Json undeployModel(const std::string& name);
  lattice::Json migrate(const std::string& body);  // pelato.api.<lattice>.component.migrate
  lattice::Status statusOf(const StoredApp& app) const;  // with mutex_ held
  Result<void> save(const StoredApp& app);               // with mutex_ held

  OrchestratorConfig config_;
  lattice::WadmSubjects wadm_;
  std::unique_ptr<lattice::NatsClient> nats_;
  std::unique_ptr<lattice::CtlClient> ctl_;    // scales, links
  std::unique_ptr<lattice::CtlClient> probe_;  // short timeout: probes, and link.get in passes
  std::unique_ptr<lattice::LatticeKv> apps_;
  std::unique_ptr<lattice::LatticeKv> leases_;
  std::unique_ptr<lattice::KvWatch> appsWatch_;
  std::optional<lattice::NatsSubscription> events_;
  std::optional<lattice::NatsSubscription> api_;
  std::optional<lattice::NatsSubscription> migrateApi_;

  // No pass before every live host has had a heartbeat to announce itself: placing on the
  // first host seen would only move instances again a moment later.
  Clock::time_point warmUntil_;

  mutable std::mutex mutex_;  // guards everything below
  LatticeView view_;
  std::map<std::string, StoredApp> appsByName_;
  std::map<std::string, std::vector<ComponentReport>> reports_;  // by app, from the last pass
  std::map<std::pair<std::string, std::string>, Sent> sent_;      // (host, component)
  std::map<std::pair<std::string, std::string>, std::string> scaleErrors_;
  Lease lease_;
  bool dirty_ = true;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread loop_;
  std::thread liveness_;
};

}  // namespace pelato::orchestrator
