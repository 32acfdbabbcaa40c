// Stateful components on real `pelato host` processes and a real nats-server: a counter keeps
// exact totals across 100 live migrations under a continuous at-least-once stream (no message
// lost, none counted twice); a killed host's counter restarts elsewhere from its last periodic
// snapshot; a stopped host leaves its final one; snapshots and restores refuse what they must.
// Orchestrated (`stateful: true` in a manifest, a `pelato orchestrator` process): a drained
// host's counter and a `pelato migrate`d one move by Transfer with exact totals; a killed edge
// host's counter falls back to cloud from its last periodic snapshot and returns to a new edge
// host with its state.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <numeric>
#include <thread>

#include "common/file.h"
#include "lattice/component_migration.h"
#include "lattice/ctl_client.h"
#include "lattice/jetstream.h"
#include "lattice/migrate_api.h"
#include "lattice/snapshot_store.h"
#include "lattice/subjects.h"
#include "lattice/wadm_client.h"
#include "support/lattice_probe.h"
#include "support/nats_server.h"
#include "support/stream_reader.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using lattice::Json;
using Clock = std::chrono::steady_clock;
using testing::ChildProcess;
using testing::Collector;
using testing::ctlReply;
using testing::eventIs;
using testing::HostChild;

std::string counterRef() { return fmt::format("file://{}/stateful_counter_task.wasm", PELATO_GUEST_DIR); }

// Publishes "1" to a JetStream subject (ids "<subject>-<n>", retried until stored), `gap` apart,
// from start() to pause(); start() again goes on with the next number. Every message adds 1 to
// the counter, so output k reads "n=k sum=k": a lost message leaves a gap, one counted twice
// pushes every later total past its n.
class Ones {
 public:
  Ones(lattice::JetStream& js, std::string subject, std::chrono::microseconds gap = 2ms)
      : js_(js), subject_(std::move(subject)), gap_(gap) {}
  ~Ones() { pause(); }
  void start() {
    stop_ = false;
    thread_ = std::thread([this] {
      while (!stop_) {
        int n = sent_.load();
        if (js_.publish(subject_, "1", fmt::format("{}-{}", subject_, n), 2s)) ++sent_;
        else std::this_thread::sleep_for(10ms);
        std::this_thread::sleep_for(gap_);
      }
    });
  }
  void pause() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int sent() const { return sent_; }

 private:
  lattice::JetStream& js_;
  std::string subject_;
  std::chrono::microseconds gap_;
  std::atomic<bool> stop_{false};
  std::atomic<int> sent_{0};
  std::thread thread_;
};

// Exactly `total` outputs, output k reading "n=k sum=k": nothing lost, nothing counted twice.
void expectExactTotals(testing::StreamReader& reader, size_t total, std::chrono::seconds wait = 30s) {
  ASSERT_TRUE(reader.waitDistinct(total, wait)) << reader.distinct() << " of " << total;
  std::this_thread::sleep_for(2500ms);  // a late redelivery would show as an extra output
  auto outputs = reader.messages();
  ASSERT_EQ(outputs.size(), total) << "outputs of " << total << " inputs";
  for (size_t k = 1; k <= total; ++k)
    ASSERT_EQ(outputs[k - 1], fmt::format("n={} sum={}", k, k)) << "output " << k << " of " << total;
}

class StatefulTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::NatsServer::start();
    if (!server) GTEST_SKIP() << server.error().message();
    server_ = std::move(*server);
    auto client = lattice::NatsClient::connect({.url = server_->url(), .name = "stateful-test"});
    ASSERT_TRUE(client) << client.error().message();
    nats_ = std::move(*client);
    auto js = lattice::JetStream::open(*nats_);
    ASSERT_TRUE(js) << js.error().message();
    js_ = std::move(*js);
    ctl_ = std::make_unique<lattice::CtlClient>(*nats_, subjects_, 5s);
    auto events = nats_->subscribe(subjects_.eventWildcard(), events_.handler());
    ASSERT_TRUE(events && nats_->flush());
    eventSub_.emplace(std::move(*events));
    setenv("PELATO_CACHE_DIR", cache_.path().c_str(), 1);
  }
  void TearDown() override {
    eventSub_.reset();
    ctl_.reset();
    js_.reset();
    nats_.reset();
  }

  HostChild startHost() { return testing::startHost(PELATO_BINARY, server_->url(), kLattice); }

  lattice::StringMap statefulAnnotations(std::string intervalMs = "") {
    lattice::StringMap a{{std::string(lattice::kStatefulAnnotation), "true"}};
    if (!intervalMs.empty()) a[std::string(lattice::kSnapshotIntervalAnnotation)] = intervalMs;
    return a;
  }

  void startCounter(const HostChild& host, lattice::StringMap annotations) {
    lattice::ScaleComponentCommand c{.componentRef = counterRef(), .componentId = "counter", .hostId = host.id,
                                     .maxInstances = 1, .annotations = std::move(annotations)};
    auto scaled = ctl_->scale(c, 10s);
    ASSERT_TRUE(scaled) << scaled.error().message();
  }

  void linkCounter() {
    lattice::Link l{.sourceId = "counter", .target = "provider", .witNamespace = "wasmcloud",
                    .witPackage = "messaging", .interfaces = {"consumer"},
                    .sourceConfig = {"subscriptions=count.in", "destination=count.out", "delivery=at-least-once",
                                     "ack_wait_ms=2000"}};
    ASSERT_TRUE(ctl_->linkPut(l));
  }

  std::string call(const std::string& input) {
    auto out = ctl_->call("counter", input, 5s);
    return out ? *out : "error: " + out.error().message();
  }

  static constexpr const char* kLattice = "stateful";
  lattice::Subjects subjects_ = *lattice::Subjects::create(kLattice);
  TempDir cache_ = *TempDir::create("pelato-stateful-cache");
  std::unique_ptr<testing::NatsServer> server_;
  std::unique_ptr<lattice::NatsClient> nats_;
  std::unique_ptr<lattice::JetStream> js_;
  std::unique_ptr<lattice::CtlClient> ctl_;
  Collector events_;
  std::optional<lattice::NatsSubscription> eventSub_;
};

TEST_F(StatefulTest, CounterKeepsExactTotalsAcrossAHundredMigrationsUnderAStream) {
  auto a = startHost();
  auto b = startHost();
  ASSERT_FALSE(a.id.empty() || b.id.empty());
  linkCounter();
  startCounter(a, statefulAnnotations());
  auto out = js_->streamFor(kLattice, "count.out");
  ASSERT_TRUE(out) << out.error().message();
  testing::StreamReader reader(*js_, *out, "count.out");

  Ones ones(*js_, "count.in", 100us);  // about 10 a millisecond, between the moves too
  ones.start();
  ASSERT_TRUE(reader.waitDistinct(50, 20s));
  const HostChild* hosts[] = {&a, &b};
  std::vector<int64_t> took;
  for (int move = 0; move < 100; ++move) {
    const HostChild& from = *hosts[move % 2];
    const HostChild& to = *hosts[(move + 1) % 2];
    auto started = std::chrono::steady_clock::now();
    auto moved = lattice::moveStateful(*ctl_, {.componentId = "counter", .componentRef = counterRef(),
                                               .annotations = statefulAnnotations(), .fromHost = from.id,
                                               .toHost = to.id, .timeout = 10s});
    ASSERT_TRUE(moved) << "move " << move << ": " << moved.error().message();
    took.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                       .count());
    std::this_thread::sleep_for(20ms);  // some messages on each host
  }
  ones.pause();
  const size_t total = static_cast<size_t>(ones.sent());
  ASSERT_NO_FATAL_FAILURE(expectExactTotals(reader, total, 60s));
  std::sort(took.begin(), took.end());
  std::cout << total << " messages over 100 migrations; a migration took " << took[took.size() / 2]
            << " ms (median), " << took.back() << " ms (max)\n";
}

TEST_F(StatefulTest, AKilledHostsCounterRestartsFromItsLastPeriodicSnapshot) {
  auto a = startHost();
  auto b = startHost();
  ASSERT_FALSE(a.id.empty() || b.id.empty());
  startCounter(a, statefulAnnotations("100"));
  ASSERT_TRUE(testing::waitForService(*nats_, *subjects_.rpc("counter"), "check", "n=0"));
  ASSERT_EQ(call("ballast 200000"), "ballast=200000");
  for (int i = 1; i <= 10; ++i) ASSERT_EQ(call("5"), fmt::format("n={} sum={}", i, 5 * i));
  std::string before = call("check");
  // A snapshot follows within the interval and a heartbeat (200 ms in tests).
  std::this_thread::sleep_for(800ms);
  a.process->signal(SIGKILL);
  ASSERT_EQ(a.process->waitExit(5s), 128 + SIGKILL);
  startCounter(b, statefulAnnotations("100"));
  EXPECT_EQ(call("check"), before);
  EXPECT_EQ(call("5"), "n=11 sum=55");
}

TEST_F(StatefulTest, AStoppedHostLeavesItsFinalState) {
  auto a = startHost();
  ASSERT_FALSE(a.id.empty());
  startCounter(a, statefulAnnotations());  // no periodic snapshots: only the final one
  ASSERT_TRUE(testing::waitForService(*nats_, *subjects_.rpc("counter"), "check", "n=0"));
  for (int i = 1; i <= 3; ++i) ASSERT_EQ(call("7"), fmt::format("n={} sum={}", i, 7 * i));
  ASSERT_TRUE(ctl_->stopHost(a.id));
  ASSERT_TRUE(a.process->waitExit(10s).has_value());
  auto b = startHost();
  ASSERT_FALSE(b.id.empty());
  startCounter(b, statefulAnnotations());
  EXPECT_EQ(call("7"), "n=4 sum=28");
}

TEST_F(StatefulTest, SnapshotsAndRestoresRefuseWhatTheyMust) {
  auto a = startHost();
  ASSERT_FALSE(a.id.empty());
  auto missing = ctl_->snapshot(a.id, {.componentId = "counter", .stop = true}, 5s);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("not running on host"), std::string::npos) << missing.error().message();
  auto none = ctl_->restore(a.id, {.componentRef = counterRef(), .componentId = "nobody"}, 5s);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("no snapshot of nobody"), std::string::npos) << none.error().message();

  startCounter(a, statefulAnnotations());
  ASSERT_TRUE(testing::waitForService(*nats_, *subjects_.rpc("counter"), "check", "n=0"));
  ASSERT_EQ(call("2"), "n=1 sum=2");
  auto taken = ctl_->snapshot(a.id, {.componentId = "counter"}, 5s);  // without stop: it keeps running
  ASSERT_TRUE(taken) << taken.error().message();
  EXPECT_GT(taken->bytes, 0u);
  EXPECT_EQ(call("2"), "n=2 sum=4");

  // Another module cannot take the counter's state, and the host says why.
  auto other = ctl_->restore(a.id,
                             {.componentRef = fmt::format("file://{}/upper_task.wasm", PELATO_GUEST_DIR),
                              .componentId = "counter"},
                             5s);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message().find("another module"), std::string::npos) << other.error().message();
  // Nothing was lost meanwhile: the counter still runs, with its state.
  EXPECT_EQ(call("2"), "n=3 sum=6");

  // A stateful component runs one instance.
  lattice::ScaleComponentCommand two{.componentRef = counterRef(), .componentId = "counter2", .hostId = a.id,
                                     .maxInstances = 2, .annotations = statefulAnnotations()};
  auto refused = ctl_->scale(two, 10s);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("one instance"), std::string::npos) << refused.error().message();
}

// --- orchestrated: `stateful: true` in a manifest, a `pelato orchestrator` process ------------

// The stateful counter `<app>-counter` on "<app>.in" → "<app>.out" (an at-least-once messaging
// link), one instance spread over `spread` (flow-style entries, one a line).
std::string statefulManifest(std::string_view app, std::string_view spread, uint32_t intervalMs) {
  std::string interval = intervalMs ? fmt::format(", snapshot_interval_ms: {}", intervalMs) : "";
  return fmt::format(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: {0}
  annotations: {{description: "stateful integration test"}}
spec:
  components:
    - name: counter
      type: component
      properties: {{image: "{1}", stateful: true{2}}}
      traits:
        - type: spreadscaler
          properties:
            instances: 1
            spread:
{3}
        - type: link
          properties:
            target: nats
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
            source_config:
              - name: subs
                properties: {{subscriptions: {0}.in, destination: {0}.out, delivery: at-least-once, ack_wait_ms: "2000"}}
    - name: nats
      type: capability
      properties: {{image: builtin-messaging}}
)",
                     app, counterRef(), interval, spread);
}
constexpr std::string_view kEdgeOnly = "              - {name: edge, weight: 100, requirements: {host-type: edge}}";
// The pipeline's shape (templates/tasks/processor_nats): edge, and cloud only as a fallback.
constexpr std::string_view kEdgeThenCloud =
    "              - {name: edge, weight: 100, requirements: {host-type: edge}}\n"
    "              - {name: cloud, weight: 0, requirements: {host-type: cloud}}";


// "n=<messages> ..." → messages.
std::optional<uint64_t> countIn(const std::string& check) {
  unsigned long long n = 0;
  if (std::sscanf(check.c_str(), "n=%llu", &n) != 1) return std::nullopt;
  return n;
}

class OrchestratedStatefulTest : public StatefulTest {
 protected:
  void SetUp() override {
    StatefulTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    wadm_ = std::make_unique<lattice::WadmClient>(*nats_, kLattice);
    auto store = lattice::SnapshotStore::open(*nats_, kLattice);
    ASSERT_TRUE(store) << store.error().message();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    wadm_.reset();
    StatefulTest::TearDown();
  }

  HostChild startHost(const std::string& type) {
    return testing::startHost(PELATO_BINARY, server_->url(), kLattice, {"--label", "host-type=" + type});
  }

  std::unique_ptr<ChildProcess> startOrchestrator() {
    auto child = testing::startOrchestrator(PELATO_BINARY, server_->url(), kLattice, {"--lease-ms", "1500"});
    EXPECT_TRUE(child) << (child ? "" : child.error().message());
    if (!child) return nullptr;
    auto deadline = Clock::now() + 10s;  // it leads: it answers the API
    lattice::WadmClient quick(*nats_, kLattice, 500ms);
    while (Clock::now() < deadline && !quick.list()) std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(quick.list()) << "the orchestrator answers the wadm API";
    return std::move(*child);
  }

  void deploy(const std::string& text) {
    auto put = wadm_->put(text);
    ASSERT_TRUE(put) << put.error().message();
    auto deployed = wadm_->deploy(put->name, put->currentVersion);
    ASSERT_TRUE(deployed) << deployed.error().message();
  }

  // Instances of `component` per host, from the hosts' inventories (unanswered hosts count 0).
  std::vector<uint32_t> placement(const std::vector<const HostChild*>& hosts, const std::string& component) {
    std::vector<uint32_t> out;
    for (const auto* host : hosts) {
      uint32_t n = 0;
      if (auto inventory = ctl_->inventory(host->id))
        for (const auto& c : inventory->components)
          if (c.id == component) n = c.maxInstances;
      out.push_back(n);
    }
    return out;
  }
  bool waitForPlacement(const std::vector<const HostChild*>& hosts, const std::string& component,
                        const std::vector<uint32_t>& want, std::chrono::milliseconds timeout = 15s) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (placement(hosts, component) == want) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  std::string describe(const std::vector<const HostChild*>& hosts, const std::string& component) {
    std::string out;
    auto now = placement(hosts, component);
    for (size_t i = 0; i < hosts.size(); ++i) out += fmt::format("{}={} ", hosts[i]->id.substr(0, 8), now[i]);
    return out;
  }
  // The one host of `hosts` the orchestrator placed `component` on; nullptr if none did.
  const HostChild* placedOn(const std::vector<const HostChild*>& hosts, const std::string& component) {
    auto deadline = Clock::now() + 15s;
    while (Clock::now() < deadline) {
      auto now = placement(hosts, component);
      if (std::accumulate(now.begin(), now.end(), 0u) == 1)
        for (size_t i = 0; i < hosts.size(); ++i)
          if (now[i] == 1) return hosts[i];
      std::this_thread::sleep_for(50ms);
    }
    return nullptr;
  }

  std::string check(const std::string& component) {
    auto out = ctl_->call(component, "check", 5s);
    return out ? *out : "error: " + out.error().message();
  }
  // The counter's "check" once it stayed the same for `quiet` (redeliveries settled).
  std::string settledCheck(const std::string& component, std::chrono::milliseconds quiet = 3s) {
    auto deadline = Clock::now() + 20s;
    std::string last = check(component);
    auto since = Clock::now();
    while (Clock::now() < deadline && Clock::now() - since < quiet) {
      std::this_thread::sleep_for(250ms);
      auto now = check(component);
      if (now != last) last = now, since = Clock::now();
    }
    return last;
  }

  std::optional<lattice::SnapshotRecord> stored(const std::string& component) {
    auto loaded = store_->load(component);
    if (!loaded || !*loaded) return std::nullopt;
    return (**loaded).record;
  }

  // Output k of the counter's stream reads "n=k sum=k" (each input adds 1), k = 1..total: a
  // lost message leaves a gap, one counted twice pushes every later total past its n.

  std::unique_ptr<testing::StreamReader> readOutputs(const std::string& app) {
    auto in = js_->streamFor(kLattice, app + ".in");  // the producer's stream exists before the link's consumer
    EXPECT_TRUE(in) << (in ? "" : in.error().message());
    auto out = js_->streamFor(kLattice, app + ".out");
    EXPECT_TRUE(out) << (out ? "" : out.error().message());
    if (!in || !out) return nullptr;
    return std::make_unique<testing::StreamReader>(*js_, *out, app + ".out");
  }

  std::unique_ptr<lattice::WadmClient> wadm_;
  std::unique_ptr<lattice::SnapshotStore> store_;
};

TEST_F(OrchestratedStatefulTest, ADrainedHostsCounterMovesByTransferWithExactTotalsUnderAStream) {
  auto a = startHost("edge");
  auto b = startHost("edge");
  ASSERT_FALSE(a.id.empty() || b.id.empty());
  auto orchestrator = startOrchestrator();
  ASSERT_TRUE(orchestrator);
  ASSERT_NO_FATAL_FAILURE(deploy(statefulManifest("sd", kEdgeOnly, 0)));
  std::vector<const HostChild*> both{&a, &b};
  const HostChild* from = placedOn(both, "sd-counter");
  ASSERT_NE(from, nullptr) << describe(both, "sd-counter");
  const HostChild* to = from == &a ? &b : &a;
  auto reader = readOutputs("sd");
  ASSERT_TRUE(reader);
  Ones ones(*js_, "sd.in");
  ones.start();
  ASSERT_TRUE(reader->waitDistinct(50, 20s)) << reader->distinct() << " outputs";
  EXPECT_FALSE(stored("sd-counter")) << "no periodic snapshots: nothing is stored before the move";

  auto drained = Clock::now();
  ASSERT_TRUE(ctl_->labelPut(from->id, {.key = std::string(lattice::kDrainLabel), .value = "true"}));
  std::vector<const HostChild*> fromTo{from, to};
  ASSERT_TRUE(waitForPlacement(fromTo, "sd-counter", {0, 1}, 15s)) << describe(fromTo, "sd-counter");
  RecordProperty("drain_move_seconds", fmt::format("{:.2f}", std::chrono::duration<double>(Clock::now() - drained).count()));
  // The Transfer's snapshot (with stop) was taken on the drained host; a scale-up on the target
  // would have found nothing stored and counted from 0 again.
  auto record = stored("sd-counter");
  ASSERT_TRUE(record) << "a Transfer stores the counter's snapshot";
  EXPECT_EQ(record->hostId, from->id);
  EXPECT_EQ(record->generation, 1u);
  std::this_thread::sleep_for(1s);  // messages on the target too
  ones.pause();
  ASSERT_NO_FATAL_FAILURE(expectExactTotals(*reader, size_t(ones.sent())));
  EXPECT_EQ(countIn(check("sd-counter")), uint64_t(ones.sent()));
  EXPECT_EQ(placement(fromTo, "sd-counter"), (std::vector<uint32_t>{0, 1})) << "the drained host stays empty";
}

TEST_F(OrchestratedStatefulTest, PelatoMigrateMovesTheOrchestratedCounterWithItsState) {
  auto a = startHost("edge");
  auto b = startHost("edge");
  ASSERT_FALSE(a.id.empty() || b.id.empty());
  auto orchestrator = startOrchestrator();
  ASSERT_TRUE(orchestrator);
  ASSERT_NO_FATAL_FAILURE(deploy(statefulManifest("sm", kEdgeOnly, 0)));
  std::vector<const HostChild*> both{&a, &b};
  const HostChild* from = placedOn(both, "sm-counter");
  ASSERT_NE(from, nullptr) << describe(both, "sm-counter");
  const HostChild* to = from == &a ? &b : &a;
  ASSERT_TRUE(testing::waitForService(*nats_, *subjects_.rpc("sm-counter"), "check", "n="));
  ASSERT_EQ(ctl_->call("sm-counter", "ballast 300000", 5s).value_or("failed"), "ballast=300000");
  auto reader = readOutputs("sm");
  ASSERT_TRUE(reader);
  Ones ones(*js_, "sm.in");
  ones.start();
  ASSERT_TRUE(reader->waitDistinct(100, 20s)) << reader->distinct() << " outputs";
  ones.pause();
  ASSERT_TRUE(reader->waitDistinct(size_t(ones.sent()), 10s)) << reader->distinct() << " of " << ones.sent();
  std::string before = check("sm-counter");
  ASSERT_EQ(countIn(before), uint64_t(ones.sent())) << before;

  auto migrate = ChildProcess::start({PELATO_BINARY, "migrate", "sm-counter", "--to", to->id, "--nats",
                                      server_->url(), "--lattice", kLattice});
  ASSERT_TRUE(migrate) << migrate.error().message();
  ASSERT_EQ((*migrate)->waitExit(30s), 0) << (*migrate)->output();
  EXPECT_NE((*migrate)->output().find("the orchestrator keeps it there"), std::string::npos) << (*migrate)->output();
  std::vector<const HostChild*> fromTo{from, to};
  ASSERT_TRUE(waitForPlacement(fromTo, "sm-counter", {0, 1}, 5s)) << describe(fromTo, "sm-counter");
  EXPECT_EQ(check("sm-counter"), before) << "its totals and its 300000 bytes of ballast (the digest) moved";
  auto record = stored("sm-counter");
  ASSERT_TRUE(record) << "a Transfer stores the counter's snapshot";
  EXPECT_EQ(record->hostId, from->id);

  // It stays there, and counts on from where it was.
  ones.start();
  std::this_thread::sleep_for(2500ms);  // a couple of reconcile passes
  EXPECT_EQ(placement(fromTo, "sm-counter"), (std::vector<uint32_t>{0, 1})) << "the move holds";
  ones.pause();
  ASSERT_NO_FATAL_FAILURE(expectExactTotals(*reader, size_t(ones.sent())));
}

TEST_F(OrchestratedStatefulTest, AKilledEdgeHostsCounterFallsBackToCloudFromItsSnapshotAndReturnsWithIt) {
  auto edge = startHost("edge");
  auto cloud = startHost("cloud");
  ASSERT_FALSE(edge.id.empty() || cloud.id.empty());
  auto orchestrator = startOrchestrator();
  ASSERT_TRUE(orchestrator);
  ASSERT_NO_FATAL_FAILURE(deploy(statefulManifest("sf", kEdgeThenCloud, 200)));
  std::vector<const HostChild*> all{&edge, &cloud};
  ASSERT_TRUE(waitForPlacement(all, "sf-counter", {1, 0})) << describe(all, "sf-counter");
  auto reader = readOutputs("sf");
  ASSERT_TRUE(reader);
  Ones ones(*js_, "sf.in");
  ones.start();
  ASSERT_TRUE(reader->waitDistinct(100, 20s)) << reader->distinct() << " outputs";
  auto early = countIn(check("sf-counter"));
  ASSERT_TRUE(early && *early > 0);
  std::this_thread::sleep_for(1s);  // periodic snapshots (200 ms) after `early`
  auto lastBeforeKill = stored("sf-counter");
  ASSERT_TRUE(lastBeforeKill) << "periodic snapshots were stored";
  EXPECT_EQ(lastBeforeKill->hostId, edge.id);

  // kill -9: no final snapshot; cloud restarts the counter from the last periodic one.
  edge.process->signal(SIGKILL);
  auto killed = Clock::now();
  ASSERT_EQ(edge.process->waitExit(5s), 128 + SIGKILL);
  ones.pause();
  const uint64_t sent = uint64_t(ones.sent());
  std::vector<const HostChild*> clouds{&cloud};
  ASSERT_TRUE(waitForPlacement(clouds, "sf-counter", {1}, 15s)) << describe(clouds, "sf-counter");
  const double fellBack = std::chrono::duration<double>(Clock::now() - killed).count();
  RecordProperty("fallback_seconds", fmt::format("{:.2f}", fellBack));
  auto restored = countIn(check("sf-counter"));
  ASSERT_TRUE(restored);
  EXPECT_GE(*restored, *early) << "restarted from its last periodic snapshot, not from 0";
  EXPECT_LE(*restored, sent);
  // The crash semantics (docs/PROTOCOL.md): what the counter ran and acknowledged after its last
  // snapshot is not in the restored state; what it had not acknowledged comes again (JetStream
  // redelivery after the 2 s ack wait). Let that settle.
  std::string before = settledCheck("sf-counter");
  auto settled = countIn(before);
  ASSERT_TRUE(settled) << before;
  EXPECT_GE(*settled, *early);
  std::cout << "counted " << *early << " 1 s before the kill, " << *restored << " on restart, " << *settled
            << " settled, of " << sent << " sent; on cloud " << fellBack << " s after the kill\n";
  std::this_thread::sleep_for(1s);  // the periodic snapshot after the last call is stored
  auto beforeReturn = stored("sf-counter");
  ASSERT_TRUE(beforeReturn);

  // An edge host comes back: the counter returns to it by Transfer, with its state exactly.
  auto edge2 = startHost("edge");
  ASSERT_FALSE(edge2.id.empty());
  auto returning = Clock::now();
  std::vector<const HostChild*> back{&edge2, &cloud};
  ASSERT_TRUE(waitForPlacement(back, "sf-counter", {1, 0}, 15s)) << describe(back, "sf-counter");
  RecordProperty("return_seconds", fmt::format("{:.2f}", std::chrono::duration<double>(Clock::now() - returning).count()));
  auto transferred = stored("sf-counter");
  ASSERT_TRUE(transferred);
  EXPECT_EQ(transferred->hostId, cloud.id);
  EXPECT_EQ(transferred->generation, beforeReturn->generation + 1) << "the Transfer took one snapshot on cloud";
  EXPECT_EQ(check("sf-counter"), before) << "returned with its state";

  // And counts on from there, once each.
  ones.start();
  std::this_thread::sleep_for(1s);
  ones.pause();
  const uint64_t more = uint64_t(ones.sent()) - sent;
  ASSERT_GT(more, 0u);
  auto deadline = Clock::now() + 15s;
  while (Clock::now() < deadline && countIn(check("sf-counter")) < *settled + more) std::this_thread::sleep_for(100ms);
  std::this_thread::sleep_for(2500ms);  // redeliveries would count twice
  EXPECT_EQ(countIn(check("sf-counter")), *settled + more);
}

}  // namespace
}  // namespace pelato
