// Watches a lattice for the dashboard: lattice events (wasmbus.evt.<lattice>.>) feed a
// LatticeView, the wadm API's model.list is polled every second for the applications (no
// orchestrator is fine: the view says so), link.get fills the links until a host first answers,
// and a second subscription on `>` counts application messages per subject (MessageRates).
// Every change bumps a version, so that the server pushes snapshots only when there is news.
//
// Threads: events and messages arrive on nats.c's threads, the poller runs on a thread of its
// own; everything shared sits behind one mutex, held only to update or copy.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "dashboard/lattice_view.h"
#include "dashboard/message_rates.h"
#include "lattice/ctl_client.h"
#include "lattice/nats_client.h"
#include "lattice/wadm_client.h"

namespace pelato::dashboard {

struct MonitorOptions {
  std::chrono::milliseconds appsEvery{1000};  // how often model.list is asked
  std::chrono::milliseconds tick{200};        // how often silent hosts and the rate chart are checked
  size_t maxSubjects = 100;                   // subjects charted; the rest count as "(other)"
  size_t rateWindowSeconds = 60;
  std::chrono::milliseconds heartbeat = kDefaultHeartbeat;  // assumed until a host's is learnt
};

struct Snapshot {
  uint64_t version = 0;
  std::string json;  // the whole view (toJson) plus "lattice", "version", "now_ms" and "rates"
};

class LatticeMonitor {
 public:
  // Subscribes and starts polling. `ctl` and `wadm` must outlive the monitor.
  static Result<std::unique_ptr<LatticeMonitor>> start(lattice::CtlClient& ctl, lattice::WadmClient& wadm,
                                                       MonitorOptions options = {});
  ~LatticeMonitor();  // stop()
  LatticeMonitor(const LatticeMonitor&) = delete;
  LatticeMonitor& operator=(const LatticeMonitor&) = delete;

  // Unsubscribes and joins the poller. Idempotent.
  void stop();

  // Bumped by every change the page would show.
  uint64_t version() const { return version_.load(); }
  Snapshot snapshot();

  // `componentId` as some host runs it (its image ref, the application that placed it), if any.
  std::optional<ComponentView> componentOf(std::string_view componentId);

 private:
  LatticeMonitor(lattice::CtlClient& ctl, lattice::WadmClient& wadm, MonitorOptions options);
  void onEvent(Result<lattice::CloudEvent> event);
  void onMessage(lattice::NatsReceived message);
  void poll();

  lattice::CtlClient& ctl_;
  lattice::WadmClient& wadm_;
  MonitorOptions options_;
  std::mutex mutex_;
  LatticeView view_;
  MessageRates rates_;
  std::atomic<uint64_t> version_{1};
  std::optional<lattice::NatsSubscription> events_;
  std::optional<lattice::NatsSubscription> traffic_;
  std::mutex stopMutex_;
  std::condition_variable stopSignal_;
  bool stopping_ = false;
  std::thread poller_;
};

}  // namespace pelato::dashboard
