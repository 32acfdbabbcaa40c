// Messages under failure, with real `pelato host` processes on a real nats-server: a 3-stage
// at-least-once chain keeps every message exactly once in its output stream while a host is
// SIGKILLed and replaced; hosts ride out a nats-server restart; component.update swaps a
// module under a live stream; a task that always traps is suspended and reported; the
// key-value host functions reach JetStream KV.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <map>
#include <set>
#include <thread>

#include "common/file.h"
#include "lattice/jetstream.h"
#include "lattice/lattice_kv.h"
#include "lattice/subjects.h"
#include "support/lattice_probe.h"
#include "support/nats_server.h"
#include "support/stream_reader.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using lattice::Json;
using lattice::NatsMessage;
using testing::Collector;
using testing::ctlReply;
using testing::eventIs;
using testing::HostChild;

std::string guest(std::string_view name) { return fmt::format("{}/{}.wasm", PELATO_GUEST_DIR, name); }

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::NatsServer::start();
    if (!server) GTEST_SKIP() << server.error().message();
    server_ = std::move(*server);
    auto client = lattice::NatsClient::connect({.url = server_->url(), .name = "delivery-test"});
    ASSERT_TRUE(client) << client.error().message();
    nats_ = std::move(*client);
    auto js = lattice::JetStream::open(*nats_);
    ASSERT_TRUE(js) << js.error().message();
    js_ = std::move(*js);
    auto events = nats_->subscribe(subjects_.eventWildcard(), events_.handler());
    ASSERT_TRUE(events && nats_->flush());
    eventSub_.emplace(std::move(*events));
    // One AOT cache for every host of the test, so each module compiles once.
    setenv("PELATO_CACHE_DIR", cache_.path().c_str(), 1);
  }
  void TearDown() override {
    eventSub_.reset();
    js_.reset();
    nats_.reset();
  }

  HostChild startHost() { return testing::startHost(PELATO_BINARY, server_->url(), kLattice); }

  void scale(const HostChild& host, const std::string& id, const std::string& wasm, uint32_t count) {
    lattice::ScaleComponentCommand c{.componentRef = "file://" + wasm, .componentId = id, .maxInstances = count};
    auto r = ctlReply(nats_->request(*subjects_.componentScale(host.id), lattice::dumpJson(c.toJson()), 5s));
    ASSERT_TRUE(r.success) << r.message;
    ASSERT_TRUE(events_.waitFor(1, eventIs("component_scaled", host.id, [&](const Json& d) {
      return d.value("component_id", "") == id && d.value("max_instances", 0u) == count;
    }), 10s)) << id << " was not scaled on " << host.id;
  }

  void link(const std::string& source, std::vector<std::string> config, std::string package = "messaging",
            std::string ns = "wasmcloud") {
    lattice::Link l{.sourceId = source, .target = "provider", .witNamespace = ns, .witPackage = package,
                    .interfaces = {"x"}, .sourceConfig = std::move(config)};
    auto r = ctlReply(nats_->request(subjects_.linkPut(), lattice::dumpJson(l.toJson()), 5s));
    ASSERT_TRUE(r.success) << r.message;
  }

  static constexpr const char* kLattice = "delivery";
  lattice::Subjects subjects_ = *lattice::Subjects::create(kLattice);
  TempDir cache_ = *TempDir::create("pelato-delivery-cache");
  std::unique_ptr<testing::NatsServer> server_;
  std::unique_ptr<lattice::NatsClient> nats_;
  std::unique_ptr<lattice::JetStream> js_;
  Collector events_;
  std::optional<lattice::NatsSubscription> eventSub_;
};

// Counts every output by the input id it carries ("MSG-<n> ..." → n).
std::string inputId(const std::string& data) { return data.substr(0, data.find(' ')); }

TEST_F(DeliveryTest, AtLeastOnceChainLosesAndDuplicatesNothingWhenAHostIsKilled) {
  constexpr int kMessages = 100'000;
  auto hostA = startHost();
  auto hostB = startHost();
  ASSERT_FALSE(hostA.id.empty() || hostB.id.empty());
  const std::vector<std::tuple<std::string, std::string, std::string>> stages{
      {"stage1", "chain.in", "chain.s1"}, {"stage2", "chain.s1", "chain.s2"}, {"stage3", "chain.s2", "chain.out"}};
  for (const auto& [id, in, out] : stages)
    link(id, {"subscriptions=" + in, "destination=" + out, "delivery=at-least-once", "ack_wait_ms=2000"});
  for (const auto* host : {&hostA, &hostB})
    for (const auto& [id, in, out] : stages) scale(*host, id, guest("upper_task"), 2);

  auto outStream = js_->streamFor(kLattice, "chain.out");
  ASSERT_TRUE(outStream) << outStream.error().message();
  testing::StreamReader reader(*js_, *outStream, "chain.out", inputId);

  // The producer publishes with message ids, as a careful client does; the chain's own ids
  // keep reruns after the kill out of the output stream.
  std::thread producer([&] {
    // Batches of asynchronous publishes; a batch is resent (same ids) until the stream has it all.
    constexpr int kBatch = 1000;
    for (int first = 0; first < kMessages; first += kBatch) {
      for (int attempt = 0;; ++attempt) {
        ASSERT_LT(attempt, 50) << "the input stream keeps refusing messages";
        std::mutex mutex;
        std::condition_variable changed;
        int completed = 0, failed = 0;
        for (int i = first; i < first + kBatch; ++i)
          js_->publishAsync("chain.in", fmt::format("msg-{}", i), fmt::format("in-{}", i), [&](Result<void> ok) {
            std::lock_guard lock(mutex);
            ++completed;
            failed += ok ? 0 : 1;
            changed.notify_all();
          });
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return completed == kBatch; });
        if (failed == 0) break;
        lock.unlock();
        std::this_thread::sleep_for(100ms);
      }
    }
  });
  ASSERT_TRUE(reader.waitDistinct(kMessages / 4, 120s)) << reader.distinct();
  hostA.process->signal(SIGKILL);  // mid-stream, with messages in flight on every stage
  ASSERT_EQ(hostA.process->waitExit(5s), 128 + SIGKILL);
  auto hostC = startHost();  // the replacement
  ASSERT_FALSE(hostC.id.empty());
  for (const auto& [id, in, out] : stages) scale(hostC, id, guest("upper_task"), 2);
  producer.join();

  EXPECT_TRUE(reader.waitDistinct(kMessages, 180s)) << reader.distinct() << " of " << kMessages;
  std::this_thread::sleep_for(3s);  // anything still redelivered would show up as a duplicate
  EXPECT_EQ(reader.distinct(), size_t{kMessages});
  EXPECT_EQ(reader.total(), size_t{kMessages}) << "duplicates in the output stream";
}

TEST_F(DeliveryTest, HostsReconnectAfterANatsRestart) {
  auto host = startHost();
  ASSERT_FALSE(host.id.empty());
  link("relay", {"subscriptions=restart.in", "destination=restart.out", "delivery=at-least-once",
                 "ack_wait_ms=2000"});
  scale(host, "relay", guest("upper_task"), 1);
  auto stream = js_->streamFor(kLattice, "restart.out");
  ASSERT_TRUE(stream) << stream.error().message();
  testing::StreamReader reader(*js_, *stream, "restart.out", inputId);
  auto publishRange = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      Result<void> ok = fail("not sent");
      for (int attempt = 0; attempt < 100 && !ok; ++attempt) {
        ok = js_->publish("restart.in", fmt::format("msg-{}", i), fmt::format("r-{}", i), 1s);
        if (!ok) std::this_thread::sleep_for(100ms);
      }
      ASSERT_TRUE(ok) << ok.error().message();
    }
  };
  publishRange(0, 500);
  ASSERT_TRUE(reader.waitDistinct(100, 20s));
  ASSERT_TRUE(server_->stop());
  std::this_thread::sleep_for(500ms);
  ASSERT_TRUE(server_->restart());
  publishRange(500, 1000);
  EXPECT_TRUE(reader.waitDistinct(1000, 60s)) << reader.distinct();
  // Core subscriptions came back too: the rpc subject answers.
  EXPECT_TRUE(testing::waitForService(*nats_, *subjects_.rpc("relay"), "ping", "PING", 20s));
  // And the host still takes control commands.
  EXPECT_TRUE(ctlReply(nats_->request(*subjects_.hostGet(host.id), "", 5s)).success);
}

TEST_F(DeliveryTest, UpdateSwapsTheModuleWithoutLosingAMessage) {
  auto host = startHost();
  ASSERT_FALSE(host.id.empty());
  scale(host, "swap", guest("upper_task"), 2);
  link("swap", {"subscriptions=swap.in", "destination=swap.out"});
  Collector outputs;
  auto sub = nats_->subscribe("swap.out", outputs.handler());
  ASSERT_TRUE(sub && nats_->flush());
  ASSERT_TRUE(testing::waitForService(*nats_, *subjects_.rpc("swap"), "x", "X #"));

  // A steady stream until well after the update is reported.
  std::atomic<bool> updated{false};
  std::atomic<int> sent{0};
  std::thread producer([&] {
    int after = 0;
    while (after < 500 && sent < 100'000) {
      ASSERT_TRUE(nats_->publish("swap.in", fmt::format("m{}", sent.load())));
      ++sent;
      if (updated) ++after;
      if (sent % 20 == 0) std::this_thread::sleep_for(2ms);
    }
  });
  std::this_thread::sleep_for(100ms);
  lattice::UpdateComponentCommand update{.componentId = "swap", .newComponentRef = "file://" + guest("word_count_task")};
  auto r = ctlReply(nats_->request(*subjects_.componentUpdate(host.id), lattice::dumpJson(update.toJson()), 5s));
  EXPECT_TRUE(r.success) << r.message;
  EXPECT_TRUE(events_.waitFor(1, eventIs("component_scaled", host.id, [&](const Json& d) {
    return d.value("image_ref", "").ends_with("word_count_task.wasm");
  }), 10s));
  updated = true;
  producer.join();
  ASSERT_TRUE(nats_->flush());
  size_t total = static_cast<size_t>(sent.load());
  EXPECT_TRUE(outputs.waitCount(total, 20s)) << outputs.messages().size() << " of " << total;
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(outputs.messages().size(), total);
  // Both modules answered: upper_task before the update, word_count_task after it.
  size_t upper = 0, counted = 0;
  for (const auto& m : outputs.messages()) (m.data.starts_with("M") ? upper : counted) += 1;
  EXPECT_GT(upper, 0u);
  EXPECT_GT(counted, 0u);

  lattice::UpdateComponentCommand ghost{.componentId = "ghost", .newComponentRef = "file://" + guest("upper_task")};
  auto refused = ctlReply(nats_->request(*subjects_.componentUpdate(host.id), lattice::dumpJson(ghost.toJson()), 5s));
  EXPECT_FALSE(refused.success);
  EXPECT_NE(refused.message.find("not running"), std::string::npos) << refused.message;
}

TEST_F(DeliveryTest, ATaskThatAlwaysTrapsIsSuspendedAndReported) {
  auto host = startHost();
  ASSERT_FALSE(host.id.empty());
  scale(host, "crasher", guest("limits_task"), 1);
  auto rpc = *subjects_.rpc("crasher");
  ASSERT_TRUE(testing::waitForService(*nats_, rpc, "hello", "echo: hello"));
  // The default budget: 10 traps in 10 s; the 11th suspends the component for a second, and
  // the requests right after it fail at once without running.
  size_t trapped = 0, refused = 0;
  for (int i = 0; i < 15; ++i) {
    auto r = nats_->request(rpc, "trap", 5s);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_TRUE(r->data.empty());
    ASSERT_TRUE(r->headers.contains("Pelato-Error")) << i;
    const std::string& why = r->headers.at("Pelato-Error");
    if (why.starts_with("trap:")) ++trapped;
    if (why.find("suspended") != std::string::npos) ++refused;
  }
  EXPECT_EQ(trapped, 11u);
  EXPECT_EQ(refused, 4u);
  EXPECT_TRUE(events_.waitFor(1, eventIs("component_suspended", host.id, [](const Json& d) {
    return d.value("component_id", "") == "crasher" && d.value("reason", "").find("trap") != std::string::npos;
  })));
  // After the backoff it serves again; the host never went down.
  EXPECT_TRUE(testing::waitForService(*nats_, rpc, "hello", "echo: hello", 10s));
  EXPECT_TRUE(ctlReply(nats_->request(*subjects_.hostGet(host.id), "", 5s)).success);
}

TEST_F(DeliveryTest, KeyValueFunctionsReachJetStreamOnlyWhenLinked) {
  auto host = startHost();
  ASSERT_FALSE(host.id.empty());
  // Without a key-value link the module cannot even start: its imports are not offered.
  lattice::ScaleComponentCommand c{.componentRef = "file://" + guest("kv_counter_task"), .componentId = "counter",
                                   .maxInstances = 1};
  ASSERT_TRUE(ctlReply(nats_->request(*subjects_.componentScale(host.id), lattice::dumpJson(c.toJson()), 5s)).success);
  EXPECT_TRUE(events_.waitFor(1, eventIs("component_scale_failed", host.id, [](const Json& d) {
    return d.value("error", "").find("kv_") != std::string::npos;
  }))) << "expected a missing-import failure";

  link("counter", {"prefix=shop"}, "keyvalue", "wasi");
  scale(host, "counter", guest("kv_counter_task"), 1);
  auto rpc = *subjects_.rpc("counter");
  ASSERT_TRUE(testing::waitForService(*nats_, rpc, "apples", "1"));
  auto second = nats_->request(rpc, "apples", 5s);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->data, "2");

  auto kv = lattice::LatticeKv::open(*nats_, fmt::format("PELATO_KV_{}", kLattice));
  ASSERT_TRUE(kv) << kv.error().message();
  auto stored = (*kv)->get("shop.count.apples");
  ASSERT_TRUE(stored) << stored.error().message();
  ASSERT_TRUE(*stored);
  EXPECT_EQ(**stored, "2");
}

}  // namespace
}  // namespace pelato
