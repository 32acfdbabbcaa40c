// Stateful components on real `pelato host` processes and a real nats-server: a counter keeps
// exact totals across 100 live migrations under a continuous at-least-once stream (no message
// lost, none counted twice); a killed host's counter restarts elsewhere from its last periodic
// snapshot; a stopped host leaves its final one; snapshots and restores refuse what they must.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/file.h"
#include "lattice/component_migration.h"
#include "lattice/ctl_client.h"
#include "lattice/jetstream.h"
#include "lattice/subjects.h"
#include "support/lattice_probe.h"
#include "support/nats_server.h"
#include "support/stream_reader.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using lattice::Json;
using testing::Collector;
using testing::ctlReply;
using testing::eventIs;
using testing::HostChild;

std::string counterRef() { return fmt::format("file://{}/stateful_counter_task.wasm", PELATO_GUEST_DIR); }

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

  // Every message adds 1, so output k reads "n=k sum=k": a lost message leaves a gap, one
  // counted twice pushes every later total past its n.
  std::atomic<bool> producing{true};
  std::atomic<int> sent{0};
  std::thread producer([&] {
    while (producing) {
      int i = sent.load();
      auto ok = js_->publish("count.in", "1", fmt::format("c-{}", i), 2s);
      if (ok) ++sent;
      else std::this_thread::sleep_for(10ms);
      if (i % 10 == 0) std::this_thread::sleep_for(1ms);
    }
  });
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
  producing = false;
  producer.join();
  const size_t total = static_cast<size_t>(sent.load());
  ASSERT_TRUE(reader.waitDistinct(total, 60s)) << reader.distinct() << " of " << total;
  std::this_thread::sleep_for(2s);  // a late redelivery would show as an extra output
  auto outputs = reader.messages();
  ASSERT_EQ(outputs.size(), total);
  for (size_t k = 1; k <= total; ++k)
    ASSERT_EQ(outputs[k - 1], fmt::format("n={} sum={}", k, k)) << "output " << k << " of " << total;
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

}  // namespace
}  // namespace pelato
