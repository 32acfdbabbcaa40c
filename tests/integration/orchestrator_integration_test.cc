// The orchestrator with real `pelato orchestrator` and `pelato host` processes (labelled
// host-type=edge|cloud) on a real nats-server: a 50/50 spread of 4 gives 2+2; a SIGKILLed edge
// host's instances run elsewhere within 3 s (1 s heartbeats) while an at-least-once stream
// loses nothing; with every edge host gone the task runs on cloud and comes back with an edge
// host; drain and migrate move work away first, losing nothing; an overloaded host sheds its
// instances; a standby orchestrator takes over from a killed leader; the wadm API stores
// versions, deploys, undeploys and deletes.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "common/file.h"
#include "lattice/ctl_client.h"
#include "lattice/jetstream.h"
#include "lattice/wadm_client.h"
#include "support/lattice_probe.h"
#include "support/nats_server.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::ChildProcess;
using testing::Collector;
using testing::HostChild;

constexpr const char* kLattice = "orch";

std::string manifest(std::string_view app, uint32_t instances, std::string_view in, std::string_view out) {
  return fmt::format(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: {0}
  annotations: {{description: "integration test"}}
spec:
  components:
    - name: relay
      type: component
      properties: {{image: "file://{1}/upper_task.wasm"}}
      traits:
        - type: spreadscaler
          properties:
            instances: {2}
            spread:
              - {{name: edge, weight: 50, requirements: {{host-type: edge}}}}
              - {{name: cloud, weight: 50, requirements: {{host-type: cloud}}}}
        - type: link
          properties:
            target: nats
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
            source_config:
              - name: subs
                properties: {{subscriptions: {3}, destination: {4}, delivery: at-least-once, ack_wait_ms: "2000"}}
    - name: nats
      type: capability
      properties: {{image: builtin-messaging}}
)",
                     app, PELATO_GUEST_DIR, instances, in, out);
}

// Publishes "m-<n>" to a JetStream subject at a steady pace (with message ids, retrying until
// stored) and reads the destination stream back, counting each input once.
class Stream {
 public:
  Stream(lattice::JetStream& js, std::string in, const std::string& out) : js_(js), in_(std::move(in)) {
    auto stream = js.streamFor(kLattice, out);
    EXPECT_TRUE(stream) << (stream ? "" : stream.error().message());
    auto inStream = js.streamFor(kLattice, in_);
    EXPECT_TRUE(inStream) << (inStream ? "" : inStream.error().message());
    auto consumer = js.pullConsumer(*stream, out, {.durable = "test-reader"}, [] { return size_t{256}; },
                                    [this](lattice::JsMessage m) {
                                      (void)m.ack();
                                      std::lock_guard lock(mutex_);
                                      ++total_;
                                      auto space = m.data().find(' ');
                                      ++seen_[m.data().substr(0, space)];
                                    });
    EXPECT_TRUE(consumer) << (consumer ? "" : consumer.error().message());
    if (consumer) consumer_ = std::move(*consumer);
  }
  ~Stream() { stop(); }

  void start(std::chrono::milliseconds every = 5ms) {
    producer_ = std::thread([this, every] {
      for (int n = 0; !stop_; ++n) {
        Result<void> ok = fail("not sent");
        for (int attempt = 0; attempt < 100 && !ok && !stop_; ++attempt)
          ok = js_.publish(in_, fmt::format("{}-{}", in_, n), fmt::format("m-{}", n), 2s);
        if (!ok) break;
        sent_ = n + 1;
        std::this_thread::sleep_for(every);
      }
    });
  }
  void stop() {
    stop_ = true;
    if (producer_.joinable()) producer_.join();
  }
  int sent() const { return sent_; }
  size_t distinct() {
    std::lock_guard lock(mutex_);
    return seen_.size();
  }
  size_t total() {
    std::lock_guard lock(mutex_);
    return total_;
  }
  bool waitDistinct(size_t n, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (distinct() < n && Clock::now() < deadline) std::this_thread::sleep_for(50ms);
    return distinct() >= n;
  }

 private:
  lattice::JetStream& js_;
  std::string in_;
  std::atomic<bool> stop_{false};
  std::atomic<int> sent_{0};
  std::thread producer_;
  std::mutex mutex_;
  std::map<std::string, int> seen_;
  size_t total_ = 0;
  std::unique_ptr<lattice::PullConsumer> consumer_;
};

class OrchestratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::NatsServer::start();
    if (!server) GTEST_SKIP() << server.error().message();
    server_ = std::move(*server);
    auto client = lattice::NatsClient::connect({.url = server_->url(), .name = "orchestrator-test"});
    ASSERT_TRUE(client) << client.error().message();
    nats_ = std::move(*client);
    auto js = lattice::JetStream::open(*nats_);
    ASSERT_TRUE(js) << js.error().message();
    js_ = std::move(*js);
    ctl_ = std::make_unique<lattice::CtlClient>(*nats_, *lattice::Subjects::create(kLattice), 1s);
    wadm_ = std::make_unique<lattice::WadmClient>(*nats_, kLattice);
    setenv("PELATO_CACHE_DIR", cache_.path().c_str(), 1);  // each module compiles once
  }

  HostChild startHost(const std::string& type) {
    return testing::startHost(PELATO_BINARY, server_->url(), kLattice,
                              {"--label", "host-type=" + type, "--heartbeat-ms", "1000", "--http-port", "-1"});
  }

  std::unique_ptr<ChildProcess> startOrchestrator(std::string leaseMs = "1500") {
    auto child = testing::startOrchestrator(PELATO_BINARY, server_->url(), kLattice, {"--lease-ms", leaseMs});
    EXPECT_TRUE(child) << (child ? "" : child.error().message());
    return child ? std::move(*child) : nullptr;
  }

  // Waits until an orchestrator leads (answers the API).
  ::testing::AssertionResult waitForApi(std::chrono::milliseconds timeout = 10s) {
    auto deadline = Clock::now() + timeout;
    std::string last;
    // Short requests: one sent just as a leader dies would otherwise wait out the whole budget.
    lattice::WadmClient quick(*nats_, kLattice, 500ms);
    while (Clock::now() < deadline) {
      auto list = quick.list();
      if (list) return ::testing::AssertionSuccess();
      last = list.error().message();
      std::this_thread::sleep_for(100ms);
    }
    return ::testing::AssertionFailure() << last;
  }

  // Deploys a 50/50 relay of 4 instances, "<app>.in" → "<app>.out", and waits for `want`.
  void deployAndPlace(const std::string& app, const std::vector<const HostChild*>& hosts, std::vector<uint32_t> want) {
    ASSERT_TRUE(waitForApi());
    deploy(manifest(app, 4, app + ".in", app + ".out"));
    ASSERT_TRUE(waitForPlacement(hosts, app + "-relay", want)) << describe(hosts, app + "-relay");
  }

  void deploy(const std::string& text) {
    auto put = wadm_->put(text);
    ASSERT_TRUE(put) << put.error().message();
    auto deployed = wadm_->deploy(put->name, put->currentVersion);
    ASSERT_TRUE(deployed) << deployed.error().message();
  }

  // Instances of `component` per host, from the hosts' inventories (unanswered hosts count 0).
  std::map<std::string, uint32_t> placement(const std::vector<const HostChild*>& hosts, const std::string& component) {
    std::map<std::string, uint32_t> out;
    for (const auto* host : hosts) {
      uint32_t n = 0;
      if (auto inventory = ctl_->inventory(host->id))
        for (const auto& c : inventory->components)
          if (c.id == component) n = c.maxInstances;
      out[host->id] = n;
    }
    return out;
  }

  bool waitForPlacement(const std::vector<const HostChild*>& hosts, const std::string& component,
                        const std::vector<uint32_t>& want, std::chrono::milliseconds timeout = 15s) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      auto now = placement(hosts, component);
      std::vector<uint32_t> got;
      for (const auto* host : hosts) got.push_back(now[host->id]);
      if (got == want) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  // The app's status once it reads `want`: the orchestrator reports from its last pass, which
  // may not yet have seen what the hosts already run.
  Result<lattice::Status> waitForStatus(const std::string& app, lattice::StatusType want,
                                                std::chrono::milliseconds timeout = 10s) {
    auto deadline = Clock::now() + timeout;
    auto status = wadm_->status(app);
    while (status && status->info.type != want && Clock::now() < deadline) {
      std::this_thread::sleep_for(100ms);
      status = wadm_->status(app);
    }
    return status;
  }

  // Stops the stream, waits for its outputs, and checks that each input came out exactly once.
  void expectEachMessageOnce(Stream& stream) {
    stream.stop();
    EXPECT_TRUE(stream.waitDistinct(size_t(stream.sent()), 30s)) << stream.distinct() << " of " << stream.sent();
    std::this_thread::sleep_for(2s);  // redeliveries would show up as duplicates
    EXPECT_EQ(stream.distinct(), size_t(stream.sent())) << "messages lost";
    EXPECT_EQ(stream.total(), size_t(stream.sent())) << "duplicates in the output stream";
  }

  std::string describe(const std::vector<const HostChild*>& hosts, const std::string& component) {
    std::string out;
    for (const auto& [id, n] : placement(hosts, component)) out += fmt::format("{}={} ", id.substr(0, 6), n);
    return out;
  }

  TempDir cache_ = *TempDir::create("pelato-orchestrator-cache");
  std::unique_ptr<testing::NatsServer> server_;
  std::unique_ptr<lattice::NatsClient> nats_;
  std::unique_ptr<lattice::JetStream> js_;
  std::unique_ptr<lattice::CtlClient> ctl_;
  std::unique_ptr<lattice::WadmClient> wadm_;
};

TEST_F(OrchestratorTest, SpreadsFailsOverFallsBackAndReturnsWithoutLosingAMessage) {
  auto edge1 = startHost("edge");
  auto edge2 = startHost("edge");
  auto cloud1 = startHost("cloud");
  auto cloud2 = startHost("cloud");
  auto orchestrator = startOrchestrator();
  std::vector<const HostChild*> all{&edge1, &edge2, &cloud1, &cloud2};
  ASSERT_NO_FATAL_FAILURE(deployAndPlace("fo", all, {1, 1, 1, 1}));

  Stream stream(*js_, "fo.in", "fo.out");
  stream.start();
  ASSERT_TRUE(stream.waitDistinct(100, 20s)) << stream.distinct();

  // kill -9 an edge host: its instance runs on the other edge host within 3 s.
  auto killed = Clock::now();
  edge1.process->signal(SIGKILL);
  std::vector<const HostChild*> alive{&edge2, &cloud1, &cloud2};
  ASSERT_TRUE(waitForPlacement(alive, "fo-relay", {2, 1, 1}, 5s)) << describe(alive, "fo-relay");
  auto recovered = std::chrono::duration<double>(Clock::now() - killed).count();
  EXPECT_LT(recovered, 3.0) << "re-placed " << recovered << " s after the kill";
  RecordProperty("failover_seconds", fmt::format("{:.2f}", recovered));

  // Every edge host gone: the edge share runs on cloud, the status says why.
  edge2.process->signal(SIGKILL);
  std::vector<const HostChild*> clouds{&cloud1, &cloud2};
  ASSERT_TRUE(waitForPlacement(clouds, "fo-relay", {2, 2}, 10s)) << describe(clouds, "fo-relay");
  auto status = wadm_->status("fo");
  ASSERT_TRUE(status) << status.error().message();
  EXPECT_NE(status->info.message.find("edge"), std::string::npos) << status->info.message;

  // An edge host returns: half the instances go home.
  auto edge3 = startHost("edge");
  std::vector<const HostChild*> back{&edge3, &cloud1, &cloud2};
  ASSERT_TRUE(waitForPlacement(back, "fo-relay", {2, 1, 1})) << describe(back, "fo-relay");

  std::this_thread::sleep_for(500ms);
  expectEachMessageOnce(stream);
}

TEST_F(OrchestratorTest, DrainMovesWorkAwayBeforeTheHostStops) {
  auto edge1 = startHost("edge");
  auto edge2 = startHost("edge");
  auto cloud = startHost("cloud");
  auto orchestrator = startOrchestrator();
  std::vector<const HostChild*> all{&edge1, &edge2, &cloud};
  ASSERT_NO_FATAL_FAILURE(deployAndPlace("dr", all, {1, 1, 2}));
  Stream stream(*js_, "dr.in", "dr.out");
  stream.start();
  ASSERT_TRUE(stream.waitDistinct(100, 20s));

  auto drain = ChildProcess::start({PELATO_BINARY, "host", "drain", edge1.id, "--stop", "--nats", server_->url(),
                                    "--lattice", kLattice});
  ASSERT_TRUE(drain) << drain.error().message();
  EXPECT_EQ((*drain)->waitExit(20s), 0) << (*drain)->output();
  EXPECT_NE((*drain)->output().find("runs no orchestrated component"), std::string::npos) << (*drain)->output();
  auto stopping = Clock::now();
  EXPECT_EQ(edge1.process->waitExit(30s), 0) << "the drained host stops";
  RecordProperty("drained_host_exit_seconds",
                 fmt::format("{:.1f}", std::chrono::duration<double>(Clock::now() - stopping).count()));
  std::vector<const HostChild*> rest{&edge2, &cloud};
  EXPECT_TRUE(waitForPlacement(rest, "dr-relay", {2, 2})) << describe(rest, "dr-relay");

  expectEachMessageOnce(stream);
}

TEST_F(OrchestratorTest, MigrateMovesInstancesAndTheyStayWithoutLosingAMessage) {
  auto edge1 = startHost("edge");
  auto edge2 = startHost("edge");
  auto cloud = startHost("cloud");
  auto orchestrator = startOrchestrator();
  std::vector<const HostChild*> all{&edge1, &edge2, &cloud};
  ASSERT_NO_FATAL_FAILURE(deployAndPlace("mg", all, {1, 1, 2}));
  Stream stream(*js_, "mg.in", "mg.out");
  stream.start();
  ASSERT_TRUE(stream.waitDistinct(100, 20s));

  auto migrate = [&](const std::string& component, const HostChild& from, const HostChild& to) {
    auto child = ChildProcess::start({PELATO_BINARY, "migrate", component, "--from", from.id, "--to", to.id, "--nats",
                                      server_->url(), "--lattice", kLattice});
    EXPECT_TRUE(child) << (child ? "" : child.error().message());
    if (!child) return std::string();
    EXPECT_EQ((*child)->waitExit(30s), 0) << (*child)->output();
    return (*child)->output();
  };
  EXPECT_NE(migrate("mg-relay", edge1, edge2).find("the orchestrator keeps it there"), std::string::npos);
  EXPECT_TRUE(waitForPlacement(all, "mg-relay", {0, 2, 2})) << describe(all, "mg-relay");
  std::this_thread::sleep_for(2500ms);  // a couple of reconcile passes
  EXPECT_TRUE(waitForPlacement(all, "mg-relay", {0, 2, 2}, 1s)) << "the move holds: " << describe(all, "mg-relay");

  // A component no application placed moves by scale commands.
  lattice::ScaleComponentCommand solo{.componentRef = fmt::format("file://{}/upper_task.wasm", PELATO_GUEST_DIR),
                                      .componentId = "solo", .hostId = edge1.id, .maxInstances = 1};
  ASSERT_TRUE(ctl_->scale(solo, 10s));
  EXPECT_NE(migrate("solo", edge1, cloud).find("moved solo"), std::string::npos);
  EXPECT_TRUE(waitForPlacement(all, "solo", {0, 0, 1}, 1s)) << describe(all, "solo");

  expectEachMessageOnce(stream);
}

TEST_F(OrchestratorTest, AnOverloadedHostShedsItsInstances) {
  auto hostA = startHost("edge");
  auto hostB = startHost("edge");
  auto child = testing::startOrchestrator(PELATO_BINARY, server_->url(), kLattice,
                                          {"--shed-queue", "20", "--shed-cpu", "0", "--shed-after", "2",
                                           "--return-after", "3"});
  ASSERT_TRUE(child) << child.error().message();
  ASSERT_TRUE(waitForApi());
  deploy(fmt::format(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {{name: ld}}
spec:
  components:
    - name: slow
      type: component
      properties: {{image: "file://{}/slow_task.wasm"}}
      traits:
        - {{type: spreadscaler, properties: {{instances: 1}}}}
        - type: link
          properties:
            target: nats
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
            source_config: [{{name: ld, properties: {{subscriptions: ld.in, destination: ld.out}}}}]
    - {{name: nats, type: capability, properties: {{image: builtin-messaging}}}}
)",
                     PELATO_GUEST_DIR));
  std::vector<const HostChild*> all{&hostA, &hostB};
  auto deadline = Clock::now() + 15s;
  std::map<std::string, uint32_t> now;
  while (Clock::now() < deadline && (now = placement(all, "ld-slow"), now[hostA.id] + now[hostB.id] != 1))
    std::this_thread::sleep_for(100ms);
  ASSERT_EQ(now[hostA.id] + now[hostB.id], 1u) << describe(all, "ld-slow");
  bool onA = now[hostA.id] == 1;
  std::this_thread::sleep_for(1500ms);  // its messaging link is in place

  // 200 messages of 30 ms of work each: the queue stays far above 20 for seconds.
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(nats_->publish("ld.in", "30"));
  ASSERT_TRUE(nats_->flush());
  std::vector<uint32_t> moved = onA ? std::vector<uint32_t>{0, 1} : std::vector<uint32_t>{1, 0};
  EXPECT_TRUE(waitForPlacement(all, "ld-slow", moved, 15s)) << "the loaded host sheds: " << describe(all, "ld-slow");
}

TEST_F(OrchestratorTest, TheThesisGeneratedManifestDeploys) {
  auto edge = startHost("edge");
  auto cloud = startHost("cloud");
  auto orchestrator = startOrchestrator();
  ASSERT_TRUE(waitForApi());
  auto text = readTextFile(std::string(PELATO_SOURCE_DIR) + "/tests/orchestrator/thesis_wadm.yaml");
  ASSERT_TRUE(text) << text.error().message();
  // Its registry is not reachable from here: the same task from a file instead.
  std::string yaml = *text;
  const std::string image = "gitea.rebus.ninja/lore/data_double_test1:1.0.0";
  yaml.replace(yaml.find(image), image.size(), fmt::format("file://{}/upper_task.wasm", PELATO_GUEST_DIR));
  deploy(yaml);
  std::vector<const HostChild*> all{&edge, &cloud};
  auto deadline = Clock::now() + 15s;
  std::map<std::string, uint32_t> now;
  while (Clock::now() < deadline && (now = placement(all, "pelato-test-data_double_test1"), now[edge.id] + now[cloud.id] != 1))
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(now[edge.id] + now[cloud.id], 1u) << describe(all, "pelato-test-data_double_test1");
  // The capability's subscription link became the component's: messages on the thesis's
  // subject reach the task.
  Collector replies;
  auto inbox = nats_->subscribe("thesis.reply", replies.handler());
  ASSERT_TRUE(inbox && nats_->flush());
  bool answered = false;
  for (int i = 0; i < 50 && !answered; ++i) {
    ASSERT_TRUE(nats_->publish("pelato.data_double_test1.in", "thesis.reply", "reading"));
    answered = replies.waitCount(1, 200ms);
  }
  EXPECT_TRUE(answered) << "the task answered on the thesis's subject";
  auto status = waitForStatus("pelato-test", lattice::StatusType::Deployed);
  ASSERT_TRUE(status) << status.error().message();
  EXPECT_EQ(status->info.type, lattice::StatusType::Deployed) << status->info.message;
}

TEST_F(OrchestratorTest, AStandbyTakesOverFromAKilledLeader) {
  auto edge1 = startHost("edge");
  auto edge2 = startHost("edge");
  auto leader = startOrchestrator();
  ASSERT_TRUE(waitForApi());
  auto standby = startOrchestrator();
  deploy(manifest("ha", 2, "ha.in", "ha.out"));
  std::vector<const HostChild*> all{&edge1, &edge2};
  ASSERT_TRUE(waitForPlacement(all, "ha-relay", {1, 1})) << describe(all, "ha-relay");

  auto killed = Clock::now();
  leader->signal(SIGKILL);
  ASSERT_TRUE(waitForApi(6s)) << "the standby answers the API within two lease periods";
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - killed).count(), 2 * 1.5 + 0.5);
  // And it reconciles: a killed host's instance moves.
  edge1.process->signal(SIGKILL);
  std::vector<const HostChild*> rest{&edge2};
  EXPECT_TRUE(waitForPlacement(rest, "ha-relay", {2}, 10s)) << describe(rest, "ha-relay");
  auto list = wadm_->list();
  ASSERT_TRUE(list) << list.error().message();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].deployedVersion, "v1") << "the standby read the stored applications";
}

TEST_F(OrchestratorTest, TheApiKeepsVersionsDeploysUndeploysAndDeletes) {
  auto edge = startHost("edge");
  auto orchestrator = startOrchestrator();
  ASSERT_TRUE(waitForApi());
  std::vector<const HostChild*> all{&edge};

  auto bad = wadm_->put("apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: x}\nspec: {components: [{name: c, type: component}]}\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("spec.components[0]"), std::string::npos) << bad.error().message();

  auto v1 = wadm_->put(manifest("api", 1, "api.in", "api.out"));
  ASSERT_TRUE(v1) << v1.error().message();
  EXPECT_EQ(v1->currentVersion, "v1");
  EXPECT_EQ(v1->result, lattice::PutResult::Created);
  auto v2 = wadm_->put(manifest("api", 2, "api.in", "api.out"));
  ASSERT_TRUE(v2) << v2.error().message();
  EXPECT_EQ(v2->currentVersion, "v2");
  EXPECT_EQ(v2->totalVersions, 2u);
  EXPECT_TRUE(placement(all, "api-relay")[edge.id] == 0) << "stored is not deployed";

  ASSERT_TRUE(wadm_->deploy("api", "v1"));
  ASSERT_TRUE(waitForPlacement(all, "api-relay", {1})) << describe(all, "api-relay");
  ASSERT_TRUE(wadm_->deploy("api"));  // the newest: v2
  ASSERT_TRUE(waitForPlacement(all, "api-relay", {2})) << describe(all, "api-relay");
  auto links = ctl_->linkGet();
  ASSERT_TRUE(links) << links.error().message();
  EXPECT_EQ(links->size(), 1u);
  auto versions = wadm_->versions("api");
  ASSERT_TRUE(versions) << versions.error().message();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_TRUE((*versions)[1].deployed);
  auto status = waitForStatus("api", lattice::StatusType::Deployed);
  ASSERT_TRUE(status) << status.error().message();
  EXPECT_EQ(status->info.type, lattice::StatusType::Deployed);

  ASSERT_TRUE(wadm_->undeploy("api"));
  EXPECT_TRUE(waitForPlacement(all, "api-relay", {0})) << describe(all, "api-relay");
  links = ctl_->linkGet();
  ASSERT_TRUE(links) << links.error().message();
  EXPECT_TRUE(links->empty()) << "undeploy removes the links it put";

  auto deleted = wadm_->del("api");
  ASSERT_TRUE(deleted) << deleted.error().message();
  auto list = wadm_->list();
  ASSERT_TRUE(list) << list.error().message();
  EXPECT_TRUE(list->empty());
  EXPECT_FALSE(wadm_->status("api")) << "a deleted app is not found";
}

}  // namespace
}  // namespace pelato
