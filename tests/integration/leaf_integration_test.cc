// An edge site on a NATS leaf node, with real processes: a hub nats-server (JetStream, domain
// "pelato-hub", a leafnode listener) and a leaf nats-server (no JetStream; the plain JetStream
// API of its clients mapped to the hub's domain, as `pelato up --edge-leaf` writes it), an edge
// host on the leaf, a cloud host and the orchestrator on the hub. A component that prefers edge
// (cloud as fallback) runs on the edge host and answers messages published on the hub, at least
// once through streams in the hub's JetStream; when the leaf is cut it moves to the cloud host and
// messages keep flowing; when the leaf comes back on the same port the edge host reconnects, the
// work returns to it, and it still follows lattice data (a changed link) through the leaf.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <thread>

#include "common/file.h"
#include "lattice/ctl_client.h"
#include "lattice/wadm_client.h"
#include "support/lattice_probe.h"
#include "support/local_service.h"
#include "support/nats_server.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::Collector;
using testing::HostChild;

constexpr const char* kLattice = "leaf";
constexpr const char* kDomain = "pelato-hub";  // as src/up writes it

std::string manifest(std::string_view destination = "lf.out") {
  // Weight 0 on cloud: everything on edge while an edge host lives, cloud only as the fallback.
  return fmt::format(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {{name: lf}}
spec:
  components:
    - name: relay
      type: component
      properties: {{image: "file://{}/upper_task.wasm"}}
      traits:
        - type: spreadscaler
          properties:
            instances: 1
            spread:
              - {{name: edge, weight: 100, requirements: {{host-type: edge}}}}
              - {{name: cloud, weight: 0, requirements: {{host-type: cloud}}}}
        - type: link
          properties:
            target: nats
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
            source_config:
              - name: lf
                properties: {{subscriptions: lf.in, destination: {}, delivery: at-least-once, ack_wait_ms: "2000"}}
    - {{name: nats, type: capability, properties: {{image: builtin-messaging}}}}
)",
                     PELATO_GUEST_DIR, destination);
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

class LeafTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto leafPort = testing::freeLoopbackPort();
    ASSERT_TRUE(leafPort) << leafPort.error().message();
    auto hub = testing::NatsServer::start(
        {.config = fmt::format("jetstream {{ domain: {} }}\nleafnodes {{ listen: 127.0.0.1:{} }}\n", kDomain,
                               *leafPort)});
    if (!hub) GTEST_SKIP() << hub.error().message();
    hub_ = std::move(*hub);
    auto leaf = testing::NatsServer::start(
        {.jetstream = false,
         .config = fmt::format("default_js_domain: {{ \"$G\": \"{}\" }}\n"
                               "leafnodes {{ remotes = [ {{ url: \"nats-leaf://127.0.0.1:{}\" }} ] }}\n",
                               kDomain, *leafPort)});
    ASSERT_TRUE(leaf) << leaf.error().message();
    leaf_ = std::move(*leaf);
    auto client = lattice::NatsClient::connect({.url = hub_->url(), .name = "leaf-test"});
    ASSERT_TRUE(client) << client.error().message();
    nats_ = std::move(*client);
    ctl_ = std::make_unique<lattice::CtlClient>(*nats_, *lattice::Subjects::create(kLattice), 1s);
    wadm_ = std::make_unique<lattice::WadmClient>(*nats_, kLattice, 500ms);
    setenv("PELATO_CACHE_DIR", cache_.path().c_str(), 1);
    auto out = nats_->subscribe("lf.>", outputs_.handler());
    ASSERT_TRUE(out) << out.error().message();
    outSub_ = std::make_unique<lattice::NatsSubscription>(std::move(*out));
    ASSERT_TRUE(nats_->flush());
  }

  // Whether the hub's JetStream answers a client of the leaf (the leaf has joined the hub).
  bool leafServesJetStream(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      auto client = lattice::NatsClient::connect({.url = leaf_->url(), .name = "leaf-test probe"});
      if (client && (*client)->request("$JS.API.INFO", "", 200ms)) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  HostChild startHost(const std::string& url, const std::string& type) {
    return testing::startHost(PELATO_BINARY, url, kLattice,
                              {"--label", "host-type=" + type, "--heartbeat-ms", "1000", "--http-port", "-1"});
  }

  std::map<std::string, uint32_t> placement(const std::vector<const HostChild*>& hosts) {
    std::map<std::string, uint32_t> out;
    for (const auto* host : hosts) {
      uint32_t n = 0;
      if (auto inventory = ctl_->inventory(host->id))
        for (const auto& c : inventory->components)
          if (c.id == "lf-relay") n = c.maxInstances;
      out[host->id] = n;
    }
    return out;
  }

  bool waitForPlacement(const std::vector<const HostChild*>& hosts, const std::vector<uint32_t>& want,
                        std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      auto now = placement(hosts);
      std::vector<uint32_t> got;
      for (const auto* host : hosts) got.push_back(now[host->id]);
      if (got == want) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::string describe(const std::vector<const HostChild*>& hosts) {
    std::string out;
    for (const auto& [id, n] : placement(hosts)) out += fmt::format("{}={} ", id.substr(0, 6), n);
    return out;
  }

  // Publishes `tag` on the hub's lf.in (again every 200 ms) until the component's upper-cased
  // answer comes back on the hub's lf.out.
  bool flows(const std::string& tag, std::chrono::milliseconds timeout = 10s, const std::string& out = "lf.out") {
    auto deadline = Clock::now() + timeout;
    auto answered = [&](const lattice::NatsMessage& m) {
      return m.subject == out && m.data.starts_with(upper(tag) + " #");
    };
    while (Clock::now() < deadline) {
      if (!nats_->publish("lf.in", tag)) return false;
      if (outputs_.waitFor(1, answered, 200ms)) return true;
    }
    return false;
  }

  TempDir cache_ = *TempDir::create("pelato-leaf-cache");
  std::unique_ptr<testing::NatsServer> hub_;
  std::unique_ptr<testing::NatsServer> leaf_;
  std::unique_ptr<lattice::NatsClient> nats_;
  std::unique_ptr<lattice::CtlClient> ctl_;
  std::unique_ptr<lattice::WadmClient> wadm_;
  Collector outputs_;
  std::unique_ptr<lattice::NatsSubscription> outSub_;
};

TEST_F(LeafTest, EdgeWorkFallsBackToCloudWhenTheLeafIsCutAndReturnsWithIt) {
  ASSERT_TRUE(leafServesJetStream(10s)) << "the hub's JetStream through the leaf; the leaf's log:\n" << leaf_->log();
  auto edge = startHost(leaf_->url(), "edge");
  auto cloud = startHost(hub_->url(), "cloud");
  ASSERT_FALSE(edge.id.empty());
  ASSERT_FALSE(cloud.id.empty());
  auto orchestrator = testing::startOrchestrator(PELATO_BINARY, hub_->url(), kLattice, {"--lease-ms", "1500"});
  ASSERT_TRUE(orchestrator) << orchestrator.error().message();
  // The hub sees the edge host through the leaf.
  auto hosts = ctl_->pingHosts(500ms);
  ASSERT_TRUE(hosts) << hosts.error().message();
  EXPECT_EQ(hosts->size(), 2u);

  auto deadline = Clock::now() + 10s;
  while (!wadm_->list() && Clock::now() < deadline) std::this_thread::sleep_for(100ms);
  auto put = wadm_->put(manifest());
  ASSERT_TRUE(put) << put.error().message();
  ASSERT_TRUE(wadm_->deploy(put->name, put->currentVersion));
  std::vector<const HostChild*> both{&edge, &cloud};
  ASSERT_TRUE(waitForPlacement(both, {1, 0}, 15s)) << describe(both);
  EXPECT_TRUE(flows("on-edge")) << "a message from the hub to the edge host and its output back";

  // Cut the edge site off: the orchestrator finds the edge host gone and falls back to cloud.
  auto cut = Clock::now();
  ASSERT_TRUE(leaf_->stop());
  ASSERT_TRUE(waitForPlacement({&cloud}, {1}, 15s)) << describe(both);
  auto fellBack = std::chrono::duration<double>(Clock::now() - cut).count();
  RecordProperty("fallback_seconds", fmt::format("{:.1f}", fellBack));
  EXPECT_TRUE(flows("on-cloud")) << "messages keep flowing through the cloud host";

  // The leaf comes back on the same port: the edge host reconnects and the work goes home.
  auto back = Clock::now();
  ASSERT_TRUE(leaf_->restart()) << leaf_->log();
  ASSERT_TRUE(waitForPlacement(both, {1, 0}, 25s)) << describe(both) << "\nedge host: " << edge.process->output();
  auto returned = std::chrono::duration<double>(Clock::now() - back).count();
  RecordProperty("return_seconds", fmt::format("{:.1f}", returned));
  EXPECT_TRUE(flows("home-again")) << "messages reach the edge host again";

  // Lattice data still reaches the reconnected edge host (its KV watch through the leaf): a new
  // version sends the output elsewhere.
  auto v2 = wadm_->put(manifest("lf.out2"));
  ASSERT_TRUE(v2) << v2.error().message();
  ASSERT_TRUE(wadm_->deploy(v2->name, v2->currentVersion));
  EXPECT_TRUE(flows("new-link", 10s, "lf.out2")) << "the edge host follows the changed link";
  EXPECT_TRUE(waitForPlacement(both, {1, 0}, 1s)) << describe(both);
  std::fprintf(stderr, "fell back to cloud %.1f s after the cut, back on edge %.1f s after the leaf returned\n",
               fellBack, returned);
}

}  // namespace
}  // namespace pelato
