// A pelato host on a lattice: answers the control interface (wasmbus.ctl.v1.<lattice>.…),
// runs components scaled onto it, feeds them messages through messaging links, and publishes
// host_started, host_heartbeat (every `heartbeat`), component_scaled/_failed, labels_changed,
// linkdef_set/_deleted and host_stopped. All handlers run on nats.c threads; the host never
// throws or exits on bad input, it replies {"success": false, "message": why}.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "host/component.h"
#include "host/link_store.h"
#include "lattice/events.h"
#include "lattice/nats_client.h"
#include "lattice/subjects.h"
#include "runtime/engine.h"

namespace pelato::host {

struct HostConfig {
  std::string natsUrl = "nats://127.0.0.1:4222";
  std::string lattice = "default";
  lattice::StringMap labels;
  std::string friendlyName;  // "" : derived from the id
  std::chrono::milliseconds heartbeat{1000};
  runtime::Tier tier = runtime::Tier::Auto;
  std::string hostId;  // "" : a new one
};

class Host {
 public:
  // Connects, subscribes to the control interface, publishes host_started and starts the
  // heartbeat.
  static Result<std::unique_ptr<Host>> start(HostConfig config);
  ~Host();  // shutdown("stop")

  const std::string& id() const { return id_; }

  // Asks the host to stop (from any thread, e.g. a handler); the owner then calls shutdown().
  void requestStop();
  bool stopRequested() const;
  bool waitForStopRequest(std::chrono::milliseconds timeout);

  // Stops the heartbeat, the subscriptions and the components (finishing queued messages),
  // publishes host_stopped and closes the connection. Idempotent. Not from a handler.
  void shutdown(std::string reason = "stop");

 private:
  struct Running {
    std::string imageRef;
    uint32_t count = 0;
    std::shared_ptr<Component> component;
    std::vector<lattice::NatsSubscription> subscriptions;
  };

  Host(HostConfig config, lattice::Subjects subjects, std::unique_ptr<runtime::Engine> engine);

  void onControl(const lattice::NatsMessage& message);
  lattice::CtlReply dispatch(const lattice::ControlSubject& subject, const lattice::NatsMessage& message,
                             std::function<void()>& after);
  lattice::CtlReply scale(const lattice::Json& body, std::function<void()>& after);
  void applyScale(lattice::ScaleComponentCommand command);
  lattice::CtlReply linkPut(const lattice::Json& body);
  lattice::CtlReply linkDel(const lattice::Json& body);

  // With mutex_ held: (re)subscribes a running component to its messaging links.
  void subscribeLocked(const std::string& componentId, Running& running);

  lattice::Host hostSummary() const;
  lattice::HostInventory inventoryLocked() const;
  void heartbeatLoop();
  void publishEvent(std::string_view type, lattice::Json data);

  HostConfig config_;
  std::string id_;
  lattice::Subjects subjects_;
  std::unique_ptr<runtime::Engine> engine_;
  std::unique_ptr<lattice::NatsClient> nats_;
  std::optional<lattice::NatsSubscription> control_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();

  mutable std::mutex mutex_;  // guards everything below
  lattice::StringMap labels_;
  LinkStore links_;
  std::map<std::string, Running> components_;
  std::map<std::string, ComponentCounters> lastCounters_;  // at the previous heartbeat

  mutable std::mutex stopMutex_;
  std::condition_variable stopChanged_;
  bool stopRequested_ = false;
  bool shutDown_ = false;
  std::thread heartbeat_;
};

}  // namespace pelato::host
