// A pelato host on a lattice: answers the control interface (wasmbus.ctl.v1.<lattice>.…;
// link.* in a queue group, so one host per command), keeps links in the lattice's KV bucket
// LATTICEDATA_<lattice> and applies them from a watch of it (so a host that starts late gets
// the links made before), runs components scaled onto it, feeds them messages through messaging links, and publishes
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
#include "host/feeds.h"
#include "host/http_link.h"
#include "host/http_provider.h"
#include "host/kv_link.h"
#include "host/module_policy.h"
#include "host/link_store.h"
#include "http/http_server.h"
#include "lattice/events.h"
#include "lattice/jetstream.h"
#include "lattice/lattice_kv.h"
#include "lattice/nats_client.h"
#include "lattice/snapshot_api.h"
#include "lattice/snapshot_store.h"
#include "lattice/subjects.h"
#include "oci/registry.h"
#include "runtime/engine.h"
#include "runtime/kv_functions.h"

namespace pelato::host {

struct HostConfig {
  std::string natsUrl = "nats://127.0.0.1:4222";
  lattice::NatsAuth natsAuth;
  std::string lattice = "default";
  lattice::StringMap labels;
  std::string friendlyName;  // "" : derived from the id
  std::chrono::milliseconds heartbeat{1000};
  runtime::Tier tier = runtime::Tier::Auto;
  std::string hostId;  // "" : a new one
  ModulePolicy policy;           // which modules may run (signed claims, trusted issuers)
  bool registryInsecure = false;  // plain HTTP to every registry (loopback ones use it anyway)
  // The HTTP server (HTTP links, GET /metrics, GET /healthz): -1 none, 0 any free port.
  int httpPort = 8000;
  std::string httpAddress = "127.0.0.1";
};

class Host {
 public:
  // Connects, opens the KV bucket (creating it; fails without JetStream) and waits for its
  // watch to deliver the existing links, subscribes to the control interface, publishes
  // host_started and starts the heartbeat.
  static Result<std::unique_ptr<Host>> start(HostConfig config);
  ~Host();  // shutdown("stop")

  const std::string& id() const { return id_; }
  // The HTTP server's port (0 when it has none).
  uint16_t httpPort() const { return httpServer_ ? httpServer_->port() : 0; }

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
    lattice::StringMap annotations;  // from the scale command (e.g. which app placed it)
    std::optional<security::ComponentClaims> claims;  // the module's, when it is signed
    std::shared_ptr<Component> component;
    Feeds feeds;
    // Stateful components (lattice/snapshot_api.h): when the last periodic snapshot was stored,
    // and the calls counted then (none since: no new snapshot needed).
    std::chrono::steady_clock::time_point lastSnapshot = std::chrono::steady_clock::now();
    uint64_t callsAtSnapshot = 0;
  };
  // How a starting component gets its state: fresh, from the store's snapshot if there is one
  // (a stateful component scaled here), or from the store's snapshot, which must exist (restore).
  enum class StartState { Fresh, StoredIfAny, Stored };

  Host(HostConfig config, lattice::Subjects subjects, std::unique_ptr<runtime::Engine> engine);

  // `queued`: the message came through a queue subscription (link.* or config.>); every other
  // command comes through the wildcard subscription, which skips those.
  void onControl(const lattice::NatsMessage& message, bool queued);
  lattice::CtlReply dispatch(const lattice::ControlSubject& subject, const lattice::NatsMessage& message,
                             std::function<void()>& after);
  lattice::CtlReply scale(const lattice::Json& body, std::function<void()>& after);
  lattice::CtlReply update(const lattice::Json& body, std::function<void()>& after);
  // Publishes component_scaled, or component_scale_failed and returns why.
  Result<void> applyScale(lattice::ScaleComponentCommand command, StartState state = StartState::Fresh);
  // component.snapshot / component.restore (host_snapshots.cc).
  Result<lattice::SnapshotInfo> snapshotComponent(const lattice::SnapshotRequest& request);
  Result<lattice::SnapshotInfo> restoreComponent(const lattice::RestoreRequest& request);
  // Applies the store's snapshot of `id` to its freshly started `component` (StartState).
  Result<void> restoreStored(const std::string& id, const std::string& imageRef, Component& component,
                             StartState state);
  // Takes and stores `component`'s snapshot; `quiesced`: its closed feeds (it is out of
  // components_), whose acknowledgements are waited for too.
  Result<lattice::SnapshotInfo> storeSnapshot(const std::string& id, const std::string& imageRef,
                                              Component& component, Feeds* quiesced);
  // Stores the snapshots of stateful components whose interval has passed, every 100 ms until
  // shutdown (a thread of its own: a snapshot waits for the component's queued messages).
  void snapshotLoop();
  lattice::CtlReply linkPut(const lattice::Json& body);
  lattice::CtlReply linkDel(const lattice::Json& body);
  // Applies a link to this host's copy (from the KV watch, or at once after a put/delete this
  // host made) and resubscribes its source component if the link changed.
  void storeLink(lattice::Link link);
  std::optional<lattice::Link> forgetLink(std::string_view kvKey);
  // Applies a named config (nullopt: deleted) and reopens the feeds that may use it.
  void storeConfig(const std::string& name, std::optional<lattice::StringMap> values);
  void onKvEntry(lattice::KvEntry entry);

  // With mutex_ held: (re)opens a running component's feeds (rpc and messaging links). The new
  // ones open before the old ones close, so no subject is ever without a subscriber.
  void subscribeLocked(const std::string& componentId, Running& running);

  // With mutex_ held: the HTTP routes of every running component's HTTP link.
  void updateRoutesLocked();
  ComponentMetrics componentMetrics(const std::string& componentId);
  // GET /metrics: Prometheus text, the gauges refreshed from the components first.
  std::string metricsText();

  // Stores a signed component's claims in LATTICEDATA_<L> (CLAIMS_<subject>) for claims.get.
  void publishClaims(const security::ComponentClaims& claims);

  // The guest key-value store a KV link asks for; buckets are opened once per host.
  Result<std::shared_ptr<runtime::KeyValue>> kvStore(const KvBinding& binding);

  lattice::Host hostSummary() const;
  lattice::HostInventory inventoryLocked() const;
  void heartbeatLoop();
  void publishEvent(std::string_view type, lattice::Json data);

  HostConfig config_;
  std::string id_;
  lattice::Subjects subjects_;
  std::unique_ptr<runtime::Engine> engine_;
  std::unique_ptr<oci::Registry> registry_;  // pulls image refs into the local cache
  std::unique_ptr<lattice::NatsClient> nats_;  // control: commands, events, KV
  std::unique_ptr<lattice::NatsClient> data_;  // data: messages into and out of components
  std::unique_ptr<lattice::JetStream> js_;     // on data_, for at-least-once links
  MetricsRegistry metrics_;
  std::unique_ptr<HttpProvider> http_;  // before the server, which calls into it
  std::unique_ptr<http::HttpServer> httpServer_;
  std::mutex kvMutex_;
  std::map<std::string, std::unique_ptr<lattice::LatticeKv>> kvBuckets_;  // on data_, by name
  std::unique_ptr<lattice::LatticeKv> kv_;   // LATTICEDATA_<lattice>
  std::unique_ptr<lattice::KvWatch> watch_;  // applies the bucket's links to links_
  std::unique_ptr<lattice::SnapshotStore> snapshots_;  // PELATO_SNAPSHOTS_<lattice>
  std::optional<lattice::NatsSubscription> control_;
  std::vector<lattice::NatsSubscription> queuedControl_;  // link.*, config.> in queue groups
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();

  mutable std::mutex mutex_;  // guards everything below
  lattice::StringMap labels_;
  LinkStore links_;
  NamedConfigs configs_;
  lattice::RegistryCredentials registryCredentials_;  // from registry.put, by registry host
  std::map<std::string, lattice::StringMap> claims_;  // the lattice's claims, by component key
  std::map<std::string, Running> components_;
  std::map<std::string, ComponentCounters> lastCounters_;  // at the previous heartbeat

  mutable std::mutex stopMutex_;
  std::condition_variable stopChanged_;
  bool stopRequested_ = false;
  bool shutDown_ = false;
  std::thread heartbeat_;
  std::thread snapshotter_;  // periodic snapshots: a busy component's wait never delays a heartbeat
};

}  // namespace pelato::host
